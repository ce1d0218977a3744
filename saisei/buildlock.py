"""One build at a time per database: ``<db>.lock`` beside it, held with ``flock`` for the whole run.

Two builds (or a build and a ``saisei verify``) of the same database would each write their own temporary
file and each swap it in: the later one silently wins and the earlier one's run is lost. The lock makes the
second one refuse (exit status 75, EX_TEMPFAIL: try again later) or, with ``--wait``, wait and say so.

Why ``fcntl.flock`` and not a pid file: the kernel releases the lock when its holder dies, even by
``kill -9``, so a lock is never stale; the file only *describes* its holder (pid, command, start time) for the
message the second run prints. When the lock is taken and the file names a process that no longer exists,
that process was killed mid-run: the temporary databases it left beside the database (``.<db>.tmp-<pid>``
from a build, ``.<db>.verify-<pid>`` from ``saisei verify``, with their SQLite journals) are removed, since
no one else can be writing them while we hold the lock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

#: exit status of a run refused because another holds the lock (sysexits.h EX_TEMPFAIL)
EXIT_LOCKED = 75
#: how often a waiting run retries the lock, in seconds
POLL_SECONDS = 0.5


class DatabaseLocked(Exception):
    """Another saisei run holds the database's lock; the message names it and says what to do."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def leftover_files(db_path: Path) -> list[Path]:
    """Temporary databases a killed build or verify may have left beside ``db_path`` (and their journals)."""
    patterns = (f".{db_path.name}.tmp-*", f".{db_path.name}.verify-*")
    return sorted(path for pattern in patterns for path in db_path.parent.glob(pattern))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _holder(fd: int) -> dict:
    """What the lock file says about its holder (empty when unreadable: a lock from an older saisei)."""
    try:
        return json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def describe(holder: dict) -> str:
    if not holder:
        return "another saisei run"
    return f"pid {holder.get('pid')} (saisei {holder.get('command', '?')}, started {holder.get('started_at', '?')})"


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EWOULDBLOCK, errno.EACCES):
            return False
        raise
    return True


@contextlib.contextmanager
def build_lock(
    db_path: Path,
    command: str,
    *,
    wait: bool = False,
    timeout: float | None = None,
    say: Callable[[str], None] = print,
) -> Iterator[Path]:
    """Hold ``<db>.lock`` for the block; refuse with :class:`DatabaseLocked` or wait (``wait=True``).

    ``timeout`` (seconds) bounds the wait; None waits as long as it takes. Yields the lock file's path.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, db_path, wait=wait, timeout=timeout, say=say)
        previous = _holder(fd)
        _clean_after_killed_run(db_path, previous, say)
        info = {"pid": os.getpid(), "command": command, "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)  # a clean finish leaves an empty file: nothing to clean up after us
    finally:
        os.close(fd)  # closing releases the flock


def _acquire(fd: int, db_path: Path, *, wait: bool, timeout: float | None, say) -> None:
    if _try_lock(fd):
        return
    holder = describe(_holder(fd))
    if not wait:
        raise DatabaseLocked(
            f"{db_path} is being built by {holder}; this run was not started. "
            f"Run it again when that one has finished, or add --wait to wait for it "
            f"(lock file {lock_path(db_path)})."
        )
    say(f"waiting: {db_path} is being built by {holder} (lock file {lock_path(db_path)})")
    deadline = None if timeout is None else time.monotonic() + timeout
    while not _try_lock(fd):
        if deadline is not None and time.monotonic() >= deadline:
            raise DatabaseLocked(f"{db_path} is still being built by {holder} after waiting {timeout:g} s; giving up.")
        time.sleep(POLL_SECONDS)
    say(f"lock on {db_path} acquired; starting")


def _clean_after_killed_run(db_path: Path, previous: dict, say) -> None:
    """Remove what a run that died holding the lock left behind (see the module docstring).

    A run that finishes empties the lock file, so a holder still named in it did not finish. Whatever the
    file says, no one else writes temporary databases for ``db_path`` while we hold the lock, so every
    leftover is an orphan.
    """
    if previous:
        pid = previous.get("pid")
        state = "no longer running" if isinstance(pid, int) and not _alive(pid) else "lock released"
        say(f"note: the previous run on {db_path}, {describe(previous)}, did not finish ({state})")
    for leftover in leftover_files(db_path):
        leftover.unlink(missing_ok=True)
        say(f"      removed a temporary file left by an unfinished run: {leftover.name}")


def run_locked(db_path: Path, command: str, wait: bool, run: Callable[[], int], say=print) -> int:
    """``run()`` under the database's lock; a refusal is printed and gives :data:`EXIT_LOCKED`."""
    try:
        with build_lock(db_path, command, wait=wait, say=say):
            return run()
    except DatabaseLocked as refusal:
        say(f"error: {refusal}")
        return EXIT_LOCKED
