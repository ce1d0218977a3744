"""``saisei crawl-worker``: one worker of a shared clinic-site crawl (scrapy-redis; see scrapers/shared).

Start as many as you like, on any machines that reach the same Redis, with the same ``--crawl`` id: the first
one queues the seeds (the others' copies are dropped by the shared duplicate filter), and all of them take
requests from the one queue until it is empty and no worker has a request in flight. A worker that is killed
is simply started again (or not: the others take its unfinished requests back once its heartbeat expires).
``saisei build --from-redis URL --crawl ID`` then turns the crawl into a database.
"""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scrapers import settings as project_settings
from scrapers.shared import CrawlKeys
from scrapers.spiders.clinic_sites import ClinicSitesSpider

#: seconds without a heartbeat after which a worker counts as dead and its requests go back to the queue
DEFAULT_WORKER_TIMEOUT = 30.0


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def shared_settings(redis_url: str, crawl: str, worker: str) -> dict:
    """The settings that make a clinic-site crawl a shared, resumable, incremental one."""
    keys = CrawlKeys(crawl)
    return {
        "REDIS_URL": redis_url,
        "SAISEI_CRAWL_ID": crawl,
        "SAISEI_WORKER_ID": worker,
        "SAISEI_WORKER_TIMEOUT": DEFAULT_WORKER_TIMEOUT,
        # scrapy-redis: the queue and the duplicate filter in Redis, kept when a worker stops
        "SCHEDULER": "scrapers.shared.queue.ReliableScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapers.shared.queue.ReliableQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.dupefilter,
        "SCHEDULER_PERSIST": True,
        # conditional requests against a cache every worker shares
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_STORAGE": "scrapers.shared.httpcache.RedisCacheStorage",
        "HTTPCACHE_POLICY": "scrapers.shared.httpcache.RevalidatingPolicy",
        "HTTPCACHE_ALWAYS_STORE": True,
        "DOWNLOADER_MIDDLEWARES": {
            **project_settings.DOWNLOADER_MIDDLEWARES,
            "scrapers.shared.report.HostReportMiddleware": 910,
            "scrapers.shared.politeness.HostSlotMiddleware": 920,
        },
        "EXTENSIONS": {**project_settings.EXTENSIONS, "scrapers.shared.worker.SharedCrawlWorker": 100},
    }


def worker_settings(redis_url: str, crawl: str, *, worker: str, seeds: Path | None, log_file: Path | None,
                    overrides: dict) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    for name, value in shared_settings(redis_url, crawl, worker).items():
        settings.set(name, value, priority="project")
    settings.set("SAISEI_PROGRESS", True)
    if seeds:
        settings.set("SAISEI_CLINIC_SEEDS", str(seeds))
    if log_file:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_file))
        settings.set("LOG_LEVEL", "INFO")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def run_worker(settings: Settings) -> dict:
    """Crawl until the shared crawl is done (or this worker is stopped); returns this worker's stats."""
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ClinicSitesSpider)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()
