"""``saisei benchmark serve``: its sqlite3 baseline runs what the page runs, no more and no less."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from saisei.benchmarks.serve import clinic_columns, facet_sql, pages
from tests.views_world import InProcessDatasette, build_world


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("bench") / "world.db")
    site = InProcessDatasette(world, page_cache_mb=0)
    yield site
    site.close()


def test_the_faceted_table_runs_each_facet_of_the_baseline_once(site):
    """The page asked for is the table's own faceted view; each facet query of the baseline is run once (asking
    again for a facet the table already has made Datasette run and draw it twice)."""
    database = site.datasette.get_database(site.database)
    ran = []
    original = database.execute

    async def recording(sql, *args, **kwargs):
        ran.append(sql)
        return await original(sql, *args, **kwargs)

    database.execute = recording
    page = next(p for p in pages(Path(database.path), 5) if p.name == "faceted table")
    response = site.get(page.path(12))  # request 12 asks for 東京都, where the world has clinics
    assert "%E6%9D%B1%E4%BA%AC%E9%83%BD" in page.path(12)
    assert response.status_code == 200
    facets = [re.match(r"select (\w+) as value", sql).group(1) for sql, _ in facet_sql("東京都", clinic_columns(Path(database.path)))[2:]]
    run = [m.group(1) for sql in ran if (m := re.match(r"\s*select (\w+) as value, count", sql))]
    assert sorted(run) == sorted(facets) and len(set(run)) == len(run)
    assert response.text.count('class="facet-info ') == len(facets)


def test_the_faceted_tables_baseline_is_the_sql_datasette_runs(site):
    """Statement for statement, with the same values: the rows (in the table's own order, no other sort), the count
    and the facets; nothing the page does not run, whitespace aside."""
    database = site.datasette.get_database(site.database)
    page = next(p for p in pages(Path(database.path), 5) if p.name == "faceted table")
    site.get(page.path(12))  # the first request reads the schema and counts the tables
    ran = []
    original = database.execute

    async def recording(sql, params=None, *args, **kwargs):
        ran.append((" ".join(sql.split()), params))
        return await original(sql, params, *args, **kwargs)

    database.execute = recording
    try:
        assert site.get(page.path(12)).status_code == 200
    finally:
        database.execute = original
    baseline = [(" ".join(sql.split()), params) for sql, params in page.sql(12)]
    assert [statement for statement in ran if "sqlite_master" not in statement[0]] == baseline


def test_fresh_pages_are_rendered_for_every_request_and_kept_ones_are_not(tmp_path_factory):
    """The benchmark's fresh rows time the page rendered anew (its SQL run again), not a page kept in memory;
    the same page asked without the header is answered from memory after its first request."""
    from saisei.benchmarks.serve import FRESH_HEADERS

    world = build_world(tmp_path_factory.mktemp("fresh") / "world.db")
    site = InProcessDatasette(world)  # saisei serve's own page cache
    try:
        rendered = []
        original = site.datasette.render_template

        async def counting(*args, **kwargs):
            rendered.append(args[0])
            return await original(*args, **kwargs)

        site.datasette.render_template = counting
        searches = [p for p in pages(world, 5) if p.name == "analyst search"]
        assert [p.fresh for p in searches] == [False, True]
        kept, fresh = searches
        for _ in range(3):
            assert site.get(fresh.path(0), headers=FRESH_HEADERS).status_code == 200
        assert len(rendered) == 3
        for _ in range(3):
            assert site.get(kept.path(0)).status_code == 200
        assert len(rendered) == 3  # the last fresh page was kept and answers the others
        assert next(p for p in pages(world, 5) if p.name == "clinic page").fresh
    finally:
        site.close()


def test_every_page_can_be_picked_by_its_name(tmp_path):
    """``--page`` offers exactly the names of the pages measured, so none is left out of the choice."""
    from saisei.benchmarks.serve import PAGE_NAMES

    assert set(PAGE_NAMES) == {p.name for p in pages(tmp_path / "any.db", 5)}


def test_each_visitor_opens_its_own_connection_for_a_few_pages():
    """A client is visitors one after another: the same connection for VISIT_PAGES pages, then a new one (which
    the server accepts in whichever process is free), the old one closed."""
    from saisei.benchmarks.serve import VISIT_PAGES, Visitors

    visitors = Visitors(port=9)
    first = [visitors.connection() for _ in range(VISIT_PAGES)]
    second = visitors.connection()
    assert len({id(c) for c in first}) == 1 and second is not first[0]
    assert first[0].sock is None  # closed (never opened here: nothing listens on port 9)


def test_the_busiest_workers_share_of_the_servers_cpu():
    from saisei.benchmarks.serve import busiest_share

    assert busiest_share({1: 1.0, 2: 1.0}, {1: 3.0, 2: 2.0}) == 0.67
    assert busiest_share({1: 0.0}, {1: 0.0, 2: 0.5}) == 1.0  # a worker started after the first reading
    assert busiest_share({}, {}) is None


def test_worker_cpu_is_read_for_the_servers_children_only():
    """The server's workers are its child processes; their CPU time comes from /proc (Linux)."""
    import os
    import subprocess
    import sys

    from saisei.benchmarks.serve import worker_cpu_seconds

    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc")
    child = subprocess.Popen([sys.executable, "-c", "import time; sum(range(3_000_000)); time.sleep(5)"])
    try:
        used = worker_cpu_seconds(os.getpid())
        assert child.pid in used and all(seconds >= 0 for seconds in used.values())
        assert os.getpid() not in used
    finally:
        child.kill()
        child.wait()
