"""mhlw_committees over saved responses: the sample lists with paging, previews, and pages that changed shape."""

from __future__ import annotations

import json

import pytest
import scrapy
import sqlite_utils
from scrapy.exceptions import CloseSpider

from saisei.paths import SAMPLE_SOURCES
from scrapers.parsers.committees import certification_number, committee_type
from scrapers.spiders.mhlw_committees import COMMITTEE_LIST_URL, MhlwCommitteesSpider
from tests.conftest import bound_spider, fixture_response, without_problems

PAGES = SAMPLE_SOURCES / "pages" / "saiseiiryo.mhlw.go.jp" / "disclosed_committee"
LIST1 = COMMITTEE_LIST_URL.format(list_number=1)
LIST2 = COMMITTEE_LIST_URL.format(list_number=2)


def crawl(relative: str, url: str, list_number: int = 1):
    spider = bound_spider(MhlwCommitteesSpider)
    output = list(spider.parse(fixture_response(relative, url), list_number=list_number))
    return spider, output


def test_first_sample_page_follows_its_paging_and_every_preview():
    spider, output = crawl(str(PAGES / "index" / "1.html"), LIST1)
    requests = [r for r in output if isinstance(r, scrapy.Request)]
    assert len(requests) == len(output)  # a list page yields requests only, never items
    pages = [r.url for r in requests if r.callback == spider.parse]
    previews = [r for r in requests if r.callback == spider.parse_preview]
    assert pages == [LIST1 + "/page:2"]
    assert [r.cb_kwargs["row"]["code"] for r in previews] == ["901", "902", "903", "904", "905"]
    assert previews[0].cb_kwargs["row"]["certification_number"] == "NA8190901"
    assert spider.totals == {1: 8} and spider.rows_seen == {1: 5}


def test_reordered_shift_jis_list_is_read_by_header_text():
    spider, output = crawl("mhlw_committees/list_reordered_sjis.html", LIST2, list_number=2)
    rows = [r.cb_kwargs["row"] for r in output if r.callback == spider.parse_preview]
    assert [r["name_printed"] for r in rows] == ["みさき台認定再生医療等委員会", "つばさ特定認定再生医療等委員会", "名称のみ委員会"]
    assert [r["certification_number"] for r in rows] == ["NB3200971", "NA8190972", None]
    assert rows[0]["address_printed"] == "千葉県千葉市架空町1-1\nみさき台ビル2階"
    assert rows[1]["establisher_printed"] == "一般社団法人つばさ"
    assert LIST2 + "/page:2" in [r.url for r in output if r.callback == spider.parse]


@pytest.mark.parametrize("fixture", ["mhlw_committees/list_headers_renamed.html", "mhlw_committees/list_link_missing.html"])
def test_a_list_that_changed_shape_stops_the_spider_with_a_structure_error(fixture):
    spider = bound_spider(MhlwCommitteesSpider)
    with pytest.raises(CloseSpider):
        list(spider.parse(fixture_response(fixture, LIST1), list_number=1))
    assert [p["kind"] for p in spider.problems] == ["structure"]
    assert spider.problems[0]["severity"] == "error"


def test_preview_details_win_over_the_list_row_and_set_the_type():
    spider = bound_spider(MhlwCommitteesSpider)
    row = {"name_printed": "みさき台認定再生医療等委員会", "certification_number": None, "code": "7001",
           "preview_url": "https://saiseiiryo.mhlw.go.jp/disclosed_committee/preview/7001"}
    response = fixture_response("mhlw_committees/preview_dl.html", row["preview_url"])
    [item] = list(spider.parse_preview(response, row=row, list_number=1, list_url=LIST1))
    assert item["record"] == "committee"
    assert item["certification_number"] == "NB3200971"
    # the committee's own address, not its establisher's
    assert item["address_printed"] == "千葉県千葉市架空町1-1" and item["prefecture"] == "千葉県"
    # listed on list 1, but the preview says class 3 only: the preview wins
    assert item["committee_type"] == "class3_only"
    assert item["source_url"] == row["preview_url"] and item["fetched_at"].endswith("Z")


def test_a_preview_without_a_name_is_an_error_and_no_item():
    spider = bound_spider(MhlwCommitteesSpider)
    response = fixture_response("mhlw_committees/preview_no_name.html", LIST1.replace("index/1", "preview/1"))
    assert without_problems(spider.parse_preview(response, row={}, list_number=1, list_url=LIST1)) == []
    assert spider.problems[0]["kind"] == "structure"


def test_rows_lost_across_pages_are_reported():
    spider = bound_spider(MhlwCommitteesSpider)
    spider.totals, spider.rows_seen = {1: 8}, {1: 5}
    [problem] = spider.closing_problems()  # yielded when the crawl goes idle (tests/test_problem_items.py)
    assert problem["record"] == "problem" and problem["severity"] == "error"
    assert spider.problems[0]["kind"] == "rows_lost" and "全8件" in spider.problems[0]["message"]


def test_a_complete_list_loses_no_rows():
    spider = bound_spider(MhlwCommitteesSpider)
    spider.totals, spider.rows_seen = {1: 8, 2: 3}, {1: 8, 2: 3}
    assert spider.closing_problems() == [] and spider.problems == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ＮＡ８１５００１６", "NA8150016"), ("NB3-15-0036", "NB3150036"), ("認定番号 NB4150006", "NB4150006"), ("なし", None)],
)
def test_certification_numbers_are_canonical(text, expected):
    assert certification_number(text) == expected


def test_type_from_scope_text_or_the_list():
    assert committee_type("第一種再生医療等、第二種再生医療等及び第三種再生医療等", "class3_only") == "specified"
    assert committee_type("第三種再生医療等", "specified") == "class3_only"
    assert committee_type(None, "specified") == "specified"


def test_only_lists_one_and_two_exist():
    with pytest.raises(ValueError, match="lists"):
        MhlwCommitteesSpider(lists="3")


@pytest.mark.slow
def test_sample_build_holds_every_committee_the_sample_plans_name(sample_db):
    db = sqlite_utils.Database(sample_db)
    committees = {row["name"]: row for row in db["committees"].rows}
    assert len(committees) == 11
    assert sum(1 for c in committees.values() if c["committee_type"] == "specified") == 8
    assert all(c["id"] == c["certification_number"] for c in committees.values())
    assert committees["浪速認定再生医療等委員会"]["bureau"] == "kinki"
    named = {json.loads(p["other_cells"]).get("認定再生医療等委員会") for p in db["plans"].rows}
    assert named - {None} <= set(committees)
