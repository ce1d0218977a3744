"""Search indexes, lookup tables and map views over every table the writers before this one wrote.

Registered last in :data:`saisei.tables.WRITERS`, so it sees the finished data tables; it never changes a row
of them. It writes:

- ``plans_fts``, ``clinics_fts``: FTS5 ``trigram`` indexes over NFKC-normalised *copies* of names, therapies
  and addresses, kept in ``plans_fts_text`` / ``clinics_fts_text`` (rowid = the row's rowid in its table; Datasette
  hides them with the index). Japanese has no spaces between words, so a trigram index finds any substring of
  three or more characters; shorter terms go through facets or the canned ``search`` query's ``instr()``
  fallback, which scans the copies' lower-cased ``haystack`` column. Copies, because the tables keep the printed
  text and the search must see the normalised one.
- indexes on the columns Datasette facets on and joins by, then ``ANALYZE`` for the query planner;
- ``prefectures`` (coordinates of the 47 prefectural capitals, ``data/geo/prefectures.csv``), ``bureaus``,
  ``therapies``/``conditions`` (the taxonomy's labels) and ``plan_categories`` (cell source and condition of
  every plan), so queries can say 「自己脂肪由来（培養）」/"cultured adipose" instead of a code;
- views ``plan_map`` and ``clinic_map`` for datasette-cluster-map, each only when its tables exist.

A table another writer has not produced yet is simply skipped; the canned queries that need it are left out
of Datasette's metadata at serve time (:mod:`saisei.queries`), so nothing breaks while the project grows.
"""

from __future__ import annotations

import csv
import json

import sqlite_utils

from readers.normalize import normalize_text
from readers.regions import BUREAUS, PREFECTURE_BUREAU
from saisei.paths import PREFECTURES_CSV
from saisei.tables.context import BuildContext

#: table -> columns to index one by one (only those that exist are indexed)
INDEXED_COLUMNS: dict[str, tuple[str, ...]] = {
    "plans": ("prefecture", "plan_class", "bureau", "status", "facility_key"),
    "clinics": ("prefecture", "city", "name_key", "sample"),
    "offerings": ("clinic_id", "therapy", "condition"),
    "claims": ("clinic_id", "kind", "canonical"),
    "prices": ("clinic_id", "therapy", "currency"),
    "directory_listings": ("clinic_id", "therapy"),
    "verifications": ("clinic_id", "offering_id", "therapy", "verdict"),
    "clinic_flags": ("clinic_id", "flag"),
    "committees": ("prefecture", "committee_type", "certification_number"),
    "research_plans": ("plan_class", "status"),
    "enforcement_actions": ("prefecture", "order_type"),
}
#: multi-column indexes for the common "this therapy, by price" and "this clinic, this verdict" look-ups
COMPOSITE_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "prices": (("therapy", "amount_min"),),
    "verifications": (("verdict", "therapy"),),
}


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    return set(db[table].columns_dict) if db[table].exists() else set()


def _joined(*parts) -> str:
    return " ".join(normalize_text(str(p)) for p in parts if p)


def _write_index(db: sqlite_utils.Database, name: str, columns: tuple[str, ...], rows) -> int:
    """``{name}_fts_text`` (the normalised copies, plus ``haystack``: all of them in lower case) and ``{name}_fts``.

    ``{name}_fts`` is an FTS5 trigram index whose content is ``{name}_fts_text``; rowids are the source table's.
    ``haystack`` is what the ``instr()`` fallback for short terms scans: a plain table scans several times
    faster than a virtual one, and one lower-cased column saves a concatenation per row.
    """
    db.execute(f"drop table if exists {name}_fts")
    db.execute(f"drop table if exists {name}_fts_text")
    listed = ", ".join(columns)
    db.execute(f"create table {name}_fts_text (rowid integer primary key, {listed}, haystack text)")
    with db.conn:  # commit: a bare executemany leaves Python's implicit transaction open
        db.conn.executemany(
            f"insert into {name}_fts_text values ({', '.join('?' * (len(columns) + 2))})",
            ((rowid, *texts, " ".join(texts).lower()) for rowid, *texts in rows),
        )
        db.execute(
            f"create virtual table {name}_fts using fts5({listed}, content='{name}_fts_text', content_rowid='rowid', "
            "tokenize='trigram')"
        )
        db.execute(f"insert into {name}_fts({name}_fts) values ('rebuild')")
    return db[f"{name}_fts_text"].count


def write_plans_fts(db: sqlite_utils.Database) -> int:
    """``plans_fts(facility, therapy, address, prefecture)`` over ``plans_fts_text``, rowid = plans.rowid."""
    if not db["plans"].exists():
        return 0
    rows = db.execute(
        "select rowid, facility_printed, facility, therapy_printed, address_printed, address, prefecture from plans"
    ).fetchall()
    copies = (
        (
            rowid,
            normalize_text(facility or printed),
            normalize_text(therapy),
            _joined(address or addr_p),
            pref or "",
        )
        for rowid, printed, facility, therapy, addr_p, address, pref in rows
    )
    return _write_index(db, "plans", ("facility", "therapy", "address", "prefecture"), copies)


def _clinic_therapies(
    db: sqlite_utils.Database, therapy_labels: dict[str, tuple[str, str]]
) -> dict[str, str]:
    """clinic id -> every therapy it advertises, as printed and as the taxonomy names it (ja and en)."""
    if not db["offerings"].exists():
        return {}
    columns = _columns(db, "offerings")
    printed = "therapy_printed" if "therapy_printed" in columns else "null"
    texts: dict[str, set[str]] = {}
    for clinic_id, therapy, therapy_printed in db.execute(
        f"select clinic_id, therapy, {printed} from offerings"
    ).fetchall():
        bag = texts.setdefault(clinic_id, set())
        bag.update(t for t in (therapy_printed, *therapy_labels.get(therapy or "", ())) if t)
    return {clinic_id: _joined(*sorted(bag)) for clinic_id, bag in texts.items()}


