"""The crawl's items as the table writers read them: streamed from the spiders' JSON-lines feeds, by kind.

A build used to group every item of every spider into lists before writing (``group_items``): on a 20,000-row
plan list that was the largest thing in memory after the crawl (issue 14). :class:`ItemFeeds` is the same
mapping of record kind to items, but each value is a :class:`Feed` that reads its items from disk each time
it is iterated, so a writer holds only what it keeps. One scan at the start notes which feed files hold which
kinds, so a kind is read only from the files that have it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path


class Feed:
    """The items of one record kind, read again from the feed files on every iteration."""

    def __init__(self, kind: str, paths: list[Path], count: int):
        self.kind, self.paths, self.count = kind, paths, count

    def __iter__(self) -> Iterator[dict]:
        for path in self.paths:
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    if line.strip():
                        item = json.loads(line)
                        if item.get("record", "unknown") == self.kind:
                            yield item

    def __len__(self) -> int:
        return self.count

    def __bool__(self) -> bool:
        return self.count > 0


class ItemFeeds:
    """record kind -> :class:`Feed`, over the ``items-*.jsonl`` files of a run folder (``dict.get`` and ``[]``)."""

    def __init__(self, paths: list[Path]):
        files: dict[str, list[Path]] = defaultdict(list)
        counts: Counter = Counter()
        for path in paths:
            kinds = Counter(_kind(line) for line in path.open(encoding="utf-8") if line.strip())
            for kind, count in kinds.items():
                files[kind].append(path)
                counts[kind] += count
        self.feeds = {kind: Feed(kind, files[kind], counts[kind]) for kind in files}

    @classmethod
    def from_dir(cls, items_dir: Path) -> ItemFeeds:
        return cls(sorted(items_dir.glob("items-*.jsonl")))

    def get(self, kind: str, default=None):
        return self.feeds.get(kind, default)

    def __getitem__(self, kind: str) -> Feed:
        return self.feeds[kind]

    def __contains__(self, kind: str) -> bool:
        return kind in self.feeds

    def counts(self) -> dict[str, int]:
        return {kind: len(feed) for kind, feed in self.feeds.items()}


def _kind(line: str) -> str:
    return json.loads(line).get("record", "unknown")
