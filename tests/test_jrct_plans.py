"""jrct_plans over saved responses: sample records, a suspended study in full-width text, missing and changed pages."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
import sqlite_utils
from scrapy.utils.test import get_crawler

from saisei.paths import SAMPLE_SOURCES
from scrapers.parsers.jrct import canonical_jrct_id, status_of
from scrapers.spiders.jrct_plans import JRCT_URL, JrctPlansSpider, claimed_ids, seed_ids
from tests.conftest import bound_spider, fixture_response, without_problems

PAGES = SAMPLE_SOURCES / "pages" / "jrct.niph.go.jp" / "latest-detail"


def parse(relative: str, jrct_id: str):
    spider = bound_spider(JrctPlansSpider)
    output = list(spider.parse(fixture_response(relative, JRCT_URL.format(jrct_id=jrct_id)), jrct_id=jrct_id))
    return spider, without_problems(output)


def sample_record(jrct_id: str) -> dict:
    spider, [item] = parse(str(PAGES / f"{jrct_id}.html"), jrct_id)
    assert not spider.problems
    return item


def test_recruiting_class_two_record_reads_every_field():
    item = sample_record("jRCTb030240901")
    assert item["record"] == "research_plan" and item["plan_class"] == 2
    assert item["title_printed"].startswith("変形性膝関節症患者を対象とした")
    assert item["institution_printed"] == "東都医科大学附属病院"
    assert (item["committee_name_printed"], item["committee_number"]) == ("東都再生医療特定認定委員会", "NA8190901")
    assert (item["status"], item["discontinued"]) == ("recruiting", 0)
    assert (item["filed_on"], item["first_published"], item["last_updated"]) == ("2024-06-03", "2024-06-10", "2026-04-15")


def test_discontinued_record_keeps_its_date_and_reason():
    item = sample_record("jRCTb070220903")
    assert item["discontinued"] == 1 and item["discontinued_on"] == "2024-03-29"
    assert "症例登録" in item["discontinuation_reason"]
    assert item["status"] == "discontinued"


def test_class_three_completed():
    item = sample_record("jRCTc050230902")
    assert (item["plan_class"], item["status"]) == (3, "completed")


def test_full_width_id_era_dates_and_a_suspended_study():
    _, [item] = parse("jrct_plans/suspended_fullwidth.html", "jRCTb040240971")
    assert item["jrct_id"] == "jRCTb040240971"
    assert item["plan_class"] == 2  # from the id's letter: the page prints no class
    assert item["status"] == "suspended"  # 募集中断, not 募集中
    assert (item["first_published"], item["last_updated"]) == ("2024-05-01", "2025-01-31")
    assert item["committee_number"] == "NA8200903"


def test_an_unknown_id_is_a_warning_not_an_item():
    spider, items = parse("jrct_plans/not_found.html", "jRCTb040240999")
    assert items == []
    assert [(p["kind"], p["severity"]) for p in spider.problems] == [("jrct_not_found", "warning")]


@pytest.mark.parametrize("fixture", ["jrct_plans/labels_renamed.html", "mhlw_plans/maintenance.html"])
def test_a_page_that_is_not_a_record_is_an_error(fixture):
    spider, items = parse(fixture, "jRCTb040240971")
    assert items == []
    assert [(p["kind"], p["severity"]) for p in spider.problems] == [("structure", "error")]


def test_a_page_showing_another_id_is_an_error():
    spider, items = parse(str(PAGES / "jRCTc050230902.html"), "jRCTb030240901")
    assert items == [] and "expected jRCTb030240901" in spider.problems[0]["message"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ｊＲＣＴｂ０３０１９０１３４", "jRCTb030190134"), ("JRCTA050190104", "jRCTa050190104"),
     ("jRCTs031180001", None), ("jRCTb0301", None)],
)
def test_jrct_ids_are_canonical_and_only_those_under_the_act(text, expected):
    assert canonical_jrct_id(text) == expected


def test_status_words_longest_first():
    assert status_of("募集中断") == "suspended" and status_of("募集中") == "recruiting" and status_of("") is None


def test_seeds_come_from_the_file_the_argument_and_the_previous_claims(tmp_path):
    seeds = tmp_path / "ids.txt"
    seeds.write_text("# comment\njRCTb030240901  # a\n\nｊＲＣＴｃ０５０２３０９０２\n", encoding="utf-8")
    assert seed_ids(seeds) == ["jRCTb030240901", "jRCTc050230902"]
    previous = tmp_path / "old.db"
    with sqlite3.connect(previous) as conn:
        conn.execute("create table claims (identifier_kind text, canonical text)")
        conn.executemany("insert into claims values (?, ?)",
                         [("jrct_id", "jRCTb070220903"), ("plan_number", "PB3180014"), ("jrct_id", "jRCTb030240901")])
    assert claimed_ids(previous) == ["jRCTb070220903", "jRCTb030240901"]
    assert claimed_ids(tmp_path / "missing.db") == []
    crawler = get_crawler(JrctPlansSpider, settings_dict={"SAISEI_PREVIOUS_DB": str(previous)})
    spider = JrctPlansSpider.from_crawler(crawler, ids="jRCTa050190104,junk", seed_file=str(seeds))

    async def urls():
        return [request.url async for request in spider.start()]

    assert asyncio.run(urls()) == [JRCT_URL.format(jrct_id=i) for i in
                                   ("jRCTb030240901", "jRCTc050230902", "jRCTa050190104", "jRCTb070220903")]


def test_a_previous_database_without_claims_adds_nothing(tmp_path):
    previous = tmp_path / "old.db"
    sqlite3.connect(previous).close()
    assert claimed_ids(previous) == []


@pytest.mark.slow
def test_sample_build_links_research_plans_to_their_committees(sample_db):
    db = sqlite_utils.Database(sample_db)
    plans = {row["id"]: row for row in db["research_plans"].rows}
    assert set(plans) == {"jRCTb030240901", "jRCTc050230902", "jRCTb070220903"}
    assert plans["jRCTb070220903"]["discontinued"] == 1
    assert {p["committee_id"] for p in plans.values()} == {"NA8190901", "NB5200909", "NA8180904"}
