"""The patient's clinic page: per therapy, what the registry check found, in plain Japanese and English.

Everything on it comes from the database being served; tables that do not exist yet are simply left out.
Scraped text (names, excerpts, reasons) reaches the page only through Jinja's autoescaping, so a clinic page
that printed ``<script>`` shows it as text.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from saisei.clinic_sources import DIRECTORY, SITE, merge_prices, source_kind, verdicts_by_therapy
from verify.vocabulary import FLAGS, UNCHECKED, VERDICTS

REGISTERED_MEANS_JA = (
    "「計画あり（registered）」は、この治療の再生医療等提供計画が認定再生医療等委員会の審査を経て厚生労働省"
    "（地方厚生局）に提出され、公開リストに載っていることを意味します。",
    "提出は承認や認可ではなく、治療が効くことや安全であることを示すものではありません。",
)
REGISTERED_MEANS_EN = (
    "“Registered” means the clinic filed a provision plan for this therapy with the Ministry of Health, Labour "
    "and Welfare (a regional health bureau) after review by a certified committee, and the plan is on the "
    "official list.",
    "A filing is not an approval or a licence: it is not evidence that the treatment works or is safe.",
)


def _json_list(value: Any) -> list:
    if not value:
        return []
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def web_url(value: Any) -> str | None:
    """The URL if it is an http(s) address, else None: scraped text never becomes a javascript: link."""
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _clean_urls(row: dict | None, *columns: str) -> None:
    for column in columns:
        if row is not None and column in row:
            row[column] = web_url(row[column])


def format_price(price: dict) -> str:
    low, high = price.get("amount_min"), price.get("amount_max")
    symbol = "¥" if price.get("currency") == "JPY" else "US$" if price.get("currency") == "USD" else ""
    if low is None and high is None:
        return "—"
    if high is None or high == low:
        return f"{symbol}{low:,}"
    if low is None:
        return f"up to {symbol}{high:,}"
    return f"{symbol}{low:,}–{high:,}"


def filed_price_summary(rows: list[dict]) -> dict | None:
    """The plan's treatment prices as its documents state them (``plan_price_summary``), ready to print."""
    if not rows or rows[0].get("lowest_treatment_price") is None:
        return None
    row = dict(rows[0])
    row["display"] = format_price({"amount_min": row["lowest_treatment_price"],
                                   "amount_max": row["highest_treatment_price"], "currency": "JPY"})
    row["document_url"] = web_url(row.get("document_url"))
    return row


def price_pairs(flag: dict) -> list[dict]:
    """The advertised and filed price pairs a flag's evidence lists (the filed-versus-advertised flag), with
    their sources; other flags have none."""
    try:
        pairs = json.loads(flag.get("evidence") or "{}").get("pairs", [])
    except (ValueError, AttributeError):
        return []
    pairs = [p for p in pairs if isinstance(p, dict) and "advertised" in p and "filed" in p]
    for pair in pairs:
        _clean_urls(pair, "advertised_source", "filed_source")
    return pairs


async def _rows(db, tables: set[str], table: str, sql: str, params: dict) -> list[dict]:
    if table not in tables:
        return []
    results = await db.execute(sql, params)
    return [dict(row) for row in results.rows]


#: the clinic page's one query when the database carries precomputed pages (saisei.tables.clinic_pages)
PAGE_SQL = "select page from clinic_pages where id = :id"


async def clinic_context(db, clinic_id: str) -> dict | None:
    """Everything the clinic page shows, or None when there is no such clinic: one primary-key look-up in
    ``clinic_pages``, written at build time by :func:`assemble_context`; assembled here only for a database
    built before that table existed."""
    try:
        rows = (await db.execute(PAGE_SQL, {"id": clinic_id})).rows
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        context = await assemble_context(db, clinic_id)
        return with_constants(context) if context else None
    return with_constants(json.loads(rows[0]["page"])) if rows else None


def with_constants(context: dict) -> dict:
    """A stored page with the words every page shares (kept out of the table, so it does not repeat them)."""
    return {**context, "registered_means_ja": REGISTERED_MEANS_JA, "registered_means_en": REGISTERED_MEANS_EN}


