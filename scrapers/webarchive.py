"""WACZ archives: replay what a crawl saw, offline, and pack what a live crawl fetched as evidence.

A WACZ (webrecorder's Web Archive Collection Zipped) is a zip holding WARC files under ``archive/``, an index
of their records under ``indexes/``, a page list and a ``datapackage.json`` with a hash of every member.
:class:`WaczArchive` answers "what did this URL return?" from any standard WACZ (ours or webrecorder's);
:func:`write_warc`, :class:`WarcRecorder`, :func:`pack_wacz` and :func:`pack_sample` produce them.

Pure Python over warcio and cdxj_indexer, no Scrapy: the build and the checks can open an archive without a
crawler.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import hashlib
import html
import io
import json
import logging
import os
import re
import shutil
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from cdxj_indexer.main import write_cdx_index
from w3lib.url import canonicalize_url, safe_url_string
from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import iso_date_to_timestamp
from warcio.warcwriter import WARCWriter

from scrapers.archive_limits import ArchiveBudget, ArchiveLimitError

logger = logging.getLogger(__name__)

WACZ_VERSION = "1.1.1"
# Headers that describe the wire encoding of a body we hand back already decoded; keeping them would make
# a consumer decode (or length-check) the body a second time.
DECODED_HEADERS = frozenset({"transfer-encoding", "content-encoding", "content-length"})
DEFAULT_PORTS = {"http": 80, "https": 443}
REPLAYABLE_TYPES = ("response", "resource")
# (suffix, gzipped) in the order the indexes are read.
INDEX_KINDS = ((".cdxj", False), (".cdx", False), (".cdx.gz", True), (".cdxj.gz", True))
HTML_TYPES = ("text/html", "application/xhtml+xml")
ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class ArchiveError(Exception):
    """Raised with a clear, user-facing message (file path + what is wrong) for an unreadable archive."""


# ---------------------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Capture:
    """One archived response, decoded and ready to hand to a crawler as if it had just been fetched."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    captured_at: str
    filename: str
    offset: int
    record_id: str


class _Entry(NamedTuple):
    """Where one capture of a URL lives; the record itself is read only when asked for."""

    url: str
    scheme: str
    timestamp: str
    member: str
    offset: int
    order: int


