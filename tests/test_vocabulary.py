"""The verdict and flag vocabulary (verify/vocabulary.py) is the one home of every code the verifier gives."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from verify import vocabulary
from verify.vocabulary import FLAGS, VERDICTS

ROOT = Path(__file__).resolve().parents[1]


def _codes_given(path: Path, constructor: str) -> set[str]:
    """The first argument of every ``constructor(...)`` call in a module, where it is a string literal."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == constructor:
            first = node.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), ast.unparse(node)[:80]
            codes.add(first.value)
    return codes


def test_every_verdict_the_verifier_returns_is_declared():
    given = _codes_given(ROOT / "verify" / "verdicts.py", "Verdict")
    assert given and given <= set(VERDICTS)
    assert set(VERDICTS) == given  # and nothing is declared that no rule gives


def test_every_flag_the_verifier_returns_is_declared():
    given = _codes_given(ROOT / "verify" / "verdicts.py", "Flag")
    assert given and given <= set(FLAGS)
    assert set(FLAGS) == given


@pytest.mark.parametrize("code", list(VERDICTS))
def test_verdict_terms_are_complete(code):
    term = VERDICTS[code]
    assert term.code == code and term.tone in ("ok", "warn", "bad")
    assert all((term.ja, term.en, term.short, term.description, term.abbrev, term.column))
    assert term.column.isidentifier() and "'" not in term.short
    # the patient's badge: a few words in each language, never the code itself
    ja, en = term.badge
    assert ja and en and code not in (ja, en) and len(ja) <= 10 and len(en.split()) <= 4


@pytest.mark.parametrize("code", list(FLAGS))
def test_flag_terms_are_complete(code):
    term = FLAGS[code]
    assert term.code == code and all((term.ja, term.en, term.description))


@pytest.mark.parametrize("path", ["saisei/views.py", "saisei/queries.py", "templates/clinic.html",
                                  "saisei/front.py", "saisei/tables/cards.py", "saisei/clinic_sources.py",
                                  "templates/front_home.html", "templates/front_results.html",
                                  "saisei/benchmarks/serve.py", "verify/evaluation.py", "metadata.json"])
def test_consumers_read_the_codes_instead_of_repeating_them(path):
    text = (ROOT / path).read_text(encoding="utf-8")
    repeated = [code for code in (*VERDICTS, *FLAGS) if f"'{code}'" in text or f'"{code}"' in text]
    assert repeated == []


def test_metadata_lists_every_code():
    from saisei.serve import vocabulary_text

    assert vocabulary_text("{verdict_codes}") == "registered, registered_other_therapy, not_found, plan_ended or outside_asrm"
    assert all(code in vocabulary_text("{flags}") for code in vocabulary.FLAGS)
