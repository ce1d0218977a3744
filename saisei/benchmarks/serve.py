"""``saisei benchmark serve``: Datasette's latency on a synthetic 100,000-clinic database.

Two requests people make all the time, under 8 concurrent clients on loopback against ``saisei serve``'s own
Datasette (same metadata, plugin, settings): the canned ``search`` query, and the clinics table page filtered
by prefecture with two facets. The baseline is the same SQL run directly through :mod:`sqlite3`, by the same
8 concurrent threads, each on its own read-only connection with the same SQL functions registered. The ratio
is what Datasette (HTTP, asyncio, thread pool, JSON or HTML rendering) adds on top of SQLite.
"""

from __future__ import annotations

import http.client
import json
import random
import sqlite3
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import click

from readers.regions import PREFECTURE_BUREAU, PREFECTURES
from saisei.benchmarks import benchmark
from saisei.queries import SEARCH, register_functions
from saisei.serve import datasette_args
from verify import vocabulary

SEARCH_TERMS = ("脂肪由来幹細胞", "湊見台", "第12345", "ＰＲＰ注射", "港区", "evergreen")
THERAPY_WORDS = {
    "adipose_cultured": "ひざの幹細胞治療（脂肪由来・培養）",
    "prp_intra_articular": "PRP注射（関節内）",
    "adipose_svf": "SVF治療",
    "exosome": "エクソソーム点滴",
    "culture_supernatant": "幹細胞培養上清液",
    "prp_other": "PRP皮膚再生",
}
VERDICTS = tuple(vocabulary.VERDICTS)
CITIES = ("港区", "中央区", "北区", "南区", "西区", "東区", "青葉区", "天神", "栄", "梅田")
WORDS = (
    "湊見台",
    "さくら通り",
    "ひまわり台",
    "こもれび坂",
    "杜の泉",
    "みなと西",
    "銀杏並木",
    "灯台通り",
    "EVERGREEN",
    "星降町",
)


