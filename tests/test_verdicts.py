"""Verdicts (exactly one per offering) and clinic flags, with reasons in both languages."""

from __future__ import annotations

import json

import pytest

from readers.identifiers import find_identifiers
from verify.matching import RegistryIndex, probe_for
from verify.verdicts import (
    CAVEAT_EN,
    CAVEAT_JA,
    approval_flag,
    decide,
    disclosure_flag,
    enforcement_flag,
    number_flags,
)
from verify.vocabulary import VERDICTS

PLANS = [
    {"id": "a", "plan_class": 2, "prefecture": "東京都", "facility_printed": "湊見台ひざ関節クリニック",
     "therapy": "変形性膝関節症に対する自己脂肪由来幹細胞(培養)を用いた治療", "doc_code": "01C2404901",
     "doc_codes": json.dumps(["01C2404901"])},
    {"id": "b", "plan_class": 3, "prefecture": "東京都", "facility_printed": "湊見台ひざ関節クリニック",
     "therapy": "多血小板血漿を用いた筋・腱付着部障害の治療", "doc_code": "01C2406905", "doc_codes": json.dumps(["01C2406905"])},
    {"id": "x", "plan_class": 2, "prefecture": "東京都", "facility_printed": "東京ベイサイド再生医療センター",
     "therapy": "自己脂肪組織由来間質血管細胞群(SVF)を用いた変形性膝関節症の治療", "doc_code": "01C2312904",
     "doc_codes": json.dumps(["01C2312904"])},
]
ENDED = [{"id": "e", "plan_class": 2, "prefecture": "東京都", "facility_printed": "湊見台ひざ関節クリニック",
          "therapy": "自家骨髄由来間葉系幹細胞を用いた変形性膝関節症の治療", "doc_code": "01C2001901"}]


@pytest.fixture(scope="module")
def minatomidai():
    index = RegistryIndex(PLANS)
    probe = probe_for("湊見台ひざ関節クリニック", "東京都")
    ended = [(p, "gone") for m in RegistryIndex(ENDED).match(probe) for p in m.facility.plans]
    return index.best(probe), ended


def _decide(therapy, match_and_ended, text=""):
    match, ended = match_and_ended
    return decide(therapy, clinic_name="湊見台ひざ関節クリニック", match=match, ended=ended, offered_text=text)


def test_registered_names_the_plan_and_the_caveat(minatomidai):
    verdict = _decide("adipose_cultured", minatomidai)
    assert verdict.verdict == "registered"
    assert verdict.plan_ids == ["a"]
    assert "01C2404901" in verdict.reason_ja and "01C2404901" in verdict.reason_en
    assert verdict.reason_ja.endswith(CAVEAT_JA) and verdict.reason_en.endswith(CAVEAT_EN)
    assert verdict.scores["name"] == 100


def test_other_therapy_lists_what_is_filed(minatomidai):
    verdict = _decide("adipose_svf", minatomidai)
    assert verdict.verdict == "registered_other_therapy"
    assert sorted(verdict.plan_ids) == ["a", "b"]
    assert "none for" in verdict.reason_en and "見つかりません" in verdict.reason_ja


def test_plan_ended_beats_other_therapy(minatomidai):
    verdict = _decide("bone_marrow", minatomidai)
    assert verdict.verdict == "plan_ended"
    assert verdict.plan_ids == ["e"]
    assert "latest complete registry crawl" in verdict.reason_en


def test_outside_asrm_even_with_plans(minatomidai):
    for therapy in ("culture_supernatant", "exosome"):
        verdict = _decide(therapy, minatomidai)
        assert verdict.verdict == "outside_asrm"
        assert "not covered by the Act" in verdict.reason_en and "対象外" in verdict.reason_ja


def test_not_found_says_a_miss_is_not_proof():
    verdict = decide("adipose_cultured", clinic_name="ルミナス再生クリニック銀座", match=None)
    assert verdict.verdict == "not_found" and verdict.plan_ids == []
    assert "not proof" in verdict.reason_en and CAVEAT_EN in verdict.reason_en


