"""Patient and analyst views: canned queries, the clinic page, the map, robots, and graceful degradation."""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
import sqlite_utils

from saisei.crawl import REGISTRY_SPIDERS, CrawlResult
from saisei.database import write_database
from saisei.queries import canned_queries
from saisei.schema import SCHEMA_VERSION, schema_version
from saisei.serve import build_metadata, datasette_args, read_schema
from tests.views_world import InProcessDatasette, build_world, hostile_text


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("views") / "world.db")


@pytest.fixture(scope="module")
def site(world):
    site = InProcessDatasette(world)
    yield site
    site.close()


def query(site, name: str, **params) -> list[dict]:
    return site.json(f"/world/{name}.json?_shape=array&{urllib.parse.urlencode(params)}")


def page(site, path: str) -> str:
    response = site.get(path)
    assert response.status_code == 200, response.text[:1000]
    return response.text


# -- patient view ------------------------------------------------------------------------------------------


def find(site, area="", therapy="", condition="") -> list[dict]:
    return query(site, "find_clinic", area=area, therapy=therapy, condition=condition)


def test_find_a_clinic_by_area_therapy_and_condition(site):
    rows = find(site, area="東京都", therapy="脂肪", condition="膝")
    assert {(r["clinic_page"], r["verdict"]) for r in rows} == {
        ("c-minato", "registered"),
        ("c-luminous", "not_found"),
    }
    assert all(r["therapy_en"] == "Adipose-derived stem cells (cultured)" for r in rows)
    assert {r["registry"] for r in rows} == {"plan on file / 計画あり", "no plan found / 計画なし"}


def test_find_a_clinic_in_english_and_by_code(site):
    rows = find(site, area="osaka", therapy="stem cells")
    assert {r["clinic_page"] for r in rows} == {"c-hoshi", "c-evil"}
    assert {r["clinic_page"] for r in find(site, therapy="exosome")} == {"c-aoba"}
    assert {r["clinic_page"] for r in find(site, area="港区")} == {"c-minato"}  # a two-character ward


def test_find_a_clinic_with_nothing_filled_in_lists_everything(site):
    assert len(find(site)) == 6


def test_find_a_clinic_page_links_to_clinic_pages(site):
    html = page(site, "/world/find_clinic?area=" + urllib.parse.quote("東京都") + "&therapy=&condition=")
    assert 'href="/clinic/c-minato"' in html
    assert "<title>Find a clinic / クリニックを探す — world</title>" in html  # not the SQL


def test_clinic_page_registered(site):
    html = page(site, "/clinic/c-minato")
    # the verdict per therapy, in plain Japanese and English
    assert "この治療の再生医療等提供計画が提出されています。" in html
    assert "A provision plan for this therapy is on file." in html
    assert "脂肪由来幹細胞（培養）" in html and "PRP into the joint" in html
    # the plan behind it, with the official list and document links
    assert 'href="/world/plans/p-minato-asc"' in html
    assert 'href="https://saiseiiryo.mhlw.go.jp/published_plan/index/2"' in html
    assert 'href="https://saiseiiryo.mhlw.go.jp/published_plan/download/01C2404901/5/1"' in html
    # prices with their source, the date last checked, and what "registered" means
    assert "¥550,000–980,000" in html and "¥55,000" in html
    assert 'href="https://c-minato.example/price"' in html
    assert "2026-11-21" in html
    assert "not evidence that the treatment works or is safe" in html
    assert "治療が効くことや安全であることを示すものではありません" in html
    assert "SAMPLE DATA" in html


def test_clinic_page_not_found_with_flag(site):
    html = page(site, "/clinic/c-luminous")
    assert "No plan for this therapy was found on the official lists." in html
    assert "この治療の計画は公開リストに見つかりません。" in html
    assert "Says &#39;approved&#39; or &#39;licensed&#39;" in html and "「厚生労働省認可」と表示" in html
    assert "¥1,650,000" in html
    # the clinic's site and two directory listings advertise one therapy: one verdict, naming all three sources
    assert html.count('<section class="verdict') == 1
    assert html.count("No plan for this therapy was found on the official lists.") == 1
    sources = html.split("Advertised on / 掲載元:", 1)[1].split("</p>", 1)[0]
    assert "the clinic's website" in sources and sources.count("a directory / 紹介サイト") == 2
    assert 'href="https://knee-guide.example/tokyo/"' in sources
    assert 'href="https://knee-guide.example/stem-cells/"' in sources


