"""Caps on what an archive can cost (scrapers.archive_limits): bombs, floods and endless lines are refused
with the cap's name, and a whole build over a 400 MB gzip bomb stays small and leaves the database as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import brotli
import pytest

from scrapers.webarchive import ArchiveError, PageSource, WaczArchive, write_warc
from tests.archives import PLAN_LIST_2, make_archive, sample_pages
from tests.conftest import ROOT, SAISEI

URL = "https://clinic.example.jp/"
MB = 1 << 20


def gzip_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, made block by block so the test itself stays small (about 1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * MB
    return b"".join(compressor.compress(block) for _ in range(size // MB)) + compressor.flush()


def page(body: bytes, *headers: tuple[str, str], url: str = URL) -> PageSource:
    return PageSource(url, body, "2026-11-20T00:00:00Z", 200, (("Content-Type", "text/html"), *headers))


def archive_of(tmp_path: Path, *pages: PageSource) -> Path:
    return make_archive(tmp_path, "limits", {p.url: p for p in pages})


def unindexed_archive_of(tmp_path: Path, *pages: PageSource) -> Path:
    """A WACZ with WARCs only, so the reader has to scan them."""
    warc = tmp_path / "data.warc.gz"
    write_warc(warc, pages)
    path = tmp_path / "unindexed.wacz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(warc, "archive/data.warc.gz")
    return path


def test_gzip_bomb_record_is_refused_with_the_cap_url_and_offset(tmp_path, monkeypatch):
    monkeypatch.setenv("SAISEI_ARCHIVE_MAX_RECORD_MB", "2")
    path = archive_of(tmp_path, page(gzip_zeros(8 * MB), ("Content-Encoding", "gzip")))
    assert path.stat().st_size < 64 * 1024
    with WaczArchive(path) as archive, pytest.raises(ArchiveError) as error:
        archive.get(URL)
    message = str(error.value)
    assert message.startswith("archive limit SAISEI_ARCHIVE_MAX_RECORD_MB=2 exceeded: a record inflates beyond 2 MiB")
    assert "SAISEI_ARCHIVE_MAX_RECORD_MB=8 saisei build" in message  # how to raise it
    assert URL in message and "at offset" in message


def test_record_just_under_the_cap_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setenv("SAISEI_ARCHIVE_MAX_RECORD_MB", "2")
    path = archive_of(tmp_path, page(gzip_zeros(2 * MB), ("Content-Encoding", "gzip")))
    with WaczArchive(path) as archive:
        assert archive.get(URL).body == b"\0" * (2 * MB)


def test_brotli_bomb_is_refused_before_it_inflates(tmp_path, monkeypatch):
    """Regression: warcio 1.8.1 handed ``br`` bodies on still compressed (it calls a method brotli 1.2 lacks);
    decoded without a bound, 1.6 KB of brotli inflates to 1 GiB in one call. Packing an archive with a ``br``
    page (``archive_of`` below; a live crawl records bodies as received) crashed on the same call."""
    monkeypatch.setenv("SAISEI_ARCHIVE_MAX_RECORD_MB", "4")
    compressor = brotli.Compressor(quality=5)
    bomb = b"".join(compressor.process(b"\0" * MB) for _ in range(1024)) + compressor.finish()
    small = brotli.compress("<p>再生医療</p>".encode())
    path = archive_of(
        tmp_path,
        page(bomb, ("Content-Encoding", "br")),
        page(small, ("Content-Encoding", "br"), url=URL + "small"),
    )
    with WaczArchive(path) as archive:
        assert archive.get(URL + "small").body == "<p>再生医療</p>".encode()
        with pytest.raises(ArchiveError, match="SAISEI_ARCHIVE_MAX_RECORD_MB=4 exceeded"):
            archive.get(URL)


def test_total_inflated_size_is_capped(tmp_path, monkeypatch):
    monkeypatch.setenv("SAISEI_ARCHIVE_MAX_TOTAL_MB", "3")
    pages = [page(gzip_zeros(MB), ("Content-Encoding", "gzip"), url=f"{URL}{n}") for n in range(5)]
    with WaczArchive(archive_of(tmp_path, *pages)) as archive:
        for n in range(2):  # the index lines read at open count too, so a third MiB goes past 3 MiB
            assert len(archive.get(f"{URL}{n}").body) == MB
        with pytest.raises(ArchiveError, match="SAISEI_ARCHIVE_MAX_TOTAL_MB=3 exceeded: more than 3 MiB inflated"):
            archive.get(f"{URL}2")


def test_record_count_is_capped_when_the_archive_is_opened(tmp_path, monkeypatch):
    monkeypatch.setenv("SAISEI_ARCHIVE_MAX_RECORDS", "10")
    pages = [page(b"<p>x</p>", url=f"{URL}{n}") for n in range(20)]
    for path in (archive_of(tmp_path, *pages), unindexed_archive_of(tmp_path, *pages)):
        with pytest.raises(ArchiveError, match="SAISEI_ARCHIVE_MAX_RECORDS=10 exceeded"):
            WaczArchive(path)


def test_scanning_an_unindexed_archive_refuses_a_bomb_at_open(tmp_path, monkeypatch):
    monkeypatch.setenv("SAISEI_ARCHIVE_MAX_RECORD_MB", "1")
    # the WARC record itself is one gzip member that inflates to 4 MiB
    path = unindexed_archive_of(tmp_path, page(b"\0" * (4 * MB)))
    with pytest.raises(ArchiveError, match=r"SAISEI_ARCHIVE_MAX_RECORD_MB=1 exceeded.*scanning archive/data.warc.gz"):
        WaczArchive(path)


def test_endless_header_line_is_refused(tmp_path):
    path = archive_of(tmp_path, page(b"<p>x</p>", ("X-Padding", "a" * 100_000)))
    with WaczArchive(path) as archive, pytest.raises(ArchiveError, match="SAISEI_ARCHIVE_MAX_LINE_KB=64 exceeded"):
        archive.get(URL)


def test_a_cap_that_is_not_a_number_is_a_clear_error(tmp_path, monkeypatch):
    path = archive_of(tmp_path, page(b"<p>x</p>"))
    monkeypatch.setenv("SAISEI_ARCHIVE_MAX_RECORDS", "lots")
    with pytest.raises(ArchiveError, match="SAISEI_ARCHIVE_MAX_RECORDS='lots' is not a whole number"):
        WaczArchive(path)


@pytest.mark.slow
def test_build_over_a_400_mb_gzip_bomb_stays_small_and_keeps_the_database(tmp_path, sample_db):
    """The issue's archive: the class-2 plan list replaced by 0.4 MB that inflates to 400 MB."""
    pages = sample_pages()
    plan_list = pages[PLAN_LIST_2]
    pages[PLAN_LIST_2] = PageSource(
        plan_list.url, gzip_zeros(400 * MB), plan_list.captured_at, 200,
        (("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip")),
    )
    archive = make_archive(tmp_path, "bomb", pages)
    db = tmp_path / "saisei.db"
    shutil.copyfile(sample_db, db)
    before = db.read_bytes()
    process = subprocess.Popen(
        [*SAISEI, "build", "--offline", str(archive), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    peak_mb = usage.ru_maxrss / 1024
    assert os.waitstatus_to_exitcode(status) == 1, stderr
    assert "archive limit SAISEI_ARCHIVE_MAX_RECORD_MB=64 exceeded" in stderr
    assert f"{db} was left unchanged" in stderr
    assert db.read_bytes() == before
    # before the caps: 930 MB (the 400 MB body, then a copy); with them: the 64 MiB cap plus the build itself
    assert peak_mb < 400, f"peak RSS {peak_mb:.0f} MB"