@pytest.mark.parametrize("name", [None, "", "  "])
def test_a_page_with_no_name_read_says_so_instead_of_an_empty_name(name):
    verdict = decide("prp_intra_articular", clinic_name=name, match=None)
    assert verdict.verdict == "not_found"
    assert "No clinic name could be read" in verdict.reason_en and "matching  " not in verdict.reason_en
    assert verdict.reason_ja.startswith("このページからは施設名を読み取れず") and "None" not in verdict.reason_ja


def test_generic_stem_cells_covered_by_a_stem_cell_plan(minatomidai):
    verdict = _decide("other", minatomidai, "幹細胞治療")
    assert verdict.verdict == "registered"
    assert "does not say which cells" in verdict.reason_en


def test_every_verdict_is_one_of_five(minatomidai):
    for therapy in ("adipose_cultured", "prp_intra_articular", "aps", "pfc_fd", "other"):
        assert _decide(therapy, minatomidai).verdict in VERDICTS


def _claims(text):
    return [
        {"identifier_kind": i.kind, "printed": i.printed, "canonical": i.canonical, "label": i.label,
         "context": i.context, "lookalikes": list(i.lookalikes), "fields": i.fields}
        for i in find_identifiers(text)
    ]


def _flags(text, prefecture="東京都", therapies=("adipose_cultured",), own=(), owners=None, elsewhere=None):
    found = number_flags(_claims(text), clinic_prefecture=prefecture, therapies=list(therapies), own_plans=list(own),
                         doc_code_owner=owners or {}, claimed_elsewhere=elsewhere or {})
    return {f.flag: f for f in found}


def test_committee_number_printed_as_registration():
    flags = _flags("再生医療等提供計画 登録番号 NA8150016")
    assert "committee_number_as_registration" in flags
    assert "NA8150016" in flags["committee_number_as_registration"].reason_en
    assert _flags("認定再生医療等委員会 認定番号 NA8150016") == {}


def test_wrong_bureau_class_and_lookalikes():
    assert "number_inconsistent" in _flags("計画番号 PB7180014")  # Kyushu number, Tokyo clinic
    assert "number_inconsistent" in _flags("計画番号 PC3180014")  # class 3 number for cultured cells
    assert "number_inconsistent" in _flags("計画番号 PB3180O14")  # letter O read as zero
    assert _flags("計画番号 PB3180014") == {}


def test_document_code_of_another_clinic():
    owners = {p["doc_code"]: p for p in PLANS}
    flags = _flags("文書番号 01C2312904", own=PLANS[:2], owners=owners)
    assert flags["number_claimed_by_other_clinic"].evidence["plan_id"] == "x"
    assert _flags("文書番号 01C2404901", own=PLANS[:2], owners=owners) == {}
    shared = _flags("計画番号 PB3180014", elsewhere={"PB3180014": ["他院クリニック"]})
    assert "他院クリニック" in shared["number_claimed_by_other_clinic"].reason_ja


def test_wording_disclosure_and_enforcement_flags():
    approval = approval_flag([{"kind": "approval_wording", "printed": "厚生労働省認可", "source_url": "https://x.example/"}])
    assert approval.flag == "approval_wording" and "厚生労働省認可" in approval.reason_ja
    assert approval_flag([{"kind": "identifier"}]) is None
    missing = disclosure_flag([{"kind": "ad_disclosures", "value": json.dumps({"present": ["risks"], "missing": ["unapproved"]})}])
    assert missing.flag == "missing_ad_disclosures" and missing.evidence["missing"] == ["unapproved"]
    assert disclosure_flag([{"kind": "ad_disclosures", "value": {"present": ["risks"], "missing": []}}]) is None
    action = enforcement_flag([{"id": "1", "date": "2025-08-29", "order_type": "緊急命令", "institution": "架空クリニック"}])
    assert action.flag == "enforcement_action" and "2025-08-29" in action.reason_en
    assert enforcement_flag([]) is None


# --- the tables writer, on small hand-made databases --------------------------------------------------------

def _db(tmp_path, **tables):
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "t.db")
    for name, rows in tables.items():
        db[name].insert_all(rows, pk="id" if rows and "id" in rows[0] else None, alter=True)
    return db


CLINIC = {"id": "c1", "name_printed": "湊見台ひざ関節クリニック", "name": "湊見台ひざ関節クリニック", "prefecture": "東京都",
          "address": "東京都港区湊見台1-2-3", "url": "https://minatomidai.example/"}


