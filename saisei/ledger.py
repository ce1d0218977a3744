"""Every run, published or not, in ``runs/ledger.jsonl`` beside the database.

A refused run must not touch the published database, yet it must not vanish either: it is written here, and
the next published build copies it into ``crawl_runs`` with status ``failed`` and its reason.
"""

from __future__ import annotations

import json
from pathlib import Path


def ledger_path(db_path: Path) -> Path:
    return db_path.parent / "runs" / "ledger.jsonl"


def append(db_path: Path, entry: dict) -> None:
    path = ledger_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as ledger:
        ledger.write(json.dumps(entry, ensure_ascii=False) + "\n")


def entries(db_path: Path) -> list[dict]:
    path = ledger_path(db_path)
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a crash: the rest of the ledger still counts
    return rows
