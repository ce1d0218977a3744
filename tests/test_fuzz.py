"""The fuzzing campaign (saisei.fuzzing) with a small fixed budget: derandomized, so CI runs the same inputs
every time, a few seconds per reader. ``saisei benchmark fuzz`` runs the long campaign with a fresh seed.

Crashes the campaign found are kept below as named regression tests with the input that caused them.
"""

from __future__ import annotations

import pytest

from saisei.fuzzing import TARGETS, check_prices, run_target

#: examples per reader in CI (about 1-3 s each on the CI machine)
CI_EXAMPLES = {"plan_table": 60, "clinic_page": 150, "identifiers": 400, "prices": 400, "wacz": 150}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_reader_survives_its_fuzz_budget(name):
    assert run_target(TARGETS[name], CI_EXAMPLES[name], derandomize=True) == CI_EXAMPLES[name]


def test_a_broken_reader_is_caught():
    """The harness can fail: a property that rejects every price is reported, not swallowed."""
    from dataclasses import replace

    target = replace(TARGETS["prices"], check=lambda text: check_prices(text) or (_ for _ in ()).throw(ValueError()))
    with pytest.raises(ValueError):
        run_target(target, 10, derandomize=True)