def test_writer_tolerates_missing_tables(tmp_path):
    from saisei.tables.verifications import verify_database

    db = _db(tmp_path)
    assert verify_database(db, "2026-11-25T00:00:00Z") == {}
    assert db["verifications"].exists() and db["clinic_flags"].exists()
    db = _db(tmp_path, clinics=[CLINIC], offerings=[{"id": "o1", "clinic_id": "c1", "therapy": "adipose_cultured"}])
    assert verify_database(db, "2026-11-25T00:00:00Z") == {"not_found": 1}


def test_writer_uses_plan_history_jrct_and_enforcement(tmp_path):
    from saisei.tables.verifications import verify_database

    plans = [{**PLANS[0], "status": "current"}, {**ENDED[0], "status": "ended", "doc_codes": "[]"}]
    db = _db(
        tmp_path,
        plans=plans,
        clinics=[CLINIC, {"id": "c2", "name_printed": "そよかぜ整形外科", "prefecture": "大阪府", "url": "https://soyokaze.example/"},
                 {"id": "c3", "name_printed": "そよかぜクリニック梅田", "prefecture": "大阪府", "phone": "06-5555-0199"},
                 {"id": "c4", "name_printed": "Soyokaze Clinic Umeda", "prefecture": "大阪府", "phone": "+81 6 5555 0199"}],
        offerings=[
            {"id": "o1", "clinic_id": "c1", "therapy": "adipose_cultured"},
            {"id": "o2", "clinic_id": "c1", "therapy": "bone_marrow"},
            {"id": "o3", "clinic_id": "c1", "therapy": "prp_intra_articular"},
            {"id": "o4", "clinic_id": "c2", "therapy": "other", "therapy_printed": "NK細胞療法"},
        ],
        research_plans=[{"id": "jRCTc050200001", "plan_class": 3, "title": "自家NK細胞を用いた免疫細胞療法",
                         "institution": "そよかぜ整形外科", "status": "completed", "status_printed": "研究終了",
                         "discontinued": 0},
                        {"id": "jRCTb050200002", "plan_class": 2, "title": "自己脂肪由来幹細胞を用いた治療",
                         "institution": "そよかぜ整形外科", "status": "recruitment_closed", "status_printed": "募集終了",
                         "discontinued": 0}],
        enforcement_actions=[{"id": "e1", "date": "2026-01-01", "order_type": "改善命令",
                              "institution": "医療法人社団湊光会 湊見台ひざ関節クリニック", "prefecture": "東京都"}],
        claims=[
            {"id": "k1", "clinic_id": "c1", "kind": "identifier", "identifier_kind": "plan_number", "canonical": "PB3180014",
             "printed": "PB3180014", "label": "計画番号", "lookalikes": "[]"},
            {"id": "k2", "clinic_id": "c2", "kind": "identifier", "identifier_kind": "plan_number", "canonical": "PB3180014",
             "printed": "PB3180014", "label": "計画番号", "lookalikes": "[]"},
            {"id": "k3", "clinic_id": "c3", "kind": "identifier", "identifier_kind": "plan_number", "canonical": "PB5200007",
             "printed": "PB5200007", "label": "計画番号", "lookalikes": "[]"},
            {"id": "k4", "clinic_id": "c4", "kind": "identifier", "identifier_kind": "plan_number", "canonical": "PB5200007",
             "printed": "PB5200007", "label": "Plan No.", "lookalikes": "[]"},
        ],
        directory_listings=[{"id": "d1", "clinic_name": "Minatomidai Knee Clinic", "therapy": "adipose_cultured",
                             "clinic_url": "https://www.minatomidai.example/en/", "clinic_id": None}],
    )
    counts = verify_database(db, "2026-11-25T00:00:00Z")
    verdicts = {r["offering_id"] or r["listing_id"]: r for r in db["verifications"].rows}
    assert verdicts["o1"]["verdict"] == "registered"
    assert verdicts["o2"]["verdict"] == "plan_ended"
    assert verdicts["o3"]["verdict"] == "registered_other_therapy"
    assert verdicts["o4"]["verdict"] == "plan_ended" and "jRCT" in verdicts["o4"]["reason_en"]
    assert "jRCTb050200002" not in verdicts["o4"]["plan_ids"]  # recruitment closed is not ended
    assert verdicts["d1"]["clinic_id"] == "c1" and verdicts["d1"]["verdict"] == "registered"
    assert json.loads(verdicts["d1"]["scores"])["linked_by"] == "clinic site"
    assert counts == {"registered": 1, "plan_ended": 2, "registered_other_therapy": 1}
    flags = {(r["clinic_id"], r["flag"]) for r in db["clinic_flags"].rows}
    assert ("c1", "enforcement_action") in flags
    assert ("c1", "number_claimed_by_other_clinic") in flags and ("c2", "number_claimed_by_other_clinic") in flags
    assert ("c2", "number_inconsistent") in flags  # a Kanto-Shinetsu number in Osaka
    assert ("c3", "number_claimed_by_other_clinic") not in flags  # one clinic in two languages: same phone


