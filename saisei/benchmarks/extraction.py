"""``saisei benchmark extraction``: extraction precision and recall on the hand-written fixtures and the corpus.

The numbers are measured in this run on ``tests/fixtures/clinic_pages/`` and ``directory_pages/`` (see
:mod:`saisei.extraction_scores`), next to a naive baseline extractor run on the same pages, then on the clinic-site
corpus modelled on real sites, split into dev and test (see :mod:`saisei.corpus_scores`).
"""

from __future__ import annotations

import click

from saisei.benchmarks import benchmark


@benchmark.command("extraction")
@click.option("--misses", is_flag=True, help="List every missed or unexpected item.")
def extraction_benchmark(misses: bool) -> None:
    """Precision and recall of identifiers, therapies and prices on the fixtures, against a naive baseline."""
    from saisei.corpus_scores import corpus_report
    from saisei.extraction_scores import report

    click.echo(report(show_misses=misses))
    click.echo("")
    click.echo(corpus_report(show_misses=misses))
