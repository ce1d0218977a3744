"""--with-documents: the plan PDFs (資料1…) are fetched after the list page and mined for prices."""

from __future__ import annotations

import pytest
import scrapy
import sqlite_utils
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from saisei.paths import SAMPLE_SOURCES
from scrapers.parsers.plan_documents import DocumentError, document_prices, pdf_text
from scrapers.spiders.mhlw_plans import PLAN_LIST_URL, MhlwPlansSpider
from tests.conftest import bound_spider, fixture_response, run_saisei, without_problems
from tests.pdfs import text_pdf

URL2 = PLAN_LIST_URL.format(plan_class=2)
PAGE2 = str(SAMPLE_SOURCES / "pages" / "saiseiiryo.mhlw.go.jp" / "published_plan" / "index" / "2.html")
DOC_URL = "https://saiseiiryo.mhlw.go.jp/published_plan/download/01C2404951/5/1"
DOCUMENT = {"code": "01C2404951", "number": 1, "label": "資料1", "url": DOC_URL}
EXPLANATION = [
    "再生医療等を受ける方への説明文書（テスト用の架空文書）",
    "治療にかかる費用：片膝 880,000円（税込）",
    "両膝の場合は1,540,000円（税込）です。",
    "PRP 1回 33,000円(税別)",
]


def pdf_response(body: bytes, url: str = DOC_URL) -> Response:
    return Response(url=url, body=body, headers={"Content-Type": "application/pdf"}, request=scrapy.Request(url))


def test_text_comes_out_of_a_real_pdf():
    text = pdf_text(text_pdf(EXPLANATION))
    assert [line.strip() for line in text.splitlines() if line.strip()] == EXPLANATION


def test_prices_keep_tax_unit_and_excerpt():
    prices = document_prices(pdf_text(text_pdf(EXPLANATION)))
    assert [(p["amount_min"], p["tax"], p["unit"]) for p in prices] == [
        (880_000, "included", "knee"), (1_540_000, "included", "both_knees"), (33_000, "excluded", "session"),
    ]
    assert all(p["printed"] in p["excerpt"] for p in prices)


@pytest.mark.parametrize("body", [b"<html><body>503</body></html>", b"%PDF-1.7\nthis is not a real pdf"])
def test_what_is_not_a_readable_pdf_says_so(body):
    with pytest.raises(DocumentError):
        pdf_text(body)


def test_documents_are_requested_only_when_asked_and_after_the_list_page():
    plain = list(bound_spider(MhlwPlansSpider).parse(fixture_response(PAGE2, URL2), plan_class=2))
    assert all(isinstance(o, dict) for o in plain)
    spider = bound_spider(MhlwPlansSpider, with_documents="1")
    output = list(spider.parse(fixture_response(PAGE2, URL2), plan_class=2))
    items = [o for o in output if isinstance(o, dict)]
    requests = [o for o in output if isinstance(o, scrapy.Request)]
    assert output.index(requests[0]) == len(items)  # every plan is out before the first download
    assert len(items) == len(plain) == 14
    assert len({r.url for r in requests}) == len({d["url"] for i in items for d in i["documents"]})
    assert all(r.callback == spider.parse_document and r.errback == spider.document_errback for r in requests)


def test_a_document_becomes_price_records_with_its_url():
    spider = bound_spider(MhlwPlansSpider, with_documents="1")
    items = list(spider.parse_document(pdf_response(text_pdf(EXPLANATION)), document=DOCUMENT))
    assert len(items) == 3
    assert {i["record"] for i in items} == {"plan_price"}
    assert all(i["document_url"] == DOC_URL and i["doc_code"] == "01C2404951" for i in items)
    assert items[0]["source_url"] == DOC_URL and items[0]["fetched_at"].endswith("Z")
    assert spider.crawler.stats.get_value("saisei/documents/read") == 1


def test_an_unreadable_document_or_a_failed_download_is_a_warning():
    spider = bound_spider(MhlwPlansSpider, with_documents="1")
    assert without_problems(spider.parse_document(pdf_response(b"<html>maintenance</html>"), document=DOCUMENT)) == []
    failure = Failure(HttpError(pdf_response(b"", DOC_URL)))
    failure.request = scrapy.Request(DOC_URL)
    assert [p["kind"] for p in spider.document_errback(failure)] == ["document_not_fetched"]  # yielded
    assert [(p["kind"], p["severity"]) for p in spider.problems] == [
        ("document_unreadable", "warning"), ("document_not_fetched", "warning"),
    ]


@pytest.mark.slow
def test_build_with_documents_fills_plan_prices_from_the_sample(tmp_path):
    db_path = tmp_path / "saisei.db"
    result = run_saisei("build", "--offline", "--with-documents", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(db_path)
    prices = list(db["plan_prices"].rows)
    assert len(prices) >= db["plans"].count  # every sample plan's 資料1 states at least one price
    assert all(p["plan_id"] for p in prices)
    knee = db.execute(
        "select pp.amount_min, pp.tax, pp.unit from plan_prices pp join plans p on p.id = pp.plan_id "
        "where p.doc_code = '01C2404901' order by pp.amount_min"
    ).fetchall()
    assert knee == [(1_320_000, "included", "knee"), (2_200_000, "included", "both_knees")]
