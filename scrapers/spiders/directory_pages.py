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

import scrapy

from scrapers.parsers.directory_page import extract_directory_page
from scrapers.seeds import SeededSpider

DIRECTORY_SEEDS = "directory_urls.txt"
SAMPLE_DIRECTORY_SEEDS = "sample_directory_urls.txt"


class DirectoryPagesMixin:
    """Callbacks for directory pages; a spider that also has ``site_request`` follows the clinic links."""

    directory_urls_arg: str = ""

    def directory_urls(self) -> list[str]:
        extra = [u.strip() for u in str(self.directory_urls_arg or "").split(",") if u.strip()]
        return self.seed_urls(extra, DIRECTORY_SEEDS, SAMPLE_DIRECTORY_SEEDS)

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
            yield self.record_warning(response.url, "directory_without_listings", "no clinic listing found on the page")
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


class DirectoryPagesSpider(DirectoryPagesMixin, SeededSpider):
    """Directory listings only; the clinic links are recorded in the items but not followed."""

    name = "directory_pages"
    seed_list = DIRECTORY_SEEDS
    sample_seed_list = SAMPLE_DIRECTORY_SEEDS
    #: free-form pages: a changed page cannot be told from a different one (tests/test_spider_contract.py)
    free_form_pages = True

    def __init__(self, directories: str = "", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.directory_urls_arg = directories

    async def start(self):
        for request in self.directory_requests():
            yield request
