"""English medical-tourism directory pages: listings of Japanese clinics, their prices and their claims.

Why a mixin as well as a spider: Scrapy runs every spider of a build at once in one reactor
(``saisei.crawl.run_crawl``), so a separate spider could not hand the clinic links it finds to ``clinic_sites``
while both run. The directory callbacks therefore live here in :class:`DirectoryPagesMixin`, and
``ClinicSitesSpider`` mixes them in: in a build, one spider reads the directories and follows their outbound
clinic links into the clinic sites. :class:`DirectoryPagesSpider` is the same reader on its own
(``scrapy crawl directory_pages``), for looking at directories without crawling the clinics they list.

Directory URLs come from ``data/seeds/directory_urls.txt`` and ``-a directories=URL,URL``; offline, from those
and ``sample_directory_urls.txt`` (the fictional sample's), whichever the replayed archive holds.
"""

from __future__ import annotations

from pathlib import Path

import scrapy

from scrapers.base import SaiseiSpider
from scrapers.parsers.directory_page import extract_directory_page

ROOT = Path(__file__).resolve().parents[2]
DIRECTORY_SEEDS = ROOT / "data" / "seeds" / "directory_urls.txt"
SAMPLE_DIRECTORY_SEEDS = ROOT / "data" / "seeds" / "sample_directory_urls.txt"


def read_url_list(path: Path | None) -> list[str]:
    """URLs of a seed file: one per line, '#' starts a comment, blank lines ignored, order kept, each once."""
    if path is None or not Path(path).exists():
        return []
    urls = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        url = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if url.startswith(("http://", "https://")):
            urls.append(url)
    return list(dict.fromkeys(urls))


def seeds_for_run(settings, stats, live: list[str], sample: list[str]) -> list[str]:
    """The seeds of this run: live, the live list; offline, every seed the archive being replayed holds.

    An archive is a record of what was fetched, so offline it decides: the bundled sample answers its
    fictional seeds, a recorded live crawl its real ones, and a seed it lacks (added to the list after the
    archive was made) is skipped and counted (``saisei/seeds/not_in_archive``) rather than failed.
    """
    from scrapers.webarchive import WaczArchive

    archive = settings.get("SAISEI_REPLAY_ARCHIVE")
    if not archive:
        return live
    with WaczArchive(archive) as store:
        kept = [url for url in dict.fromkeys(live + sample) if store.get(url) is not None]
    skipped = len(set(live + sample)) - len(kept)
    if skipped:
        stats.inc_value("saisei/seeds/not_in_archive", skipped)
    return kept


class DirectoryPagesMixin:
    """Callbacks for directory pages; a spider that also has ``site_request`` follows the clinic links."""

    directory_urls_arg: str = ""

    def directory_urls(self) -> list[str]:
        extra = [u.strip() for u in str(self.directory_urls_arg or "").split(",") if u.strip()]
        bundled = read_url_list(DIRECTORY_SEEDS) if self.settings.getbool("SAISEI_BUNDLED_SEEDS", True) else []
        live = bundled + extra
        return seeds_for_run(self.settings, self.crawler.stats, live, read_url_list(SAMPLE_DIRECTORY_SEEDS))

    def directory_requests(self):
        # A seeded directory that fails is an error (the seed list needs care), like any start page.
        for url in self.directory_urls():
            yield scrapy.Request(url, callback=self.parse_directory, errback=self.errback)

    def parse_directory(self, response):
        stats = self.crawler.stats
        stats.inc_value("saisei/directories/pages")
        result = extract_directory_page(response.body, response.url, {"Content-Type": _content_type(response)})
        provenance = self.provenance(response)
        if not result["listings"]:
            self.record_warning(response.url, "directory_without_listings", "no clinic listing found on the page")
        for listing in result["listings"]:
            stats.inc_value("saisei/directories/listings")
            yield {"record": "directory_listing", "directory_url": response.url, **listing, **provenance}
        for claim in result["page_claims"]:
            stats.inc_value("saisei/directories/page_claims")
            yield {"record": "directory_claim", "directory_url": response.url, **claim, **provenance}
        site_request = getattr(self, "site_request", None)
        if site_request is None:
            return
        for url in result["clinic_links"]:
            stats.inc_value("saisei/directories/clinic_links")
            request = site_request(url, via=response.url)
            if request is not None:
                yield request


def _content_type(response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


class DirectoryPagesSpider(DirectoryPagesMixin, SaiseiSpider):
    """Directory listings only; the clinic links are recorded in the items but not followed."""

    name = "directory_pages"
    #: free-form pages: a changed page cannot be told from a different one (tests/test_spider_contract.py)
    free_form_pages = True

    def __init__(self, directories: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory_urls_arg = directories

    async def start(self):
        for request in self.directory_requests():
            yield request
