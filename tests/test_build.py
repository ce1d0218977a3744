"""End to end: ``saisei build --offline`` in a subprocess, then assertions on the database it published."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlite_utils

from tests.archives import PLAN_LIST_2, PLAN_LIST_3, make_archive, replace_body, sample_pages
from tests.conftest import FIXTURES, run_saisei

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def db(sample_db):
    return sqlite_utils.Database(sample_db)


def test_plans_of_both_classes_from_the_bundled_sample(db):
    counts = dict(db.execute("select plan_class, count(*) from plans group by plan_class").fetchall())
    # 14 class-2 rows, one of them printed twice; 9 class-3 rows
    assert counts == {2: 13, 3: 9}
    assert db.execute("select count(*) from plans where sample = 1").fetchone()[0] == 22


def test_a_plan_row_as_published(db):
    plan = db.execute("select * from plans where doc_code = '02C2508903'").fetchone()
    row = dict(zip([c[0] for c in db.execute("select * from plans limit 0").description], plan, strict=True))
    assert row["facility_printed"] == "医療法人社団湊光会\n湊見台ひざ関節クリニック\u3000横浜院"
    assert row["facility"] == "医療法人社団湊光会 湊見台ひざ関節クリニック 横浜院"
    assert row["facility_key"] == "湊見台ひざ関節クリニック横浜院"
    assert row["prefecture"] == "神奈川県" and row["bureau"] == "kanto_shinetsu"
    assert row["therapy"] == "変形性膝関節症に対する自己脂肪由来幹細胞(培養)を用いた治療"
    assert row["n_documents"] == 2
    assert row["source_url"] == PLAN_LIST_2
    assert row["fetched_at"] == "2026-11-20T03:00:05Z"  # the capture's date, not the build's
    assert row["capture_record_id"].startswith("<urn:uuid:")
    docs = db.execute("select url from plan_documents where code = '02C2508903' order by number").fetchall()
    assert [d[0] for d in docs] == [
        "https://saiseiiryo.mhlw.go.jp/published_plan/download/02C2508903/5/1",
        "https://saiseiiryo.mhlw.go.jp/published_plan/download/02C2508903/5/2",
    ]


def test_namesake_plans_are_kept_apart_and_ordered_by_code(db):
    rows = db.execute(
        "select id, doc_code from plans where facility_key = 'みなと西整形外科' order by doc_code"
    ).fetchall()
    assert [r[1] for r in rows] == ["01G2501901", "01G2503902"]
    assert rows[1][0] == rows[0][0] + "-2"


def test_crawl_run_is_recorded(db):
    run = db.execute(
        "select spider, status, finish_reason, items, errors, archive, sample from crawl_runs where spider = 'mhlw_plans'"
    ).fetchall()
    assert len(run) == 1
    spider, status, reason, items, errors, archive, sample = run[0]
    assert (spider, status, reason, items, errors, sample) == ("mhlw_plans", "ok", "finished", 23, 0, 1)
    assert archive.endswith("sample.wacz")


def search(db, term: str) -> set[str]:
    """Document codes of the plans whose trigram index matches ``term`` (as Datasette's ?_search= does)."""
    sql = "select p.doc_code from plans p join plans_fts f on f.rowid = p.rowid where plans_fts match ?"
    return {row[0] for row in db.execute(sql, [f'"{term}"']).fetchall()}


def test_full_text_search_over_normalised_names(db):
    assert search(db, "湊見台ひざ") == {"01C2404901", "01C2405902", "02C2508903", "01C2406905"}
    assert search(db, "PRP") >= {"01C2405902", "03B2409901"}  # printed ＰＲＰ on the registry


def test_ids_survive_reordering_and_a_new_document_code(tmp_path, sample_db):
    pages = sample_pages()
    body = pages[PLAN_LIST_2].body.decode("utf-8")
    head, _, rest = body.partition("<tbody>\n")
    rows_html, _, tail = rest.partition("</tbody>")
    rows = [r + "</tr>\n" for r in rows_html.split("</tr>\n") if r.strip()]
    changed = "".join(reversed(rows)).replace("01C2404901", "02C2611950")  # reversed, and one plan amended
    pages[PLAN_LIST_2] = replace_body(pages[PLAN_LIST_2], (head + "<tbody>\n" + changed + "</tbody>" + tail).encode())
    archive = make_archive(tmp_path, "reordered", pages)
    db_path = tmp_path / "reordered.db"
    result = run_saisei("build", "--offline", str(archive), "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    before = dict(sqlite_utils.Database(sample_db).execute("select id, therapy || facility from plans").fetchall())
    after = dict(sqlite_utils.Database(db_path).execute("select id, therapy || facility from plans").fetchall())
    assert after == before
    amended = sqlite_utils.Database(db_path).execute("select doc_code from plans where doc_code like '02C2611%'")
    assert amended.fetchall() == [("02C2611950",)]


def test_a_broken_plan_page_leaves_the_database_byte_for_byte(tmp_path, sample_db):
    db_path = tmp_path / "saisei.db"
    db_path.write_bytes(sample_db.read_bytes())
    before = db_path.read_bytes()
    pages = sample_pages()
    pages[PLAN_LIST_3] = replace_body(pages[PLAN_LIST_3], (FIXTURES / "mhlw_plans" / "maintenance.html").read_bytes())
    archive = make_archive(tmp_path, "broken", pages)
    result = run_saisei("build", "--offline", str(archive), "--db", str(db_path))
    assert result.returncode == 1
    assert "left unchanged" in result.stderr and "plan_table_missing" in result.stderr
    assert db_path.read_bytes() == before
    assert not list(tmp_path.glob(".saisei.db.tmp-*"))
    report = json.loads(next((tmp_path / "runs").glob("*/report.json")).read_text(encoding="utf-8"))
    assert report["status"] == "failed"


def test_a_page_missing_from_the_archive_is_skipped_and_the_run_not_published(tmp_path, sample_db):
    db_path = tmp_path / "saisei.db"
    db_path.write_bytes(sample_db.read_bytes())
    before = db_path.read_bytes()
    pages = sample_pages()
    del pages[PLAN_LIST_3]
    archive = make_archive(tmp_path, "partial", pages)
    result = run_saisei("build", "--offline", str(archive), "--db", str(db_path))
    assert result.returncode == 1
    assert "not in the archive" in result.stderr and PLAN_LIST_3 in result.stderr
    assert db_path.read_bytes() == before
    # Asked for explicitly, a partial crawl is published and says so.
    result = run_saisei("build", "--offline", str(archive), "--db", str(db_path), "--force")
    assert result.returncode == 0, result.stderr
    db = sqlite_utils.Database(db_path)
    # the class-3 plans this partial crawl did not read are carried over as they were: never ended, never lost
    by_status = db.execute("select plan_class, status, count(*) from plans group by 1, 2 order by 1").fetchall()
    assert by_status == [(2, "current", 13), (3, "current", 9)]
    assert db.execute("select count(*) from changes").fetchone()[0] == 0
    runs = db.execute(
        "select status, reason from crawl_runs where spider = 'mhlw_plans' order by started_at"
    ).fetchall()
    # the published sample, the refused run (from the ledger, with its reason), the forced one
    assert [r[0] for r in runs] == ["ok", "failed", "forced"]
    assert "not in the archive" in runs[1][1] and "not in the archive" in runs[2][1]


def test_an_unreadable_archive_fails_before_crawling(tmp_path):
    bogus = tmp_path / "not-an-archive.wacz"
    bogus.write_text("hello")
    db_path = tmp_path / "saisei.db"
    result = run_saisei("build", "--offline", str(bogus), "--db", str(db_path))
    assert result.returncode == 2
    assert "cannot use the archive" in result.stderr and "not-an-archive.wacz" in result.stderr
    assert not db_path.exists()


def test_terminal_output_is_a_summary_not_scrapy_logs(tmp_path):
    result = run_saisei("build", "--offline", "--db", str(tmp_path / "s.db"))
    assert result.returncode == 0
    assert "[INFO]" not in result.stderr and "scrapy.core" not in result.stderr
    assert re.search(r"plans 22 \(class 2: 13, class 3: 9\)", result.stderr)
    assert "SAMPLE DATA" in result.stderr
    log = re.search(r"log\s+(\S+crawl\.log)", result.stderr).group(1)
    assert "Spider closed (finished)" in Path(log).read_text(encoding="utf-8")


def test_bundled_archive_is_packed_from_the_current_sources(tmp_path):
    from saisei.paths import BUNDLED_ARCHIVE, SAMPLE_SOURCES
    from scrapers.webarchive import pack_sample

    fresh = pack_sample(SAMPLE_SOURCES, tmp_path / "sample.wacz")
    assert fresh.read_bytes() == BUNDLED_ARCHIVE.read_bytes(), "run `saisei archive pack-sample` and commit"
