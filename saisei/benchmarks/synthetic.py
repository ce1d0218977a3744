"""The synthetic database of ``saisei benchmark serve``: any number of fictional clinics in the build's schemas.

Clinics, offerings, verifications and prices are generated (seeded, so two runs build the same file); the
precomputed tables the pages read are then written by the same writers as a real build, so the benchmark
measures the tables patients would get.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from readers.regions import PREFECTURE_BUREAU, PREFECTURES
from verify import vocabulary

SEARCH_TERMS = ("脂肪由来幹細胞", "湊見台", "第12345", "ＰＲＰ注射", "港区", "evergreen")
THERAPY_WORDS = {
    "adipose_cultured": "ひざの幹細胞治療（脂肪由来・培養）",
    "prp_intra_articular": "PRP注射（関節内）",
    "adipose_svf": "SVF治療",
    "exosome": "エクソソーム点滴",
    "culture_supernatant": "幹細胞培養上清液",
    "prp_other": "PRP皮膚再生",
}
VERDICTS = tuple(vocabulary.VERDICTS)
CITIES = ("港区", "中央区", "北区", "南区", "西区", "東区", "青葉区", "天神", "栄", "梅田")
WORDS = (
    "湊見台",
    "さくら通り",
    "ひまわり台",
    "こもれび坂",
    "杜の泉",
    "みなと西",
    "銀杏並木",
    "灯台通り",
    "EVERGREEN",
    "星降町",
)


def make_database(path: Path, clinics: int, seed: int = 7) -> None:
    """Clinics, offerings, verifications, prices and 7,000 plans in the contract schemas, then every table the
    build writes from them (indexes, search, result cards, clinic pages) by the build's own writers."""
    from saisei.tables import cards, clinic_pages, search
    from saisei.tables.context import BuildContext
    from saisei.tables.plans import PLAN_COLUMNS

    rng = random.Random(seed)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    conn.execute(
        "create table clinics (id text primary key, name_printed text, name text, name_key text, prefecture text, "
        "city text, address text, postal_code text, phone text, url text, languages text, js_only integer, "
        "sources text, fetched_at text, sample integer)"
    )
    conn.execute(
        "create table offerings (id text primary key, clinic_id text, therapy text, therapy_printed text, "
        "condition text, excerpt text, source_url text, fetched_at text)"
    )
    conn.execute(
        "create table verifications (id text primary key, clinic_id text, offering_id text, listing_id text, "
        "therapy text, verdict text, plan_ids text, scores text, reason_ja text, reason_en text, checked_at text)"
    )
    conn.execute(
        "create table prices (id text primary key, clinic_id text, therapy text, amount_min integer, "
        "amount_max integer, currency text, tax text, unit text, excerpt text, source_url text, fetched_at text)"
    )
    columns = ", ".join(
        f"{name} {'integer' if kind is int else 'text'}" for name, kind in PLAN_COLUMNS.items()
    )
    conn.execute(f"create table plans ({columns}, primary key (id))")
    when = "2026-11-20T03:00:00Z"
    clinic_rows, offering_rows, verification_rows, price_rows = [], [], [], []
    for i in range(clinics):
        prefecture = PREFECTURES[rng.randrange(len(PREFECTURES))]
        city = CITIES[rng.randrange(len(CITIES))]
        name = f"{WORDS[i % len(WORDS)]}第{i}クリニック"
        cid = f"c{i:06d}"
        clinic_rows.append(
            (
                cid,
                name,
                name,
                name,
                prefecture,
                city,
                f"{city}{i % 9 + 1}-{i % 13 + 1}",
                None,
                "03-5555-0000",
                f"https://c{i}.example/",
                '["ja"]',
                0,
                f'["https://c{i}.example/"]',
                when,
                1,
            )
        )
        for n, therapy in enumerate(rng.sample(sorted(THERAPY_WORDS), rng.randint(1, 2))):
            oid = f"{cid}-{n}"
            offering_rows.append(
                (
                    oid,
                    cid,
                    therapy,
                    THERAPY_WORDS[therapy],
                    "knee_oa",
                    THERAPY_WORDS[therapy],
                    f"https://c{i}.example/t",
                    when,
                )
            )
            verification_rows.append(
                (
                    f"v{oid}",
                    cid,
                    oid,
                    None,
                    therapy,
                    VERDICTS[rng.randrange(len(VERDICTS))],
                    "[]",
                    "{}",
                    "理由",
                    "reason",
                    when,
                )
            )
            low = rng.randrange(5, 200) * 10000
            price_rows.append(
                (
                    f"p{oid}",
                    cid,
                    therapy,
                    low,
                    low * 2,
                    "JPY",
                    "included",
                    "knee",
                    f"{low}円",
                    f"https://c{i}.example/price",
                    when,
                )
            )
    conn.executemany(f"insert into clinics values ({','.join('?' * 15)})", clinic_rows)
    conn.executemany(f"insert into offerings values ({','.join('?' * 8)})", offering_rows)
    conn.executemany(f"insert into verifications values ({','.join('?' * 11)})", verification_rows)
    conn.executemany(f"insert into prices values ({','.join('?' * 11)})", price_rows)
    plans = []
    for i in range(7000):
        prefecture = PREFECTURES[i % len(PREFECTURES)]
        facility = f"{WORDS[i % len(WORDS)]}第{i}クリニック"
        therapy = (
            "変形性膝関節症に対する自己脂肪由来幹細胞を用いた治療",
            "ＰＲＰを用いた変形性関節症の治療",
        )[i % 2]
        row = {name: None for name in PLAN_COLUMNS}
        row.update(
            id=f"plan{i}",
            plan_key=f"plan{i}",
            plan_class=2 + i % 2,
            prefecture=prefecture,
            bureau=PREFECTURE_BUREAU[prefecture],
            facility_printed=facility,
            facility=facility,
            facility_key=facility,
            address=f"{CITIES[i % len(CITIES)]}1-1",
            therapy_printed=therapy,
            therapy=therapy,
            source_url="https://saiseiiryo.mhlw.go.jp/published_plan/index/2",
            fetched_at=when,
            status="current",
            first_seen=when,
            last_seen=when,
            sample=1,
        )
        plans.append(tuple(row.values()))
    conn.executemany(f"insert into plans values ({','.join('?' * len(PLAN_COLUMNS))})", plans)
    conn.commit()
    conn.close()
    import sqlite_utils

    db = sqlite_utils.Database(path)
    # the build's own writers, in the build's order: indexes and search, result cards, clinic pages
    search.write(
        db, {}, BuildContext(run_id="bench", archive=None, sample=True, previous_db=path.with_suffix(".old"))
    )
    cards.write_cards(db)
    clinic_pages.write_pages(db)
    db.close()


#: how a reused database is recognised: the clinics that have a clinic page (a file from an older benchmark has none)
CLINIC_COUNT_SQL = "select count(*) from clinic_pages"
