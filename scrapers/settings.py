"""Scrapy settings for saisei. Polite by default towards government hosts; every value can be overridden
with ``-s NAME=value`` on the scrapy command line or ``--set NAME=value`` on ``saisei build``."""

import os

BOT_NAME = "saisei"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# Whoever runs a live crawl is who the sites should be able to reach: set SAISEI_CONTACT_URL (a page or a
# mailto: that answers) in the environment, or override USER_AGENT with --set.
PROJECT_URL = os.environ.get("SAISEI_CONTACT_URL", "https://github.com/saisei-project/saisei")
USER_AGENT = f"saisei/0.1 (+{PROJECT_URL}; registry checker for regenerative-medicine clinics)"

# Politeness: robots.txt obeyed, one request at a time per host, at most one per second, adaptive back-off.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 60
# The registry has answered scrapers with 403/429: retry those with back-off before giving up loudly.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 403, 500, 502, 503, 504, 522, 524, 408]
# The plan lists are one large page each.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    # After the robots.txt, user-agent and retry middlewares (100-550) so they still apply offline,
    # and before the downloader: a replayed response never reaches the network.
    "scrapers.middlewares.ArchiveReplayMiddleware": 950,
    "scrapers.middlewares.ArchiveRecorderMiddleware": 955,
    # Sees responses before RetryMiddleware (550): waits on 403/429, retries, then stops the spider clearly.
    "scrapers.backoff.BackoffMiddleware": 560,
}

ITEM_PIPELINES = {
    "scrapers.pipelines.NormalisePlanPipeline": 100,
    "scrapers.pipelines.FieldCoveragePipeline": 900,
}

EXTENSIONS = {
    "scrapers.extensions.ProgressReporter": 500,
}

# saisei's own settings
SAISEI_REPLAY_ARCHIVE = None  # path of a WACZ to answer every request from (offline mode)
SAISEI_RECORD_WARC = None  # path of a warc.gz to record live responses into
SAISEI_PROGRESS = False  # print a one-line progress report to stderr
SAISEI_BACKOFF_RETRIES = 3  # 403/429: attempts after the first answer before the spider stops (scrapers/backoff.py)
SAISEI_BACKOFF_BASE_DELAY = 15.0  # seconds, doubled per attempt unless the host sends Retry-After
SAISEI_BACKOFF_MAX_DELAY = 300.0
SAISEI_WITH_DOCUMENTS = False  # mhlw_plans also fetches the plan PDFs and mines them for prices
SAISEI_BUNDLED_SEEDS = True  # also read data/seeds/ (False: only --seeds, e.g. a crawl of a test farm)
SAISEI_PREVIOUS_DB = None  # the database being replaced: jrct_plans reads jRCT ids claimed on clinic pages from it
