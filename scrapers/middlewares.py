"""Downloader middlewares that put a web archive between the spiders and the network.

Offline, :class:`ArchiveReplayMiddleware` answers every request from a WACZ, so the same spiders run against
the same real URLs with no network. Live, :class:`ArchiveRecorderMiddleware` writes every response into a WARC
that the build packs into a WACZ: evidence of what a page said on the day it was read.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from scrapers.base import utc_now
from scrapers.webarchive import WaczArchive, WarcRecorder

logger = logging.getLogger(__name__)


class ArchiveReplayMiddleware:
    """Serve responses from the WACZ named by ``SAISEI_REPLAY_ARCHIVE``; a URL it lacks is logged and skipped.

    The skipped request reaches the spider's errback as IgnoreRequest, so the spider records it and the build
    knows the crawl is incomplete. robots.txt is looked up in the archive like any other URL.
    """

    def __init__(self, archive: WaczArchive, archive_name: str, stats):
        self.archive = archive
        self.archive_name = archive_name
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("SAISEI_REPLAY_ARCHIVE")
        if not path:
            raise NotConfigured
        middleware = cls(WaczArchive(path), Path(path).name, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self, spider):
        self.archive.close()

    def process_request(self, request, spider=None):
        capture = self.archive.get(request.url)
        if capture is None:
            self.stats.inc_value("saisei/archive/missing")
            logger.warning("not in the archive, skipped: %s", request.url)
            raise IgnoreRequest(f"not in the archive: {request.url}")
        self.stats.inc_value("saisei/archive/replayed")
        request.meta["saisei_capture"] = {
            "archive": self.archive_name,
            "captured_at": capture.captured_at,
            "record_id": capture.record_id,
        }
        headers = Headers(capture.headers)
        response_class = responsetypes.from_args(headers=headers, url=request.url, body=capture.body)
        return response_class(
            url=request.url,
            status=capture.status,
            headers=headers,
            body=capture.body,
            request=request,
            flags=["archive"],
        )


class ArchiveRecorderMiddleware:
    """Record every live response (as received, before decompression) into ``SAISEI_RECORD_WARC``."""

    def __init__(self, recorder: WarcRecorder, stats):
        self.recorder = recorder
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("SAISEI_RECORD_WARC")
        if not path:
            raise NotConfigured
        middleware = cls(WarcRecorder(path), crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self, spider):
        self.recorder.close()

    def process_response(self, request, response, spider=None):
        if "archive" in response.flags:
            return response
        headers = [
            (key.decode("latin-1"), value.decode("latin-1"))
            for key, values in response.headers.items()
            for value in values
        ]
        request_headers = [
            (key.decode("latin-1"), value.decode("latin-1"))
            for key, values in request.headers.items()
            for value in values
        ]
        self.recorder.record(
            response.url, response.status, headers, response.body, utc_now(), request_headers=request_headers
        )
        self.stats.inc_value("saisei/archive/recorded")
        return response
