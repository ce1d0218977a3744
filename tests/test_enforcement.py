"""mhlw_enforcement over saved responses, and the curated seed of publicly reported orders."""

from __future__ import annotations

import json

import pytest
import scrapy
import sqlite_utils
from scrapy.exceptions import CloseSpider

from readers.regions import PREFECTURES
from saisei.paths import SAMPLE_SOURCES
from saisei.tables.registries import ENFORCEMENT_SEED, enforcement_row, seed_orders
from scrapers.parsers.enforcement import ORDER_TYPES, is_order_title
from scrapers.parsers.labelled import iso_date
from scrapers.spiders.mhlw_enforcement import PRESS_INDEX_URL, MhlwEnforcementSpider
from tests.conftest import bound_spider, fixture_response, without_problems

PAGES = SAMPLE_SOURCES / "pages" / "www.mhlw.go.jp" / "stf"


def release(relative: str, url: str, content_type: str = "text/html"):
    spider = bound_spider(MhlwEnforcementSpider)
    items = without_problems(spider.parse_order(fixture_response(relative, url, content_type=content_type)))
    return spider, items


def test_listing_opens_only_order_releases_about_regenerative_medicine():
    spider = bound_spider(MhlwEnforcementSpider)
    output = list(spider.parse(fixture_response(str(PAGES / "houdou" / "index.html"), PRESS_INDEX_URL)))
    requests = [r for r in output if isinstance(r, scrapy.Request)]
    assert [r.url for r in requests] == [
        "https://www.mhlw.go.jp/stf/newpage_99904.html",
        "https://www.mhlw.go.jp/stf/houdou/0000999901.html",
    ]
    # every listed release is an item, so the run's item count measures the listing, not the rare orders
    releases = [o for o in output if isinstance(o, dict)]
    assert len(releases) == 5 and {r["record"] for r in releases} == {"press_release"}
    assert [r["is_order"] for r in releases] == [False, True, False, False, True]
    assert releases[1]["date"] == "2026-11-10" and releases[1]["source_url"] == PRESS_INDEX_URL


def test_a_listing_without_orders_is_fine_and_one_without_releases_is_not():
    spider = bound_spider(MhlwEnforcementSpider)
    output = list(spider.parse(fixture_response("mhlw_enforcement/listing_no_orders.html", PRESS_INDEX_URL)))
    assert [o["is_order"] for o in output] == [False, False, False] and spider.problems == []
    with pytest.raises(CloseSpider):
        list(spider.parse(fixture_response("mhlw_enforcement/listing_redesigned.html", PRESS_INDEX_URL)))
    assert [(p["kind"], p["severity"]) for p in spider.problems] == [("structure", "error")]


def test_emergency_order_with_its_processing_facility():
    url = "https://www.mhlw.go.jp/stf/newpage_99904.html"
    spider, [item] = release(str(PAGES / "newpage_99904.html"), url)
    assert item["record"] == "enforcement_action" and not spider.problems
    assert (item["date"], item["order_type"]) == ("2026-11-10", "emergency_order")
    assert item["institution_printed"] == "医療法人社団月影会\u3000月見坂セルクリニック"
    assert item["processing_facility_printed"] == "株式会社ルナセル\u3000月見坂細胞加工センター"
    assert item["prefecture"] == "東京都"
    assert "一時停止" in item["summary"] and item["source_url"] == url


def test_shift_jis_improvement_order_written_as_labelled_lines():
    url = "https://www.mhlw.go.jp/stf/houdou/0000999901.html"
    _, [item] = release(str(PAGES / "houdou" / "0000999901.html"), url)
    assert (item["date"], item["order_type"], item["prefecture"]) == ("2026-10-02", "improvement_order", "千葉県")
    assert item["institution_printed"] == "医療法人社団凪会 なぎさ通りクリニック"
    assert item["processing_facility_printed"] is None


def test_euc_jp_stop_order_in_heisei_dates():
    _, [item] = release("mhlw_enforcement/order_stop_heisei.html", "https://www.mhlw.go.jp/stf/x.html")
    assert (item["date"], item["order_type"]) == ("2018-07-14", "stop_order")
    assert item["institution_printed"] == "こもれび坂病院" and item["prefecture"] == "京都府"
    assert item["processing_facility_printed"] == "洛北セルプロセッシングセンター"


def test_a_release_we_cannot_read_is_an_error_and_no_item():
    spider, items = release("mhlw_enforcement/order_without_institution.html", "https://www.mhlw.go.jp/stf/y.html")
    assert items == []
    assert spider.problems[0]["kind"] == "structure" and "institution" in spider.problems[0]["message"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [("再生医療等の安全性の確保等に関する法律に基づく緊急命令について", True), ("医薬品の改善命令について", False),
     ("再生医療等評価部会の開催について", False)],
)
def test_order_titles(title, expected):
    assert is_order_title(title) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("令和8年3月13日", "2026-03-13"), ("令和元年5月1日", "2019-05-01"), ("平成29年2月20日", "2017-02-20"),
     ("２０２５年８月２９日", "2025-08-29"), ("2024/05/20", "2024-05-20"), ("13月1日", None), ("令和8年2月30日", None)],
)
def test_dates(text, expected):
    assert iso_date(text) == expected


def test_months_argument_is_checked():
    with pytest.raises(ValueError, match="YYYYMM"):
        MhlwEnforcementSpider(months="2026-03")


SEED = seed_orders()


def test_seed_holds_the_cases_of_the_domain_brief():
    dates = {o["date"] for o in SEED}
    assert {"2025-08-29", "2026-03-13", "2025-03-05"} <= dates
    assert any(o["date"].startswith("2017") for o in SEED)
    assert "東京サイエンスクリニック" in {o["institution"] for o in SEED}


@pytest.mark.parametrize("order", SEED, ids=lambda o: o["date"])
def test_every_seed_order_is_complete_and_sourced(order):
    assert iso_date(order["date"]) == order["date"]
    assert order["order_type"] in ORDER_TYPES.values()
    assert order["source_url"].startswith(("http://", "https://"))
    assert order["source_kind"] in {"mhlw", "bureau", "news"}
    assert order["prefecture"] is None or order["prefecture"] in PREFECTURES
    assert order["institution"] and order["summary"]


def test_seed_file_is_valid_json_with_a_description():
    data = json.loads(ENFORCEMENT_SEED.read_text(encoding="utf-8"))
    assert "Real cases" in data["description"]


def test_crawled_and_curated_copies_of_one_order_share_an_id():
    curated = enforcement_row(SEED[-1], origin="curated", sample=False)
    crawled = enforcement_row({**SEED[-1], "institution_printed": SEED[-1]["institution"].replace(" ", "\u3000"),
                               "source_url": "https://www.mhlw.go.jp/stf/z.html"}, origin="crawled", sample=False)
    assert curated["id"] == crawled["id"]


@pytest.mark.slow
def test_sample_build_has_crawled_and_curated_orders(sample_db):
    rows = list(sqlite_utils.Database(sample_db)["enforcement_actions"].rows)
    crawled = [r for r in rows if r["origin"] == "crawled"]
    assert len(crawled) == 2 and all(r["sample"] == 1 for r in crawled)
    assert len(rows) == len(crawled) + len(SEED)
    assert all(r["sample"] == 0 for r in rows if r["origin"] == "curated")
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
