"""The contract every spider in scrapers/spiders keeps (kingfisher-collect style), checked over all of them:

- an error answer becomes an error item (a ``Problem``, yielded) and no data items;
- a page whose structure changed (no table, renamed headers) fails loudly: a yielded error item or CloseSpider,
  never empty or shifted items;
- every problem a callback reports is yielded, so ``scrapy crawl`` and Scrapyd keep it (not only the build);
- the politeness defaults for government hosts apply to it and stay configurable.

Spiders are discovered, so a spider added later is held to the same contract without editing this file.
A spider over free-form pages (clinic sites) may set ``free_form_pages = True``: it cannot tell a changed
page from a different one, so for it the structural check is only that what it yields carries provenance.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.misc import walk_modules_iter
from scrapy.utils.spider import iter_spider_classes
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from saisei.crawl import BUILD_SPIDERS, CLAIM_SPIDERS, REGISTRY_SPIDERS, crawl_settings
from saisei.paths import BUNDLED_ARCHIVE
from scrapers import settings as project_settings
from scrapers.base import SaiseiSpider
from scrapers.items import is_problem
from scrapers.webarchive import WaczArchive

SPIDERS = sorted(
    {cls for module in walk_modules_iter("scrapers.spiders") for cls in iter_spider_classes(module)}, key=lambda c: c.name
)

MAINTENANCE = """<!DOCTYPE html><html lang="ja"><head><meta charset="UTF-8"><title>メンテナンス中</title></head>
<body><h1>ただいまメンテナンス中です</h1><p>しばらくしてから再度アクセスしてください。</p></body></html>"""
RENAMED = """<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>List</title></head><body>
<table><tr><th>Name</th><th>Region</th><th>Address</th></tr>
<tr><td>Clinic A</td><td>Region 1</td><td>Street 1</td></tr><tr><td>Clinic B</td><td>Region 2</td><td>Street 2</td></tr>
</table></body></html>"""
CHANGED_PAGES = {"maintenance": MAINTENANCE, "renamed_headers": RENAMED}


def project_settings_for(spider_class) -> Settings:
    """The settings a crawl of this spider runs with: the project's, then the spider's own custom_settings."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    spider_class.update_settings(settings)
    return settings


def new_spider(spider_class):
    crawler = get_crawler(spider_class)
    spider = spider_class.from_crawler(crawler)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def start_requests(spider) -> list[Request]:
    async def collect():
        return [r async for r in spider.start() if isinstance(r, Request)]

    return asyncio.run(collect())


def respond(request: Request, body: bytes | str, status: int = 200) -> HtmlResponse:
    if isinstance(body, str):
        body = body.encode("utf-8")
    return HtmlResponse(url=request.url, status=status, body=body, request=request,
                        headers={"Content-Type": "text/html; charset=UTF-8"})


def run_callback(callback, response, kwargs) -> tuple[list, BaseException | None]:
    """What the callback yielded before it ended or raised CloseSpider (as Scrapy keeps it), and the CloseSpider."""
    output, raised = [], None
    try:
        for value in callback(response, **kwargs) or []:
            output.append(value)
    except CloseSpider as error:
        raised = error
    return output, raised


def problems_in(output) -> list[dict]:
    return [o for o in output if isinstance(o, dict) and is_problem(o)]


def data_in(output) -> list[dict]:
    return [o for o in output if isinstance(o, dict) and not is_problem(o)]


def callbacks_of(spider_class) -> list[tuple[str, Request]]:
    """(callback name, request) for the start requests and, via the bundled archive, the requests they lead to."""
    spider = new_spider(spider_class)
    found: dict[str, Request] = {}
    with WaczArchive(BUNDLED_ARCHIVE) as archive:
        for request in start_requests(spider):
            found.setdefault(request.callback.__name__, request)
            capture = archive.get(request.url)
            if capture is None:
                continue
            response = HtmlResponse(url=request.url, status=capture.status, body=capture.body, request=request,
                                    headers=dict(capture.headers))
            output, _ = run_callback(request.callback, response, request.cb_kwargs)
            for follow in output:
                if isinstance(follow, Request) and follow.callback is not None:
                    found.setdefault(follow.callback.__name__, follow)
    return sorted(found.items())


def test_the_registry_spiders_are_all_discovered():
    assert {cls.name for cls in REGISTRY_SPIDERS} <= {cls.name for cls in SPIDERS}
    assert len(SPIDERS) >= 4


def test_the_build_runs_every_spider_that_declares_its_stage():
    """saisei.crawl finds the build's spiders with Scrapy's spider loader: no list to edit for a new spider."""
    assert [cls.name for cls in REGISTRY_SPIDERS] == ["jrct_plans", "mhlw_committees", "mhlw_enforcement", "mhlw_plans"]
    assert [cls.name for cls in CLAIM_SPIDERS] == ["clinic_sites"]  # it reads the directory pages too
    assert set(BUILD_SPIDERS) == {cls for cls in SPIDERS if cls.build_stage}
    assert {cls.build_stage for cls in SPIDERS} == {"registry", "claims", None}