def test_clinic_page_other_therapy_and_outside_asrm(site):
    html = page(site, "/clinic/c-hoshi")
    assert "but for a different therapy" in html
    assert 'href="/world/plans/p-hoshi-prp"' in html  # the plan it does have
    assert "outside the Act" in page(site, "/clinic/c-aoba")


def test_cell_links_are_escaped_as_markups_format_escaped_them(site):
    """render_cell builds its links with an f-string over escape() (it runs for every cell of a page): the same
    HTML as Markup('<a href="{}">{}</a>').format(url, text), hostile ids and names included."""
    from datasette.plugins import pm
    from markupsafe import Markup

    datasette = site.datasette

    def cell(column, value, table=None, row=None):
        return next(c for c in pm.hook.render_cell(row=row or {}, value=value, column=column, table=table,
                                                   database=site.database, datasette=datasette) if c is not None)

    hostile = 'x"><script>&amp;'
    fmt = Markup('<a href="{}">{}</a>').format
    assert cell("plan", hostile) == fmt(datasette.urls.row(site.database, "plans", hostile), hostile)
    assert cell("plan", 42) == fmt(datasette.urls.row(site.database, "plans", "42"), 42)
    assert cell("clinic_id", hostile) == fmt(datasette.urls.path(f"/clinic/{hostile}"), hostile)
    assert cell("clinic_page", "c-1") == fmt("/clinic/c-1", Markup("clinic page / 詳細"))
    assert cell("name_printed", hostile, "clinics", {"id": "c-2"}) == fmt("/clinic/c-2", hostile)
    assert "<script>" not in cell("plan", hostile)


def test_clinics_link_to_their_clinic_pages_everywhere(site):
    assert 'href="/clinic/c-minato">医療法人社団湊光会' in page(site, "/world/clinics")
    assert 'href="/clinic/c-minato">c-minato</a>' in page(site, "/world/verifications?clinic_id=c-minato")
    assert 'href="/clinic/c-aoba">clinic page / 詳細</a>' in page(site, "/world/clinic_map")
    evil = page(site, "/world/clinics?id=c-evil")
    assert "<script>window.__pwned" not in evil and "&lt;script&gt;window.__pwned=3" in evil


def test_clinic_page_unknown_clinic_is_404(site):
    assert site.get("/clinic/no-such-clinic").status_code == 404


def test_scraped_html_and_script_render_inert(site):
    excerpt, name = hostile_text()
    assert "<script>" in excerpt and "<script>" in name  # the fixture really is hostile
    html = page(site, "/clinic/c-evil")
    assert "<script>window.__pwned" not in html
    assert "&lt;script&gt;window.__pwned = 1;" in html  # shown as text
    assert "&lt;script&gt;window.__pwned=3&lt;/script&gt;" in html
    assert "<img src=x" not in html and "<b>太字</b>" not in html
    assert "javascript:" not in html  # a scraped javascript: URL is never a link
    assert 'href="https://evil.example/"' in html
    # the same text in a Datasette table page and a canned query is escaped too
    assert "<script>window.__pwned" not in page(site, "/world/offerings?clinic_id=c-evil")
    assert "<script>window.__pwned" not in page(site, "/world/find_clinic?area=&therapy=&condition=")


# -- analyst view ------------------------------------------------------------------------------------------


def test_counts_by_class_bureau_and_prefecture(site):
    by_class = {r["plan_class"]: r for r in query(site, "plans_by_class")}
    assert (by_class[2]["plans"], by_class[3]["plans"], by_class[3]["ended"]) == (3, 3, 1)
    bureaus = {r["bureau"]: r for r in query(site, "plans_by_bureau")}
    assert bureaus["kinki"]["plans"] == 2 and bureaus["kinki"]["name_en"] == "Kinki Regional Bureau"
    prefectures = query(site, "plans_by_prefecture")
    assert len(prefectures) == 47
    tokyo = next(r for r in prefectures if r["prefecture"] == "東京都")
    assert (tokyo["plans"], tokyo["clinics"], tokyo["prefecture_en"]) == (2, 2, "Tokyo")
    aomori = next(r for r in prefectures if r["prefecture"] == "青森県")
    assert (aomori["plans"], aomori["class_2"], aomori["class_3"]) == (0, 0, 0)


def test_counts_by_cell_source_and_condition(site):
    sources = {r["cell_source"]: r["plans"] for r in query(site, "plans_by_cell_source")}
    assert sources["adipose_cultured"] + sources.get("adipose_uncultured", 0) >= 1
    assert sum(sources.values()) == 6
    conditions = {r["condition"]: r["plans"] for r in query(site, "plans_by_condition")}
    assert conditions["knee_oa"] >= 2 and sum(conditions.values()) == 6


