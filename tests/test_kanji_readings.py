"""readers.kanji_readings: pykakasi's dictionary read from disk gives the library's own readings, in less memory."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from readers import kanji_readings

NAMES = ["桃谷うすい整形外科", "お茶の水セルクリニック", "剣持整形外科", "大森赤十字病院", "釧路孝仁会記念病院",
         "兵庫県立リハビリテーション中央病院", "聖マリアンナ医科大学病院", "麻布十番今林クリニック", "足立慶友整形外科",
         "札幌ひざのセルクリニック", "東海大学医学部付属病院", "福永記念診療所", "善衆会病院", "鶴舞公園クリニック"]

_ORIGINAL = """
import json, sys
import pykakasi
kakasi = pykakasi.kakasi()
print(json.dumps([''.join(p['hepburn'] for p in kakasi.convert(n)) for n in json.loads(sys.argv[1])]))
"""

_LAZY = r"""
import json, re, sys
from readers.kanji_readings import install
assert install()
import pykakasi
kakasi = pykakasi.kakasi()
readings = [''.join(p['hepburn'] for p in kakasi.convert(n)) for n in json.loads(sys.argv[1])]
# this process's own peak (VmHWM is reset by exec; getrusage's maxrss would carry the forking parent's over)
peak = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024
print(json.dumps({"readings": readings, "peak_mb": peak}))
"""


def _run(code: str, env_cache, names=NAMES):
    out = subprocess.run([sys.executable, "-c", code, json.dumps(names)], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "SAISEI_CACHE": str(env_cache)})
    return json.loads(out.stdout)


def test_the_readings_are_the_librarys_own_and_the_dictionary_is_not_held_whole(tmp_path):
    original = _run(_ORIGINAL, tmp_path)
    lazy = _run(_LAZY, tmp_path)
    assert lazy["readings"] == original
    assert (tmp_path / kanji_readings.cache_path().name).exists()
    # the library's own loading holds the whole dictionary (about 110 MB of objects); read from disk it is a few MB
    assert lazy["peak_mb"] < 80, lazy["peak_mb"]


def test_a_cache_that_cannot_be_written_leaves_pykakasi_as_it_was(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SAISEI_CACHE", str(blocked / "sub"))
    from pykakasi import kanji

    monkeypatch.setitem(kanji.Kanwa._shared_state, "_jisyo_table", None)
    assert kanji_readings.install() is False
    assert kanji.Kanwa._shared_state["_jisyo_table"] is None  # pykakasi will load its own dictionary


@pytest.mark.parametrize("missing", [0x41, 0x10FFFF])
def test_a_character_the_dictionary_lacks_reads_as_none(tmp_path, missing):
    kanji_readings._build(tmp_path / "kanwa.sqlite")
    assert kanji_readings.LazyKanwa(tmp_path / "kanwa.sqlite").get(missing, None) is None