def canonical_url(url: str) -> tuple[str, str]:
    """Split ``url`` into (scheme, canonical rest) so that spellings of the same address compare equal.

    Links in the wild differ from what was recorded in case, default ports, fragments and query order; the
    scheme is kept apart so that an http link can still find an https capture (and vice versa).
    """
    url = url.strip()
    with contextlib.suppress(ValueError, UnicodeError):
        url = canonicalize_url(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    netloc = parts.netloc.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port == DEFAULT_PORTS.get(scheme):
        netloc = netloc.rsplit(":", 1)[0]
    path = parts.path or ("/" if netloc else "")
    return scheme, urlunsplit(("", netloc, path, parts.query, ""))


def iso_utc(value: str) -> str:
    """Normalise an ISO 8601 date to ``YYYY-MM-DDTHH:MM:SSZ`` so dates compare and round-trip as text."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(ISO_FORMAT)


def _warc_date(value: str) -> str:
    """A WARC-Date as ISO UTC, or as found if it is not a date (the capture is still worth replaying)."""
    try:
        return iso_utc(value)
    except ValueError:
        return value


def _cdx_timestamp(value: str) -> str:
    """14-digit timestamp, padded, so index timestamps of any precision sort together."""
    digits = "".join(ch for ch in value if ch.isdigit())
    return digits[:14].ljust(14, "0")


def _is_warc_member(name: str) -> bool:
    """WARCs a WACZ may carry: directly or nested under ``archive/``."""
    return name.startswith("archive/") and name.endswith((".warc", ".warc.gz"))


def _parse_cdxj(line: str) -> tuple[str, str, str | None, int] | None:
    """(url, timestamp, filename, offset) from a CDXJ line; None for records replay cannot use."""
    parts = line.split(" ", 2)
    if len(parts) < 3 or not parts[2].startswith("{"):
        return None
    try:
        fields = json.loads(parts[2])
        offset = int(fields["offset"])
    except (ValueError, KeyError, TypeError):
        return None
    if fields.get("mime") == "warc/revisit" or not fields.get("url"):
        return None
    if str(fields.get("method") or "GET").upper() not in ("GET", "HEAD"):
        return None  # a POST's answer is not what a GET of the same URL returned
    return fields["url"], parts[1], fields.get("filename"), offset


def _parse_cdx(line: str) -> tuple[str, str, str | None, int] | None:
    """(url, timestamp, filename, offset) from a classic 11- or 9-field CDX line."""
    fields = line.split()
    if len(fields) == 11:
        offset, filename = fields[9], fields[10]
    elif len(fields) == 9:
        offset, filename = fields[7], fields[8]
    else:
        return None
    if fields[3] == "warc/revisit" or not offset.isdigit():
        return None
    return fields[2], fields[1], filename, int(offset)


def parse_index_line(line: str) -> tuple[str, str, str | None, int] | None:
    """One index line in either format; headers, ZipNum ``!meta`` lines and junk give None."""
    line = line.strip()
    if not line or line.startswith(("CDX ", "!")):
        return None
    if " {" in line:
        return _parse_cdxj(line)
    return _parse_cdx(line)


class WaczArchive:
    """Read-only view of a WACZ: the latest response for a URL, by a tolerant match of the URL."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._zip = _open_zip(self.path)
        try:
            #: caps on what this archive may cost to read (scrapers.archive_limits), and what it has spent
            self.budget = ArchiveBudget()
            self._warcs = sorted(name for name in self._zip.namelist() if _is_warc_member(name))
            if not self._warcs:
                raise ArchiveError(f"{self.path}: no WARC files under archive/ (not a WACZ web archive)")
            self.metadata: dict = self._read_metadata()
            entries = self._read_indexes() or self._scan_warcs()
            self._by_url: dict[str, list[_Entry]] = {}
            for entry in entries:
                self._by_url.setdefault(canonical_url(entry.url)[1], []).append(entry)
        except ArchiveLimitError as exc:
            self._zip.close()
            raise ArchiveError(f"{exc} (reading {self.path})") from exc
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> WaczArchive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the zip file handle."""
        self._zip.close()

    def urls(self) -> list[str]:
        """Every captured URL as recorded, sorted and unique."""
        return sorted({entry.url for entries in self._by_url.values() for entry in entries})

    def get(self, url: str) -> Capture | None:
        """The latest replayable capture of ``url``, preferring the same scheme; None if there is none.

        Entries whose record turns out not to be a response (a request, a revisit) are passed over, so an
        index that lists them does not hide an older real response.
        """
        scheme, key = canonical_url(url)
        entries = self._by_url.get(key, [])
        same = [entry for entry in entries if entry.scheme == scheme]
        other = [entry for entry in entries if entry.scheme != scheme]
        for group in (same, other):
            for entry in sorted(group, key=lambda e: (e.timestamp, e.order), reverse=True):
                capture = self._read(entry)
                if capture is not None:
                    return capture
        return None

    def _read_metadata(self) -> dict:
        """datapackage.json, parsed; a broken one means a damaged archive, so it is an error."""
        if "datapackage.json" not in self._zip.namelist():
            return {}
        if self._zip.getinfo("datapackage.json").file_size > self.budget.max_record:
            raise ArchiveError(f"{self.path}: datapackage.json is larger than SAISEI_ARCHIVE_MAX_RECORD_MB allows")
        try:
            data = json.loads(self._zip.read("datapackage.json"))
        except (ValueError, zipfile.BadZipFile, OSError, zlib.error) as exc:
            raise ArchiveError(f"{self.path}: datapackage.json is not readable JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise ArchiveError(f"{self.path}: datapackage.json is not a JSON object")
        return data

    def _index_lines(self) -> Iterator[str]:
        """Lines of every index member, CDXJ first, then CDX, then gzipped (ZipNum) CDX."""
        names = [name for name in self._zip.namelist() if name.startswith("indexes/")]
        for suffix, gzipped in INDEX_KINDS:
            for name in sorted(n for n in names if n.endswith(suffix)):
                with self._zip.open(name) as raw, _maybe_gunzip(raw, gzipped) as stream:
                    text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace")
                    while line := self.budget.readline(text):
                        self.budget.charge(len(line))
                        self.budget.count_record()
                        yield line

    def _read_indexes(self) -> list[_Entry]:
        """Index entries that point at a WARC in this zip; unreadable indexes are reported, not guessed at."""
        by_basename = {name.rsplit("/", 1)[-1]: name for name in self._warcs}
        entries: dict[tuple[str, int], _Entry] = {}
        try:
            for line in self._index_lines():
                parsed = parse_index_line(line)
                if parsed is None:
                    continue
                url, timestamp, filename, offset = parsed
                member = self._member_for(filename, by_basename)
                if member is None:
                    logger.warning("%s: index names a WARC it does not hold: %s", self.path, filename)
                    continue
                entries.setdefault(
                    (member, offset), self._entry(url, timestamp, member, offset, len(entries))
                )
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:  # zlib: a damaged deflated member
            raise ArchiveError(f"{self.path}: an index under indexes/ is unreadable ({exc})") from exc
        return list(entries.values())

    def _member_for(self, filename: str | None, by_basename: dict[str, str]) -> str | None:
        """The zip member an index filename (relative to archive/) refers to."""
        if not filename:
            return self._warcs[0] if len(self._warcs) == 1 else None
        for candidate in (f"archive/{filename}", filename):
            if candidate in self._warcs:
                return candidate
        return by_basename.get(filename.rsplit("/", 1)[-1])

    @staticmethod
    def _entry(url: str, timestamp: str, member: str, offset: int, order: int) -> _Entry:
        return _Entry(url, canonical_url(url)[0], _cdx_timestamp(timestamp), member, offset, order)

    def _scan_warcs(self) -> list[_Entry]:
        """No usable index: walk every WARC once to find its responses (slower, but the archive still works)."""
        entries: list[_Entry] = []
        self.budget.records = 0  # index lines read before falling back to the scan no longer count
        for member in self._warcs:
            try:
                with self._zip.open(member) as fh:
                    iterator = self.budget.iterate(fh)
                    for record in iterator:
                        self.budget.count_record()
                        self.budget.read(record.raw_stream, keep=False)  # inflated under the caps, never kept
                        if record.rec_type not in REPLAYABLE_TYPES:
                            continue
                        url = record.rec_headers.get_header("WARC-Target-URI") or ""
                        date = record.rec_headers.get_header("WARC-Date") or ""
                        offset = iterator.get_record_offset()
                        entries.append(
                            self._entry(url, iso_date_to_timestamp(date), member, offset, len(entries))
                        )
            except ArchiveLimitError as exc:
                raise ArchiveError(f"{exc} (scanning {member} of {self.path})") from exc
            except Exception as exc:  # warcio raises a variety of types for damaged data
                raise ArchiveError(f"{self.path}: {member} is not a readable WARC ({exc})") from exc
        return entries

    def _read(self, entry: _Entry) -> Capture | None:
        """The capture at an index entry, or None if the record there is not a replayable response."""
        try:
            with self._zip.open(entry.member) as fh:
                fh.seek(entry.offset)
                record = next(iter(self.budget.iterate(fh)), None)
                if record is None:
                    raise ValueError("no record at that offset")
                return _capture(record, entry.member, entry.offset, self.budget)
        except ArchiveLimitError as exc:
            raise ArchiveError(
                f"{exc} (the record of {entry.url} in {entry.member} at offset {entry.offset} of {self.path})"
            ) from exc
        except Exception as exc:  # a damaged record, whatever warcio or the decoders raise
            raise ArchiveError(
                f"{self.path}: cannot read {entry.url} from {entry.member} at offset {entry.offset} ({exc})"
            ) from exc


def _maybe_gunzip(raw: IO[bytes], gzipped: bool) -> contextlib.AbstractContextManager[IO[bytes]]:
    """A gzip reader over ``raw`` for .gz indexes; it reads every member of a ZipNum (multi-member) file."""
    return gzip.open(raw) if gzipped else contextlib.nullcontext(raw)


def _open_zip(path: Path) -> zipfile.ZipFile:
    """Open the WACZ, turning the ways it can fail into one error that names the file."""
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path}: archive file does not exist") from exc
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"{path}: not a zip file, so not a WACZ web archive ({exc})") from exc
    except OSError as exc:
        raise ArchiveError(f"{path}: cannot open archive ({exc})") from exc


def _capture(record: ArcWarcRecord, member: str, offset: int, budget: ArchiveBudget) -> Capture | None:
    """Decode one WARC record; requests, revisits, metadata and header-less responses give None."""
    if record.rec_type not in REPLAYABLE_TYPES:
        return None
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = int(record.http_headers.get_statuscode())
        headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in DECODED_HEADERS]
    else:
        status = 200
        content_type = record.rec_headers.get_header("Content-Type")
        headers = [("Content-Type", content_type)] if content_type else []
    rec_headers = record.rec_headers
    return Capture(
        url=rec_headers.get_header("WARC-Target-URI") or "",
        status=status,
        headers=headers,
        body=budget.read(budget.content_stream(record)),
        captured_at=_warc_date(rec_headers.get_header("WARC-Date") or ""),
        filename=member,
        offset=offset,
        record_id=rec_headers.get_header("WARC-Record-ID") or "",
    )


# ---------------------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class PageSource:
    """A response to write into a WARC, with the body exactly as it was served."""

    url: str
    body: bytes
    captured_at: str
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()


def _record_id(url: str, captured_at: str, kind: str) -> str:
    """A stable WARC-Record-ID, so the same sources always give the same bytes."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{url} {captured_at} {kind}')}>"


def _status_line(status: int) -> str:
    """``200 OK``: replay tools expect a reason phrase after the code."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    return f"{status} {reason}"


def _has_header(headers: Iterable[tuple[str, str]], name: str) -> bool:
    return any(key.lower() == name for key, _ in headers)


def _warcinfo(writer: WARCWriter, filename: str, date: str) -> ArcWarcRecord:
    """The leading record that says which software wrote the file."""
    payload = f"software: saisei\r\nformat: WARC File Format 1.0\r\nfilename: {filename}\r\n".encode()
    warc_headers = {
        "WARC-Record-ID": _record_id(filename, date, "warcinfo"),
        "WARC-Date": date,
        "WARC-Filename": filename,
    }
    return writer.create_warc_record(
        "",
        "warcinfo",
        payload=io.BytesIO(payload),
        length=len(payload),
        warc_content_type="application/warc-fields",
        warc_headers_dict=warc_headers,
    )


def _exchange(
    writer: WARCWriter,
    source: PageSource,
    ids: tuple[str, str],
    request_headers: list[tuple[str, str]] | None = None,
) -> tuple[ArcWarcRecord, ArcWarcRecord]:
    """Response record then its request (the order cdxj_indexer and pywb pair them in).

    Content-Length is set from the body unless the body is still chunked, where it would be wrong.
    """
    response_id, request_id = ids
    # a URL printed with raw Japanese (/2020/06/28/美容から…/) is sent percent-encoded, as a crawler requests it
    url = safe_url_string(source.url)
    headers = [(k, v) for k, v in source.headers if k.lower() != "content-length"]
    if not _has_header(headers, "transfer-encoding"):
        headers.append(("Content-Length", str(len(source.body))))
    http_headers = StatusAndHeaders(_status_line(source.status), headers, protocol="HTTP/1.1")
    date = {"WARC-Date": source.captured_at}
    response = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(source.body),
        length=len(source.body),
        http_headers=http_headers,
        warc_headers_dict={"WARC-Record-ID": response_id, **date},
    )
    request = writer.create_warc_record(
        url,
        "request",
        http_headers=_request_headers(url, request_headers),
        warc_headers_dict={"WARC-Record-ID": request_id, "WARC-Concurrent-To": response_id, **date},
    )
    return response, request


def _request_headers(url: str, headers: list[tuple[str, str]] | None) -> StatusAndHeaders:
    """A GET request line for ``url``; a Host header is added when the caller gave none."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(headers or [])
    if not _has_header(headers, "host"):
        headers.insert(0, ("Host", parts.netloc))
    return StatusAndHeaders(f"GET {target} HTTP/1.1", headers, is_http_request=True)


def write_warc(path: str | os.PathLike, sources: Iterable[PageSource]) -> None:
    """Write ``sources`` as a deterministic warc.gz: a warcinfo, then a response and request per source."""
    path = Path(path)
    sources = [PageSource(s.url, s.body, iso_utc(s.captured_at), s.status, tuple(s.headers)) for s in sources]
    first = min((s.captured_at for s in sources), default="1980-01-01T00:00:00Z")
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(_warcinfo(writer, path.name, first))
        for source in sources:
            ids = (
                _record_id(source.url, source.captured_at, "response"),
                _record_id(source.url, source.captured_at, "request"),
            )
            for record in _exchange(writer, source, ids):
                writer.write_record(record)


class WarcRecorder:
    """Appends live responses to a warc.gz while a crawl runs (the caller passes what it received).

    Each record is flushed as it is written, so a crawl that dies still leaves a readable WARC.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        is_new = not self.path.exists() or self.path.stat().st_size == 0
        self._fh: IO[bytes] | None = self.path.open("ab")
        self._writer = WARCWriter(self._fh, gzip=True)
        if is_new:
            now = datetime.now(UTC).strftime(ISO_FORMAT)
            self._writer.write_record(_warcinfo(self._writer, self.path.name, now))
            self._fh.flush()

    def __enter__(self) -> WarcRecorder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def record(
        self,
        url: str,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes,
        captured_at: str,
        request_headers: list[tuple[str, str]] | None = None,
    ) -> None:
        """Write one response and its request.

        An HTTP client hands over a body with the chunking already removed, so Transfer-Encoding is dropped
        (replay would otherwise try to de-chunk it); Content-Encoding is kept, as it still matches the body.
        """
        if self._fh is None:
            raise ArchiveError(f"{self.path}: recorder is closed")
        kept = tuple((k, v) for k, v in headers if k.lower() != "transfer-encoding")
        source = PageSource(url, body, iso_utc(captured_at), status, kept)
        ids = (f"<urn:uuid:{uuid.uuid4()}>", f"<urn:uuid:{uuid.uuid4()}>")
        for record in _exchange(self._writer, source, ids, request_headers):
            self._writer.write_record(record)
        self._fh.flush()

    def close(self) -> None:
        """Close the file; calling it twice is harmless (spider_closed and error paths may both do it)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None


# ---------------------------------------------------------------------------------------------- packing


def _sha256_file(path: Path) -> tuple[str, int]:
    """``sha256:<hex>`` and size, read in blocks so large WARCs are not loaded whole."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return f"sha256:{digest.hexdigest()}", size


def _resource(name: str, content: Path | bytes) -> dict[str, Any]:
    """A datapackage resource entry, as py-wacz writes them."""
    if isinstance(content, Path):
        digest, size = _sha256_file(content)
    else:
        digest, size = f"sha256:{hashlib.sha256(content).hexdigest()}", len(content)
    return {"name": name.rsplit("/", 1)[-1].lower(), "path": name, "hash": digest, "bytes": size}


def _cdxj_index(warcs: list[Path]) -> bytes:
    """A sorted CDXJ index of the WARCs, filenames relative to archive/ (cdxj_indexer uses basenames)."""
    out = io.StringIO()
    write_cdx_index(out, [str(path) for path in warcs], {"sort": True})
    return out.getvalue().encode("utf-8")


_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)


def _charset(content_type: str, body: bytes) -> str:
    """The body's encoding from Content-Type, else a <meta> tag, else UTF-8; unknown names fall back."""
    found = re.search(r"charset=[\"']?([^\s;\"']+)", content_type, re.IGNORECASE)
    name = found.group(1) if found else None
    if name is None:
        meta = _CHARSET.search(body[:4096])
        name = meta.group(1).decode("ascii") if meta else "utf-8"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "utf-8"


def page_title(content_type: str, body: bytes) -> str | None:
    """The <title> of an HTML body, decoded in its own charset, for the page list viewers show."""
    text = body[:262144].decode(_charset(content_type, body), errors="replace")
    found = _TITLE.search(text)
    title = " ".join(html.unescape(found.group(1)).split()) if found else ""
    return title or None


def _page_line(record: ArcWarcRecord) -> dict[str, str] | None:
    """A pages.jsonl entry for a 2xx HTML response: the entry points a viewer lists (not errors, redirects)."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    status = record.http_headers.get_statuscode() or ""
    if not content_type.lower().startswith(HTML_TYPES) or not status.startswith("2"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    ts = _warc_date(record.rec_headers.get_header("WARC-Date") or "")
    line = {"id": uuid.uuid5(uuid.NAMESPACE_URL, f"{ts} {url}").hex, "url": url, "ts": ts}
    # the first 256 KiB is all page_title reads; warcio's own content_stream() cannot decode brotli
    title = page_title(content_type, ArchiveBudget().content_stream(record).read(262144))
    if title:
        line["title"] = title
    return line


def _pages_jsonl(warcs: list[Path]) -> bytes:
    """pages/pages.jsonl: the json-pages-1.0 header, then one line per HTML page, in file order."""
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}]
    for path in warcs:
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                line = _page_line(record)
                if line is not None:
                    lines.append(line)
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")


def _zip_time(created: str) -> tuple[int, int, int, int, int, int]:
    """A fixed zip timestamp from ``created``, so members do not carry the packing time."""
    moment = datetime.strptime(created, ISO_FORMAT)
    stamp = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
    return max(stamp, ZIP_EPOCH)


def _zip_member(zf: zipfile.ZipFile, name: str, content: Path | bytes, date_time: tuple) -> None:
    """Add one member with fixed metadata; WARCs are STORED so replay can seek to a record's offset."""
    info = zipfile.ZipInfo(name, date_time)
    info.create_system = 3
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED if name.startswith("archive/") else zipfile.ZIP_DEFLATED
    if isinstance(content, bytes):
        zf.writestr(info, content)
        return
    info.file_size = content.stat().st_size
    with content.open("rb") as src, zf.open(info, "w") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)


