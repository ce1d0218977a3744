"""``saisei build --from-redis URL --crawl ID``: a shared crawl's items as the clinic_sites run of a build.

The workers (``saisei crawl-worker``) left items (problems among them), per-host counts and how each of them closed in
Redis. This reads them into the same shape a local crawl has: an ``items-clinic_sites.jsonl`` feed in the
run's folder and a :class:`~saisei.crawl.SpiderRun`, so the monitors, the database writer and the atomic
publish are the ones every build uses. A crawl still running, or with requests queued or in flight (a worker
killed and not replaced), is reported as not finished, which fails the build's checks: a partial crawl never
replaces a good database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from scrapers.base import utc_now
from scrapers.items import is_problem
from scrapers.shared import CrawlKeys, redis_client
from scrapers.shared.report import per_host

SPIDER = "clinic_sites"


class SharedCrawlError(RuntimeError):
    """The shared crawl cannot be read (no Redis there, no such crawl)."""


@dataclass
class CrawlState:
    queued: int
    in_flight: int
    running: list[str]
    closed: list[dict] = field(default_factory=list)

    @property
    def finish_reason(self) -> str:
        if not self.closed and not self.running:
            return "not started"
        if self.queued or self.in_flight or self.running:
            return (f"not finished: {self.queued} request(s) queued, {self.in_flight} in flight, "
                    f"{len(self.running)} worker(s) registered (start a worker to finish the crawl)")
        if not any(c.get("finish_reason") == "finished" for c in self.closed):
            return self.closed[-1].get("finish_reason", "unknown")
        return "finished"


def crawl_state(server, keys: CrawlKeys) -> CrawlState:
    running = sorted(w.decode() for w in server.smembers(keys.workers))
    in_flight = sum(server.hlen(keys.inflight(w)) for w in running)
    closed = [json.loads(v) for v in server.hvals(keys.closed)]
    closed.sort(key=lambda c: c.get("finished_at", ""))
    return CrawlState(server.zcard(keys.requests), in_flight, running, closed)


def unique_problems(items: list[dict]) -> list[dict]:
    """The problem items, once each and without their record tag: a request replayed after a crash, or two
    workers meeting the same failure, report it again."""
    seen, problems = set(), []
    for item in items:
        if not is_problem(item):
            continue
        problem = {k: v for k, v in item.items() if k != "record"}
        key = (problem.get("url"), problem.get("kind"), problem.get("severity"), problem.get("message"))
        if key not in seen:
            seen.add(key)
            problems.append(problem)
    return problems


def collect(redis_url: str, crawl: str, workdir: Path):
    """Write the crawl's items into ``workdir`` and return its SpiderRun (see the module docstring)."""
    from saisei.crawl import SpiderRun

    try:
        server = redis_client(redis_url)
    except ConnectionError as error:
        raise SharedCrawlError(str(error)) from error
    keys = CrawlKeys(crawl)
    state = crawl_state(server, keys)
    if state.finish_reason == "not started":
        raise SharedCrawlError(f"no crawl '{crawl}' at {redis_url}: start `saisei crawl-worker --crawl {crawl}` first")
    items = server.hgetall(keys.items)
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / f"items-{SPIDER}.jsonl").open("w", encoding="utf-8") as feed:
        for key in sorted(items):
            feed.write(items[key].decode("utf-8") + "\n")
    scraped = [json.loads(items[key]) for key in sorted(items)]
    problems = unique_problems(scraped)
    hosts = per_host({k.decode(): int(v) for k, v in server.hgetall(keys.hosts).items()})
    stats: dict = {}
    for closed in state.closed:
        for name, value in closed.get("stats", {}).items():
            stats[name] = stats.get(name, 0) + value
    for host, counts in hosts.items():
        stats.update({f"saisei/hosts/{host}/{kind}": n for kind, n in counts.items() if n})
    errors = sum(1 for p in problems if p["severity"] == "error")
    errors += sum(c.get("exceptions", 0) + c.get("critical", 0) for c in state.closed)
    return SpiderRun(
        spider=SPIDER,
        started_at=min((c["started_at"] for c in state.closed if c.get("started_at")), default=utc_now()),
        finished_at=max((c["finished_at"] for c in state.closed), default=""),
        finish_reason=state.finish_reason,
        items=sum(1 for item in scraped if not is_problem(item)),
        pages=sum(c["fetched"] + c["unchanged"] + c["reused"] for c in hosts.values()),
        errors=errors,
        warnings=sum(1 for p in problems if p["severity"] == "warning"),
        problems=problems,
        stats=stats,
    )


def host_report(stats: dict) -> dict[str, dict[str, int]]:
    """``saisei/hosts/<host>/<kind>`` counters as ``{host: {kind: n}}`` (for report.json)."""
    counts = {}
    for name, value in stats.items():
        parts = name.split("/")
        if len(parts) == 4 and parts[:2] == ["saisei", "hosts"]:
            counts[f"{parts[2]}\t{parts[3]}"] = value
    return per_host(counts)
