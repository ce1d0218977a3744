"""The WACZ layer: what is packed replays byte for byte, foreign archives replay, damage is reported clearly."""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from scrapers.webarchive import (
    ArchiveError,
    PageSource,
    WaczArchive,
    WarcRecorder,
    pack_sample,
    pack_wacz,
    write_warc,
)

WHEN = "2026-11-20T03:00:00Z"
LATER = "2026-11-21T04:05:06Z"
SJIS_BODY = "<html><head><title>再生医療</title></head><body>再生医療</body></html>".encode("shift_jis")
SJIS_TYPE = "text/html; charset=Shift_JIS"
WACZ_TOOL = Path(sys.executable).parent / "wacz"


def _page(url: str, body: bytes, when: str = WHEN, status: int = 200, **headers: str) -> PageSource:
    merged = {
        "Content-Type": "text/html; charset=UTF-8",
        **{k.replace("_", "-"): v for k, v in headers.items()},
    }
    return PageSource(url=url, body=body, captured_at=when, status=status, headers=tuple(merged.items()))


def _pack(tmp_path: Path, sources: list[PageSource], name: str = "out.wacz") -> Path:
    warc = tmp_path / "data.warc.gz"
    write_warc(warc, sources)
    return pack_wacz([warc], tmp_path / name, title="Test", description="test archive", created=WHEN)


def _header(headers: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in headers if key.lower() == name.lower()]


def _record_offsets(warc: Path) -> dict[tuple[str, str, str], int]:
    """(type, url, date) -> offset of every record, to hand-write index lines."""
    offsets = {}
    with warc.open("rb") as fh:
        iterator = ArchiveIterator(fh)
        for record in iterator:
            key = (
                record.rec_type,
                record.rec_headers.get_header("WARC-Target-URI"),
                record.rec_headers.get_header("WARC-Date"),
            )
            offsets[key] = iterator.get_record_offset()
    return offsets