async def assemble_context(db, clinic_id: str) -> dict | None:
    """The clinic page from the clinic, offering, verification, listing, price, flag and plan tables: a dozen
    queries, so the build runs it once per clinic (saisei.tables.clinic_pages) rather than each request."""
    tables = set(await db.table_names())
    clinics = await _rows(db, tables, "clinics", "select * from clinics where id = :id", {"id": clinic_id})
    if not clinics:
        return None
    clinic = clinics[0]
    params = {"id": clinic_id}
    labels = {
        r["code"]: r for r in await _rows(db, tables, "therapies", "select code, ja, en from therapies", {})
    }
    offerings = await _rows(
        db, tables, "offerings", "select * from offerings where clinic_id = :id order by therapy, id", params
    )
    verifications = await _rows(
        db,
        tables,
        "verifications",
        "select * from verifications where clinic_id = :id order by therapy",
        params,
    )
    listings = {
        r["id"]: r
        for r in await _rows(
            db, tables, "directory_listings", "select * from directory_listings where clinic_id = :id", params
        )
    }
    by_offering = {o["id"]: o for o in offerings}
    therapies = []
    # one section per therapy, naming every source that advertised it (saisei.clinic_sources)
    unchecked = [o["therapy"] for o in offerings]
    for entry in verdicts_by_therapy(verifications, unchecked=unchecked):
        rows = entry["rows"]
        chosen = entry["verification"]
        offering = by_offering.get((chosen or {}).get("offering_id")) or next(
            (o for o in offerings if o["therapy"] == entry["therapy"]), None
        )
        therapy = await _therapy(db, tables, labels, entry["therapy"], offering, chosen)
        therapy["sources"] = _sources(rows, by_offering, listings, offering)
        therapy["listings"] = sum(1 for r in rows if source_kind(r) == DIRECTORY)
        therapy["other_verdicts"] = [
            {"code": code, "short": VERDICTS[code].short} for code in entry["other_verdicts"] if code in VERDICTS
        ]
        therapies.append(therapy)
    prices = await _rows(
        db, tables, "prices", "select * from prices where clinic_id = :id order by therapy", params
    )
    prices = merge_prices(prices)  # one price per thing priced, with every page that printed it
    for price in prices:
        price["label"] = labels.get(price.get("therapy"), {})
        price["display"] = format_price(price)
        price["sources"] = [url for url in map(web_url, price["sources"]) if url]
    flags = await _rows(
        db, tables, "clinic_flags", "select * from clinic_flags where clinic_id = :id", params
    )
    for flag in flags:
        term = FLAGS.get(flag["flag"])
        flag["label"] = (term.ja, term.en) if term else (flag["flag"], flag["flag"])
        flag["price_pairs"] = price_pairs(flag)
    _clean_urls(clinic, "url")
    for row in offerings + prices:
        _clean_urls(row, "source_url")
    checked = [v["checked_at"] for v in verifications if v.get("checked_at")]
    return {
        "clinic": clinic,
        "languages": _json_list(clinic.get("languages")),
        "sources": [url for url in map(web_url, _json_list(clinic.get("sources"))) if url],
        "therapies": therapies,
        "prices": prices,
        "flags": flags,
        "last_checked": max(checked) if checked else None,
    }


def _sources(rows: list[dict], offerings: dict, listings: dict, offering: dict | None) -> list[dict]:
    """Every place a therapy was advertised: the clinic's own pages, then each directory page, each once."""
    sources: list[dict] = []
    for row in rows:
        if source_kind(row) == SITE:
            url = (offerings.get(row.get("offering_id")) or offering or {}).get("source_url")
            source = {"kind": SITE, "url": web_url(url), "name": None}
        else:
            listing = listings.get(row.get("listing_id")) or {}
            source = {"kind": DIRECTORY, "url": web_url(listing.get("directory_url")),
                      "name": listing.get("clinic_name")}
        if source not in sources:
            sources.append(source)
    if not rows and offering:  # advertised, not judged yet
        sources.append({"kind": SITE, "url": web_url(offering.get("source_url")), "name": None})
    return sources


async def _therapy(db, tables, labels, code, offering, verification) -> dict:
    verdict = (verification or {}).get("verdict")
    term = VERDICTS.get(verdict, UNCHECKED) if verdict else UNCHECKED
    plans = []
    for plan_id in _json_list((verification or {}).get("plan_ids")):
        rows = await _rows(db, tables, "plans", "select * from plans where id = :id", {"id": str(plan_id)})
        if rows:
            plan = rows[0]
            _clean_urls(plan, "source_url")
            plan["documents"] = await _rows(
                db,
                tables,
                "plan_documents",
                "select * from plan_documents where plan_id = :id order by number",
                {"id": plan["id"]},
            )
            for document in plan["documents"]:
                _clean_urls(document, "url")
            plan["filed_prices"] = filed_price_summary(await _rows(
                db, tables, "plan_prices", "select * from plan_price_summary where plan_id = :id", {"id": plan["id"]}
            ))
            plans.append(plan)
    return {
        "code": code,
        "label": labels.get(code, {"ja": code, "en": code}),
        "offering": offering,
        "verification": verification,
        "verdict": verdict,
        "verdict_ja": term.ja,
        "verdict_en": term.en,
        "tone": term.tone,
        "badge": term.badge,
        "plans_heading": term.plans_heading,
        "plans": plans,
    }
