"""Table ``changes``: what changed between the published database and this build, field by field.

"When did this plan appear or end", "when did this clinic's claim change" and "when did this verdict change"
are each one query on this table. Rows are only ever added: the changes of every earlier build are carried
over. The first build of a database is the baseline and records no changes (``plans.first_seen`` says when
each plan was first seen).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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


#: rows in the order the diff walks them: by id as text (as ``str(id)`` sorts), the last row of an id winning
ID_ORDER = "coalesce(cast(id as text), 'None'), rowid"


def _by_id(rows: Iterable[dict]) -> Iterator[tuple[str, dict]]:
    """(str id, row) in id order, one per id (the last), from rows in :data:`ID_ORDER`."""
    last = None
    for row in rows:
        key = str(row["id"])
        if last is not None and last[0] != key:
            yield last
        last = (key, row)
    if last is not None:
        yield last


def diff_table(table: str, old_rows: Iterable[dict], new_rows: Iterable[dict], context: BuildContext) -> list[dict]:
    """One change row per added record, removed record and changed field (volatile columns ignored).

    Both tables are walked once, side by side in id order (:data:`ID_ORDER`), so neither is held whole (issue 14);
    the changes come out added, then removed, then changed, each by id, as they always have.
    """
    kind, subject_column = TRACKED[table]

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

    added, removed, changed = [], [], []
    old, new = _by_id(old_rows), _by_id(new_rows)
    before, after = next(old, None), next(new, None)
    while before is not None or after is not None:
        if before is None or (after is not None and after[0] < before[0]):
            added.append(change(after[0], after[1], "_record", None, "added"))
            after = next(new, None)
        elif after is None or before[0] < after[0]:
            removed.append(change(before[0], before[1], "_record", "present", "removed"))
            before = next(old, None)
        else:
            (record_id, was), (_, now) = before, after
            for column in sorted((was.keys() | now.keys()) - VOLATILE - {"id"}):
                if _text(was.get(column)) != _text(now.get(column)):
                    changed.append(change(record_id, now, column, was.get(column), now.get(column)))
            before, after = next(old, None), next(new, None)
    return added + removed + changed


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    db["changes"].create(CHANGE_COLUMNS, pk="id")
    last = 0

    def history():  # every earlier build's changes, carried over as they were
        nonlocal last
        for row in context.iter_previous("changes", order_by="rowid"):
            last = max(last, row["id"])
            yield row

    db["changes"].insert_all(history(), batch_size=1000)
    new_changes = []
    if context.previous_db.exists():
        for table in TRACKED:
            if db[table].exists() and "id" in db[table].columns_dict:
                new_changes += diff_table(table, context.iter_previous(table, order_by=ID_ORDER),
                                          db[table].rows_where(order_by=ID_ORDER), context)
    for offset, row in enumerate(new_changes, 1):
        row["id"] = last + offset
    db["changes"].insert_all(new_changes, batch_size=1000)
    for columns in (["record_kind", "record_id"], ["subject_id"], ["changed_at"], ["prefecture"], ["run_id"]):
        db["changes"].create_index(columns)
    context.notes["changes"] = len(new_changes)
