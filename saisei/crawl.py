"""Run the spiders in this process and hand back what they found, how it went, and where the log is."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scrapers import settings as project_settings
from scrapers.base import utc_now
from scrapers.spiders.clinic_sites import ClinicSitesSpider
from scrapers.spiders.jrct_plans import JrctPlansSpider
from scrapers.spiders.mhlw_committees import MhlwCommitteesSpider
from scrapers.spiders.mhlw_enforcement import MhlwEnforcementSpider
from scrapers.spiders.mhlw_plans import MhlwPlansSpider

#: the registry spiders of a build, in the order they run
REGISTRY_SPIDERS = (MhlwPlansSpider, MhlwCommitteesSpider, JrctPlansSpider, MhlwEnforcementSpider)
#: what clinics and directories claim (clinic_sites also reads the directory pages: see directory_pages.py)
CLAIM_SPIDERS = (ClinicSitesSpider,)
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
        """The scraped items, read back from every spider's JSON-lines feed."""
        for path in sorted(self.items_dir.glob("items-*.jsonl")):
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        yield json.loads(line)


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
    for crawler, run in zip(crawlers, runs, strict=True):
        stats = crawler.stats.get_stats()
        spider = crawler.spider
        run.finished_at = utc_now()
        run.finish_reason = stats.get("finish_reason", "not started")
        run.items = stats.get("item_scraped_count", 0)
        run.pages = stats.get("response_received_count", 0)
        run.problems = list(getattr(spider, "problems", []))
        exceptions = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
        run.errors = sum(1 for p in run.problems if p["severity"] == "error") + exceptions
        run.errors += stats.get("log_count/CRITICAL", 0)
        run.warnings = sum(1 for p in run.problems if p["severity"] == "warning")
        run.stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}
    log_file = None if verbose else workdir / "crawl.log"
    return CrawlResult(items_dir=workdir, runs=runs, log_file=log_file)
