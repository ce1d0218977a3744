"""``saisei serve`` follows publishing: a new database is served without a restart and without dropped requests.

A build publishes by ``os.replace`` of the database path, so the path's inode changes. This supervisor:

1. serves a *snapshot* of the published file: a hard link in ``.serve/<generation>/`` beside the database (a
   copy where links are impossible), so one Datasette sees one database for its whole life, whatever is
   published meanwhile;
2. runs Datasette for it on a free loopback port, behind a small TCP proxy on the port people use;
3. polls the path once a second (inode, mtime, size); on a change it starts a second Datasette on the new file,
   waits until it answers, points the proxy at it for every *new* connection, lets the old one finish the
   connections it has (up to ``drain`` seconds), then stops it and removes its snapshot.

A request is never refused: until the new Datasette answers, the old one keeps getting everything; a new
database that does not start (a broken file) is logged and the old one keeps serving. SIGTERM / Ctrl-C stop
the proxy and every Datasette.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from saisei.serve import datasette_args

POLL_SECONDS = 1.0
DRAIN_SECONDS = 30.0
START_TIMEOUT = 90.0


def say(message: str) -> None:
    print(f"[serve] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def identity(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def snapshot(db_path: Path, generation: int) -> Path:
    """A stable name for the database as published now; Datasette keeps the file's name, so URLs stay."""
    folder = db_path.parent / ".serve" / f"{os.getpid()}-{generation}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    target = folder / db_path.name
    try:
        os.link(db_path, target)
    except OSError:
        shutil.copy2(db_path, target)
    return target


@dataclass
class Backend:
    path: Path
    port: int
    process: asyncio.subprocess.Process
    #: inode, mtime and size of the published path when this snapshot was taken
    published: tuple | None = None
    connections: int = 0
    idle: asyncio.Event = field(default_factory=asyncio.Event)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            try:
                # uvicorn waits for open connections on SIGTERM; the proxy closed its side, so this is short
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        shutil.rmtree(self.path.parent, ignore_errors=True)


class Supervisor:
    def __init__(self, db_path: Path, port: int, host: str = "127.0.0.1", allow_robots: bool = False,
                 poll: float = POLL_SECONDS, drain: float = DRAIN_SECONDS, public: bool = False):
        self.db_path, self.port, self.host, self.allow_robots = db_path, port, host, allow_robots
        self.public = public
        self.poll, self.drain = poll, drain
        self.generation = 0
        self.current: Backend | None = None
        self.stopping = asyncio.Event()
        #: the published file last tried, so a database that fails to start is not retried until replaced
        self.tried: tuple | None = None
        self.clients: set[asyncio.StreamWriter] = set()
        self.retiring: list[Backend] = []

    async def start_backend(self) -> Backend | None:
        self.generation += 1
        published = identity(self.db_path)
        self.tried = published
        path = snapshot(self.db_path, self.generation)
        port = free_port()
        args = datasette_args(path, port, allow_robots=self.allow_robots, public=self.public)
        process = await asyncio.create_subprocess_exec(*args, stdin=asyncio.subprocess.DEVNULL)
        backend = Backend(path, port, process, published)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT
        while loop.time() < deadline and process.returncode is None:
            if await asyncio.to_thread(answers, port):
                return backend
            await asyncio.sleep(0.2)
        say(f"the database at {self.db_path} did not start (exit {process.returncode}); still serving the old one")
        await backend.stop()
        return None

    async def switch(self) -> None:
        new = await self.start_backend()
        if new is None:
            return
        old, self.current = self.current, new
        say(f"serving the newly published {self.db_path} (generation {self.generation}, port {new.port})")
        if old is not None:
            asyncio.create_task(self.retire(old))

    async def retire(self, old: Backend) -> None:
        self.retiring.append(old)
        if old.connections:
            old.idle.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(old.idle.wait(), self.drain)
        await old.stop()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        backend = self.current
        backend.connections += 1
        self.clients.add(writer)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", backend.port)
        except OSError:
            writer.close()
            backend.connections -= 1
            return
        try:
            await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))
        finally:
            self.clients.discard(writer)
            backend.connections -= 1
            if not backend.connections:
                backend.idle.set()

    async def watch(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), self.poll)
            now = identity(self.db_path)
            if now is not None and now != self.current.published and now != self.tried:
                await self.switch()

    async def run(self) -> None:
        await self.switch()
        if self.current is None:
            raise SystemExit(f"error: Datasette did not start for {self.db_path}")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)
        server = await asyncio.start_server(self.handle, self.host, self.port)
        say(f"http://{self.host}:{self.port} → {self.db_path} (follows new builds; Ctrl-C stops)")
        watcher = asyncio.create_task(self.watch())
        await self.stopping.wait()
        server.close()
        watcher.cancel()
        for client in list(self.clients):
            client.close()
        self.retiring = [*self.retiring, self.current]
        await asyncio.gather(*(backend.stop() for backend in self.retiring))


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


def serve_following(db_path: Path, port: int, host: str = "127.0.0.1", allow_robots: bool = False,
                    public: bool = False) -> None:
    asyncio.run(Supervisor(db_path, port, host=host, allow_robots=allow_robots, public=public).run())
