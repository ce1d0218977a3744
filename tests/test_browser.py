"""The site in a real browser: Debian's Chromium driven by Playwright, against `saisei serve` on loopback.

Screenshots go to tests/screenshots/ (git-ignored) for a person to look at. The browser may only talk to the
loopback server: every other request (map tiles, fonts) is aborted, so the test never touches the network.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import serving
from tests.views_world import build_world

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = build_world(tmp_path_factory.mktemp("browser") / "saisei.db")
    with serving(db) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    page = context.new_page()
    loopback = urllib.parse.urlsplit(server).netloc

    def only_loopback(route):
        if urllib.parse.urlsplit(route.request.url).netloc == loopback:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_loopback)
    yield page
    context.close()


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_home_page(page, server):
    page.goto(server + "/")
    text = page.inner_text("body")
    assert "SAMPLE DATA" in text
    assert "not evidence that a treatment works" in text
    assert "find a clinic / クリニックを探す" in text
    shoot(page, "01-home")


def test_search_for_adipose(page, server):
    page.goto(server + "/saisei/search")
    page.fill("input[name=q]", "脂肪由来")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "q=%E8%84%82%E8%82%AA%E7%94%B1%E6%9D%A5" in page.url
    text = page.inner_text("table.rows-and-columns")
    assert "EVERGREEN KNEE CLINIC OSAKA" in text
    assert "自己脂肪由来幹細胞(培養)" in text
    assert "clinic page / 詳細" in text
    shoot(page, "02-search-adipose")
    page.click("text=clinic page / 詳細 >> nth=0")
    page.wait_for_load_state()
    assert "/clinic/" in page.url


def test_clinic_page(page, server):
    page.goto(server + "/clinic/c-minato")
    text = page.inner_text("body")
    assert "湊見台ひざ関節クリニック" in text
    assert "A provision plan for this therapy is on file." in text
    assert "この治療の再生医療等提供計画が提出されています。" in text
    assert "¥550,000–980,000" in text
    assert "Last checked / 最終確認日: 2026-11-21" in text
    assert "not evidence that the treatment works or is safe" in text
    assert page.get_attribute("a:has-text('資料1')", "href").startswith("https://saiseiiryo.mhlw.go.jp/")
    shoot(page, "03-clinic-registered")


def test_scraped_script_renders_inert(page, server):
    page.goto(server + "/clinic/c-evil")
    text = page.inner_text("body")
    assert "<script>window.__pwned = 1;" in text  # visible as text
    assert "湊見台<script>window.__pwned=3</script>ニセ<i>クリニック</i>" in text
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.title() != "pwned"
    assert page.locator("main img, .content img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    shoot(page, "04-clinic-hostile-text")


def test_canned_query_find_a_clinic(page, server):
    page.goto(server + "/saisei/find_clinic?area=Tokyo&therapy=&condition=" + urllib.parse.quote("膝"))
    text = page.inner_text("table.rows-and-columns")
    assert "ルミナス再生クリニック銀座" in text and "not_found" in text
    assert "湊見台ひざ関節クリニック" in text and "registered" in text
    shoot(page, "05-find-a-clinic")


def test_map_of_plans(page, server):
    page.goto(server + "/saisei/plan_map")
    page.wait_for_selector(".leaflet-container", timeout=15000)
    page.wait_for_selector(".marker-cluster, .leaflet-marker-icon", timeout=15000)
    assert page.locator(".marker-cluster, .leaflet-marker-icon").count() >= 1
    shoot(page, "06-plan-map")
