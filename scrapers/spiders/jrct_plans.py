"""Research plans under the Act on jRCT (``jRCTa/b/c…``), from known ids only: no blind enumeration of the site.

Ids come from (1) ``data/seeds/jrct_ids.txt`` (``sample_jrct_ids.txt`` when replaying the fictional sample),
(2) the spider argument ``ids=jRCTb…,jRCTc…``, and (3) the ``claims`` table of the database being replaced
(ids printed on clinic pages by the previous build), found through the ``SAISEI_PREVIOUS_DB`` setting. Ids found on clinic pages in *this* crawl reach jRCT on the next
build: Scrapy spiders of one process do not see each other's items.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import scrapy

from scrapers.parsers.jrct import JrctNotFound, JrctPageError, canonical_jrct_id, parse_jrct_record
from scrapers.seeds import SEEDS_DIR, SeededSpider, read_seed_list
from scrapers.webarchive import WaczArchive

JRCT_URL = "https://jrct.niph.go.jp/latest-detail/{jrct_id}"
SEED_FILE = SEEDS_DIR / "jrct_ids.txt"
#: the fictional ids of the bundled sample world, used when replaying a sample archive
SAMPLE_SEED_FILE = SEEDS_DIR / "sample_jrct_ids.txt"


def seed_ids(path: Path = SEED_FILE) -> list[str]:
    """Ids of the seed file: one per line, ``#`` starts a comment."""
    return read_seed_list(path, canonical_jrct_id)


def claimed_ids(db_path: str | Path | None) -> list[str]:
    """jRCT ids that clinic pages printed, from the previous build's ``claims`` table (if it has one)."""
    if not db_path or not Path(db_path).exists():
        return []
    try:
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            rows = conn.execute("select canonical from claims where identifier_kind = 'jrct_id'").fetchall()
    except sqlite3.Error:  # no claims table yet, or an unreadable file: nothing to add
        return []
    return [i for i in (canonical_jrct_id(r[0]) for r in rows) if i]


class JrctPlansSpider(SeededSpider):
    """One ``research_plan`` item per known jRCT id.

    An id jRCT says it does not hold is a warning (``jrct_not_found``): it is a finding about whoever printed
    it. A page that is not a readable record is an error: the layout changed.
    """

    name = "jrct_plans"
    build_stage = "registry"
    allowed_domains = ["jrct.niph.go.jp", "jrct.mhlw.go.jp"]

    def __init__(self, ids: str = "", seed_file: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_ids = [i for i in (canonical_jrct_id(p) for p in str(ids).split(",")) if i]
        self.seed_file = Path(seed_file) if seed_file else None

    def _replaying_sample(self) -> bool:
        """Offline over the fictional sample (or a variant of it): its metadata says so, or it holds its records."""
        archive = self.settings.get("SAISEI_REPLAY_ARCHIVE")
        if not archive:
            return False
        with WaczArchive(archive) as store:
            if store.metadata.get("saisei_sample"):
                return True
            return any(store.get(JRCT_URL.format(jrct_id=i)) for i in seed_ids(SAMPLE_SEED_FILE))

    def jrct_ids(self) -> list[str]:
        """Seed ids, then ``ids=``, then ids claimed on clinic pages in the previous build; each once."""
        seed_file = self.seed_file or (SAMPLE_SEED_FILE if self._replaying_sample() else SEED_FILE)
        previous = self.settings.get("SAISEI_PREVIOUS_DB")
        ordered = seed_ids(seed_file) + self.extra_ids + claimed_ids(previous)
        return list(dict.fromkeys(ordered))

    async def start(self):
        for jrct_id in self.jrct_ids():
            yield scrapy.Request(
                JRCT_URL.format(jrct_id=jrct_id),
                callback=self.parse,
                errback=self.errback,
                cb_kwargs={"jrct_id": jrct_id},
            )

    def parse(self, response, jrct_id: str):
        try:
            record = parse_jrct_record(response.selector, response.url, expected_id=jrct_id)
        except JrctNotFound as error:
            yield self.record_warning(response.url, "jrct_not_found", str(error))
            return
        except JrctPageError as error:
            yield self.record_error(response.url, "structure", str(error))
            return
        self.crawler.stats.inc_value("saisei/pages/parsed")
        yield {"record": "research_plan", **record, **self.provenance(response)}