def _write_zip(out_path: Path, members: dict[str, Path | bytes], date_time: tuple) -> None:
    """Write the members in sorted order to a temp file beside ``out_path``, then swap it into place.

    A reader never sees a half-written archive, and a failed pack leaves the previous one intact.
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            for name in sorted(members):
                _zip_member(zf, name, members[name], date_time)
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _checked_warcs(warc_paths: list[Path]) -> list[Path]:
    """The WARC inputs, refusing missing files and two files that would share one name under archive/."""
    warcs = [Path(path) for path in warc_paths]
    names: set[str] = set()
    for path in warcs:
        if not path.is_file():
            raise ArchiveError(f"{path}: WARC file to pack does not exist")
        if not path.name.endswith((".warc", ".warc.gz")):
            raise ArchiveError(f"{path}: not a .warc or .warc.gz file")
        if path.name in names:
            raise ArchiveError(f"{path}: another WARC to pack has the same name {path.name}")
        names.add(path.name)
    return warcs


def _datapackage(meta: dict[str, Any], resources: list[dict], extra: dict | None) -> bytes:
    """datapackage.json; ``extra`` may add keys but not overwrite the ones the WACZ format defines."""
    package = {"profile": "data-package", "wacz_version": WACZ_VERSION, **meta, "software": "saisei"}
    package["resources"] = resources
    clash = sorted(set(extra or {}) & set(package))
    if clash:
        raise ValueError(f"extra datapackage keys would overwrite standard ones: {', '.join(clash)}")
    package.update(extra or {})
    return json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")


def pack_wacz(
    warc_paths: list[Path],
    out_path: Path,
    *,
    title: str,
    description: str,
    extra: dict | None = None,
    created: str,
) -> Path:
    """Pack WARCs into a standard, byte-for-byte reproducible WACZ 1.1.1 at ``out_path``."""
    out_path = Path(out_path)
    warcs = _checked_warcs(warc_paths)
    created = iso_utc(created)
    members: dict[str, Path | bytes] = {f"archive/{path.name}": path for path in warcs}
    members["indexes/index.cdxj"] = _cdxj_index(warcs)
    members["pages/pages.jsonl"] = _pages_jsonl(warcs)
    resources = [_resource(name, members[name]) for name in sorted(members)]
    meta = {"title": title, "description": description, "created": created}
    datapackage = _datapackage(meta, resources, extra)
    digest = {"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(datapackage).hexdigest()}"}
    members["datapackage.json"] = datapackage
    members["datapackage-digest.json"] = json.dumps(digest, indent=2).encode("utf-8")
    _write_zip(out_path, members, _zip_time(created))
    return out_path


def _sample_source(source_dir: Path, capture: dict, default_date: str) -> PageSource:
    """One captures.json entry as a PageSource, with the file's bytes exactly as on disk."""
    file = source_dir / capture["file"]
    if not file.is_file():
        raise ArchiveError(
            f"{source_dir / 'captures.json'}: capture of {capture['url']} names missing file {file}"
        )
    return PageSource(
        url=capture["url"],
        body=file.read_bytes(),
        captured_at=capture.get("captured_at", default_date),
        status=int(capture.get("status", 200)),
        headers=tuple((capture.get("headers") or {}).items()),
    )


