"""Scheduled refreshes: three good runs (a plan added; a plan removed and a clinic moved), then a broken one.

Each refresh is the real ``saisei refresh --offline ARCHIVE`` in a subprocess against one database file.
"""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest
import sqlite_utils

from tests.archives import PLAN_LIST_2, PLAN_LIST_3, make_archive, replace_body, sample_pages
from tests.conftest import run_saisei, serving

pytestmark = pytest.mark.slow

NEW_ROW = (
    "<tr>\n<td>医療法人社団新芽会\u3000若葉台ひざクリニック</td>\n<td>東京都</td>\n<td>世田谷区若葉台1-1-1</td>\n"
    "<td>03-5555-0999</td>\n<td>変形性膝関節症に対する自家多血小板血漿（PRP）関節内投与療法</td>\n<td>2026年11月2日</td>\n"
    '<td>東都再生医療特定認定委員会</td>\n<td><a href="/published_plan/download/01C2611990/5/1">資料1</a></td>\n</tr>\n'
)
ATOM = "{http://www.w3.org/2005/Atom}"


TODAI_PAGE = "https://todaidori-clinic.example/saisei.html"


def edit(pages, url, change, encoding: str = "utf-8") -> None:
    pages[url] = replace_body(pages[url], change(pages[url].body.decode(encoding)).encode(encoding))


def drop_row(html: str, marker: str) -> str:
    rows = html.split("<tr>\n")
    kept = [r for r in rows if marker not in r]
    assert len(kept) == len(rows) - 1
    return "<tr>\n".join(kept)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Run the four refreshes once; return the database, each run's result and the database after run 3."""
    folder = tmp_path_factory.mktemp("refresh")
    db = folder / "saisei.db"
    first = sample_pages()
    second = sample_pages()
    edit(second, PLAN_LIST_2, lambda h: h.replace("</tbody>", NEW_ROW + "</tbody>"))
    third = dict(second)
    edit(third, PLAN_LIST_3, lambda h: drop_row(h, "あさぎり整形外科"))
    edit(third, PLAN_LIST_2, lambda h: h.replace("福岡市中央区港西1丁目9番2号", "福岡市博多区港東3丁目1番1号"))
    # こもれび坂病院's only plan drops off the list: its verdict must move from registered to plan_ended
    edit(third, PLAN_LIST_2, lambda h: drop_row(h, "こもれび坂病院"))
    # 灯台通りクリニック (a Shift_JIS page) now prints a different plan number: a changed claim
    edit(third, TODAI_PAGE, lambda h: h.replace("PB3230904", "PB1230904"), encoding="cp932")
    fourth = dict(third)
    # a half-delivered page: the table is cut after its fifth row
    edit(fourth, PLAN_LIST_2, lambda h: "<tr>\n".join(h.split("<tr>\n")[:7]) + "</tbody></table></main></body></html>")
    results = []
    after_third = None
    for number, pages in enumerate((first, second, third, fourth), start=1):
        archive = make_archive(folder, f"night{number}", pages)
        results.append(run_saisei("refresh", "--offline", str(archive), "--db", str(db), "--claims", "always"))
        if number == 3:
            after_third = db.read_bytes()
        time.sleep(1.1)  # run ids and change times are per second
    return db, results, after_third, folder


def changes(db):
    return [
        dict(r)
        for r in sqlite_utils.Database(db).query(
            "select record_kind, record_id, prefecture, label, field, old_value, new_value, run_id from changes order by id"
        )
    ]


def test_three_good_refreshes_publish_and_the_fourth_is_refused(history):
    _, results, _, _ = history
    assert [r.returncode for r in results] == [0, 0, 0, 1], [r.stderr[-600:] for r in results]
    assert "item_count" in results[3].stderr and "left unchanged" in results[3].stderr


def test_the_guard_kept_the_third_database_serving_byte_for_byte(history):
    db, _, after_third, folder = history
    assert db.read_bytes() == after_third
    reports = sorted((folder / "runs").glob("*/report.json"))
    last = json.loads(reports[-1].read_text(encoding="utf-8"))
    assert last["status"] == "failed"
    assert any(c["name"] == "item_count" and c["status"] == "fail" for c in last["checks"])


def test_history_rows(history):
    db, _, _, _ = history
    rows = changes(db)
    run_ids = sorted({r["run_id"] for r in rows})
    assert len(run_ids) == 2  # the first refresh is the baseline; runs 2 and 3 changed something
    plans = [r for r in rows if r["record_kind"] == "plan"]
    added = [r for r in plans if r["field"] == "_record"]
    assert [(a["new_value"], a["prefecture"]) for a in added] == [("added", "東京都")]
    assert added[0]["label"] == "医療法人社団新芽会 若葉台ひざクリニック"
    ended = [r for r in plans if r["field"] == "status"]
    assert sorted((e["old_value"], e["new_value"], e["prefecture"]) for e in ended) == [
        ("current", "ended", "京都府"),
        ("current", "ended", "静岡県"),
    ]
    moved = [r for r in plans if r["field"] in ("address", "address_printed")]
    assert len(moved) == 4  # two namesake plans of one clinic, printed and normalised address each
    assert {m["new_value"] for m in moved if m["field"] == "address"} == {"福岡市博多区港東3丁目1番1号"}
    assert added[0]["run_id"] < ended[0]["run_id"] == moved[0]["run_id"]


