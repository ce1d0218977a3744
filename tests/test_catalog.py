"""saisei.catalog: an immutable build's catalog is read once per process; a database that can change is not."""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.parse

import pytest
from datasette.app import Datasette

from saisei.paths import PLUGINS_DIR
from tests.views_world import InProcessDatasette, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("catalog") / "world.db")


def _recording(datasette) -> list[str]:
    """Every SQL statement any database of this Datasette runs from now on."""
    ran = []
    for database in datasette.databases.values():
        original = database.execute

        async def recording(sql, *args, _original=original, **kwargs):
            ran.append(" ".join(sql.split()))
            return await _original(sql, *args, **kwargs)

        database.execute = recording
    return ran


def test_a_page_of_an_immutable_build_runs_only_its_own_sql(world):
    """The analyst search runs its search and nothing else: no catalog query, no PRAGMA schema_version."""
    site = InProcessDatasette(world, page_cache_mb=0)
    try:
        site.get("/world/search")  # the first request counts the tables (Datasette's start-up, once)
        ran = _recording(site.datasette)
        for term in ("PRP", "港区"):
            assert site.get("/world/search?q=" + urllib.parse.quote(term)).status_code == 200
        assert len(ran) == 2 and all(sql.startswith("with recursive split") for sql in ran), ran
        # the catalog was filled, once: Datasette's pages that read it still list the build's tables
        catalog = site.datasette.get_database("_internal")
        tables = site.loop.run_until_complete(catalog.execute(
            "select table_name from tables where database_name = 'world'")).rows
        assert {"clinics", "plans"} <= {row[0] for row in tables}
    finally:
        site.close()


def test_a_database_that_can_change_is_refreshed_on_every_request(tmp_path):
    """A mutable database (not how saisei serves, but Datasette's default) keeps Datasette's per-request check,
    so a table created while it serves reaches the catalog."""
    path = tmp_path / "live.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table first (id integer)")
    datasette = Datasette([str(path)], plugins_dir=str(PLUGINS_DIR))

    async def scenario():
        await datasette.invoke_startup()
        await datasette.client.get("/live.json")
        ran = _recording(datasette)
        assert (await datasette.client.get("/live.json")).status_code == 200
        assert any("schema_version" in sql for sql in ran)
        with sqlite3.connect(path) as conn:
            conn.execute("create table second (id integer)")
        await datasette.client.get("/live.json")
        rows = (await datasette.get_database("_internal").execute(
            "select table_name from tables where database_name = 'live'")).rows
        return {row[0] for row in rows}

    assert asyncio.run(scenario()) == {"first", "second"}


def _trips(datasette) -> list[str]:
    """Every trip any database of this Datasette makes to its SQL threads from now on (a statement, or the name of
    the function a schema look-up runs there)."""
    trips = []
    for database in datasette.databases.values():
        original = database.execute_fn

        async def recording(fn, _original=original):
            trips.append(fn.__qualname__)
            return await _original(fn)

        database.execute_fn = recording
    return trips


def test_a_table_page_of_an_immutable_build_asks_its_schema_once(world):
    """The faceted clinics table runs its count, its rows and its facets; its table's columns, keys, foreign keys,
    definition and existence are answered from the first request's answers, and the page is the same."""
    site = InProcessDatasette(world, page_cache_mb=0)
    path = "/world/clinics?" + urllib.parse.urlencode({"prefecture": "東京都"})
    try:
        first = site.get(path).text
        trips = _trips(site.datasette)
        again = site.get(path).text
        facets = len(site.datasette.table_metadata("world", "clinics")["facets"])
        assert trips == ["Database.execute.<locals>.sql_operation_in_thread"] * (2 + facets), trips
        assert again.split("Queries took")[0] == first.split("Queries took")[0]
        other = site.get("/world/plans").text  # another table's schema is its own
        assert 'data-column="bureau"' in other and 'data-column="name_printed"' not in other
    finally:
        site.close()


def test_schema_answers_are_copies(world):
    """A caller that changes what a kept answer gave it does not change the next caller's answer."""
    site = InProcessDatasette(world, page_cache_mb=0)
    try:
        site.get("/world/clinics")
        db = site.datasette.get_database("world")
        columns = site.loop.run_until_complete(db.table_columns("clinics"))
        columns.append("not a column")
        assert "not a column" not in site.loop.run_until_complete(db.table_columns("clinics"))
        rows = site.loop.run_until_complete(db.execute("select name from sqlite_master where type = 'table'")).rows
        rows.clear()
        assert site.loop.run_until_complete(db.execute("select name from sqlite_master where type = 'table'")).rows
    finally:
        site.close()
