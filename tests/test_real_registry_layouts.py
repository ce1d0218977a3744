"""The real rows of ../shared/data/registry_sample.tsv (never committed) through the whole spider path, in the
other shapes the live page may take: Shift_JIS declared only in a <meta>, line breaks as <br>, one row printed
twice, a ninth cell. Zero rows lost; fields equal after whitespace normalisation; stable ids distinct."""

from __future__ import annotations

import html

import pytest
from scrapy.http import HtmlResponse, Request

from readers.normalize import normalize_text
from saisei.tables.plans import assign_plan_ids
from scrapers.pipelines import NormalisePlanPipeline
from scrapers.spiders.mhlw_plans import PLAN_LIST_URL, MhlwPlansSpider
from tests.conftest import bound_spider, shared_sample_rows


def cell(text: str) -> str:
    return html.escape(text).replace("\r\n", "<br>")


def render_sjis(rows: list[dict]) -> bytes:
    trs = []
    for index, row in enumerate(rows):
        links = "".join(f'<a href="/published_plan/download/{row["doc_code"]}/5/{n}">資料{n}</a><br>'
                        for n in range(1, int(row["n_docs"] or 1) + 1))
        cells = [row["facility"], row["prefecture"], row["address"], "", row["treatment"], "", ""]
        extra = "<td>備考</td>" if index % 5 == 0 else ""
        tr = "<tr>" + "".join(f"<td>{cell(c)}</td>" for c in cells) + f"<td>{links}</td>{extra}</tr>\n"
        trs.append(tr)
        if index == 3:
            trs.append(tr)  # printed twice, as the live list sometimes does
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"></head><body>'
            f"<table><tr><th>医療機関名称</th></tr>{''.join(trs)}</table></body></html>")
    # characters Shift_JIS lacks (Kangxi radicals, some names) travel as numeric references, as servers do
    return page.encode("shift_jis", errors="xmlcharrefreplace")


@pytest.mark.parametrize("plan_class", [2, 3])
def test_real_rows_survive_shift_jis_and_br_through_the_spider(plan_class):
    rows = [r for r in shared_sample_rows() if r["kind"] == str(plan_class)]
    url = PLAN_LIST_URL.format(plan_class=plan_class)
    response = HtmlResponse(url=url, body=render_sjis(rows), headers={"Content-Type": "text/html"}, request=Request(url))
    spider = bound_spider(MhlwPlansSpider)
    pipeline = NormalisePlanPipeline()
    items = [pipeline.process_item(i) for i in spider.parse(response, plan_class=plan_class)]
    assert spider.problems == []
    assert len(items) == len(rows) + 1
    del items[4]  # the copy of row 3
    for row, item in zip(rows, items, strict=True):
        assert normalize_text(item["facility_printed"]) == normalize_text(row["facility"])
        assert normalize_text(item["address_printed"]) == normalize_text(row["address"])
        assert normalize_text(item["therapy_printed"]) == normalize_text(row["treatment"])
        assert item["prefecture"] == row["prefecture"] and item["doc_codes"] == [row["doc_code"]]
    with_ids, duplicates = assign_plan_ids(items + [dict(items[3])])
    assert duplicates == 1 and len({p["id"] for p in with_ids}) == len(rows)
