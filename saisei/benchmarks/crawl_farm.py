"""A loopback farm of generated clinic sites and a throw-away redis-server, for shared-crawl tests and
``saisei benchmark crawl``.

:class:`Farm` serves thousands of small sites from one threaded HTTP server on 127.0.0.1, told apart by the
Host header (``c00042.clinic-farm.test``; the ``.test`` TLD is reserved and never resolves). Scrapy reaches
them through :class:`scrapers.loopback.LoopbackResolver`, so nothing leaves the machine. Every site has a
robots.txt that disallows ``/private/``, every tenth home page links there (a crawler obeying robots.txt never
asks for it), ETag and Last-Modified headers, and answers a matching conditional request with 304. The server
counts every request by host, path and status: the tests' ground truth for "fetched exactly once".
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DOMAIN = "clinic-farm.test"
LAST_MODIFIED = "Mon, 02 Jun 2025 00:00:00 GMT"
ROBOTS = b"User-agent: *\nDisallow: /private/\n"
#: Scrapy settings for crawling the farm: loopback names, no proxy, politeness turned down, a quiet terminal
FARM_SETTINGS = {
    "DNS_RESOLVER": "scrapers.loopback.LoopbackResolver",
    "HTTPPROXY_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "SAISEI_HOST_INTERVAL": "0",
    "SAISEI_PROGRESS": "False",
    "SAISEI_BUNDLED_SEEDS": "False",
    "LOG_LEVEL": "INFO",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: every PRIVATE_EVERY-th site links to a page its robots.txt disallows (enough to prove robots.txt is obeyed)
PRIVATE_EVERY = 10


def clinic_page(number: int, pages: int) -> bytes:
    links = "".join(f'<li><a href="/saisei/page{i}.html">再生医療 {i}</a></li>' for i in range(1, pages))
    if number % PRIVATE_EVERY == 0:
        links += '<li><a href="/private/staff.html">職員専用</a></li>'

    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>ファームクリニック{number:05d}</title></head><body>
<h1>医療法人社団ファーム会 ファームクリニック{number:05d}</h1>
<p>〒100-0001 東京都千代田区千代田1-{number}</p><p>電話 03-0000-{number % 10000:04d}</p>
<h2>再生医療（PRP療法）</h2><p>膝の変形性関節症にPRP療法を行っています。料金 {30000 + number:,}円（税込）/ 片膝</p>
<ul>{links}</ul>
</body></html>""".encode()


class FarmHandler(BaseHTTPRequestHandler):
    server_version = "farm/1"

    def log_message(self, *args):  # the counts are the log
        pass

    def do_GET(self):
        farm: Farm = self.server.farm
        host = (self.headers.get("Host") or "").split(":")[0].lower()
        body, status = farm.page(host, self.path)
        etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"' if body else None
        if status == 200 and etag and self.headers.get("If-None-Match") == etag:
            status = 304
        farm.count(host, self.path, status)
        self.send_response(status)
        if status in (200, 304):
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
        if status != 304:
            self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class Farm:
    """``with Farm(2000) as farm:`` serves the sites; ``farm.seeds_file(path)`` writes their home pages."""

    def __init__(self, sites: int = 2000, pages_per_site: int = 1):
        self.sites = sites
        self.pages_per_site = pages_per_site
        self.counts: Counter[tuple[str, str, int]] = Counter()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), FarmHandler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 512
        self.httpd.farm = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def host(self, number: int) -> str:
        return f"c{number:05d}.{DOMAIN}"

    def urls(self) -> list[str]:
        return [f"http://{self.host(n)}:{self.port}/" for n in range(1, self.sites + 1)]

    def seeds_file(self, path: Path) -> Path:
        path.write_text("\n".join(self.urls()) + "\n", encoding="utf-8")
        return path

    def page(self, host: str, path: str) -> tuple[bytes, int]:
        label = host.removesuffix("." + DOMAIN)
        if not label.startswith("c") or not label[1:].isdigit() or not 1 <= int(label[1:]) <= self.sites:
            return b"no such site", 404
        if path == "/robots.txt":
            return ROBOTS, 200
        pages = {"/"} | {f"/saisei/page{i}.html" for i in range(1, self.pages_per_site)}
        if path in pages:
            return clinic_page(int(label[1:]), self.pages_per_site), 200
        return b"not found", 404

    def count(self, host: str, path: str, status: int) -> None:
        with self.lock:
            self.counts[(host, path, status)] += 1

    def take_counts(self) -> Counter:
        """The counts since the last call, then start counting afresh."""
        with self.lock:
            counts, self.counts = self.counts, Counter()
        return counts

    def served(self) -> int:
        with self.lock:
            return sum(self.counts.values())


class RedisServer:
    """Debian's ``redis-server`` on a free loopback port, in memory only, stopped on exit."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def __enter__(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            raise FileNotFoundError("redis-server is not installed: apt-get install redis-server")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def start_worker(redis_url: str, crawl: str, seeds: Path, log: Path, **settings) -> subprocess.Popen:
    """``saisei crawl-worker`` in a subprocess (so it can be killed with SIGKILL), set up for the farm."""
    import sys

    args = [sys.executable, "-m", "saisei.cli", "crawl-worker", "--redis", redis_url, "--crawl", crawl,
            "--seeds", str(seeds), "--log", str(log)]
    for name, value in {**FARM_SETTINGS, **settings}.items():
        args += ["--set", f"{name}={value}"]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log.with_suffix(".err").open("w"))
