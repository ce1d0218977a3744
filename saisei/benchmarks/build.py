"""``saisei benchmark build``: time and peak memory of an offline build at scale, stage by stage (issue 14).

The bundled sample archive with its class-2 plan list replaced by a generated page of ``--plans`` rows is
crawled as ``saisei build --offline`` crawls it; then ``--clinics`` synthetic clinic pages are appended to the
``clinic_sites`` feed (copies of a crawled clinic page with their own name, site, phone and prefecture; every
other one, up to one per plan row, a facility of the generated plan list, so verification finds matches as well
as misses; streamed to disk), and the database is written by the build's own
:func:`saisei.database.write_database`, then written again over itself (``--rebuild``: a rebuild diffs every
table against the database it replaces).
The run is one fresh interpreter, so its peak resident memory is the build's: each stage's peak is read from
``VmHWM`` after resetting it through ``/proc/self/clear_refs`` as the stage begins, and the run's is the highest
(the reset also resets what ``wait4``'s ``ru_maxrss`` reports).

The baseline, run in the same command on the same feed files in another fresh interpreter, is a bare load:
every item parsed and written back as one row with sqlite-utils, the least any build of these items does. The
ratios are the build's database stages against it. Crawling 100,000 real sites offline would take hours; the
pages' *extraction* is measured by ``saisei benchmark extraction``, this is everything after it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import click

from readers.regions import PREFECTURES
from saisei.benchmarks import benchmark
from saisei.benchmarks.plans import generate_plan_page
from saisei.paths import SAMPLE_SOURCES

NAMES = ("湊見台", "さくら通り", "ひまわり台", "こもれび坂", "杜の泉", "みなと西", "銀杏並木", "灯台通り", "星降町")
#: words of the names in Latin letters (Repair Cell Clinic, TRINITY): English words, a few romaji, all read by e2k
LATIN_WORDS = ("Repair", "Cell", "Trinity", "Evergreen", "Harbor", "Bright", "Smile", "Ocean", "Sunrise", "Maple",
               "Garden", "Hills", "Station", "Park", "Blue", "Forest", "River", "Bay", "Grace", "Regen", "Vital",
               "Prime", "Care", "Life", "Joint", "Sports", "Knee", "Beauty", "Sakura", "Minato", "Aoba", "Tenjin")
#: share of the synthetic clinics (those not printed in the plan list) named in Latin letters by default
LATIN_SHARE = 0.1


def latin_name(i: int) -> str:
    """The i-th clinic's name in Latin letters: two words of :data:`LATIN_WORDS` (1,024 pairs, so words repeat
    across names as real ones do) and its number, so no two clinics share a name."""
    words = len(LATIN_WORDS)
    return f"{LATIN_WORDS[i % words]} {LATIN_WORDS[(i // words) % words]} Clinic {i}"


def synthetic_pages(template: dict, clinics: int, plans: int = 0, latin_share: float = 0.0):
    """``clinics`` clinic-page items shaped as ``template`` (one the crawl read), each a different clinic.

    With ``plans``, every other clinic (up to one per plan row) prints the name, prefecture, town and phone of a
    facility of the generated plan list (row ``i // 2``, as :func:`generate_plan_page` writes it), so it is found
    in the registry. Of the others, ``latin_share`` are named in Latin letters (:func:`latin_name`), which the
    verifier reads through e2k's English spelling model when no facility matches them by characters.
    """
    clinic = template["clinic"]
    name, host, phone = clinic["name_printed"], template["site"], clinic["phone"]
    line = json.dumps(template, ensure_ascii=False)
    others = 0
    for i in range(clinics):
        row = i // 2 if i % 2 == 0 and i // 2 < plans else None  # each facility once: no two sites merge
        prefecture = PREFECTURES[(i if row is None else row) % len(PREFECTURES)]
        text = line
        if row is not None:
            text = text.replace(clinic["address"], f"{prefecture}架空市{row % 50 + 1}丁目{row % 9 + 1}番{row % 7 + 1}号")
            text = text.replace(f'"{clinic["city"]}"', '"架空市"')
        if row is not None:
            new_name = f"第{row + 1}ひざ関節クリニック"
        else:
            others += 1  # spread evenly among the clinics not in the plan list: every 10th at 0.1
            latin = int(others * latin_share) != int((others - 1) * latin_share)
            new_name = latin_name(i) if latin else f"{NAMES[i % len(NAMES)]}第{i}クリニック"
        new_phone = f"0{row % 9 + 1}-5555-{row % 10000:04d}" if row is not None else \
            f"0{i % 9 + 1}-{i // 10000 + 1000:04d}-{i % 10000:04d}"
        yield (text.replace(name, new_name).replace(host, f"c{i}.example").replace(phone, new_phone)
               .replace(clinic["prefecture"], prefecture))


# --- the measured processes (python -m saisei.benchmarks.build build|bare …) --------------------------------


def _status_mb(field: str = "VmHWM") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def stage(name: str):
    """Print one JSON line with the wall time and the peak RSS of what runs inside, and how much the resident
    memory grew from its start to its end: what the stage left behind (caches, garbage not returned)."""
    with open("/proc/self/clear_refs", "w") as refs:  # "5" resets the resident high-water mark (VmHWM)
        refs.write("5")
    rss = _status_mb("VmRSS")
    started = time.perf_counter()
    yield
    print(json.dumps({"stage": name, "seconds": time.perf_counter() - started, "peak_mb": _status_mb(),
                      "grown_mb": _status_mb("VmRSS") - rss}), flush=True)


def _build(archive: Path, db_path: Path, clinics: int, plans: int, rebuild: bool, latin_share: float) -> None:
    """The measured build: crawl the archive, add the synthetic pages to the clinic feed, write the database."""
    from saisei.crawl import run_crawl
    from saisei.database import write_database

    workdir = db_path.parent / "run"
    with stage("crawl"):
        result = run_crawl(workdir, archive=archive, overrides={"SAISEI_PREVIOUS_DB": str(db_path)})
    with stage("synthetic pages"):
        feed = workdir / "items-clinic_sites.jsonl"
        template = next(item for item in map(json.loads, feed.open(encoding="utf-8"))
                        if item.get("record") == "clinic_page" and item.get("status") == "ok"
                        and (item.get("clinic") or {}).get("phone") and item.get("offerings"))
        with feed.open("a", encoding="utf-8") as out:
            for line in synthetic_pages(template, clinics, plans, latin_share):
                out.write(line + "\n")
    for run in ("build", "rebuild") if rebuild else ("build",):
        summary = write_database(db_path, result, run_id=run, archive=str(archive), sample=True,
                                 stage=lambda name, run=run: stage(f"{run} {name}"))
    print(json.dumps({k: summary.counts.get(k) for k in ("plans", "clinics", "verifications", "clinic_pages")}))


def _bare(items_dir: Path, db_path: Path) -> None:
    """The baseline: every item of the feed files parsed once and written once, as one row, with sqlite-utils."""
    import sqlite_utils

    db = sqlite_utils.Database(db_path)
    with stage("bare load"):
        for path in sorted(items_dir.glob("items-*.jsonl")):
            with path.open(encoding="utf-8") as lines:
                rows = ({"record": json.loads(line).get("record"), "item": line} for line in lines if line.strip())
                db["items"].insert_all(rows, batch_size=1000)
    db.close()


def _measure(*args: str) -> tuple[int, float, float, list[str]]:
    """(exit code, seconds, peak RSS in MB, printed lines) of ``python -m saisei.benchmarks.build ARGS``."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "saisei.benchmarks.build", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), time.perf_counter() - started, usage.ru_maxrss / 1024, \
        output.strip().splitlines()


def _stages(lines: list[str]) -> list[dict]:
    return [json.loads(line) for line in lines if line.startswith('{"stage"')]


@benchmark.command("build")
@click.option("--clinics", type=int, default=100_000, show_default=True)
@click.option("--plans", "plan_rows", type=int, default=20_000, show_default=True)
@click.option("--rebuild/--no-rebuild", default=True, show_default=True,
              help="Write the database a second time over the first (history diffs against a previous build).")
@click.option("--latin-names", "latin_share", type=click.FloatRange(0, 1), default=LATIN_SHARE, show_default=True,
              help="Share of the clinics not in the plan list named in Latin letters (read through e2k).")
def build_benchmark(clinics, plan_rows, rebuild, latin_share):
    """Seconds and peak RSS of an offline build with this many clinics and plans, per stage, against a bare load.

    \b
    Example:
      saisei benchmark build                      # 100,000 clinics, 20,000 plans, built then rebuilt
      saisei benchmark build --clinics 10000 --plans 2000 --no-rebuild
      saisei benchmark build --clinics 10000 --latin-names 0   # every name in Japanese
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
        code, seconds, peak, lines = _measure("build", str(archive), str(db_path), str(clinics), str(plan_rows),
                                              str(int(rebuild)), str(latin_share))
        size = db_path.stat().st_size / 1e6 if db_path.exists() else 0
        stages = _stages(lines)
        # resetting VmHWM resets what wait4 reports too: the run's peak is the highest of its stages'
        peak = max([peak, *(s["peak_mb"] for s in stages)])
        click.echo(f"offline build, {clinics:,} synthetic clinics ({latin_share:.0%} of those not in the plan list "
                   f"named in Latin letters) + {plan_rows:,}-row plan list: exit {code}, "
                   f"{seconds:.1f} s, peak RSS {peak:.0f} MB, database {size:.0f} MB")
        bare_code, _, _, bare_lines = _measure("bare", str(db_path.parent / "run"), str(workdir / "bare.db"))
        bare = _stages(bare_lines)
        click.echo(f"{'stage':<28}{'seconds':>9}{'peak RSS MB':>13}{'RSS grew MB':>13}")
        for row in stages + bare:
            click.echo(f"{row['stage']:<28}{row['seconds']:>9.1f}{row['peak_mb']:>13.0f}{row['grown_mb']:>13.0f}")
        if bare_code == 0 and bare:
            base = bare[0]["seconds"]
            for run in ("build", "rebuild"):
                runs = [s for s in stages if s["stage"].startswith(f"{run} ")]
                if runs:
                    took = sum(s["seconds"] for s in runs)
                    most = max(s["peak_mb"] for s in runs)
                    click.echo(f"{run}: database stages {took:.1f} s = {took / base:.1f}x the bare load's "
                               f"{base:.1f} s; peak RSS {most:.0f} MB = {most / bare[0]['peak_mb']:.1f}x its "
                               f"{bare[0]['peak_mb']:.0f} MB")
        click.echo(lines[-1] if lines else "{}")


if __name__ == "__main__":
    if sys.argv[1] == "build":
        _build(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1",
               float(sys.argv[7]))
    else:
        _bare(Path(sys.argv[2]), Path(sys.argv[3]))
