"""A calm terminal: one progress line per event on stderr while Scrapy's own log goes to a file."""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured

from scrapers.items import is_problem


class ProgressReporter:
    """Prints ``[crawl] mhlw_plans: pages 2 · items 31 · errors 0`` as pages and items arrive.

    On a terminal the line is rewritten in place; otherwise (CI, a log file) a line is printed per page.
    Enabled by the ``SAISEI_PROGRESS`` setting, which ``saisei build`` turns on.
    """

    def __init__(self, crawler, stream=None):
        self.crawler = crawler
        self.stream = stream or sys.stderr
        self.pages = self.items = 0
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("SAISEI_PROGRESS"):
            raise NotConfigured
        reporter = cls(crawler)
        crawler.signals.connect(reporter.response_received, signal=signals.response_received)
        crawler.signals.connect(reporter.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(reporter.spider_closed, signal=signals.spider_closed)
        return reporter

    def _line(self, spider_name: str) -> str:
        errors = self.crawler.stats.get_value("saisei/errors", 0)
        return f"[crawl] {spider_name}: pages {self.pages} · items {self.items} · errors {errors}"

    def _show(self, spider_name: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        if self.stream.isatty():
            self.stream.write("\r" + self._line(spider_name).ljust(78))
        else:
            self.stream.write(self._line(spider_name) + "\n")
        self.stream.flush()

    def response_received(self, response, request, spider):
        self.pages += 1
        self._show(spider.name, force=not self.stream.isatty())

    def item_scraped(self, item, response, spider):
        if is_problem(item):  # counted as errors, not items
            return
        self.items += 1
        if self.stream.isatty():
            self._show(spider.name)

    def spider_closed(self, spider, reason):
        if self.stream.isatty():
            self._show(spider.name, force=True)
            self.stream.write("\n")
        else:
            self.stream.write(self._line(spider.name) + f" · done ({reason})\n")
        self.stream.flush()
