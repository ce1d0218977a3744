"""The labelled evaluation set: precision and recall of the verdicts, and the confusion matrix.

``data/evaluation/cases.jsonl`` holds one case per line: a clinic as a page or directory would print it, the
therapy it offers, the registry rows the case needs, and the expected verdict. Fictional cases carry their own
registry rows. Cases about real registry rows name them by document code only (``ref``); the row itself is
read at run time from ``../shared/data/registry_sample.tsv`` and the clinic's name is derived from it by named
``transforms`` (drop the corporation, fold the kana, add a branch, …), so no real row is copied into the
repository. Those cases are skipped when the shared file is absent.

Case fields: ``id``, ``category``, ``clinic`` {name | from_ref + transforms, prefecture, address, and for a
directory listing ``site``: the name, prefecture and address on the clinic's own linked site},
``therapy`` (taxonomy code), ``offered_text``, ``registry`` [fictional plan rows], ``refs`` [{doc_code,
status}], ``expected`` (a verdict), and optional ``expected_facility`` (the registry facility a correct match
finds, as a document code of one of its plans).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jaconv

from readers.identifiers import find_identifiers
from readers.normalize import split_corporation
from readers.taxonomy import classify_therapy
from verify.matching import RegistryIndex, probe_for
from verify.verdicts import decide, number_flags
from verify.vocabulary import VERDICTS

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "data" / "evaluation" / "cases.jsonl"
SHARED_ROWS = ROOT.parent / "shared" / "data" / "registry_sample.tsv"


@dataclass
class Outcome:
    case_id: str
    category: str
    expected: str
    predicted: str
    matched_doc_codes: list[str]
    expected_facility: str | None
    expected_flags: set[str] | None = None
    predicted_flags: set[str] | None = None

    @property
    def facility_found(self) -> bool | None:
        """Whether the match found the expected facility (None when the case names none)."""
        if not self.expected_facility:
            return None
        return self.expected_facility in self.matched_doc_codes


@dataclass
class Report:
    outcomes: list[Outcome]
    skipped: list[str]

    def confusion(self) -> dict[str, Counter]:
        matrix: dict[str, Counter] = {v: Counter() for v in VERDICTS}
        for outcome in self.outcomes:
            matrix[outcome.expected][outcome.predicted] += 1
        return matrix

    def per_verdict(self) -> dict[str, dict]:
        result = {}
        for verdict in VERDICTS:
            tp = sum(1 for o in self.outcomes if o.expected == verdict and o.predicted == verdict)
            predicted = sum(1 for o in self.outcomes if o.predicted == verdict)
            actual = sum(1 for o in self.outcomes if o.expected == verdict)
            result[verdict] = {
                "precision": tp / predicted if predicted else None,
                "recall": tp / actual if actual else None,
                "support": actual,
                "predicted": predicted,
            }
        return result

    @property
    def accuracy(self) -> float:
        return sum(o.expected == o.predicted for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    def per_flag(self) -> dict[str, dict]:
        """Precision and recall of the number flags over the cases that print numbers."""
        judged = [o for o in self.outcomes if o.expected_flags is not None]
        result = {}
        for flag in sorted({f for o in judged for f in (o.expected_flags | o.predicted_flags)}):
            tp = sum(1 for o in judged if flag in o.expected_flags and flag in o.predicted_flags)
            predicted = sum(1 for o in judged if flag in o.predicted_flags)
            actual = sum(1 for o in judged if flag in o.expected_flags)
            result[flag] = {"precision": tp / predicted if predicted else None,
                            "recall": tp / actual if actual else None, "support": actual, "predicted": predicted}
        return result

    def match_recall(self) -> float | None:
        """Share of cases naming an expected facility in which the matcher found it."""
        judged = [o.facility_found for o in self.outcomes if o.facility_found is not None]
        return sum(judged) / len(judged) if judged else None


def load_cases(path: Path = CASES) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip() and not line.startswith("//")]


def load_shared_rows(path: Path = SHARED_ROWS) -> dict[str, dict] | None:
    """Real registry rows by document code, as plan dicts; None when the shared file is absent."""
    if not path.exists():
        return None
    rows = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            facility = row["facility"].replace("\\r\\n", "\r\n")
            rows[row["doc_code"]] = {
                "id": row["doc_code"],
                "plan_class": int(row["kind"]),
                "prefecture": row["prefecture"],
                "facility_printed": facility,
                "address_printed": row["address"].replace("\\r\\n", " ") or None,
                "therapy": row["treatment"].replace("\\r\\n", " "),
                "doc_code": row["doc_code"],
                "doc_codes": json.dumps([row["doc_code"]]),
            }
    return rows


def _kata_to_hira(text: str) -> str:
    return jaconv.kata2hira(text)


TRANSFORMS: dict[str, Callable[[str, str], str]] = {
    "drop_corporation": lambda name, _: split_corporation(name)[1],
    "corporation_only_form": lambda name, _: name.replace("医療法人社団", "医療法人"),
    "hiragana": lambda name, _: _kata_to_hira(name),
    "katakana": lambda name, _: jaconv.hira2kata(name),
    "fullwidth": lambda name, _: jaconv.h2z(name, kana=False, ascii=True, digit=True),
    "halfwidth_kana": lambda name, _: jaconv.z2h(name, kana=True, ascii=False, digit=False),
    "spaces": lambda name, _: name.replace("クリニック", " クリニック ").replace("病院", " 病院"),
    "one_line": lambda name, _: " ".join(name.split()),
    "lower": lambda name, _: name.lower(),
    "add_branch": lambda name, arg: f"{name} {arg}",
    "prefix": lambda name, arg: f"{arg}{name}",
    "suffix": lambda name, arg: f"{name}{arg}",
    "drop_suffix": lambda name, arg: name[: -len(arg)] if name.endswith(arg) else name,
}


def derive_name(name: str, transforms: list[str]) -> str:
    for transform in transforms:
        op, _, arg = transform.partition(":")
        name = TRANSFORMS[op](name, arg)
    return name


def materialize(case: dict, shared: dict[str, dict] | None) -> tuple[dict, list[dict]] | None:
    """(clinic fields, registry plans) of a case, or None when it needs the absent shared rows."""
    plans = [dict(p) for p in case.get("registry", [])]
    refs = case.get("refs", [])
    clinic = dict(case["clinic"])
    if refs or clinic.get("from_ref"):
        if shared is None:
            return None
        status = {ref["doc_code"]: ref.get("status", "current") for ref in refs}
        if any(code not in shared for code in status):
            return None
        # the whole shared sample is the background registry: real namesakes and neighbours included
        plans.extend({**row, "status": status.get(code, "current")} for code, row in shared.items())
        if clinic.get("from_ref"):
            row = shared.get(clinic["from_ref"])
            if row is None:
                return None
            clinic["name"] = derive_name(row["facility_printed"], clinic.get("transforms", []))
            clinic.setdefault("prefecture", row["prefecture"])
            if clinic.get("address") == "same":
                clinic["address"] = row["address_printed"]
    if clinic.get("site"):
        # a directory listing that links the clinic's own site is matched through what that site says
        clinic = {**clinic, **clinic["site"], "listed_as": clinic.get("name")}
    for plan in plans:
        plan.setdefault("status", "current")
        plan.setdefault("doc_codes", json.dumps([plan.get("doc_code")] if plan.get("doc_code") else []))
        plan.setdefault("facility_printed", plan.get("facility"))
        plan.setdefault("id", plan.get("doc_code"))
    return clinic, plans


def predict(case: dict, clinic: dict, plans: list[dict], index_factory=RegistryIndex):
    """The verdict the verification step gives for a case, the document codes of the matched facility, and
    the number flags when the case prints numbers."""
    current = index_factory([p for p in plans if p["status"] == "current"])
    ended = index_factory([{**p, "_how": "gone"} for p in plans if p["status"] == "ended"])
    probe = probe_for(clinic.get("name"), clinic.get("prefecture"), clinic.get("address"))
    match = current.best(probe)
    ended_plans = [(p, "gone") for m in ended.match(probe) for p in m.facility.plans]
    therapy = case.get("therapy") or classify_therapy(case.get("offered_text", ""))
    verdict = decide(therapy, clinic_name=clinic.get("name") or "", match=match, ended=ended_plans,
                     offered_text=case.get("offered_text", ""))
    codes = [p.get("doc_code") for p in match.facility.plans] if match else []
    codes += [p.get("doc_code") for p, _ in ended_plans]
    flags = None
    if "page_text" in case:
        claims = [
            {"identifier_kind": i.kind, "printed": i.printed, "canonical": i.canonical, "label": i.label,
             "context": i.context, "lookalikes": list(i.lookalikes), "fields": i.fields}
            for i in find_identifiers(case["page_text"])
        ]
        owners = {p["doc_code"]: p for p in plans if p.get("doc_code")}
        found = number_flags(claims, clinic_prefecture=probe.prefecture, therapies=[therapy],
                             own_plans=match.facility.plans if match else [], doc_code_owner=owners,
                             claimed_elsewhere={})
        flags = {f.flag for f in found}
    return verdict.verdict, [c for c in codes if c], flags


def evaluate(cases: list[dict] | None = None, shared: dict | None | bool = True, index_factory=RegistryIndex) -> Report:
    cases = load_cases() if cases is None else cases
    rows = load_shared_rows() if shared is True else (shared or None)
    outcomes, skipped = [], []
    for case in cases:
        built = materialize(case, rows)
        if built is None:
            skipped.append(case["id"])
            continue
        clinic, plans = built
        predicted, codes, flags = predict(case, clinic, plans, index_factory)
        expected_flags = set(case["expected_flags"]) if "expected_flags" in case else None
        outcomes.append(Outcome(case["id"], case.get("category", ""), case["expected"], predicted, codes,
                                case.get("expected_facility"), expected_flags, flags))
    return Report(outcomes, skipped)


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def format_report(report: Report) -> str:
    lines = [f"saisei evaluate: {len(report.outcomes)} labelled cases"
             + (f" ({len(report.skipped)} skipped: ../shared/data/registry_sample.tsv absent)" if report.skipped else "")]
    lines.append("")
    lines.append(f"{'verdict':<26}{'precision':>10}{'recall':>9}{'support':>9}{'predicted':>11}")
    for verdict, row in report.per_verdict().items():
        lines.append(f"{verdict:<26}{_pct(row['precision']):>10}{_pct(row['recall']):>9}"
                     f"{row['support']:>9}{row['predicted']:>11}")
    lines.append(f"{'accuracy':<26}{_pct(report.accuracy):>10}")
    recall = report.match_recall()
    if recall is not None:
        lines.append(f"{'facility match recall':<26}{_pct(recall):>10}")
    lines.append("")
    short = {code: v.abbrev for code, v in VERDICTS.items()}
    lines.append("confusion matrix (rows: expected, columns: predicted)")
    lines.append(f"{'':<26}" + "".join(f"{short[v]:>8}" for v in VERDICTS))
    for expected, counts in report.confusion().items():
        lines.append(f"{expected:<26}" + "".join(f"{counts[v]:>8}" for v in VERDICTS))
    flags = report.per_flag()
    if flags:
        lines.append("")
        lines.append(f"number flags ({sum(o.expected_flags is not None for o in report.outcomes)} cases print numbers)")
        lines.append(f"{'flag':<34}{'precision':>10}{'recall':>9}{'support':>9}{'predicted':>11}")
        for flag, row in flags.items():
            lines.append(f"{flag:<34}{_pct(row['precision']):>10}{_pct(row['recall']):>9}"
                         f"{row['support']:>9}{row['predicted']:>11}")
    wrong = [o for o in report.outcomes if o.expected != o.predicted]
    if wrong:
        lines.append("")
        lines.append("misjudged cases:")
        by_category = defaultdict(list)
        for o in wrong:
            by_category[o.category].append(f"{o.case_id} (expected {o.expected}, got {o.predicted})")
        for category, items in sorted(by_category.items()):
            lines.append(f"  {category}: " + "; ".join(items))
    return "\n".join(lines)
