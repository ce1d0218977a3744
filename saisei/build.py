"""``saisei build``: crawl (live or from a web archive), then publish a new database only if the crawl is good."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import click

from saisei.crawl import CrawlResult, run_crawl
from saisei.database import BuildError, write_database
from scrapers.webarchive import ArchiveError, WaczArchive, pack_wacz


def say(message: str) -> None:
    click.echo(message, err=True)


def archive_label(path: Path) -> tuple[str, bool]:
    """Open the archive once before crawling, so a bad path fails with a clear message and no crawl."""
    with WaczArchive(path) as archive:
        sample = bool(archive.metadata.get("saisei_sample"))
        return path.name, sample


def write_report(workdir: Path, result: CrawlResult, status: str, reason: str) -> Path:
    report = {
        "status": status,
        "reason": reason,
        "runs": [{k: v for k, v in asdict(run).items() if k != "stats"} for run in result.runs],
        "log_file": str(result.log_file) if result.log_file else None,
    }
    path = workdir / "report.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def failure_reason(result: CrawlResult) -> str:
    lines = []
    for run in result.runs:
        if run.ok:
            continue
        lines.append(f"{run.spider} ended with '{run.finish_reason}' and {run.errors} error(s)")
        lines.extend(f"  - {p['kind']}: {p['message'][:200]} ({p['url']})" for p in run.problems if p["severity"] == "error")
    return "\n".join(lines) or "no spider ran"


def run_build(
    *,
    db_path: Path,
    archive: Path | None,
    record_to: Path | None,
    verbose: bool,
    allow_partial: bool,
    overrides: dict,
) -> int:
    """The whole build; returns the exit status. Every failure leaves ``db_path`` as it was."""
    started = time.monotonic()
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    workdir = db_path.parent / "runs" / run_id
    sample = False
    source = "live crawl"
    if archive is not None:
        try:
            name, sample = archive_label(archive)
        except (ArchiveError, OSError) as error:
            say(f"error: cannot use the archive: {error}")
            return 2
        source = f"offline archive {archive}" + (" (SAMPLE DATA: fictional clinics)" if sample else "")
    say(f"[1/3] crawl · {source}")
    record_warc = workdir / "crawl.warc.gz" if record_to and archive is None else None
    result = run_crawl(workdir, archive=archive, record_warc=record_warc, verbose=verbose, overrides=overrides)
    if record_warc and record_warc.exists():
        pack_wacz(
            [record_warc],
            record_to,
            title=f"saisei crawl {run_id}",
            description="Responses fetched by a saisei live crawl, as received.",
            created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        say(f"      archived what was fetched: {record_to}")
    status = "ok" if result.ok else "partial"
    if not result.ok and not allow_partial:
        reason = failure_reason(result)
        report = write_report(workdir, result, "failed", reason)
        say(f"error: the crawl failed, so {db_path} was left unchanged.\n{reason}")
        say(f"      report: {report}" + (f"\n      log: {result.log_file}" if result.log_file else ""))
        return 1
    say(f"[2/3] database · {db_path}")
    try:
        summary = write_database(
            db_path, result, run_id=run_id, archive=str(archive) if archive else None, sample=sample
        )
    except BuildError as error:
        write_report(workdir, result, "failed", str(error))
        say(f"error: {error}; {db_path} was left unchanged.")
        return 1
    write_report(workdir, result, status, "")
    say("[3/3] summary")
    print_summary(summary, result, source, time.monotonic() - started)
    return 0


def print_summary(summary, result: CrawlResult, source: str, seconds: float) -> None:
    lines = [f"saisei build finished in {seconds:.1f} s", f"  source    {source}"]
    for run in result.runs:
        lines.append(
            f"  spider    {run.spider}: {run.pages} pages, {run.items} items, "
            f"{run.errors} errors, {run.warnings} warnings ({run.finish_reason})"
        )
    by_class = ", ".join(f"class {k}: {v}" for k, v in sorted(summary.plans_by_class.items()))
    lines.append(f"  database  {summary.db_path}")
    lines.append(f"            plans {summary.counts.get('plans', 0)} ({by_class})")
    if summary.notes.get("duplicate_rows"):
        lines.append(f"            {summary.notes['duplicate_rows']} row(s) printed twice on the registry were merged")
    others = ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items()) if k != "plans")
    lines.append(f"            {others}")
    if result.log_file:
        lines.append(f"  log       {result.log_file}")
    lines.append("  next      saisei serve   ·   saisei check <clinic name or document code>")
    for line in lines:
        click.echo(line, file=sys.stderr)
