"""``saisei check``: look a clinic name or a document code up in the built database."""

from __future__ import annotations

import json
import re

import sqlite_utils

from readers.normalize import compact, facility_key

DOC_CODE = re.compile(r"^\d{2}[A-G]\d{7}$")

PLAN_FIELDS = (
    "id",
    "plan_class",
    "prefecture",
    "facility_printed",
    "facility",
    "address",
    "therapy",
    "doc_code",
    "doc_codes",
    "source_url",
    "fetched_at",
    "sample",
)


def find_plans(db: sqlite_utils.Database, query: str, limit: int = 50) -> tuple[str, list[dict]]:
    """Plans matching a document code exactly, else a name or therapy by substring of the normalised text.

    Returns (how it matched, plans). Substring search uses instr() on the compact keys, so one- and
    two-character queries work too and spaces or full-width input make no difference.
    """
    code = compact(query).upper()
    columns = ", ".join(PLAN_FIELDS)
    if DOC_CODE.match(code):
        rows = db.execute(
            f"select {columns} from plans where doc_code = ? or exists "
            "(select 1 from json_each(plans.doc_codes) where value = ?) order by id",
            [code, code],
        ).fetchall()
        return "document code", [_row(r) for r in rows]
    key = facility_key(query) or compact(query)
    rows = db.execute(
        f"select {columns} from plans where instr(facility_key, ?) > 0 "
        "or instr(replace(lower(facility), ' ', ''), ?) > 0 "
        "or instr(replace(lower(therapy), ' ', ''), ?) > 0 "
        "order by prefecture, facility_key, plan_class, therapy limit ?",
        [key, compact(query), compact(query), limit],
    ).fetchall()
    return "name", [_row(r) for r in rows]


def _row(values) -> dict:
    row = dict(zip(PLAN_FIELDS, values, strict=True))
    row["doc_codes"] = json.loads(row["doc_codes"] or "[]")
    row["sample"] = bool(row["sample"])
    return row


def format_plans(query: str, how: str, plans: list[dict]) -> str:
    if not plans:
        return (
            f"No filed plan matches {query!r} ({how}).\n"
            "No match is not proof that a clinic has no plan: names are printed many ways. "
            "Try part of the name, or the document code from the clinic's 資料 link."
        )
    lines = [f"{len(plans)} filed plan(s) match {query!r} ({how}):"]
    if any(p["sample"] for p in plans):
        lines.append("SAMPLE DATA: these plans are fictional (bundled demo archive).")
    for plan in plans:
        lines.append(
            f"- class {plan['plan_class']} · {plan['prefecture']} · {plan['facility']}\n"
            f"  therapy  {plan['therapy']}\n"
            f"  codes    {', '.join(plan['doc_codes']) or '(none printed)'} · seen {plan['fetched_at']}\n"
            f"  source   {plan['source_url']}"
        )
    lines.append(
        "A filed plan means the clinic filed this therapy under the Act on the Safety of Regenerative "
        "Medicine; it is not an approval and not evidence that the treatment works."
    )
    return "\n".join(lines)
