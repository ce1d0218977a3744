"""Shared crawls with the real parts: Debian's redis-server, two ``saisei crawl-worker`` processes, and a
loopback farm of 2,000 generated clinic sites (saisei.benchmarks.crawl_farm) reached through a resolver that
maps every name to 127.0.0.1. The farm counts every request: the ground truth for "fetched exactly once".

One module-wide farm and Redis; each scenario uses its own Redis database, so its cache starts empty.
"""

from __future__ import annotations

import json
import signal
from collections import Counter

import pytest
import redis

from saisei.benchmarks.crawl_farm import PRIVATE_EVERY, Farm, start_worker
from scrapers.shared import CrawlKeys
from tests.conftest import run_saisei
from tests.shared_crawl_helpers import (
    closed_workers,
    one_process_crawl,
    redis_items,
    redis_or_skip,
    run_workers,
    wait_for,
)

pytestmark = pytest.mark.slow
SITES = 2000


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    with redis_or_skip(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="module")
def farm(tmp_path_factory):
    with Farm(SITES) as farm:
        farm.seeds = farm.seeds_file(tmp_path_factory.mktemp("farm") / "seeds.txt")
        yield farm


@pytest.fixture(scope="module")
def reference(farm, tmp_path_factory):
    """Items of a one-process crawl (today's local crawl, no Redis) of the farm."""
    items = one_process_crawl(farm.seeds, tmp_path_factory.mktemp("one-process"))
    farm.take_counts()
    return items


@pytest.fixture(scope="module")
def two_workers(redis_server, farm, reference, tmp_path_factory):
    """Two workers crawl the farm into Redis database 1; the farm's counts of that crawl."""
    farm.take_counts()
    url = redis_server.url + "/1"
    codes = run_workers(url, "two", farm.seeds, tmp_path_factory.mktemp("logs"), 2)
    return {"url": url, "codes": codes, "counts": farm.take_counts()}


def pages(counts: Counter, status: int) -> Counter:
    """Requests per home page with this status (robots.txt apart)."""
    return Counter({(host, path): n for (host, path, s), n in counts.items() if s == status and path == "/"})


