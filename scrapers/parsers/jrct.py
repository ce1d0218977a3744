"""Read a jRCT research-plan record (``/latest-detail/{ID}``) of a plan under the Act on the Safety of
Regenerative Medicine: id, class, title, institution, committee, progress, dates, discontinuation.

Fields are found by their labels (domain.md §2). A record without its jRCT id and title has changed
structure (or is not a record) and is refused with :class:`JrctPageError`; a "no such study" page is told
apart (:class:`JrctNotFound`), because an id a clinic prints that jRCT does not know is a finding, not a bug.
"""

from __future__ import annotations

import re

from parsel import Selector

from readers.normalize import normalize_text
from scrapers.parsers.committees import certification_number
from scrapers.parsers.labelled import first_value, iso_date, label_pairs

JRCT_ID = re.compile(r"jRCT([abc])(\d{9})", re.IGNORECASE)
CLASS_LETTERS = {"a": 1, "b": 2, "c": 3}
CLASS_WORDS = {"第一種": 1, "第二種": 2, "第三種": 3}
NOT_FOUND = ("該当する臨床研究はありません", "存在しません", "見つかりません", "not found")
#: progress wording -> status key
STATUSES = {"募集前": "not_recruiting", "募集中": "recruiting", "募集中断": "suspended", "募集終了": "recruitment_closed",
            "研究終了": "completed", "中止": "discontinued"}


class JrctPageError(ValueError):
    """Not a readable jRCT record."""


class JrctNotFound(JrctPageError):
    """jRCT answered that it holds no such record."""


def canonical_jrct_id(text: str | None) -> str | None:
    """``jRCTb030190134`` from any spelling (full width, upper case, spaces)."""
    if not text:
        return None
    match = JRCT_ID.search(normalize_text(text).replace(" ", ""))
    return f"jRCT{match.group(1).lower()}{match.group(2)}" if match else None


def plan_class_of(jrct_id: str, printed: str | None) -> int | None:
    """Class 1-3 from the record's own wording, else from the id's letter (a/b/c)."""
    value = normalize_text(printed)
    for word, plan_class in CLASS_WORDS.items():
        if word in value:
            return plan_class
    return CLASS_LETTERS.get(jrct_id[4].lower()) if jrct_id else None


def status_of(printed: str | None) -> str | None:
    value = normalize_text(printed)
    # longest wording first: 募集中断 before 募集中
    for word in sorted(STATUSES, key=len, reverse=True):
        if word in value:
            return STATUSES[word]
    return None


def parse_jrct_record(selector: Selector, url: str, expected_id: str | None = None) -> dict:
    pairs = label_pairs(selector)
    page_text = normalize_text(" ".join(selector.xpath("//body//text()").getall()))
    jrct_id = canonical_jrct_id(first_value(pairs, "研究番号") or first_value(pairs, "計画番号") or
                                first_value(pairs, "jRCT"))
    title = first_value(pairs, "研究名称", exclude=("平易",)) or first_value(pairs, "試験等の名称")
    if not jrct_id or not title:
        if any(marker in page_text for marker in NOT_FOUND):
            raise JrctNotFound(f"jRCT has no record {expected_id or ''} ({url})")
        labels = [label for label, _ in pairs][:8]
        raise JrctPageError(f"no jRCT id or study title on {url}: structure changed? labels {labels}")
    if expected_id and jrct_id != expected_id:
        raise JrctPageError(f"{url} shows {jrct_id}, expected {expected_id}")
    status_printed = first_value(pairs, "進捗状況")
    discontinued_on = iso_date(first_value(pairs, "中止年月日") or first_value(pairs, "中止日"))
    committee = first_value(pairs, "委員会", "名称") or first_value(pairs, "認定委員会", exclude=("番号",))
    status = status_of(status_printed)
    return {
        "jrct_id": jrct_id,
        "plan_class": plan_class_of(jrct_id, first_value(pairs, "区分") or first_value(pairs, "種別")),
        "title_printed": title,
        "title_plain": first_value(pairs, "平易な研究名称"),
        "institution_printed": first_value(pairs, "実施医療機関", "名称") or first_value(pairs, "医療機関の名称"),
        "principal_investigator": first_value(pairs, "研究責任", "氏名") or first_value(pairs, "研究責任医師"),
        "committee_name_printed": committee,
        "committee_number": certification_number(first_value(pairs, "認定番号")),
        "status_printed": status_printed,
        "status": status,
        "first_published": iso_date(first_value(pairs, "初回公表日")),
        "last_updated": iso_date(first_value(pairs, "最終公表日") or first_value(pairs, "最終情報更新日")),
        "filed_on": iso_date(first_value(pairs, "届出日") or first_value(pairs, "提出日")),
        "discontinued_on": discontinued_on,
        "discontinued": int(bool(discontinued_on) or status == "discontinued"),
        "discontinuation_reason": first_value(pairs, "中止", "理由"),
    }
