"""``saisei serve``'s server process: Datasette's own app under uvicorn, in one worker process per core.

``datasette serve`` runs one process, and one Python process renders one page at a time (the GIL), however
many SQL threads it has: on 100,000 clinics the pages are rendering-bound, so a second core sat idle while
requests queued (issue 14). uvicorn's ``--workers`` runs the same app in several processes on one socket.
Each worker builds the Datasette that ``datasette serve`` would (:func:`application`, with the same database,
metadata, plugins, templates and settings), so pages are the same whichever worker answers; the database is
immutable, so nothing needs sharing between them.

Run as ``python -m saisei.asgi`` with ``datasette serve``'s own options (:func:`saisei.serve.datasette_args`
writes them); the options reach the workers through one environment variable, since uvicorn starts each
worker by importing :func:`application`.
"""

from __future__ import annotations

import json
import os
import socket
import sys

import click
from datasette.cli import Setting
from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # httptools' C parser, when installed (setup.cfg pins it); h11 otherwise. At 8 clients on 2 cores, fresh analyst
    # search p95 45.5 / 46.7 -> 36.3 / 34.8 ms (alternating runs, load 2.4-2.7)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a dependency where it builds
    HttpToolsProtocol = None

#: the options of this server, as JSON, for the workers uvicorn starts
CONFIG_ENV = "SAISEI_ASGI_CONFIG"
#: seconds a thread may hold the GIL while another waits for it (Python's default is 0.005). A worker renders
#: pages on its event loop while Datasette's SQL threads run queries: each of a page's SQL calls is handed
#: between threads, and with the default a finished query could wait up to 5 ms behind another request's
#: rendering. At 0.0005, 8 clients on 2 cores: fresh analyst search p95 136-157 -> 71-80 ms, fresh clinic
#: page 32-35 -> 13-18 ms (saisei benchmark serve, two runs each, load about 4)
SWITCH_INTERVAL = 0.0005


def _no_delay(transport) -> None:
    """Nagle's algorithm off on a connection's socket.

    A worker gets the listening socket from uvicorn's parent process, and asyncio turns on ``TCP_NODELAY`` only
    for sockets it can tell are TCP, which an inherited one is not: the body of each response on a kept-alive
    connection then waited for the client's delayed ACK, 40 ms a request whatever the page (measured).
    """
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol (h11) with Nagle's algorithm off on every connection."""

    def connection_made(self, transport) -> None:
        _no_delay(transport)
        super().connection_made(transport)


if HttpToolsProtocol is not None:
    class NoDelayHttpToolsProtocol(HttpToolsProtocol):
        """uvicorn's httptools (C parser) HTTP/1.1 protocol with Nagle's algorithm off on every connection."""

        def connection_made(self, transport) -> None:
            _no_delay(transport)
            super().connection_made(transport)


def http_protocol() -> str:
    """The HTTP protocol class uvicorn runs, by import path: httptools' when it is installed, else h11's."""
    name = "NoDelayHttpToolsProtocol" if HttpToolsProtocol is not None else "NoDelayH11Protocol"
    return f"saisei.asgi:{name}"


def application():
    """The ASGI app of one worker (a uvicorn factory): Datasette for the options in :data:`CONFIG_ENV`."""
    from datasette.app import Datasette

    sys.setswitchinterval(SWITCH_INTERVAL)
    config = json.loads(os.environ[CONFIG_ENV])
    with open(config["metadata"], encoding="utf-8") as handle:
        metadata = json.load(handle)
    return Datasette(
        immutables=config["immutable"],
        metadata=metadata,
        plugins_dir=config["plugins_dir"],
        template_dir=config["template_dir"],
        settings=config["settings"],
    ).app()


@click.command()
@click.option("--immutable", multiple=True, required=True, help="Database file, opened read-only.")
@click.option("--metadata", required=True, help="metadata.json written by saisei.serve.runtime_metadata")
@click.option("--plugins-dir", required=True)
@click.option("--template-dir", required=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=8001, show_default=True)
@click.option("--setting", "settings", type=Setting(), multiple=True, help="A Datasette setting: name value.")
@click.option("--workers", type=int, default=1, show_default=True, help="Server processes.")
def main(immutable, metadata, plugins_dir, template_dir, host, port, settings, workers):
    """Serve Datasette with ``workers`` processes on one port."""
    import uvicorn

    os.environ[CONFIG_ENV] = json.dumps({
        "immutable": list(immutable), "metadata": metadata, "plugins_dir": plugins_dir,
        "template_dir": template_dir, "settings": dict(settings),
    })
    uvicorn.run("saisei.asgi:application", factory=True, host=host, port=port, workers=workers,
                http=http_protocol())


if __name__ == "__main__":
    main()
