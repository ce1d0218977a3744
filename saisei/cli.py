"""The ``saisei`` command: one entry point for every stage (collect → verify → SQLite → Datasette)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import sqlite_utils

from saisei import paths


def _parse_overrides(values: tuple[str, ...]) -> dict:
    overrides = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {value!r}", param_hint="--set")
        overrides[name.strip()] = setting
    return overrides


def _existing_db(db: Path) -> Path:
    if not db.exists():
        raise click.ClickException(f"no database at {db}: run `saisei build --offline` first")
    return db


def _current_db(db: Path) -> Path:
    """An existing database whose schema this saisei reads (serve and verify refuse an older one)."""
    from saisei.schema import OldSchemaError, require_current

    try:
        return require_current(_existing_db(db))
    except OldSchemaError as error:
        raise click.ClickException(str(error)) from error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="saisei")
def cli():
    """saisei: check Japan's regenerative-medicine clinics against the official registries.

    \b
    Example:
      saisei build --offline      # build data/saisei.db from the bundled sample archive
      saisei serve                # browse it at http://127.0.0.1:8001
      saisei check PB3180014      # look a number or a clinic name up
    """


def _say(message: str) -> None:
    click.echo(message, err=True)


WAIT_OPTION = click.option(
    "--wait",
    is_flag=True,
    help="If another build, refresh or verify of this database is running, wait for it (default: exit with 75).",
)


def build_options(function):
    """Options shared by build and refresh."""
    options = [
        click.option(
            "--offline",
            "offline",
            is_flag=False,
            flag_value="__bundled__",
            default=None,
            metavar="[ARCHIVE.wacz]",
            help="Replay responses from a WACZ web archive instead of the network (default: the bundled sample).",
        ),
        click.option("--db", type=click.Path(path_type=Path), default=paths.DEFAULT_DB, show_default=True),
        click.option(
            "--archive",
            "record_to",
            type=click.Path(path_type=Path),
            default=None,
            help="Live crawls only: also write what was fetched into this WACZ, as evidence.",
        ),
        click.option(
            "--force",
            is_flag=True,
            help="Publish even if the crawl failed its checks (errors, too few rows); the reason is recorded.",
        ),
        click.option(
            "--min-share",
            type=click.FloatRange(0, 1),
            default=0.9,
            show_default=True,
            help="Refuse a crawl with fewer items than this share of the last published run.",
        ),
        click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting."),
        click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log on the terminal instead of a file."),
        WAIT_OPTION,
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _run(command, offline, db, record_to, force, min_share, settings, verbose, wait, claims="always", claims_every=7.0,
         from_redis=None, crawl=""):
    from saisei.build import BuildOptions, run_build
    from saisei.buildlock import run_locked

    archive = None
    if offline is not None:
        archive = paths.BUNDLED_ARCHIVE if offline == "__bundled__" else Path(offline)
    if archive is not None and record_to is not None:
        raise click.UsageError("--archive records a live crawl; it cannot be combined with --offline")
    options = BuildOptions(
        db_path=db,
        archive=archive,
        record_to=record_to,
        verbose=verbose,
        force=force,
        min_share=min_share,
        overrides=_parse_overrides(settings),
        command=command,
        claims=claims,
        claims_every_days=claims_every,
        from_redis=from_redis,
        crawl=crawl,
    )
    sys.exit(run_locked(db, command, wait, lambda: run_build(options), say=_say))


@cli.command()
@build_options
@click.option(
    "--with-documents",
    is_flag=True,
    help="Also fetch each plan's documents (資料1… PDFs) and mine them for prices (one request per document).",
)
@click.option(
    "--seeds",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    default=None,
    help="Also crawl the clinic sites listed in FILE (one URL per line, '#' comments), besides data/seeds/.",
)
@click.option("--from-redis", metavar="URL", default=None,
              help="Take clinic_sites from the shared crawl in this Redis (saisei crawl-worker) instead of crawling.")
@click.option("--crawl", "crawl", default="", metavar="ID", help="With --from-redis: the shared crawl's id.")
def build(offline, db, record_to, force, min_share, settings, verbose, wait, with_documents, seeds, from_redis, crawl):
    """Crawl the registries and build the database, replacing it only if the crawl passed its checks.

    \b
    Examples:
      saisei build --offline                         # bundled sample archive, no network
      saisei build --offline crawl-2026-11-20.wacz   # any standard WACZ
      saisei build --archive today.wacz              # live crawl (polite, slow), archived
      saisei build --offline --with-documents        # plus prices from the plan PDFs
      saisei build --seeds my_clinics.txt            # plus these clinic sites
      saisei build --from-redis redis://10.0.0.5:6379/0 --crawl nightly-0601   # clinic sites from workers
    """
    if from_redis and not crawl:
        raise click.UsageError("--from-redis needs --crawl ID (the id the workers were started with)")
    if with_documents:
        settings = (*settings, "SAISEI_WITH_DOCUMENTS=1")
    if seeds:
        settings = (*settings, f"SAISEI_CLINIC_SEEDS={seeds.resolve()}")
    _run("build", offline, db, record_to, force, min_share, settings, verbose, wait, from_redis=from_redis, crawl=crawl)


@cli.command()
@build_options
@click.option(
    "--claims",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Crawl clinic sites and directories too: 'auto' when the last clinic crawl is older than --claims-every.",
)
@click.option(
    "--claims-every",
    type=click.FloatRange(min=0),
    default=7.0,
    show_default=True,
    metavar="DAYS",
    help="The slower cadence of clinic pages; in between, the last published clinic crawl is reused.",
)
def refresh(offline, db, record_to, force, min_share, settings, verbose, wait, claims, claims_every):
    """One scheduled run: crawl, diff against the published database, record history, publish safely.

    Plans no longer listed by a complete crawl are marked ended (never deleted); every change goes to table
    `changes`. A crawl with errors, a changed page structure, or fewer items than --min-share of the last
    published run is not published: the previous database keeps serving and the exit status is 1.

    \b
    Registries are crawled every run; clinic sites and directories on their own, slower cadence (--claims).

    \b
    Examples:
      saisei refresh                                  # live, from a timer or cron
      saisei refresh --offline nightly.wacz --db data/saisei.db
      saisei refresh --claims always                  # re-read every clinic site now
    """
    _run("refresh", offline, db, record_to, force, min_share, settings, verbose, wait, claims, claims_every)


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default=paths.DEFAULT_DB, show_default=True)
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (0.0.0.0: every interface).")
@click.option(
    "--allow-robots", is_flag=True, help="Let search engines crawl (robots.txt blocks every robot by default)."
)
@click.option(
    "--public",
    is_flag=True,
    help="Internet profile: no arbitrary SQL (403), lower limits, no whole-database download, security headers.",
)
@click.option("--follow/--no-follow", default=True, show_default=True,
              help="Serve each newly published database without a restart (see saisei/follow.py).")
def serve(db, port, host, allow_robots, public, follow):
    """Serve the database read-only with Datasette (on 127.0.0.1 unless --host says otherwise).

    \b
    Examples:
      saisei serve --port 8001    # then open http://127.0.0.1:8001
      saisei serve --public --allow-robots   # behind a reverse proxy (README): canned queries and tables only
    """
    from saisei.serve import serve as run_serve

    if follow:
        from saisei.follow import serve_following

        serve_following(_current_db(db), port, host=host, allow_robots=allow_robots, public=public)
        return
    run_serve(_current_db(db), port, allow_robots=allow_robots, host=host, public=public)


@cli.command()
@click.argument("query", required=False)
@click.option("--db", type=click.Path(path_type=Path), default=paths.DEFAULT_DB, show_default=True)
@click.option("--page", type=click.Path(path_type=Path, exists=True, dir_okay=False), help="A saved clinic page.")
@click.option("--url", help="The URL the saved page was served from (with --page).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (schema in the README).")
def check(query, db, page, url, as_json):
    """Look a number, a clinic name or a saved clinic page up and print plans, verdicts and reasons.

    \b
    Examples:
      saisei check 湊見台
      saisei check 01C2409901 --json
      saisei check PB3180014
      saisei check --page saved.html --url https://clinic.example.jp/ --json
    """
    from saisei.verification import check_page, check_query, format_check, found

    if bool(query) == bool(page):
        raise click.UsageError("give either QUERY or --page FILE --url URL")
    if page and not url:
        raise click.UsageError("--page needs --url (the address the page was served from)")
    database = sqlite_utils.Database(_existing_db(db))
    if page:
        from scrapers.parsers.clinic_page import extract_clinic_page

        result = check_page(database, extract_clinic_page(page.read_bytes(), url))
    else:
        result = check_query(database, query)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_check(result))
    sys.exit(0 if found(result) else 1)


@cli.command()
@click.option("--db", type=click.Path(path_type=Path), default=paths.DEFAULT_DB, show_default=True)
@WAIT_OPTION
def verify(db, wait):
    """Re-verify an existing database in place: new verdicts and flags, swapped in whole.

    \b
    Example:
      saisei verify --db data/saisei.db
    """
    from saisei.buildlock import run_locked
    from saisei.verification import reverify

    def run() -> int:
        counts = reverify(_current_db(db))
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no clinic offerings to verify"
        click.echo(f"verified {db}: {summary}", err=True)
        return 0

    sys.exit(run_locked(_existing_db(db), "verify", wait, run, say=_say))


@cli.command()
@click.option("--cases", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="A cases file (default: data/evaluation/cases.jsonl).")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.option("--crawl", is_flag=True,
              help="Also pack the real-name pages and the real rows into an archive and build it (about 30 s).")
def evaluate(cases, as_json, crawl):
    """Precision and recall per verdict, and the confusion matrix, on the labelled evaluation set; then the
    verdicts of the real-name clinic pages (whole pages read and verified against the real registry rows).

    \b
    Example:
      saisei evaluate
      saisei evaluate --crawl     # the real-name pages through a whole offline build too
    """
    from saisei.corpus_scores import format_realname, realname_report
    from verify.evaluation import evaluate as run_evaluation
    from verify.evaluation import format_report, load_cases, load_shared_rows

    report = run_evaluation(load_cases(cases) if cases else None)
    pages = None if cases else realname_report(load_shared_rows())
    if pages and crawl:
        import tempfile

        from saisei.realname_crawl import crawl_verdicts

        with tempfile.TemporaryDirectory() as folder:
            for split, levels in crawl_verdicts(Path(folder), load_shared_rows()).items():
                pages[split].update(levels)
    if as_json:
        payload = {"cases": len(report.outcomes), "skipped": report.skipped, "accuracy": report.accuracy,
                   "per_verdict": report.per_verdict(), "per_flag": report.per_flag(),
                   "confusion": {k: dict(v) for k, v in report.confusion().items()},
                   "facility_match_recall": report.match_recall(), "realname_pages": pages}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
        if pages:
            click.echo("")
            click.echo(format_realname(pages))


@cli.group()
def archive():
    """Web archives (WACZ): pack the bundled sample, list what an archive holds.

    \b
    Example:
      saisei archive list data/sample.wacz
    """


@archive.command("pack-sample")
@click.option("--source", type=click.Path(path_type=Path, file_okay=False), default=paths.SAMPLE_SOURCES)
@click.option("--out", type=click.Path(path_type=Path), default=paths.BUNDLED_ARCHIVE, show_default=True)
def pack_sample_command(source, out):
    """Pack data/sample/ (pages as served + captures.json) into the bundled WACZ.

    \b
    Example:
      saisei archive pack-sample      # after editing a page under data/sample/pages/
    """
    from scrapers.webarchive import pack_sample

    path = pack_sample(source, out)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@archive.command("list")
@click.argument("wacz", type=click.Path(path_type=Path, exists=True, dir_okay=False))
def list_command(wacz):
    """List the URLs captured in a WACZ.

    \b
    Example:
      saisei archive list data/sample.wacz
    """
    from scrapers.webarchive import WaczArchive

    with WaczArchive(wacz) as store:
        for url in store.urls():
            capture = store.get(url)
            status = capture.status if capture else "-"
            when = capture.captured_at if capture else "-"
            click.echo(f"{status}\t{when}\t{url}")


@cli.command("crawl-worker")
@click.option("--redis", "redis_url", required=True, metavar="URL", help="The Redis every worker of the crawl shares.")
@click.option("--crawl", "crawl", required=True, metavar="ID", help="The crawl's id (a refresh is a new id).")
@click.option("--seeds", type=click.Path(path_type=Path, dir_okay=False, exists=True), default=None,
              help="Clinic sites to crawl (one URL per line), besides data/seeds/.")
@click.option("--log", "log_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Scrapy's log file (default: data/runs/workers/<crawl>-<worker>.log).")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="Override a Scrapy setting.")
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log on the terminal instead of a file.")
def crawl_worker(redis_url, crawl, seeds, log_file, settings, verbose):
    """One worker of a shared, resumable, incremental clinic-site crawl (Redis queue, cache and items).

    Start any number, anywhere, with the same --redis and --crawl; kill and restart them at will. When the
    crawl is done, publish it with `saisei build --from-redis URL --crawl ID`.

    \b
    Examples:
      saisei crawl-worker --redis redis://10.0.0.5:6379/0 --crawl nightly-0601 --seeds clinics.txt
      saisei build --offline --from-redis redis://10.0.0.5:6379/0 --crawl nightly-0601
    """
    from saisei.crawl_worker import new_worker_id, run_worker, worker_settings
    from scrapers.shared import redis_client

    try:
        redis_client(redis_url)
    except (ConnectionError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    worker = new_worker_id()
    if not verbose and log_file is None:
        log_file = paths.DEFAULT_DB.parent / "runs" / "workers" / f"{crawl}-{worker}.log"
    options = worker_settings(redis_url, crawl, worker=worker, seeds=seeds.resolve() if seeds else None,
                              log_file=None if verbose else log_file, overrides=_parse_overrides(settings))
    stats = run_worker(options)
    reason = stats.get("finish_reason", "not started")
    click.echo(f"worker {worker}: {stats.get('response_received_count', 0)} pages, "
               f"{stats.get('item_scraped_count', 0)} items ({reason})", err=True)
    sys.exit(0 if reason == "finished" else 1)


# `saisei benchmark …`: the group lives in saisei/benchmarks; each area adds its own subcommand module there.
from saisei.benchmarks import benchmark as benchmark_group  # noqa: E402

cli.add_command(benchmark_group)


def main():
    cli(prog_name="saisei")


if __name__ == "__main__":
    main()
