"""The patient's front door: the home page's search and the result cards, in Japanese or English.

Both pages read only the precomputed tables of :mod:`saisei.tables.cards`: the search is one query on
``clinic_cards`` (its trigram index for words of three characters or more, ``instr()`` on the folded
``search_text`` for shorter ones, ``clinic_card_therapies`` for the therapy picker), and the pickers list
``clinic_cards_by_prefecture`` / ``clinic_cards_by_therapy``. No SQL reaches the page and nothing typed reaches
the SQL except as a bound parameter. Verdict words come from :mod:`verify.vocabulary`, therapy words from
:mod:`readers.taxonomy`: the cards hold codes only.
"""

from __future__ import annotations

import json
import re

from readers.normalize import normalize_text
from readers.taxonomy import THERAPIES
from verify.vocabulary import UNCHECKED, VERDICTS

LANGUAGES = ("ja", "en")
#: cards on one results page; one more is fetched to know whether there are more
PAGE_SIZE = 50
#: FTS5 trigram needs three characters; shorter words are matched with instr()
TRIGRAM = 3
_WORD = re.compile(r"[^\s\"]+")

#: the pages' own words, (Japanese, English)
TEXT = {
    "title": ("再生医療クリニックの計画を調べる", "Check a regenerative-medicine clinic"),
    "lead": (
        "幹細胞治療・PRPなどを行うクリニックが、その治療の「再生医療等提供計画」を国に提出しているかを、"
        "厚生労働省の公開リストと照らし合わせて示します。",
        "Clinics offering stem-cell or PRP treatments in Japan must file a provision plan for each therapy. "
        "saisei checks what clinics advertise against the Ministry of Health's official lists.",
    ),
    "caveat": (
        "計画が提出されていることは、治療が効く・安全であることの証明ではありません。承認や認可でもありません。",
        "A filed plan is not evidence that a treatment works or is safe, and it is not an approval or a licence.",
    ),
    "card_caveat": ("計画の提出は効果の証明ではありません。", "A filed plan is not proof the treatment works."),
    "q_label": ("クリニック名・地域・治療", "Clinic name, area or therapy"),
    "q_placeholder": ("例：ひざ 幹細胞、大阪 PRP、銀座", "e.g. knee stem cells, Osaka PRP, Ginza"),
    "prefecture": ("都道府県", "Prefecture"),
    "therapy": ("治療", "Therapy"),
    "any": ("すべて", "Any"),
    "search": ("検索", "Search"),
    "results": ("検索結果", "Results"),
    "none_found": ("該当するクリニックは見つかりませんでした。言葉を減らすか、別の書き方で試してください。",
                   "No clinic found. Try fewer words or another spelling."),
    "more": ("{n}件以上あります。言葉を足して絞り込んでください。",
             "More than {n} clinics: add a word to narrow it down."),
    "count": ("{n}件", "{n} clinics"),
    "all_clinics": ("すべてのクリニック", "All clinics"),
    "flags": ("確認したい点 {n}件", "{n} point(s) to check"),
    "seen_on": ("掲載元", "Advertised on"),
    "site": ("クリニックのサイト", "its website"),
    "directory": ("紹介サイト", "a directory"),
    "details": ("詳しく見る", "Details"),
    "checked": ("確認日", "Checked"),
    "browse": ("都道府県から探す", "Browse by prefecture"),
    "legend": ("表示の意味", "What the labels mean"),
    "analysts": ("分析用のページ（表・SQL）", "For analysts (tables, SQL)"),
    "switch": ("English", "日本語"),
    "sample": ("SAMPLE DATA / サンプルデータ：掲載の医療機関・計画はすべて架空です。",
               "SAMPLE DATA: every clinic and plan here is fictional."),
    "not_built": ("このデータベースには検索用の表がありません。saisei build で作り直してください。",
                  "This database has no search tables yet: rebuild it with saisei build."),
}
TONE_MARK = {"ok": "✓", "warn": "!", "bad": "✕", "none": "?"}


def language(value: str | None) -> str:
    return value if value in LANGUAGES else "ja"


def words(lang: str) -> dict[str, str]:
    """The page's words in one language: ``words("en")["search"] == "Search"``."""
    index = LANGUAGES.index(lang)
    return {key: pair[index] for key, pair in TEXT.items()}


def fold(text: str | None) -> str:
    return normalize_text(text).lower() if text else ""


