"""Every record the spiders yield is a declared kind (scrapers/items.py) with only declared fields."""

from __future__ import annotations

import importlib
import inspect
import json
from typing import get_type_hints

import pytest

from saisei.tables import WRITERS
from scrapers.items import RECORDS, WATCHED_FIELDS, WRITTEN_BY
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


def test_every_record_kind_names_its_writer_and_the_writer_reads_it():
    assert list(WRITTEN_BY) == list(RECORDS)
    for kind, module_name in WRITTEN_BY.items():
        if module_name is None:
            continue
        module = importlib.import_module(module_name)
        assert callable(module.write), module_name
        assert f'"{kind}"' in inspect.getsource(module), f"{module_name} never reads {kind} records"
    assert {kind for kind, module in WRITTEN_BY.items() if module is None} == {"press_release", "problem"}


def test_writers_run_record_writers_first_then_the_derived_tables():
    assert [w.__module__.rsplit(".", 1)[1] for w in WRITERS] == [
        "plans", "registries", "clinics", "verifications", "history", "search", "cards", "clinic_pages",
    ]
