"""Clinic websites: what each clinic says it offers, charges and is registered as.

Seeds, each URL once: ``data/seeds/clinic_urls.txt``, the ``--seeds FILE`` of ``saisei build`` (setting
``SAISEI_CLINIC_SEEDS``) or ``-a seeds=FILE``, and the outbound clinic links of the directory pages. Offline,
the seeds are those of these lists and of ``sample_clinic_urls.txt`` (the fictional sample's) that the
replayed archive holds (see :func:`~scrapers.seeds.seeds_for_run`). The directory pages are read by this same spider (see
``directory_pages.py`` for why): a build runs every spider at once, so only one spider can both find the
links and follow them.

Each site is crawled within its own host, breadth first, to ``depth`` links from its seed and at most
``max_pages`` pages, which is enough for the home page, the regenerative-medicine pages and the price page.
One item per page (record ``clinic_page``) carries the whole extraction of
:func:`scrapers.parsers.clinic_page.extract_clinic_page`; the table writer merges pages into clinics.

A seeded page (clinic or directory) that fails is an error, like any start page: the seed list needs care.
A page reached by a link that fails is a warning: losing one clinic page must not stop the registries from
being published. Hosts under the reserved ``.example`` TLD exist only in the sample archive; a live
crawl skips them (counted) instead of failing on them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import scrapy

from scrapers.parsers.clinic_page import extract_clinic_page
from scrapers.seeds import SeededSpider, read_url_list
from scrapers.spiders.directory_pages import DirectoryPagesMixin

_SKIPPED_EXTENSIONS = (
    ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".mp4", ".mov", ".zip", ".xml",
)
#: 8 MiB: past this Scrapy drops the download; the extractor reads only the first 512 KiB of what arrives
CLINIC_DOWNLOAD_MAXSIZE = 8 * 1024 * 1024


_RELEVANT = re.compile(
    r"saisei|regenerat|prp|aps|stem|kansaibo|kanbo|cell|saibo|hiza|knee|kansetsu|joint|price|ryokin|fee|cost|"
    r"menu|treatment|chiryo|%E5%86%8D%E7%94%9F|%E5%B9%B9%E7%B4%B0%E8%83%9E|%E6%96%99%E9%87%91|再生|幹細胞|料金|治療",
    re.I,
)


def relevance(url: str) -> tuple[int, int, str]:
    """Sort key: pages whose address looks like regenerative medicine or prices first, then shallow pages.

    The per-site page cap is spent in this order, so on a large hospital site the treatment and price pages
    are read before the news archive.
    """
    path = urlsplit(url).path
    return (0 if _RELEVANT.search(path) else 1, path.count("/"), url)


def site_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


class ClinicSitesSpider(DirectoryPagesMixin, SeededSpider):
    name = "clinic_sites"
    build_stage = "claims"
    seed_list = "clinic_urls.txt"
    sample_seed_list = "sample_clinic_urls.txt"
    free_form_pages = True
    custom_settings = {"DOWNLOAD_MAXSIZE": CLINIC_DOWNLOAD_MAXSIZE, "DOWNLOAD_WARNSIZE": 2 * 1024 * 1024}

    def __init__(self, seeds: str | None = None, directories: str = "", depth: int = 2, max_pages: int = 30,
                 *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seed_file = Path(seeds) if seeds else None
        self.directory_urls_arg = directories
        self.max_depth = int(depth)
        self.max_pages = int(max_pages)
        self.pages_per_site: Counter[str] = Counter()
        self.sites: set[str] = set()
        self.requested: set[str] = set()

    def clinic_seeds(self) -> list[str]:
        extra = self.seed_file or self.settings.get("SAISEI_CLINIC_SEEDS")
        return self.seed_urls(read_url_list(Path(extra) if extra else None))

    async def start(self):
        for request in self.directory_requests():
            yield request
        for url in self.clinic_seeds():
            request = self.site_request(url, via="seed")
            if request is not None:
                yield request

    def site_request(self, url: str, via: str, depth: int = 0, site: str | None = None):
        """A request for a clinic page, or None when the page is outside the crawl's bounds."""
        url = without_fragment(url)
        host = site_of(url)
        stats = self.crawler.stats
        if host.endswith(".example") and not self.settings.get("SAISEI_REPLAY_ARCHIVE"):
            stats.inc_value("saisei/clinics/sample_hosts_skipped")
            return None
        if urlsplit(url).path.lower().endswith(_SKIPPED_EXTENSIONS):
            return None
        site = site or host
        if url in self.requested:
            return None
        if self.pages_per_site[site] >= self.max_pages:
            stats.inc_value("saisei/clinics/page_cap_reached")
            return None
        self.pages_per_site[site] += 1
        self.requested.add(url)
        self.sites.add(site)
        return scrapy.Request(
            url,
            callback=self.parse_clinic_page,
            # a seed that fails is an error (the seed list needs care); a page found on the way is a warning
            errback=self.errback if via == "seed" else self.errback_clinic_page,
            cb_kwargs={"site": site, "depth": depth, "via": via},
        )

    def errback_clinic_page(self, failure):
        yield from self.carried(failure)
        yield self.record_warning(failure.request.url, "clinic_page_not_fetched", repr(failure.value)[:200])

    def parse_clinic_page(self, response, site: str, depth: int, via: str):
        stats = self.crawler.stats
        headers = {"Content-Type": (response.headers.get("Content-Type") or b"").decode("latin-1")}
        result = extract_clinic_page(response.body, response.url, headers)
        stats.inc_value(f"saisei/clinics/pages/{result['status']}")
        if result.get("truncated"):
            stats.inc_value("saisei/clinics/oversized")
        if result.get("charset_conflict"):
            stats.inc_value("saisei/clinics/charset_conflict")
        if result["status"] == "js_only":
            yield self.record_warning(response.url, "js_only", "the page renders its content with JavaScript only")
        links = result.pop("links", [])
        yield {"record": "clinic_page", "site": site, "depth": depth, "via": via, **result,
               **self.provenance(response)}
        if depth >= self.max_depth:
            return
        for link in sorted(links, key=relevance):
            if site_of(link) == site and urlsplit(link).scheme in ("http", "https"):
                request = self.site_request(link, via=response.url, depth=depth + 1, site=site)
                if request is not None:
                    yield request
