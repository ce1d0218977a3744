"""``saisei benchmark documents``: amount kinds in real plan documents, per kind, against the old reader.

Labels are in ``data/evaluation/plan_document_amounts.jsonl``; the text is read from
``../shared/data/plan_doc_texts.jsonl`` (see :mod:`saisei.document_scores`).
"""

from __future__ import annotations

from pathlib import Path

import click

from saisei.benchmarks import benchmark


@benchmark.command("documents")
@click.option("--texts", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The documents' text (JSON lines with document_url and text); default ../shared/data/plan_doc_texts.jsonl.")
@click.option("--misses", is_flag=True, help="List every missed or unexpected amount.")
def documents_benchmark(texts: Path | None, misses: bool) -> None:
    """Precision and recall per amount kind on the labelled dev and test splits, next to the old reader.

    \b
    Example:
      saisei benchmark documents --misses
    """
    from saisei.document_scores import TEXTS, report

    click.echo(report(texts=texts or TEXTS, show_misses=misses))