# ---- filed versus advertised prices --------------------------------------------------------------------------

def _filed(amount, tax="included", **extra):
    return {"therapy": "adipose_cultured", "amount_min": amount, "amount_max": amount, "tax": tax, "plan_id": "p1",
            "document_url": "https://saiseiiryo.mhlw.go.jp/published_plan/download/01C2404901/5/1", **extra}


def _advertised(amount, therapy="adipose_cultured", **extra):
    return {"therapy": therapy, "amount_min": amount, "currency": "JPY", "tax": "included",
            "source_url": "https://clinic.example/price", **extra}


def test_an_advertised_price_the_filing_does_not_state_is_flagged_with_both_sources():
    from verify.verdicts import price_filing_flag

    flag = price_filing_flag([_advertised(1_650_000)], [_filed(1_320_000), _filed(2_200_000)])
    assert flag.flag == "price_differs_from_filing"
    (pair,) = flag.evidence["pairs"]
    assert (pair["advertised"], pair["filed"]) == (1_650_000, 1_320_000)
    assert pair["advertised_source"].startswith("https://clinic.example") and "01C2404901" in pair["filed_source"]
    assert "not a guaranteed charge" in flag.reason_en


@pytest.mark.parametrize("advertised", [
    _advertised(1_320_000),                                  # the same amount
    _advertised(1_200_000, tax="excluded"),                  # the filed 税込 price before 10% tax
    _advertised(44_000, amount_excluding_tax=40_000),        # a 税抜/税込 pair that matches on either side
    _advertised(990_000, therapy="prp_intra_articular"),     # another therapy: no filing to compare with
    {**_advertised(9_000), "currency": "USD"},               # not yen
])
def test_prices_that_agree_or_cannot_be_compared_are_not_flagged(advertised):
    from verify.verdicts import price_filing_flag

    filed = [_filed(1_320_000), _filed(40_000, tax="excluded")]
    assert price_filing_flag([advertised], filed) is None


def test_a_filed_range_covers_the_prices_inside_it():
    from verify.verdicts import price_filing_flag

    assert price_filing_flag([_advertised(150_000)], [{**_filed(100_000), "amount_max": 200_000}]) is None
    assert price_filing_flag([_advertised(250_000)], [{**_filed(100_000), "amount_max": 200_000}]) is not None


def test_an_immune_cell_offering_in_a_sentence_naming_stem_cells_is_not_covered_by_a_stem_cell_plan():
    """「…免疫細胞治療と幹細胞治療を受けることができる」: the stem-cell plan covers the stem cells, not the immune
    cells the same sentence names (a generic 幹細胞 offering is covered by any stem-cell plan; this one is not)."""
    import sqlite_utils

    from verify.verifier import Verifier

    db = sqlite_utils.Database(memory=True)
    db["plans"].insert_all([{**PLANS[0], "facility": PLANS[0]["facility_printed"], "status": "current"}], pk="id")
    sentence = "湊見台ひざ関節クリニックでは、免疫細胞治療と幹細胞治療を受けることができます。"
    clinic = {"name_printed": "湊見台ひざ関節クリニック", "prefecture": "東京都"}
    offerings = [{"therapy": "other", "therapy_printed": "免疫細胞", "excerpt": sentence},
                 {"therapy": "other", "therapy_printed": "幹細胞", "excerpt": sentence}]
    _, _, verdicts = Verifier(db).verify_clinic(clinic, offerings)
    assert [v.verdict for _, v in verdicts] == ["registered_other_therapy", "registered"]
