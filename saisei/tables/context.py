"""What every table writer gets besides the items: which run this is, where it came from, what came before."""

from __future__ import annotations

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
    #: numbers a writer wants in the build summary, e.g. {"duplicate_rows": 1}
    notes: dict = field(default_factory=dict)

    def previous_rows(self, table: str) -> list[dict]:
        """Rows of ``table`` in the database being replaced ([] when there is none or it is unreadable)."""
        return previous_rows(self.previous_db, table)


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