def test_plans_that_appeared_or_ended_between_crawls(site):
    events = {(r["event"], r["plan"]) for r in query(site, "plans_appeared_or_ended")}
    assert events == {("appeared", "p-sapporo-new"), ("ended", "p-fukuoka-ended")}
    changes = query(site, "changes_between_crawls", kind="plan")
    assert [(c["record_id"], c["new_value"]) for c in changes] == [("p-sapporo-new", "added")]


def test_clinics_advertising_a_therapy_without_a_plan(site):
    rows = query(site, "advertised_without_plan")
    assert {(r["clinic_page"], r["verdict"]) for r in rows} == {
        ("c-luminous", "not_found"),
        ("c-evil", "not_found"),
        ("c-hoshi", "registered_other_therapy"),
    }
    verdicts = {r["therapy"]: r for r in query(site, "verdicts_by_therapy")}
    assert verdicts["adipose_cultured"]["registered"] == 1 and verdicts["exosome"]["outside_asrm"] == 1


def test_price_distribution(site):
    rows = {(r["therapy"], r["unit"]): r for r in query(site, "price_distribution")}
    knee = rows[("adipose_cultured", "knee")]
    assert (knee["prices"], knee["lowest"], knee["highest"]) == (2, 550000, 880000)
    histogram = query(site, "price_histogram", therapy="adipose_cultured")
    assert [(r["from_yen"], r["prices"], r["bar"]) for r in histogram] == [
        (500000, 1, "#"),
        (800000, 1, "#"),
        (1600000, 1, "#"),
    ]


def test_flags_by_kind(site):
    assert query(site, "flags_by_kind") == [{"flag": "approval_wording", "flags": 2, "clinics": 2}]


def test_map_views_have_coordinates_and_load_the_cluster_map(site):
    rows = site.json("/world/clinic_map.json?_shape=array&clinic_page=c-aoba")
    assert (rows[0]["latitude"], rows[0]["longitude"], rows[0]["prefecture_en"]) == (
        33.6064,
        130.4181,
        "Fukuoka",
    )
    assert "datasette-cluster-map.js" in page(site, "/world/plan_map")


# -- metadata, robots, degradation -------------------------------------------------------------------------


def test_metadata_wires_search_and_hides_internal_tables(world):
    metadata = build_metadata(world)
    tables = metadata["databases"]["world"]["tables"]
    assert tables["plans"]["fts_table"] == "plans_fts" and tables["clinics"]["fts_table"] == "clinics_fts"
    assert tables["plan_categories"]["hidden"] is True
    assert "find_clinic" in metadata["databases"]["world"]["queries"]
    json.dumps(metadata)  # serialisable as Datasette reads it


def test_serve_command_line(world):
    args = datasette_args(world, 8123)
    pairs = list(zip(args, args[1:], strict=False))
    assert "--immutable" in args and ("--host", "127.0.0.1") in pairs and ("--port", "8123") in pairs
    assert ("--plugins-dir", str(Path(__file__).resolve().parent.parent / "plugins")) in pairs
    settings = {(a, b) for flag, a, b in zip(args, args[1:], args[2:], strict=False) if flag == "--setting"}
    assert {("suggest_facets", "off"), ("sql_time_limit_ms", "3000")} <= settings
    written = json.loads(Path(args[args.index("--metadata") + 1]).read_text(encoding="utf-8"))
    assert "search" in written["databases"]["world"]["queries"]


def test_every_server_process_serves_the_same_datasette(world, site, monkeypatch):
    """saisei.asgi reads datasette serve's options and hands them to each uvicorn worker, which builds the same
    Datasette: same pages as the in-process one, settings typed as Datasette's own command line types them;
    each worker shortens the GIL's switch interval."""
    import asyncio

    import httpx
    from click.testing import CliRunner

    from saisei import asgi

    args = datasette_args(world, 8123, workers=3)
    assert args[1:5] == ["-m", "saisei.asgi", "--workers", "3"]
    started = {}
    monkeypatch.setenv(asgi.CONFIG_ENV, "")  # what main() sets is undone after the test
    monkeypatch.setattr("uvicorn.run", lambda target, **options: started.update(options, target=target))
    result = CliRunner().invoke(asgi.main, args[3:])
    assert result.exit_code == 0, result.output
    assert started["target"] == "saisei.asgi:application" and started["factory"] and started["workers"] == 3
    # httptools' parser (a dependency), with Nagle's algorithm off as on h11's
    assert started["port"] == 8123 and started["http"] == "saisei.asgi:NoDelayHttpToolsProtocol"
    settings = json.loads(asgi.os.environ[asgi.CONFIG_ENV])["settings"]
    assert settings["suggest_facets"] is False and settings["sql_time_limit_ms"] == 3000

    async def fetch(path):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi.application()),
                                     base_url="http://localhost") as client:
            return await client.get(path)

    intervals = []
    monkeypatch.setattr(asgi.sys, "setswitchinterval", intervals.append)  # this test process keeps its own
    worker = asyncio.run(fetch("/clinic/c-luminous"))
    assert worker.status_code == 200 and worker.text == site.get("/clinic/c-luminous").text
    # a worker hands the GIL between its event loop and its SQL threads every half millisecond, not every 5 ms
    assert intervals == [asgi.SWITCH_INTERVAL] and asgi.SWITCH_INTERVAL < 0.005


