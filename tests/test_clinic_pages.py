"""Precomputed clinic pages (saisei.tables.clinic_pages): the same page as assembling it, in one look-up."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest
import sqlite_utils

from saisei.tables.clinic_pages import _complete, _Reader, write_pages
from saisei.views import PAGE_SQL, assemble_context, clinic_context, with_constants
from tests.views_world import build_world


class _Datasetteish:
    """What the page calls on a Datasette database, over sqlite3, counting the queries."""

    def __init__(self, path):
        self.conn = sqlite3.connect(path)
        self.conn.row_factory = sqlite3.Row
        self.queries = []

    async def table_names(self):
        return [r[0] for r in self.conn.execute("select name from sqlite_master where type = 'table'")]

    async def execute(self, sql, params=None):
        self.queries.append(sql)

        class Results:
            rows = self.conn.execute(sql, params or {}).fetchall()

        return Results()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("pages") / "world.db")


def test_every_stored_page_is_the_assembled_page(world):
    db = sqlite_utils.Database(world)
    stored = {row["id"]: json.loads(row["page"]) for row in db["clinic_pages"].rows}
    assert set(stored) == {row["id"] for row in db["clinics"].rows}
    reader = _Reader(db.conn)
    for clinic_id, page in stored.items():
        assembled = json.loads(json.dumps(_complete(assemble_context(reader, clinic_id)), ensure_ascii=False))
        assert page == assembled, clinic_id
        assert "registered_means_en" not in page  # shared words are added when served, not stored per clinic


def test_the_builds_reader_asks_the_labels_once_and_assembles_the_served_page(world):
    db = sqlite_utils.Database(world)
    reader, served = _Reader(db.conn), _Datasetteish(world)
    ids = [row["id"] for row in db["clinics"].rows]
    for clinic_id in ids:
        built = _complete(assemble_context(reader, clinic_id))
        assert json.dumps(built, ensure_ascii=False) == \
            json.dumps(asyncio.run(assemble_context(served, clinic_id)), ensure_ascii=False), clinic_id
    labels = [sql for sql in served.queries if "from therapies" in sql]
    assert len(labels) == len(ids) > 3 and reader.queries == len(served.queries) - len(labels) + 1


def test_the_page_is_one_primary_key_lookup(world):
    db = _Datasetteish(world)
    context = asyncio.run(clinic_context(db, "c-luminous"))
    assert db.queries == [PAGE_SQL]
    assert context["clinic"]["id"] == "c-luminous" and context["registered_means_ja"]
    plan = " ".join(r[3] for r in db.conn.execute("explain query plan " + PAGE_SQL, {"id": "x"}).fetchall())
    assert "USING INDEX sqlite_autoindex_clinic_pages_1" in plan or "USING PRIMARY KEY" in plan, plan
    assert asyncio.run(clinic_context(db, "no-such-clinic")) is None


def test_a_database_without_stored_pages_still_assembles_them(world, tmp_path):
    old = tmp_path / "old.db"
    old.write_bytes(world.read_bytes())
    sqlite_utils.Database(old).execute("drop table clinic_pages")
    db = _Datasetteish(old)
    context = asyncio.run(clinic_context(db, "c-luminous"))
    assert len(db.queries) > 3  # assembled from the tables
    stored = _Datasetteish(world)
    assert json.loads(json.dumps(context)) == json.loads(json.dumps(asyncio.run(clinic_context(stored, "c-luminous"))))


def test_rewriting_pages_replaces_them(world, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(world.read_bytes())
    db = sqlite_utils.Database(copy)
    db.execute("update clinics set name_printed = 'Renamed' where id = 'c-luminous'")
    db.conn.commit()
    assert write_pages(db) == db["clinics"].count
    page = json.loads(db["clinic_pages"].get("c-luminous")["page"])
    assert with_constants(page)["clinic"]["name_printed"] == "Renamed"


# -- HTTP caching (saisei.caching) -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(world):
    from tests.views_world import InProcessDatasette

    site = InProcessDatasette(world)
    yield site
    site.close()


@pytest.mark.parametrize("path", ["/", "/find?q=%E6%9D%B1%E4%BA%AC", "/clinic/c-luminous", "/world/clinics",
                                  "/world/search?q=PRP"])
def test_pages_carry_the_builds_etag_and_a_cache_lifetime(site, path):
    response = site.get(path)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"saisei-')
    assert "max-age=" in response.headers["cache-control"]
    if not path.startswith("/world"):
        assert response.headers["cache-control"].startswith("public")
    again = site.get(path, headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and again.text == ""
    assert again.headers["etag"] == response.headers["etag"]


def test_other_tags_errors_and_datasette_internals_are_not_cached(site):
    assert site.get("/", headers={"if-none-match": 'W/"saisei-stale"'}).status_code == 200
    missing = site.get("/clinic/no-such-clinic")
    assert missing.status_code == 404 and "etag" not in missing.headers
    assert "etag" not in site.get("/-/versions.json").headers


def test_the_tag_changes_with_the_database_file(world, tmp_path):
    from saisei.caching import build_tag

    copy = tmp_path / "copy.db"
    copy.write_bytes(world.read_bytes())
    assert build_tag([str(world)]) == build_tag([str(world)]) != build_tag([str(copy)])


# -- rendered pages kept in memory (saisei.caching.PageCache) ------------------------------------------------


class _CountingApp:
    """An ASGI app answering every GET with a page naming the path, counting how often it rendered."""

    def __init__(self, status=200, headers=(), body=b"page"):
        self.calls, self.status, self.headers, self.body = 0, status, list(headers), body

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [(b"content-type", b"text/html"), *self.headers]})
        await send({"type": "http.response.body", "body": self.body + scope["path"].encode(), "more_body": True})
        await send({"type": "http.response.body", "body": b"!"})


def _get(app, path, query=b"", headers=(), scheme="http"):
    messages = []

    async def send(message):
        messages.append(message)

    scope = {"type": "http", "method": "GET", "scheme": scheme, "path": path, "query_string": query,
             "headers": [(b"host", b"example"), *headers]}
    asyncio.run(app(scope, None, send))
    return messages[0], b"".join(m.get("body", b"") for m in messages[1:])


def test_a_page_asked_again_is_answered_without_rendering_it_again():
    from saisei.caching import PageCache, caching_app

    inner = _CountingApp()
    app = caching_app(inner, 'W/"saisei-x"', 60, PageCache(1_000_000))
    first = _get(app, "/clinic/a")
    assert _get(app, "/clinic/a") == first and inner.calls == 1
    assert first[1] == b"page/clinic/a!" and (b"etag", b'W/"saisei-x"') in first[0]["headers"]
    _get(app, "/clinic/a", query=b"lang=en")
    _get(app, "/clinic/b")
    assert inner.calls == 3  # another query or path is another page
    _get(app, "/clinic/a", headers=[(b"cookie", b"ds_actor=x")])
    _get(app, "/clinic/a", query=b"_trace=1")
    assert inner.calls == 5  # a signed-in visitor's page, or a trace, is rendered for them
    _get(app, "/clinic/a", scheme="https")
    _get(app, "/clinic/a", headers=[(b"host", b"mirror.example")])
    assert inner.calls == 7  # absolute links in a page name the scheme and host it was asked on


@pytest.mark.parametrize("header", [(b"cache-control", b"no-cache"), (b"cache-control", b"max-age=0, No-Cache"),
                                    (b"pragma", b"no-cache")])
def test_a_request_saying_no_cache_is_rendered_anew_and_replaces_the_kept_page(header):
    from saisei.caching import PageCache, caching_app

    inner = _CountingApp()
    cache = PageCache(1_000_000)
    app = caching_app(inner, 'W/"saisei-x"', 60, cache)
    _get(app, "/clinic/a")
    inner.body = b"new"
    assert _get(app, "/clinic/a", headers=[header])[1] == b"new/clinic/a!" and inner.calls == 2
    assert _get(app, "/clinic/a")[1] == b"new/clinic/a!" and inner.calls == 2  # the fresh page is kept
    assert len(cache.pages) == 1 and cache.size == len(b"new/clinic/a!")
    _get(app, "/clinic/a", headers=[(b"cache-control", b"max-age=0")])  # an ordinary reload may be answered
    assert inner.calls == 2


@pytest.mark.parametrize("headers, status", [([(b"set-cookie", b"csrftoken=x")], 200),
                                             ([(b"cache-control", b"private")], 200),
                                             ([(b"vary", b"Cookie, Accept-Language")], 200), ([], 404)])
def test_personal_pages_and_errors_are_not_kept(headers, status):
    from saisei.caching import PageCache, caching_app

    inner = _CountingApp(status=status, headers=headers)
    app = caching_app(inner, 'W/"saisei-x"', 60, PageCache(1_000_000))
    _get(app, "/find")
    _get(app, "/find")
    assert inner.calls == 2


def test_the_cache_keeps_the_recently_used_pages_within_its_size():
    from saisei.caching import PageCache, caching_app

    inner = _CountingApp(body=b"x" * 400)
    cache = PageCache(1000)  # room for two pages of ~410 bytes
    app = caching_app(inner, 'W/"saisei-x"', 60, cache)
    for path in ("/a", "/b", "/a", "/c"):  # /c pushes out /b, the least recently used
        _get(app, path)
    assert inner.calls == 3 and cache.size <= 1000
    _get(app, "/a")
    assert inner.calls == 3
    _get(app, "/b")
    assert inner.calls == 4
    big = _CountingApp(body=b"x" * 2000)
    app = caching_app(big, 'W/"saisei-x"', 60, PageCache(1000))
    _get(app, "/big")
    _get(app, "/big")
    assert big.calls == 2  # larger than the whole cache: streamed, never kept


def test_served_pages_are_kept_unless_the_cache_is_off(world):
    from tests.views_world import InProcessDatasette

    for megabytes, renders in ((None, 1), (0, 2)):
        site = InProcessDatasette(world, page_cache_mb=megabytes)
        try:
            seen = []
            original = site.datasette.render_template

            async def counting(*args, seen=seen, original=original, **kwargs):
                seen.append(args[0])
                return await original(*args, **kwargs)

            site.datasette.render_template = counting
            first, second = site.get("/clinic/c-luminous"), site.get("/clinic/c-luminous")
            assert first.status_code == second.status_code == 200 and first.text == second.text
            assert first.headers["etag"] == second.headers["etag"]
            assert len(seen) == renders
        finally:
            site.close()
