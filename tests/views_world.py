"""A small database in the shared contract schemas, for the Datasette tests (search, views, browser).

Built here rather than by the crawlers, so these tests do not wait on the other parts of the project: every
table the patient and analyst views read, with clinics of each verdict, a price, a flag, plan history, a change,
and one clinic whose scraped text carries HTML and a <script> (tests/fixtures/views/). All fictional.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from saisei.schema import SCHEMA_VERSION
from saisei.tables import cards, clinic_pages, search
from saisei.tables.context import BuildContext
from saisei.tables.plans import PLAN_COLUMNS

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "views"
LIST_2 = "https://saiseiiryo.mhlw.go.jp/published_plan/index/2"
LIST_3 = "https://saiseiiryo.mhlw.go.jp/published_plan/index/3"
BASELINE = "2026-10-01T03:00:00Z"
LATER = "2026-11-20T03:00:00Z"


def hostile_text() -> tuple[str, str]:
    """(excerpt, name) as a hostile or broken clinic page might print them."""
    excerpt = (FIXTURES / "hostile_excerpt.html").read_bytes().decode("utf-8")
    name = (FIXTURES / "hostile_name.txt").read_bytes().decode("utf-8")
    return excerpt, name


def _plan(
    plan_id,
    plan_class,
    prefecture,
    bureau,
    facility_printed,
    facility,
    address,
    therapy_printed,
    therapy,
    doc_code,
    first_seen=BASELINE,
    status="current",
    ended_at=None,
) -> dict:
    return {
        "id": plan_id,
        "plan_key": plan_id,
        "plan_class": plan_class,
        "prefecture": prefecture,
        "bureau": bureau,
        "facility_printed": facility_printed,
        "facility": facility,
        "facility_corporation": None,
        "facility_key": facility.replace(" ", ""),
        "address_printed": address,
        "address": address,
        "therapy_printed": therapy_printed,
        "therapy": therapy,
        "doc_code": doc_code,
        "doc_codes": json.dumps([doc_code]),
        "n_documents": 1,
        "other_cells": "{}",
        "row_number": 1,
        "source_url": LIST_2 if plan_class == 2 else LIST_3,
        "fetched_at": LATER,
        "capture_record_id": None,
        "status": status,
        "first_seen": first_seen,
        "last_seen": LATER if status == "current" else BASELINE,
        "ended_at": ended_at,
        "sample": 1,
    }


PLANS = [
    _plan(
        "p-minato-asc",
        2,
        "東京都",
        "kanto_shinetsu",
        "医療法人社団湊光会　湊見台ひざ関節クリニック",
        "医療法人社団湊光会 湊見台ひざ関節クリニック",
        "港区湊見台一丁目2番3号",
        "変形性膝関節症に対する自己脂肪由来幹細胞(培養)を用いた治療",
        "変形性膝関節症に対する自己脂肪由来幹細胞(培養)を用いた治療",
        "01C2404901",
    ),
    _plan(
        "p-minato-prp",
        2,
        "東京都",
        "kanto_shinetsu",
        "湊見台ひざ関節クリニック",
        "湊見台ひざ関節クリニック",
        "港区湊見台一丁目2番3号",
        "変形性膝関節症に対するＰＲＰ関節内注射",
        "変形性膝関節症に対するPRP関節内注射",
        "01C2404902",
    ),
    _plan(
        "p-hoshi-prp",
        3,
        "大阪府",
        "kinki",
        "医療法人星陵会 星降町整形外科",
        "医療法人星陵会 星降町整形外科",
        "大阪市北区星降町4-5",
        "腱・靱帯付着部症に対する多血小板血漿（ＰＲＰ）療法",
        "腱・靱帯付着部症に対する多血小板血漿(PRP)療法",
        "01E2306901",
    ),
    _plan(
        "p-evergreen",
        2,
        "大阪府",
        "kinki",
        "EVERGREEN KNEE CLINIC OSAKA",
        "EVERGREEN KNEE CLINIC OSAKA",
        "大阪市中央区常盤町1-1",
        "自己脂肪由来幹細胞を用いた変形性膝関節症の治療",
        "自己脂肪由来幹細胞を用いた変形性膝関節症の治療",
        "01E2405903",
    ),
    _plan(
        "p-sapporo-new",
        3,
        "北海道",
        "hokkaido",
        "しらかば歯科クリニック",
        "しらかば歯科クリニック",
        "札幌市中央区白樺1-2",
        "歯槽骨再生のためのＣＧＦ療法",
        "歯槽骨再生のためのCGF療法",
        "01A2410904",
        first_seen=LATER,
    ),
    _plan(
        "p-fukuoka-ended",
        3,
        "福岡県",
        "kyushu",
        "こうりん皮膚科",
        "こうりん皮膚科",
        "福岡市中央区光輪2-3",
        "脱毛症に対するＰＲＰ療法",
        "脱毛症に対するPRP療法",
        "01G2301905",
        status="ended",
        ended_at=LATER,
    ),
]

CLINICS = [
    (
        "c-minato",
        "医療法人社団湊光会　湊見台ひざ関節クリニック",
        "湊見台ひざ関節クリニック",
        "東京都",
        "港区",
        "港区湊見台一丁目2番3号",
        "https://minatomidai-knee.example/",
    ),
    (
        "c-luminous",
        "ルミナス再生クリニック銀座",
        "ルミナス再生クリニック銀座",
        "東京都",
        "中央区",
        "中央区銀座9-9-9",
        "https://luminous-ginza.example/",
    ),
    (
        "c-hoshi",
        "星降町整形外科",
        "星降町整形外科",
        "大阪府",
        "大阪市北区",
        "大阪市北区星降町4-5",
        "https://hoshifuri-seikei.example/",
    ),
    (
        "c-aoba",
        "あおば美容クリニック天神",
        "あおば美容クリニック天神",
        "福岡県",
        "福岡市中央区",
        "福岡市中央区天神8-8",
        "https://aoba-tenjin.example/",
    ),
]
#: (offering id, clinic, therapy code, printed, condition, verdict, plan ids)
OFFERINGS = [
    (
        "o-minato-asc",
        "c-minato",
        "adipose_cultured",
        "ひざの幹細胞治療（脂肪由来・培養）",
        "knee_oa",
        "registered",
        ["p-minato-asc"],
    ),
    ("o-minato-prp", "c-minato", "prp_intra_articular", "PRP注射", "knee_oa", "registered", ["p-minato-prp"]),
    (
        "o-luminous-asc",
        "c-luminous",
        "adipose_cultured",
        "幹細胞（脂肪由来）ひざ治療",
        "knee_oa",
        "not_found",
        [],
    ),
    (
        "o-hoshi-asc",
        "c-hoshi",
        "adipose_cultured",
        "膝の再生医療 脂肪幹細胞",
        "knee_oa",
        "registered_other_therapy",
        ["p-hoshi-prp"],
    ),
    ("o-aoba-exo", "c-aoba", "exosome", "エクソソーム点滴", "skin", "outside_asrm", []),
    ("o-evil-asc", "c-evil", "adipose_cultured", "幹細胞治療", "knee_oa", "not_found", []),
]
PRICES = [
    (
        "pr-1",
        "c-minato",
        "adipose_cultured",
        550000,
        980000,
        "included",
        "knee",
        "片膝 55万円〜98万円（税込）",
    ),
    ("pr-2", "c-minato", "prp_intra_articular", 55000, None, "included", "knee", "PRP 片膝 55,000円（税込）"),
    ("pr-3", "c-luminous", "adipose_cultured", 1650000, None, "included", "both_knees", "両膝 165万円"),
    ("pr-4", "c-hoshi", "adipose_cultured", 880000, 1200000, "excluded", "knee", "88万〜120万円（税別）"),
]
#: the same price on the Japanese, English and Chinese pages of one site, the English one with a dollar conversion
TRILINGUAL_PRICES = [
    ("pr-5", "/ja/", "エクソソーム点滴 1回 110,000円（税込）", None),
    ("pr-6", "/en/", "Exosome drip, one session: ¥110,000 (tax included), about US$740", 740),
    ("pr-7", "/zh/", "外泌体点滴 每次 110,000日元（含税）", None),
]
#: directory listings behind the two listing verdicts of c-luminous
LISTINGS = [
    ("l-1", "https://knee-guide.example/tokyo/", "Luminous Regenerative Clinic Ginza"),
    ("l-2", "https://knee-guide.example/stem-cells/", "Luminous Regenerative Clinic Ginza"),
]


def build_world(path: Path) -> Path:
    """Write the test world to ``path`` (plans, clinics, verdicts, prices, flags, changes) and index it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    db["plans"].create(PLAN_COLUMNS, pk="id")
    db["plans"].insert_all(PLANS)
    db["plan_documents"].insert_all(
        [
            {
                "plan_id": "p-minato-asc",
                "code": "01C2404901",
                "number": 1,
                "label": "資料1",
                "url": "https://saiseiiryo.mhlw.go.jp/published_plan/download/01C2404901/5/1",
            }
        ],
        pk=("plan_id", "code", "number"),
    )
    excerpt, evil_name = hostile_text()
    clinics = [
        {
            "id": cid,
            "name_printed": printed,
            "name": name,
            "name_key": name,
            "prefecture": pref,
            "city": city,
            "address": address,
            "postal_code": None,
            "phone": "03-5555-0000",
            "url": url,
            "languages": json.dumps(["ja", "en"]),
            "js_only": 0,
            "sources": json.dumps([url]),
            "fetched_at": LATER,
            "sample": 1,
        }
        for cid, printed, name, pref, city, address, url in CLINICS
    ]
    clinics.append(
        {
            "id": "c-evil",
            "name_printed": evil_name,
            "name": evil_name,
            "name_key": "evil",
            "prefecture": "大阪府",
            "city": "大阪市中央区",
            "address": "大阪市中央区<b>太字</b>町1",
            "postal_code": None,
            "phone": None,
            "url": "javascript:window.__pwned=4",
            "languages": "[]",
            "js_only": 0,
            "sources": json.dumps(["javascript:window.__pwned=5", "https://evil.example/"]),
            "fetched_at": LATER,
            "sample": 1,
        }
    )
    db["clinics"].insert_all(clinics, pk="id")
    db["offerings"].insert_all(
        [
            {
                "id": oid,
                "clinic_id": cid,
                "therapy": code,
                "therapy_printed": printed,
                "condition": condition,
                "excerpt": excerpt if cid == "c-evil" else printed,
                "source_url": f"https://{cid}.example/treatment",
                "fetched_at": LATER,
            }
            for oid, cid, code, printed, condition, _, _ in OFFERINGS
        ],
        pk="id",
    )
    db["verifications"].insert_all(
        [
            {
                "id": f"v-{oid}",
                "clinic_id": cid,
                "offering_id": oid,
                "therapy": code,
                "verdict": verdict,
                "listing_id": None,
                "plan_ids": json.dumps(plans),
                "scores": "{}",
                "reason_ja": f"{verdict} の理由",
                "reason_en": f"reason for {verdict}",
                "checked_at": "2026-11-21T04:00:00Z",
            }
            for oid, cid, code, _, _, verdict, plans in OFFERINGS
        ]
        # two directory listings of one clinic and therapy: one section on the clinic page
        + [
            {
                "id": f"v-listing-{n}",
                "clinic_id": "c-luminous",
                "offering_id": None,
                "therapy": "adipose_cultured",
                "verdict": "not_found",
                "listing_id": f"l-{n}",
                "plan_ids": "[]",
                "scores": "{}",
                "reason_ja": "紹介サイトの掲載による判定",
                "reason_en": "as a directory lists it",
                "checked_at": "2026-11-21T04:00:00Z",
            }
            for n in (1, 2)
        ],
        pk="id",
    )
    db["prices"].insert_all(
        [
            {
                "id": pid,
                "clinic_id": cid,
                "therapy": therapy,
                "amount_min": low,
                "amount_max": high,
                "currency": "JPY",
                "tax": tax,
                "unit": unit,
                "excerpt": text,
                "source_url": f"https://{cid}.example/price",
                "fetched_at": LATER,
            }
            for pid, cid, therapy, low, high, tax, unit, text in PRICES
        ]
        + [
            {
                "id": pid,
                "clinic_id": "c-aoba",
                "therapy": "exosome",
                "amount_min": 110000,
                "amount_max": 110000,
                "currency": "JPY",
                "tax": "included",
                "unit": "session",
                "usd_approx": usd,
                "excerpt": text,
                "source_url": f"https://aoba-tenjin.example{path}",
                "fetched_at": LATER,
            }
            for pid, path, text, usd in TRILINGUAL_PRICES
        ],
        pk="id",
        alter=True,
    )
    db["directory_listings"].insert_all(
        [
            {"id": lid, "directory_url": url, "clinic_name": name, "city": "Tokyo", "therapy": "adipose_cultured",
             "clinic_url": "https://luminous-ginza.example/", "clinic_id": "c-luminous", "fetched_at": LATER}
            for lid, url, name in LISTINGS
        ],
        pk="id",
    )
    db["clinic_flags"].insert_all(
        [
            {
                "clinic_id": "c-luminous",
                "flag": "approval_wording",
                "reason_ja": "「厚生労働省認可」と表示",
                "reason_en": "The page says 'MHLW-approved'",
                "evidence": "[]",
            },
            {
                "clinic_id": "c-evil",
                "flag": "approval_wording",
                "reason_ja": excerpt,
                "reason_en": excerpt,
                "evidence": "[]",
            },
        ]
    )
    db["changes"].insert_all(
        [
            {
                "id": 1,
                "record_kind": "plan",
                "record_id": "p-sapporo-new",
                "subject_id": None,
                "prefecture": "北海道",
                "label": "しらかば歯科クリニック",
                "field": "_record",
                "old_value": None,
                "new_value": "added",
                "run_id": "r2",
                "changed_at": LATER,
            }
        ],
        pk="id",
    )
    search.write(
        db, {}, BuildContext(run_id="r2", archive=None, sample=True, previous_db=path.with_suffix(".old"))
    )
    cards.write_cards(db)
    clinic_pages.write_pages(db)
    db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # as a build stamps it, so `saisei serve` accepts it
    db.close()
    return path


class InProcessDatasette:
    """``saisei serve``'s Datasette (same metadata, plugin, templates) called in this process, on one loop."""

    def __init__(self, db_path: Path, allow_robots: bool = False, page_cache_mb: float | None = None):
        import asyncio

        from saisei.serve import make_datasette

        self.loop = asyncio.new_event_loop()
        self.datasette = make_datasette(db_path, allow_robots=allow_robots, page_cache_mb=page_cache_mb)
        self.database = db_path.stem
        self.loop.run_until_complete(self.datasette.invoke_startup())

    def get(self, path: str, **kwargs):
        return self.loop.run_until_complete(self.datasette.client.get(path, **kwargs))

    def json(self, path: str):
        response = self.get(path)
        assert response.status_code == 200, response.text[:2000]
        return response.json()

    def close(self) -> None:
        self.loop.close()
