"""Certified committees (認定再生医療等委員会) from e-再生医療: both lists with their paging, and each preview."""

from __future__ import annotations

import scrapy
from scrapy.exceptions import CloseSpider

from scrapers.base import SaiseiSpider
from scrapers.parsers.committees import (
    LIST_TYPES,
    CommitteePageError,
    committee_type,
    parse_committee_list,
    parse_committee_preview,
)

COMMITTEE_LIST_URL = "https://saiseiiryo.mhlw.go.jp/disclosed_committee/index/{list_number}"


class MhlwCommitteesSpider(SaiseiSpider):
    """One ``committee`` item per preview page, merged with its list row.

    A list page without a readable table stops the run (every later page would be wrong too); one unreadable
    preview is an error for that committee only. A list whose printed total (全N件) differs from the rows read
    across its pages is reported as an error when the crawl is done (:meth:`closing_problems`): rows were lost.
    """

    name = "mhlw_committees"
    build_stage = "registry"
    allowed_domains = ["saiseiiryo.mhlw.go.jp"]

    def __init__(self, lists: str = "1,2", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_numbers = [int(n) for n in str(lists).split(",") if n.strip()]
        if not self.list_numbers or any(n not in LIST_TYPES for n in self.list_numbers):
            raise ValueError(f"lists must be 1, 2 or 1,2: {lists}")
        self.rows_seen: dict[int, int] = {}
        self.totals: dict[int, int] = {}

    async def start(self):
        for number in self.list_numbers:
            yield scrapy.Request(
                COMMITTEE_LIST_URL.format(list_number=number),
                callback=self.parse,
                errback=self.errback,
                cb_kwargs={"list_number": number},
            )

    def parse(self, response, list_number: int):
        try:
            page = parse_committee_list(response.selector, response.url)
        except CommitteePageError as error:
            yield self.record_error(response.url, "structure", str(error))
            raise CloseSpider("committee_list_changed") from error
        self.crawler.stats.inc_value("saisei/pages/parsed")
        self.rows_seen[list_number] = self.rows_seen.get(list_number, 0) + len(page.rows)
        if page.total is not None:
            self.totals[list_number] = page.total
        for url in page.pages:
            yield response.follow(url, callback=self.parse, errback=self.errback, cb_kwargs={"list_number": list_number})
        for row in page.rows:
            yield response.follow(
                row["preview_url"],
                callback=self.parse_preview,
                errback=self.errback,
                cb_kwargs={"row": row, "list_number": list_number, "list_url": response.url},
            )

    def parse_preview(self, response, row: dict, list_number: int, list_url: str):
        try:
            details = parse_committee_preview(response.selector, response.url)
        except CommitteePageError as error:
            yield self.record_error(response.url, "structure", str(error))
            return
        self.crawler.stats.inc_value("saisei/pages/parsed")
        merged = {k: v for k, v in row.items() if v}
        merged.update({k: v for k, v in details.items() if v})
        yield {
            "record": "committee",
            **merged,
            "list_number": list_number,
            "list_url": list_url,
            "committee_type": committee_type(details.get("scope_printed"), LIST_TYPES[list_number]),
            **self.provenance(response),
        }

    def closing_problems(self):
        """A list whose printed total differs from the rows its pages held: known only when every page is read."""
        return [
            self.record_error(
                COMMITTEE_LIST_URL.format(list_number=number),
                "rows_lost",
                f"list {number} prints 全{total}件 but its pages held {self.rows_seen.get(number, 0)} rows",
            )
            for number, total in self.totals.items()
            if total != self.rows_seen.get(number, 0)
        ]
