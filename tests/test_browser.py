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


#: a desktop and a phone (an iPhone 14's CSS width): patient pages must work at both
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
#: what each verdict's badge looks like: its words and its background colour (templates/_patient_style.html)
BADGE_COLOURS = {"ok": "rgb(227, 244, 228)", "warn": "rgb(255, 243, 214)", "bad": "rgb(253, 229, 227)"}


def open_page(browser, server, viewport):
    context = browser.new_context(viewport=viewport, locale="ja-JP")
    page = context.new_page()
    loopback = urllib.parse.urlsplit(server).netloc

    def only_loopback(route):
        if urllib.parse.urlsplit(route.request.url).netloc == loopback:
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_loopback)
    return context, page


@pytest.fixture
def page(browser, server):
    context, page = open_page(browser, server, WIDTHS["desktop"])
    yield page
    context.close()


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, browser, server):
    context, page = open_page(browser, server, WIDTHS[request.param])
    yield request.param, page
    context.close()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def search(page, text: str) -> list[str]:
    """Type into the home page's one search box, submit, and read the clinic names on the result cards."""
    page.fill("input[name=q]", text)
    page.click("form.finder button[type=submit]")
    page.wait_for_load_state()
    return page.locator(".card h2").all_inner_texts()


def test_home_page(sized_page, server):
    width, page = sized_page
    page.goto(server + "/")
    text = page.inner_text("body")
    assert "SAMPLE DATA" in text
    assert "治療が効く・安全であることの証明ではありません" in text
    assert page.locator("input[type=search]").count() == 1
    assert page.locator("select#prefecture option").count() > 1 and page.locator("select#therapy option").count() > 1
    assert page.locator("input[name=q]").is_visible() and page.locator("form.finder button").is_visible()
    assert no_horizontal_scroll(page), width
    shoot(page, f"01-home-{width}")
    page.click("a.switch")
    page.wait_for_load_state()
    assert "not evidence that a treatment works" in page.inner_text("body") and "lang=en" in page.url
    shoot(page, f"01-home-en-{width}")


def test_search_box_finds_clinics(sized_page, server):
    width, page = sized_page
    page.goto(server + "/")
    assert [n.split("\u3000")[-1] for n in search(page, "湊見台ひざ")] == ["湊見台ひざ関節クリニック"]  # Japanese
    assert search(page, "Luminous") == ["ルミナス再生クリニック銀座"]  # a romanised name
    shoot(page, f"07-results-romanised-{width}")
    assert "星降町整形外科" in search(page, "大阪府") and len(page.locator(".card h2").all_inner_texts()) == 2
    assert len(search(page, "Osaka")) == 2  # the prefecture in English
    page.fill("input[name=q]", "")
    page.select_option("select#prefecture", "東京都")
    page.click("form.finder button[type=submit]")
    page.wait_for_load_state()
    names = page.locator(".card h2").all_inner_texts()
    assert len(names) == 2 and "ルミナス再生クリニック銀座" in names and any("湊見台ひざ関節" in n for n in names)
    assert no_horizontal_scroll(page), width
    shoot(page, f"08-results-tokyo-{width}")


def test_badges_say_and_show_each_verdict(sized_page, server):
    width, page = sized_page
    page.goto(server + "/find")
    expected = {"湊見台ひざ関節クリニック": ("ok", "計画あり"), "ルミナス再生クリニック銀座": ("bad", "計画なし"),
                "星降町整形外科": ("warn", "別の治療の計画のみ"), "あおば美容クリニック天神": ("warn", "法の対象外")}
    for name, (tone, words) in expected.items():
        badge = page.locator(".card", has=page.locator(f"h2:has-text('{name}')")).locator(".badge").first
        assert words in badge.inner_text()
        assert badge.evaluate("b => getComputedStyle(b).backgroundColor") == BADGE_COLOURS[tone], name
    page.goto(server + "/find?lang=en")
    assert "Plan on file" in page.inner_text("body") and "No plan found" in page.inner_text("body")
    assert no_horizontal_scroll(page), width
    shoot(page, f"09-results-all-en-{width}")


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


def test_clinic_page_at_both_widths(sized_page, server):
    width, page = sized_page
    page.goto(server + "/clinic/c-aoba")
    text = page.inner_text("body")
    assert text.count("¥110,000") == 1 and "≈ US$740" in text  # one price, three language versions
    assert "外泌体点滴" in text or "エクソソーム点滴" in text
    assert no_horizontal_scroll(page), width
    shoot(page, f"10-clinic-prices-{width}")


def test_cjk_fonts_are_installed():
    """Japanese and Chinese text renders in screenshots only with fonts for both (.ci/run installs them)."""
    import subprocess

    for lang in ("ja", "zh"):
        fonts = subprocess.run(["fc-list", f":lang={lang}"], capture_output=True, text=True).stdout
        assert fonts.strip(), f"no font for {lang}: install fonts-ipafont-gothic and fonts-noto-cjk"


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
