"""Seed lists: the start points of spiders that crawl from known URLs or ids (``data/seeds/*.txt``).

One reader for every list (one entry a line, ``#`` starts a comment, order kept, each once) and one rule for
offline runs (the replayed archive decides which seeds exist), in :class:`SeededSpider`, so a new seeded
spider declares its lists and says how an entry becomes a request.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from saisei.paths import SEEDS
from scrapers.base import SaiseiSpider

#: data/seeds/ in a checkout, its copy in an installed wheel (saisei.paths)
SEEDS_DIR = SEEDS


def read_seed_list(path: Path | None, parse: Callable[[str], str | None]) -> list[str]:
    """Entries of a seed file, each read by ``parse`` (None drops it); a missing file is an empty list."""
    if path is None or not Path(path).exists():
        return []
    entries = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        entry = parse(line.split("#", 1)[0]) if not line.lstrip().startswith("#") else None
        if entry:
            entries.append(entry)
    return list(dict.fromkeys(entries))


def _url(text: str) -> str | None:
    url = text.strip()
    return url if url.startswith(("http://", "https://")) else None


def read_url_list(path: Path | None) -> list[str]:
    """URLs of a seed file: one per line, '#' starts a comment, blank lines ignored, order kept, each once."""
    return read_seed_list(path, _url)


def seeds_for_run(settings, stats, live: list[str], sample: list[str]) -> list[str]:
    """The seeds of this run: live, the live list; offline, every seed the archive being replayed holds.

    An archive is a record of what was fetched, so offline it decides: the bundled sample answers its
    fictional seeds, a recorded live crawl its real ones, and a seed it lacks (added to the list after the
    archive was made) is skipped and counted (``saisei/seeds/not_in_archive``) rather than failed.
    """
    from scrapers.webarchive import WaczArchive

    archive = settings.get("SAISEI_REPLAY_ARCHIVE")
    if not archive:
        return live
    with WaczArchive(archive) as store:
        kept = [url for url in dict.fromkeys(live + sample) if store.get(url) is not None]
    skipped = len(set(live + sample)) - len(kept)
    if skipped:
        stats.inc_value("saisei/seeds/not_in_archive", skipped)
    return kept


class SeededSpider(SaiseiSpider):
    """A spider whose start points are seed lists: the live list and the fictional sample's, both in
    ``data/seeds/``; :meth:`seed_urls` gives this run's URLs (live, or offline what the archive holds)."""

    #: the live seed list and the bundled sample's, relative to data/seeds/
    seed_list: str = ""
    sample_seed_list: str = ""

    def seed_urls(self, extra: list[str] | None = None, seed_list: str = "", sample_seed_list: str = "") -> list[str]:
        """This run's URLs from the class's lists (or the ones named), ``extra`` appended to the live list."""
        # SAISEI_BUNDLED_SEEDS = False crawls only the URLs given (a shared crawl-worker run, a test farm)
        bundled = self.settings.getbool("SAISEI_BUNDLED_SEEDS", True)
        live = (read_url_list(SEEDS_DIR / (seed_list or self.seed_list)) if bundled else []) + list(extra or [])
        sample = read_url_list(SEEDS_DIR / (sample_seed_list or self.sample_seed_list))
        return seeds_for_run(self.settings, self.crawler.stats, live, sample)