def make_database(path: Path, clinics: int, seed: int = 7) -> None:
    """Clinics, offerings, verifications, prices and ~7,000 plans in the contract schemas, then the indexes."""
    from saisei.tables import search
    from saisei.tables.context import BuildContext
    from saisei.tables.plans import PLAN_COLUMNS

    rng = random.Random(seed)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute(
        "create table clinics (id text primary key, name_printed text, name text, name_key text, prefecture text, "
        "city text, address text, postal_code text, phone text, url text, languages text, js_only integer, "
        "sources text, fetched_at text, sample integer)"
    )
    conn.execute(
        "create table offerings (id text primary key, clinic_id text, therapy text, therapy_printed text, "
        "condition text, excerpt text, source_url text, fetched_at text)"
    )
    conn.execute(
        "create table verifications (id text primary key, clinic_id text, offering_id text, listing_id text, "
        "therapy text, verdict text, plan_ids text, scores text, reason_ja text, reason_en text, checked_at text)"
    )
    conn.execute(
        "create table prices (id text primary key, clinic_id text, therapy text, amount_min integer, "
        "amount_max integer, currency text, tax text, unit text, excerpt text, source_url text, fetched_at text)"
    )
    columns = ", ".join(
        f"{name} {'integer' if kind is int else 'text'}" for name, kind in PLAN_COLUMNS.items()
    )
    conn.execute(f"create table plans ({columns}, primary key (id))")
    when = "2026-11-20T03:00:00Z"
    clinic_rows, offering_rows, verification_rows, price_rows = [], [], [], []
    for i in range(clinics):
        prefecture = PREFECTURES[rng.randrange(len(PREFECTURES))]
        city = CITIES[rng.randrange(len(CITIES))]
        name = f"{WORDS[i % len(WORDS)]}第{i}クリニック"
        cid = f"c{i:06d}"
        clinic_rows.append(
            (
                cid,
                name,
                name,
                name,
                prefecture,
                city,
                f"{city}{i % 9 + 1}-{i % 13 + 1}",
                None,
                "03-5555-0000",
                f"https://c{i}.example/",
                '["ja"]',
                0,
                f'["https://c{i}.example/"]',
                when,
                1,
            )
        )
        for n, therapy in enumerate(rng.sample(sorted(THERAPY_WORDS), rng.randint(1, 2))):
            oid = f"{cid}-{n}"
            offering_rows.append(
                (
                    oid,
                    cid,
                    therapy,
                    THERAPY_WORDS[therapy],
                    "knee_oa",
                    THERAPY_WORDS[therapy],
                    f"https://c{i}.example/t",
                    when,
                )
            )
            verification_rows.append(
                (
                    f"v{oid}",
                    cid,
                    oid,
                    None,
                    therapy,
                    VERDICTS[rng.randrange(len(VERDICTS))],
                    "[]",
                    "{}",
                    "理由",
                    "reason",
                    when,
                )
            )
            low = rng.randrange(5, 200) * 10000
            price_rows.append(
                (
                    f"p{oid}",
                    cid,
                    therapy,
                    low,
                    low * 2,
                    "JPY",
                    "included",
                    "knee",
                    f"{low}円",
                    f"https://c{i}.example/price",
                    when,
                )
            )
    conn.executemany(f"insert into clinics values ({','.join('?' * 15)})", clinic_rows)
    conn.executemany(f"insert into offerings values ({','.join('?' * 8)})", offering_rows)
    conn.executemany(f"insert into verifications values ({','.join('?' * 11)})", verification_rows)
    conn.executemany(f"insert into prices values ({','.join('?' * 11)})", price_rows)
    plans = []
    for i in range(7000):
        prefecture = PREFECTURES[i % len(PREFECTURES)]
        facility = f"{WORDS[i % len(WORDS)]}第{i}クリニック"
        therapy = (
            "変形性膝関節症に対する自己脂肪由来幹細胞を用いた治療",
            "ＰＲＰを用いた変形性関節症の治療",
        )[i % 2]
        row = {name: None for name in PLAN_COLUMNS}
        row.update(
            id=f"plan{i}",
            plan_key=f"plan{i}",
            plan_class=2 + i % 2,
            prefecture=prefecture,
            bureau=PREFECTURE_BUREAU[prefecture],
            facility_printed=facility,
            facility=facility,
            facility_key=facility,
            address=f"{CITIES[i % len(CITIES)]}1-1",
            therapy_printed=therapy,
            therapy=therapy,
            source_url="https://saiseiiryo.mhlw.go.jp/published_plan/index/2",
            fetched_at=when,
            status="current",
            first_seen=when,
            last_seen=when,
            sample=1,
        )
        plans.append(tuple(row.values()))
    conn.executemany(f"insert into plans values ({','.join('?' * len(PLAN_COLUMNS))})", plans)
    conn.commit()
    conn.close()
    import sqlite_utils

    db = sqlite_utils.Database(path)
    search.write(
        db, {}, BuildContext(run_id="bench", archive=None, sample=True, previous_db=path.with_suffix(".old"))
    )
    db.close()


def facet_sql(prefecture: str) -> list[tuple[str, dict]]:
    """What Datasette runs for /db/clinics?prefecture=…&_facet=city&_facet=prefecture (suggestions off)."""
    where = "where prefecture = :p"
    params = {"p": prefecture}
    facets = [
        (
            f"select {column} as value, count(*) as count from (select * from clinics {where}) "
            f"where {column} is not null group by {column} order by count desc, value limit 31",
            params,
        )
        for column in ("city", "prefecture")
    ]
    return [
        (f"select count(*) from clinics {where}", params),
        (f"select rowid, * from clinics {where} order by prefecture, id limit 51", params),
        *facets,
    ]


def percentiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000


