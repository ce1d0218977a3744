"""HTTP caching for an immutable database: ``Cache-Control`` on the patient pages, an ``ETag`` per build, and
``304 Not Modified`` without rendering when a client or proxy already holds the page.

The database does not change between builds (``saisei serve`` opens it ``--immutable``; a build swaps in a new
file), so every page of a build is a pure function of its URL. The ETag names the build: the database file's
identity (inode, size, modification time: a build ``os.replace``s a new file, so all three change) and the
code that renders it (saisei's version, the templates). A reverse proxy or CDN can then keep pages for
``default_cache_ttl`` seconds and revalidate them for free afterwards (issue 14).

Only pages are touched: Datasette's own ``/-/`` pages (sign-in, CSRF cookies), errors and responses that
already say ``private`` or ``no-store`` are left as they are.

The same reasoning lets the server keep what it rendered: :class:`PageCache` holds a build's pages in memory
(least recently used dropped first, bounded in bytes), so a page asked for again, by anyone without a cookie,
is answered without rendering it again. A request saying ``Cache-Control: no-cache`` (a browser's forced
reload, a proxy revalidating, ``saisei benchmark serve`` timing a fresh page) is rendered anew, as HTTP asks of
any cache, and the new page replaces the kept one. Rendering, not SQL, is most of a page's cost (Jinja over the cards,
rows and facets), and one Python process renders one page at a time whatever the number of SQL threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import OrderedDict
from importlib import metadata

from saisei.paths import TEMPLATES_DIR

#: patient routes of the plugin; Datasette sets max-age on its own database, table and query pages
PATIENT_PREFIXES = ("/find", "/clinic/")
#: rendered pages kept in memory by default (plugin configuration ``page_cache_mb``; 0 turns the cache off)
PAGE_CACHE_MB = 64
#: a response larger than this (a CSV export, a big JSON page) is streamed as usual and not kept
LARGEST_KEPT_PAGE = 2_000_000


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


class PageCache:
    """Whole responses (start message and body) of one build, by request, least recently used dropped first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.pages: OrderedDict[tuple, tuple[dict, bytes]] = OrderedDict()
        self.size = 0
        self.hits = self.misses = 0

    def get(self, key: tuple) -> tuple[dict, bytes] | None:
        page = self.pages.get(key)
        if page is None:
            self.misses += 1
            return None
        self.hits += 1
        self.pages.move_to_end(key)
        return page

    def put(self, key: tuple, start: dict, body: bytes) -> None:
        if len(body) > min(self.max_bytes, LARGEST_KEPT_PAGE):
            return
        if key in self.pages:  # rendered again (asked with no-cache, or by two requests at once)
            self.size -= len(self.pages.pop(key)[1])
        self.pages[key] = (start, body)
        self.size += len(body)
        while self.size > self.max_bytes:
            _, (_, dropped) = self.pages.popitem(last=False)
            self.size -= len(dropped)


def page_key(scope: dict, headers: dict) -> tuple | None:
    """What a kept page is found by (scheme and host, which absolute links in JSON name; path; query), or None
    when the response may depend on who asks (a cookie or credentials) or is a trace of the request being
    timed (``?_trace=1``)."""
    if scope["method"] != "GET" or b"cookie" in headers or b"authorization" in headers:
        return None
    query = scope.get("query_string", b"")
    if b"_trace" in query:
        return None
    return scope.get("scheme", "http"), headers.get(b"host", b""), scope["path"], query


def wants_fresh(headers: dict) -> bool:
    """Whether the request asks caches not to answer it from what they hold (RFC 9111: ``no-cache`` in
    ``Cache-Control``, or ``Pragma: no-cache`` from an HTTP/1.0 client)."""
    control = headers.get(b"cache-control", b"") + b"," + headers.get(b"pragma", b"")
    return b"no-cache" in control.lower()


#: what a response may vary on and still be kept: requests carrying either are never answered from the cache
KEYLESS_VARY = {b"cookie", b"authorization"}


def _keepable(start: dict) -> bool:
    names = {k.lower(): v for k, v in start.get("headers", [])}
    control = names.get(b"cache-control", b"")
    vary = {v.strip().lower() for v in names.get(b"vary", b"").split(b",") if v.strip()}
    return (start["status"] == 200 and b"set-cookie" not in names and vary <= KEYLESS_VARY
            and b"private" not in control and b"no-store" not in control)


async def _replay(send, start: dict, body: bytes) -> None:
    await send(start)
    await send({"type": "http.response.body", "body": body})


def caching_app(app, tag: str, ttl: int, cache: PageCache | None = None):
    """An ASGI wrapper adding the build's ETag (and Cache-Control to patient pages), answering 304 on a match,
    and answering from ``cache`` a page it rendered before (when given)."""
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
        key = page_key(scope, headers) if cache is not None else None
        if key is not None and not wants_fresh(headers) and (page := cache.get(key)) is not None:
            return await _replay(send, *page)
        if key is not None:
            send = _recording(send, cache, key)
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


def _recording(send, cache: PageCache, key: tuple):
    """``send`` that also keeps the response in ``cache`` once its last body part has gone out, if it may be
    kept (:func:`_keepable`) and is not too large."""
    start: dict = {}
    parts: list[bytes] = []
    size = 0

    async def send_and_keep(message):
        nonlocal size
        await send(message)
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body" and size <= LARGEST_KEPT_PAGE:
            parts.append(message.get("body", b""))
            size += len(parts[-1])
            if not message.get("more_body") and size <= LARGEST_KEPT_PAGE and _keepable(start):
                cache.put(key, start, b"".join(parts))

    return send_and_keep
