"""``saisei benchmark crawl``: pages/s of the shared clinic-site crawl with 1 and 2 workers on the loopback
farm, and the share of 304s when the unchanged farm is crawled again. Prints numbers; never fails on timing."""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

import click

from saisei.benchmarks import benchmark
from saisei.benchmarks.crawl_farm import Farm, RedisServer, start_worker


def crawl(redis_url: str, crawl_id: str, farm: Farm, workdir: Path, workers: int) -> tuple[float, Counter, list]:
    farm.take_counts()
    started = time.monotonic()
    processes = [start_worker(redis_url, crawl_id, farm.seeds, workdir / f"{crawl_id}-{i}.log") for i in range(workers)]
    codes = [p.wait(900) for p in processes]
    return time.monotonic() - started, farm.take_counts(), codes


def pages_per_second(seconds: float, counts: Counter) -> float:
    return sum(counts.values()) / seconds if seconds else 0.0


@benchmark.command("crawl")
@click.option("--sites", type=click.IntRange(min=10), default=2000, show_default=True)
def crawl_command(sites):
    """Shared crawl of a generated loopback farm: pages/s at 1 and 2 workers, 304 share on a refresh.

    Needs Debian's redis-server (started on a free port, in memory). Nothing leaves 127.0.0.1.

    \b
    Example:
      saisei benchmark crawl --sites 2000
    """
    with tempfile.TemporaryDirectory() as tmp, RedisServer(Path(tmp) / "redis") as redis, Farm(sites) as farm:
        workdir = Path(tmp)
        farm.seeds = farm.seeds_file(workdir / "seeds.txt")
        rows = []
        for workers, db in ((1, 1), (2, 2)):
            seconds, counts, codes = crawl(f"{redis.url}/{db}", f"bench-{workers}", farm, workdir, workers)
            rows.append((workers, seconds, counts, codes))
            click.echo(f"{workers} worker(s): {sum(counts.values())} requests in {seconds:.1f} s = "
                       f"{pages_per_second(seconds, counts):.0f} pages/s (exit {codes})")
        seconds, counts, codes = crawl(f"{redis.url}/2", "bench-refresh", farm, workdir, 2)
        statuses = Counter()
        for (_, _, status), n in counts.items():
            statuses[status] += n
        share = statuses[304] / max(sum(statuses.values()), 1)
        click.echo(f"refresh, 2 workers: {dict(statuses)} in {seconds:.1f} s; 304 share {share:.1%}")
        one, two = rows[0][1], rows[1][1]
        click.echo(f"speed-up of 2 workers over 1: {one / two:.2f}x (2 cores shared with everything else)")
