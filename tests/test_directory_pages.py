"""Directory pages: listings, prices, claims and clinic links; the links seed clinic_sites."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from saisei.extraction_scores import fixture_pages
from scrapers.parsers.directory_page import extract_directory_page
from scrapers.seeds import read_url_list
from scrapers.spiders.clinic_sites import ClinicSitesSpider
from scrapers.spiders.directory_pages import DirectoryPagesSpider
from tests.conftest import FIXTURES, bound_spider, without_problems

DIRECTORY_FIXTURES = FIXTURES / "directory_pages"
ROOT = Path(__file__).resolve().parent.parent
KEYS = ("clinic_name", "city", "therapy", "price_usd_min", "price_usd_max", "unit", "cell_count", "clinic_url")


def _load():
    return {
        name: (meta, body, extract_directory_page(body, meta["url"], meta["headers"]))
        for name, meta, body in fixture_pages(DIRECTORY_FIXTURES)
    }


CASES = _load()


def test_at_least_three_directory_pages_in_three_shapes():
    assert len(CASES) >= 3
    bodies = [body for _, body, _ in CASES.values()]
    assert any(b"<table" in b for b in bodies) and any(b"<article" in b for b in bodies)


@pytest.mark.parametrize("name", sorted(CASES))
def test_listings_as_expected(name):
    meta, _, result = CASES[name]
    assert [{k: x[k] for k in KEYS} for x in result["listings"]] == [
        {k: x[k] for k in KEYS} for x in meta["expected"]["listings"]
    ]


@pytest.mark.parametrize("name", sorted(CASES))
def test_claims_are_kept_as_claims(name):
    meta, _, result = CASES[name]
    assert [sorted({c["kind"] for c in x["claims"]}) for x in result["listings"]] == [
        sorted(x["claims"]) for x in meta["expected"]["listings"]
    ]
    for listing in result["listings"]:
        for claim in listing["claims"]:
            assert claim["text"] in listing["excerpt"] or claim["text"][:40] in listing["excerpt"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_page_wide_claims_are_kept_apart_from_listings(name):
    meta, _, result = CASES[name]
    assert [[c["kind"], c["text"]] for c in result["page_claims"]] == meta["expected"]["page_claims"]
    listed = {c["text"] for x in result["listings"] for c in x["claims"]}
    assert not listed & {c["text"] for c in result["page_claims"]}


def test_page_claims_reach_their_table(sample_db):
    import sqlite_utils

    rows = list(sqlite_utils.Database(sample_db).query("select kind, text, directory_url, sample from directory_claims"))
    assert {(r["kind"], r["text"][:26]) for r in rows} == {
        ("legality", "Every clinic in this guide"),
        ("success_rate", "Most of our readers report"),
    }
    assert all(r["directory_url"].startswith("https://japan-knee-guide.example/") and r["sample"] == 1 for r in rows)


def test_a_section_heading_is_not_a_clinic():
    names = {x["clinic_name"] for x in CASES["directory_article"][2]["listings"]}
    assert "Featured clinics" not in names


def test_clinic_links_leave_the_directory_host():
    links = CASES["directory_article"][2]["clinic_links"]
    assert links and all("japan-knee-guide.example" not in link for link in links)


def response(name: str) -> HtmlResponse:
    meta, body, _ = CASES[name]
    return HtmlResponse(url=meta["url"], body=body, headers=meta["headers"], request=Request(meta["url"]))


def test_inside_clinic_sites_the_directory_links_seed_the_clinic_crawl():
    crawler = get_crawler(ClinicSitesSpider, settings_dict={"SAISEI_REPLAY_ARCHIVE": str(ROOT / "data/sample.wacz")})
    spider = ClinicSitesSpider.from_crawler(crawler)
    crawler.spider = spider
    crawler.stats.open_spider()
    output = list(spider.parse_directory(response("directory_tokyo_table")))
    items = [o for o in output if isinstance(o, dict)]
    requests = [o for o in output if isinstance(o, Request)]
    assert len(items) == 3 and all(i["record"] == "directory_listing" and i["source_url"] for i in items)
    assert {r.url for r in requests} == {
        "https://minatomidai-hiza.example/", "https://tokyo-bayside-saisei.example/", "https://luminous-ginza.example/"}
    assert all(r.callback == spider.parse_clinic_page and r.cb_kwargs["depth"] == 0 for r in requests)
    # the same clinic linked again is not crawled twice
    again = [o for o in spider.parse_directory(response("directory_article")) if isinstance(o, Request)]
    assert "https://luminous-ginza.example/" not in {r.url for r in again}


def test_the_directory_spider_alone_does_not_follow():
    spider = bound_spider(DirectoryPagesSpider, directories="https://dir.example/a")
    output = list(spider.parse_directory(response("directory_osaka_cards")))
    assert output and all(isinstance(o, dict) for o in output)


def test_a_page_without_listings_is_a_warning():
    spider = bound_spider(DirectoryPagesSpider)
    page = HtmlResponse(url="https://dir.example/x", body=b"<html><body><p>Nothing here</p></body></html>",
                        request=Request("https://dir.example/x"))
    assert without_problems(spider.parse_directory(page)) == []
    assert [p["kind"] for p in spider.problems] == ["directory_without_listings"]


def test_seed_lists_ignore_comments_and_repeats(tmp_path):
    seeds = tmp_path / "s.txt"
    seeds.write_text("# c\nhttps://a.example/  # note\n\nhttps://a.example/\nftp://no\n", encoding="utf-8")
    assert read_url_list(seeds) == ["https://a.example/"]
    assert read_url_list(tmp_path / "missing.txt") == []


def test_live_directory_seeds_are_real_pages():
    spider = bound_spider(DirectoryPagesSpider)
    urls = spider.directory_urls()
    assert urls and all(u.startswith("https://") and ".example" not in u for u in urls)


def test_sharing_and_map_links_are_not_clinic_sites():
    body = (b'<html><body><table><tr><td>Sakura Clinic</td><td>Tokyo</td><td>'
            b'<a href="https://www.facebook.com/share">Share</a> <a href="https://www.google.co.jp/maps">Map</a> '
            b'<a href="https://sakura-clinic.example/">Site</a></td></tr></table></body></html>')
    result = extract_directory_page(body, "https://dir.example/list", {"Content-Type": "text/html"})
    assert result["clinic_links"] == ["https://sakura-clinic.example/"]


def test_an_articles_question_headings_are_not_clinics():
    body = (b"<html><body><h2>Which clinics treat knees with stem cells in Japan?</h2><p>Many do, from $9,000.</p>"
            b"<h2>How we picked the clinics for this guide and what the prices include</h2><p>Read on.</p>"
            b"<h2>Sakura Knee Clinic</h2><p>Tokyo. PRP into the knee joint, $400 per session.</p></body></html>")
    listings = extract_directory_page(body, "https://dir.example/a", {"Content-Type": "text/html"})["listings"]
    assert [(x["clinic_name"], x["price_usd_min"]) for x in listings] == [("Sakura Knee Clinic", 400)]
