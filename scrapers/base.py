"""What every saisei spider shares: provenance on items, error records instead of silent loss."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

logger = logging.getLogger(__name__)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class SaiseiSpider(scrapy.Spider):
    """Base spider. Subclasses yield plain dicts; :meth:`provenance` stamps where and when each was seen.

    Failures are counted under ``saisei/errors/...`` and kept in ``self.problems`` (url, kind, severity,
    message); the build stores them and refuses to publish a crawl that has any of severity "error".
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems: list[dict] = []

    def provenance(self, response) -> dict:
        """source_url and fetched_at; offline, fetched_at is the archived capture's date, not today."""
        capture = response.meta.get("saisei_capture") or {}
        record = {"source_url": response.url, "fetched_at": capture.get("captured_at") or utc_now()}
        if capture:
            record["capture"] = capture
        return record

    def record_error(self, url: str, kind: str, message: str) -> None:
        """A failure that makes the crawl incomplete (a page not fetched, a page not readable)."""
        self.problems.append({"url": url, "kind": kind, "severity": "error", "message": message})
        self.crawler.stats.inc_value(f"saisei/errors/{kind}")
        self.crawler.stats.inc_value("saisei/errors")
        logger.error("%s: %s (%s)", kind, message, url)

    def record_warning(self, url: str, kind: str, message: str) -> None:
        """Something lost from an otherwise good page (one unreadable row): reported, not fatal."""
        self.problems.append({"url": url, "kind": kind, "severity": "warning", "message": message})
        self.crawler.stats.inc_value(f"saisei/warnings/{kind}")
        logger.warning("%s: %s (%s)", kind, message, url)

    def errback(self, failure):
        """Turn a failed request into an error record; nothing is yielded for it."""
        request = failure.request
        if failure.check(HttpError):
            response = failure.value.response
            self.record_error(request.url, "http", f"HTTP {response.status}")
        elif failure.check(IgnoreRequest):
            self.record_error(request.url, "not_fetched", str(failure.value) or "request ignored")
        else:
            self.record_error(request.url, "download", repr(failure.value))
