"""``saisei serve --public``: the real server refuses arbitrary SQL and sends security headers on every answer."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from saisei.public import CONTENT_SECURITY_POLICY, PUBLIC_SETTINGS, SECURITY_HEADERS
from saisei.serve import make_datasette
from tests.conftest import serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def public(sample_db):
    with serving(sample_db, "--public", "--host", "127.0.0.1") as base:
        yield base


def fetch(url: str) -> tuple[int, dict, str]:
    """Status, headers (lower-case names) and body, for refusals as for answers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read().decode()


@pytest.mark.parametrize(
    "path",
    [
        "/saisei?sql=select+1",
        "/saisei.json?sql=select+1",
        "/saisei?sql=" + urllib.parse.quote("with recursive r(n) as (select 1 union all select n+1 from r) select count(*) from r"),
        "/saisei/plans?_where=1%3D1",
    ],
)
def test_arbitrary_sql_is_refused(public, path):
    status, headers, _ = fetch(public + path)
    assert status == 403
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_whole_database_download_is_refused(public):
    status, _, _ = fetch(public + "/saisei.db")
    assert status == 403


@pytest.mark.parametrize(
    "path",
    ["/", "/saisei/plans", "/saisei/plans.json?_shape=array", "/saisei/search?q=" + urllib.parse.quote("星降町"), "/robots.txt"],
)
def test_tables_canned_queries_and_robots_still_answer_with_security_headers(public, path):
    status, headers, body = fetch(public + path)
    assert status == 200, body[:500]
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, name
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_canned_search_returns_rows_and_robots_are_still_blocked(public):
    _, _, body = fetch(public + "/saisei/search.json?_shape=array&q=" + urllib.parse.quote("星降町"))
    assert json.loads(body)
    _, _, robots = fetch(public + "/robots.txt")
    assert "Disallow: /" in robots


def test_public_limits_are_in_force(public):
    _, _, body = fetch(public + "/-/settings.json")
    settings = json.loads(body)
    assert settings["sql_time_limit_ms"] == PUBLIC_SETTINGS["sql_time_limit_ms"] == 1000
    assert settings["max_returned_rows"] == 200
    assert settings["default_allow_sql"] is False and settings["allow_download"] is False


def test_the_local_profile_keeps_sql_and_sends_no_csp(sample_db):
    """The contrast that shows the public test can fail: without --public, the same request runs the SQL."""
    import asyncio

    async def check():
        response = await make_datasette(sample_db).client.get("/saisei.json?sql=select+1")
        return response.status_code, response.headers

    status, headers = asyncio.run(check())
    assert status == 200
    assert "content-security-policy" not in headers
