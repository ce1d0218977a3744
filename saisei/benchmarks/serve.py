"""``saisei benchmark serve``: the pages people open, on a synthetic 100,000-clinic database.

Five pages under 8 and 32 concurrent clients on loopback against ``saisei serve``'s own Datasette (same metadata,
plugin, templates, settings): the patient's home search (``/``), its results (``/find``), a clinic page, the
analyst's canned ``search`` and the clinics table filtered by prefecture with two facets. The baseline is the
same SQL each page runs, through :mod:`sqlite3` by as many threads, each on its own read-only connection with
the plugin's SQL functions. Each cell is p50 / p95 latency and requests per second; the ratio is what Datasette
(HTTP, asyncio, thread pool, rendering) adds on top of SQLite.

The server keeps the pages it rendered (saisei.caching), so a page is measured either as visitors asking the same
few things see it (kept: most requests answered from memory) or fresh: each request says ``Cache-Control:
no-cache``, which the server honours by rendering it anew, running the same SQL as the baseline. The clinic page
and the analyst search are measured fresh; the floor row is a page answered from memory, no SQL and no
rendering, the least any page can cost through this server. The database comes from
:mod:`saisei.benchmarks.synthetic`, whose precomputed tables are written by the build's own writers.

Each client is a succession of visitors (:class:`Visitors`): a visitor opens a connection, asks
:data:`VISIT_PAGES` pages on it and leaves, and the next one connects again, as a population of browsers does.
The server's processes share one listening socket, and asyncio accepts every connection waiting when it wakes:
clients that each kept one connection for the whole run, all opened at the same instant, were often all accepted
by one process (all 8 in 3 of 6 trials), leaving the other core idle for the run, and p95 swung with the draw.
Each row says how the server's work was split (the busiest process's share of their CPU time).
"""

from __future__ import annotations

import functools
import http.client
import json
import os
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from readers.regions import PREFECTURES
from saisei import front
from saisei.benchmarks import benchmark
from saisei.benchmarks.synthetic import CLINIC_COUNT_SQL, make_database
from saisei.caching import PAGE_CACHE_MB
from saisei.paths import METADATA
from saisei.queries import SEARCH, register_functions
from saisei.serve import datasette_args, default_workers
from saisei.views import PAGE_SQL

#: the issue's targets: patient pages at most 3x the sqlite3 p95 of their SQL and 150 ms at 8 clients
RATIO_LIMIT = 3.0
PATIENT_P95_LIMIT_MS = 150.0
CLIENT_COUNTS = (8, 32)
#: what patients type into the home search (names, places, therapies; Japanese, English, full-width)
PATIENT_TERMS = ("幹細胞", "ひざ 東京", "PRP", "湊見台", "knee", "さくら通り", "エクソソーム", "大阪 ＰＲＰ")
ANALYST_TERMS = ("脂肪由来幹細胞", "湊見台", "第12345", "ＰＲＰ注射", "港区", "evergreen")
THERAPY_CODES = ("adipose_cultured", "prp_intra_articular", "exosome")
#: pages one visitor asks on one connection before the next visitor connects (browsers keep a connection for a
#: visit; a new one is accepted by whichever server process is free first)
VISIT_PAGES = 4
#: the pages measured, by the name --page picks them with
PAGE_NAMES = ("floor", "home search", "results", "clinic page", "analyst search", "faceted table")


@dataclass
class Page:
    name: str
    patient: bool
    path: Callable[[int], str]  # request n -> URL path
    sql: Callable[[int], list[tuple[str, dict]]]  # request n -> the statements the page runs
    fresh: bool = False  # every request rendered anew (Cache-Control: no-cache), none answered from memory
    judged: bool = True  # held to the targets (the floor is not: it is what they are measured against)

#: what a fresh request sends: the server renders the page again rather than answering from its kept pages
FRESH_HEADERS = {"Cache-Control": "no-cache"}


def results_args(n: int) -> dict:
    """The n-th results request: a term alone, or with a prefecture or a therapy picked."""
    args = {"q": PATIENT_TERMS[n % len(PATIENT_TERMS)]}
    if n % 3 == 1:
        args["prefecture"] = PREFECTURES[n % len(PREFECTURES)]
    elif n % 3 == 2:
        args["therapy"] = THERAPY_CODES[n % len(THERAPY_CODES)]
    return args


