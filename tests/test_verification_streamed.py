"""Verification streams (issue 14): clinics judged one at a time and written in batches give the tables and
counts that judging the whole database at once gives."""

from __future__ import annotations

import shutil

import sqlite_utils

from saisei.tables import verifications
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
