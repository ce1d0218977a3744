"""Build the SQLite database from a crawl with sqlite-utils, into a new file swapped in whole.

The previous database is never modified: a new file is written beside it and ``os.replace``d over it only
after it is complete, so readers (Datasette) see the old file or the new one, never a half-written one.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from saisei.crawl import CrawlResult

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
    "sample": int,
}


class BuildError(RuntimeError):
    """The database could not be built; the previous one, if any, is untouched."""


@dataclass
class BuildSummary:
    db_path: Path
    counts: dict[str, int]
    plans_by_class: dict[int, int]
    duplicate_rows: int


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


def previous_rows(db_path: Path, table: str) -> list[dict]:
    """Rows of a history table in the database being replaced, so history survives the rebuild."""
    if not db_path.exists():
        return []
    try:
        db = sqlite_utils.Database(db_path)
        rows = list(db[table].rows) if db[table].exists() else []
        db.close()
        return rows
    except Exception:  # an unreadable old database has no history to carry; the build itself goes on
        return []


def write_database(
    db_path: Path, result: CrawlResult, *, run_id: str, archive: str | None, sample: bool
) -> BuildSummary:
    """Write every table into ``<db>.tmp-<pid>``, check it, then swap it in."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")
    tmp_path.unlink(missing_ok=True)
    try:
        summary = _fill(tmp_path, db_path, result, run_id=run_id, archive=archive, sample=sample)
        os.replace(tmp_path, db_path)
    except Exception as error:
        tmp_path.unlink(missing_ok=True)
        if isinstance(error, BuildError):
            raise
        raise BuildError(f"could not write {db_path}: {error}") from error
    summary.db_path = db_path
    return summary


def _fill(tmp_path: Path, db_path: Path, result: CrawlResult, **run) -> BuildSummary:
    plans = [item for item in result.items() if item.get("record") == "plan"]
    plans, duplicates = assign_plan_ids(plans)
    db = sqlite_utils.Database(tmp_path)
    db["plans"].create(PLAN_COLUMNS, pk="id")
    db["plans"].insert_all((plan_row(p, run["sample"]) for p in plans), batch_size=1000)
    db["plans"].create_index(["prefecture"])
    db["plans"].create_index(["plan_class"])
    db["plans"].create_index(["facility_key"])
    db["plans"].create_index(["doc_code"])
    # Japanese has no spaces between words: a trigram index finds any 3+ character substring.
    db["plans"].enable_fts(["facility", "facility_key", "therapy", "address", "prefecture"], tokenize="trigram")
    db["plan_documents"].insert_all(
        (
            {"plan_id": p["id"], "code": d["code"], "number": d["number"], "label": d["label"], "url": d["url"]}
            for p in plans
            for d in p.get("documents") or []
        ),
        pk=("plan_id", "code", "number"),
        foreign_keys=[("plan_id", "plans", "id")],
        replace=True,
    )
    if not db["plan_documents"].exists():
        db["plan_documents"].create(
            {"plan_id": str, "code": str, "number": int, "label": str, "url": str}, pk=("plan_id", "code", "number")
        )
    _write_runs(db, db_path, result, **run)
    db.conn.execute("PRAGMA user_version = 1")
    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise BuildError("the new database failed SQLite's integrity check")
    counts = {name: db[name].count for name in db.table_names() if "_fts" not in name}
    by_class = dict(db.execute("select plan_class, count(*) from plans group by plan_class").fetchall())
    db.close()
    return BuildSummary(db_path, counts, by_class, duplicates)


def _write_runs(db, db_path: Path, result: CrawlResult, *, run_id, archive, sample) -> None:
    """crawl_runs and crawl_problems: this build's rows added to those of the database being replaced."""
    runs = previous_rows(db_path, "crawl_runs")
    problems = previous_rows(db_path, "crawl_problems")
    for run in result.runs:
        runs.append(
            {
                "id": f"{run_id}/{run.spider}",
                "run_id": run_id,
                "spider": run.spider,
                "started_at": run.started_at,
                "finished_at": run.finished_at,
                "status": "ok" if run.ok else "partial",
                "finish_reason": run.finish_reason,
                "pages": run.pages,
                "items": run.items,
                "errors": run.errors,
                "warnings": run.warnings,
                "archive": archive,
                "sample": int(sample),
                "stats": json.dumps(run.stats, ensure_ascii=False, default=str),
            }
        )
        problems.extend({"run_id": run_id, "spider": run.spider, **problem} for problem in run.problems)
    db["crawl_runs"].insert_all(runs, pk="id", replace=True)
    if problems:
        db["crawl_problems"].insert_all(problems)
    else:
        db["crawl_problems"].create(
            {"run_id": str, "spider": str, "url": str, "kind": str, "severity": str, "message": str}
        )
