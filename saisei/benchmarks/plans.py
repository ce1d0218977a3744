"""``saisei benchmark plans``: the plan-list parser on a generated page of 20,000 rows.

Prints rows per second and peak memory of our parser (response → selector → :func:`parse_plan_table`, and
the streamed :func:`stream_plan_table` the spider runs) next to a bare lxml pass that only walks the same rows
and cells of the same bytes: the practical limit for any parser in Python. Each measurement runs in a fresh interpreter, so peak memory
(VmHWM, the process's resident high-water mark) is the measurement's own. Then a whole ``saisei build
--offline`` runs over the bundled sample with the class-2 list replaced by the generated page, and its peak
resident memory is checked against the 250 MB issue 14 sets.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html import escape
from pathlib import Path

import click

from readers.regions import BUREAUS, PREFECTURES, bureau_for_prefecture
from saisei.benchmarks import benchmark
from saisei.paths import SAMPLE_SOURCES

BUILD_RSS_LIMIT_MB = 250
THERAPIES = (
    "変形性膝関節症に対する自己脂肪由来幹細胞を用いた治療",
    "自己多血小板血漿（PRP）を用いた変形性関節症の治療",
    "自己脂肪組織由来間質血管細胞群（SVF）を用いた関節症の治療",
    "多血小板血漿を用いた皮膚の再生医療",
    "自家骨髄由来間葉系幹細胞を用いた変形性膝関節症の治療",
    "ＰＲＰを用いた腱・靱帯付着部症の治療",
)
CORPORATIONS = ("医療法人社団", "医療法人", "一般社団法人", "")


@dataclass
class GeneratedPage:
    body: bytes
    expected: list[dict]  # per row, what the parser must read (printed text as a browser shows it)
    duplicates: int  # rows printed twice on purpose


def generate_plan_page(rows: int, *, encoding: str = "utf-8", duplicate_every: int = 0) -> GeneratedPage:
    """A plan list in the e-再生医療 layout with the registry's messiness spread over the rows.

    Every 7th facility has a ``<br>`` between corporation and name, every 11th full-width spaces, every 13th a
    CR LF inside the therapy name, every 17th an extra cell, every 19th three documents; ``duplicate_every``
    repeats a row verbatim, as the live list sometimes does. Names are unique, so no two plans share an id.
    """
    trs, expected = [], []
    duplicates = 0
    letters = {key: value[2] for key, value in BUREAUS.items()}
    for i in range(rows):
        prefecture = PREFECTURES[i % len(PREFECTURES)]
        corporation = CORPORATIONS[i % len(CORPORATIONS)]
        name = f"第{i + 1}ひざ関節クリニック"
        space = "\u3000" if i % 11 == 0 else " "
        if corporation:
            corp = f"{corporation}架空{i + 1}会"
            facility_html = f"{escape(corp)}<br>{escape(name)}" if i % 7 == 0 else escape(f"{corp}{space}{name}")
            facility = f"{corp}\n{name}" if i % 7 == 0 else f"{corp}{space}{name}"
        else:
            facility_html, facility = escape(name), name
        therapy = THERAPIES[i % len(THERAPIES)]
        therapy_html = therapy.replace("を用いた", "を用いた\r\n") if i % 13 == 0 else therapy
        address = f"架空市{i % 50 + 1}丁目{i % 9 + 1}番{i % 7 + 1}号"
        code = f"01{letters[bureau_for_prefecture(prefecture)]}{20 + i // 12000 % 7}{i // 1000 % 12 + 1:02d}{i % 1000:03d}"
        n_docs = 3 if i % 19 == 0 else 1
        links = "".join(f'<a href="/published_plan/download/{code}/5/{n}" target="_blank">資料{n}</a><br>'
                        for n in range(1, n_docs + 1))
        extra = "<td>備考</td>" if i % 17 == 0 else ""
        tr = (f"<tr>\n<td>{facility_html}</td>\n<td>{prefecture}</td>\n<td>{escape(address)}</td>\n"
              f"<td>0{i % 9 + 1}-5555-{i % 10000:04d}</td>\n<td>{escape(therapy_html)}</td>\n<td>2024年{i % 12 + 1}月1日</td>\n"
              f"<td>架空特定認定再生医療等委員会</td>\n<td class=\"text-nowrap\">{links}</td>{extra}\n</tr>\n")
        trs.append(tr)
        if duplicate_every and i % duplicate_every == duplicate_every - 1:
            trs.append(tr)
            duplicates += 1
        expected.append({"facility_printed": facility, "prefecture": prefecture, "address_printed": address,
                         "therapy_printed": therapy_html.replace("\r\n", "\n"), "doc_codes": [code], "n_documents": n_docs})
    charset = "Shift_JIS" if encoding.lower().replace("-", "_") == "shift_jis" else "UTF-8"
    html = (
        f'<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="{charset}">\n'
        "<title>第二種再生医療等提供計画（治療）一覧 | e-再生医療</title>\n</head>\n<body>\n"
        '<div class="sample-notice">【サンプルデータ】saisei のベンチマーク用に生成した架空のページです。 SAMPLE DATA.</div>\n'
        '<table class="table table-bordered plan-list">\n<thead>\n<tr><th>医療機関名称</th><th>都道府県</th><th>医療機関所在地</th>'
        "<th>電話番号</th><th>再生医療等の名称</th><th>受理日</th><th>認定再生医療等委員会</th><th>資料</th></tr>\n</thead>\n"
        f"<tbody>\n{''.join(trs)}</tbody>\n</table>\n</body>\n</html>\n"
    )
    return GeneratedPage(html.encode(encoding), expected, duplicates)


# --- one measurement, in a fresh interpreter (python -m saisei.benchmarks.plans MODE PAGE) ---------------


def _rss_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _measure(mode: str, page: Path) -> dict:
    body = page.read_bytes()
    url = "https://saiseiiryo.mhlw.go.jp/published_plan/index/2"
    if mode == "ours":
        from scrapy.http import HtmlResponse

        from scrapers.parsers.plan_table import parse_plan_table
    elif mode == "stream":
        from scrapers.parsers.plan_stream import stream_plan_table
    else:
        import lxml.html
    before = _rss_kb("VmRSS")
    started = time.perf_counter()
    if mode == "ours":
        response = HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html; charset=UTF-8"})
        table = parse_plan_table(response.selector, response.url)
        rows = len(table.plans) + len(table.unparsed)
    elif mode == "stream":  # what the spider runs: no whole tree, the plans spooled to disk
        streamed = stream_plan_table(body, url, "utf-8")
        rows = sum(1 for _ in streamed.plans) + len(streamed.unparsed)
    else:
        root = lxml.html.fromstring(body)
        rows = 0
        for tr in root.iter("tr"):
            cells = [td.text_content() for td in tr.iterfind("td")]
            if cells:
                rows += 1
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_mb": (_rss_kb("VmHWM") - before) / 1024}


def _run_measure(mode: str, page: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "saisei.benchmarks.plans", mode, str(page)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _build_peak_rss(page: bytes, workdir: Path) -> tuple[int, float, int]:
    """Exit status, peak RSS in MB and seconds of ``saisei build --offline`` over the sample with this page."""
    from scrapers.webarchive import pack_sample

    sources = workdir / "sample"
    shutil.copytree(SAMPLE_SOURCES, sources)
    (sources / "pages" / "saiseiiryo.mhlw.go.jp" / "published_plan" / "index" / "2.html").write_bytes(page)
    archive = pack_sample(sources, workdir / "bench.wacz")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "saisei.cli", "build", "--offline", str(archive), "--db", str(workdir / "bench.db")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, time.perf_counter() - started


@benchmark.command("plans")
@click.option("--rows", type=int, default=20_000, show_default=True, help="Rows on the generated plan page.")
@click.option("--repeat", type=int, default=3, show_default=True, help="Runs per parser; the fastest counts.")
@click.option("--skip-build", is_flag=True, help="Only the parser comparison, not the whole offline build.")
def plans_command(rows, repeat, skip_build):
    """Plan-list parser vs a bare lxml pass on a generated page; peak memory of a whole offline build.

    \b
    Example:
      saisei benchmark plans --rows 20000
    """
    page = generate_plan_page(rows)
    with tempfile.TemporaryDirectory(prefix="saisei-bench-") as tmp:
        path = Path(tmp) / "plans.html"
        path.write_bytes(page.body)
        click.echo(f"plan page: {rows:,} rows, {len(page.body) / 1e6:.1f} MB (generated, UTF-8)")
        results = {}
        for mode in ("lxml", "ours", "stream"):
            runs = [_run_measure(mode, path) for _ in range(repeat)]
            best = min(runs, key=lambda r: r["seconds"])
            best["peak_mb"] = max(r["peak_mb"] for r in runs)
            results[mode] = best
            if best["rows"] != rows:
                raise click.ClickException(f"{mode} read {best['rows']} rows, expected {rows}")
        for mode, label in (("lxml", "bare lxml pass (baseline)"), ("ours", "saisei parse_plan_table"),
                            ("stream", "saisei stream_plan_table")):
            r = results[mode]
            click.echo(f"  {label:<28} {r['seconds']:7.3f} s  {rows / r['seconds']:>9,.0f} rows/s  "
                       f"peak +{r['peak_mb']:6.1f} MB")
        ratio = results["ours"]["seconds"] / results["lxml"]["seconds"]
        memory = results["ours"]["peak_mb"] / max(results["lxml"]["peak_mb"], 0.1)
        click.echo(f"  ratio saisei / lxml: {ratio:.2f}x time, {memory:.2f}x peak memory")
        streamed = results["stream"]
        click.echo(f"  ratio streamed / lxml: {streamed['seconds'] / results['lxml']['seconds']:.2f}x time, "
                   f"{streamed['peak_mb'] / max(results['lxml']['peak_mb'], 0.1):.2f}x peak memory (the spider's path)")
        if skip_build:
            return
        status, peak, seconds = _build_peak_rss(page.body, Path(tmp))
        verdict = "OK" if status == 0 and peak < BUILD_RSS_LIMIT_MB else "FAIL"
        click.echo(f"whole `saisei build --offline` over the sample with this page: exit {status}, "
                   f"{seconds:.1f} s, peak RSS {peak:.0f} MB (limit {BUILD_RSS_LIMIT_MB} MB): {verdict}")
        if verdict == "FAIL":
            sys.exit(1)


if __name__ == "__main__":
    print(json.dumps(_measure(sys.argv[1], Path(sys.argv[2]))))