def test_one_process_reference_reads_every_site(reference):
    records = Counter(json.loads(item)["record"] for item in reference)
    # every site's home page, and a warning item (a Problem) for each /private/ page robots.txt forbids
    assert records == {"clinic_page": SITES, "problem": SITES // PRIVATE_EVERY}


def test_two_workers_fetch_every_page_exactly_once(two_workers):
    assert two_workers["codes"] == [0, 0]
    fetched = pages(two_workers["counts"], 200)
    assert len(fetched) == SITES
    assert max(fetched.values()) == 1, "a page was fetched twice"
    robots = Counter({h: n for (h, p, s), n in two_workers["counts"].items() if p == "/robots.txt"})
    assert len(robots) == SITES and max(robots.values()) == 1  # one shared robots.txt per host, via the cache
    assert not any(p.startswith("/private/") for (_, p, _) in two_workers["counts"]), "robots.txt was ignored"


def test_both_workers_took_part_and_items_equal_one_process(two_workers, reference):
    server = redis.Redis.from_url(two_workers["url"])
    workers = closed_workers(server, "two")
    assert len(workers) == 2 and all(w["finish_reason"] == "finished" for w in workers)
    assert all(w["items"] > 0 for w in workers), workers  # the crawl was shared, not done by one
    assert redis_items(server, "two") == reference
    print(f"two workers: pages/items per worker {[(w['pages'], w['items']) for w in workers]}")


def test_refresh_of_the_unchanged_farm_costs_only_304s(two_workers, redis_server, farm, reference, tmp_path):
    codes = run_workers(two_workers["url"], "two-refresh", farm.seeds, tmp_path, 2)
    counts = farm.take_counts()
    assert codes == [0, 0]
    assert not pages(counts, 200), "a page was fetched in full on an unchanged refresh"
    assert len(pages(counts, 304)) == SITES
    server = redis.Redis.from_url(two_workers["url"])
    assert redis_items(server, "two-refresh") == reference
    unchanged = {k: int(v) for k, v in server.hgetall(CrawlKeys("two-refresh").hosts).items() if k.endswith(b"\tunchanged")}
    assert len(unchanged) == SITES and set(unchanged.values()) == {1}


def test_worker_killed_mid_crawl_and_restarted_gives_the_same_result(redis_server, farm, reference, tmp_path):
    farm.take_counts()
    url = redis_server.url + "/2"
    a = start_worker(url, "kill", farm.seeds, tmp_path / "a.log", SAISEI_WORKER_TIMEOUT="2")
    b = start_worker(url, "kill", farm.seeds, tmp_path / "b.log", SAISEI_WORKER_TIMEOUT="2")
    assert wait_for(lambda: farm.served() >= SITES // 2, timeout=180), "the crawl did not get going"
    a.send_signal(signal.SIGKILL)
    a.wait(10)
    server = redis.Redis.from_url(url)
    assert server.zcard(CrawlKeys("kill").requests) or server.hlen(CrawlKeys("kill").items) < SITES
    restarted = start_worker(url, "kill", farm.seeds, tmp_path / "a2.log", SAISEI_WORKER_TIMEOUT="2")
    assert [b.wait(240), restarted.wait(240)] == [0, 0]
    counts = farm.take_counts()
    fetched = pages(counts, 200)
    assert len(fetched) == SITES, "a page was lost"
    twice = sum(n - 1 for n in fetched.values())
    # only the pages on the wire when the worker died can be fetched again (at most CONCURRENT_REQUESTS)
    assert twice <= 32, f"{twice} pages fetched twice"
    assert redis_items(server, "kill") == reference
    assert server.zcard(CrawlKeys("kill").requests) == 0
    print(f"kill-and-resume: {len(fetched)} pages, {twice} fetched twice, "
          f"workers {[(w['pages'], w['items']) for w in closed_workers(server, 'kill')]}")


def test_build_from_redis_publishes_the_shared_crawl(two_workers, tmp_path):
    db = tmp_path / "saisei.db"
    done = run_saisei("build", "--offline", "--db", str(db), "--from-redis", two_workers["url"], "--crawl", "two")
    assert done.returncode == 0, done.stderr[-3000:]
    import sqlite_utils

    database = sqlite_utils.Database(db)
    runs = {r["spider"]: r for r in database["crawl_runs"].rows}
    assert runs["clinic_sites"]["items"] == SITES
    assert database["clinics"].count >= SITES
    report = next((db.parent / "runs").glob("*/report.json")).read_text(encoding="utf-8")
    assert '"fetched": 1' in report


def test_build_refuses_an_unfinished_shared_crawl_and_keeps_the_database(two_workers, tmp_path):
    db = tmp_path / "saisei.db"
    db.write_bytes(b"the published database")
    server = redis.Redis.from_url(two_workers["url"])
    keys = CrawlKeys("half")
    server.hset(keys.closed, "w1", '{"finish_reason": "finished", "finished_at": "2026-01-01T00:00:00Z"}')
    server.zadd(keys.requests, {b"a request still queued": 0})
    done = run_saisei("build", "--offline", "--db", str(db), "--from-redis", two_workers["url"], "--crawl", "half")
    assert done.returncode == 1
    assert "not finished: 1 request(s) queued" in done.stderr
    assert db.read_bytes() == b"the published database"


def test_build_from_an_unreachable_redis_is_a_clear_error(tmp_path):
    db = tmp_path / "saisei.db"
    done = run_saisei("build", "--offline", "--db", str(db), "--from-redis", "redis://127.0.0.1:1/0", "--crawl", "x")
    assert done.returncode == 2
    assert "no Redis answers at redis://127.0.0.1:1/0" in done.stderr
    assert not db.exists()


def test_private_pages_exist_on_the_farm():
    assert PRIVATE_EVERY <= SITES
