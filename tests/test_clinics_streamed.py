"""The clinics writer streams (issue 14): pages spooled and grouped site by site, rows written in batches; the
clinics, their order and their rows are what grouping every page in memory gives, and a partial crawl carries
the previous build's rows of the clinics it did not read."""

from __future__ import annotations

import json
import random
from pathlib import Path

import sqlite_utils

from saisei.tables import clinics
from saisei.tables.clinics import group_pages
from saisei.tables.context import BuildContext
from saisei.tables.page_spool import PageSpool


def _page(url, name=None, phone=None, address=None, depth=0, offering=None):
    page = {"source_url": url, "fetched_at": "2026-11-20T03:10:00Z", "site": url.split("/")[2], "depth": depth,
            "status": "ok", "clinic": {"name_printed": name, "name_key": name and name.lower(), "phone": phone,
                                       "address": address, "prefecture": "東京都" if address else None}}
    if offering:
        page["offerings"] = [{"therapy": offering, "therapy_printed": "PRP", "condition": "knee_oa", "excerpt": "PRP"}]
    return page


PAGES = [
    _page("https://a.example/", "Aクリニック", "03-1", offering="prp_intra_articular"),
    _page("https://a.example/en/", "A Clinic", "03-1", depth=1),
    _page("https://a.example/branch/", "Aクリニック 横浜院", "045-2", depth=1),
    _page("https://a.example/app/", depth=1),
    _page("https://b.example/", "Aクリニック", "03-1", offering="prp_intra_articular"),  # A's second site: merged
    _page("https://c.example/", "Aクリニック", "06-9"),  # a namesake elsewhere
    _page("https://d.example/x/", "Dクリニック", "03-4", "東京都港区1-2-3", depth=2),
    _page("https://d.example/", "Dクリニック", "03-4", "東京都港区1-2-3", offering="prp_intra_articular"),
    _page("https://e.example/", "Dクリニック", "03-5", "東京都港区1-2-3"),  # D again, by name and address
]


def _write(tmp_path: Path, pages: list[dict], *, previous: Path | None = None, complete: bool = True):
    db = sqlite_utils.Database(tmp_path / "new.db")
    context = BuildContext(run_id="r", archive=None, sample=True, previous_db=previous or tmp_path / "none.db",
                           complete_spiders={"clinic_sites"} if complete else set())
    clinics.write(db, {"clinic_page": pages}, context)
    return db, context


def test_spool_reads_sites_in_page_order_one_site_at_a_time():
    shuffled = PAGES[:]
    random.Random(3).shuffle(shuffled)
    with PageSpool() as spool:
        spool.add(shuffled)
        read = [(site, [page["source_url"] for _, page in pairs]) for site, pairs in spool.by_site()]
    in_order = sorted(shuffled, key=clinics._page_order)
    sites = list(dict.fromkeys(page["site"] for page in in_order))
    assert [site for site, _ in read] == sites
    for site, urls in read:
        assert urls == [page["source_url"] for page in in_order if page["site"] == site]


def test_streamed_clinics_are_those_of_grouping_every_page_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(clinics, "BATCH", 1)  # every clinic its own batch
    shuffled = PAGES[:]
    random.Random(5).shuffle(shuffled)
    db, context = _write(tmp_path, shuffled)
    expected = [sorted(page["source_url"] for page in clinic.pages) for clinic in group_pages(shuffled)]
    rows = list(db.query("select sources from clinics order by rowid"))
    assert [sorted(json.loads(row["sources"])) for row in rows] == expected
    assert len(expected) == 4 and context.notes["clinic_pages"] == len(PAGES)
    offerings = list(db.query("select clinic_id from offerings order by rowid"))
    assert [row["clinic_id"] for row in offerings] == [row["id"] for row in db.query(
        "select id from clinics where id in (select clinic_id from offerings) order by rowid")]


def test_a_partial_crawl_carries_over_the_clinics_it_did_not_read(tmp_path):
    for name in ("first", "partial", "carried"):
        (tmp_path / name).mkdir()
    _write(tmp_path / "first", PAGES)[0].close()
    previous = sqlite_utils.Database(tmp_path / "first" / "new.db")
    read_again = [page for page in PAGES if page["site"] in ("a.example", "b.example")]
    alone, _ = _write(tmp_path / "partial", read_again)
    db, context = _write(tmp_path / "carried", read_again, previous=tmp_path / "first" / "new.db", complete=False)
    tables = [name for name, _ in clinics.TABLES]
    # every clinic of the previous build is there, the ones not read with their old rows, after the crawl's own
    for table in tables:
        assert sorted(map(str, db[table].rows)) == sorted(map(str, previous[table].rows)), table
        assert list(db.query(f"select * from {table} order by rowid limit {alone[table].count}")) == \
            list(alone[table].rows)
    assert context.notes["clinic_rows_carried_over"] == sum(db[t].count - alone[t].count for t in tables) > 0