def _handmade_wacz(path: Path, warc: Path, index: tuple[str, bytes] | None) -> Path:
    """A WACZ laid out by hand: the WARC STORED under archive/, optionally one index member."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(warc, f"archive/{warc.name}", compress_type=zipfile.ZIP_STORED)
        if index is not None:
            zf.writestr(index[0], index[1])
    return path


def test_round_trip_keeps_bytes_status_headers_and_date(tmp_path):
    wacz = _pack(
        tmp_path,
        [
            _page("https://clinic.example.jp/index.html", SJIS_BODY, Content_Type=SJIS_TYPE),
            _page("https://clinic.example.jp/about", b"<html><title>About</title></html>", when=LATER),
        ],
    )
    with WaczArchive(wacz) as archive:
        capture = archive.get("https://clinic.example.jp/index.html")
        assert capture is not None
        assert capture.body == SJIS_BODY
        assert capture.status == 200
        assert _header(capture.headers, "Content-Type") == [SJIS_TYPE]
        assert capture.captured_at == WHEN
        assert capture.filename == "archive/data.warc.gz"
        assert capture.record_id.startswith("<urn:uuid:")
        assert archive.get("https://clinic.example.jp/about").captured_at == LATER
        assert archive.urls() == ["https://clinic.example.jp/about", "https://clinic.example.jp/index.html"]
        assert archive.get("https://clinic.example.jp/missing") is None
        assert archive.metadata["title"] == "Test"
        assert archive.metadata["wacz_version"] == "1.1.1"


def test_packed_wacz_is_self_consistent(tmp_path):
    wacz = _pack(tmp_path, [_page("https://a.example/", SJIS_BODY, Content_Type=SJIS_TYPE)])
    with zipfile.ZipFile(wacz) as zf:
        package_bytes = zf.read("datapackage.json")
        package = json.loads(package_bytes)
        for resource in package["resources"]:
            data = zf.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        assert {r["path"] for r in package["resources"]} == {
            "archive/data.warc.gz",
            "indexes/index.cdxj",
            "pages/pages.jsonl",
        }
        digest = json.loads(zf.read("datapackage-digest.json"))
        assert digest == {
            "path": "datapackage.json",
            "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest(),
        }
        pages = [json.loads(line) for line in zf.read("pages/pages.jsonl").decode().splitlines()]
    assert pages[0] == {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
    assert pages[1]["url"] == "https://a.example/"
    assert pages[1]["ts"] == WHEN
    assert pages[1]["title"] == "再生医療"
    assert package["software"] == "saisei"
    assert package["created"] == WHEN


def test_latest_capture_wins(tmp_path):
    wacz = _pack(
        tmp_path,
        [_page("https://a.example/", b"new", when=LATER), _page("https://a.example/", b"old", when=WHEN)],
    )
    with WaczArchive(wacz) as archive:
        assert archive.get("https://a.example/").body == b"new"
        assert archive.urls() == ["https://a.example/"]


@pytest.mark.parametrize(
    "asked",
    [
        "https://clinic.example.jp/search?b=2&a=1",
        "https://clinic.example.jp/search?a=1&b=2#results",
        "HTTPS://CLINIC.Example.JP/search?a=1&b=2",
        "https://clinic.example.jp:443/search?a=1&b=2",
        "http://clinic.example.jp/search?a=1&b=2",
    ],
)
def test_url_matching_is_tolerant(tmp_path, asked):
    wacz = _pack(tmp_path, [_page("https://clinic.example.jp/search?a=1&b=2", b"results")])
    with WaczArchive(wacz) as archive:
        capture = archive.get(asked)
        assert capture is not None
        assert capture.body == b"results"
        assert archive.get("https://clinic.example.jp/search?a=1&b=3") is None


def test_same_scheme_is_preferred(tmp_path):
    wacz = _pack(
        tmp_path,
        [_page("http://a.example/x", b"plain", when=LATER), _page("https://a.example/x", b"secure")],
    )
    with WaczArchive(wacz) as archive:
        assert archive.get("https://a.example/x").body == b"secure"
        assert archive.get("http://a.example/x").body == b"plain"


def test_content_and_transfer_encoding_are_removed(tmp_path):
    html = "<html>圧縮</html>".encode()
    chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
    wacz = _pack(
        tmp_path,
        [
            _page("https://a.example/gz", gzip.compress(html, mtime=0), Content_Encoding="gzip"),
            _page("https://a.example/chunked", chunked, Transfer_Encoding="chunked"),
        ],
    )
    with WaczArchive(wacz) as archive:
        compressed = archive.get("https://a.example/gz")
        assert compressed.body == html
        assert _header(compressed.headers, "Content-Encoding") == []
        assert _header(compressed.headers, "Content-Length") == []
        assert _header(compressed.headers, "Content-Type") == ["text/html; charset=UTF-8"]
        dechunked = archive.get("https://a.example/chunked")
        assert dechunked.body == b"hello world"
        assert _header(dechunked.headers, "Transfer-Encoding") == []


def test_not_found_capture_is_returned_with_its_status(tmp_path):
    wacz = _pack(tmp_path, [_page("https://a.example/gone", b"Not Found", status=404)])
    with WaczArchive(wacz) as archive:
        capture = archive.get("https://a.example/gone")
        assert capture.status == 404
        assert capture.body == b"Not Found"


def test_packing_is_deterministic_and_warcs_are_stored(tmp_path):
    sources = [
        _page("https://a.example/", SJIS_BODY, Content_Type=SJIS_TYPE),
        _page("https://a.example/b", b"b"),
    ]
    first = tmp_path / "one"
    second = tmp_path / "two"
    first.mkdir()
    second.mkdir()
    assert _pack(first, sources).read_bytes() == _pack(second, sources).read_bytes()
    assert (first / "data.warc.gz").read_bytes() == (second / "data.warc.gz").read_bytes()
    with zipfile.ZipFile(first / "out.wacz") as zf:
        names = zf.namelist()
        assert names == sorted(names)
        warcs = [info for info in zf.infolist() if info.filename.startswith("archive/")]
        assert warcs
        assert all(info.compress_type == zipfile.ZIP_STORED for info in warcs)
        assert {info.date_time for info in zf.infolist()} == {(2026, 11, 20, 3, 0, 0)}
    assert not [p for p in first.iterdir() if p.name.endswith(".tmp")]


def test_foreign_wacz_from_webrecorder_tool(tmp_path):
    if not WACZ_TOOL.exists():
        pytest.skip(f"webrecorder's wacz tool is not installed at {WACZ_TOOL}")
    warc = tmp_path / "file.warc.gz"
    write_warc(warc, [_page("https://a.example/page", SJIS_BODY, Content_Type=SJIS_TYPE)])
    result = subprocess.run(
        [str(WACZ_TOOL), "create", "-o", "out.wacz", warc.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out.wacz") as zf:
        assert "indexes/index.cdx.gz" in zf.namelist()
    with WaczArchive(tmp_path / "out.wacz") as archive:
        capture = archive.get("https://a.example/page")
        assert capture.body == SJIS_BODY
        assert capture.filename == "archive/file.warc.gz"


def test_our_wacz_passes_webrecorder_validation(tmp_path):
    if not WACZ_TOOL.exists():
        pytest.skip(f"webrecorder's wacz tool is not installed at {WACZ_TOOL}")
    wacz = _pack(tmp_path, [_page("https://a.example/", SJIS_BODY, Content_Type=SJIS_TYPE)])
    result = subprocess.run(
        [str(WACZ_TOOL), "validate", "-f", str(wacz)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is valid" in result.stdout


def _two_page_warc(tmp_path: Path) -> tuple[Path, dict]:
    """A WARC with /a twice and /b once; indexes below list only /a, so /b proves the index was used."""
    warc = tmp_path / "data.warc.gz"
    write_warc(
        warc,
        [
            _page("https://a.example/a", b"old a", when=WHEN),
            _page("https://a.example/a", b"new a", when=LATER),
            _page("https://a.example/b", b"b"),
        ],
    )
    return warc, _record_offsets(warc)


def _cdx11_lines(offsets: dict) -> list[str]:
    lines = []
    for (kind, url, date), offset in offsets.items():
        if kind == "response" and url.endswith("/a"):
            ts = date.replace("-", "").replace(":", "").replace("T", "").rstrip("Z")
            lines.append(f"example,a)/a {ts} {url} text/html 200 XYZ - - 100 {offset} data.warc.gz")
    return lines


def _cdxj_lines(offsets: dict) -> list[str]:
    lines = []
    for (kind, url, date), offset in offsets.items():
        if kind == "response" and url.endswith("/a"):
            ts = date.replace("-", "").replace(":", "").replace("T", "").rstrip("Z")
            fields = {
                "url": url,
                "status": "200",
                "offset": str(offset),
                "length": "100",
                "filename": "data.warc.gz",
            }
            lines.append(f"example,a)/a {ts} {json.dumps(fields)}")
    return lines


def _cdx11_index(offsets: dict) -> tuple[str, bytes]:
    return "indexes/index.cdx", (
        "\n".join([" CDX N b a m s k r M S V g", *_cdx11_lines(offsets)]) + "\n"
    ).encode()


def _zipnum_index(offsets: dict) -> tuple[str, bytes]:
    """Like `wacz create`: CDXJ in several concatenated gzip members."""
    return "indexes/index.cdx.gz", b"".join(
        gzip.compress(f"{line}\n".encode()) for line in _cdxj_lines(offsets)
    )


def _cdxj_index(offsets: dict) -> tuple[str, bytes]:
    return "indexes/index.cdxj", ("\n".join(_cdxj_lines(offsets)) + "\n").encode()


@pytest.mark.parametrize("make_index", [_cdx11_index, _zipnum_index, _cdxj_index])
def test_handmade_indexes_are_read(tmp_path, make_index):
    warc, offsets = _two_page_warc(tmp_path)
    wacz = _handmade_wacz(tmp_path / "hand.wacz", warc, make_index(offsets))
    with WaczArchive(wacz) as archive:
        assert archive.get("https://a.example/a").body == b"new a"
        assert archive.get("https://a.example/b") is None
        assert archive.urls() == ["https://a.example/a"]
        assert archive.metadata == {}


def test_index_entry_for_a_request_record_is_skipped(tmp_path):
    warc, offsets = _two_page_warc(tmp_path)
    request_offset = offsets[("request", "https://a.example/b", WHEN)]
    response_offset = offsets[("response", "https://a.example/b", WHEN)]
    fields = {"url": "https://a.example/b", "filename": "data.warc.gz"}
    lines = [
        f"example,a)/b 20261120030000 {json.dumps({**fields, 'offset': response_offset})}",
        f"example,a)/b 20991231000000 {json.dumps({**fields, 'offset': request_offset})}",
    ]
    wacz = _handmade_wacz(tmp_path / "hand.wacz", warc, ("indexes/index.cdxj", "\n".join(lines).encode()))
    with WaczArchive(wacz) as archive:
        capture = archive.get("https://a.example/b")
        assert capture.body == b"b"
        assert capture.offset == response_offset


def test_without_index_every_warc_is_scanned(tmp_path):
    warc, _ = _two_page_warc(tmp_path)
    wacz = _handmade_wacz(tmp_path / "bare.wacz", warc, None)
    with WaczArchive(wacz) as archive:
        assert archive.get("https://a.example/a").body == b"new a"
        assert archive.get("https://a.example/b").body == b"b"
        assert archive.urls() == ["https://a.example/a", "https://a.example/b"]


def test_non_zip_is_an_archive_error_naming_the_file(tmp_path):
    bogus = tmp_path / "bogus.wacz"
    bogus.write_text("this is not a zip")
    with pytest.raises(ArchiveError, match="bogus.wacz") as info:
        WaczArchive(bogus)
    assert "not a zip" in str(info.value)


def test_missing_file_is_an_archive_error(tmp_path):
    with pytest.raises(ArchiveError, match="nowhere.wacz"):
        WaczArchive(tmp_path / "nowhere.wacz")


def test_zip_without_warc_is_an_archive_error_naming_the_file(tmp_path):
    empty = tmp_path / "empty.wacz"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("datapackage.json", "{}")
        zf.writestr("notes/readme.txt", "no archive here")
    with pytest.raises(ArchiveError, match="empty.wacz") as info:
        WaczArchive(empty)
    assert "no WARC" in str(info.value)


def _sample_dir(tmp_path: Path, sample: bool = True) -> Path:
    source = tmp_path / "sample"
    (source / "pages").mkdir(parents=True)
    (source / "pages" / "list.html").write_bytes(SJIS_BODY)
    (source / "pages" / "missing.html").write_bytes(b"<html>404</html>")
    manifest = {
        "title": "Sample registry",
        "description": "hand-kept pages",
        "created": WHEN,
        "sample": sample,
        "captures": [
            {
                "url": "https://registry.example.jp/list",
                "file": "pages/list.html",
                "status": 200,
                "captured_at": WHEN,
                "headers": {"Content-Type": SJIS_TYPE},
            },
            {
                "url": "https://registry.example.jp/gone",
                "file": "pages/missing.html",
                "status": 404,
                "captured_at": LATER,
                "headers": {"Content-Type": "text/html"},
            },
        ],
    }
    (source / "captures.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return source


def test_pack_sample_builds_a_replayable_wacz(tmp_path):
    source = _sample_dir(tmp_path)
    wacz = pack_sample(source, tmp_path / "sample.wacz")
    again = pack_sample(source, tmp_path / "again.wacz")
    assert wacz.read_bytes() == again.read_bytes()
    with WaczArchive(wacz) as archive:
        assert archive.metadata["saisei_sample"] is True
        assert archive.metadata["title"] == "Sample registry"
        listing = archive.get("https://registry.example.jp/list")
        assert listing.body == SJIS_BODY
        assert _header(listing.headers, "Content-Type") == [SJIS_TYPE]
        gone = archive.get("https://registry.example.jp/gone")
        assert (gone.status, gone.captured_at) == (404, LATER)


def test_pack_sample_marks_only_samples(tmp_path):
    wacz = pack_sample(_sample_dir(tmp_path, sample=False), tmp_path / "real.wacz")
    with WaczArchive(wacz) as archive:
        assert "saisei_sample" not in archive.metadata


def test_pack_sample_names_a_missing_file(tmp_path):
    source = _sample_dir(tmp_path)
    (source / "pages" / "list.html").unlink()
    with pytest.raises(ArchiveError, match="list.html"):
        pack_sample(source, tmp_path / "sample.wacz")
    assert not (tmp_path / "sample.wacz").exists()


def test_recorder_appends_live_responses(tmp_path):
    warc = tmp_path / "live" / "crawl.warc.gz"
    recorder = WarcRecorder(warc)
    recorder.record(
        "https://a.example/list",
        200,
        [("Content-Type", SJIS_TYPE), ("Transfer-Encoding", "chunked")],
        SJIS_BODY,
        WHEN,
        request_headers=[("User-Agent", "saisei-test")],
    )
    recorder.record("https://a.example/gone", 404, [("Content-Type", "text/plain")], b"nope", LATER)
    recorder.close()
    recorder.close()

    with warc.open("rb") as fh:
        records = [(r.rec_type, r.http_headers) for r in ArchiveIterator(fh)]
    assert [kind for kind, _ in records] == ["warcinfo", "response", "request", "response", "request"]
    assert records[2][1].get_header("User-Agent") == "saisei-test"

    wacz = pack_wacz([warc], tmp_path / "live.wacz", title="Live", description="crawl", created=LATER)
    with WaczArchive(wacz) as archive:
        listing = archive.get("https://a.example/list")
        assert listing.body == SJIS_BODY
        assert listing.captured_at == WHEN
        assert _header(listing.headers, "Transfer-Encoding") == []
        gone = archive.get("https://a.example/gone")
        assert (gone.status, gone.body) == (404, b"nope")
        assert archive.urls() == ["https://a.example/gone", "https://a.example/list"]


def test_recorder_appends_to_an_existing_warc(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    with WarcRecorder(warc) as recorder:
        recorder.record("https://a.example/1", 200, [("Content-Type", "text/html")], b"one", WHEN)
    with WarcRecorder(warc) as recorder:
        recorder.record("https://a.example/2", 200, [("Content-Type", "text/html")], b"two", LATER)
    with warc.open("rb") as fh:
        kinds = [r.rec_type for r in ArchiveIterator(fh)]
    assert kinds.count("warcinfo") == 1
    assert kinds.count("response") == 2


def test_pack_refuses_a_missing_warc(tmp_path):
    with pytest.raises(ArchiveError, match="absent.warc.gz"):
        pack_wacz(
            [tmp_path / "absent.warc.gz"], tmp_path / "x.wacz", title="t", description="d", created=WHEN
        )


def test_a_url_printed_with_raw_japanese_is_archived_percent_encoded(tmp_path):
    raw = "https://news.example/2020/06/28/美容から治療・予防/"
    wacz = _pack(tmp_path, [_page(raw, b"<html><title>x</title></html>")])
    with WaczArchive(wacz) as archive:
        encoded = "https://news.example/2020/06/28/%E7%BE%8E%E5%AE%B9%E3%81%8B%E3%82%89%E6%B2%BB%E7%99%82%E3%83%BB%E4%BA%88%E9%98%B2/"
        assert archive.urls() == [encoded]
        assert archive.get(encoded).body == b"<html><title>x</title></html>"
