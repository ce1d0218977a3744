"""Fetched, unchanged (304) and failed pages per host: the run report's view of an incremental crawl.

A downloader middleware just below the HTTP cache (order 910), so it sees what the network answered: 200s
counted as fetched, 304s as unchanged (the cache then hands the stored page to the spider), 4xx/5xx and
download errors as failed attempts, pages the cache answered without the network (stored earlier by the same
crawl, before a crash) as reused; robots.txt separately. Counts go to Scrapy's stats
(``saisei/hosts/<host>/<kind>``) and, in a shared crawl, to the crawl's ``hosts`` hash in Redis, so a killed
worker's counts are not lost with it.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from scrapers.shared import CrawlKeys, redis_client

KINDS = ("fetched", "unchanged", "failed", "reused", "robots")


def kind_of(request, status: int | None, flags=()) -> str:
    if urlparse_cached(request).path == "/robots.txt":
        return "robots"
    if "cached" in flags:  # answered by this crawl's own cache entry, without the network (a resumed crawl)
        return "reused"
    if status is None or status >= 400:
        return "failed"
    return "unchanged" if status == 304 else "fetched"


class HostReportMiddleware:
    def __init__(self, stats, server=None, key: str | None = None):
        self.stats = stats
        self.server = server
        self.key = key

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if settings.get("SAISEI_CRAWL_ID"):
            return cls(crawler.stats, redis_client(settings["REDIS_URL"]), CrawlKeys(settings["SAISEI_CRAWL_ID"]).hosts)
        return cls(crawler.stats)

    def count(self, request, status: int | None, flags=()) -> None:
        host = urlparse_cached(request).hostname or ""
        kind = kind_of(request, status, flags)
        self.stats.inc_value(f"saisei/hosts/{host}/{kind}")
        if self.server is not None:
            self.server.hincrby(self.key, f"{host}\t{kind}", 1)

    def process_response(self, request, response, spider=None):
        self.count(request, response.status, response.flags)
        return response

    def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, IgnoreRequest):  # robots.txt said no: not a failure of the host
            self.count(request, None)
        return None


def per_host(counts: dict[str, int]) -> dict[str, dict[str, int]]:
    """``{"host\\tkind": n}`` (the Redis hash) as ``{host: {kind: n}}`` with every kind present."""
    hosts: dict[str, dict[str, int]] = {}
    for field, value in counts.items():
        host, _, kind = field.partition("\t")
        hosts.setdefault(host, dict.fromkeys(KINDS, 0))[kind] = int(value)
    return hosts
