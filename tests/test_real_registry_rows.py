"""The real rows of ../shared/data/registry_sample.tsv, rendered into the plan-list layout here (never committed),
must all come out of the parser with the same facility, prefecture, therapy and document code."""

from __future__ import annotations

import html
from collections import Counter

from parsel import Selector

from saisei.tables.plans import assign_plan_ids
from scrapers.parsers.plan_table import parse_plan_table
from scrapers.pipelines import NormalisePlanPipeline
from tests.conftest import shared_sample_rows

URL = "https://saiseiiryo.mhlw.go.jp/published_plan/index/{}"


def printed(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def render(rows: list[dict]) -> str:
    """The documented layout: td0 facility, td1 prefecture, td2 address, td4 therapy, td7 資料 links."""
    trs = []
    for row in rows:
        links = "".join(
            f'<a href="/published_plan/download/{row["doc_code"]}/5/{n}">資料{n}</a><br>'
            for n in range(1, int(row["n_docs"] or 1) + 1)
        )
        cells = [row["facility"], row["prefecture"], row["address"], "", row["treatment"], "", ""]
        trs.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + f"<td>{links}</td></tr>")
    return f"<html><body><table><tr><th>医療機関名称</th></tr>{''.join(trs)}</table></body></html>"


def parse_class(rows: list[dict], plan_class: str):
    subset = [r for r in rows if r["kind"] == plan_class]
    table = parse_plan_table(Selector(text=render(subset)), URL.format(plan_class))
    return subset, table


def test_every_real_row_survives_with_its_fields():
    rows = shared_sample_rows()
    total = 0
    for plan_class in ("2", "3"):
        subset, table = parse_class(rows, plan_class)
        assert table.unparsed == [], table.unparsed[:3]
        assert len(table.plans) == len(subset)
        for row, plan in zip(subset, table.plans, strict=True):
            # An HTML parser reads a CR LF inside a cell as LF, as a browser does.
            assert plan["facility_printed"] == printed(row["facility"])
            assert plan["prefecture"] == row["prefecture"]
            assert plan["address_printed"] == printed(row["address"])
            assert plan["therapy_printed"] == printed(row["treatment"])
            assert plan["doc_codes"] == [row["doc_code"]]
            assert len(plan["documents"]) == int(row["n_docs"] or 1)
        total += len(table.plans)
    assert total == len(rows) == 1018


def test_real_rows_get_distinct_stable_ids():
    rows = shared_sample_rows()
    pipeline = NormalisePlanPipeline()
    plans = []
    for plan_class in ("2", "3"):
        _, table = parse_class(rows, plan_class)
        plans += [pipeline.process_item({"record": "plan", "plan_class": int(plan_class), **p}) for p in table.plans]
    with_ids, duplicates = assign_plan_ids(plans)
    ids = [p["id"] for p in with_ids]
    assert duplicates == 0
    assert len(set(ids)) == len(ids) == 1018
    # The sample holds four pairs of plans filed under the very same name by the same facility.
    assert sum(1 for i in ids if i.endswith("-2")) == 4


def test_real_names_normalise_to_clean_keys():
    rows = shared_sample_rows()
    pipeline = NormalisePlanPipeline()
    keys = Counter()
    for row in rows:
        item = pipeline.process_item(
            {"record": "plan", "plan_class": int(row["kind"]), "facility_printed": row["facility"],
             "address_printed": row["address"], "therapy_printed": row["treatment"], "prefecture": row["prefecture"]}
        )
        assert "\r" not in item["facility"] and "\n" not in item["facility"] and "\u3000" not in item["facility"]
        assert "⼈" not in item["facility"]  # Kangxi radical folded to 人
        assert not item["facility_key"].startswith(("医療法人", "社会医療法人", "一般社団法人"))
        keys[item["facility_key"]] += 1
    # spelling variants of one facility collapse: the same institution with and without its corporation
    assert keys["dクリニック札幌"] >= 2