def test_verdict_change_is_recorded(history):
    db, _, _, _ = history
    database = sqlite_utils.Database(db)
    komorebi = next(database.query("select id from clinics where name like '%こもれび坂病院%'"))["id"]
    theirs = {v["id"] for v in database.query("select id from verifications where clinic_id = ?", [komorebi])}
    verdicts = [
        (r["old_value"], r["new_value"])
        for r in changes(db)
        if r["record_kind"] == "verification" and r["field"] == "verdict" and r["record_id"] in theirs
    ]
    assert verdicts == [("registered", "plan_ended")]
    now = {v["verdict"] for v in database.query("select verdict from verifications where clinic_id = ?", [komorebi])}
    assert now == {"plan_ended"}


def test_claim_change_is_recorded(history):
    db, _, _, _ = history
    database = sqlite_utils.Database(db)
    todai = next(database.query("select id from clinics where name like '%灯台通りクリニック%'"))["id"]
    claim_changes = [r for r in changes(db) if r["record_kind"] == "claim" and r["record_id"] and r["field"] == "_record"]
    ids_now = {c["id"]: c["canonical"] for c in database.query("select id, canonical from claims where clinic_id = ?", [todai])}
    added = [r["record_id"] for r in claim_changes if r["new_value"] == "added"]
    removed = [r["record_id"] for r in claim_changes if r["new_value"] == "removed"]
    assert [ids_now[i] for i in added if i in ids_now] == ["PB1230904"]
    assert removed and all(i not in ids_now for i in removed)


def test_an_ended_plan_is_kept_with_its_date(history):
    db, _, _, _ = history
    plan = next(sqlite_utils.Database(db).query("select * from plans where facility = 'あさぎり整形外科'"))
    assert plan["status"] == "ended"
    run3 = next(sqlite_utils.Database(db).query("select max(run_id) as r from changes"))["r"]
    assert plan["ended_at"][:10] == f"{run3[:4]}-{run3[4:6]}-{run3[6:8]}"
    counts = dict(sqlite_utils.Database(db).execute("select status, count(*) from plans group by status").fetchall())
    assert counts == {"current": 21, "ended": 2}
    # its documents stay with it
    assert sqlite_utils.Database(db).execute(
        "select count(*) from plan_documents where plan_id = ?", [plan["id"]]
    ).fetchone()[0] == 1


def test_the_refused_run_reaches_crawl_runs_with_the_next_publish(history):
    db, _, _, folder = history
    copy = folder / "next.db"
    copy.write_bytes(db.read_bytes())
    archive = folder / "night3.wacz"  # the copy sits beside the original, so it shares its runs/ledger.jsonl
    result = run_saisei("refresh", "--offline", str(archive), "--db", str(copy))
    assert result.returncode == 0, result.stderr
    runs = list(sqlite_utils.Database(copy).query(
        "select status, reason from crawl_runs where spider = 'mhlw_plans' order by started_at"
    ))
    assert [r["status"] for r in runs] == ["ok", "ok", "ok", "failed", "ok"]
    assert "item_count" in runs[3]["reason"]


def test_clinic_pages_run_on_their_own_slower_cadence(history):
    db, _, _, folder = history
    copy = folder / "cadence.db"
    copy.write_bytes(db.read_bytes())
    archive = str(folder / "night3.wacz")
    result = run_saisei("refresh", "--offline", archive, "--db", str(copy))  # --claims auto, every 7 days
    assert result.returncode == 0, result.stderr
    assert "clinic_sites: not due, reusing its items" in result.stderr
    database = sqlite_utils.Database(copy)
    last_run = next(database.query("select max(run_id) as r from crawl_runs"))["r"]
    spiders = {r["spider"] for r in database.query("select spider from crawl_runs where run_id = ?", [last_run])}
    assert "clinic_sites" not in spiders and "mhlw_plans" in spiders
    # the reused clinic crawl still yields the same clinics and verdicts, so nothing changed
    assert database.execute("select count(*) from changes where run_id = ?", [last_run]).fetchone()[0] == 0
    assert database["verifications"].count == sqlite_utils.Database(db)["verifications"].count
    # asked to, it crawls them again
    result = run_saisei("refresh", "--offline", archive, "--db", str(copy), "--claims-every", "0")
    assert result.returncode == 0 and "not due" not in result.stderr


def fetch_feed(db, path: str) -> list[str]:
    with serving(db) as base, urllib.request.urlopen(base + path, timeout=10) as response:
        feed = ET.fromstring(response.read())
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


def test_atom_feeds_of_changes(history):
    db, _, _, _ = history
    tokyo = fetch_feed(db, "/saisei/new_plans_feed.atom?prefecture=" + urllib.parse.quote("東京都"))
    assert tokyo == ["医療法人社団新芽会 若葉台ひざクリニック — plan: added"]
    shizuoka = fetch_feed(db, "/saisei/new_plans_feed.atom?prefecture=" + urllib.parse.quote("静岡県"))
    assert shizuoka == ["あさぎり整形外科 — plan: status current → ended"]
    everything = fetch_feed(db, "/saisei/changes_feed.atom?record_kind=&prefecture=&subject_id=")
    assert len(everything) == len(changes(db))
    todai = next(sqlite_utils.Database(db).query("select id from clinics where name like '%灯台通り%'"))["id"]
    clinic_feed = fetch_feed(db, f"/saisei/clinic_changes_feed.atom?clinic_id={todai}")
    assert clinic_feed and all("claim" in title or "verification" in title or "clinic" in title for title in clinic_feed)
