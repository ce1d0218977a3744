"""``saisei benchmark …``: measurements printed as ratios against a baseline run in the same process.

Benchmarks are commands, never timed tests. Each subcommand lives in its own module of this package and
registers itself on :data:`benchmark` when imported, so another area can add ``saisei benchmark <name>``
by adding a module and one import line below.
"""

from __future__ import annotations

import click


@click.group()
def benchmark():
    """Measure the pipeline on generated data (speed, memory) against a baseline.

    \b
    Example:
      saisei benchmark plans --rows 20000
    """


# each import registers its subcommand: `saisei benchmark plans`, `… serve`, `… verify`, `… extraction`, `… documents`,
# `… fuzz`, `… crawl`, `… build`
from saisei.benchmarks import build, crawl, documents, extraction, fuzz, plans, serve, verify  # noqa: E402,F401
