"""What one web archive may cost to read: caps on inflated sizes, record counts and header lines.

A WACZ is someone else's file. Its WARC records are gzip members and its HTTP bodies may be gzip-encoded
again, so a 0.4 MB archive can hold one record that inflates to 400 MB, and warcio's ``read()`` would hold all
of it. Every read through this module is streamed in blocks and stops one block past its cap, so a build's
memory is bounded by the per-record cap whatever the archive holds. Each cap is an environment variable
(one place for ``saisei build``, ``refresh``, ``archive list`` and plain ``scrapy crawl``), and the error
names it, its value and how to raise it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader, DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecord

MIB = 1 << 20
BLOCK = 1 << 20
#: name -> (default, unit size in bytes, unit label); the variables a user sets to raise a cap
LIMITS = {
    "SAISEI_ARCHIVE_MAX_RECORD_MB": (64, MIB, "MiB"),
    "SAISEI_ARCHIVE_MAX_TOTAL_MB": (2048, MIB, "MiB"),
    "SAISEI_ARCHIVE_MAX_RECORDS": (200_000, 1, "records"),
    "SAISEI_ARCHIVE_MAX_LINE_KB": (64, 1024, "KiB"),
}


class ArchiveLimitError(Exception):
    """An archive asks for more than a cap allows; the message leads with the cap's name and value."""


def _setting(name: str) -> int:
    default, unit, _ = LIMITS[name]
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ArchiveLimitError(f"{name}={raw!r} is not a whole number") from None
    return max(value, 1) * unit


def exceeded(name: str, what: str) -> ArchiveLimitError:
    """The error for cap ``name``: which cap and its value, what went past it, how to raise it."""
    value = _setting(name) // LIMITS[name][1]
    return ArchiveLimitError(
        f"archive limit {name}={value} exceeded: {what}; "
        f"if the archive is trusted, raise it (e.g. {name}={value * 4} saisei build …)"
    )


def _size(value: int, name: str) -> str:
    return f"{value // LIMITS[name][1]:,} {LIMITS[name][2]}"


@dataclass
class ArchiveBudget:
    """The caps of one archive reader and what it has spent so far (records seen, bytes inflated)."""

    max_record: int = field(default_factory=lambda: _setting("SAISEI_ARCHIVE_MAX_RECORD_MB"))
    max_total: int = field(default_factory=lambda: _setting("SAISEI_ARCHIVE_MAX_TOTAL_MB"))
    max_records: int = field(default_factory=lambda: _setting("SAISEI_ARCHIVE_MAX_RECORDS"))
    max_line: int = field(default_factory=lambda: _setting("SAISEI_ARCHIVE_MAX_LINE_KB"))
    records: int = 0
    inflated: int = 0

    def count_record(self) -> None:
        self.records += 1
        if self.records > self.max_records:
            raise exceeded("SAISEI_ARCHIVE_MAX_RECORDS", "more index lines or WARC records than that")

    def charge(self, size: int) -> None:
        self.inflated += size
        if self.inflated > self.max_total:
            what = f"more than {_size(self.max_total, 'SAISEI_ARCHIVE_MAX_TOTAL_MB')} inflated from this archive"
            raise exceeded("SAISEI_ARCHIVE_MAX_TOTAL_MB", what)

    def read(self, stream: IO[bytes], keep: bool = True) -> bytes:
        """All of ``stream`` in blocks, refused as soon as it passes the per-record cap.

        ``keep=False`` reads to the end without keeping anything (scanning an archive that has no index).
        """
        blocks: list[bytes] = []
        size = 0
        while block := stream.read(BLOCK):
            size += len(block)
            self.charge(len(block))
            if size > self.max_record:
                what = f"a record inflates beyond {_size(self.max_record, 'SAISEI_ARCHIVE_MAX_RECORD_MB')}"
                raise exceeded("SAISEI_ARCHIVE_MAX_RECORD_MB", what)
            if keep:
                blocks.append(block)
        return b"".join(blocks)

    def readline(self, stream, length: int | None = None) -> bytes:
        """One line of at most the line cap (warcio reads header lines with no bound at all)."""
        cap = self.max_line + 1 if length is None or length < 0 else min(length, self.max_line + 1)
        line = stream.readline(cap)
        if len(line) > self.max_line:
            what = f"a header or index line longer than {_size(self.max_line, 'SAISEI_ARCHIVE_MAX_LINE_KB')}"
            raise exceeded("SAISEI_ARCHIVE_MAX_LINE_KB", what)
        return line

    def content_stream(self, record: ArcWarcRecord) -> IO[bytes]:
        """The record's body with chunking and Content-Encoding undone, like warcio's ``content_stream()``,
        but with a brotli decoder that works (warcio 1.8.1 calls ``decompress``, which brotli 1.2 no longer
        has, so it handed ``br`` bodies on still compressed) and cannot inflate past the per-record cap in
        one call (a 1.6 KB brotli stream holds 1 GiB of zeros)."""
        headers = record.http_headers
        if not headers:
            return record.raw_stream
        encoding = (headers.get_header("content-encoding") or "").strip().lower()
        decoders = _BoundedDecoding.DECOMPRESSORS
        decomp_type = encoding if encoding in decoders else None
        if (headers.get_header("transfer-encoding") or "").lower() == "chunked":
            return _BoundedChunked(record.raw_stream, decomp_type=decomp_type)
        if decomp_type:
            return _BoundedDecoding(record.raw_stream, decomp_type=decomp_type)
        return record.raw_stream

    def iterate(self, fileobj: IO[bytes]) -> ArchiveIterator:
        """warcio's ArchiveIterator whose header lines are bounded by this budget."""
        return _BoundedIterator(fileobj, self)


class _BoundedReader(DecompressingBufferedReader):
    def __init__(self, stream, budget: ArchiveBudget, **kwargs):
        super().__init__(stream, **kwargs)
        self._budget = budget

    def readline(self, length=None):
        return self._budget.readline(super(), length)


class _BoundedIterator(ArchiveIterator):
    """ArchiveIterator reading through :class:`_BoundedReader`: the WARC and HTTP header parsers (and the
    blank-line skipping between records) all call ``readline`` on this reader."""

    def __init__(self, fileobj, budget: ArchiveBudget):
        super().__init__(fileobj)
        self.reader = _BoundedReader(self.fh, budget)


class _Brotli:
    """brotli.Decompressor with the ``decompress`` warcio calls; one call's output stops at the per-record
    cap plus one byte, which the reading loop then refuses."""

    unused_data = None

    def __init__(self):
        import brotli

        self._decompressor = brotli.Decompressor()
        self._limit = _setting("SAISEI_ARCHIVE_MAX_RECORD_MB") + 1

    def decompress(self, data: bytes) -> bytes:
        return self._decompressor.process(data, output_buffer_limit=self._limit)


class _BoundedDecoding(BufferedReader):
    DECOMPRESSORS = {**BufferedReader.DECOMPRESSORS, "br": _Brotli}


class _BoundedChunked(ChunkedDataReader):
    DECOMPRESSORS = _BoundedDecoding.DECOMPRESSORS