def _read_manifest(source_dir: Path) -> dict:
    """captures.json, with errors that say which file is wrong."""
    manifest_path = source_dir / "captures.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArchiveError(f"{manifest_path}: sample manifest does not exist") from exc
    except ValueError as exc:
        raise ArchiveError(f"{manifest_path}: not valid JSON ({exc})") from exc
    missing = [key for key in ("title", "description", "created", "captures") if key not in manifest]
    if missing:
        raise ArchiveError(f"{manifest_path}: missing {', '.join(missing)}")
    return manifest


def _extra_captures(source_dir: Path) -> list[dict]:
    """Captures listed in ``captures.d/*.json`` (each a JSON list), in file-name order.

    Each area of the sample world (registries, clinic sites, directories) keeps its own list, so the pages of
    one area can be edited without touching another's.
    """
    captures = []
    for path in sorted((source_dir / "captures.d").glob("*.json")):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ArchiveError(f"{path}: not valid JSON ({exc})") from exc
        if not isinstance(entries, list):
            raise ArchiveError(f"{path}: expected a JSON list of captures")
        captures.extend(entries)
    return captures


def sample_sources(source_dir: Path) -> tuple[dict, list[PageSource]]:
    """The sample manifest and every page it lists (``captures.json`` + ``captures.d/*.json``)."""
    source_dir = Path(source_dir)
    manifest = _read_manifest(source_dir)
    captures = list(manifest["captures"]) + _extra_captures(source_dir)
    urls = [c.get("url") for c in captures]
    duplicated = sorted({u for u in urls if urls.count(u) > 1})
    if duplicated:
        raise ArchiveError(f"{source_dir}: URL captured twice in the sample manifests: {duplicated[0]}")
    try:
        sources = [_sample_source(source_dir, c, manifest["created"]) for c in captures]
    except (KeyError, TypeError, ValueError) as exc:
        raise ArchiveError(f"{source_dir / 'captures.json'}: malformed capture ({exc!r})") from exc
    return manifest, sources


def pack_sample(source_dir: Path, out_path: Path) -> Path:
    """Build a WACZ from hand-kept sample pages described by ``source_dir/captures.json``
    (and any ``captures.d/*.json`` lists beside it)."""
    manifest, sources = sample_sources(source_dir)
    extra = {"saisei_sample": True} if manifest.get("sample") else None
    with tempfile.TemporaryDirectory(prefix="saisei-sample-") as tmp:
        warc = Path(tmp) / "data.warc.gz"
        write_warc(warc, sources)
        return pack_wacz(
            [warc],
            Path(out_path),
            title=manifest["title"],
            description=manifest["description"],
            extra=extra,
            created=manifest["created"],
        )
