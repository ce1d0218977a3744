"""Tables ``verifications`` and ``clinic_flags``: the verifier's verdicts and flags, mapped to rows.

The judgement itself lives in :mod:`verify.verifier`; this writer runs it over the new database (after the
registry and clinic writers) and stores what it returns, clinic by clinic, in batches. ``saisei verify`` calls :func:`verify_database` on a
copy of a published database.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime

import sqlite_utils

from saisei.tables.context import BuildContext
from verify.verifier import Judged, judge_clinics

#: verdicts written together
BATCH = 2000

VERIFICATION_COLUMNS = {
    "id": str,
    "clinic_id": str,
    "offering_id": str,
    "listing_id": str,
    "therapy": str,
    "verdict": str,
    "plan_ids": str,
    "scores": str,
    "reason_ja": str,
    "reason_en": str,
    "checked_at": str,
}
FLAG_COLUMNS = {"clinic_id": str, "flag": str, "reason_ja": str, "reason_en": str, "evidence": str}


def verify_database(db: sqlite_utils.Database, checked_at: str) -> dict:
    """(Re)write ``verifications`` and ``clinic_flags`` from the tables in ``db``; returns counts by verdict."""
    for table in ("verifications", "clinic_flags"):
        if db[table].exists():
            db[table].drop()
    db["verifications"].create(VERIFICATION_COLUMNS, pk="id")
    db["clinic_flags"].create(FLAG_COLUMNS, pk=("clinic_id", "flag", "reason_en"))
    counts: dict[str, int] = defaultdict(int)
    verdict_rows, flag_rows = [], []
    for verdicts, flags in judge_clinics(db):  # one clinic at a time, written in batches
        for judged in verdicts:
            if judged.offering_id is not None:
                counts[judged.verdict.verdict] += 1
            verdict_rows.append(_verdict_row(judged, checked_at))
        flag_rows += [
            {"clinic_id": clinic_id, "flag": f.flag, "reason_ja": f.reason_ja, "reason_en": f.reason_en,
             "evidence": json.dumps(f.evidence, ensure_ascii=False)}
            for clinic_id, f in flags
        ]
        if len(verdict_rows) >= BATCH:
            _flush(db, verdict_rows, flag_rows)
    _flush(db, verdict_rows, flag_rows)
    for column in ("clinic_id", "verdict", "offering_id"):
        db["verifications"].create_index([column])
    db["clinic_flags"].create_index(["flag"])
    return dict(counts)


def _flush(db: sqlite_utils.Database, verdict_rows: list[dict], flag_rows: list[dict]) -> None:
    db["verifications"].insert_all(verdict_rows, batch_size=1000)
    db["clinic_flags"].insert_all(flag_rows, replace=True)
    verdict_rows.clear()
    flag_rows.clear()


def _verdict_row(judged: Judged, checked_at: str) -> dict:
    verdict = judged.verdict
    return {
        "id": judged.offering_id or f"listing:{judged.listing_id}",
        "clinic_id": judged.clinic_id,
        "offering_id": judged.offering_id,
        "listing_id": judged.listing_id,
        "therapy": judged.therapy,
        "verdict": verdict.verdict,
        "plan_ids": json.dumps(verdict.plan_ids, ensure_ascii=False),
        "scores": json.dumps(verdict.scores, ensure_ascii=False),
        "reason_ja": verdict.reason_ja,
        "reason_en": verdict.reason_en,
        "checked_at": checked_at,
    }


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    checked_at = context.run_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    counts = verify_database(db, checked_at)
    context.notes["verdicts"] = counts
