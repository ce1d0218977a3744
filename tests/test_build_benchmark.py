"""``saisei benchmark build`` runs end to end on a small world (its numbers are printed, never asserted)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from saisei.benchmarks.build import build_benchmark, synthetic_pages


def test_synthetic_pages_are_distinct_clinics():
    template = {"record": "clinic_page", "site": "a.example", "url": "https://a.example/",
                "clinic": {"name_printed": "テスト医院", "phone": "03-1111-2222", "prefecture": "東京都"}}
    pages = [json.loads(line) for line in synthetic_pages(template, 60)]
    assert len({p["clinic"]["name_printed"] for p in pages}) == len({p["site"] for p in pages}) == 60
    assert len({p["clinic"]["phone"] for p in pages}) == 60
    assert len({p["clinic"]["prefecture"] for p in pages}) == 47


def test_every_other_synthetic_clinic_is_a_generated_registry_facility():
    template = {"record": "clinic_page", "site": "a.example", "url": "https://a.example/",
                "clinic": {"name_printed": "テスト医院", "phone": "03-1111-2222", "prefecture": "東京都",
                           "city": "中央区", "address": "東京都中央区銀座1-1"}}
    pages = [json.loads(line)["clinic"] for line in synthetic_pages(template, 6, plans=100)]
    assert [p["name_printed"] for p in pages[::2]] == ["第1ひざ関節クリニック", "第2ひざ関節クリニック", "第3ひざ関節クリニック"]
    assert pages[2] == {"name_printed": "第2ひざ関節クリニック", "phone": "02-5555-0001", "prefecture": "青森県",
                        "city": "架空市", "address": "青森県架空市2丁目2番2号"}
    assert pages[1]["name_printed"].endswith("第1クリニック") and pages[1]["city"] == "中央区"
    beyond = [json.loads(line)["clinic"]["name_printed"] for line in synthetic_pages(template, 8, plans=2)]
    assert len(set(beyond)) == 8 and beyond[4].endswith("第4クリニック")  # no plan row printed twice


def test_a_share_of_the_other_clinics_is_named_in_latin_letters():
    """--latin-names: that share of the clinics outside the plan list has a name in Latin letters (which the
    verifier reads through e2k), each name still its own; the plan list's facilities keep theirs."""
    template = {"record": "clinic_page", "site": "a.example", "url": "https://a.example/",
                "clinic": {"name_printed": "テスト医院", "phone": "03-1111-2222", "prefecture": "東京都",
                           "city": "中央区", "address": "東京都中央区銀座1-1"}}
    names = [json.loads(line)["clinic"]["name_printed"] for line in synthetic_pages(template, 400, 50, 0.1)]
    others = names[1:100:2] + names[100:]
    latin = [n for n in others if n.isascii()]
    assert len(latin) == 35 and len(set(names)) == 400
    assert not any(n.isascii() for n in names[:100:2])  # the plan list's facilities
    assert latin[0] == "Regen Repair Clinic 19"  # the 10th clinic outside the plan list
    assert not any(n.isascii() for n in synthetic_pages(template, 50, 0, 0.0))


def test_benchmark_build_prints_time_memory_and_counts():
    result = CliRunner().invoke(build_benchmark, ["--clinics", "40", "--plans", "60"])
    assert result.exit_code == 0, result.output
    assert "exit 0" in result.output and "peak RSS" in result.output and "RSS grew MB" in result.output
    for stage in ("crawl", "build clinics", "build verifications", "rebuild history", "bare load"):
        assert f"\n{stage} " in result.output
    assert "x the bare load's" in result.output
    counts = json.loads(result.output.strip().splitlines()[-1])
    assert counts["plans"] >= 60 and counts["clinics"] >= 40 and counts["clinic_pages"] == counts["clinics"]
