"""The streamed plan list and the streamed build (issue 14): same result as reading everything at once, with
a bounded number of items held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from scrapy.http import HtmlResponse

from saisei.benchmarks.plans import generate_plan_page
from saisei.feeds import ItemFeeds
from saisei.tables import plans
from saisei.tables.context import BuildContext
from scrapers.parsers.plan_stream import stream_plan_table
from scrapers.parsers.plan_table import PlanTableError, parse_plan_table

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "mhlw_plans"
URL = "https://saiseiiryo.mhlw.go.jp/published_plan/index/2"
PAGES = {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.html"))}
PAGES["generated_utf8"] = generate_plan_page(800, duplicate_every=100).body
PAGES["generated_sjis"] = generate_plan_page(800, encoding="shift_jis").body


def _read(reader, response):
    try:
        table = reader(response)
    except PlanTableError as error:
        return ("refused", error.reason, str(error))
    return (list(table.plans), [vars(u) for u in table.unparsed], table.headers)


@pytest.mark.parametrize("name", PAGES)
def test_the_stream_reads_what_the_whole_page_reads(name):
    response = HtmlResponse(url=URL, body=PAGES[name], headers={"Content-Type": "text/html"})
    whole = _read(lambda r: parse_plan_table(r.selector, r.url), response)
    streamed = _read(lambda r: stream_plan_table(r.body, r.url, r.encoding), response)
    assert streamed == whole


class Tracked(dict):
    """An item that counts how many of its kind are alive, to bound what a writer holds."""

    live = peak = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        Tracked.live += 1
        Tracked.peak = max(Tracked.peak, Tracked.live)

    def __del__(self):
        Tracked.live -= 1


class TrackedFeed:
    """A re-iterable feed of generated plan items, as ItemFeeds gives them."""

    def __init__(self, items: list[dict]):
        self.lines = [json.dumps(item, ensure_ascii=False) for item in items]

    def __iter__(self):
        for line in self.lines:
            yield Tracked(json.loads(line))

    def __len__(self):
        return len(self.lines)


def _plan_items(rows: int) -> list[dict]:
    from scrapers.pipelines import NormalisePlanPipeline

    page = generate_plan_page(rows, duplicate_every=250)
    response = HtmlResponse(url=URL, body=page.body, headers={"Content-Type": "text/html"})
    pipeline = NormalisePlanPipeline()
    return [pipeline.process_item({"record": "plan", "plan_class": 2, **plan, "source_url": URL,
                                   "fetched_at": "2026-11-20T03:00:00Z"})
            for plan in stream_plan_table(response.body, URL, response.encoding).plans]


def test_the_plans_writer_holds_a_few_items_not_the_spider(tmp_path):
    items = _plan_items(3000)
    Tracked.live = Tracked.peak = 0
    db = sqlite_utils.Database(tmp_path / "new.db")
    context = BuildContext(run_id="r", archive=None, sample=True, previous_db=tmp_path / "none.db", run_at="t")
    plans.write(db, {"plan": TrackedFeed(items)}, context)
    assert Tracked.peak <= 5  # one item at a time (plus the writer's look-ahead), never the 3,000
    with_ids, duplicates = plans.assign_plan_ids([dict(i) for i in items])
    assert context.notes["duplicate_rows"] == duplicates == 3000 // 250
    assert {r["id"] for r in db["plans"].rows} == {p["id"] for p in with_ids}
    assert db["plan_documents"].count == sum(len(p["documents"]) for p in with_ids)


def test_item_feeds_stream_each_kind_from_the_files_that_hold_it(tmp_path):
    (tmp_path / "items-a.jsonl").write_text(
        "\n".join(json.dumps({"record": kind, "n": n}) for n, kind in enumerate(["plan", "committee", "plan"])) + "\n",
        encoding="utf-8")
    (tmp_path / "items-b.jsonl").write_text(json.dumps({"record": "clinic_page", "n": 9}) + "\n", encoding="utf-8")
    feeds = ItemFeeds.from_dir(tmp_path)
    assert feeds.counts() == {"plan": 2, "committee": 1, "clinic_page": 1}
    assert [i["n"] for i in feeds["plan"]] == [0, 2] == [i["n"] for i in feeds.get("plan")]  # again, from disk
    assert feeds.get("plan").paths == [tmp_path / "items-a.jsonl"]
    assert list(feeds.get("research_plan", [])) == [] and "research_plan" not in feeds
