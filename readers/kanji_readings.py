"""pykakasi's kanji dictionary, kept on disk and read one first character at a time.

pykakasi (pinned 2.3.0) unpickles its whole kanji dictionary, ``kanwadict4.db``, into one dict of dicts: a 9.7 MB
file becomes about 110 MB of Python objects, for the few hundred kanji a build's clinic names use. That alone took
the 20,000-row plan build over its 250 MB budget. This module copies the dictionary once into an SQLite file in the
user's cache (one row per first character, its table pickled), doing the unpickling in a child process so this
process never holds the whole of it, and gives pykakasi a mapping that reads a character's table when first asked
and keeps the recently used ones. Readings are the library's own, character for character.

pykakasi shares the table through the ``Kanwa`` class's ``_shared_state`` (a Borg); :func:`install` puts the lazy
mapping there before the first ``kakasi()``. If anything fails (no writable cache, another pykakasi layout), the
library's own loading is left as it is: slower to start and heavier, never wrong.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import subprocess
import sys
import threading
from functools import lru_cache
from pathlib import Path

#: tables (one per first character) kept unpickled at once; a build's names use a few hundred characters
TABLES_KEPT = 2048

_BUILD = """
import pickle, sys
import sqlite_utils
from pykakasi.properties import Configurations
with open(Configurations.dictpath(Configurations.jisyo_kanwa), "rb") as source:
    table = pickle.load(source)
db = sqlite_utils.Database(sys.argv[1])
db["kanwa"].insert_all(({"code": key, "entries": pickle.dumps(value, protocol=4)} for key, value in table.items()),
                       pk="code", batch_size=2000)
"""


def cache_path() -> Path:
    """Where the copy lives: ``$SAISEI_CACHE`` or ``$XDG_CACHE_HOME/saisei`` (``~/.cache/saisei``), per version."""
    from importlib.metadata import version

    base = os.environ.get("SAISEI_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "saisei"
    return Path(base) / f"kanwa-{version('pykakasi')}.sqlite"


def _build(path: Path) -> None:
    """Write the copy in a child process (its 110 MB are the child's), then move it into place whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-c", _BUILD, str(partial)], check=True, capture_output=True, timeout=300)
    os.replace(partial, path)


class LazyKanwa:
    """The ``{first character's code point: {word: [(reading, context)]}}`` mapping pykakasi reads, from SQLite."""

    def __init__(self, path: Path):
        self._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self.get = lru_cache(maxsize=TABLES_KEPT)(self._get)

    def _get(self, key: int, default=None):
        with self._lock:
            row = self._connection.execute("select entries from kanwa where code = ?", (key,)).fetchone()
        return pickle.loads(row[0]) if row else default  # noqa: S301 (pykakasi's own data, copied by us)


def install() -> bool:
    """Give pykakasi the on-disk dictionary; False (and pykakasi untouched) when that cannot be done."""
    try:
        from pykakasi import kanji

        state = kanji.Kanwa._shared_state
        if state.get("_jisyo_table") is not None:
            return isinstance(state["_jisyo_table"], LazyKanwa)
        path = cache_path()
        if not path.exists():
            _build(path)
        state["_jisyo_table"] = LazyKanwa(path)
        return True
    except Exception:  # a read-only home, another pykakasi: the library loads its own dictionary as before
        return False
