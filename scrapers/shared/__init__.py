"""Shared crawls: many ``saisei crawl-worker`` processes, on any number of machines, crawl one set of sites.

Built on scrapy-redis (its scheduler and duplicate filter keep the request queue and the seen fingerprints in
Redis) plus what a crawl of clinic sites needs on top, one concern per module:

- :mod:`.queue`: a pop that keeps each request *in flight* until its response and everything it produced are
  stored, so a worker killed with ``kill -9`` loses nothing (a dead worker's in-flight requests go back);
- :mod:`.worker`: the worker's life in Redis: heartbeat, recovery of dead workers, items (problems
  included) stored as they happen, acknowledgement, and waiting while other workers still have work;
- :mod:`.politeness`: one request per host per interval across every worker (a Redis slot per host);
- :mod:`.httpcache`: a shared HTTP cache in Redis revalidated with ETag / Last-Modified, so a refresh of
  unchanged sites costs 304s;
- :mod:`.report`: fetched, unchanged (304) and failed pages per host.

Every key of a crawl lives under ``saisei:crawl:<crawl id>:``; the HTTP cache and the per-host slots are shared
by all crawls on the same Redis (a refresh is a new crawl id over the same cache).
"""

from __future__ import annotations

from dataclasses import dataclass

#: request.meta key of the in-flight token a popped request carries until it is acknowledged
TOKEN = "saisei_inflight"
CACHE_PREFIX = "saisei:httpcache:"
HOST_SLOT_PREFIX = "saisei:host-slot:"


@dataclass(frozen=True)
class CrawlKeys:
    """The Redis keys of one crawl, declared once for the workers and for ``saisei build --from-redis``."""

    crawl: str

    @property
    def base(self) -> str:
        return f"saisei:crawl:{self.crawl}"

    @property
    def requests(self) -> str:
        return f"{self.base}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.base}:dupefilter"

    @property
    def items(self) -> str:
        return f"{self.base}:items"

    @property
    def hosts(self) -> str:
        return f"{self.base}:hosts"

    @property
    def workers(self) -> str:
        """Set of the workers that have started and not closed."""
        return f"{self.base}:workers"

    @property
    def closed(self) -> str:
        """Hash: worker id -> JSON summary of how it closed."""
        return f"{self.base}:closed"

    def alive(self, worker: str) -> str:
        return f"{self.base}:alive:{worker}"

    def inflight(self, worker: str) -> str:
        return f"{self.base}:inflight:{worker}"

    def inflight_scores(self, worker: str) -> str:
        return f"{self.base}:inflight-score:{worker}"


def redis_client(url: str):
    """A Redis client for ``url``; raises a clear error when nothing answers there."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        raise ConnectionError(f"no Redis answers at {url}: {error}") from error
    return client
