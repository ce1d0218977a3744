"""What every saisei spider shares: provenance on items, and problems yielded as items instead of silent loss."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro

from scrapers.items import PROBLEM, Problem

logger = logging.getLogger(__name__)

#: request meta key: problems a downloader middleware found for this request, yielded by its errback
CARRIED_PROBLEMS = "saisei_problems"


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def carry_problem(request, problem: Problem) -> None:
    """Attach a problem found outside the spider (a downloader middleware) to the request it concerns: a
    middleware cannot yield items, so the request's errback yields it (see :meth:`SaiseiSpider.carried`)."""
    request.meta.setdefault(CARRIED_PROBLEMS, []).append(problem)


class SaiseiSpider(scrapy.Spider):
    """Base spider. Subclasses yield plain dicts; :meth:`provenance` stamps where and when each was seen.

    Failures are items, as kingfisher-collect's error items are: :meth:`record_error` and :meth:`record_warning`
    count one under ``saisei/errors/...`` (or ``warnings``), log it and return it as a
    :class:`~scrapers.items.Problem`, which the callback yields beside its data, so ``scrapy crawl``, Scrapyd and
    ``saisei build`` all keep it. The build stores problems in ``crawl_problems`` and refuses to publish a crawl
    with any of severity "error". ``self.problems`` lists what this spider reported (for its tests and logs);
    the build never reads it. A problem known only once the crawl is over (:meth:`closing_problems`) is yielded
    when the spider first goes idle.
    """

    #: the part of a build that runs this spider ("registry" or "claims"); None: not run by ``saisei build``
    build_stage: ClassVar[str | None] = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[Problem] = []
        self._closing_checked = False

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._yield_closing_problems, signal=signals.spider_idle)
        return spider

    def provenance(self, response) -> dict:
        """source_url and fetched_at; offline, fetched_at is the archived capture's date, not today."""
        capture = response.meta.get("saisei_capture") or {}
        record = {"source_url": response.url, "fetched_at": capture.get("captured_at") or utc_now()}
        if capture:
            record["capture"] = capture
        return record

    def _problem(self, url: str, kind: str, severity: str, message: str) -> Problem:
        problem = Problem(record=PROBLEM, url=url, kind=kind, severity=severity, message=message)
        self.problems.append(problem)
        return problem

    def record_error(self, url: str, kind: str, message: str) -> Problem:
        """A failure that makes the crawl incomplete (a page not fetched, a page not readable): yield it."""
        self.crawler.stats.inc_value(f"saisei/errors/{kind}")
        self.crawler.stats.inc_value("saisei/errors")
        logger.error("%s: %s (%s)", kind, message, url)
        return self._problem(url, kind, "error", message)

    def record_warning(self, url: str, kind: str, message: str) -> Problem:
        """Something lost from an otherwise good page (one unreadable row), reported, not fatal: yield it."""
        self.crawler.stats.inc_value(f"saisei/warnings/{kind}")
        logger.warning("%s: %s (%s)", kind, message, url)
        return self._problem(url, kind, "warning", message)

    @staticmethod
    def carried(failure) -> list[Problem]:
        """Problems a downloader middleware attached to the failed request (:func:`carry_problem`), once each."""
        return failure.request.meta.pop(CARRIED_PROBLEMS, [])

    def errback(self, failure):
        """Turn a failed request into error items; nothing else is yielded for it."""
        yield from self.carried(failure)
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            yield self.record_error(request.url, "http", f"HTTP {response.status}")
        elif failure.check(IgnoreRequest):
            yield self.record_error(request.url, "not_fetched", str(failure.value) or "request ignored")
        else:
            yield self.record_error(request.url, "download", repr(failure.value))

    def closing_problems(self) -> list[Problem]:
        """Problems only the finished crawl shows (rows lost across pages); spiders that check such things
        override this. Called once, when the spider first has nothing left to do."""
        return []

    def _yield_closing_problems(self, spider=None) -> None:
        """spider_idle: send :meth:`closing_problems` through the item pipelines, as a callback's items would go,
        and keep the spider open until they are processed."""
        if self._closing_checked:
            return
        self._closing_checked = True
        problems = self.closing_problems()
        if not problems:
            return
        scraper = self.crawler.engine.scraper
        for problem in problems:
            deferred_from_coro(scraper.start_itemproc_async(problem, response=None))
        raise DontCloseSpider
