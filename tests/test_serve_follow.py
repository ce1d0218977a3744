"""``saisei serve`` follows publishing: a database swapped in with os.replace is served without a restart,
and clients hammering the server during the switch see no error."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import sqlite_utils

from saisei.schema import SCHEMA_VERSION
from tests.conftest import SAISEI, free_port


def publish(db: Path, marker: str) -> None:
    """Build a database beside ``db`` and swap it in whole, as saisei.database does."""
    tmp = db.with_name(f".{db.name}.tmp")
    tmp.unlink(missing_ok=True)
    built = sqlite_utils.Database(tmp)
    built["marker"].insert({"id": 1, "value": marker}, pk="id")
    built.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # as a build stamps it
    built.close()
    os.replace(tmp, db)


@contextlib.contextmanager
def serving(db: Path, log: Path):
    """``saisei serve`` (following) with its output in a file: a pipe nobody reads would fill with Datasette's
    access log and stall it."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen([*SAISEI, "serve", "--db", str(db), "--port", str(port)],
                                   stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not answers(base):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        process.wait(timeout=20)


def answers(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/-/versions.json", timeout=2)
        return True
    except OSError:
        return False


def children(pid: int) -> list[str]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return path.read_text().split() if path.exists() else []


def test_serve_switches_to_a_newly_published_database_without_errors(tmp_path):
    db = tmp_path / "saisei.db"
    publish(db, "one")
    with serving(db, tmp_path / "serve.log") as (base, process):
        url = base + "/saisei/marker.json?_shape=array"
        seen: list[list[str]] = [[] for _ in range(4)]
        errors: list[str] = []
        stop = threading.Event()

        def client(log: list[str]) -> None:
            while not stop.is_set():
                try:
                    with urllib.request.urlopen(url, timeout=10) as response:
                        log.append(json.loads(response.read())[0]["value"])
                except Exception as error:  # every failure counts, whatever its kind
                    errors.append(f"{time.monotonic() - started:.1f}s {error!r}")

        threads = [threading.Thread(target=client, args=(log,)) for log in seen]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        publish(db, "two")
        print(f"published at {time.monotonic() - started:.1f}s")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not all(log and log[-1] == "two" for log in seen):
            time.sleep(0.2)
        time.sleep(1.0)
        stop.set()
        for thread in threads:
            thread.join(20)
        total = sum(len(log) for log in seen)
        print(f"requests during the switch: {total}, errors: {len(errors)}")
        assert errors == [], errors
        assert all("one" in log and log[-1] == "two" for log in seen)
        # each client opens a connection per request: once it has the new database, never the old one again
        assert all("one" not in log[log.index("two"):] for log in seen)
        assert total > 20
        assert len(list((tmp_path / ".serve").iterdir())) == 1, "the old snapshot was not removed"
        assert len(children(process.pid)) == 1, "the old Datasette is still running"
    assert process.returncode == 0
    assert not (tmp_path / ".serve").exists() or not list((tmp_path / ".serve").iterdir())


def test_a_broken_publication_keeps_the_old_database_serving(tmp_path):
    db = tmp_path / "saisei.db"
    publish(db, "one")
    with serving(db, tmp_path / "serve.log") as (base, _):
        tmp = db.with_name(".broken")
        tmp.write_bytes(b"this is not SQLite")
        os.replace(tmp, db)
        time.sleep(4)
        with urllib.request.urlopen(base + "/saisei/marker.json?_shape=array", timeout=10) as response:
            assert json.loads(response.read())[0]["value"] == "one"
