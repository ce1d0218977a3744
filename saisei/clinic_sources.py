"""One verdict per clinic and therapy, one price per thing priced: what a patient reads, from rows kept per source.

The tables keep one row per source on purpose (a verdict per offering on the clinic's site and per directory
listing; a price per page it was printed on), so analysts can see every piece of evidence. A patient asking
"is there a plan for this treatment at this clinic?" needs one answer that names where the claim was seen, and a
site with Japanese, English and Chinese pages prints the same price three times. These pure functions fold the
rows; the result cards (:mod:`saisei.tables.cards`) and the clinic page (:mod:`saisei.views`) share them.
"""

from __future__ import annotations

from collections.abc import Iterable

from verify.vocabulary import VERDICTS

#: the clinic's own pages speak for it before a directory does; then the vocabulary's order
SITE, DIRECTORY = "site", "directory"
_VERDICT_ORDER = {code: n for n, code in enumerate(VERDICTS)}


def source_kind(verification: dict) -> str:
    return SITE if verification.get("offering_id") else DIRECTORY


def _rank(verification: dict) -> tuple:
    return (
        source_kind(verification) != SITE,
        _VERDICT_ORDER.get(verification.get("verdict"), len(_VERDICT_ORDER)),
        verification.get("id") or "",
    )


def verdicts_by_therapy(verifications: Iterable[dict], unchecked: Iterable[str] = ()) -> list[dict]:
    """One entry per therapy: ``{"therapy", "verification", "verdict", "kinds", "rows", "other_verdicts"}``.

    ``verification`` is the row whose verdict is shown: one read from the clinic's own site when there is one,
    else a directory listing's. ``rows`` are every row for the therapy (each names its source), ``kinds`` the
    kinds of source that advertised it (site, directory) and ``other_verdicts`` any verdict another source got,
    so a disagreement is shown rather than hidden. ``unchecked`` therapies (advertised, no verdict yet) get an
    entry with ``verdict`` None. Therapies keep the order they are first met in.
    """
    groups: dict[str, list[dict]] = {}
    for row in verifications:
        groups.setdefault(row.get("therapy") or "", []).append(row)
    for therapy in unchecked:
        groups.setdefault(therapy, [])
    entries = []
    for therapy, rows in groups.items():
        ranked = sorted(rows, key=_rank)
        chosen = ranked[0] if ranked else None
        verdict = chosen.get("verdict") if chosen else None
        kinds = sorted({source_kind(r) for r in rows}, key=(SITE, DIRECTORY).index)
        others = list(dict.fromkeys(r.get("verdict") for r in ranked if r.get("verdict") != verdict))
        entries.append({"therapy": therapy, "verification": chosen, "verdict": verdict, "kinds": kinds,
                        "rows": ranked, "other_verdicts": others})
    return entries


#: what makes two price rows the same price: the thing priced and the amount, tax and unit as read
PRICE_KEY = ("therapy", "currency", "amount_min", "amount_max", "tax", "unit")


def merge_prices(prices: Iterable[dict]) -> list[dict]:
    """Identical prices folded into one, keeping every page they were printed on (``sources``, in order).

    Two rows are the same price when therapy, currency, amounts, tax and unit agree: the Japanese, English and
    Chinese pages of one site printing ¥1,760,000 per knee. The first row's excerpt is kept, a dollar
    conversion (``usd_approx``) printed on any of the pages is kept, and ``fetched_at`` is the latest. Prices
    that differ in tax or unit stay apart: they are different things priced, or a difference worth seeing.
    """
    merged: dict[tuple, dict] = {}
    for price in prices:
        key = tuple(price.get(k) for k in PRICE_KEY)
        if key not in merged:
            merged[key] = {**price, "sources": []}
        entry = merged[key]
        url = price.get("source_url")
        if url and url not in entry["sources"]:
            entry["sources"].append(url)
        for column in ("usd_approx", "amount_excluding_tax", "excerpt"):
            if entry.get(column) in (None, "") and price.get(column) not in (None, ""):
                entry[column] = price[column]
        if (price.get("fetched_at") or "") > (entry.get("fetched_at") or ""):
            entry["fetched_at"] = price["fetched_at"]
    return list(merged.values())
