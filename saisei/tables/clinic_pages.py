"""Table ``clinic_pages``: everything a clinic page shows, one JSON row per clinic, written at build time.

Assembling the page takes a dozen queries (the clinic, its offerings, verdicts, listings, prices and flags, then
each plan with its documents and filed prices); through Datasette's thread pool that cost more than the page
itself under load (issue 14). The build runs the page's own assembly, :func:`saisei.views.assemble_context`,
once per clinic over the finished database, so the page and this table cannot disagree, and the request is
one primary-key look-up. Written after :mod:`saisei.tables.cards`, and again by ``saisei verify``.

Clinics are read one at a time and the rows inserted in batches, so memory does not grow with the number of
clinics.
"""

from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace

import sqlite_utils

from saisei.tables.context import BuildContext
from saisei.views import assemble_context

BATCH = 500
#: stored beside the page: the analyst can find a clinic's page without parsing JSON
PAGE_COLUMNS = {"id": str, "page": str}


class _Reader:
    """The two calls :func:`assemble_context` makes on a Datasette database, over a plain sqlite3 connection.

    The tables a page reads do not change while the pages are written, so a query without parameters (the
    therapy labels, the same for every clinic) is answered once, not once a clinic.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.cursor = conn.cursor()
        self.cursor.row_factory = sqlite3.Row
        self.tables = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
        self.constant: dict[str, list[sqlite3.Row]] = {}
        self.queries = 0

    async def table_names(self) -> list[str]:
        return self.tables

    async def execute(self, sql: str, params: dict | None = None):
        if params:
            self.queries += 1
            return SimpleNamespace(rows=self.cursor.execute(sql, params).fetchall())
        if sql not in self.constant:
            self.queries += 1
            self.constant[sql] = self.cursor.execute(sql).fetchall()
        return SimpleNamespace(rows=self.constant[sql])


def page_rows(db: sqlite_utils.Database):
    """(id, page JSON) per clinic, in id order, assembled one clinic at a time."""
    ids = [r[0] for r in db.execute("select id from clinics order by id")]
    reader = _Reader(db.conn)
    for clinic_id in ids:
        context = _complete(assemble_context(reader, clinic_id))
        if context is not None:
            yield {"id": clinic_id, "page": json.dumps(context, ensure_ascii=False, separators=(",", ":"))}


def _complete(coroutine):
    """Run a coroutine that never waits (the reader answers at once) without an event loop per clinic."""
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise RuntimeError("assemble_context waited on something the build's reader cannot provide")


def write_pages(db: sqlite_utils.Database) -> int:
    """(Re)write ``clinic_pages``; returns the number of pages."""
    db.execute("drop table if exists clinic_pages")
    db["clinic_pages"].create(PAGE_COLUMNS, pk="id")
    if db["clinics"].exists():
        db["clinic_pages"].insert_all(page_rows(db), batch_size=BATCH)
    return db["clinic_pages"].count


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    context.notes["clinic_pages"] = write_pages(db)
