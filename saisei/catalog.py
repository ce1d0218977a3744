"""Datasette's catalog of the served build, read once per server process instead of on every request.

Datasette 0.65 starts every page by refreshing its internal catalog (``Datasette.refresh_schemas``): a query on
the catalog and ``PRAGMA schema_version`` on each database, three trips through the SQL threads before the page's
own SQL (``?_trace=1`` on the analyst search lists them; under 8 clients each trip queues behind other pages'
queries, issue 14). ``saisei serve`` opens the build ``--immutable`` and serves a new build from a new server
process (saisei.follow), so one process only ever sees one build and its schemas cannot change: the catalog is
read once, when the process starts, and later refreshes have nothing to do. A Datasette with a database that can
change (a mutable file, an in-memory database) refreshes on every request as Datasette does.
"""

from __future__ import annotations

#: Datasette's own catalog database, which it creates and fills itself
INTERNAL = "_internal"


def is_one_build(datasette) -> bool:
    """Every database served is an immutable file: nothing can change a schema while this process serves it."""
    served = [db for name, db in datasette.databases.items() if name != INTERNAL]
    return bool(served) and not any(db.is_mutable or db.is_memory for db in served)


async def _already_read() -> None:
    """The refresh of a catalog read at start-up: the build's schemas are the ones read then."""


async def read_catalog_once(datasette) -> bool:
    """Fill Datasette's catalog now and make every later refresh a no-op, when the databases cannot change.

    Returns whether it did (False leaves Datasette refreshing per request)."""
    if not is_one_build(datasette):
        return False
    await datasette.refresh_schemas()
    datasette.refresh_schemas = _already_read
    return True
