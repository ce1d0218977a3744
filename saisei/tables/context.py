"""What every table writer gets besides the items: which run this is, where it came from, what came before."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils


@dataclass
class BuildContext:
    run_id: str
    archive: str | None
    sample: bool
    #: the database being replaced (may not exist): writers that keep history read it, never write it
    previous_db: Path
    #: when this run started, ISO 8601 UTC: the date of "first seen", "ended", and of every change
    run_at: str = ""
    #: spiders whose crawl finished cleanly this run; only a complete crawl may end records it no longer sees
    complete_spiders: set[str] = field(default_factory=set)
    #: how this run is published: "ok", or "forced" past failed checks (with the reason)
    status: str = "ok"
    reason: str = ""
    #: refused runs from the ledger, which crawl_runs records once a run is published
    unpublished: list[dict] = field(default_factory=list)
    #: numbers a writer wants in the build summary, e.g. {"duplicate_rows": 1}
    notes: dict = field(default_factory=dict)
    _previous: dict[str, list[dict]] = field(default_factory=dict, repr=False)

    def previous_rows(self, table: str) -> list[dict]:
        """Rows of ``table`` in the database being replaced ([] when there is none or it is unreadable).

        Read once per build (several writers and the history diff ask for the same tables); each caller gets
        its own copies of the rows, so one writer's changes never leak into another's view of the past.
        """
        if table not in self._previous:
            self._previous[table] = previous_rows(self.previous_db, table)
        return [dict(row) for row in self._previous[table]]

    def iter_previous(self, table: str, order_by: str | None = None) -> Iterator[dict]:
        """Rows of ``table`` in the database being replaced, streamed and not kept: for the tables that grow with
        the number of clinics, which :meth:`previous_rows` would hold whole (nothing when there is none)."""
        if not self.previous_db.exists():
            return
        try:
            db = sqlite_utils.Database(self.previous_db)
            rows = db[table].rows_where(order_by=order_by) if db[table].exists() else iter(())
        except Exception:  # an unreadable old database has no history to carry; the build itself goes on
            return
        try:
            yield from rows
        except Exception:  # unreadable part way: what was read is all there is
            return
        finally:
            db.close()


def previous_rows(db_path: Path, table: str) -> list[dict]:
    """Rows of a table in a database file, so history survives the rebuild that replaces it."""
    if not db_path.exists():
        return []
    try:
        db = sqlite_utils.Database(db_path)
        rows = list(db[table].rows) if db[table].exists() else []
        db.close()
        return rows
    except Exception:  # an unreadable old database has no history to carry; the build itself goes on
        return []
