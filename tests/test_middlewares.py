"""The archive middlewares: replay answers from a WACZ; recording keeps live responses as evidence."""

from __future__ import annotations

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from saisei.paths import BUNDLED_ARCHIVE
from scrapers.middlewares import ArchiveRecorderMiddleware, ArchiveReplayMiddleware
from scrapers.spiders.mhlw_plans import MhlwPlansSpider
from scrapers.webarchive import WaczArchive, pack_wacz


def crawler_with(**settings):
    crawler = get_crawler(MhlwPlansSpider, settings_dict=settings)
    crawler.stats.open_spider()
    return crawler


def test_replay_serves_the_archived_bytes_with_capture_provenance():
    crawler = crawler_with(SAISEI_REPLAY_ARCHIVE=str(BUNDLED_ARCHIVE))
    middleware = ArchiveReplayMiddleware.from_crawler(crawler)
    request = Request("https://saiseiiryo.mhlw.go.jp/published_plan/index/3")
    response = middleware.process_request(request)
    assert isinstance(response, HtmlResponse) and response.status == 200
    assert "星降町整形外科" in response.text
    assert "archive" in response.flags
    assert request.meta["saisei_capture"]["captured_at"] == "2026-11-20T03:00:09Z"
    assert crawler.stats.get_value("saisei/archive/replayed") == 1


def test_replay_skips_a_url_the_archive_lacks_and_counts_it():
    crawler = crawler_with(SAISEI_REPLAY_ARCHIVE=str(BUNDLED_ARCHIVE))
    middleware = ArchiveReplayMiddleware.from_crawler(crawler)
    with pytest.raises(IgnoreRequest, match="not in the archive"):
        middleware.process_request(Request("https://saiseiiryo.mhlw.go.jp/published_plan/index/9"))
    assert crawler.stats.get_value("saisei/archive/missing") == 1


def test_recorder_keeps_live_responses_and_ignores_replayed_ones(tmp_path):
    warc = tmp_path / "live.warc.gz"
    crawler = crawler_with(SAISEI_RECORD_WARC=str(warc))
    recorder = ArchiveRecorderMiddleware.from_crawler(crawler)
    body = "<html><body><table><tr><td>計画</td></tr></table></body></html>".encode("shift_jis")
    live = HtmlResponse(
        "https://example.org/live", body=body, headers={"Content-Type": "text/html; charset=Shift_JIS"}
    )
    replayed = HtmlResponse("https://example.org/replayed", body=b"x", flags=["archive"])
    request = Request("https://example.org/live", headers={"User-Agent": "saisei-test"})
    assert recorder.process_response(request, live) is live
    assert recorder.process_response(Request("https://example.org/replayed"), replayed) is replayed
    recorder.spider_closed(None)
    wacz = pack_wacz([warc], tmp_path / "live.wacz", title="t", description="d", created="2026-11-25T00:00:00Z")
    with WaczArchive(wacz) as archive:
        assert archive.urls() == ["https://example.org/live"]
        capture = archive.get("https://example.org/live")
        assert capture.body == body
        assert ("Content-Type", "text/html; charset=Shift_JIS") in capture.headers
    assert crawler.stats.get_value("saisei/archive/recorded") == 1
