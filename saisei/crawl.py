"""Run the spiders in this process and hand back what they found, how it went, and where the log is."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader

from scrapers import settings as project_settings
from scrapers.base import utc_now
from scrapers.items import is_problem


def project_spiders(stage: str) -> tuple:
    """The spiders of ``scrapers/spiders/`` (found by Scrapy's own spider loader, as ``scrapy list`` finds them)
    that declare this ``build_stage``, by name: a new spider joins the build by saying which stage it is in."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    loader = get_spider_loader(settings)
    classes = (loader.load(name) for name in sorted(loader.list()))
    return tuple(cls for cls in classes if getattr(cls, "build_stage", None) == stage)


#: the registry spiders of a build
REGISTRY_SPIDERS = project_spiders("registry")
#: what clinics and directories claim (clinic_sites also reads the directory pages: see directory_pages.py)
CLAIM_SPIDERS = project_spiders("claims")
#: every spider of a build
BUILD_SPIDERS = REGISTRY_SPIDERS + CLAIM_SPIDERS


@dataclass
class SpiderRun:
    """One spider's run, as stored in table ``crawl_runs``."""

    spider: str
    started_at: str
    finished_at: str = ""
    finish_reason: str = ""
    items: int = 0
    pages: int = 0
    errors: int = 0
    warnings: int = 0
    problems: list[dict] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.finish_reason == "finished" and self.errors == 0


@dataclass
class CrawlResult:
    #: the run's folder: one ``items-<spider>.jsonl`` feed per spider (crawled or reused)
    items_dir: Path
    runs: list[SpiderRun]
    log_file: Path | None
    #: spiders not crawled this run whose items were reused from an earlier run: spider -> run id
    reused: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run.ok for run in self.runs)

    def items(self):
        """The scraped items (problems included), read back from every spider's JSON-lines feed."""
        for path in sorted(self.items_dir.glob("items-*.jsonl")):
            yield from read_feed(path)


def read_feed(path: Path):
    """The items of one JSON-lines feed, in the order they were scraped; none when the spider wrote none."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def feed_problems(path: Path) -> list[dict]:
    """The problems a spider yielded into its feed, as ``crawl_problems`` rows (without run and spider)."""
    return [{k: v for k, v in item.items() if k != "record"} for item in read_feed(path) if is_problem(item)]


def crawl_settings(
    workdir: Path, *, archive: Path | None, record_warc: Path | None, verbose: bool, overrides: dict
) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    # one feed per spider, so a later run can reuse one spider's items (refresh's slower clinic cadence)
    settings.set("FEEDS", {str(workdir / "items-%(name)s.jsonl"): {"format": "jsonlines", "encoding": "utf8"}})
    settings.set("SAISEI_PROGRESS", True)
    if archive:
        settings.set("SAISEI_REPLAY_ARCHIVE", str(archive))
        # Nothing leaves the machine offline, so there is no one to be polite to.
        settings.set("AUTOTHROTTLE_ENABLED", False)
        settings.set("DOWNLOAD_DELAY", 0)
    if record_warc:
        settings.set("SAISEI_RECORD_WARC", str(record_warc))
    if not verbose:
        settings.set("LOG_FILE", str(workdir / "crawl.log"))
        settings.set("LOG_LEVEL", "INFO")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_crawl(
    workdir: Path,
    *,
    archive: Path | None = None,
    record_warc: Path | None = None,
    verbose: bool = False,
    spiders=BUILD_SPIDERS,
    overrides: dict | None = None,
) -> CrawlResult:
    """Crawl with every spider in one Twisted reactor (so once per process) and collect the outcome."""
    workdir.mkdir(parents=True, exist_ok=True)
    settings = crawl_settings(
        workdir, archive=archive, record_warc=record_warc, verbose=verbose, overrides=overrides or {}
    )
    # With LOG_FILE set, Scrapy's root handler writes to the file only: the terminal keeps the progress line.
    process = CrawlerProcess(settings)
    crawlers = []
    runs = []
    for spider_class in spiders:
        crawler = process.create_crawler(spider_class)
        crawlers.append(crawler)
        runs.append(SpiderRun(spider=spider_class.name, started_at=utc_now()))
        process.crawl(crawler)
    process.start()
    for spider_class, crawler, run in zip(spiders, crawlers, runs, strict=True):
        stats = crawler.stats.get_stats()
        run.finished_at = utc_now()
        run.finish_reason = stats.get("finish_reason", "not started")
        # problems are items in the spider's feed (every way of running a spider keeps them); they are not data
        run.problems = feed_problems(workdir / f"items-{spider_class.name}.jsonl")
        run.items = stats.get("item_scraped_count", 0) - len(run.problems)
        run.pages = stats.get("response_received_count", 0)
        exceptions = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
        run.errors = sum(1 for p in run.problems if p["severity"] == "error") + exceptions
        run.errors += stats.get("log_count/CRITICAL", 0)
        run.warnings = sum(1 for p in run.problems if p["severity"] == "warning")
        run.stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}
    log_file = None if verbose else workdir / "crawl.log"
    return CrawlResult(items_dir=workdir, runs=runs, log_file=log_file)
