"""mhlw_plans over saved responses: the bundled sample pages and messy fixtures, read as bytes."""

from __future__ import annotations

import pytest
from scrapy.exceptions import CloseSpider

from saisei.paths import SAMPLE_SOURCES
from scrapers.pipelines import NormalisePlanPipeline
from scrapers.spiders.mhlw_plans import PLAN_LIST_URL, MhlwPlansSpider
from tests.conftest import bound_spider, fixture_response, without_problems

URL2 = PLAN_LIST_URL.format(plan_class=2)
URL3 = PLAN_LIST_URL.format(plan_class=3)
CAPTURE = {"captured_at": "2026-11-20T03:00:05Z", "record_id": "<urn:uuid:x>", "archive": "t.wacz"}


def crawl_page(relative: str, url: str, plan_class: int, **response_kwargs):
    spider = bound_spider(MhlwPlansSpider)
    response = fixture_response(relative, url, **response_kwargs)
    pipeline = NormalisePlanPipeline()
    items = [pipeline.process_item(item) for item in without_problems(spider.parse(response, plan_class=plan_class))]
    return spider, items


def by_code(items):
    return {item["doc_codes"][0]: item for item in items if item["doc_codes"]}


# Parsed once at module level; tests below assert on the result.
SJIS_SPIDER, SJIS_ITEMS = crawl_page("mhlw_plans/class2_messy_sjis.html", URL2, 2)
SJIS = by_code(SJIS_ITEMS)


def test_shift_jis_page_declared_only_in_meta_is_decoded():
    assert SJIS["01C2404951"]["facility_printed"] == "医療法人社団テスト会\u3000みさき台クリニック"
    assert SJIS["01C2404951"]["therapy_printed"] == "変形性膝関節症に対する自己脂肪由来幹細胞を用いた治療"


def test_readable_rows_become_items_and_unreadable_rows_are_reported():
    assert len(SJIS_ITEMS) == 5
    warnings = [p for p in SJIS_SPIDER.problems if p["kind"] == "unparsed_row"]
    assert len(warnings) == 2
    assert "7 cells" in warnings[0]["message"] and "かもめ皮膚科" in warnings[0]["message"]
    assert "no prefecture" in warnings[1]["message"] and "どこかクリニック" in warnings[1]["message"]
    assert SJIS_SPIDER.crawler.stats.get_value("saisei/plans/unparsed_rows") == 2
    assert not [p for p in SJIS_SPIDER.problems if p["severity"] == "error"]


def test_br_inside_a_cell_is_a_line_break_in_print_and_a_space_when_normalised():
    item = SJIS["01C2405952"]
    assert item["facility_printed"] == "医療法人つばさ会\nつばさ整形外科"
    assert item["facility"] == "医療法人つばさ会 つばさ整形外科"
    assert item["facility_key"] == "つばさ整形外科"
    assert item["therapy"] == "PRPを用いた変形性関節症の治療"


def test_extra_cells_are_kept_and_documents_listed_in_order():
    item = SJIS["02C2301954"]
    assert item["other_cells"]["column_9"] == "備考あり"
    assert [d["number"] for d in item["documents"]] == [1, 2, 3]
    assert item["documents"][0]["url"] == "https://saiseiiryo.mhlw.go.jp/published_plan/download/02C2301954/5/1"
    assert item["documents"][0]["label"] == "資料1"


def test_undocumented_cells_are_kept_under_their_header_text():
    item = SJIS["01C2404951"]
    assert item["other_cells"] == {
        "電話番号": "043-555-0001",
        "受理日": "2024年4月1日",
        "認定再生医療等委員会": "テスト特定認定委員会",
    }


def test_row_without_document_links_is_kept_and_counted():
    item = next(i for i in SJIS_ITEMS if i["facility_printed"] == "やまびこ内科")
    assert item["doc_codes"] == [] and item["documents"] == []
    assert item["prefecture"] == "群馬県" and item["bureau"] == "kanto_shinetsu"


def test_whitespace_and_short_prefecture_are_cleaned():
    item = SJIS["01C2408957"]
    assert item["prefecture"] == "東京都"
    assert item["facility"] == "ひかり坂クリニック"
    assert item["address"] == "新宿区ひかり坂1-2-3"
    assert item["therapy"] == "自己多血小板血漿(PRP)を用いた 変形性膝関節症の治療"


@pytest.mark.parametrize("item", SJIS_ITEMS, ids=lambda i: i["facility"])
def test_every_item_carries_provenance_and_identity(item):
    assert item["record"] == "plan" and item["plan_class"] == 2
    assert item["source_url"] == URL2
    assert item["fetched_at"].endswith("Z")
    assert len(item["plan_key"]) == 16
    assert item["facility_key"] and item["therapy"]


def test_kangxi_radicals_fold_and_a_row_printed_twice_keeps_one_key():
    _, items = crawl_page("mhlw_plans/class3_utf8.html", URL3, 3)
    assert len(items) == 3
    assert items[0]["facility"] == "医療法人社団ほしぞら会 ほしぞら歯科"
    assert items[0]["facility_corporation"] == "医療法人社団ほしぞら会"
    assert items[0]["plan_key"] == items[1]["plan_key"]
    assert items[0]["bureau"] == "chugoku_shikoku"


def test_archived_capture_date_is_the_fetch_time():
    spider = bound_spider(MhlwPlansSpider)
    response = fixture_response("mhlw_plans/class3_utf8.html", URL3, meta={"saisei_capture": CAPTURE})
    item = next(iter(spider.parse(response, plan_class=3)))
    assert item["fetched_at"] == "2026-11-20T03:00:05Z"
    assert item["capture"]["record_id"] == "<urn:uuid:x>"


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [("mhlw_plans/maintenance.html", "plan_table_missing"), ("mhlw_plans/columns_moved.html", "plan_table_changed")],
)
def test_a_page_without_a_readable_plan_table_stops_the_run(fixture, reason):
    spider = bound_spider(MhlwPlansSpider)
    response = fixture_response(fixture, URL2)
    with pytest.raises(CloseSpider) as raised:
        list(spider.parse(response, plan_class=2))
    assert raised.value.reason == reason
    assert spider.problems[-1]["severity"] == "error"
    assert spider.problems[-1]["kind"] == "structure"


def test_bundled_sample_pages_parse_completely():
    pages = SAMPLE_SOURCES / "pages" / "saiseiiryo.mhlw.go.jp" / "published_plan" / "index"
    spider2, items2 = crawl_page(str(pages / "2.html"), URL2, 2)
    spider3, items3 = crawl_page(str(pages / "3.html"), URL3, 3)
    assert (len(items2), len(items3)) == (14, 9)
    assert not spider2.problems and not spider3.problems
    assert all(i["doc_codes"] for i in items2 + items3)


def test_only_classes_two_and_three_are_accepted():
    with pytest.raises(ValueError, match="classes"):
        MhlwPlansSpider(classes="1")
    assert MhlwPlansSpider(classes="3").plan_classes == [3]
