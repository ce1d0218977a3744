"""The extraction scores: the arithmetic, the floor the extractor must stay above, and the command."""

from __future__ import annotations

import json

from click.testing import CliRunner

from saisei.cli import cli
from saisei.extraction_scores import Score, naive_extract, score_clinic_pages, score_directory_pages


def test_score_counts_multisets():
    score = Score()
    score.add("p", ["a", "a", "b"], ["a", "c"])
    assert (score.true_positive, score.false_positive, score.false_negative) == (1, 1, 2)
    assert score.precision == 0.5 and abs(score.recall - 1 / 3) < 1e-9
    assert sorted(score.misses) == ["p: missed a", "p: missed b", "p: unexpected c"]
    assert Score().precision == 1.0 and Score().recall == 1.0


def test_the_extractor_stays_above_its_floor_and_beats_the_baseline():
    scores = score_clinic_pages()
    naive = score_clinic_pages(extract=naive_extract)
    for name in ("identifiers", "therapies", "prices"):
        assert scores[name].true_positive >= 20, name
        assert scores[name].precision >= 0.9 and scores[name].recall >= 0.9, (name, scores[name].misses)
        assert scores[name].recall > naive[name].recall, name
    for name, score in score_directory_pages().items():
        assert score.precision >= 0.9 and score.recall >= 0.9, (name, score.misses)


def test_a_wrong_expectation_would_show(tmp_path):
    from tests.conftest import FIXTURES

    source = FIXTURES / "clinic_pages"
    meta = json.loads((source / "minatomidai_saisei.json").read_text(encoding="utf-8"))
    (tmp_path / "page.html").write_bytes((source / meta["file"]).read_bytes())
    meta["file"] = "page.html"
    wrong = json.dumps(meta, ensure_ascii=False).replace("PB3240901", "PB3240999")
    (tmp_path / "minatomidai_saisei.json").write_text(wrong, encoding="utf-8")
    score = score_clinic_pages(tmp_path)["identifiers"]
    assert score.false_negative == 1 and score.false_positive == 1


def test_the_benchmark_command_prints_the_scores():
    result = CliRunner().invoke(cli, ["benchmark", "extraction", "--misses"])
    assert result.exit_code == 0, result.output
    for field in ("identifiers", "therapies", "prices", "directory listings", "baseline"):
        assert field in result.output
