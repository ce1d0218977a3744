"""The history diff walks both tables in id order instead of holding them (issue 14); its changes are those of
comparing two whole dicts of rows, in the same order, and earlier builds' changes are carried over first."""

from __future__ import annotations

import random

import sqlite_utils

from saisei.tables import history
from saisei.tables.context import BuildContext


def _whole_tables_diff(table, old_rows, new_rows, context):
    """The diff as it was: both tables as dicts by str(id), added, removed, then changed fields."""
    kind, subject = history.TRACKED[table]
    old = {str(r["id"]): r for r in old_rows}
    new = {str(r["id"]): r for r in new_rows}
    out = [(i, "_record", None, "added") for i in sorted(new.keys() - old.keys())]
    out += [(i, "_record", "present", "removed") for i in sorted(old.keys() - new.keys())]
    for i in sorted(old.keys() & new.keys()):
        for column in sorted((old[i].keys() | new[i].keys()) - history.VOLATILE - {"id"}):
            if history._text(old[i].get(column)) != history._text(new[i].get(column)):
                out.append((i, column, history._text(old[i].get(column)), history._text(new[i].get(column))))
    return out


def _rows(rng, n):
    ids = rng.sample([f"c{i}" for i in range(60)] + [f"クリニック{i}" for i in range(20)] + ["10", "9", "a:b"], n)
    return [{"id": i, "name": rng.choice(["A", "B", None]), "phone": rng.choice([1, "1", 2, None]),
             "fetched_at": rng.choice(["x", "y"]), "prefecture": "東京都"} for i in ids]


def test_the_streamed_diff_is_the_whole_tables_diff(tmp_path):
    rng = random.Random(14)
    context = BuildContext(run_id="r", archive=None, sample=True, previous_db=tmp_path / "old.db", run_at="t")
    for _ in range(30):
        db = sqlite_utils.Database(memory=True)
        db["old"].insert_all(_rows(rng, rng.randint(0, 40)), pk="id")
        db["new"].insert_all(_rows(rng, rng.randint(0, 40)), pk="id")
        old, new = list(db["old"].rows), list(db["new"].rows)
        streamed = history.diff_table("clinics", db["old"].rows_where(order_by=history.ID_ORDER),
                                      db["new"].rows_where(order_by=history.ID_ORDER), context)
        assert [(c["record_id"], c["field"], c["old_value"], c["new_value"]) for c in streamed] == \
            _whole_tables_diff("clinics", old, new, context)


def test_a_rebuild_carries_the_earlier_changes_then_numbers_its_own_after_them(tmp_path):
    old = sqlite_utils.Database(tmp_path / "old.db")
    old["changes"].insert_all([{"id": n, "record_kind": "clinic", "record_id": f"c{n}"} for n in (1, 2, 5)], pk="id")
    old["clinics"].insert_all([{"id": "c1", "name": "A"}, {"id": "c2", "name": "B"}], pk="id")
    old.close()
    db = sqlite_utils.Database(tmp_path / "new.db")
    db["clinics"].insert_all([{"id": "c1", "name": "A2"}, {"id": "c3", "name": "C"}], pk="id")
    context = BuildContext(run_id="r", archive=None, sample=True, previous_db=tmp_path / "old.db", run_at="t")
    history.write(db, {}, context)
    rows = [(r["id"], r["record_id"], r["field"]) for r in db.query("select * from changes order by rowid")]
    assert rows == [(1, "c1", None), (2, "c2", None), (5, "c5", None),
                    (6, "c3", "_record"), (7, "c2", "_record"), (8, "c1", "name")]
    assert context.notes["changes"] == 3
