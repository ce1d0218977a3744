"""The real-name pages built into a web archive and crawled as a user would (issue 10, item 8).

Skipped when ../shared/data/registry_sample.tsv is absent (the real rows are never copied into the repository).
Asserts on the dev split only: the test split is reported by ``saisei evaluate --crawl``, never tuned on.
"""

from __future__ import annotations

import pytest

from saisei.realname_crawl import crawl_verdicts
from tests.conftest import SHARED_SAMPLE
from verify.evaluation import load_shared_rows

pytestmark = pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="../shared/data/registry_sample.tsv is absent")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    return crawl_verdicts(tmp_path_factory.mktemp("realname"), load_shared_rows())


def test_every_real_name_page_is_crawled_and_judged(crawled):
    assert crawled["dev"]["crawl"]["pages"] + crawled["test"]["crawl"]["pages"] >= 20


def test_no_false_registered_on_the_dev_pages(crawled):
    assert crawled["dev"]["crawl"]["false registered cases"] == []


def test_most_dev_pages_are_fully_right(crawled):
    """A regression floor under the measured level (23 of 32 when written), not a target."""
    tally = crawled["dev"]["crawl"]
    assert tally["fully right"] >= 0.65 * tally["pages"], tally["misses"]