@pytest.mark.parametrize("protocol", ["NoDelayH11Protocol", "NoDelayHttpToolsProtocol"])
def test_server_connections_send_without_waiting_for_acks(protocol):
    """Each worker's connections have Nagle's algorithm off (saisei.asgi's protocols, httptools' and h11's): on a
    socket inherited from uvicorn's parent asyncio leaves it on, and kept-alive answers waited 40 ms each."""
    import asyncio
    import socket

    from uvicorn.config import Config
    from uvicorn.server import ServerState

    from saisei import asgi

    class Transport(asyncio.Transport):
        def __init__(self, sock):
            super().__init__()
            self.sock = sock

        def get_extra_info(self, name, default=None):
            return {"socket": self.sock, "sockname": self.sock.getsockname(),
                    "peername": self.sock.getpeername()}.get(name, default)

    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        accepted, _ = listener.accept()
        with client, accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            config = Config(app=None)
            config.load()
            loop = asyncio.new_event_loop()
            try:
                protocol = getattr(asgi, protocol)(config=config, server_state=ServerState(), app_state={},
                                                   _loop=loop)
                protocol.connection_made(Transport(accepted))
            finally:
                loop.close()
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1


def test_robots_blocked_by_default_and_switchable(world, site):
    assert site.get("/robots.txt").text.strip() == "User-agent: *\nDisallow: /"
    open_site = InProcessDatasette(world, allow_robots=True)
    try:
        assert "Allow: /" in open_site.get("/robots.txt").text
        assert "Disallow" not in open_site.get("/robots.txt").text
    finally:
        open_site.close()


def test_a_registry_only_build_serves_every_query(tmp_path, sample_db):
    """A build whose crawl found no clinic at all (only the registry spiders' items): still a real, schema-stamped
    database with every table, so every canned query is served and answers, the clinic ones with no rows."""
    feeds = tmp_path / "run"
    feeds.mkdir()
    [sample_run] = [p for p in (sample_db.parent / "runs").iterdir() if p.is_dir()]
    for spider in REGISTRY_SPIDERS:
        shutil.copyfile(sample_run / f"items-{spider.name}.jsonl", feeds / f"items-{spider.name}.jsonl")
    db_path = tmp_path / "registry.db"
    write_database(db_path, CrawlResult(items_dir=feeds, runs=[], log_file=None), run_id="registry-only",
                   archive=None, sample=True)
    assert schema_version(db_path) == SCHEMA_VERSION
    served = build_metadata(db_path)["databases"]["registry"]["queries"]
    assert set(canned_queries()) | {"changes_feed", "new_plans_feed", "clinic_changes_feed"} == set(served)
    db = sqlite_utils.Database(db_path)
    assert db["clinics"].count == 0 and db["plans"].count > 0
    minato = db.execute("select count(*) from plans where facility_printed like '%湊見台%'").fetchone()[0]
    site = InProcessDatasette(db_path)
    try:
        assert site.get("/registry").status_code == 200
        for name in served:
            response = site.get(f"/registry/{name}.json?q=&area=&therapy=&condition=&kind=")
            assert response.status_code == 200 and response.json()["ok"], (name, response.text[:500])
        assert site.json("/registry/find_clinic.json?_shape=array&area=&therapy=&condition=") == []
        found = site.json("/registry/search.json?_shape=array&q=" + urllib.parse.quote("湊見台"))
        assert minato >= 2 and len(found) == minato and {r["kind"] for r in found} == {"plan"}
        assert site.get("/clinic/c-minato").status_code == 404
    finally:
        site.close()


