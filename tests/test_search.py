"""Japanese search: trigram FTS over NFKC copies, the instr() fallback for short terms, facets, widths."""

from __future__ import annotations

import importlib.util
import sqlite3
import urllib.parse

import pytest

from saisei.serve import PLUGINS_DIR
from tests.views_world import InProcessDatasette, build_world


def _load_plugin():
    spec = importlib.util.spec_from_file_location("saisei_datasette", PLUGINS_DIR / "saisei_datasette.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


plugin = _load_plugin()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    return build_world(tmp_path_factory.mktemp("search") / "world.db")


@pytest.fixture(scope="module")
def site(world):
    site = InProcessDatasette(world)
    yield site
    site.close()


def search(site, q: str) -> list[dict]:
    return site.json(f"/world/search.json?_shape=array&q={urllib.parse.quote(q)}")


def names(rows: list[dict], kind: str = "plan") -> set[str]:
    return {r["plan"] if kind == "plan" else r["clinic_page"] for r in rows if r["kind"] == kind}


# -- the SQL functions -------------------------------------------------------------------------------------


def test_fts_query_keeps_only_terms_a_trigram_index_can_answer():
    assert plugin.fts_query("脂肪由来") == '"脂肪由来"'
    assert plugin.fts_query("ＰＲＰ　膝") == '"prp"'  # full width folded; 膝 is left to saisei_matches
    assert plugin.fts_query("港区") == ""
    assert plugin.fts_query('AND "NOT" NEAR or') == '"and" "not" "near"'  # operators are plain words


def test_matches_is_a_substring_test_on_folded_text():
    assert plugin.matches("変形性膝関節症に対するＰＲＰ関節内注射", "膝 prp") == 1
    assert plugin.matches("変形性膝関節症に対するPRP", "ｸﾘﾆｯｸ") == 0
    assert plugin.matches("湊見台クリニック", "ｸﾘﾆｯｸ") == 1  # half-width katakana
    assert plugin.matches("anything", "") == 0


def test_plans_fts_holds_normalised_copies(world):
    conn = sqlite3.connect(world)
    therapy = conn.execute(
        "select f.therapy from plans_fts f join plans p on p.rowid = f.rowid where p.id = 'p-minato-prp'"
    ).fetchone()[0]
    printed = conn.execute("select therapy_printed from plans where id = 'p-minato-prp'").fetchone()[0]
    assert "ＰＲＰ" in printed and "PRP" in therapy and "ＰＲＰ" not in therapy
    # the trigram tokenizer itself: 3 characters match, 2 do not
    assert (
        conn.execute("select count(*) from plans_fts where plans_fts match '\"湊見台\"'").fetchone()[0] == 2
    )
    assert conn.execute("select count(*) from plans_fts where plans_fts match '\"港区\"'").fetchone()[0] == 0


# -- the canned search query -------------------------------------------------------------------------------


def test_two_character_query_uses_the_instr_fallback(site):
    rows = search(site, "港区")
    assert names(rows) == {"p-minato-asc", "p-minato-prp"}
    assert names(rows, "clinic") == {"c-minato"}


def test_three_character_query(site):
    rows = search(site, "湊見台")
    assert names(rows) == {"p-minato-asc", "p-minato-prp"}


def test_five_character_query(site):
    rows = search(site, "脂肪由来幹")
    assert names(rows) == {"p-minato-asc", "p-evergreen"}


def test_home_page_example_query_finds_plans_and_clinics(site):
    rows = search(site, "脂肪由来")
    assert {"p-minato-asc", "p-evergreen"} <= names(rows)
    assert {"c-minato", "c-luminous", "c-hoshi"} <= names(
        rows, "clinic"
    )  # through their advertised therapies


@pytest.mark.parametrize("query", ["PRP", "prp", "ＰＲＰ", "ｐｒｐ"])
def test_half_and_full_width_give_the_same_rows(site, query):
    assert names(search(site, query)) == {"p-minato-prp", "p-hoshi-prp", "p-fukuoka-ended"}


def test_mixed_short_and_long_terms_must_all_match(site):
    assert names(search(site, "ＰＲＰ 膝")) == {"p-minato-prp"}
    assert names(search(site, "膝 脂肪")) == {"p-minato-asc", "p-evergreen"}


def test_english_query(site):
    assert names(search(site, "evergreen knee")) == {"p-evergreen"}
    assert names(search(site, "Adipose-derived"), "clinic") >= {"c-minato", "c-luminous"}


def test_no_match_and_empty_query(site):
    assert search(site, "存在しない治療名") == []
    assert search(site, "") == []


# -- table pages: ?_search= and facets ---------------------------------------------------------------------


def table(site, path: str) -> dict:
    return site.json(path + ("&" if "?" in path else "?") + "_shape=objects")


def test_table_search_accepts_full_width_input(site):
    full = table(site, "/world/plans.json?_search=" + urllib.parse.quote("ＰＲＰ"))
    half = table(site, "/world/plans.json?_search=PRP")
    assert (
        {r["id"] for r in full["rows"]}
        == {r["id"] for r in half["rows"]}
        == {
            "p-minato-prp",
            "p-hoshi-prp",
            "p-fukuoka-ended",
        }
    )


def test_table_search_on_clinics(site):
    rows = table(site, "/world/clinics.json?_search=" + urllib.parse.quote("脂肪由来"))["rows"]
    assert {r["id"] for r in rows} >= {"c-minato", "c-luminous", "c-hoshi"}


def test_short_terms_on_table_pages_are_facets(site):
    # a two-character term cannot match a trigram index: the table page finds nothing ...
    assert table(site, "/world/plans.json?_search=" + urllib.parse.quote("港区"))["rows"] == []
    # ... and the same question is a facet
    data = table(
        site,
        "/world/plans.json?_facet=prefecture&_facet=plan_class&prefecture=" + urllib.parse.quote("東京都"),
    )
    assert {r["id"] for r in data["rows"]} == {"p-minato-asc", "p-minato-prp"}
    classes = {f["value"]: f["count"] for f in data["facet_results"]["plan_class"]["results"]}
    assert classes == {2: 2}


def test_default_facets_from_metadata(site):
    data = table(site, "/world/plans.json")
    assert {"plan_class", "prefecture", "bureau"} <= set(data["facet_results"])
    prefectures = {f["value"]: f["count"] for f in data["facet_results"]["prefecture"]["results"]}
    assert prefectures["大阪府"] == 2


def test_indexes_cover_faceted_and_joined_columns(world):
    conn = sqlite3.connect(world)
    indexed = {
        (table, conn.execute(f"pragma index_info('{index}')").fetchone()[2])
        for table, index in conn.execute("select tbl_name, name from sqlite_master where type = 'index'")
    }
    for wanted in [
        ("clinics", "prefecture"),
        ("offerings", "clinic_id"),
        ("offerings", "therapy"),
        ("verifications", "offering_id"),
        ("verifications", "verdict"),
        ("prices", "clinic_id"),
        ("clinic_flags", "clinic_id"),
    ]:
        assert wanted in indexed, wanted
    plan = " ".join(
        r[3] for r in conn.execute("explain query plan select * from offerings where clinic_id = 'c-minato'")
    )
    assert "USING INDEX" in plan
