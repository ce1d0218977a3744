"""`saisei verify`, `saisei check` by number, name and page, end to end on the bundled sample."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from tests.conftest import FIXTURES, ROOT, run_saisei
from verify.verdicts import CAVEAT_EN
from verify.vocabulary import FLAGS, VERDICTS

pytestmark = pytest.mark.slow

#: data/sample/README.md, "The clinics and what the verification step should find": (clinic, therapy family, verdict)
STEM = {"adipose_cultured", "adipose_uncultured", "bone_marrow", "other"}
PRP = {"prp_intra_articular", "prp_other", "aps"}
EXPECTED = [
    ("湊見台ひざ関節クリニック", "東京都", STEM, "registered"),
    ("湊見台ひざ関節クリニック", "東京都", PRP, "registered"),
    ("湊見台ひざ関節クリニック", "神奈川県", STEM, "registered"),
    ("湊見台ひざ関節クリニック", "神奈川県", PRP, "registered_other_therapy"),
    ("灯台通りクリニック", None, STEM, "registered"),
    ("さくら通り再生医療クリニック", None, STEM, "registered"),
    ("みなと西整形外科", None, PRP, "registered"),
    ("こもれび坂病院", None, STEM, "registered"),
    ("杜の泉クリニック", None, PRP, "registered"),
    ("ひまわり台ペインクリニック", None, STEM | PRP, "registered"),
    ("東京ベイサイド再生医療センター", None, {"adipose_svf"}, "registered"),
    ("東京ベイサイド再生医療センター", None, {"adipose_cultured"}, "registered_other_therapy"),
    ("EVERGREEN", None, STEM, "registered"),
    ("星降町整形外科", None, STEM, "registered_other_therapy"),
    ("銀杏並木スキンクリニック", None, PRP, "registered"),
    ("銀杏並木スキンクリニック", None, {"exosome"}, "outside_asrm"),
    ("ルミナス再生クリニック", None, STEM, "not_found"),
    ("あおば美容クリニック", None, {"culture_supernatant", "exosome"}, "outside_asrm"),
]
EXPECTED_FLAGS = [
    ("灯台通りクリニック", "committee_number_as_registration"),
    ("灯台通りクリニック", "number_inconsistent"),
    ("さくら通り再生医療クリニック", "approval_wording"),
    ("ルミナス再生クリニック", "approval_wording"),
]


def test_verify_modules_never_import_scrapy():
    modules = sorted(p.stem for p in (ROOT / "verify").glob("*.py") if p.stem != "__init__")
    readers = sorted(p.stem for p in (ROOT / "readers").glob("*.py") if p.stem != "__init__")
    code = "import sys\n" + "".join(f"import verify.{m}\n" for m in modules)
    code += "".join(f"import readers.{m}\n" for m in readers)
    code += "import saisei.tables.verifications, saisei.verification\nprint('scrapy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert {"addresses", "names"} <= set(readers)
    assert {"matching", "verdicts", "evaluation", "verifier"} <= set(modules)


def test_build_writes_the_verdict_tables(sample_db):
    db = sqlite_utils.Database(sample_db)
    assert db["verifications"].exists() and db["clinic_flags"].exists()
    for row in db["verifications"].rows:
        assert row["verdict"] in VERDICTS
        assert CAVEAT_EN in row["reason_en"] and row["reason_ja"]
        json.loads(row["plan_ids"]), json.loads(row["scores"])
    for row in db["clinic_flags"].rows:
        assert row["flag"] in FLAGS and row["reason_en"] and row["reason_ja"]


def _offerings(db):
    if not db["offerings"].exists() or not db["clinics"].exists():
        pytest.skip("the clinic tables are not in the bundled sample yet")
    return list(db.query(
        "select o.id, o.therapy, c.name_printed, c.name, c.prefecture, c.id as clinic_id "
        "from offerings o join clinics c on c.id = o.clinic_id"
    ))


def test_every_bundled_offering_has_exactly_one_verdict(sample_db):
    db = sqlite_utils.Database(sample_db)
    offerings = _offerings(db)
    assert offerings
    counts = dict(db.execute("select offering_id, count(*) from verifications where offering_id is not null "
                             "group by offering_id").fetchall())
    assert {o["id"]: counts.get(o["id"], 0) for o in offerings} == {o["id"]: 1 for o in offerings}


def test_expected_verdicts_of_the_sample_readme(sample_db):
    db = sqlite_utils.Database(sample_db)
    offerings = _offerings(db)
    verdicts = {r["offering_id"]: r["verdict"] for r in db["verifications"].rows if r["offering_id"]}
    checked, wrong = 0, []
    for clinic, prefecture, therapies, expected in EXPECTED:
        hits = [o for o in offerings if clinic in (o["name_printed"] or o["name"] or "")
                and (prefecture is None or o["prefecture"] == prefecture) and o["therapy"] in therapies
                and ("横浜" not in (o["name_printed"] or "") or prefecture != "東京都")]
        for offering in hits:
            checked += 1
            if verdicts[offering["id"]] != expected:
                wrong.append((clinic, offering["therapy"], verdicts[offering["id"]], expected))
    assert checked >= 10
    assert wrong == []


def test_expected_flags_of_the_sample_readme(sample_db):
    db = sqlite_utils.Database(sample_db)
    _offerings(db)
    flags = {(r["name"], r["flag"]) for r in db.query(
        "select coalesce(c.name_printed, c.name) as name, f.flag from clinic_flags f join clinics c on c.id = f.clinic_id")}
    missing = [(c, f) for c, f in EXPECTED_FLAGS if not any(c in name and f == flag for name, flag in flags)]
    assert missing == []


def test_verify_rewrites_in_place_by_swapping(sample_db, tmp_path):
    db_path = tmp_path / "copy.db"
    db_path.write_bytes(sample_db.read_bytes())
    db = sqlite_utils.Database(db_path)
    db["verifications"].insert({"id": "stale", "verdict": "registered"}, alter=True)
    db.close()
    before = db_path.stat().st_ino
    result = run_saisei("verify", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stderr
    assert db_path.stat().st_ino != before  # a new file was swapped in
    db = sqlite_utils.Database(db_path)
    assert db["verifications"].count_where("id = 'stale'") == 0
    assert not list(tmp_path.glob(".copy.db.verify-*"))


def test_verify_without_a_database_is_a_clear_error(tmp_path):
    result = run_saisei("verify", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1 and "saisei build --offline" in result.stderr


def test_check_a_plan_number_decodes_it(sample_db):
    result = run_saisei("check", "ＰＢ３１８００１４", "--db", str(sample_db), "--json")
    payload = json.loads(result.stdout)
    assert payload["matched_by"] == "plan number"
    assert payload["identifier"]["canonical"] == "PB3180014"
    assert payload["identifier"]["fields"]["plan_class"] == 2
    assert any("do not print plan numbers" in n for n in payload["notes"])
    assert set(payload) == {"query", "matched_by", "identifier", "plans", "matches", "clinics", "notes"}


def test_check_a_committee_number_says_what_it_is(sample_db):
    result = run_saisei("check", "NA8150016", "--db", str(sample_db))
    assert "committee" in result.stdout and "not a clinic's plan" in result.stdout


def test_check_a_name_shows_the_matched_facility_and_scores(sample_db):
    result = run_saisei("check", "湊見台ヒザ関節クリニック", "--db", str(sample_db), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["matched_by"] == "name"
    assert payload["matches"][0]["prefecture"] == "東京都"
    assert payload["matches"][0]["features"][0].startswith("name ")
    assert {"name", "address", "score"} <= set(payload["matches"][0])


def test_check_a_saved_page(sample_db):
    page = FIXTURES / "verify" / "todai_dori_sjis.html"
    result = run_saisei("check", "--page", str(page), "--url", "https://todai-dori.example.jp/stemcell.html",
                        "--db", str(sample_db), "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["matched_by"] == "page"
    clinic = payload["clinics"][0]
    assert clinic["name"] == "灯台通りクリニック" and clinic["prefecture"] == "北海道"
    assert [v["verdict"] for v in clinic["verdicts"]] == ["registered"]
    assert payload["plans"] and payload["plans"][0]["doc_code"] == "01A2311901"
    flags = {f["flag"] for f in clinic["flags"]}
    assert {"committee_number_as_registration", "number_inconsistent", "missing_ad_disclosures"} <= flags
    text = run_saisei("check", "--page", str(page), "--url", "https://todai-dori.example.jp/", "--db", str(sample_db))
    assert "registered" in text.stdout and "not proof that a treatment works" in text.stdout


def test_check_needs_a_query_or_a_page(sample_db):
    result = run_saisei("check", "--db", str(sample_db))
    assert result.returncode == 2 and "QUERY" in result.stderr
    result = run_saisei("check", "--page", str(Path(__file__)), "--db", str(sample_db))
    assert result.returncode == 2 and "--url" in result.stderr


def test_readme_documents_the_check_json_schema():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `saisei check --json`", 1)[1].split("\n## ", 1)[0]
    for key in ("matched_by", "identifier", "plans", "matches", "clinics", "verdicts", "flags", "notes"):
        assert re.search(rf'"{key}"', section), key


@pytest.mark.parametrize("command", ["verify", "serve"])
def test_an_older_schema_is_refused_with_a_clear_message(sample_db, tmp_path, command):
    db_path = tmp_path / "old.db"
    db_path.write_bytes(sample_db.read_bytes())
    db = sqlite_utils.Database(db_path)
    db.execute("PRAGMA user_version = 0")
    db.close()
    before = db_path.read_bytes()
    result = run_saisei(command, "--db", str(db_path), timeout=60)
    assert result.returncode == 1
    assert "schema version 0" in result.stderr and "saisei build" in result.stderr
    assert db_path.read_bytes() == before
