"""``saisei build`` and ``saisei refresh``: crawl, check the crawl, publish a new database only if it is fit.

Publishing means: every table written into a new file, swapped in whole (saisei.database). Before that, the
monitors (saisei.monitors) judge the crawl; a failed check keeps the published database serving, records the
run as failed in the ledger with its reason, and exits non-zero. ``--force`` publishes anyway and says why.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import click

from saisei import ledger
from saisei.crawl import BUILD_SPIDERS, CLAIM_SPIDERS, CrawlResult, run_crawl
from saisei.database import BuildError, write_database
from saisei.monitors import DEFAULT_MIN_SHARE, as_json, as_text, failures, last_published, run_monitors
from saisei.shared_crawl import host_report
from saisei.tables.context import previous_rows
from scrapers.webarchive import ArchiveError, WaczArchive, pack_wacz


def say(message: str) -> None:
    click.echo(message, err=True)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class BuildOptions:
    db_path: Path
    archive: Path | None = None
    record_to: Path | None = None
    verbose: bool = False
    force: bool = False
    min_share: float = DEFAULT_MIN_SHARE
    overrides: dict = field(default_factory=dict)
    spiders: tuple = BUILD_SPIDERS
    command: str = "build"
    #: clinic-site cadence for refresh: "always" crawls them, "auto" only when due, "never" reuses the last crawl
    claims: str = "always"
    claims_every_days: float = 7.0
    #: take clinic_sites from a shared crawl in Redis (saisei crawl-worker) instead of crawling it here
    from_redis: str | None = None
    crawl: str = ""


def reusable_claims(options: BuildOptions, now: datetime) -> dict[str, Path]:
    """Claim spiders that need not run now, with the items file of their last published crawl to reuse.

    A spider is reused only when its last published run is younger than ``claims_every_days`` (or the
    cadence is "never") and that run's items are still on disk beside the database.
    """
    if options.claims == "always":
        return {}
    runs = previous_rows(options.db_path, "crawl_runs")
    reuse = {}
    for spider in CLAIM_SPIDERS:
        last = last_published(runs, spider.name)
        if not last:
            continue
        items = options.db_path.parent / "runs" / last["run_id"] / f"items-{spider.name}.jsonl"
        started = datetime.strptime(last["started_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        due = (now - started).total_seconds() >= options.claims_every_days * 86400
        if items.exists() and (options.claims == "never" or not due):
            reuse[spider.name] = items
    return reuse


def archive_label(path: Path) -> bool:
    """Open the archive once before crawling, so a bad path fails with a clear message and no crawl.

    Returns whether it is saisei's fictional sample.
    """
    with WaczArchive(path) as archive:
        return bool(archive.metadata.get("saisei_sample"))


def write_report(workdir: Path, result: CrawlResult, status: str, reason: str, checks) -> Path:
    """report.json (for machines) and report.txt (for people) in the run's folder."""
    report = {
        "status": status,
        "reason": reason,
        "runs": [{k: v for k, v in asdict(run).items() if k != "stats"} for run in result.runs],
        "checks": as_json(checks),
        "log_file": str(result.log_file) if result.log_file else None,
        # fetched / unchanged (304) / failed pages per host, where the crawl counted them (shared crawls)
        "hosts": {run.spider: host_report(run.stats) for run in result.runs if host_report(run.stats)},
    }
    (workdir / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    text = [f"run {workdir.name}: {status}" + (f" ({reason})" if reason else ""), as_text(checks)]
    for spider, hosts in report["hosts"].items():
        totals = {kind: sum(h[kind] for h in hosts.values()) for kind in next(iter(hosts.values()))}
        failing = sorted(h for h, counts in hosts.items() if counts["failed"])
        text.append(f"{spider}: {len(hosts)} hosts, " + ", ".join(f"{k} {v}" for k, v in totals.items())
                    + (f"; failed on {', '.join(failing[:20])}" if failing else ""))
    (workdir / "report.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    return workdir / "report.json"


def failure_reason(result: CrawlResult, checks) -> str:
    lines = [f"{c.spider}: {c.name}: {c.message}" for c in failures(checks)]
    for run in result.runs:
        lines += [f"  - {p['kind']}: {p['message'][:200]} ({p['url']})" for p in run.problems if p["severity"] == "error"]
    return "\n".join(lines)


def ledger_entry(run_id: str, started: str, result: CrawlResult, status: str, reason: str, options) -> dict:
    return {
        "run_id": run_id,
        "command": options.command,
        "started_at": started,
        "finished_at": utc_now(),
        "status": status,
        "reason": reason,
        "archive": str(options.archive) if options.archive else None,
        "spiders": [
            {"spider": r.spider, "items": r.items, "errors": r.errors, "warnings": r.warnings,
             "finish_reason": r.finish_reason, "pages": r.pages}
            for r in result.runs
        ],
    }


def run_build(options: BuildOptions) -> int:
    """The whole build; returns the exit status. Every refusal leaves ``db_path`` byte-for-byte as it was."""
    clock = time.monotonic()
    started = utc_now()
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    db_path = options.db_path
    workdir = db_path.parent / "runs" / run_id
    sample = False
    source = "live crawl"
    if options.archive is not None:
        try:
            sample = archive_label(options.archive)
        except (ArchiveError, OSError) as error:
            say(f"error: cannot use the archive: {error}")
            return 2
        source = f"offline archive {options.archive}" + (" (SAMPLE DATA: fictional clinics)" if sample else "")
    say(f"[1/3] crawl · {source}")
    live_record = options.record_to is not None and options.archive is None
    record_warc = workdir / "crawl.warc.gz" if live_record else None
    reuse = reusable_claims(options, datetime.now(UTC))
    workdir.mkdir(parents=True, exist_ok=True)
    shared_run = None
    if options.from_redis:
        from saisei.shared_crawl import SPIDER, SharedCrawlError, collect

        try:
            shared_run = collect(options.from_redis, options.crawl, workdir)
        except SharedCrawlError as error:
            say(f"error: cannot use the shared crawl: {error}")
            return 2
        reuse.pop(SPIDER, None)
        say(f"      {SPIDER}: {shared_run.items} items from shared crawl '{options.crawl}' ({shared_run.finish_reason})")
    for spider_name, items in reuse.items():
        shutil.copyfile(items, workdir / items.name)
        say(f"      {spider_name}: not due, reusing its items from run {items.parent.name}")
    result = run_crawl(
        workdir,
        archive=options.archive,
        record_warc=record_warc,
        verbose=options.verbose,
        spiders=tuple(s for s in options.spiders if s.name not in reuse and not (shared_run and s.name == shared_run.spider)),
        # jrct_plans reads jRCT ids that clinic pages printed from the database being replaced
        overrides={"SAISEI_PREVIOUS_DB": str(db_path), **options.overrides},
    )
    result.reused = {name: items.parent.name for name, items in reuse.items()}
    if shared_run is not None:
        result.runs.append(shared_run)
    if record_warc and record_warc.exists():
        pack_wacz(
            [record_warc],
            options.record_to,
            title=f"saisei crawl {run_id}",
            description="Responses fetched by a saisei live crawl, as received.",
            created=utc_now(),
        )
        say(f"      archived what was fetched: {options.record_to}")
    checks = run_monitors(result, previous_rows(db_path, "crawl_runs"), options.min_share)
    reason = failure_reason(result, checks)
    if reason and not options.force:
        write_report(workdir, result, "failed", reason, checks)
        ledger.append(db_path, ledger_entry(run_id, started, result, "failed", reason, options))
        say(f"error: the crawl did not pass its checks, so {db_path} was left unchanged (still serving).\n{reason}")
        say(f"      report: {workdir / 'report.txt'}" + (f"\n      log: {result.log_file}" if result.log_file else ""))
        return 1
    status = "forced" if reason else "ok"
    if reason:
        say(f"warning: publishing despite failed checks (--force):\n{reason}")
    say(f"[2/3] database · {db_path}")
    try:
        summary = write_database(
            db_path,
            result,
            run_id=run_id,
            archive=str(options.archive) if options.archive else None,
            sample=sample,
            run_at=started,
            status=status,
            reason=reason,
            unpublished=[e for e in ledger.entries(db_path) if e.get("status") == "failed"],
        )
    except BuildError as error:
        write_report(workdir, result, "failed", str(error), checks)
        ledger.append(db_path, ledger_entry(run_id, started, result, "failed", str(error), options))
        say(f"error: {error}; {db_path} was left unchanged.")
        return 1
    write_report(workdir, result, status, reason, checks)
    ledger.append(db_path, ledger_entry(run_id, started, result, status, reason, options))
    say("[3/3] summary")
    print_summary(summary, result, source, time.monotonic() - clock, checks)
    return 0


def print_summary(summary, result: CrawlResult, source: str, seconds: float, checks) -> None:
    lines = [f"saisei build finished in {seconds:.1f} s", f"  source    {source}"]
    for run in result.runs:
        lines.append(
            f"  spider    {run.spider}: {run.pages} pages, {run.items} items, "
            f"{run.errors} errors, {run.warnings} warnings ({run.finish_reason})"
        )
    for name, run_id in sorted(result.reused.items()):
        lines.append(f"  spider    {name}: not due, items reused from run {run_id}")
    warned = [c for c in checks if c.status == "warn"]
    lines += [f"  check     WARN {c.spider} {c.name}: {c.message}" for c in warned]
    by_class = ", ".join(f"class {k}: {v}" for k, v in sorted(summary.plans_by_class.items()))
    lines.append(f"  database  {summary.db_path}")
    lines.append(f"            plans {summary.counts.get('plans', 0)} ({by_class})")
    notes = summary.notes
    if notes.get("duplicate_rows"):
        lines.append(f"            {notes['duplicate_rows']} row(s) printed twice on the registry were merged")
    if notes.get("plans_ended"):
        lines.append(f"            {notes['plans_ended']} plan(s) no longer listed: marked ended")
    if notes.get("changes"):
        lines.append(f"            {notes['changes']} change(s) recorded in table changes")
    others = ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items()) if k != "plans")
    lines.append(f"            {others}")
    if result.log_file:
        lines.append(f"  log       {result.log_file}")
    lines.append("  next      saisei serve   ·   saisei check <clinic name or document code>")
    say("\n".join(lines))
