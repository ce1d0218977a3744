"""The real-name pages crawled as a user would: archive, build, verdicts from the built database.

``saisei evaluate --crawl`` (and ``tests/test_realname_crawl.py``) packs a web archive holding the bundled sample with
its two plan lists replaced by the real rows of ``../shared/data/registry_sample.tsv`` (rendered in the list's
documented layout) and every page of ``tests/fixtures/clinic_corpus/realname/``, then runs ``saisei build
--offline ARCHIVE --seeds FILE`` on it. The verdicts are read from the built ``verifications`` table, so every
stage a user's crawl goes through (spiders, site grouping, the identity chooser, matching, verdicts) is scored.
The rendered rows live only in the temporary archive, never in the repository.
"""

from __future__ import annotations

import html
import json
import sqlite3
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from saisei.corpus_scores import CorpusPage, _compare, load_corpus
from saisei.paths import SAMPLE_SOURCES
from scrapers.parsers.clinic_page import extract_clinic_page
from scrapers.parsers.clinic_therapies import site_therapy
from scrapers.webarchive import PageSource, pack_wacz, sample_sources, write_warc

PLAN_LIST = "https://saiseiiryo.mhlw.go.jp/published_plan/index/{}"
CAPTURED_AT = "2026-11-21T00:00:00Z"


def render_plan_list(rows: list[dict]) -> bytes:
    """The documented layout: td0 facility, td1 prefecture, td2 address, td4 therapy, td7 資料 links."""
    trs = []
    for row in rows:
        links = f'<a href="/published_plan/download/{row["doc_code"]}/5/1">資料1</a>'
        cells = [row["facility_printed"], row["prefecture"], row.get("address_printed") or "", "",
                 row["therapy"], "", ""]
        trs.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + f"<td>{links}</td></tr>")
    page = f"<html><body><table><tr><th>医療機関名称</th></tr>{''.join(trs)}</table></body></html>"
    return page.encode("utf-8")


def build_archive(folder: Path, shared_rows: dict[str, dict], pages: list[CorpusPage]) -> tuple[Path, Path]:
    """(archive, seed file) for the real-name crawl."""
    _, sources = sample_sources(SAMPLE_SOURCES)
    by_url = {source.url: source for source in sources}
    for plan_class in (2, 3):
        rows = [r for r in shared_rows.values() if r["plan_class"] == plan_class]
        by_url[PLAN_LIST.format(plan_class)] = PageSource(
            PLAN_LIST.format(plan_class), render_plan_list(rows), CAPTURED_AT, 200,
            (("Content-Type", "text/html; charset=utf-8"),))
    for page in pages:
        headers = tuple((k, v) for k, v in (page.meta.get("headers") or {}).items())
        by_url[page.meta["url"]] = PageSource(page.meta["url"], page.body, CAPTURED_AT, 200, headers)
    folder.mkdir(parents=True, exist_ok=True)
    warc = folder / "realname.warc.gz"
    write_warc(warc, by_url.values())
    archive = pack_wacz([warc], folder / "realname.wacz", title="real-name crawl", description="evaluation",
                        created=CAPTURED_AT)
    seeds = folder / "seeds.txt"
    seeds.write_text("\n".join(p.meta["url"] for p in pages) + "\n", encoding="utf-8")
    return archive, seeds


def crawl_verdicts(folder: Path, shared_rows: dict[str, dict]) -> dict:
    """Build the archive, run the offline build, and score each real-name page's verdicts, per split."""
    pages = load_corpus("realname")
    archive, seeds = build_archive(folder, shared_rows, pages)
    db_path = folder / "realname.db"
    done = subprocess.run([sys.executable, "-m", "saisei.cli", "build", "--offline", str(archive), "--seeds",
                           str(seeds), "--db", str(db_path), "--force"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the real-name build failed: {done.stderr[-2000:]}")
    conn = sqlite3.connect(db_path)
    try:
        clinic_of: dict[str, str] = {}
        for cid, sources in conn.execute("select id, sources from clinics"):
            for url in json.loads(sources or "[]"):
                clinic_of[url] = cid
        verdicts: dict[str, dict[str, str]] = defaultdict(dict)
        for cid, therapy, verdict in conn.execute(
                "select clinic_id, therapy, verdict from verifications where offering_id is not null"):
            verdicts[cid][therapy] = verdict
    finally:
        conn.close()
    result = {split: {"crawl": _blank()} for split in ("dev", "test")}
    for page in pages:
        # the verdicts of the clinic the build put this page in, for the therapies this page itself offers
        clinic = verdicts.get(clinic_of.get(page.meta["url"]), {})
        read = extract_clinic_page(page.body, page.meta["url"], page.meta.get("headers"))["offerings"]
        own = {site_therapy(o, set(clinic)) for o in read}  # a page's generic 幹細胞 is its site's kind
        found = {t: v for t, v in clinic.items() if t in own}
        _compare(f"{page.site}/{page.page}", page.meta.get("verdicts", {}), found,
                 result[page.meta.get("split", "dev")]["crawl"])
    return result


def _blank() -> dict:
    return {"pages": 0, "fully right": 0, "verdicts": 0, "verdicts right": 0, "false registered": 0,
            "false registered cases": [], "misses": []}
