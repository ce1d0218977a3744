"""Read e-再生医療's certified-committee lists (``/disclosed_committee/index/{1,2}``, paged ``/page:N``) and
each committee's preview page (``/disclosed_committee/preview/{CODE}``).

List 1 holds the specified committees (特定認定再生医療等委員会: may review classes 1-3), list 2 the committees
that review class 3 only (認定再生医療等委員会) *(unverified, domain.md §2)*, so the preview page's own scope
text wins when it says otherwise. Columns are found by their header text; a list without a name column and
preview links, or a preview without a committee name, is refused as a whole (:class:`CommitteePageError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector

from readers.normalize import normalize_text
from scrapers.parsers.labelled import first_value, label_pairs, prefecture_in
from scrapers.parsers.plan_table import cell_text

LIST_TYPES = {1: "specified", 2: "class3_only"}
PREVIEW = re.compile(r"/disclosed_committee/preview/([^/?#]+)")
PAGE = re.compile(r"/disclosed_committee/index/(\d)(?:/page:(\d+))?/?$")
TOTAL = re.compile(r"全\s*([\d,]+)\s*件")
COMMITTEE_NUMBER = re.compile(r"N\s*[AB]\s*\d(?:\s*-?\s*\d){6}")


class CommitteePageError(ValueError):
    """The page is not a committee list or preview we can read; the message says why."""


@dataclass
class CommitteeList:
    rows: list[dict] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    total: int | None = None
    headers: list[str] = field(default_factory=list)


def _column(headers: list[str], *needles: str) -> int | None:
    for index, header in enumerate(headers):
        if any(n in header for n in needles):
            return index
    return None


def certification_number(text: str | None) -> str | None:
    """A committee's 認定番号 in canonical form (``NA8150016``), or None when the text holds none."""
    if not text:
        return None
    match = COMMITTEE_NUMBER.search(normalize_text(text).upper())
    return re.sub(r"[\s-]", "", match.group(0)) if match else None


def parse_committee_list(selector: Selector, url: str) -> CommitteeList:
    """Rows (name, number, establisher, address, preview URL) and the other pages of the same list."""
    table = None
    headers: list[str] = []
    for candidate in selector.xpath("//table[.//th]"):
        texts = [normalize_text(cell_text(th)) for th in candidate.xpath(".//tr[th][1]/th")]
        if any("名称" in t for t in texts):
            table, headers = candidate, texts
            break
    if table is None:
        raise CommitteePageError(f"no committee table (no header naming 名称) on {url}")
    name_at = _column(headers, "名称")
    number_at = _column(headers, "認定番号", "番号")
    establisher_at = _column(headers, "設置者")
    address_at = _column(headers, "所在地", "住所")
    result = CommitteeList(headers=headers)
    for tr in table.xpath(".//tr[td]"):
        cells = tr.xpath("./td")
        preview = next((a.attrib["href"] for a in tr.xpath(".//a[@href]") if PREVIEW.search(a.attrib["href"])), None)
        if len(cells) <= name_at or preview is None:
            raise CommitteePageError(
                f"committee row without a name cell or preview link on {url}: "
                f"{' | '.join(normalize_text(cell_text(c)) for c in cells)[:200]}"
            )

        def cell(index: int | None, cells=cells) -> str | None:
            return cell_text(cells[index]) if index is not None and index < len(cells) else None

        preview_url = urljoin(url, preview)
        result.rows.append(
            {
                "name_printed": cell(name_at),
                "certification_number": certification_number(cell(number_at)),
                "establisher_printed": cell(establisher_at),
                "address_printed": cell(address_at),
                "preview_url": preview_url,
                "code": PREVIEW.search(preview_url).group(1),
            }
        )
    for link in selector.xpath("//a[@href]/@href").getall():
        absolute = urljoin(url, link.strip())
        if PAGE.search(absolute) and absolute != url and absolute not in result.pages:
            result.pages.append(absolute)
    total = TOTAL.search(normalize_text(" ".join(selector.xpath("//body//text()").getall())))
    result.total = int(total.group(1).replace(",", "")) if total else None
    if not result.rows and result.total != 0:
        raise CommitteePageError(f"committee table on {url} has no rows")
    return result


def committee_type(scope: str | None, list_type: str) -> str:
    """specified (may review classes 1-3) or class3_only, from the preview's scope text when it has one."""
    value = normalize_text(scope)
    if "第一種" in value or "第二種" in value:
        return "specified"
    if "第三種" in value:
        return "class3_only"
    return list_type


def parse_committee_preview(selector: Selector, url: str) -> dict:
    """One committee's details by label; raises :class:`CommitteePageError` when the name is missing."""
    pairs = label_pairs(selector)
    name = first_value(pairs, "名称", exclude=("設置者",))
    if not name:
        raise CommitteePageError(f"no committee name (label 名称) on preview page {url}; labels {[p[0] for p in pairs][:8]}")
    address = first_value(pairs, "所在地", exclude=("設置者",)) or first_value(pairs, "住所")
    return {
        "name_printed": name,
        "certification_number": certification_number(first_value(pairs, "認定番号")),
        "establisher_printed": first_value(pairs, "設置者"),
        "address_printed": address,
        "prefecture": prefecture_in(address),
        "scope_printed": first_value(pairs, "区分") or first_value(pairs, "業務"),
        "certified_on": first_value(pairs, "認定日") or first_value(pairs, "認定年月日"),
    }
