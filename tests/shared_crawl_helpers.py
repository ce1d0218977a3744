"""Helpers for the shared-crawl tests: a redis-server fixture and reading a crawl's outcome back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from saisei.benchmarks.crawl_farm import FARM_SETTINGS, RedisServer, start_worker
from scrapers.shared import CrawlKeys


def redis_or_skip(workdir: Path) -> RedisServer:
    """CI installs redis-server (.ci/run) and must never skip; elsewhere a missing one skips with the fix."""
    if not shutil.which("redis-server") and not Path("/usr/bin/redis-server").exists():
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing in CI: .ci/run must install it")
        pytest.skip("redis-server is not installed: apt-get install redis-server")
    return RedisServer(workdir)


def comparable(item: dict) -> str:
    """An item without its fetch time, as canonical JSON: equal pages give equal strings."""
    return json.dumps({k: v for k, v in item.items() if k != "fetched_at"}, sort_keys=True, ensure_ascii=False)


def redis_items(server, crawl: str) -> list[str]:
    return sorted(comparable(json.loads(v)) for v in server.hvals(CrawlKeys(crawl).items))


def closed_workers(server, crawl: str) -> list[dict]:
    return [json.loads(v) for v in server.hvals(CrawlKeys(crawl).closed)]


def run_workers(redis_url: str, crawl: str, seeds: Path, logs: Path, count: int, timeout: float = 240) -> list[int]:
    logs.mkdir(parents=True, exist_ok=True)
    workers = [start_worker(redis_url, crawl, seeds, logs / f"{crawl}-{i}.log") for i in range(count)]
    return [w.wait(timeout) for w in workers]


def one_process_crawl(seeds: Path, workdir: Path) -> list[str]:
    """Today's local crawl (saisei.crawl.run_crawl, no Redis) of the same seeds: the reference items."""
    overrides = {**FARM_SETTINGS, "SAISEI_CLINIC_SEEDS": str(seeds)}
    code = (
        "import sys, json; from pathlib import Path; from saisei.crawl import run_crawl;"
        "from scrapers.spiders.clinic_sites import ClinicSitesSpider;"
        "r = run_crawl(Path(sys.argv[1]), spiders=(ClinicSitesSpider,), overrides=json.loads(sys.argv[2]));"
        "sys.exit(0 if r.ok else 1)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(workdir), json.dumps(overrides)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = (workdir / "items-clinic_sites.jsonl").read_text(encoding="utf-8").splitlines()
    return sorted(comparable(json.loads(line)) for line in lines if line.strip())


def wait_for(predicate, timeout: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False