@pytest.mark.parametrize("spider_class", SPIDERS, ids=lambda c: c.name)
def test_spider_is_named_after_its_file_and_shares_the_base(spider_class):
    assert issubclass(spider_class, SaiseiSpider)
    assert spider_class.__module__ == f"scrapers.spiders.{spider_class.name}"
    camel = "".join(part.capitalize() for part in spider_class.name.split("_")) + "Spider"
    assert spider_class.__name__ == camel


@pytest.mark.parametrize("spider_class", SPIDERS, ids=lambda c: c.name)
def test_every_start_request_has_an_errback(spider_class):
    requests = start_requests(new_spider(spider_class))
    assert requests, f"{spider_class.name} has nothing to crawl by default"
    assert all(r.errback is not None for r in requests)


@pytest.mark.parametrize("status", [500, 404, 429])
@pytest.mark.parametrize("spider_class", SPIDERS, ids=lambda c: c.name)
def test_an_error_answer_is_an_error_record_and_no_items(spider_class, status):
    spider = new_spider(spider_class)
    request = start_requests(spider)[0]
    response = respond(request, "<html><body>Error</body></html>", status=status)
    failure = Failure(HttpError(response))
    failure.request = request
    output = list(request.errback(failure) or [])
    assert not data_in(output)
    errors = [p for p in problems_in(output) if p["severity"] == "error"]
    assert errors and errors[0]["url"] == request.url and str(status) in errors[0]["message"]
    assert problems_in(output) == spider.problems  # everything reported is yielded


def _contract_cases():
    for spider_class in SPIDERS:
        for name, request in callbacks_of(spider_class):
            for page in CHANGED_PAGES:
                yield pytest.param(spider_class, name, request, page, id=f"{spider_class.name}-{name}-{page}")


@pytest.mark.parametrize(("spider_class", "callback_name", "request_", "page"), list(_contract_cases()))
def test_a_page_that_changed_structure_fails_loudly(spider_class, callback_name, request_, page):
    spider = new_spider(spider_class)
    callback = getattr(spider, callback_name)
    output, raised = run_callback(callback, respond(request_, CHANGED_PAGES[page]), request_.cb_kwargs)
    items = data_in(output)
    assert problems_in(output) == spider.problems, f"{spider_class.name}.{callback_name} kept a problem to itself"
    if getattr(spider_class, "free_form_pages", False):
        assert all(i.get("source_url") and i.get("fetched_at") for i in items)
        return
    assert items == [], f"{spider_class.name}.{callback_name} turned a {page} page into items"
    errors = [p for p in problems_in(output) if p["severity"] == "error"]
    assert raised is not None or errors, f"{spider_class.name}.{callback_name} stayed silent on a {page} page"


def test_callbacks_beyond_the_start_pages_are_covered():
    names = {(cls.name, name) for cls in SPIDERS for name, _ in callbacks_of(cls)}
    assert {("mhlw_committees", "parse_preview"), ("mhlw_enforcement", "parse_order")} <= names


# Politeness (issue 3, item 6)


def test_politeness_defaults_for_government_hosts():
    assert project_settings.ROBOTSTXT_OBEY is True
    assert project_settings.AUTOTHROTTLE_ENABLED is True
    assert project_settings.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert project_settings.DOWNLOAD_DELAY >= 1.0  # at most one request per second per host
    assert project_settings.AUTOTHROTTLE_TARGET_CONCURRENCY <= 1.0
    assert "saisei" in project_settings.USER_AGENT and project_settings.PROJECT_URL in project_settings.USER_AGENT
    assert project_settings.PROJECT_URL.startswith("https://")
    # 403/429 handling waits before Scrapy's own retry sees the answer
    assert project_settings.DOWNLOADER_MIDDLEWARES["scrapers.backoff.BackoffMiddleware"] > 550


@pytest.mark.parametrize("spider_class", SPIDERS, ids=lambda c: c.name)
def test_every_spider_inherits_the_politeness_defaults(spider_class):
    custom = getattr(spider_class, "custom_settings", None) or {}
    weakening = {"ROBOTSTXT_OBEY", "DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "AUTOTHROTTLE_ENABLED", "USER_AGENT"}
    assert not weakening & set(custom), f"{spider_class.name} overrides politeness in custom_settings"
    settings = project_settings_for(spider_class)
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getfloat("DOWNLOAD_DELAY") >= 1.0 and settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 1
    assert project_settings.PROJECT_URL in settings.get("USER_AGENT")


def test_politeness_is_configurable(tmp_path: Path):
    settings = crawl_settings(tmp_path, archive=None, record_warc=None, verbose=True,
                              overrides={"DOWNLOAD_DELAY": "3", "USER_AGENT": "someone-else/1.0 (+https://example.org)"})
    assert settings.getfloat("DOWNLOAD_DELAY") == 3.0
    assert settings.get("USER_AGENT") == "someone-else/1.0 (+https://example.org)"
    assert settings.getbool("ROBOTSTXT_OBEY")
