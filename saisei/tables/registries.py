"""Tables ``committees``, ``research_plans``, ``enforcement_actions`` and ``plan_prices``: the registries beside
the plan lists, and the prices stated in the plans' own documents (``saisei build --with-documents``).

``enforcement_actions`` also holds the curated seed of publicly reported orders
(``data/seeds/enforcement_orders.json``): there is no central machine-readable list of orders, so the seed
keeps the table useful offline. A crawled order and a seed entry of the same date, type and institution are
one row (the crawled one wins; ``origin`` says which).
"""

from __future__ import annotations

import json

import sqlite_utils

from readers.normalize import facility_key, normalize_text
from readers.regions import bureau_for_prefecture
from saisei.paths import SEEDS
from saisei.tables.context import BuildContext
from scrapers.identity import committee_id, enforcement_id, short_hash
from scrapers.parsers.labelled import iso_date

ENFORCEMENT_SEED = SEEDS / "enforcement_orders.json"

COMMITTEE_COLUMNS = {
    "id": str, "name": str, "name_printed": str, "certification_number": str, "committee_type": str,
    "establisher": str, "address": str, "prefecture": str, "bureau": str, "scope_printed": str,
    "certified_on": str, "preview_url": str, "list_url": str, "source_url": str, "fetched_at": str,
    "capture_record_id": str, "sample": int,
}
RESEARCH_PLAN_COLUMNS = {
    "id": str, "plan_class": int, "title": str, "title_printed": str, "title_plain": str, "institution": str,
    "institution_printed": str, "principal_investigator": str, "committee_name": str, "committee_number": str,
    "committee_id": str, "status": str, "status_printed": str, "filed_on": str, "first_published": str,
    "last_updated": str, "discontinued_on": str, "discontinued": int, "discontinuation_reason": str,
    "source_url": str, "fetched_at": str, "capture_record_id": str, "sample": int,
}
ENFORCEMENT_COLUMNS = {
    "id": str, "date": str, "order_type": str, "order_type_printed": str, "institution": str,
    "institution_printed": str, "institution_key": str, "processing_facility": str, "prefecture": str,
    "bureau": str, "title": str, "summary": str, "origin": str, "source_kind": str, "source_url": str,
    "fetched_at": str, "sample": int,
}

PLAN_PRICE_COLUMNS = {
    "id": str, "plan_id": str, "doc_code": str, "document_number": int, "document_url": str,
    "amount_min": int, "amount_max": int, "currency": str, "tax": str, "unit": str, "printed": str,
    "excerpt": str, "kind": str, "amount_excluding_tax": int, "product": str, "session": str, "site": str,
    "variant": str, "fetched_at": str, "capture_record_id": str, "sample": int,
}
DOCUMENT_FIELDS = ("amount_min", "amount_max", "currency", "tax", "unit", "printed", "excerpt", "kind",
                   "amount_excluding_tax", "product", "session", "site", "variant")


def committee_row(item: dict, sample: bool) -> dict:
    return {
        "id": committee_id(item),
        "name": normalize_text(item["name_printed"]),
        "name_printed": item["name_printed"],
        "certification_number": item.get("certification_number"),
        "committee_type": item["committee_type"],
        "establisher": normalize_text(item.get("establisher_printed")) or None,
        "address": normalize_text(item.get("address_printed")) or None,
        "prefecture": item.get("prefecture"),
        "bureau": bureau_for_prefecture(item.get("prefecture")),
        "scope_printed": item.get("scope_printed"),
        "certified_on": iso_date(item.get("certified_on")),
        "preview_url": item.get("preview_url"),
        "list_url": item.get("list_url"),
        "source_url": item["source_url"],
        "fetched_at": item["fetched_at"],
        "capture_record_id": (item.get("capture") or {}).get("record_id"),
        "sample": int(sample),
    }


def research_plan_row(item: dict, committees: dict[str, str], sample: bool) -> dict:
    committee = normalize_text(item.get("committee_name_printed")) or None
    number = item.get("committee_number")
    return {
        "id": item["jrct_id"],
        "plan_class": item.get("plan_class"),
        "title": normalize_text(item["title_printed"]),
        "title_printed": item["title_printed"],
        "title_plain": item.get("title_plain"),
        "institution": normalize_text(item.get("institution_printed")) or None,
        "institution_printed": item.get("institution_printed"),
        "principal_investigator": item.get("principal_investigator"),
        "committee_name": committee,
        "committee_number": number,
        "committee_id": number if number in committees.values() else committees.get(committee or ""),
        "status": item.get("status"),
        "status_printed": item.get("status_printed"),
        "filed_on": item.get("filed_on"),
        "first_published": item.get("first_published"),
        "last_updated": item.get("last_updated"),
        "discontinued_on": item.get("discontinued_on"),
        "discontinued": int(item.get("discontinued") or 0),
        "discontinuation_reason": item.get("discontinuation_reason"),
        "source_url": item["source_url"],
        "fetched_at": item["fetched_at"],
        "capture_record_id": (item.get("capture") or {}).get("record_id"),
        "sample": int(sample),
    }


