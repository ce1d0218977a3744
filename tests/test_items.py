"""Every record the spiders yield is a declared kind (scrapers/items.py) with only declared fields."""

from __future__ import annotations

import json
from typing import get_type_hints

import pytest

from scrapers.items import RECORDS, WATCHED_FIELDS
from scrapers.pipelines import FieldCoveragePipeline


@pytest.fixture(scope="module")
def crawled(sample_db) -> list[dict]:
    """The items of the bundled offline build, as its feeds wrote them."""
    feeds = sorted((sample_db.parent / "runs").glob("*/items-*.jsonl"))
    assert feeds
    return [json.loads(line) for feed in feeds for line in feed.read_text(encoding="utf-8").splitlines() if line]


def test_every_yielded_record_is_declared(crawled):
    undeclared = {item.get("record") for item in crawled} - set(RECORDS)
    assert undeclared == set()


def test_every_yielded_field_is_declared(crawled):
    extra = {
        (item["record"], key)
        for item in crawled
        for key in item
        if key not in get_type_hints(RECORDS[item["record"]])
    }
    assert extra == set()


def test_coverage_watches_the_declared_fields():
    assert FieldCoveragePipeline.WATCHED is WATCHED_FIELDS
    assert WATCHED_FIELDS["plan"] == ("facility_printed", "prefecture", "address_printed", "therapy_printed", "doc_codes")
