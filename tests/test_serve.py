"""``saisei serve``: Datasette on a free loopback port, read-only, with the project's metadata."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.conftest import serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(sample_db):
    with serving(sample_db) as base:
        yield base


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_table_page_lists_plans_with_metadata(server):
    page = get(server + "/saisei/plans")
    assert "湊見台ひざ関節クリニック" in page
    assert "22 rows" in page
    assert "SAMPLE DATA" in get(server + "/")
    assert "治療が効く・安全であることの証明ではありません" in get(server + "/")
    assert "not evidence that a treatment works" in get(server + "/?lang=en")


def test_table_json(server):
    rows = json.loads(get(server + "/saisei/plans.json?_shape=array&_size=max"))
    assert len(rows) == 22
    assert {r["plan_class"] for r in rows} == {2, 3}
    assert all(r["source_url"].startswith("https://saiseiiryo.mhlw.go.jp/published_plan/index/") for r in rows)


def test_search(server):
    query = urllib.parse.quote("星降町")
    rows = json.loads(get(server + f"/saisei/plans.json?_search={query}&_shape=array"))
    assert sorted(r["doc_code"] for r in rows) == ["01E2306901", "01E2401904"]


def test_served_read_only_and_on_loopback(server):
    databases = json.loads(get(server + "/-/databases.json"))
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("saisei", False)]
    assert server.startswith("http://127.0.0.1:")
    # column descriptions from metadata.json reach the page
    assert "Stable plan id" in get(server + "/saisei/plans")


def test_the_sample_flag_reaches_the_plugin_through_its_configuration(sample_db):
    from saisei.serve import PLUGIN_NAME, build_metadata

    assert build_metadata(sample_db)["plugins"][PLUGIN_NAME] == {"sample": True}