def run_concurrently(
    clients: int, requests: int, work: Callable[[int, int], None], setup=None
) -> list[float]:
    """``clients`` threads, each doing ``requests`` calls of ``work(client, n)``; returns every latency (s)."""
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client(index: int) -> None:
        state = setup(index) if setup else None
        mine = []
        barrier.wait()
        for n in range(requests):
            start = time.perf_counter()
            work(state, n) if setup else work(index, n)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


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
@click.option("--clients", type=int, default=8, show_default=True)
@click.option("--requests", type=int, default=40, show_default=True, help="Requests per client per query.")
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=None,
    help="Keep the synthetic database here (reused when it already holds --clinics clinics).",
)
@click.option(
    "--format",
    "page_format",
    type=click.Choice(["html", "json"]),
    default="html",
    show_default=True,
    help="Pages as a browser gets them, or their JSON.",
)
def serve_benchmark(clinics, clients, requests, db, page_format):
    """Search and faceted-table latency, Datasette over HTTP vs the same SQL through sqlite3.

    \b
    Example:
      saisei benchmark serve                      # 100,000 clinics, 8 clients
      saisei benchmark serve --clinics 20000 --requests 20
    """
    workdir = Path(tempfile.mkdtemp(prefix="saisei-bench-"))
    db_path = db or workdir / "bench.db"
    started = time.perf_counter()
    if db is not None and db.exists() and _clinic_count(db) == clinics:
        click.echo(f"database  {clinics:,} clinics, 7,000 plans, reused: {db_path}")
    else:
        make_database(db_path, clinics)
        click.echo(
            f"database  {clinics:,} clinics, 7,000 plans, built in {time.perf_counter() - started:.1f} s: {db_path}"
        )

    search_sql = SEARCH.sql
    prefectures = PREFECTURES
    searches = [{"q": SEARCH_TERMS[n % len(SEARCH_TERMS)]} for n in range(requests)]

    def direct_setup(_index):
        conn = sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        register_functions(conn)
        return conn

    def direct_search(conn, n):
        conn.execute(search_sql, searches[n]).fetchall()

    def direct_facets(conn, n):
        for sql, params in facet_sql(prefectures[n % len(prefectures)]):
            conn.execute(sql, params).fetchall()

    def served_setup(_index):
        return http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def fetch(conn, path):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise click.ClickException(f"{path} answered {response.status}")

    suffix = ".json" if page_format == "json" else ""

    def served_search(conn, n):
        fetch(conn, f"/{db_path.stem}/search{suffix}?" + urllib.parse.urlencode(searches[n]))

    def served_facets(conn, n):
        query = {"prefecture": prefectures[n % len(prefectures)], "_facet": ["city", "prefecture"]}
        fetch(conn, f"/{db_path.stem}/clinics{suffix}?" + urllib.parse.urlencode(query, doseq=True))

    port = _free_port()
    # Datasette's access log goes to a file: an unread pipe fills after a few hundred requests and stalls it
    log = (workdir / "datasette.log").open("wb")
    process = subprocess.Popen(
        datasette_args(db_path, port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    rows = []
    try:
        _wait_for(port, process)
        for name, direct, served in (
            ("search query", direct_search, served_search),
            ("faceted table page", direct_facets, served_facets),
        ):
            run_concurrently(clients, 2, direct, direct_setup)  # warm the page cache and the thread pools
            run_concurrently(clients, 2, served, served_setup)
            sqlite_p50, sqlite_p95 = percentiles(run_concurrently(clients, requests, direct, direct_setup))
            http_p50, http_p95 = percentiles(run_concurrently(clients, requests, served, served_setup))
            rows.append((name, http_p50, http_p95, sqlite_p50, sqlite_p95))
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    click.echo(f"clients   {clients} concurrent, {requests} requests each per query ({page_format} pages)")
    click.echo(
        f"{'':20} {'Datasette p50':>14} {'p95':>9} {'sqlite3 p50':>12} {'p95':>9} {'ratio p50':>10} {'p95':>7}"
    )
    for name, http_p50, http_p95, sqlite_p50, sqlite_p95 in rows:
        click.echo(
            f"{name:20} {http_p50:11.1f} ms {http_p95:6.1f} ms {sqlite_p50:9.1f} ms {sqlite_p95:6.1f} ms "
            f"{http_p50 / sqlite_p50:9.1f}x {http_p95 / sqlite_p95:6.1f}x"
        )
    keys = ("query", "datasette_p50_ms", "datasette_p95_ms", "sqlite3_p50_ms", "sqlite3_p95_ms")
    results = [dict(zip(keys, (name, *(round(v, 2) for v in values)), strict=True)) for name, *values in rows]
    click.echo(json.dumps({"clinics": clinics, "clients": clients, "results": results}, ensure_ascii=False))


def _clinic_count(db_path: Path) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("select count(*) from clinics").fetchone()[0]
    except sqlite3.Error:
        return -1
    finally:
        conn.close()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
