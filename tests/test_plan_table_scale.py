"""A plan list of 3,000+ rows generated from a template (saisei.benchmarks.plans): zero rows lost, every
field as printed, ids distinct, the rows printed twice merged, in the Shift_JIS the live site might serve."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from saisei.benchmarks.plans import generate_plan_page
from saisei.tables.plans import assign_plan_ids
from scrapers.pipelines import NormalisePlanPipeline
from scrapers.spiders.mhlw_plans import PLAN_LIST_URL, MhlwPlansSpider
from tests.conftest import bound_spider

ROWS = 3_200
URL = PLAN_LIST_URL.format(plan_class=2)


@pytest.fixture(scope="module", params=["utf-8", "shift_jis"])
def crawled(request):
    page = generate_plan_page(ROWS, encoding=request.param, duplicate_every=400)
    spider = bound_spider(MhlwPlansSpider)
    # the charset is declared only inside the page, as a <meta>: the response must find it there
    response = HtmlResponse(url=URL, body=page.body, headers={"Content-Type": "text/html"}, request=Request(URL))
    pipeline = NormalisePlanPipeline()
    items = [pipeline.process_item(item) for item in spider.parse(response, plan_class=2)]
    return page, spider, items


def test_no_row_is_lost_and_no_problem_reported(crawled):
    page, spider, items = crawled
    assert len(items) == ROWS + page.duplicates
    assert page.duplicates == ROWS // 400
    assert spider.problems == []
    assert spider.crawler.stats.get_value("saisei/plans/rows") == ROWS + page.duplicates


def test_every_field_equals_the_template(crawled):
    page, _, items = crawled
    unique = {item["doc_codes"][0]: item for item in items}
    assert len(unique) == ROWS
    for expected in page.expected:
        item = unique[expected["doc_codes"][0]]
        assert item["facility_printed"] == expected["facility_printed"]
        assert item["prefecture"] == expected["prefecture"]
        assert item["address_printed"] == expected["address_printed"]
        assert item["therapy_printed"] == expected["therapy_printed"]
        assert len(item["documents"]) == expected["n_documents"]
        # normalised copies: one line, no full-width spaces
        assert "\n" not in item["facility"] and "\u3000" not in item["facility"]


def test_messy_rows_are_really_in_the_page(crawled):
    page, _, items = crawled
    assert sum("\n" in e["facility_printed"] for e in page.expected) > ROWS // 10  # <br> rows
    assert sum("\n" in e["therapy_printed"] for e in page.expected) > ROWS // 20  # CR LF rows
    assert sum("column_9" in i["other_cells"] for i in items) >= ROWS // 17  # extra cells kept


def test_ids_are_distinct_and_duplicates_merge(crawled):
    page, _, items = crawled
    with_ids, duplicates = assign_plan_ids(items)
    assert duplicates == page.duplicates
    assert len({p["id"] for p in with_ids}) == len(with_ids) == ROWS


def test_benchmark_command_prints_rates_and_the_ratio():
    """The benchmark runs end to end on a small page (its numbers are printed, never asserted: not a timed test)."""
    from click.testing import CliRunner

    from saisei.cli import cli

    result = CliRunner().invoke(cli, ["benchmark", "plans", "--rows", "400", "--repeat", "1", "--skip-build"])
    assert result.exit_code == 0, result.output
    assert "400 rows" in result.output
    assert "bare lxml pass (baseline)" in result.output and "saisei parse_plan_table" in result.output
    assert "ratio saisei / lxml:" in result.output and "rows/s" in result.output
