"""``saisei benchmark build``: time and peak memory of an offline build at scale (issue 14).

The bundled sample archive with its class-2 plan list replaced by a generated page of ``--plans`` rows is
crawled as ``saisei build --offline`` crawls it; then ``--clinics`` synthetic clinic pages are appended to the
``clinic_sites`` feed (copies of a crawled clinic page with their own name, site, phone and prefecture,
streamed to disk), and the database is written by the build's own :func:`saisei.database.write_database`.
The whole run is one fresh interpreter, so its peak resident memory (``wait4``'s ``ru_maxrss``) is the build's.
Crawling 100,000 real sites offline would take hours; the pages' *extraction* is measured by ``saisei
benchmark extraction``, this is everything after it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from readers.regions import PREFECTURES
from saisei.benchmarks import benchmark
from saisei.benchmarks.plans import generate_plan_page
from saisei.paths import SAMPLE_SOURCES

NAMES = ("湊見台", "さくら通り", "ひまわり台", "こもれび坂", "杜の泉", "みなと西", "銀杏並木", "灯台通り", "星降町")


def synthetic_pages(template: dict, clinics: int):
    """``clinics`` clinic-page items shaped as ``template`` (one the crawl read), each a different clinic."""
    clinic = template["clinic"]
    name, host, phone = clinic["name_printed"], template["site"], clinic["phone"]
    line = json.dumps(template, ensure_ascii=False)
    for i in range(clinics):
        prefecture = PREFECTURES[i % len(PREFECTURES)]
        text = (line.replace(name, f"{NAMES[i % len(NAMES)]}第{i}クリニック").replace(host, f"c{i}.example")
                .replace(phone, f"0{i % 9 + 1}-{i // 10000 + 1000:04d}-{i % 10000:04d}")
                .replace(clinic["prefecture"], prefecture))
        yield text


def _run(archive: Path, db_path: Path, clinics: int) -> None:
    """The measured build: crawl the archive, add the synthetic pages to the clinic feed, write the database."""
    from saisei.crawl import run_crawl
    from saisei.database import write_database

    workdir = db_path.parent / "run"
    result = run_crawl(workdir, archive=archive, overrides={"SAISEI_PREVIOUS_DB": str(db_path)})
    feed = workdir / "items-clinic_sites.jsonl"
    template = next(item for item in map(json.loads, feed.open(encoding="utf-8"))
                    if item.get("record") == "clinic_page" and item.get("status") == "ok"
                    and (item.get("clinic") or {}).get("phone") and item.get("offerings"))
    with feed.open("a", encoding="utf-8") as out:
        for line in synthetic_pages(template, clinics):
            out.write(line + "\n")
    summary = write_database(db_path, result, run_id="bench", archive=str(archive), sample=True)
    print(json.dumps({k: summary.counts.get(k) for k in ("plans", "clinics", "verifications", "clinic_pages")}))


@benchmark.command("build")
@click.option("--clinics", type=int, default=100_000, show_default=True)
@click.option("--plans", "plan_rows", type=int, default=20_000, show_default=True)
def build_benchmark(clinics, plan_rows):
    """Seconds and peak RSS of an offline build with this many clinics and plans.

    \b
    Example:
      saisei benchmark build                      # 100,000 clinics, 20,000 plans
      saisei benchmark build --clinics 10000 --plans 2000
    """
    from scrapers.webarchive import pack_sample

    with tempfile.TemporaryDirectory(prefix="saisei-bench-") as tmp:
        workdir = Path(tmp)
        sources = workdir / "sample"
        shutil.copytree(SAMPLE_SOURCES, sources)
        page = generate_plan_page(plan_rows).body
        (sources / "pages" / "saiseiiryo.mhlw.go.jp" / "published_plan" / "index" / "2.html").write_bytes(page)
        archive = pack_sample(sources, workdir / "bench.wacz")
        db_path = workdir / "db" / "bench.db"
        db_path.parent.mkdir()
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "saisei.benchmarks.build", str(archive), str(db_path), str(clinics)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        )
        output = process.stdout.read().decode()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        size = db_path.stat().st_size / 1e6 if db_path.exists() else 0
        click.echo(f"offline build, {clinics:,} synthetic clinics + {plan_rows:,}-row plan list: exit "
                   f"{os.waitstatus_to_exitcode(status)}, {seconds:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB, "
                   f"database {size:.0f} MB")
        click.echo(output.strip())


if __name__ == "__main__":
    _run(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
