"""Build variant WACZ archives of the bundled sample inside a test: one page changed, removed or broken."""

from __future__ import annotations

from pathlib import Path

from saisei.paths import SAMPLE_SOURCES
from scrapers.webarchive import PageSource, pack_wacz, sample_sources, write_warc

PLAN_LIST_2 = "https://saiseiiryo.mhlw.go.jp/published_plan/index/2"
PLAN_LIST_3 = "https://saiseiiryo.mhlw.go.jp/published_plan/index/3"


def sample_pages() -> dict[str, PageSource]:
    """The bundled sample's captures, keyed by URL, as PageSource objects."""
    _, sources = sample_sources(SAMPLE_SOURCES)
    return {source.url: source for source in sources}


def replace_body(page: PageSource, body: bytes) -> PageSource:
    return PageSource(url=page.url, body=body, captured_at=page.captured_at, status=page.status, headers=page.headers)


def make_archive(folder: Path, name: str, pages: dict[str, PageSource]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    warc = folder / f"{name}.warc.gz"
    write_warc(warc, pages.values())
    return pack_wacz(
        [warc], folder / f"{name}.wacz", title=f"test {name}", description="test archive", created="2026-11-21T00:00:00Z"
    )
