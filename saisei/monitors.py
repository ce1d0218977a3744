"""Per-run monitors: is this crawl fit to publish? Item counts against history, field coverage, errors.

Each check passes, warns or fails; a failed check is a guard: the build does not publish (unless ``--force``).
The checks compare a run with the last *published* run of the same spider, read from ``crawl_runs`` of the
database being replaced, in the spirit of spidermon's history monitors but without a second framework.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from saisei.crawl import CrawlResult, SpiderRun

DEFAULT_MIN_SHARE = 0.9


@dataclass
class Check:
    spider: str
    name: str
    status: str  # "pass" | "warn" | "fail"
    message: str


def last_published(previous_runs: list[dict], spider: str) -> dict | None:
    runs = [r for r in previous_runs if r.get("spider") == spider and r.get("status") in ("ok", "forced")]
    return max(runs, key=lambda r: r.get("started_at") or "", default=None)


def coverage(stats: dict) -> dict[str, float]:
    """Share of items of each record kind that carry each watched field, from the pipeline's stats."""
    result = {}
    for key, missing in stats.items():
        parts = key.split("/")
        if len(parts) == 5 and parts[:2] == ["saisei", "field"] and parts[4] == "missing":
            record, field = parts[2], parts[3]
            total = stats.get(f"saisei/items/{record}") or 0
            if total:
                result[f"{record}.{field}"] = 1 - missing / total
    return result


def check_run(run: SpiderRun, previous: dict | None, min_share: float) -> list[Check]:
    checks = []
    ok_end = run.finish_reason == "finished"
    checks.append(Check(run.spider, "finished", "pass" if ok_end else "fail", f"closed with '{run.finish_reason}'"))
    checks.append(
        Check(run.spider, "errors", "fail" if run.errors else "pass", f"{run.errors} error(s), {run.warnings} warning(s)")
    )
    if previous and previous.get("items"):
        share = run.items / previous["items"]
        status = "fail" if share < min_share else "pass"
        message = (
            f"{run.items} items, {share:.0%} of the last published run ({previous['items']} on "
            f"{previous.get('started_at', '?')}); minimum {min_share:.0%}"
        )
        checks.append(Check(run.spider, "item_count", status, message))
    else:
        checks.append(Check(run.spider, "item_count", "pass" if run.items else "fail", f"{run.items} items (no history)"))
    before = coverage(json.loads(previous["stats"])) if previous and previous.get("stats") else {}
    for field, share in sorted(coverage(run.stats).items()):
        dropped = field in before and before[field] - share > 0.2
        status = "warn" if dropped else "pass"
        was = f" (was {before[field]:.0%})" if field in before else ""
        checks.append(Check(run.spider, f"coverage:{field}", status, f"{share:.0%} of items have it{was}"))
    return checks


def run_monitors(result: CrawlResult, previous_runs: list[dict], min_share: float = DEFAULT_MIN_SHARE) -> list[Check]:
    checks = []
    for run in result.runs:
        checks += check_run(run, last_published(previous_runs, run.spider), min_share)
    return checks


def failures(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.status == "fail"]


def as_json(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]


def as_text(checks: list[Check]) -> str:
    marks = {"pass": "ok  ", "warn": "WARN", "fail": "FAIL"}
    return "\n".join(f"{marks[c.status]} {c.spider:<16} {c.name:<28} {c.message}" for c in checks)