@pytest.mark.slow
def test_every_view_works_on_the_bundled_sample(sample_db):
    """The real `saisei build --offline` database, with whatever tables the project writes today."""
    site = InProcessDatasette(sample_db)
    try:
        queries = build_metadata(sample_db)["databases"]["saisei"]["queries"]
        assert {"search", "plans_by_class", "plans_by_prefecture"} <= set(queries)
        for name in queries:
            response = site.get(f"/saisei/{name}.json?q=&area=&therapy=&condition=&kind=")
            assert response.status_code == 200, (name, response.text[:500])
            assert response.json()["ok"], name
        assert site.json("/saisei/search.json?_shape=array&q=" + urllib.parse.quote("湊見台"))
        schema = read_schema(sample_db)
        if "clinics" not in schema:
            return
        for (clinic_id,) in sqlite_utils.Database(sample_db).execute("select id from clinics").fetchall():
            html = page(site, f"/clinic/{clinic_id}")
            assert "SAMPLE DATA" in html and "not evidence that the treatment works" in html
    finally:
        site.close()


def _without_whitespace_between_tags(html: str) -> str:
    import re

    return re.sub(r">\s+<", "><", re.sub(r"<title>.*?</title>", "", html, flags=re.S)).strip()


@pytest.mark.parametrize("path", ["/world/search?q=PRP", "/world/search?q=" + urllib.parse.quote("港区"),
                                  "/world/find_clinic", "/world?sql=" + urllib.parse.quote("select 1 as a, null as b")])
def test_query_pages_show_what_datasettes_own_template_shows(site, path):
    """templates/query.html writes the table's rows in Python (saisei_rows_html) rather than in Datasette's Jinja
    loop: the page is Datasette's own (same cells, same links, same escaping), whitespace between tags aside."""
    datasette = site.datasette
    seen = {}
    original = datasette.render_template

    async def capturing(templates, context=None, request=None, view_name=None):
        seen.update(context=context, request=request, view_name=view_name)
        return await original(templates, context, request=request, view_name=view_name)

    datasette.render_template = capturing
    try:
        ours = page(site, path)
    finally:
        datasette.render_template = original
    assert seen["context"]["display_rows"], "the page should have rows to compare"
    default = site.loop.run_until_complete(original(["default:query.html"], seen["context"], request=seen["request"],
                                                    view_name=seen["view_name"]))
    assert "<td" in ours and _without_whitespace_between_tags(ours) == _without_whitespace_between_tags(default)


@pytest.mark.parametrize("path", ["/world/clinics?" + urllib.parse.urlencode({"prefecture": "東京都"}), "/world/plans",
                                  "/world/verifications", "/world/clinics?_search=PRP"])
def test_table_pages_rows_are_datasettes_own_byte_for_byte(site, path):
    """templates/_table.html writes a table page's rows in Python (saisei_table_rows_html) rather than in
    Datasette's Jinja loop: the table is the one Datasette's own _table.html writes, whitespace included."""
    datasette = site.datasette
    seen = {}
    original = datasette.render_template

    async def capturing(templates, context=None, request=None, view_name=None):
        if view_name == "table":
            seen.update(context)
        return await original(templates, context, request=request, view_name=view_name)

    datasette.render_template = capturing
    try:
        assert site.get(path, headers={"Cache-Control": "no-cache"}).status_code == 200
    finally:
        datasette.render_template = original
    assert seen["display_rows"], "the page should have rows to compare"
    env = datasette.jinja_env
    ours, default = (site.loop.run_until_complete(env.get_template(name).render_async(**seen))
                     for name in ("_table.html", "default:_table.html"))
    assert "<td" in ours and ours == default


@pytest.mark.parametrize("path", ["/world/clinics?" + urllib.parse.urlencode({"prefecture": "東京都"}), "/world/plans",
                                  "/world/verifications", "/world/offerings", "/world/prices", "/world/clinic_cards",
                                  "/world/clinics?_search=PRP", "/world/plans?_sort_desc=id"])
def test_table_pages_cells_in_one_pass_are_datasettes_own(site, path):
    """saisei.table_pages asks the plugins for each cell without pluggy: the page is the one Datasette's own
    display_columns_and_rows gives, byte for byte but for the time its queries took."""
    from datasette.views import table as datasette_table

    from saisei import table_pages

    def page_text() -> str:
        response = site.get(path, headers={"Cache-Control": "no-cache"})  # rendered, not the page kept
        assert response.status_code == 200
        return re.sub(r"Queries took [0-9.]+ms", "", response.text)

    assert datasette_table.display_columns_and_rows is table_pages.display_columns_and_rows
    ours = page_text()
    datasette_table.display_columns_and_rows = table_pages.DATASETTE_DISPLAY
    try:
        default = page_text()
    finally:
        table_pages.install()
    assert "<td" in ours and ours == default
