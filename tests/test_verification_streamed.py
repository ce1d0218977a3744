"""Verification streams (issue 14): clinics judged one at a time and written in batches give the tables and
counts that judging the whole database at once gives."""

from __future__ import annotations

import shutil

import sqlite_utils

from saisei.tables import verifications
from verify import verifier
from verify.verifier import verify_all


def test_batches_of_one_write_what_one_judgement_of_everything_finds(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "copy.db"
    shutil.copy(sample_db, path)
    db = sqlite_utils.Database(path)
    built = {table: list(db[table].rows) for table in ("verifications", "clinic_flags")}
    judgement = verify_all(db)
    monkeypatch.setattr(verifications, "BATCH", 1)
    counts = verifications.verify_database(db, built["verifications"][0]["checked_at"])
    assert counts == dict(judgement.counts) and sum(counts.values()) > 10
    assert list(db["verifications"].rows) == built["verifications"]
    assert list(db["clinic_flags"].rows) == built["clinic_flags"]
    assert [row["offering_id"] or row["listing_id"] for row in built["verifications"]] == \
        [j.offering_id or j.listing_id for j in judgement.verdicts]
    assert len(built["clinic_flags"]) == len({(c, f.flag, f.reason_en) for c, f in judgement.flags}) > 5


def test_clinics_read_a_page_at_a_time_give_the_same_tables(sample_db, tmp_path, monkeypatch):
    path = tmp_path / "copy.db"
    shutil.copy(sample_db, path)
    db = sqlite_utils.Database(path)
    built = {table: list(db[table].rows) for table in ("verifications", "clinic_flags")}
    assert db["clinics"].count > 3
    monkeypatch.setattr(verifier, "PAGE", 2)
    verifications.verify_database(db, built["verifications"][0]["checked_at"])
    assert list(db["verifications"].rows) == built["verifications"]
    assert list(db["clinic_flags"].rows) == built["clinic_flags"]


def test_stream_rows_pages_through_the_table_in_rowid_order(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    db["t"].insert_all([{"id": f"c{i}", "b": i, "a": str(i)} for i in range(7)], pk="id")
    db["t"].delete("c3")  # a gap in the rowids
    assert list(verifier.stream_rows(db, "t", page=2)) == list(db["t"].rows)
    assert [list(row) for row in verifier.stream_rows(db, "t", page=3)][0] == ["id", "b", "a"]
    assert list(verifier.stream_rows(db, "missing")) == []


def test_verification_holds_only_the_plan_columns_it_reads(sample_db):
    db = sqlite_utils.Database(sample_db)
    plans = verifier.plan_rows(db)
    assert len(plans) == db["plans"].count > 0
    assert set(plans[0]) <= set(verifier.PLAN_COLUMNS) and "other_cells" in db["plans"].columns_dict
    assert [p["id"] for p in plans] == [p["id"] for p in db["plans"].rows]
    plan = next(iter(verifier.Verifier(db).current.facilities)).plans[0]
    assert "other_cells" not in plan and plan["facility_printed"]
