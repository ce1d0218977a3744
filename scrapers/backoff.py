"""Back off from a host that answers 403 or 429, retry a few times, then stop the spider with a clear error.

e-再生医療 has answered scrapers with 403/429 (domain.md §2). Retrying at once (Scrapy's RetryMiddleware)
only digs deeper, so this middleware, placed before it, waits first: ``Retry-After`` when the host sends one,
else ``SAISEI_BACKOFF_BASE_DELAY`` doubled per attempt (capped by ``SAISEI_BACKOFF_MAX_DELAY``). The wait is
applied to the host's download slot, so every request to that host slows down, not just this one. After
``SAISEI_BACKOFF_RETRIES`` attempts the spider records a ``blocked`` error (yielded by the request's errback) and is closed: the build then
refuses to publish and says why. A replayed answer is never retried: an archive says the same thing twice.
"""

from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime

from scrapy.utils.defer import deferred_from_coro

from scrapers.base import carry_problem

logger = logging.getLogger(__name__)

BLOCKING_CODES = (403, 429)


def retry_after(value: bytes | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), None when absent/unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(text) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class BackoffMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.retries = settings.getint("SAISEI_BACKOFF_RETRIES", 3)
        self.base_delay = settings.getfloat("SAISEI_BACKOFF_BASE_DELAY", 15.0)
        self.max_delay = settings.getfloat("SAISEI_BACKOFF_MAX_DELAY", 300.0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def delay_for(self, attempt: int, header: bytes | None) -> float:
        """Retry-After if given (capped), else base × 2^attempt (capped)."""
        asked = retry_after(header)
        delay = asked if asked is not None else self.base_delay * (2**attempt)
        return min(delay, self.max_delay)

    def _crawler_attr(self, name: str):
        """``crawler.engine``/``crawler.spider``, or None before the crawl started (as in unit tests)."""
        try:
            return getattr(self.crawler, name, None)
        except RuntimeError:
            return None

    def _slow_down(self, request, delay: float) -> None:
        engine = self._crawler_attr("engine")
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None:
            slot.delay = max(slot.delay, delay)

    def process_response(self, request, response, spider=None):
        if response.status not in BLOCKING_CODES:
            return response
        stats = self.crawler.stats
        attempt = request.meta.get("saisei_backoff_attempt", 0)
        if "archive" not in response.flags and attempt < self.retries:
            delay = self.delay_for(attempt, response.headers.get("Retry-After"))
            stats.inc_value(f"saisei/backoff/{response.status}")
            stats.inc_value("saisei/backoff/waited_seconds", delay)
            logger.warning("HTTP %s from %s: waiting %.0f s before retry %d of %d",
                           response.status, request.url, delay, attempt + 1, self.retries)
            self._slow_down(request, delay)
            retry = request.replace(dont_filter=True)
            retry.meta["saisei_backoff_attempt"] = attempt + 1
            return retry
        return self._give_up(request, response, attempt)

    def _give_up(self, request, response, attempt: int):
        """Record a ``blocked`` error on the spider, keep Scrapy from retrying again, and close the spider."""
        request.meta["dont_retry"] = True
        self.crawler.stats.inc_value("saisei/backoff/gave_up")
        spider = self._crawler_attr("spider")
        message = (f"HTTP {response.status} after {attempt} retr{'y' if attempt == 1 else 'ies'} with back-off: "
                   "the host is refusing us; the crawl stops here")
        if spider is not None and hasattr(spider, "record_error"):
            # a middleware cannot yield items: the problem rides on the request to its errback, which yields it
            carry_problem(request, spider.record_error(request.url, "blocked", message))
        engine = self._crawler_attr("engine")
        if engine is not None and getattr(engine, "spider", None) is not None:
            deferred_from_coro(engine.close_spider_async(reason="blocked"))
        return response
