"""Build the SQLite database from a crawl with sqlite-utils, into a new file swapped in whole.

The previous database is never modified: a new file is written beside it and ``os.replace``d over it only
after it is complete, so readers (Datasette) see the old file or the new one, never a half-written one.
The tables themselves are written by the modules of :mod:`saisei.tables`, in the order ``WRITERS`` gives.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from saisei.crawl import CrawlResult
from saisei.feeds import ItemFeeds
from saisei.schema import SCHEMA_VERSION
from saisei.tables import WRITERS
from saisei.tables.context import BuildContext


class BuildError(RuntimeError):
    """The database could not be built; the previous one, if any, is untouched."""


@dataclass
class BuildSummary:
    db_path: Path
    counts: dict[str, int]
    plans_by_class: dict[int, int]
    notes: dict


def write_database(
    db_path: Path,
    result: CrawlResult,
    *,
    run_id: str,
    archive: str | None,
    sample: bool,
    run_at: str = "",
    status: str = "ok",
    reason: str = "",
    unpublished: list[dict] | None = None,
    stage=lambda name: nullcontext(),
) -> BuildSummary:
    """Write every table into ``.<db>.tmp-<pid>``, check it, then swap it in.

    ``stage(name)`` is entered around each writer (named by its module), so ``saisei benchmark build`` can time
    and measure each one without a copy of this loop.
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_path = db_path.with_name(f".{db_path.name}.tmp-{os.getpid()}")
    tmp_path.unlink(missing_ok=True)
    context = BuildContext(
        run_id=run_id,
        archive=archive,
        sample=sample,
        previous_db=db_path,
        run_at=run_at or (result.runs[0].started_at if result.runs else ""),
        complete_spiders={run.spider for run in result.runs if run.ok},
        status=status,
        reason=reason,
        unpublished=unpublished or [],
    )
    try:
        summary = _fill(tmp_path, result, context, stage)
        os.replace(tmp_path, db_path)
    except Exception as error:
        tmp_path.unlink(missing_ok=True)
        if isinstance(error, BuildError):
            raise
        raise BuildError(f"could not write {db_path}: {error}") from error
    summary.db_path = db_path
    return summary


def group_items(result: CrawlResult) -> ItemFeeds:
    """Record kind -> its items, streamed from the run's feed files when a writer iterates them (saisei.feeds)."""
    return ItemFeeds.from_dir(result.items_dir)


def _fill(tmp_path: Path, result: CrawlResult, context: BuildContext,
          stage: Callable[[str], AbstractContextManager]) -> BuildSummary:
    items = group_items(result)
    db = sqlite_utils.Database(tmp_path)
    for write in WRITERS:
        with stage(write.__module__.rsplit(".", 1)[-1]):
            write(db, items, context)
    _write_runs(db, result, context)
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise BuildError("the new database failed SQLite's integrity check")
    counts = {name: db[name].count for name in db.table_names() if "_fts" not in name and not name.startswith("sqlite_")}
    by_class = dict(
        db.execute("select plan_class, count(*) from plans where status = 'current' group by plan_class").fetchall()
    )
    db.close()
    return BuildSummary(tmp_path, counts, by_class, context.notes)


def _write_runs(db, result: CrawlResult, context: BuildContext) -> None:
    """crawl_runs and crawl_problems: earlier rows, refused runs from the ledger, then this build's rows."""
    runs = context.previous_rows("crawl_runs")
    problems = context.previous_rows("crawl_problems")
    known = {row["run_id"] for row in runs}
    for entry in context.unpublished:
        if entry["run_id"] in known:
            continue
        for spider in entry.get("spiders", []):
            runs.append(
                {
                    "id": f"{entry['run_id']}/{spider['spider']}",
                    "run_id": entry["run_id"],
                    "spider": spider["spider"],
                    "started_at": entry.get("started_at"),
                    "finished_at": entry.get("finished_at"),
                    "status": "failed",
                    "reason": entry.get("reason"),
                    "finish_reason": spider.get("finish_reason"),
                    "pages": spider.get("pages"),
                    "items": spider.get("items"),
                    "errors": spider.get("errors"),
                    "warnings": spider.get("warnings"),
                    "archive": entry.get("archive"),
                }
            )
    for run in result.runs:
        runs.append(
            {
                "id": f"{context.run_id}/{run.spider}",
                "run_id": context.run_id,
                "spider": run.spider,
                "started_at": run.started_at,
                "finished_at": run.finished_at,
                "status": context.status,
                "reason": context.reason or None,
                "finish_reason": run.finish_reason,
                "pages": run.pages,
                "items": run.items,
                "errors": run.errors,
                "warnings": run.warnings,
                "archive": context.archive,
                "sample": int(context.sample),
                "stats": json.dumps(run.stats, ensure_ascii=False, default=str),
            }
        )
        problems.extend({"run_id": context.run_id, "spider": run.spider, **p} for p in run.problems)
    db["crawl_runs"].create(
        {
            "id": str, "run_id": str, "spider": str, "started_at": str, "finished_at": str, "status": str,
            "reason": str, "finish_reason": str, "pages": int, "items": int, "errors": int, "warnings": int,
            "archive": str, "sample": int, "stats": str,
        },
        pk="id",
    )
    db["crawl_runs"].insert_all(runs, replace=True, alter=True)
    db["crawl_problems"].create(
        {"run_id": str, "spider": str, "url": str, "kind": str, "severity": str, "message": str}
    )
    db["crawl_problems"].insert_all(problems, alter=True)
