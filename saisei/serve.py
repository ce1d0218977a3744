"""``saisei serve``: Datasette, read-only, on loopback, with the project's metadata."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import sqlite_utils

from saisei.paths import METADATA

SAMPLE_NOTICE = (
    "SAMPLE DATA: every clinic and plan in this database is fictional, built from saisei's bundled demo "
    "archive. サンプルデータ：このデータベースの医療機関・計画はすべて架空です。"
)


def is_sample(db_path: Path) -> bool:
    db = sqlite_utils.Database(db_path)
    try:
        return bool(db["plans"].exists() and db.execute("select max(sample) from plans").fetchone()[0])
    finally:
        db.close()


def runtime_metadata(db_path: Path) -> Path:
    """metadata.json as shipped, plus a sample-data notice in the title when the database is the demo.

    Written beside the database (git-ignored), because Datasette reads metadata from a file at start-up.
    """
    metadata = json.loads(METADATA.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if "saisei" in databases and db_path.stem != "saisei":
        # Datasette names a database after its file; keep the table descriptions for any --db path.
        databases[db_path.stem] = databases.pop("saisei")
    if is_sample(db_path):
        metadata["title"] = f"{metadata.get('title', 'saisei')} — SAMPLE DATA (fictional clinics)"
        metadata["description_html"] = f"<p><strong>{SAMPLE_NOTICE}</strong></p>" + metadata.get(
            "description_html", ""
        )
    path = db_path.with_name(db_path.name + ".metadata.json")
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def datasette_args(db_path: Path, port: int, host: str = "127.0.0.1") -> list[str]:
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(db_path),
        "--metadata",
        str(runtime_metadata(db_path)),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "sql_time_limit_ms",
        "3000",
        "--setting",
        "default_page_size",
        "50",
    ]


def serve(db_path: Path, port: int) -> None:
    """Replace this process with Datasette, so signals and exit status are Datasette's own."""
    args = datasette_args(db_path, port)
    os.execv(args[0], args)
