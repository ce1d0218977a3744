"""``saisei serve``: Datasette, read-only, on loopback, with the project's metadata, plugin and templates.

Datasette reads metadata from a file at start-up, so ``metadata.json`` is adapted to the database being served
and written beside it (git-ignored): the database is renamed after its file, a sample-data notice is added to
the demo, search tables are wired to their FTS indexes, and the canned queries of :mod:`saisei.queries` are
added: static SQL, since every build writes every table they read and the CLI refuses an older schema.

The server is Datasette's own app run by :mod:`saisei.asgi` in one process per core (``datasette serve``'s
options, uvicorn's workers): pages are rendering-bound, and one Python process renders one at a time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path

from saisei.paths import METADATA, PLUGINS_DIR, TEMPLATES_DIR
from saisei.public import PUBLIC_SETTINGS, public_metadata
from saisei.queries import canned_queries
from verify import vocabulary

SAMPLE_NOTICE = (
    "SAMPLE DATA: every clinic and plan in this database is fictional, built from saisei's bundled demo "
    "archive. サンプルデータ：このデータベースの医療機関・計画はすべて架空です。"
)
#: Datasette settings: small pages, and time limits that stop a runaway query before it stalls the server
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 400,
    "facet_suggest_time_limit_ms": 100,
    "default_page_size": 50,
    "max_returned_rows": 1000,
    "num_sql_threads": 4,
    # suggestions run a query per column on every table page: too slow on 100,000 clinics; facets are explicit
    "suggest_facets": False,
}
#: tables people search with ?_search=, and the trigram index written for each by saisei.tables.search
SEARCH_TABLES = {"plans": "plans_fts", "clinics": "clinics_fts"}
#: the name Datasette gives the plugin in plugins/ (its module name), under which it reads its configuration
PLUGIN_NAME = "saisei_datasette"
Schema = dict[str, set[str]]  # table or view -> its columns
#: server processes at most (each holds its own Datasette and its own kept pages: saisei.caching)
MAX_WORKERS = 4
#: tables that are plumbing rather than data
INTERNAL_TABLES = ("sqlite_stat1", "plan_categories", "clinic_pages")


def read_schema(db_path: Path) -> Schema:
    """Every table and view with its columns (read-only, without locking the file)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")]
        return {name: {r[1] for r in conn.execute(f'pragma table_info("{name}")')} for name in names}
    finally:
        conn.close()


def is_sample(schema: Schema, db_path: Path) -> bool:
    if "sample" not in schema.get("plans", ()):
        return False
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return bool(conn.execute("select max(sample) from plans").fetchone()[0])
    finally:
        conn.close()


def vocabulary_text(text: str) -> str:
    """metadata.json's ``{verdicts}``, ``{verdict_codes}`` and ``{flags}`` filled in from :mod:`verify.vocabulary`,
    so table and column descriptions list every code without repeating them."""
    if "{" not in text:
        return text
    verdicts = ", ".join(f"{code} ({v.description})" for code, v in vocabulary.VERDICTS.items())
    flags = ", ".join(f"{code} ({f.description})" for code, f in vocabulary.FLAGS.items())
    return (text.replace("{verdicts}", verdicts).replace("{flags}", flags)
            .replace("{verdict_codes}", vocabulary.codes_in_words(vocabulary.VERDICTS)))


def _fill_vocabulary(tables: dict) -> None:
    for table in tables.values():
        if "description" in table:
            table["description"] = vocabulary_text(table["description"])
        for column, text in (table.get("columns") or {}).items():
            table["columns"][column] = vocabulary_text(text)