def home_sql() -> list[tuple[str, dict]]:
    """What :func:`saisei.front.home_context` runs: the list of tables and the two picker tables."""
    return [("select name from sqlite_master where type='table'", {}),
            ("select prefecture, prefecture as label, clinics from clinic_cards_by_prefecture order by code", {}),
            ("select therapy, clinics from clinic_cards_by_therapy", {})]


def pages(db_path: Path, clinics: int) -> list[Page]:
    name = db_path.stem
    search_sql = SEARCH.sql

    def clinic_id(n: int) -> str:
        return f"c{(n * 7919) % clinics:06d}"

    def results_sql(n: int) -> list[tuple[str, dict]]:
        return [*home_sql(), front.search_sql(**results_args(n))]

    def facet_path(n: int) -> str:
        # the table's own facets (metadata.json): asking for them again with ?_facet= makes Datasette 0.65 run
        # and draw each one twice, a page nobody is shown, and twice the SQL of the baseline
        return f"/{name}/clinics?" + urllib.parse.urlencode({"prefecture": PREFECTURES[n % len(PREFECTURES)]})

    def search_path(n: int) -> str:
        return f"/{name}/search?" + urllib.parse.urlencode({"q": ANALYST_TERMS[n % len(ANALYST_TERMS)]})

    @functools.cache
    def columns() -> list[str]:  # read when first measured: the database may not exist yet
        return clinic_columns(db_path)

    def search_statements(n: int) -> list[tuple[str, dict]]:
        return [(search_sql, {"q": ANALYST_TERMS[n % len(ANALYST_TERMS)]})]

    return [
        Page("floor", False, lambda n: "/", lambda n: [], judged=False),
        Page("home search", True, lambda n: "/" + ("?lang=en" if n % 2 else ""), lambda n: home_sql()),
        Page("results", True, lambda n: "/find?" + urllib.parse.urlencode(results_args(n)), results_sql),
        Page("clinic page", True, lambda n: f"/clinic/{clinic_id(n)}", lambda n: [(PAGE_SQL, {"id": clinic_id(n)})],
             fresh=True),
        Page("analyst search", False, search_path, search_statements),
        Page("analyst search", False, search_path, search_statements, fresh=True),
        Page("faceted table", False, facet_path, lambda n: facet_sql(PREFECTURES[n % len(PREFECTURES)], columns())),
    ]


def clinic_facets() -> list[str]:
    """The clinics table's facets, as metadata.json configures them."""
    return json.loads(METADATA.read_text(encoding="utf-8"))["databases"]["saisei"]["tables"]["clinics"]["facets"]


