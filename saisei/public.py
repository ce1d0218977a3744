"""``saisei serve --public``: the profile for a Datasette that strangers on the internet can reach.

Locally, the arbitrary-SQL page is the analyst's best tool; in public it lets anyone run a query that holds a
SQL thread for seconds, so one client with a loop can stall the site. The public profile keeps what patients
and analysts need (table pages with their facets and search, canned queries, the clinic pages, the Atom
feeds) and turns off what costs the server without bound:

- arbitrary SQL (``/saisei?sql=…``, ``?_where=`` on tables): refused with 403, by ``allow_sql: false`` in the
  metadata and the ``default_allow_sql`` setting (either alone would do; both, so that a database-level
  ``allow_sql`` added to ``metadata.json`` later cannot turn it back on by accident);
- downloading the whole database file and streaming every row as CSV;
- long queries and large pages: lower time limits and ``max_returned_rows``.

Pages are cacheable for five minutes (``default_cache_ttl``), so a caching reverse proxy in front (README)
absorbs repeated requests. The plugin (``plugins/saisei_datasette.py``) adds :data:`SECURITY_HEADERS` to every
response when the metadata says the instance is public (:func:`security_headers_app`).
"""

from __future__ import annotations

#: settings that replace saisei.serve.SETTINGS in public
PUBLIC_SETTINGS = {
    "default_allow_sql": False,
    "sql_time_limit_ms": 1000,
    "facet_time_limit_ms": 200,
    "max_returned_rows": 200,
    "num_sql_threads": 3,
    "allow_download": False,
    "allow_csv_stream": False,
    "default_cache_ttl": 300,
}
#: where the plugin reads whether this instance is public
PLUGIN_NAME = "saisei_datasette"
#: map tiles come from OpenStreetMap (datasette-cluster-map's default layer); everything else from this site.
#: Datasette's templates use inline scripts and styles, hence 'unsafe-inline' for those two only.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https://*.tile.openstreetmap.org",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "geolocation=(), camera=(), microphone=(), interest-cohort=()",
    "cross-origin-opener-policy": "same-origin",
}


def public_metadata(metadata: dict) -> dict:
    """``metadata`` (as built by saisei.serve) with arbitrary SQL denied and the public flag for the plugin."""
    metadata["allow_sql"] = False
    for database in metadata.get("databases", {}).values():
        database.pop("allow_sql", None)
    metadata.setdefault("plugins", {}).setdefault(PLUGIN_NAME, {})["public"] = True
    return metadata


def is_public(datasette) -> bool:
    return bool((datasette.plugin_config(PLUGIN_NAME) or {}).get("public"))


def security_headers_app(app):
    """An ASGI wrapper that sets :data:`SECURITY_HEADERS` on every response (replacing any of the same name)."""
    names = {name.encode("latin-1") for name in SECURITY_HEADERS}
    extra = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + extra}
            await send(message)

        return await app(scope, receive, send_with_headers)

    return wrapped
