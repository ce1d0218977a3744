"""Extraction precision and recall on the hand-written fixtures (``saisei evaluate-extraction``).

Each fixture page in ``tests/fixtures/clinic_pages/`` has a JSON beside it with the URL, the headers it was
served with and what a careful reader finds on it. Expectations were written with the pages, not read back from
the extractor, so a miss here is a miss of the extractor. Scores are micro-averaged over all pages:

- identifiers: (kind, canonical) pairs; a label that differs from the expected one counts as a separate miss
  in ``identifier labels``;
- therapies: taxonomy codes offered on the page;
- prices: (amount_min, amount_max, currency, tax, unit) tuples; the therapy each price is attributed to is
  scored separately as ``price therapy``.
Directory fixtures (``tests/fixtures/directory_pages/``) are scored on (clinic, price band, unit) listings.

The baseline (:func:`naive_extract`) is a first scraper's approach, run in the same process on the same pages.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from readers.taxonomy import classify_therapy
from scrapers.parsers.clinic_page import extract_clinic_page
from scrapers.parsers.directory_page import extract_directory_page

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, page: str, expected: list, found: list) -> None:
        want, got = Counter(map(_freeze, expected)), Counter(map(_freeze, found))
        hits = want & got
        self.true_positive += sum(hits.values())
        for item, count in (got - want).items():
            self.false_positive += count
            self.misses.append(f"{page}: unexpected {item}")
        for item, count in (want - got).items():
            self.false_negative += count
            self.misses.append(f"{page}: missed {item}")

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0


def _freeze(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def fixture_pages(folder: Path) -> list[tuple[str, dict, bytes]]:
    pages = []
    for meta_path in sorted(folder.glob("*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        pages.append((meta_path.stem, meta, (folder / meta["file"]).read_bytes()))
    return pages


_NAIVE_ID = re.compile(r"P[ABC]\d{7}|N[AB]\d{7}|F[ABC]\d{7}|jRCT[abc]\d{9}|\d{2}[A-G]\d{7}")
_NAIVE_KIND = {"P": "plan_number", "N": "committee_number", "F": "facility_number", "j": "jrct_id"}


def naive_extract(body: bytes, url: str, headers: dict) -> dict:
    """The baseline: trust the header charset, strip tags with a regex, ASCII patterns, one amount per 円.

    What a first scraper of these pages would do; the benchmark prints the extractor's scores against it.
    """
    charset = re.search(r"charset=([\w-]+)", headers.get("Content-Type", ""))
    text = body.decode(charset.group(1) if charset else "utf-8", errors="replace")
    text = re.sub(r"<[^>]+>", " ", text)
    identifiers = [{"kind": _NAIVE_KIND.get(m.group(0)[0], "doc_code"), "canonical": m.group(0), "label": None}
                   for m in _NAIVE_ID.finditer(text)]
    prices = [{"amount_min": int(m.group(1).replace(",", "")), "amount_max": int(m.group(1).replace(",", "")),
               "currency": "JPY", "tax": None, "unit": None, "therapy": None}
              for m in re.finditer(r"(\d{1,3}(?:,\d{3})+|\d{4,})円", text)]
    therapies = [classify_therapy(text)] if re.search(r"PRP|幹細胞|stem|上清|エクソソーム|骨髄|SVF|APS|PFC", text) else []
    return {"identifiers": identifiers, "prices": prices, "offerings": [{"therapy": t} for t in therapies]}


def score_clinic_pages(folder: Path = FIXTURES / "clinic_pages", extract=extract_clinic_page) -> dict[str, Score]:
    scores = {name: Score() for name in ("identifiers", "identifier labels", "therapies", "prices", "price therapy")}
    for name, meta, body in fixture_pages(folder):
        expected = meta["expected"]
        result = extract(body, meta["url"], meta["headers"])
        scores["identifiers"].add(
            name,
            [(i["kind"], i["canonical"]) for i in expected["identifiers"]],
            [(i["kind"], i["canonical"]) for i in result["identifiers"]],
        )
        scores["identifier labels"].add(
            name,
            [(i["canonical"], i["label"]) for i in expected["identifiers"]],
            [(i["canonical"], i["label"]) for i in result["identifiers"]],
        )
        scores["therapies"].add(name, expected["therapies"], sorted({o["therapy"] for o in result["offerings"]}))
        keys = ("amount_min", "amount_max", "currency", "tax", "unit")
        scores["prices"].add(
            name,
            [tuple(p[k] for k in keys) for p in expected["prices"]],
            [tuple(p[k] for k in keys) for p in result["prices"]],
        )
        scores["price therapy"].add(
            name,
            [(p["amount_min"], p["currency"], p["therapy"]) for p in expected["prices"]],
            [(p["amount_min"], p["currency"], p["therapy"]) for p in result["prices"]],
        )
    return scores


def score_directory_pages(folder: Path = FIXTURES / "directory_pages") -> dict[str, Score]:
    scores = {"directory listings": Score(), "directory claims": Score()}
    keys = ("clinic_name", "city", "therapy", "price_usd_min", "price_usd_max", "unit", "cell_count", "clinic_url")
    for name, meta, body in fixture_pages(folder):
        result = extract_directory_page(body, meta["url"], meta["headers"])
        expected = meta["expected"]["listings"]
        scores["directory listings"].add(
            name, [tuple(x[k] for k in keys) for x in expected], [tuple(x[k] for k in keys) for x in result["listings"]]
        )
        scores["directory claims"].add(
            name,
            [(x["clinic_name"], x["price_usd_min"], tuple(sorted(x["claims"]))) for x in expected],
            [(x["clinic_name"], x["price_usd_min"], tuple(sorted({c["kind"] for c in x["claims"]})))
             for x in result["listings"]],
        )
    return scores


def report(show_misses: bool = False, baseline: bool = True) -> str:
    scores = {**score_clinic_pages(), **score_directory_pages()}
    naive = score_clinic_pages(extract=naive_extract) if baseline else {}
    pages = len(list((FIXTURES / "clinic_pages").glob("*.json")))
    directories = len(list((FIXTURES / "directory_pages").glob("*.json")))
    lines = [
        f"extraction scores on {pages} clinic pages and {directories} directory pages (tests/fixtures/)",
        f"{'field':<20} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for name, score in scores.items():
        line = (
            f"{name:<20} {score.precision:>9.3f} {score.recall:>7.3f} "
            f"{score.true_positive:>4} {score.false_positive:>4} {score.false_negative:>4}"
        )
        if name in naive:
            line += f"   baseline P {naive[name].precision:.3f} R {naive[name].recall:.3f}"
        lines.append(line)
    if show_misses:
        for name, score in scores.items():
            lines.extend(f"  [{name}] {miss}" for miss in score.misses)
    return "\n".join(lines)
