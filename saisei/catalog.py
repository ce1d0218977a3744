"""Datasette's catalog of the served build, read once per server process instead of on every request.

Datasette 0.65 starts every page by refreshing its internal catalog (``Datasette.refresh_schemas``): a query on
the catalog and ``PRAGMA schema_version`` on each database, three trips through the SQL threads before the page's
own SQL (``?_trace=1`` on the analyst search lists them; under 8 clients each trip queues behind other pages'
queries, issue 14). ``saisei serve`` opens the build ``--immutable`` and serves a new build from a new server
process (saisei.follow), so one process only ever sees one build and its schemas cannot change: the catalog is
read once, when the process starts, and later refreshes have nothing to do. A Datasette with a database that can
change (a mutable file, an in-memory database) refreshes on every request as Datasette does.

For the same reason each database's answers about its own schema are kept (:func:`keep_schema_answers`): a table
page of 0.65 asks its table's columns, keys, foreign keys and definition, and whether it exists, in 14 trips to the
SQL threads besides its 4 queries (the faceted clinics table), each trip queued behind other pages' queries.
"""

from __future__ import annotations

import copy
import functools
import re

from datasette.database import Results

#: Datasette's own catalog database, which it creates and fills itself
INTERNAL = "_internal"


def is_one_build(datasette) -> bool:
    """Every database served is an immutable file: nothing can change a schema while this process serves it."""
    served = [db for name, db in datasette.databases.items() if name != INTERNAL]
    return bool(served) and not any(db.is_mutable or db.is_memory for db in served)


#: Database methods that read only the schema (Datasette 0.65): one build's answers are the same on every call
SCHEMA_METHODS = (
    "attached_databases", "table_exists", "table_names", "table_columns", "table_column_details", "primary_keys",
    "fts_table", "label_column_for_table", "foreign_keys_for_table", "hidden_table_names", "view_names",
    "get_all_foreign_keys", "get_table_definition", "get_view_definition",
)
#: a statement that reads sqlite_master and nothing else (Datasette's own look-ups of a table by name)
_SCHEMA_ONLY = re.compile(r"\s*select\b(?:(?!\b(?:from|join)\b).)*\bfrom\s+sqlite_master\b"
                          r"(?:(?!\b(?:from|join|select)\b).)*", re.I | re.S)


def _kept(method):
    """``method`` (a coroutine of hashable arguments) answering each call from the first answer to the same
    arguments; a copy, so that no caller's change to it reaches the next."""
    answers = {}

    @functools.wraps(method)
    async def kept(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        if key not in answers:
            answers[key] = await method(*args, **kwargs)
        return copy.deepcopy(answers[key])

    return kept


def _schema_queries_kept(execute):
    """``Database.execute``, with the answers to statements that read only ``sqlite_master`` kept (their rows
    copied into each answer, as :func:`_kept` copies)."""
    answers = {}

    @functools.wraps(execute)
    async def answer(sql, params=None, *args, **kwargs):
        if args or kwargs or not _SCHEMA_ONLY.fullmatch(sql):
            return await execute(sql, params, *args, **kwargs)
        key = (sql, tuple(sorted(params.items())) if isinstance(params, dict) else tuple(params or ()))
        if key not in answers:
            answers[key] = await execute(sql, params)
        first = answers[key]
        return Results(list(first.rows), first.truncated, first.description)

    return answer


def keep_schema_answers(db) -> None:
    """Answer this database's schema questions (:data:`SCHEMA_METHODS`, statements on ``sqlite_master`` alone)
    from what it answered first: only for a file that cannot change while this process serves it."""
    for name in SCHEMA_METHODS:
        setattr(db, name, _kept(getattr(db, name)))
    db.execute = _schema_queries_kept(db.execute)


async def _already_read() -> None:
    """The refresh of a catalog read at start-up: the build's schemas are the ones read then."""


async def read_catalog_once(datasette) -> bool:
    """Fill Datasette's catalog now and make every later refresh a no-op, when the databases cannot change.

    Returns whether it did (False leaves Datasette refreshing per request)."""
    if not is_one_build(datasette):
        return False
    await datasette.refresh_schemas()
    datasette.refresh_schemas = _already_read
    for name, db in datasette.databases.items():
        if name != INTERNAL:
            keep_schema_answers(db)
    return True