def write_clinics_fts(db: sqlite_utils.Database, therapy_labels: dict[str, tuple[str, str]]) -> int:
    """``clinics_fts(name, address, therapies)`` over ``clinics_fts_text``, rowid = clinics.rowid; therapies come
    from offerings."""
    if not db["clinics"].exists():
        return 0
    columns = _columns(db, "clinics")

    def column(name: str) -> str:
        return name if name in columns else "null"

    therapies = _clinic_therapies(db, therapy_labels)
    rows = db.execute(
        f"select rowid, id, {column('name_printed')}, {column('name')}, {column('prefecture')}, "
        f"{column('city')}, {column('address')} from clinics"
    ).fetchall()
    copies = (
        (
            rowid,
            _joined(name, printed if printed != name else None),
            _joined(pref, city, address),
            therapies.get(clinic_id, ""),
        )
        for rowid, clinic_id, printed, name, pref, city, address in rows
    )
    return _write_index(db, "clinics", ("name", "address", "therapies"), copies)


def write_indexes(db: sqlite_utils.Database) -> int:
    created = 0
    for table, wanted in INDEXED_COLUMNS.items():
        columns = _columns(db, table)
        for column in wanted:
            if column in columns:
                db[table].create_index([column], if_not_exists=True)
                created += 1
        for composite in COMPOSITE_INDEXES.get(table, ()):
            if set(composite) <= columns:
                db[table].create_index(list(composite), if_not_exists=True)
                created += 1
    return created


def write_lookups(db: sqlite_utils.Database) -> dict[str, tuple[str, str]]:
    """``prefectures``, ``bureaus``, and (when the taxonomy module exists) ``therapies`` and ``conditions``.

    Returns therapy code -> (ja, en) for the search copies.
    """
    with PREFECTURES_CSV.open(encoding="utf-8", newline="") as handle:
        prefectures = [
            {
                **row,
                "latitude": float(row["latitude"]),
                "longitude": float(row["longitude"]),
                "bureau": PREFECTURE_BUREAU[row["prefecture"]],
            }
            for row in csv.DictReader(handle)
        ]
    db["prefectures"].insert_all(prefectures, pk="prefecture", replace=True)
    db["bureaus"].insert_all(
        (
            {
                "bureau": key,
                "name_ja": ja,
                "name_en": en,
                "doc_code_letter": letter,
                "plan_number_digit": digit,
            }
            for key, (ja, en, letter, digit) in BUREAUS.items()
        ),
        pk="bureau",
        replace=True,
    )
    try:
        from readers.taxonomy import CONDITIONS, THERAPIES
    except ImportError:  # the taxonomy arrives with the clinic-claims work; labels wait for it
        return {}
    db["therapies"].insert_all(
        (
            {
                "code": code,
                "ja": t["ja"],
                "en": t["en"],
                "under_asrm": int(bool(t["under_asrm"])),
                "expected_classes": json.dumps(list(t["expected_classes"])),
            }
            for code, t in THERAPIES.items()
        ),
        pk="code",
        replace=True,
    )
    db["conditions"].insert_all(
        ({"code": code, "ja": c["ja"], "en": c["en"]} for code, c in CONDITIONS.items()),
        pk="code",
        replace=True,
    )
    return {code: (t["ja"], t["en"]) for code, t in THERAPIES.items()}


def write_plan_categories(db: sqlite_utils.Database) -> int:
    """Cell source (therapy code) and condition of every plan, for counts by cell source and condition."""
    if not db["plans"].exists():
        return 0
    try:
        from readers.taxonomy import classify_condition, classify_therapy
    except ImportError:
        return 0
    rows = [
        {
            "plan_id": plan_id,
            "cell_source": classify_therapy(therapy or "", plan_class),
            "condition": classify_condition(therapy or ""),
        }
        for plan_id, therapy, plan_class in db.execute("select id, therapy, plan_class from plans").fetchall()
    ]
    db["plan_categories"].insert_all(
        rows, pk="plan_id", replace=True, foreign_keys=[("plan_id", "plans", "id")]
    )
    db["plan_categories"].create_index(["cell_source"], if_not_exists=True)
    db["plan_categories"].create_index(["condition"], if_not_exists=True)
    return len(rows)


def write_map_views(db: sqlite_utils.Database) -> list[str]:
    """Views with latitude/longitude columns, which datasette-cluster-map draws as a clustered map."""
    made = []
    if db["plans"].exists():
        db.create_view(
            "plan_map",
            """select p.id, p.facility, p.therapy, p.plan_class, p.prefecture, g.prefecture_en,
                      g.latitude, g.longitude
               from plans p join prefectures g on g.prefecture = p.prefecture""",
            replace=True,
        )
        made.append("plan_map")
    if db["clinics"].exists():
        db.create_view(
            "clinic_map",
            """select c.id as clinic_page, c.name, c.prefecture, g.prefecture_en, c.city,
                      g.latitude, g.longitude
               from clinics c join prefectures g on g.prefecture = c.prefecture""",
            replace=True,
        )
        made.append("clinic_map")
    return made


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    therapy_labels = write_lookups(db)
    context.notes["search_rows"] = write_plans_fts(db) + write_clinics_fts(db, therapy_labels)
    write_plan_categories(db)
    write_indexes(db)
    write_map_views(db)
    with db.conn:
        db.execute("analyze")
