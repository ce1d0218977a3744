"""Problems travel with the data: a spider run the Scrapy way (``scrapy crawl``, CrawlerProcess) writes its
problems into its item feed, and the build fills ``crawl_problems`` from there, counting them as errors and
warnings, never as items. Offline over the bundled archive; each crawl in its own process (one reactor each)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from saisei.paths import BUNDLED_ARCHIVE
from tests.conftest import ROOT

MISSING_ID = "jRCTb099999901"  # not in the sample archive: its request is skipped, an error


def feed(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_scrapy_crawl_writes_problem_items_into_its_output(tmp_path):
    out = tmp_path / "jrct.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "jrct_plans", "-a", f"ids={MISSING_ID}", "-O", str(out),
         "-s", f"SAISEI_REPLAY_ARCHIVE={BUNDLED_ARCHIVE}", "-s", "LOG_LEVEL=WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    items = feed(out)
    problems = [i for i in items if i["record"] == "problem"]
    assert [(p["kind"], p["severity"]) for p in problems] == [("not_fetched", "error")]
    assert MISSING_ID in problems[0]["url"] and "not in the archive" in problems[0]["message"]
    assert sorted(i["record"] for i in items if i["record"] != "problem") == ["research_plan"] * 3


CRAWL = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from saisei.crawl import run_crawl
    from scrapers.spiders.mhlw_committees import MhlwCommitteesSpider

    class MhlwCommitteesSpider(MhlwCommitteesSpider):
        def closing_problems(self):
            self.totals[1] += 1  # list 1 now prints one row more than its pages held
            return super().closing_problems()

    result = run_crawl(Path(sys.argv[1]), archive=Path(sys.argv[2]), spiders=(MhlwCommitteesSpider,),
                       overrides={"SAISEI_PROGRESS": False})
    run = result.runs[0]
    print(json.dumps({"items": run.items, "errors": run.errors, "problems": run.problems,
                      "scraped": run.stats["item_scraped_count"], "finish_reason": run.finish_reason}))
    """
)


def test_a_problem_known_only_at_the_end_is_an_item_and_the_run_counts_it_as_an_error(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CRAWL, str(tmp_path / "run"), str(BUNDLED_ARCHIVE)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    run = json.loads(done.stdout.strip().splitlines()[-1])
    assert run["finish_reason"] == "finished"
    assert [(p["kind"], p["severity"]) for p in run["problems"]] == [("rows_lost", "error")]
    assert "全9件" in run["problems"][0]["message"]
    # the problem is in the feed, counted as an error, and not as one of the 11 committees
    assert (run["items"], run["errors"], run["scraped"]) == (11, 1, 12)
    in_feed = [i for i in feed(tmp_path / "run" / "items-mhlw_committees.jsonl") if i["record"] == "problem"]
    assert [{k: v for k, v in p.items() if k != "record"} for p in in_feed] == run["problems"]
