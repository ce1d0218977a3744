"""``saisei benchmark fuzz``: the long fuzzing campaign over every reader of outside input (saisei.fuzzing).

CI runs the same targets with a small derandomized budget (tests/test_fuzz.py); this runs many more examples
with a fresh seed each time (printed, so a failure can be replayed with ``--seed``). It prints examples run
and examples per second per reader; it exits 1 only when a reader crashed, never on timing.
"""

from __future__ import annotations

import logging
import random
import sys
import time
import traceback
import warnings

import click

from saisei.benchmarks import benchmark


@benchmark.command("fuzz")
@click.option("--examples", type=int, default=2000, show_default=True, help="Examples per reader.")
@click.option("--seed", type=int, default=None, help="Replay a campaign (default: a fresh seed, printed).")
@click.option("--target", "targets", multiple=True, help="Only these readers (default: all).")
def fuzz_command(examples, seed, targets):
    """Fuzz the plan-table parser, clinic-page extractor, identifier and price readers and the WACZ reader.

    \b
    Examples:
      saisei benchmark fuzz --examples 5000
      saisei benchmark fuzz --target wacz --seed 1234
    """
    try:
        from saisei.fuzzing import TARGETS, run_target
    except ImportError as error:
        raise click.ClickException(f"fuzzing needs the test extra (pip install -e '.[test]'): {error}") from error
    unknown = sorted(set(targets) - set(TARGETS))
    if unknown:
        raise click.BadParameter(f"unknown reader(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    seed = random.randrange(2**32) if seed is None else seed
    logging.disable(logging.WARNING)  # the readers' own warnings about odd charsets would flood the terminal
    warnings.simplefilter("ignore")
    click.echo(f"fuzzing with seed {seed}, {examples:,} examples per reader")
    crashed = []
    for name in targets or TARGETS:
        started = time.perf_counter()
        try:
            ran = run_target(TARGETS[name], examples, seed=seed)
        except Exception:  # the shrunk failing input and its traceback are the finding
            crashed.append(name)
            click.echo(f"  {name:<12} CRASH after {time.perf_counter() - started:.1f} s:")
            click.echo(traceback.format_exc())
            continue
        seconds = time.perf_counter() - started
        click.echo(f"  {name:<12} {ran:>7,} examples  {seconds:6.1f} s  {ran / seconds:8,.0f} /s  no crash")
    if crashed:
        click.echo(f"crashed: {', '.join(crashed)} (replay: saisei benchmark fuzz --seed {seed} --target …)")
        sys.exit(1)
