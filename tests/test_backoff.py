"""403/429 handling: wait, retry, then stop the spider with a clear error (scrapers/backoff.py).

The end-to-end cases crawl a loopback server in a subprocess (one Twisted reactor per process)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from scrapers.backoff import BackoffMiddleware, retry_after
from scrapers.spiders.mhlw_plans import MhlwPlansSpider
from tests.conftest import ROOT, bound_spider

SCRIPT = textwrap.dedent(
    """
    import json, sys, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from pathlib import Path
    import scrapy
    from saisei.crawl import run_crawl
    from scrapers.base import SaiseiSpider

    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append((self.path, time.monotonic()))
            hits = sum(1 for p, _ in seen if p == self.path)
            if self.path == "/blocked" or (self.path == "/flaky" and hits <= 2):
                self.send_response(429 if self.path == "/flaky" else 403)
                self.send_header("Retry-After", "0") if self.path == "/flaky" else None
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write("<html><body><p>ok</p></body></html>".encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    path = sys.argv[1]

    class LoopbackSpider(SaiseiSpider):
        name = "loopback"

        async def start(self):
            yield scrapy.Request(f"http://127.0.0.1:{server.server_port}{path}", errback=self.errback)

        def parse(self, response):
            yield {"record": "page", **self.provenance(response)}

    result = run_crawl(Path(sys.argv[2]), spiders=(LoopbackSpider,), overrides={
        "ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "SAISEI_BACKOFF_BASE_DELAY": 0.3, "SAISEI_BACKOFF_RETRIES": 2, "SAISEI_PROGRESS": False})
    run = result.runs[0]
    times = [t for p, t in seen if p == path]
    print(json.dumps({"finish_reason": run.finish_reason, "items": run.items, "problems": run.problems,
                      "requests": len(times), "gaps": [b - a for a, b in zip(times, times[1:])],
                      "stats": {k: v for k, v in run.stats.items() if k.startswith("saisei/")}}))
    """
)


def crawl_loopback(path: str, tmp_path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, path, str(tmp_path / "run")],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_429_then_success_is_retried_after_waiting_and_the_run_is_clean(tmp_path):
    run = crawl_loopback("/flaky", tmp_path)
    assert run["finish_reason"] == "finished"
    assert run["items"] == 1 and run["problems"] == []
    assert run["requests"] == 3 and run["stats"]["saisei/backoff/429"] == 2


def test_a_host_that_keeps_refusing_stops_the_spider_with_a_clear_error(tmp_path):
    run = crawl_loopback("/blocked", tmp_path)
    assert run["finish_reason"] == "blocked" and run["items"] == 0
    assert run["requests"] == 3  # the first answer and two retries, no more (Scrapy's own retry stays out)
    # the slot was told to wait before each retry: 0.3 s, then 0.6 s (asserted on what the middleware asked
    # for, not on wall-clock gaps, which a loaded machine can skew)
    assert run["stats"]["saisei/backoff/waited_seconds"] == pytest.approx(0.9)
    blocked = [p for p in run["problems"] if p["kind"] == "blocked"]
    assert blocked and blocked[0]["severity"] == "error" and "HTTP 403 after 2 retries" in blocked[0]["message"]


def middleware(**settings) -> BackoffMiddleware:
    crawler = get_crawler(MhlwPlansSpider, settings_dict=settings)
    crawler.stats.open_spider()
    return BackoffMiddleware.from_crawler(crawler)


def test_retry_after_seconds_and_http_dates():
    assert retry_after(b"120") == 120.0
    assert retry_after(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert retry_after(b"soon") is None and retry_after(None) is None


def test_delay_doubles_and_is_capped():
    backoff = middleware(SAISEI_BACKOFF_BASE_DELAY=10, SAISEI_BACKOFF_MAX_DELAY=60)
    assert [backoff.delay_for(n, None) for n in range(4)] == [10, 20, 40, 60]
    assert backoff.delay_for(0, b"600") == 60


def test_a_replayed_refusal_is_not_retried():
    backoff = middleware()
    spider = bound_spider(MhlwPlansSpider)
    backoff.crawler.spider = spider
    request = Request("https://saiseiiryo.mhlw.go.jp/published_plan/index/2")
    response = HtmlResponse(request.url, status=429, body=b"", request=request, flags=["archive"])
    assert backoff.process_response(request, response) is response
    assert request.meta["dont_retry"] is True
    assert spider.problems[0]["kind"] == "blocked" and "HTTP 429 after 0 retries" in spider.problems[0]["message"]


def test_other_answers_pass_untouched():
    backoff = middleware()
    request = Request("https://saiseiiryo.mhlw.go.jp/")
    response = HtmlResponse(request.url, status=200, body=b"ok", request=request)
    assert backoff.process_response(request, response) is response