def search_sql(q: str = "", prefecture: str = "", therapy: str = "", limit: int = PAGE_SIZE + 1) -> tuple[str, dict]:
    """The results query and its parameters: only the conditions asked for, each an indexed look-up or the
    trigram index, then ``instr()`` for one- and two-character words on the rows those leave."""
    terms = list(dict.fromkeys(_WORD.findall(fold(q))))
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    short_terms = [t for t in terms if len(t) < TRIGRAM]
    where, params = [], {"limit": limit}
    source = "clinic_cards c"
    if long_terms:
        # the trigram index drives, in rowid order, which is the cards' order: the first page ends the scan
        source = "clinic_cards_fts join clinic_cards c on c.rowid = clinic_cards_fts.rowid"
        where.append("clinic_cards_fts match :fts")
        params["fts"] = " ".join('"{}"'.format(t.replace('"', '""')) for t in long_terms)
    if prefecture:
        where.append("c.prefecture = :prefecture")
        params["prefecture"] = prefecture
    if therapy:
        where.append("c.id in (select clinic_id from clinic_card_therapies where therapy = :therapy)")
        params["therapy"] = therapy
    for n, term in enumerate(short_terms):
        where.append(f"instr(c.search_text, :short{n}) > 0")
        params[f"short{n}"] = term
    sql = f"select c.* from {source}" + (" where " + " and ".join(where) if where else "")
    # cards are stored in sort_key order (saisei.tables.cards), so rowid order is the list's order; ordering by
    # the index's own rowid lets SQLite stop reading it at the first page instead of sorting every match
    order = "clinic_cards_fts.rowid" if long_terms else "c.rowid"
    return sql + f" order by {order} limit :limit", params


def badge(verdict: str | None, lang: str) -> dict:
    """The coloured, worded label of a verdict: tone (the colour), mark (so colour is not the only signal), text."""
    term = VERDICTS.get(verdict or "", UNCHECKED)
    return {"tone": term.tone, "mark": TONE_MARK.get(term.tone, "?"), "text": term.badge[LANGUAGES.index(lang)],
            "code": term.code}


def therapy_label(code: str | None, lang: str) -> str:
    entry = THERAPIES.get(code or "")
    return entry[lang] if entry else (code or "")


def card_view(row: dict, lang: str) -> dict:
    """A ``clinic_cards`` row as the card shows it, in one language."""
    therapies = []
    for entry in json.loads(row.get("therapies") or "[]"):
        therapies.append({
            "label": therapy_label(entry.get("therapy"), lang),
            "badge": badge(entry.get("verdict"), lang),
            "seen_on": [words(lang)[kind] for kind in entry.get("kinds", []) if kind in ("site", "directory")],
        })
    place = row.get("prefecture_en") if lang == "en" and row.get("prefecture_en") else row.get("prefecture")
    return {
        **row,
        "place": " ".join(p for p in (place, row.get("city")) if p),
        "therapy_badges": therapies,
        # the per-card caveat goes where a green badge could be misread as "this works"
        "any_plan": any(t["badge"]["tone"] == "ok" for t in therapies),
    }


async def _has_cards(db) -> bool:
    return await db.table_exists("clinic_cards")


async def pickers(db, lang: str) -> dict:
    """Prefecture and therapy options (value, label with its count), from the precomputed count tables."""
    if not await _has_cards(db):
        return {"prefectures": [], "therapies": []}
    name = "prefecture_en" if lang == "en" else "prefecture"
    prefectures = await db.execute(f"select prefecture, {name} as label, clinics from clinic_cards_by_prefecture "
                                   "order by code")
    therapies = await db.execute("select therapy, clinics from clinic_cards_by_therapy")
    order = {code: n for n, code in enumerate(THERAPIES)}
    return {
        "prefectures": [{"value": r["prefecture"], "label": f"{r['label']} ({r['clinics']})"} for r in prefectures.rows],
        "therapies": sorted(
            ({"value": r["therapy"], "label": f"{therapy_label(r['therapy'], lang)} ({r['clinics']})"}
             for r in therapies.rows),
            key=lambda o: order.get(o["value"], len(order)),
        ),
    }


def legend(lang: str) -> list[dict]:
    """Every badge with the sentence behind it, for the home page's key."""
    index = LANGUAGES.index(lang)
    return [{"badge": badge(code, lang), "sentence": (term.ja, term.en)[index]} for code, term in VERDICTS.items()]


async def home_context(db, lang: str) -> dict:
    return {"lang": lang, "t": words(lang), "pickers": await pickers(db, lang), "legend": legend(lang),
            "ready": await _has_cards(db), "q": "", "prefecture": "", "therapy": ""}


async def results_context(db, lang: str, q: str, prefecture: str, therapy: str) -> dict:
    context = await home_context(db, lang)
    context.update(q=q, prefecture=prefecture, therapy=therapy, cards=[], more=False)
    if not context["ready"]:
        return context
    sql, params = search_sql(q, prefecture, therapy)
    rows = [dict(r) for r in (await db.execute(sql, params)).rows]
    context["more"] = len(rows) > PAGE_SIZE
    context["cards"] = [card_view(row, lang) for row in rows[:PAGE_SIZE]]
    return context
