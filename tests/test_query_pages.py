"""saisei.query_pages: a canned query's HTML page is Datasette's own, byte for byte, with its cells written in
one pass."""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import pytest
from datasette import hookimpl
from datasette.plugins import pm
from datasette.views.table import TableView
from markupsafe import Markup

from saisei.queries import canned_queries
from saisei.query_pages import CannedQueryView, OnePassQueryView, canned_query_route
from tests.views_world import InProcessDatasette, build_world

QUOTE = urllib.parse.quote
PATHS = [
    "/world/search?q=PRP",
    "/world/search?q=" + QUOTE("港区"),  # short terms
    "/world/search?q=" + QUOTE("そんな名前はない"),  # no rows
    "/world/search",  # no parameter at all
    "/world/search?q=PRP&_show_sql=1",
    "/world/find_clinic?area=" + QUOTE("東京") + "&therapy=&condition=",
    *[f"/world/{name}" for name in canned_queries() if name not in ("search", "find_clinic")],
    "/world/plans_by_class?_hide_sql=1",
    "/world/changes_between_crawls?_size=2&extra=ignored",
]


def _untimed(html: str) -> str:
    """The page without the time its queries took (the one thing two renderings of a page differ by)."""
    return re.sub(r"took [0-9.]+ms", "took …ms", html)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    world = build_world(tmp_path_factory.mktemp("query-pages") / "world.db")
    site = InProcessDatasette(world, page_cache_mb=0)
    yield site
    site.close()


@pytest.mark.parametrize("path", PATHS)
def test_a_canned_query_page_is_datasettes_own(site, path, monkeypatch):
    """Each canned query's page, with and without its parameters, rows or SQL shown, is the page Datasette's own
    table and query views write for the same request."""
    calls = []
    original = OnePassQueryView.data

    async def counted(self, *args, **kwargs):
        calls.append(args)
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(OnePassQueryView, "data", counted)
    ours = site.get(path)
    assert calls, "the page should have been written by saisei.query_pages"
    monkeypatch.setattr(CannedQueryView, "data", TableView.data)  # Datasette's own views, same request
    datasettes = site.get(path)
    assert ours.status_code == datasettes.status_code == 200
    assert _untimed(ours.text) == _untimed(datasettes.text)
    assert ours.headers.get("link") == datasettes.headers.get("link")


def test_links_and_empty_cells_are_rendered_as_datasette_renders_them(site):
    """The analyst search's clinic and plan columns are the plugin's links, empty cells Datasette's &nbsp;."""
    html = site.get("/world/search?q=PRP").text
    assert '<td class="col-clinic_page"><a href="/clinic/' in html
    assert '<td class="col-plan"><a href="/world/plans/' in html
    assert "<td class=\"col-plan_class\">&nbsp;</td>" in html


def test_json_csv_and_tables_are_left_to_datasette():
    """Only the canned queries' HTML pages are routed here."""
    route = re.compile(canned_query_route(canned_queries()))
    assert route.match("/world/search") and route.match("/saisei/find_clinic")
    for path in ("/world/search.json", "/world/search.csv", "/world/clinics", "/world/searches", "/-/metadata",
                 "/world/search/extra"):
        assert not route.match(path), path


class _OtherPlugin:
    """Another plugin's cells, asked before saisei's: prefectures (by an awaitable), the clinic links saisei's
    plugin would write, names (by a callable) and nothing for plans (by an awaitable of None)."""

    @hookimpl(tryfirst=True)
    def render_cell(self, value, column):
        if column == "prefecture" and value:
            async def bold():
                return Markup(f"<b>{value}</b>")
            return bold()
        if column == "clinic_page" and value:
            return Markup(f"<i>{value}</i>")
        if column == "name" and value:  # a callable, which Datasette calls
            return lambda: Markup(f"<u>{value}</u>")
        if column == "plan":  # an awaitable that says nothing: the next plugin (saisei's link) is asked
            async def nothing():
                return None
            return nothing()
        return None


class _ArgumentlessPlugin:
    @hookimpl
    def render_cell(self):
        return None


@pytest.mark.parametrize("path", ["/world/search?q=PRP", "/world/find_clinic"])
def test_other_plugins_cells_are_rendered_as_datasette_would(site, path, monkeypatch):
    """With more render_cell implementations (one first, one taking no arguments, one answering with an
    awaitable), the page is still Datasette's own: the same plugin wins each cell."""
    for plugin, name in ((_OtherPlugin(), "other-cells"), (_ArgumentlessPlugin(), "argumentless-cells")):
        pm.register(plugin, name=name)
    try:
        ours = site.get(path).text
        assert "<b>" in ours and ('<td class="col-clinic_page"><i>' in ours or "clinic_page" not in ours)
        assert "<u>" in ours or "col-name" not in ours
        monkeypatch.setattr(CannedQueryView, "data", TableView.data)
        assert _untimed(ours) == _untimed(site.get(path).text)
    finally:
        pm.unregister(name="other-cells")
        pm.unregister(name="argumentless-cells")


def test_the_public_profiles_search_page_is_datasettes_own(site, monkeypatch):
    """In public (arbitrary SQL off), the page has no Edit SQL link, as Datasette's own has none."""
    import asyncio

    from saisei.serve import make_datasette

    datasette = make_datasette(Path(site.datasette.get_database(site.database).path), public=True, page_cache_mb=0)
    path = "/world/search?q=PRP"

    async def both():
        await datasette.invoke_startup()
        ours = await datasette.client.get(path)
        monkeypatch.setattr(CannedQueryView, "data", TableView.data)
        return ours, await datasette.client.get(path)

    ours, datasettes = asyncio.run(both())
    assert ours.status_code == datasettes.status_code == 200
    assert "canned-query-edit-sql" not in ours.text
    assert _untimed(ours.text) == _untimed(datasettes.text)
