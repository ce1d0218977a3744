"""Orders under the Act (緊急命令, 改善命令, 停止命令) from MHLW's press releases.

Starts from the press-release index; ``months=202603,202508`` adds the monthly listings
(``/stf/houdou/houdou_list_YYYYMM.html``) to reach older releases. Only releases whose title names an order
and regenerative medicine are opened. Orders reported before the crawl window come from the curated seed
``data/seeds/enforcement_orders.json``, which the table writer merges in.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.exceptions import CloseSpider

from scrapers.base import SaiseiSpider
from scrapers.parsers.enforcement import (
    EnforcementPageError,
    is_order_title,
    parse_order_release,
    parse_release_listing,
)

PRESS_INDEX_URL = "https://www.mhlw.go.jp/stf/houdou/index.html"
MONTH_LIST_URL = "https://www.mhlw.go.jp/stf/houdou/houdou_list_{month}.html"


class MhlwEnforcementSpider(SaiseiSpider):
    """One ``enforcement_action`` item per order release, and one ``press_release`` item per listed release."""

    name = "mhlw_enforcement"
    build_stage = "registry"
    allowed_domains = ["www.mhlw.go.jp"]

    def __init__(self, months: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.months = [m.strip() for m in str(months).split(",") if m.strip()]
        if any(not re.fullmatch(r"20\d{4}", m) for m in self.months):
            raise ValueError(f"months must be YYYYMM,YYYYMM: {months}")

    async def start(self):
        for url in [PRESS_INDEX_URL] + [MONTH_LIST_URL.format(month=m) for m in self.months]:
            yield scrapy.Request(url, callback=self.parse, errback=self.errback)

    def parse(self, response):
        try:
            releases = parse_release_listing(response.selector, response.url)
        except EnforcementPageError as error:
            yield self.record_error(response.url, "structure", str(error))
            raise CloseSpider("press_listing_changed") from error
        self.crawler.stats.inc_value("saisei/pages/parsed")
        provenance = self.provenance(response)
        for release in releases:
            is_order = is_order_title(release.title)
            # One item per listed release: orders are rare and fall off the rolling listing, so the run's item
            # count (which the monitors compare with the last published run) measures the listing instead.
            yield {"record": "press_release", "date": release.date, "title": release.title, "url": release.url,
                   "is_order": is_order, **provenance}
            if is_order:
                yield response.follow(release.url, callback=self.parse_order, errback=self.errback)

    def parse_order(self, response):
        try:
            order = parse_order_release(response.selector, response.url)
        except EnforcementPageError as error:
            yield self.record_error(response.url, "structure", str(error))
            return
        self.crawler.stats.inc_value("saisei/pages/parsed")
        yield {"record": "enforcement_action", **order, **self.provenance(response)}
