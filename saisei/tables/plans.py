"""Tables ``plans`` and ``plan_documents``: the e-再生医療 plan lists."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

import sqlite_utils

from saisei.tables.context import BuildContext

PLAN_COLUMNS = {
    "id": str,
    "plan_key": str,
    "plan_class": int,
    "prefecture": str,
    "bureau": str,
    "facility_printed": str,
    "facility": str,
    "facility_corporation": str,
    "facility_key": str,
    "address_printed": str,
    "address": str,
    "therapy_printed": str,
    "therapy": str,
    "doc_code": str,
    "doc_codes": str,
    "n_documents": int,
    "other_cells": str,
    "row_number": int,
    "source_url": str,
    "fetched_at": str,
    "capture_record_id": str,
    "status": str,
    "first_seen": str,
    "last_seen": str,
    "ended_at": str,
    "sample": int,
}


def assign_plan_ids(plans: list[dict]) -> tuple[list[dict], int]:
    """Give every plan its stable id; merge rows printed twice; number true namesakes.

    Rows with the same plan key and the same document codes are one plan printed twice (merged, counted).
    Rows with the same key but different codes are different plans filed under the very same name: they get
    ``key``, ``key-2``, … in document-code order, the only order that does not depend on the page.
    """
    groups: dict[str, dict[tuple, dict]] = defaultdict(dict)
    duplicates = 0
    for plan in plans:
        signature = tuple(plan.get("doc_codes") or ()) or (plan.get("row_number"),)
        if signature in groups[plan["plan_key"]]:
            duplicates += 1
            continue
        groups[plan["plan_key"]][signature] = plan
    result = []
    for key, by_signature in groups.items():
        for ordinal, signature in enumerate(sorted(by_signature, key=str), start=1):
            plan = by_signature[signature]
            plan["id"] = key if ordinal == 1 else f"{key}-{ordinal}"
            result.append(plan)
    return result, duplicates


def _signature(plan: dict) -> tuple:
    return tuple(plan.get("doc_codes") or ()) or (plan.get("row_number"),)


def plan_ids(plans: Iterable[dict]) -> tuple[dict[tuple, str], int, set[int]]:
    """:func:`assign_plan_ids` for a stream: (plan key, signature) -> id, the rows printed twice and the plan
    classes crawled, from one pass that keeps only keys and document codes (never the plans themselves)."""
    signatures: dict[str, set[tuple]] = defaultdict(set)
    duplicates = 0
    classes = set()
    for plan in plans:
        classes.add(plan["plan_class"])
        signature = _signature(plan)
        if signature in signatures[plan["plan_key"]]:
            duplicates += 1
        signatures[plan["plan_key"]].add(signature)
    ids = {}
    for key, found in signatures.items():
        for ordinal, signature in enumerate(sorted(found, key=str), start=1):
            ids[key, signature] = key if ordinal == 1 else f"{key}-{ordinal}"
    return ids, duplicates, classes


def unique_plans(plans: Iterable[dict], ids: dict[tuple, str]) -> Iterator[dict]:
    """The plans of a second pass with their ids, each once (the first of a row printed twice)."""
    seen = set()
    for plan in plans:
        key = plan["plan_key"], _signature(plan)
        if key not in seen:
            seen.add(key)
            plan["id"] = ids[key]
            yield plan


def plan_row(plan: dict, sample: bool) -> dict:
    capture = plan.get("capture") or {}
    codes = plan.get("doc_codes") or []
    return {
        "id": plan["id"],
        "plan_key": plan["plan_key"],
        "plan_class": plan["plan_class"],
        "prefecture": plan["prefecture"],
        "bureau": plan.get("bureau"),
        "facility_printed": plan["facility_printed"],
        "facility": plan["facility"],
        "facility_corporation": plan.get("facility_corporation") or None,
        "facility_key": plan["facility_key"],
        "address_printed": plan.get("address_printed") or None,
        "address": plan.get("address") or None,
        "therapy_printed": plan["therapy_printed"],
        "therapy": plan["therapy"],
        "doc_code": codes[0] if codes else None,
        "doc_codes": json.dumps(codes, ensure_ascii=False),
        "n_documents": len(plan.get("documents") or []),
        "other_cells": json.dumps(plan.get("other_cells") or {}, ensure_ascii=False),
        "row_number": plan.get("row_number"),
        "source_url": plan["source_url"],
        "fetched_at": plan["fetched_at"],
        "capture_record_id": capture.get("record_id"),
        "sample": int(sample),
    }


def with_history(plans: list[dict], context: BuildContext) -> list[dict]:
    """Rows for this run's plans plus every earlier plan, each with status, first_seen, last_seen, ended_at.

    A plan is never deleted. One that a *complete* crawl of its class no longer lists is marked ``ended`` on
    this run's date (the registry drops ended plans from its lists); after a failed or partial crawl, or for a
    class this run did not read, earlier plans are carried over exactly as they were.
    """
    return list(history_rows(plans, context, {p["plan_class"] for p in plans}))


def history_rows(plans: Iterable[dict], context: BuildContext, crawled_classes: set[int]) -> Iterator[dict]:
    """:func:`with_history` as a stream: this run's plans as they come, then the earlier plans not seen."""
    previous = {row["id"]: row for row in context.previous_rows("plans")}
    complete = "mhlw_plans" in context.complete_spiders
    seen = set()
    for plan in plans:
        row = plan_row(plan, context.sample)
        old = previous.get(row["id"])
        row["first_seen"] = (old or {}).get("first_seen") or context.run_at
        row["last_seen"] = context.run_at
        row["status"], row["ended_at"] = "current", None
        seen.add(row["id"])
        yield row
    for plan_id, old in previous.items():
        if plan_id in seen:
            continue
        row = {column: old.get(column) for column in PLAN_COLUMNS}
        row["status"] = old.get("status") or "current"
        row["first_seen"] = old.get("first_seen") or old.get("fetched_at")
        row["last_seen"] = old.get("last_seen") or old.get("fetched_at")
        if row["status"] == "current" and complete and row["plan_class"] in crawled_classes:
            row["status"], row["ended_at"] = "ended", context.run_at
        yield row


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    """Three passes over the plan items (ids; rows; documents), each streamed and inserted in batches, so
    memory holds plan keys and document codes, not the plans (issue 14)."""
    feed = items.get("plan", [])
    ids, duplicates, crawled_classes = plan_ids(feed)
    context.notes["duplicate_rows"] = duplicates
    db["plans"].create(PLAN_COLUMNS, pk="id")
    db["plans"].insert_all(history_rows(unique_plans(feed, ids), context, crawled_classes), batch_size=1000)
    context.notes["plans_ended"] = db.execute(
        "select count(*) from plans where status = 'ended' and ended_at = ?", [context.run_at]
    ).fetchone()[0]
    for column in ("prefecture", "plan_class", "bureau", "facility_key", "doc_code", "status"):
        db["plans"].create_index([column])
    # plans_fts (the trigram search index) is written by saisei.tables.search, after every table exists.
    db["plan_documents"].create(
        {"plan_id": str, "code": str, "number": int, "label": str, "url": str},
        pk=("plan_id", "code", "number"),
        foreign_keys=[("plan_id", "plans", "id")],
    )
    documents = (
        {"plan_id": p["id"], "code": d["code"], "number": d["number"], "label": d["label"], "url": d["url"]}
        for p in unique_plans(feed, ids)
        for d in p.get("documents") or []
    )
    db["plan_documents"].insert_all(documents, replace=True, batch_size=1000)
    # the documents of plans no longer listed stay with them, as the plans themselves do
    current = set(ids.values())
    db["plan_documents"].insert_all(
        (d for d in context.previous_rows("plan_documents") if d["plan_id"] not in current), replace=True
    )