def build_metadata(db_path: Path, allow_robots: bool = False) -> dict:
    """metadata.json as shipped, adapted to this database (see the module docstring)."""
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    schema = read_schema(db_path)
    databases = metadata.setdefault("databases", {})
    database = databases.pop("saisei", {})
    # Datasette names a database after its file; keep the table descriptions for any --db path.
    databases[db_path.stem] = database
    tables = database.setdefault("tables", {})
    _fill_vocabulary(tables)
    for table, fts_table in SEARCH_TABLES.items():
        if table in schema and fts_table in schema:
            tables.setdefault(table, {}).update({"fts_table": fts_table, "fts_pk": "rowid"})
    for table in INTERNAL_TABLES:
        if table in schema:
            tables.setdefault(table, {})["hidden"] = True
    for table in list(tables):  # descriptions of tables this database does not have would only confuse
        if table not in schema:
            del tables[table]
    database["queries"] = {**canned_queries(), **database.get("queries", {})}
    plugins = metadata.setdefault("plugins", {})
    if allow_robots:
        plugins["datasette-block-robots"] = {"literal": "User-agent: *\nAllow: /"}
    if is_sample(schema, db_path):
        # the plugin's own configuration says "sample", so no page has to recognise it from the title
        plugins[PLUGIN_NAME] = {**plugins.get(PLUGIN_NAME, {}), "sample": True}
        metadata["title"] = f"{metadata.get('title', 'saisei')} — SAMPLE DATA (fictional clinics)"
        metadata["description_html"] = f"<p><strong>{SAMPLE_NOTICE}</strong></p>" + metadata.get(
            "description_html", ""
        )
    return metadata


def served_metadata(db_path: Path, allow_robots: bool = False, public: bool = False,
                    page_cache_mb: float | None = None) -> dict:
    """:func:`build_metadata`, with the public profile applied when ``public`` (saisei.public), and the memory
    for rendered pages when given (saisei.caching; the plugin's default otherwise)."""
    metadata = build_metadata(db_path, allow_robots)
    if page_cache_mb is not None:
        plugins = metadata.setdefault("plugins", {})
        plugins[PLUGIN_NAME] = {**plugins.get(PLUGIN_NAME, {}), "page_cache_mb": page_cache_mb}
    return public_metadata(metadata) if public else metadata


def served_settings(public: bool = False) -> dict:
    return {**SETTINGS, **PUBLIC_SETTINGS} if public else SETTINGS


def runtime_metadata(db_path: Path, allow_robots: bool = False, public: bool = False,
                     page_cache_mb: float | None = None) -> Path:
    """Write :func:`served_metadata` beside the database and return its path."""
    path = db_path.with_name(db_path.name + ".metadata.json")
    metadata = served_metadata(db_path, allow_robots, public, page_cache_mb)
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def default_workers() -> int:
    """One server process per core (saisei.asgi), at most :data:`MAX_WORKERS`."""
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def datasette_args(
    db_path: Path, port: int, host: str = "127.0.0.1", allow_robots: bool = False, public: bool = False,
    page_cache_mb: float | None = None, workers: int | None = None,
) -> list[str]:
    """The server's command line: Datasette's options, run by :mod:`saisei.asgi` in ``workers`` processes."""
    args = [
        sys.executable,
        "-m",
        "saisei.asgi",
        "--workers",
        str(workers or default_workers()),
        "--immutable",
        str(db_path),
        "--metadata",
        str(runtime_metadata(db_path, allow_robots, public, page_cache_mb)),
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--template-dir",
        str(TEMPLATES_DIR),
        "--host",
        host,
        "--port",
        str(port),
    ]
    for name, value in served_settings(public).items():
        args += ["--setting", name, ("on" if value else "off") if isinstance(value, bool) else str(value)]
    return args


def make_datasette(db_path: Path, allow_robots: bool = False, public: bool = False,
                   page_cache_mb: float | None = None):
    """The same Datasette in this process (tests and the benchmark call it through ``datasette.client``)."""
    from datasette.app import Datasette

    return Datasette(
        immutables=[str(db_path)],
        metadata=served_metadata(db_path, allow_robots, public, page_cache_mb),
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings=served_settings(public),
    )


def serve(
    db_path: Path, port: int, allow_robots: bool = False, host: str = "127.0.0.1", public: bool = False
) -> None:
    """Replace this process with the server (saisei.asgi), so signals and exit status are its own."""
    args = datasette_args(db_path, port, host=host, allow_robots=allow_robots, public=public)
    os.execv(args[0], args)