def clinic_columns(db_path: Path) -> list[str]:
    """The clinics table's columns in their order, which Datasette names in its table page's SQL."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return [row[1] for row in conn.execute("pragma table_info(clinics)")]
    finally:
        conn.close()


def facet_sql(prefecture: str, columns: list[str]) -> list[tuple[str, dict]]:
    """What Datasette 0.65 runs for /db/clinics?prefecture=…, statement for statement (tests compare them): the
    rows in the table's sort order (metadata.json's ``sort``), the count, and each of the table's facets
    (suggestions off). Until this session the rows were asked ``order by prefecture, id``, a sort of the
    prefecture's 2,000 rows the page does not do (3.8 of the baseline's 7 ms)."""
    where = 'where "prefecture" = :p0'
    params = {"p0": prefecture}
    select = f"select {', '.join(columns)} from clinics {where}"
    facets = [
        (
            f"select {column} as value, count(*) as count from ( {select} ) "
            f"where {column} is not null group by {column} order by count desc, value limit 31",
            params,
        )
        for column in clinic_facets()
    ]
    return [
        (f"{select} order by prefecture limit 51", params),
        (f"select count(*) from clinics {where}", params),
        *facets,
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


@dataclass
class Run:
    latencies: list[float]  # seconds, one per request
    seconds: float  # wall time from the first request sent to the last answer

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds


def run_concurrently(clients: int, requests: int, work: Callable, setup: Callable) -> Run:
    """``clients`` threads, each with its own ``setup(client)`` state, doing ``requests`` calls of
    ``work(state, n)`` (``n`` runs over every client's share, so clients ask different things)."""
    latencies: list[float] = []
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        state = setup(index)
        mine = []
        barrier.wait()
        first = time.perf_counter()
        for n in range(requests):
            start = time.perf_counter()
            work(state, index * requests + n)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            spans.append((first, time.perf_counter()))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(latencies, max(end for _, end in spans) - min(start for start, _ in spans))


class Visitors:
    """One client's visitors, one after another: each connects anew and asks :data:`VISIT_PAGES` pages."""

    def __init__(self, port: int):
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.asked = 0

    def connection(self) -> http.client.HTTPConnection:
        """The current visitor's connection; a new visitor's (a new TCP connection) every VISIT_PAGES pages."""
        if self.asked % VISIT_PAGES == 0:
            if self.conn is not None:
                self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.asked += 1
        return self.conn


def worker_cpu_seconds(server_pid: int) -> dict[int, float]:
    """CPU seconds used so far by each process the server started (its workers), from /proc (Linux; empty
    elsewhere)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    used = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while being read
            continue
        if int(fields[1]) == server_pid:  # the parent's pid, after the state field
            used[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return used


def busiest_share(before: dict[int, float], after: dict[int, float]) -> float | None:
    """The busiest worker's share of the CPU all workers used between two readings (1/workers is an even split)."""
    spent = [after[pid] - before.get(pid, 0.0) for pid in after]
    total = sum(spent)
    return round(max(spent) / total, 2) if spent and total > 0 else None


def _wait_for(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise click.ClickException(f"saisei serve exited with status {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/-/versions.json")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise click.ClickException("saisei serve did not start")


@benchmark.command("serve")
@click.option("--clinics", type=int, default=100_000, show_default=True)
@click.option("--requests", type=int, default=320, show_default=True,
              help="Requests per page at each client count, shared among the clients.")
@click.option("--clients", "client_counts", type=int, multiple=True, default=CLIENT_COUNTS, show_default=True,
              help="Concurrent clients; repeat for several runs.")
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="Keep the synthetic database here (reused when it already holds --clinics clinics).",
)
@click.option("--page-cache-mb", type=float, default=None,
              help="Memory for rendered pages in the server (saisei.caching); 0 renders every request. "
                   "Default: saisei serve's own.")
@click.option("--workers", type=int, default=None,
              help="Server processes (saisei.asgi). Default: saisei serve's own, one per core.")
@click.option("--page", "page_names", multiple=True, type=click.Choice(PAGE_NAMES),
              help="Measure only this page (kept and fresh rows); repeat for several. Default: every page.")
def serve_benchmark(clinics, requests, client_counts, db, page_cache_mb, workers, page_names):
    """Patient pages, analyst search and a faceted table: Datasette over HTTP vs the same SQL through sqlite3.

    \b
    Example:
      saisei benchmark serve                      # 100,000 clinics, 8 and 32 clients
      saisei benchmark serve --clinics 20000 --requests 160 --clients 8
      saisei benchmark serve --page-cache-mb 0    # every page rendered, none answered from memory
      saisei benchmark serve --page "analyst search"
    """
    workdir = Path(tempfile.mkdtemp(prefix="saisei-bench-"))
    db_path = db or workdir / "bench.db"
    started = time.perf_counter()
    if db is not None and db.exists() and _clinic_count(db) == clinics:
        click.echo(f"database  {clinics:,} clinics, 7,000 plans, reused: {db_path}")
    else:
        make_database(db_path, clinics)
        click.echo(f"database  {clinics:,} clinics, 7,000 plans, built in {time.perf_counter() - started:.1f} s "
                   f"({db_path.stat().st_size / 1e6:.0f} MB): {db_path}")
    port = _free_port()
    # Datasette's access log goes to a file: an unread pipe fills after a few hundred requests and stalls it
    log = (workdir / "datasette.log").open("wb")
    process = subprocess.Popen(
        datasette_args(db_path, port, page_cache_mb=page_cache_mb, workers=workers),
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process)
        # with nothing kept there is no floor to measure: every page is rendered
        page_list = [p for p in pages(db_path, clinics) if (p.judged or page_cache_mb != 0)
                     and (not page_names or p.name in page_names)]
        rows = measure(db_path, port, page_list, requests, client_counts, server_pid=process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    report(rows, clinics, requests, page_cache_mb, workers or default_workers())


def measure(db_path: Path, port: int, page_list: list[Page], requests: int, client_counts,
            server_pid: int | None = None) -> list[dict]:
    def direct_setup(_index):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        register_functions(conn)
        return conn

    def served_setup(_index):
        return Visitors(port)

    rows = []
    for page in page_list:
        def direct(conn, n, page=page):
            for sql, params in page.sql(n):
                conn.execute(sql, params).fetchall()

        def served(visitors, n, page=page):
            fetch(visitors.connection(), page.path(n), FRESH_HEADERS if page.fresh else {})

        for clients in client_counts:
            each = max(requests // clients, 2)
            run_concurrently(clients, 2, direct, direct_setup)  # warm the page cache and the thread pools
            run_concurrently(clients, 2, served, served_setup)
            base = run_concurrently(clients, each, direct, direct_setup)
            cpu_before = worker_cpu_seconds(server_pid) if server_pid else {}
            http_run = run_concurrently(clients, each, served, served_setup)
            split = busiest_share(cpu_before, worker_cpu_seconds(server_pid)) if server_pid else None
            rows.append({"page": page.name, "fresh": page.fresh, "judged": page.judged, "patient": page.patient,
                         "clients": clients, "busiest_worker_share": split,
                         **_numbers("datasette", http_run), **_numbers("sqlite3", base)})
    return rows


def fetch(conn: http.client.HTTPConnection, path: str, headers: dict | None = None) -> None:
    """One GET as a first-time visitor (no If-None-Match), body read to the end."""
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise click.ClickException(f"{path} answered {response.status}")


def _numbers(prefix: str, run: Run) -> dict:
    p50, p95 = percentiles(run.latencies)
    return {f"{prefix}_p50_ms": round(p50, 2), f"{prefix}_p95_ms": round(p95, 2),
            f"{prefix}_rps": round(run.throughput, 1)}


def verdict(row: dict) -> str:
    """Against the issue's targets: every page within 3x of sqlite3 at p95; patient pages also within 150 ms
    (both at 8 clients; 32 clients is reported, not judged)."""
    if row["clients"] != 8 or not row.get("judged", True):
        return ""
    ratio_ok = row["datasette_p95_ms"] <= RATIO_LIMIT * row["sqlite3_p95_ms"]
    absolute_ok = not row["patient"] or row["datasette_p95_ms"] <= PATIENT_P95_LIMIT_MS
    return "OK" if ratio_ok and absolute_ok else "MISS"


def label(row: dict, cache_off: bool = False) -> str:
    """The page's name, and whether its requests could be answered from the server's kept pages."""
    if not row.get("judged", True):
        return row["page"]
    return f"{row['page']}, {'fresh' if row.get('fresh') or cache_off else 'kept'}"


def report(rows: list[dict], clinics: int, requests: int, page_cache_mb: float | None = None,
           workers: int = 1) -> None:
    kept = "off" if page_cache_mb == 0 else f"{page_cache_mb if page_cache_mb is not None else PAGE_CACHE_MB:g} MB"
    click.echo(f"requests  {requests} per page at each client count (HTML pages, no caching proxy; "
               f"{workers} server process(es); pages kept in each one's memory: {kept})")
    click.echo(f"{'page':22} {'clients':>7}  {'Datasette p50':>13} {'p95':>7} {'req/s':>7}  "
               f"{'sqlite3 p50':>11} {'p95':>7} {'req/s':>7}  {'busiest':>7}  {'p95 ratio':>9}")
    for row in rows:
        ratio = row["datasette_p95_ms"] / max(row["sqlite3_p95_ms"], 0.01)
        ratio_text = f"{ratio:8.1f}x" if row.get("judged", True) else ""
        click.echo(
            f"{label(row, page_cache_mb == 0):22} {row['clients']:7d}  {row['datasette_p50_ms']:10.1f} ms {row['datasette_p95_ms']:7.1f} "
            f"{row['datasette_rps']:7.0f}  {row['sqlite3_p50_ms']:8.1f} ms {row['sqlite3_p95_ms']:7.1f} "
            f"{row['sqlite3_rps']:7.0f}  {_share(row.get('busiest_worker_share')):>7}  {ratio_text} {verdict(row)}"
        )
    click.echo("floor: a page answered from memory (no SQL, no rendering); kept: most requests answered from "
               "memory; fresh: every request rendered anew (Cache-Control: no-cache); busiest: the busiest server "
               f"process's share of the server's CPU time (1/{workers} is an even split)")
    click.echo(json.dumps({"clinics": clinics, "page_cache": kept, "workers": workers, "results": rows},
                          ensure_ascii=False))


def _share(share: float | None) -> str:
    return f"{share:.0%}" if share is not None else "-"


def _clinic_count(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(CLINIC_COUNT_SQL).fetchone()[0]
    except sqlite3.Error:
        return -1
    finally:
        conn.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
