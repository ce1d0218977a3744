"""The fuzzing campaign (saisei.fuzzing) with a small fixed budget: derandomized, so CI runs the same inputs
every time, a few seconds per reader. ``saisei benchmark fuzz`` runs the long campaign with a fresh seed.

Crashes the campaign found are kept below as named regression tests with the input that caused them.
"""

from __future__ import annotations

import pytest

from saisei.fuzzing import TARGETS, check_prices, run_target

#: examples per reader in CI (about 1-3 s each on the CI machine)
CI_EXAMPLES = {"plan_table": 60, "clinic_page": 150, "identifiers": 400, "prices": 400, "wacz": 150}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_reader_survives_its_fuzz_budget(name):
    assert run_target(TARGETS[name], CI_EXAMPLES[name], derandomize=True) == CI_EXAMPLES[name]


def test_a_broken_reader_is_caught():
    """The harness can fail: a property that rejects every price is reported, not swallowed."""
    from dataclasses import replace

    target = replace(TARGETS["prices"], check=lambda text: check_prices(text) or (_ for _ in ()).throw(ValueError()))
    with pytest.raises(ValueError):
        run_target(target, 10, derandomize=True)




def _damaged_member(name: str, delta: int) -> bytes:
    """The bundled archive with one byte of member ``name``'s deflated data changed."""
    import io
    import zipfile

    from saisei.paths import BUNDLED_ARCHIVE

    data = bytearray(BUNDLED_ARCHIVE.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    data[info.header_offset + 30 + len(info.filename) + len(info.extra) + delta] ^= 0x55
    return bytes(data)


@pytest.mark.parametrize("member", ["indexes/index.cdxj", "datapackage.json"])
def test_damaged_deflated_member_is_an_archive_error(member, tmp_path):
    """Found by the campaign (wacz target, one byte flipped in a deflated member): zlib.error escaped
    WaczArchive as a raw traceback instead of an ArchiveError naming the file."""
    from scrapers.webarchive import ArchiveError, WaczArchive

    path = tmp_path / "damaged.wacz"
    path.write_bytes(_damaged_member(member, 10))
    with pytest.raises(ArchiveError, match="unreadable|not readable"):
        WaczArchive(path)
