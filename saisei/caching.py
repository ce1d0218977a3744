"""HTTP caching for an immutable database: ``Cache-Control`` on the patient pages, an ``ETag`` per build, and
``304 Not Modified`` without rendering when a client or proxy already holds the page.

The database does not change between builds (``saisei serve`` opens it ``--immutable``; a build swaps in a new
file), so every page of a build is a pure function of its URL. The ETag names the build: the database file's
identity (inode, size, modification time: a build ``os.replace``s a new file, so all three change) and the
code that renders it (saisei's version, the templates). A reverse proxy or CDN can then keep pages for
``default_cache_ttl`` seconds and revalidate them for free afterwards (issue 14).

Only pages are touched: Datasette's own ``/-/`` pages (sign-in, CSRF cookies), errors and responses that
already say ``private`` or ``no-store`` are left as they are.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from importlib import metadata

from saisei.paths import TEMPLATES_DIR

#: patient routes of the plugin; Datasette sets max-age on its own database, table and query pages
PATIENT_PREFIXES = ("/find", "/clinic/")


def build_tag(database_paths: list[str]) -> str:
    """A weak ETag for everything this server renders from these database files with this code."""
    digest = hashlib.sha256()
    with contextlib.suppress(metadata.PackageNotFoundError):  # run from a checkout without installing
        digest.update(metadata.version("saisei").encode())
    for path in sorted(database_paths):
        stat = os.stat(path)
        digest.update(f"{path}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for template in sorted(TEMPLATES_DIR.glob("*.html")):
        digest.update(f"{template.name}:{template.stat().st_mtime_ns}".encode())
    return f'W/"saisei-{digest.hexdigest()[:20]}"'


def cacheable(path: str) -> bool:
    return not path.startswith("/-/")


def _is_patient_page(path: str) -> bool:
    return path == "/" or path.startswith(PATIENT_PREFIXES)


def _matches(header: bytes | None, tag: str) -> bool:
    if not header:
        return False
    wanted = {t.strip() for t in header.decode("latin-1").split(",")}
    return "*" in wanted or tag in wanted or tag.removeprefix("W/") in wanted


def caching_app(app, tag: str, ttl: int):
    """An ASGI wrapper adding the build's ETag (and Cache-Control to patient pages), answering 304 on a match."""
    etag = tag.encode("latin-1")
    control = f"public, max-age={ttl}" if ttl else "no-cache"

    async def wrapped(scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not cacheable(scope["path"]):
            return await app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        if _matches(headers.get(b"if-none-match"), tag) and b"cookie" not in headers:
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(b"etag", etag), (b"cache-control", control.encode())]})
            await send({"type": "http.response.body", "body": b""})
            return None
        patient = _is_patient_page(scope["path"])

        async def send_with_tag(message):
            if message["type"] == "http.response.start" and message["status"] == 200:
                names = {k.lower(): v for k, v in message.get("headers", [])}
                existing = names.get(b"cache-control", b"")
                if b"private" not in existing and b"no-store" not in existing:
                    extra = [(b"etag", etag)]
                    if patient and not existing:
                        extra.append((b"cache-control", control.encode()))
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        return await app(scope, receive, send_with_tag)

    return wrapped
