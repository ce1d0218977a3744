"""One build at a time per database (saisei.buildlock), with real concurrent processes.

A helper process takes the lock exactly as a build does and holds it until told to stop (or is killed), so
the second run meets a held lock every time, not by the luck of timing. One test races two real refreshes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from saisei.buildlock import EXIT_LOCKED, build_lock, leftover_files, lock_path
from tests.conftest import ROOT, SAISEI

HOLDER = """
import sys, time
from pathlib import Path
from saisei.buildlock import build_lock
db = Path(sys.argv[1])
with build_lock(db, "refresh"):
    # what a build writes before it swaps: a temporary database and its journal
    for name in (f".{db.name}.tmp-%d", f".{db.name}.tmp-%d-journal"):
        (db.parent / (name % __import__("os").getpid())).write_bytes(b"half-written")
    print("locked", flush=True)
    sys.stdin.readline()
"""


def _hold(db: Path) -> subprocess.Popen:
    """A process holding the lock of ``db``; it releases it when its stdin gets a line."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "locked"
    return process


def _saisei(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*SAISEI, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_second_run_exits_with_a_clear_message_and_touches_nothing(tmp_path):
    db = tmp_path / "saisei.db"
    db.write_bytes(b"published database")
    holder = _hold(db)
    try:
        for args in (("refresh", "--offline"), ("build", "--offline"), ("verify",)):
            run = _saisei(*args, "--db", str(db))
            _, stderr = run.communicate(timeout=60)
            assert run.returncode == EXIT_LOCKED, stderr
            assert f"is being built by pid {holder.pid} (saisei refresh" in stderr
            assert "--wait" in stderr
        assert db.read_bytes() == b"published database"
        assert len(leftover_files(db)) == 2  # the holder's files are not touched while it runs
    finally:
        holder.communicate("\n", timeout=10)
    assert holder.returncode == 0
    assert lock_path(db).read_text() == ""  # a finished run leaves no holder behind


def test_lock_of_a_killed_run_is_not_stale_and_its_temporary_files_are_removed(tmp_path):
    db = tmp_path / "saisei.db"
    holder = _hold(db)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    assert len(leftover_files(db)) == 2
    messages = []
    with build_lock(db, "build", say=messages.append):
        assert leftover_files(db) == []
        assert json.loads(lock_path(db).read_text())["pid"] == os.getpid()
    assert f"pid {holder.pid} (saisei refresh" in messages[0] and "no longer running" in messages[0]
    assert sum("removed a temporary file" in m for m in messages) == 2


def test_wait_says_so_and_runs_after_the_holder_finishes(tmp_path):
    db = tmp_path / "saisei.db"
    holder = _hold(db)
    start = time.monotonic()
    waiting = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from saisei.buildlock import build_lock\n"
         "with build_lock(Path(sys.argv[1]), 'build', wait=True, say=lambda m: print(m, flush=True)): print('ran')",
         str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    assert waiting.stdout.readline().startswith(f"waiting: {db} is being built by pid {holder.pid}")
    time.sleep(1)
    assert waiting.poll() is None  # still waiting while the holder runs
    holder.communicate("\n", timeout=10)
    rest, _ = waiting.communicate(timeout=30)
    assert "acquired" in rest and rest.rstrip().endswith("ran")
    assert time.monotonic() - start >= 1


@pytest.mark.slow
def test_two_concurrent_refreshes_one_publishes_the_other_refuses(tmp_path):
    db = tmp_path / "saisei.db"
    first = _saisei("refresh", "--offline", "--db", str(db))
    deadline = time.monotonic() + 60
    while not (lock_path(db).exists() and lock_path(db).read_text()):  # the first holds the lock
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()
        time.sleep(0.05)
    second = _saisei("refresh", "--offline", "--db", str(db))
    _, second_err = second.communicate(timeout=120)
    _, first_err = first.communicate(timeout=300)
    assert first.returncode == 0, first_err
    assert second.returncode == EXIT_LOCKED, second_err
    assert f"is being built by pid {first.pid} (saisei refresh" in second_err
    ledger = (tmp_path / "runs" / "ledger.jsonl").read_text().splitlines()
    assert [json.loads(line)["status"] for line in ledger] == ["ok"]  # the refused run never started