def enforcement_row(order: dict, *, origin: str, sample: bool) -> dict:
    """One order, from a crawled release or a seed entry (``institution``/``processing_facility`` keys)."""
    institution_printed = order.get("institution_printed") or order["institution"]
    facility = order.get("processing_facility_printed") or order.get("processing_facility")
    key = facility_key(institution_printed)
    return {
        "id": enforcement_id(order["date"], order["order_type"], key),
        "date": order["date"],
        "order_type": order["order_type"],
        "order_type_printed": order.get("order_type_printed"),
        "institution": normalize_text(institution_printed),
        "institution_printed": institution_printed,
        "institution_key": key,
        "processing_facility": normalize_text(facility) or None,
        "prefecture": order.get("prefecture"),
        "bureau": bureau_for_prefecture(order.get("prefecture")),
        "title": order.get("title"),
        "summary": order.get("summary"),
        "origin": origin,
        "source_kind": order.get("source_kind") or "mhlw",  # crawled rows are MHLW's releases; `sample` says if fictional
        "source_url": order["source_url"],
        "fetched_at": order.get("fetched_at"),
        "sample": int(sample and origin == "crawled"),
    }


def seed_orders(path=ENFORCEMENT_SEED) -> list[dict]:
    """The curated, publicly reported orders (real cases, each with the report it came from)."""
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["orders"]


def _unique(rows) -> list[dict]:
    by_id: dict[str, dict] = {}
    for row in rows:
        by_id.setdefault(row["id"], row)
    return list(by_id.values())


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    committees = _unique(committee_row(i, context.sample) for i in items.get("committee", []))
    db["committees"].create(COMMITTEE_COLUMNS, pk="id")
    db["committees"].insert_all(committees)
    for column in ("committee_type", "prefecture", "name"):
        db["committees"].create_index([column])

    by_name = {c["name"]: c["id"] for c in committees}
    plans = _unique(research_plan_row(i, by_name, context.sample) for i in items.get("research_plan", []))
    db["research_plans"].create(RESEARCH_PLAN_COLUMNS, pk="id")
    db["research_plans"].insert_all(plans)
    for column in ("plan_class", "status", "committee_id"):
        db["research_plans"].create_index([column])

    crawled = [enforcement_row(i, origin="crawled", sample=context.sample) for i in items.get("enforcement_action", [])]
    curated = [enforcement_row(o, origin="curated", sample=context.sample) for o in seed_orders()]
    orders = _unique(crawled + curated)
    db["enforcement_actions"].create(ENFORCEMENT_COLUMNS, pk="id")
    db["enforcement_actions"].insert_all(sorted(orders, key=lambda r: r["date"]))
    for column in ("date", "order_type", "prefecture", "institution_key"):
        db["enforcement_actions"].create_index([column])
    context.notes["enforcement_curated"] = sum(1 for o in orders if o["origin"] == "curated")
    write_plan_prices(db, items.get("plan_price", []), context)


def write_plan_prices(db: sqlite_utils.Database, prices: list[dict], context: BuildContext) -> None:
    """Prices mined from plan documents, tied to their plan through ``plan_documents`` (written before)."""
    plan_of = {}
    if db["plan_documents"].exists():
        plan_of = {row["url"]: row["plan_id"] for row in db["plan_documents"].rows}
    rows = []
    for price in prices:
        rows.append({
            "id": short_hash(price["document_url"], str(price.get("excerpt")), str(price["amount_min"]), price["printed"]),
            "plan_id": plan_of.get(price["document_url"]),
            "doc_code": price["doc_code"],
            "document_number": price["document_number"],
            "document_url": price["document_url"],
            **{k: price.get(k) for k in DOCUMENT_FIELDS},
            "fetched_at": price["fetched_at"],
            "capture_record_id": (price.get("capture") or {}).get("record_id"),
            "sample": int(context.sample),
        })
    db["plan_prices"].create(PLAN_PRICE_COLUMNS, pk="id")
    db["plan_prices"].insert_all(_unique(rows))
    db["plan_prices"].create_index(["plan_id"])
    db["plan_prices"].create_index(["kind"])
    write_plan_price_summary(db)


def write_plan_price_summary(db: sqlite_utils.Database) -> None:
    """View ``plan_price_summary``: per plan, the lowest and highest *treatment* price its documents state and
    the tax basis they state it on (mixed when they differ); cancellation charges, tests, storage and comparisons
    are counted beside it, never summarised as the price."""
    db.create_view("plan_price_summary", """
select plan_id,
  min(case when kind = 'treatment' then amount_min end) as lowest_treatment_price,
  max(case when kind = 'treatment' then coalesce(amount_max, amount_min) end) as highest_treatment_price,
  case when count(distinct case when kind = 'treatment' then coalesce(tax, 'not stated') end) > 1 then 'mixed'
       else max(case when kind = 'treatment' then coalesce(tax, 'not stated') end) end as tax_basis,
  sum(kind = 'treatment') as treatment_prices,
  sum(kind != 'treatment') as other_amounts,
  min(document_url) as document_url
from plan_prices where plan_id is not null and currency = 'JPY'
group by plan_id""", replace=True)
