"""Shared test helpers: saved responses read as bytes, a spider bound to a test crawler, the shared sample."""

from __future__ import annotations

import contextlib
import csv
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from scrapers.items import is_problem

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_SAMPLE = ROOT.parent / "shared" / "data" / "registry_sample.tsv"
SAISEI = [sys.executable, "-m", "saisei.cli"]
#: the tests' copy of pykakasi's dictionary (readers.kanji_readings) stays out of the user's own cache
os.environ.setdefault("SAISEI_CACHE", str(Path(__import__("tempfile").gettempdir()) / "saisei-test-cache"))


def fixture_response(relative: str, url: str, content_type: str = "text/html", meta: dict | None = None):
    """A response whose body is the fixture's bytes exactly as served (Shift_JIS stays Shift_JIS)."""
    body = (FIXTURES / relative).read_bytes()
    request = Request(url, meta=meta or {})
    return HtmlResponse(url=url, body=body, headers={"Content-Type": content_type}, request=request)


def bound_spider(spider_class, **kwargs):
    crawler = get_crawler(spider_class)
    spider = spider_class.from_crawler(crawler, **kwargs)
    crawler.spider = spider
    crawler.stats.open_spider()
    return spider


def without_problems(output) -> list:
    """A callback's output without the problem items it yielded (scrapers/items.py ``Problem``): its data and
    requests. The problems stay checkable on ``spider.problems``; tests/test_spider_contract.py checks that
    every problem a callback reports is also yielded."""
    return [o for o in output if not (isinstance(o, dict) and is_problem(o))]


def shared_sample_rows() -> list[dict]:
    """Real rows of the public MHLW list from ../shared (never copied into the repo); skip when absent."""
    if not SHARED_SAMPLE.exists():
        pytest.skip(f"{SHARED_SAMPLE} not present")
    with SHARED_SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        for key in ("facility", "address", "treatment"):
            row[key] = row[key].replace("\\r\\n", "\r\n")
    return rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_saisei(*args: str, cwd: Path = ROOT, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [*SAISEI, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL
    )


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled sample built once per test session with the real command."""
    db = tmp_path_factory.mktemp("sample") / "saisei.db"
    result = run_saisei("build", "--offline", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


@contextlib.contextmanager
def serving(db: Path, *extra: str):
    """Run the real ``saisei serve`` on a free loopback port; yield its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen(
        [*SAISEI, "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    output = process.stdout.read().decode(errors="replace")
                    pytest.fail(f"saisei serve did not start: {output}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
