"""Treatment provision plans of classes 2 and 3 from e-再生医療's public plan lists."""

from __future__ import annotations

import logging

import scrapy
from scrapy.exceptions import CloseSpider

from scrapers.base import SaiseiSpider
from scrapers.parsers.plan_documents import DocumentError, document_prices, pdf_text
from scrapers.parsers.plan_stream import stream_plan_table
from scrapers.parsers.plan_table import PlanTableError

logger = logging.getLogger(__name__)

PLAN_LIST_URL = "https://saiseiiryo.mhlw.go.jp/published_plan/index/{plan_class}"


class MhlwPlansSpider(SaiseiSpider):
    """One item per plan row of ``/published_plan/index/2`` and ``/3``.

    ``scrapy crawl mhlw_plans -a classes=2`` limits the classes. A row that cannot be read is logged with its
    text and counted (``saisei/plans/unparsed_rows``); a page without a readable plan table stops the run.
    ``-a with_documents=1`` (``saisei build --with-documents``) also fetches each plan's 資料 PDFs, after the
    list page, and yields one ``plan_price`` item per price stated in them.
    """

    name = "mhlw_plans"
    build_stage = "registry"
    allowed_domains = ["saiseiiryo.mhlw.go.jp"]

    def __init__(self, classes: str = "2,3", with_documents: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        #: ``-a with_documents=1`` or the SAISEI_WITH_DOCUMENTS setting (``saisei build --with-documents``)
        self.with_documents = str(with_documents).lower() in ("1", "true", "yes")
        self.plan_classes = [int(c) for c in str(classes).split(",") if c.strip()]
        if not self.plan_classes or any(c not in (2, 3) for c in self.plan_classes):
            raise ValueError(f"classes must be 2, 3 or 2,3 (class-1 plans are not published there): {classes}")

    async def start(self):
        self.with_documents = self.with_documents or self.settings.getbool("SAISEI_WITH_DOCUMENTS")
        for plan_class in self.plan_classes:
            yield scrapy.Request(
                PLAN_LIST_URL.format(plan_class=plan_class),
                callback=self.parse,
                errback=self.errback,
                cb_kwargs={"plan_class": plan_class},
            )

    def parse(self, response, plan_class: int):
        stats = self.crawler.stats
        try:
            # streamed: neither the page's tree nor all of its plans in memory at once (issue 14)
            table = stream_plan_table(response.body, response.url, response.encoding)
        except PlanTableError as error:
            yield self.record_error(response.url, "structure", str(error))
            raise CloseSpider(error.reason) from error
        stats.inc_value("saisei/pages/parsed")
        stats.inc_value("saisei/plans/rows", table.count + len(table.unparsed))
        for row in table.unparsed:
            stats.inc_value("saisei/plans/unparsed_rows")
            yield self.record_warning(
                response.url, "unparsed_row", f"row {row.row_number}: {row.reason}: {row.text}"
            )
        provenance = self.provenance(response)
        try:
            for plan in table.plans:
                yield {"record": "plan", "plan_class": plan_class, **plan, **provenance}
            if self.with_documents:
                # The site wants its index page visited before downloads: this is that page, so the documents
                # follow it (with it as Referer and its cookies).
                for plan in table.plans:
                    for document in plan["documents"]:
                        yield response.follow(
                            document["url"],
                            callback=self.parse_document,
                            errback=self.document_errback,
                            cb_kwargs={"document": document},
                        )
        finally:
            table.close()

    def parse_document(self, response, document: dict):
        """Prices of one plan document (a PDF); a document we cannot read is a warning, not a failed run."""
        stats = self.crawler.stats
        try:
            text = pdf_text(response.body)
        except DocumentError as error:
            stats.inc_value("saisei/documents/unreadable")
            yield self.record_warning(response.url, "document_unreadable", str(error))
            return
        stats.inc_value("saisei/documents/read")
        prices = document_prices(text)
        if not prices:
            stats.inc_value("saisei/documents/without_prices")
        provenance = self.provenance(response)
        for price in prices:
            yield {
                "record": "plan_price",
                "doc_code": document["code"],
                "document_number": document["number"],
                "document_url": document["url"],
                **price,
                **provenance,
            }

    def document_errback(self, failure):
        """Documents are optional: one not fetched is a warning (a blocked host still stops the run)."""
        yield from self.carried(failure)
        yield self.record_warning(failure.request.url, "document_not_fetched", repr(failure.value)[:200])
