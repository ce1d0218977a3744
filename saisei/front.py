"""The patient's front door: the home page's search and the result cards, in Japanese or English.

Both pages read only the precomputed tables of :mod:`saisei.tables.cards`: the search is one query on
``clinic_cards`` (its trigram index for words of three characters or more, its index of characters and pairs
for shorter ones, the card's therapy codes for the therapy picker: :func:`search_sql`), and the pickers list
``clinic_cards_by_prefecture`` / ``clinic_cards_by_therapy``. No SQL reaches the page and nothing typed reaches
the SQL except as a bound parameter. Verdict words come from :mod:`verify.vocabulary`, therapy words from
:mod:`readers.taxonomy`: the cards hold codes only.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

from readers.normalize import normalize_text
from readers.taxonomy import THERAPIES
from saisei.tables.cards import gram_token
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


def search_sql(q: str = "", prefecture: str = "", therapy: str = "", limit: int = PAGE_SIZE + 1,
               grams: bool = True) -> tuple[str, dict]:
    """The results query and its parameters: only the conditions asked for, each answered by an index.

    Words of three characters or more go to the trigram index ``clinic_cards_fts``, shorter ones to
    ``clinic_cards_grams_fts`` (when the database has it: ``grams``), and ``instr()`` then checks the short words on
    the rows those leave, exactly. The first index named drives, in rowid order, which is the cards' order
    (saisei.tables.cards), so SQLite stops at the first page instead of sorting every match."""
    terms = list(dict.fromkeys(_WORD.findall(fold(q))))
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    short_terms = [t for t in terms if len(t) < TRIGRAM]
    where, params = [], {"limit": limit}
    gram_match = "clinic_cards_grams_fts match :grams"
    if long_terms:
        driver = "clinic_cards_fts"
        where.append("clinic_cards_fts match :fts")
        params["fts"] = " ".join('"{}"'.format(t.replace('"', '""')) for t in long_terms)
        if short_terms and grams:
            # unary + keeps the set a filter: as an index constraint it would cost the rowid order (a sort)
            where.append(f"+clinic_cards_fts.rowid in (select rowid from clinic_cards_grams_fts where {gram_match})")
    elif short_terms and grams:
        driver = "clinic_cards_grams_fts"
        where.append(gram_match)
    else:
        driver = "c"
    if short_terms and grams:
        params["grams"] = " ".join(gram_token(t) for t in short_terms)
    source = "clinic_cards c" if driver == "c" else f"{driver} join clinic_cards c on c.rowid = {driver}.rowid"
    order = f"{driver}.rowid"
    if prefecture:
        where.append("c.prefecture = :prefecture")
        # the list's order starts with the prefecture, so its cards are one run of rowids: reading only that
        # run skips the other prefectures' matches (a term common elsewhere and absent here read them all)
        where.append(f"{order} between (select min(rowid) from clinic_cards where prefecture = :prefecture) "
                     "and (select max(rowid) from clinic_cards where prefecture = :prefecture)")
        params["prefecture"] = prefecture
    if therapy:
        # the card's own list of codes, read with the row: no set of every clinic offering it built per query
        where.append("instr(' ' || c.therapy_codes || ' ', :therapy) > 0")
        params["therapy"] = f" {therapy} "
    for n, term in enumerate(short_terms):
        where.append(f"instr(c.search_text, :short{n}) > 0")
        params[f"short{n}"] = term
    sql = f"select c.* from {source}" + (" where " + " and ".join(where) if where else "")
    return sql + f" order by {order} limit :limit", params


def badge(verdict: str | None, lang: str) -> dict:
    """The coloured, worded label of a verdict: tone (the colour), mark (so colour is not the only signal), text."""
    term = VERDICTS.get(verdict or "", UNCHECKED)
    return {"tone": term.tone, "mark": TONE_MARK.get(term.tone, "?"), "text": term.badge[LANGUAGES.index(lang)],
            "code": term.code}


def therapy_label(code: str | None, lang: str) -> str:
    entry = THERAPIES.get(code or "")
    return entry[lang] if entry else (code or "")


def card_view(row: dict, lang: str) -> SimpleNamespace:
    """A ``clinic_cards`` row as the card shows it, in one language.

    An object, not a dict: Jinja reads ``card.name`` by trying the attribute first, and on a dict that is an
    AttributeError raised and caught for every field of every card, a third of the results page's rendering.
    """
    seen_on = words(lang)
    therapies = []
    for entry in json.loads(row.get("therapies") or "[]"):
        therapies.append(SimpleNamespace(
            label=therapy_label(entry.get("therapy"), lang),
            badge=SimpleNamespace(**badge(entry.get("verdict"), lang)),
            seen_on=[seen_on[kind] for kind in entry.get("kinds", []) if kind in ("site", "directory")],
        ))
    place = row.get("prefecture_en") if lang == "en" and row.get("prefecture_en") else row.get("prefecture")
    return SimpleNamespace(**{
        **row,
        "place": " ".join(p for p in (place, row.get("city")) if p),
        "therapy_badges": therapies,
        # the per-card caveat goes where a green badge could be misread as "this works"
        "any_plan": any(t.badge.tone == "ok" for t in therapies),
    })


async def pickers(db, lang: str, tables: set[str]) -> dict:
    """Prefecture and therapy options (value, label with its count), from the precomputed count tables."""
    if "clinic_cards" not in tables:
        return {"prefectures": [], "therapies": []}
    name = "prefecture_en" if lang == "en" else "prefecture"
    prefectures = await db.execute(f"select prefecture, {name} as label, clinics from clinic_cards_by_prefecture "
                                   "order by code")
    therapies = await db.execute("select therapy, clinics from clinic_cards_by_therapy")
    order = {code: n for n, code in enumerate(THERAPIES)}
    # objects rather than dicts, for Jinja's attribute look-up (see card_view)
    return {
        "prefectures": [SimpleNamespace(value=r["prefecture"], label=f"{r['label']} ({r['clinics']})")
                        for r in prefectures.rows],
        "therapies": sorted(
            (SimpleNamespace(value=r["therapy"], label=f"{therapy_label(r['therapy'], lang)} ({r['clinics']})")
             for r in therapies.rows),
            key=lambda o: order.get(o.value, len(order)),
        ),
    }


def legend(lang: str) -> list[dict]:
    """Every badge with the sentence behind it, for the home page's key."""
    index = LANGUAGES.index(lang)
    return [SimpleNamespace(badge=SimpleNamespace(**badge(code, lang)), sentence=(term.ja, term.en)[index])
            for code, term in VERDICTS.items()]


async def home_context(db, lang: str, tables: set[str] | None = None) -> dict:
    tables = set(await db.table_names()) if tables is None else tables
    return {"lang": lang, "t": words(lang), "pickers": await pickers(db, lang, tables), "legend": legend(lang),
            "ready": "clinic_cards" in tables, "q": "", "prefecture": "", "therapy": ""}


async def results_context(db, lang: str, q: str, prefecture: str, therapy: str) -> dict:
    tables = set(await db.table_names())
    context = await home_context(db, lang, tables)
    context.update(q=q, prefecture=prefecture, therapy=therapy, cards=[], more=False)
    if not context["ready"]:
        return context
    sql, params = search_sql(q, prefecture, therapy, grams="clinic_cards_grams_fts" in tables)
    rows = [dict(r) for r in (await db.execute(sql, params)).rows]
    context["more"] = len(rows) > PAGE_SIZE
    context["cards"] = [card_view(row, lang) for row in rows[:PAGE_SIZE]]
    return context
