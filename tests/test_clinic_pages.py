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
