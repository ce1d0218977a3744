"""The schema version of a saisei database, written by every build and checked by every reader.

``saisei build`` stamps ``PRAGMA user_version``; ``saisei serve`` and ``saisei verify`` refuse a database
stamped with an older version instead of serving or rewriting tables whose shape they no longer know. Raise
:data:`SCHEMA_VERSION` whenever a build changes a table's columns or meaning.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SCHEMA_VERSION = 3


class OldSchemaError(RuntimeError):
    """The database was built by an older saisei."""


def schema_version(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def require_current(db_path: Path) -> Path:
    """``db_path`` when its schema is the one this saisei writes; else :class:`OldSchemaError`, saying what to do."""
    found = schema_version(db_path)
    if found < SCHEMA_VERSION:
        raise OldSchemaError(
            f"{db_path} has schema version {found}, older than the {SCHEMA_VERSION} this saisei reads: "
            f"rebuild it with `saisei build --db {db_path}` (add --offline for the bundled archive)"
        )
    return db_path
