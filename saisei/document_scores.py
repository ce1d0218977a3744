"""Amount kinds in plan documents, scored on hand-labelled real text (``saisei benchmark documents``).

``data/evaluation/plan_document_amounts.jsonl`` holds, per document, every yen amount a person read in it with
its kind and, for treatment prices, tax, unit, product and first/repeat session. Only the document URL and the
labels are in the repository; the text is read from ``../shared/data/plan_doc_texts.jsonl`` (text a public
scraper stored around the amounts of 473 real documents). Documents were drawn at random (seed 12) and split
before any reading code was written: ``dev`` to tune on, ``test`` scored once before tuning and then only
reported.

An amount is scored as (amount, kind) per document, as a set: the stored text repeats overlapping excerpts,
so the same printed amount can appear several times. A 税抜/税込 pair counts both of its amounts. The baseline
is the reader before this work: every yen amount found is a price (kind ``treatment``). Tax, unit, product and
session are scored on the treatment prices both sides found.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from readers.prices import find_prices
from saisei.extraction_scores import Score
from saisei.paths import ROOT
from scrapers.parsers.document_amounts import DOCUMENT_KINDS, read_amounts

LABELS = ROOT / "data" / "evaluation" / "plan_document_amounts.jsonl"
TEXTS = ROOT.parent / "shared" / "data" / "plan_doc_texts.jsonl"
ATTRIBUTES = ("tax", "unit", "product", "session")

Reader = Callable[[str], list[dict]]


def baseline(text: str) -> list[dict]:
    """The reader before kinds: every yen amount is a treatment price."""
    return [{**price.as_dict(), "kind": "treatment"} for price in find_prices(text, currencies=("JPY",))]


def load(labels: Path = LABELS, texts: Path = TEXTS) -> tuple[list[dict], dict[str, str]]:
    documents = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {d["document_url"] for d in documents}
    text_of = {}
    with texts.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["document_url"] in wanted:
                text_of[row["document_url"]] = row["text"]
    return documents, text_of


def joined_excerpts(text: str) -> str:
    """The stored excerpts (blank-line separated, often overlapping) joined back where one continues another,
    so a table cut by an excerpt's edge reads with its header again, as it does in the PDF."""
    pieces: list[str] = []
    for chunk in (c.strip() for c in text.split("\n\n")):
        if not chunk or any(chunk in piece for piece in pieces):
            continue
        for n, piece in enumerate(pieces):
            joined = _overlap_join(piece, chunk) or _overlap_join(chunk, piece)
            if joined:
                pieces[n] = joined
                break
        else:
            pieces.append(chunk)
    return "\n\n".join(pieces)


def _overlap_join(first: str, second: str, least: int = 30) -> str | None:
    for size in range(min(len(first), len(second)) - 1, least, -1):
        if first.endswith(second[:size]):
            return first + second[size:]
    return None


def _pairs(amounts: list[dict], amount_key: str) -> set[tuple[int, str]]:
    pairs = set()
    for item in amounts:
        pairs.add((item[amount_key], item["kind"]))
        if item.get("amount_excluding_tax"):
            pairs.add((item["amount_excluding_tax"], item["kind"]))
    return pairs


def score_split(documents: list[dict], text_of: dict[str, str], reader: Reader) -> dict:
    """Per-kind Scores, treatment-attribute accuracy and the share of amounts per kind, for one split."""
    kinds = {kind: Score() for kind in DOCUMENT_KINDS}
    attributes = {name: [0, 0] for name in ATTRIBUTES}  # right, compared
    pairs_merged = [0, 0]
    found_kinds: dict[str, int] = defaultdict(int)
    for document in documents:
        url = document["document_url"]
        found = reader(joined_excerpts(text_of[url]))
        for item in found:
            found_kinds[item["kind"]] += 1
        want, got = _pairs(document["amounts"], "amount"), _pairs(found, "amount_min")
        name = url.rsplit("/download/", 1)[-1]
        for kind, score in kinds.items():
            score.add(name, sorted(a for a, k in want if k == kind), sorted(a for a, k in got if k == kind))
        treatments = {}
        for item in found:
            if item["kind"] == "treatment":
                treatments.setdefault(item["amount_min"], item)
        for label in document["amounts"]:
            hit = treatments.get(label["amount"]) if label["kind"] == "treatment" else None
            if label.get("amount_excluding_tax"):
                pairs_merged[1] += 1
                pairs_merged[0] += bool(hit and hit.get("amount_excluding_tax") == label["amount_excluding_tax"])
            if not hit:
                continue
            for name in ATTRIBUTES:
                accepted = label.get(name, [None]) if name in ("tax", "unit") else [label.get(name)]
                if name == "product":
                    accepted = [_product_key(value) for value in accepted]
                value = _product_key(hit.get(name)) if name == "product" else hit.get(name)
                attributes[name][0] += value in accepted
                attributes[name][1] += 1
    return {"kinds": kinds, "attributes": attributes, "pairs": pairs_merged, "found": dict(found_kinds)}


def _product_key(value: str | None) -> str | None:
    return value.upper().replace(" ", "").replace("-", "") if value else None


def _ratio(right: int, total: int) -> str:
    return f"{right / total:.2f} ({right}/{total})" if total else "–"


def report(labels: Path = LABELS, texts: Path = TEXTS, show_misses: bool = False) -> str:
    if not texts.exists():
        return f"{texts} is absent: the labelled text lives outside the repository (see data/evaluation/README.md)."
    documents, text_of = load(labels, texts)
    lines = []
    for split in ("test", "dev"):
        chosen = [d for d in documents if d["split"] == split]
        labelled = sum(len(d["amounts"]) for d in chosen)
        lines.append(f"\n{split}: {len(chosen)} documents, {labelled} labelled amounts")
        lines.append(f"  {'kind':<13} {'labelled':>8}  {'baseline P':>10} {'R':>5}   {'reader P':>8} {'R':>5}")
        results = {name: score_split(chosen, text_of, reader) for name, reader in
                   (("baseline", baseline), ("reader", read_amounts))}
        for kind in DOCUMENT_KINDS:
            base, ours = results["baseline"]["kinds"][kind], results["reader"]["kinds"][kind]
            expected = ours.true_positive + ours.false_negative
            lines.append(f"  {kind:<13} {expected:>8}  {_pr(base)}   {_pr(ours, width=8)}")
        ours = results["reader"]
        attrs = ", ".join(f"{name} {_ratio(*ours['attributes'][name])}" for name in ATTRIBUTES)
        lines.append(f"  treatment prices found by the reader, attributes right: {attrs}")
        lines.append(f"  税抜/税込 pairs read as one price: {_ratio(*ours['pairs'])}")
        total = sum(ours["found"].values())
        shares = ", ".join(f"{kind} {ours['found'].get(kind, 0) / total:.0%}" for kind in DOCUMENT_KINDS) if total else "–"
        lines.append(f"  share of amounts the reader found, per kind: {shares}")
        if show_misses:
            for kind in DOCUMENT_KINDS:
                lines.extend(f"    {kind}: {miss}" for miss in ours["kinds"][kind].misses)
    return "\n".join(lines).lstrip("\n")


def _pr(score: Score, width: int = 10) -> str:
    found = score.true_positive + score.false_positive
    precision = f"{score.precision:.2f}" if found else "–"
    return f"{precision:>{width}} {score.recall:>5.2f}"
