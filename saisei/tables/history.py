"""Table ``changes``: what changed between the published database and this build, field by field.

"When did this plan appear or end", "when did this clinic's claim change" and "when did this verdict change"
are each one query on this table. Rows are only ever added: the changes of every earlier build are carried
over. The first build of a database is the baseline and records no changes (``plans.first_seen`` says when
each plan was first seen).
"""

from __future__ import annotations

import sqlite_utils

from saisei.tables.context import BuildContext

#: table -> (record kind, column naming the clinic or facility the record belongs to)
TRACKED = {
    "plans": ("plan", "facility_key"),
    "committees": ("committee", None),
    "research_plans": ("research_plan", None),
    "enforcement_actions": ("enforcement_action", None),
    "clinics": ("clinic", "id"),
    "offerings": ("offering", "clinic_id"),
    "claims": ("claim", "clinic_id"),
    "prices": ("price", "clinic_id"),
    "verifications": ("verification", "clinic_id"),
    "directory_claims": ("directory_claim", "directory_url"),
}
#: columns that change on every crawl without the record changing
VOLATILE = {
    "fetched_at",
    "last_seen",
    "first_seen",
    "ended_at",  # a plan's ending is recorded once, as its status change
    "checked_at",
    "row_number",
    "capture_record_id",
    "capture",
    "sources",
    "source_url",
    "sample",
    "scores",
    "stats",
}
CHANGE_COLUMNS = {
    "id": int,
    "record_kind": str,
    "record_id": str,
    "subject_id": str,
    "prefecture": str,
    "label": str,
    "field": str,
    "old_value": str,
    "new_value": str,
    "run_id": str,
    "changed_at": str,
}


def _text(value) -> str | None:
    return None if value is None else str(value)


def _label(row: dict) -> str | None:
    for column in ("facility", "name", "institution", "title", "therapy"):
        if row.get(column):
            return str(row[column])
    return None


def diff_table(table: str, old_rows: list[dict], new_rows: list[dict], context: BuildContext) -> list[dict]:
    """One change row per added record, removed record and changed field (volatile columns ignored)."""
    kind, subject_column = TRACKED[table]
    old = {str(r["id"]): r for r in old_rows if "id" in r}
    new = {str(r["id"]): r for r in new_rows if "id" in r}

    def change(record_id, row, field, old_value, new_value):
        return {
            "record_kind": kind,
            "record_id": record_id,
            "subject_id": _text(row.get(subject_column)) if subject_column else None,
            "prefecture": row.get("prefecture"),
            "label": _label(row),
            "field": field,
            "old_value": _text(old_value),
            "new_value": _text(new_value),
            "run_id": context.run_id,
            "changed_at": context.run_at,
        }

    changes = []
    for record_id in sorted(new.keys() - old.keys()):
        changes.append(change(record_id, new[record_id], "_record", None, "added"))
    for record_id in sorted(old.keys() - new.keys()):
        changes.append(change(record_id, old[record_id], "_record", "present", "removed"))
    for record_id in sorted(old.keys() & new.keys()):
        before, after = old[record_id], new[record_id]
        for column in sorted((before.keys() | after.keys()) - VOLATILE - {"id"}):
            if _text(before.get(column)) != _text(after.get(column)):
                changes.append(change(record_id, after, column, before.get(column), after.get(column)))
    return changes


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    history = context.previous_rows("changes")
    new_changes = []
    if context.previous_db.exists():
        for table in TRACKED:
            if db[table].exists():
                new_changes += diff_table(table, context.previous_rows(table), list(db[table].rows), context)
    start = max((row["id"] for row in history), default=0) + 1
    for offset, row in enumerate(new_changes):
        row["id"] = start + offset
    db["changes"].create(CHANGE_COLUMNS, pk="id")
    db["changes"].insert_all(history + new_changes, batch_size=1000)
    for columns in (["record_kind", "record_id"], ["subject_id"], ["changed_at"], ["prefecture"], ["run_id"]):
        db["changes"].create_index(columns)
    context.notes["changes"] = len(new_changes)
