"""One request per host per interval, across every worker of every crawl sharing a Redis.

Scrapy's own ``DOWNLOAD_DELAY`` and ``CONCURRENT_REQUESTS_PER_DOMAIN`` hold within one process only; two
workers would each send their own request per second. Before a request leaves, this middleware takes the
host's slot: ``SET saisei:host-slot:<host> <worker> NX PX <interval>``. Whoever sets the key may send; the
others wait until it expires. The slot is taken when the request is sent, so requests to one host start at
least ``SAISEI_HOST_INTERVAL`` seconds apart (default: ``DOWNLOAD_DELAY``), whichever worker sends them.

It sits after the HTTP cache (order 920 > 900): a page the cache answers without the network takes no slot,
a conditional request (304) does. robots.txt requests pass through here like any other, and
``ROBOTSTXT_OBEY`` stays on in every worker, so robots.txt is obeyed by each of them.
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import reactor, task

from scrapers.shared import HOST_SLOT_PREFIX, redis_client


class HostSlotMiddleware:
    def __init__(self, server, worker: str, interval: float, stats=None):
        self.server = server
        self.worker = worker
        self.interval_ms = int(interval * 1000)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.get("SAISEI_CRAWL_ID"):
            raise NotConfigured
        interval = settings.get("SAISEI_HOST_INTERVAL")
        interval = settings.getfloat("DOWNLOAD_DELAY") if interval in (None, "") else float(interval)
        if interval <= 0:
            raise NotConfigured
        return cls(redis_client(settings["REDIS_URL"]), settings["SAISEI_WORKER_ID"], interval, crawler.stats)

    def try_slot(self, host: str) -> float:
        """Take the host's slot if it is free (returns 0) or say how many seconds until it may be."""
        key = HOST_SLOT_PREFIX + host
        if self.server.set(key, self.worker, nx=True, px=self.interval_ms):
            return 0.0
        remaining = self.server.pttl(key)
        return max(remaining, 5) / 1000 if remaining > 0 else 0.005

    async def take_slot(self, host: str) -> float:
        """Wait for the host's slot; returns the seconds waited."""
        waited = 0.0
        while pause := self.try_slot(host):
            await maybe_deferred_to_future(task.deferLater(reactor, pause))
            waited += pause
        return waited

    async def process_request(self, request, spider=None):
        waited = await self.take_slot(urlparse_cached(request).hostname or "")
        if waited and self.stats is not None:
            self.stats.inc_value("saisei/politeness/waits")
        return None
