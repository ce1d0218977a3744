"""Clinic pages spooled to a scratch SQLite file, so the clinics writer holds one site's pages at a time.

Grouping pages into clinics needs every page of a site together, in the order the writer has always read them
(home pages first, then by depth and URL; see ``clinics._page_order``), and sites in the order of their most
central page. A crawl writes pages in the order they were fetched, sites interleaved; at 100,000 clinics the
whole list of pages was the largest thing a build held (issue 14). The spool keeps each page as JSON beside its
sort key, and SQLite sorts them on disk.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

#: pages of one site in ``_page_order`` (depth, home page first, URL; feed order breaks ties, as a stable sort
#: does), and sites in the order of their first page in that order
_BY_SITE = """
select seq, site, item from (
    select seq, site, item, depth, not_home, source_url, min(position) over (partition by site) as first from (
        select *, row_number() over (order by depth, not_home, source_url, seq) as position from pages))
order by first, depth, not_home, source_url, seq
"""


def page_site(page: dict) -> str:
    return page.get("site") or urlsplit(page["source_url"]).netloc


class PageSpool:
    """Pages by sequence number (their place in the feed), read back site by site or clinic by clinic."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory(prefix="saisei-pages-")
        self.db = sqlite_utils.Database(Path(self._dir.name) / "pages.db")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db["pages"].create({"seq": int, "site": str, "depth": int, "not_home": int, "source_url": str,
                                 "item": str}, pk="seq")
        self.count = 0

    def __enter__(self) -> PageSpool:
        return self

    def __exit__(self, *exc) -> None:
        self.db.close()
        self._dir.cleanup()

    def add(self, pages: Iterable[dict]) -> None:
        def rows():
            for page in pages:
                self.count += 1
                yield {"seq": self.count, "site": page_site(page), "depth": page.get("depth", 0),
                       "not_home": int((urlsplit(page["source_url"]).path or "/") != "/"),
                       "source_url": page["source_url"], "item": json.dumps(page, ensure_ascii=False)}

        self.db["pages"].insert_all(rows(), batch_size=1000)

    def by_site(self) -> Iterator[tuple[str, list[tuple[int, dict]]]]:
        """(site, [(seq, page), …]) for every site, one site's pages in memory at a time."""
        rows = self.db.execute(_BY_SITE)
        for site, site_rows in groupby(rows, key=lambda row: row[1]):
            yield site, [(seq, json.loads(item)) for seq, _, item in site_rows]

    def load(self, seqs: list[int]) -> list[dict]:
        """The pages with these sequence numbers, in the order given."""
        found = {}
        for start in range(0, len(seqs), 500):
            chunk = seqs[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self.db.execute(f"select seq, item from pages where seq in ({marks})", chunk).fetchall())
        return [json.loads(found[seq]) for seq in seqs]
