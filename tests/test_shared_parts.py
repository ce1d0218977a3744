"""The shared-crawl parts on their own, against a real redis-server: politeness across workers, the reliable
queue's requeue, the revalidating cache policy."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from scrapers.shared import CrawlKeys
from scrapers.shared.httpcache import STORED_BY, RevalidatingPolicy
from scrapers.shared.politeness import HostSlotMiddleware
from scrapers.shared.queue import REQUEUE, ack
from scrapers.shared.report import per_host
from tests.shared_crawl_helpers import redis_or_skip


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with redis_or_skip(tmp_path_factory.mktemp("redis")) as running:
        yield redis.Redis.from_url(running.url + "/3")


def test_two_workers_never_hit_one_host_within_the_interval(server):
    """Two 'workers' (two middlewares, one Redis) asking for one host at once: grants are an interval apart."""
    workers = [HostSlotMiddleware(server, f"w{i}", 0.15) for i in range(2)]
    granted: list[tuple[float, str]] = []

    async def fetch(worker: HostSlotMiddleware) -> None:
        for _ in range(3):
            while pause := worker.try_slot("clinic.example.jp"):
                await asyncio.sleep(pause)
            granted.append((time.monotonic(), worker.worker))

    async def main():
        await asyncio.gather(*(fetch(w) for w in workers))

    asyncio.run(main())
    granted.sort()
    gaps = [b[0] - a[0] for a, b in zip(granted, granted[1:], strict=False)]
    assert len(granted) == 6 and {w for _, w in granted} == {"w0", "w1"}
    assert min(gaps) >= 0.14, gaps


def test_a_dead_workers_in_flight_requests_go_back_to_the_queue(server):
    keys = CrawlKeys("unit")
    server.hset(keys.inflight("dead"), mapping={"t1": b"request one", "t2": b"request two"})
    server.hset(keys.inflight_scores("dead"), mapping={"t1": 0, "t2": -5})
    ack(server, keys, "dead", "t1")
    moved = server.register_script(REQUEUE)(keys=[keys.requests, keys.inflight("dead"), keys.inflight_scores("dead")])
    assert moved == 1
    assert server.zrange(keys.requests, 0, -1, withscores=True) == [(b"request two", -5.0)]
    assert not server.exists(keys.inflight("dead"))


def cached(headers: dict) -> HtmlResponse:
    return HtmlResponse("http://c1.clinic-farm.test/", body=b"<p>page</p>", headers=headers)


def test_policy_revalidates_even_an_old_page_and_trusts_only_its_own_crawl():
    policy = RevalidatingPolicy(Settings({"SAISEI_CRAWL_ID": "night-2"}))
    old = cached({"ETag": '"abc"', "Last-Modified": "Mon, 02 Jun 2025 00:00:00 GMT"})
    request = Request("http://c1.clinic-farm.test/", meta={STORED_BY: "night-1"})
    assert not policy.is_cached_response_fresh(old, request)
    assert request.headers[b"If-None-Match"] == b'"abc"'
    assert request.headers[b"If-Modified-Since"] == b"Mon, 02 Jun 2025 00:00:00 GMT"
    assert policy.is_cached_response_fresh(old, Request("http://c1.clinic-farm.test/", meta={STORED_BY: "night-2"}))
    error = HtmlResponse("http://c1.clinic-farm.test/", status=503, body=b"busy")
    assert not policy.should_cache_response(error, request)


def test_per_host_counts_have_every_kind():
    assert per_host({"a.jp\tfetched": 2, "a.jp\tunchanged": 1}) == {
        "a.jp": {"fetched": 2, "unchanged": 1, "failed": 0, "reused": 0, "robots": 0}
    }
