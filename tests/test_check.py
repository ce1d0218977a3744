"""``saisei check``: a clinic name or a document code in, the matching plans out."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_saisei

pytestmark = pytest.mark.slow


def test_name_lookup_is_width_and_space_insensitive(sample_db):
    result = run_saisei("check", "湊見台　ひざ", "--db", str(sample_db))
    assert result.returncode == 0, result.stderr
    assert "4 filed plan(s)" in result.stdout
    assert "SAMPLE DATA" in result.stdout
    assert "not an approval" in result.stdout


def test_document_code_lookup_in_full_width(sample_db):
    result = run_saisei("check", "０１Ｅ２３０６９０１", "--db", str(sample_db), "--json")
    payload = json.loads(result.stdout)
    assert payload["matched_by"] == "document code"
    assert [p["facility"] for p in payload["plans"]] == ["医療法人星陵会 星降町整形外科"]
    assert set(payload["plans"][0]) >= {"id", "plan_class", "prefecture", "therapy", "doc_codes", "source_url"}


def test_no_match_says_what_that_does_and_does_not_mean(sample_db):
    result = run_saisei("check", "ルミナス再生クリニック", "--db", str(sample_db))
    assert result.returncode == 1
    assert "No filed plan matches" in result.stdout and "not proof" in result.stdout


def test_missing_database_is_a_clear_error(tmp_path):
    result = run_saisei("check", "x", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "saisei build --offline" in result.stderr
