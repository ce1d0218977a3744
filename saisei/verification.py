"""The verification commands: ``saisei verify`` (re-verify a database in place), ``saisei check`` by number,
name or saved page, and ``saisei evaluate``.

``saisei verify`` never edits the published file: it copies it, rewrites the verdict tables in the copy and
swaps the copy in with one ``os.replace``, as ``saisei build`` does.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from readers.identifiers import Identifier, parse_identifier
from readers.taxonomy import THERAPIES
from saisei.check import PLAN_FIELDS, find_plans, format_plans
from saisei.tables.cards import write_cards
from saisei.tables.clinic_pages import write_pages
from saisei.tables.verifications import verify_database
from verify.matching import probe_for
from verify.verdicts import CAVEAT_EN, CAVEAT_JA
from verify.verifier import Verifier, clinic_flags, read_rows

KIND_LABELS = {
    "plan_number": "plan number",
    "committee_number": "committee number",
    "facility_number": "facility number",
    "jrct_id": "jrct id",
    "doc_code": "document code",
}


def reverify(db_path: Path) -> dict:
    """Rewrite ``verifications``, ``clinic_flags`` and the cards and clinic pages built from them; returns counts by verdict."""
    tmp = db_path.with_name(f".{db_path.name}.verify-{os.getpid()}")
    shutil.copyfile(db_path, tmp)
    try:
        db = sqlite_utils.Database(tmp)
        counts = verify_database(db, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        write_cards(db)
        write_pages(db)
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise RuntimeError("the re-verified database failed SQLite's integrity check")
        db.close()
        os.replace(tmp, db_path)
    finally:
        tmp.unlink(missing_ok=True)
    return counts


def _identifier_json(ident: Identifier) -> dict:
    return {"kind": ident.kind, "printed": ident.printed, "canonical": ident.canonical,
            "lookalikes": list(ident.lookalikes), "fields": ident.fields}


def _verdict_json(row: dict) -> dict:
    therapy = row.get("therapy") or "other"
    return {
        "offering_id": row.get("offering_id"),
        "therapy": therapy,
        "therapy_en": THERAPIES.get(therapy, THERAPIES["other"])["en"],
        "therapy_printed": row.get("therapy_printed"),
        "verdict": row["verdict"],
        "plan_ids": row["plan_ids"] if isinstance(row["plan_ids"], list) else json.loads(row["plan_ids"] or "[]"),
        "scores": row["scores"] if isinstance(row["scores"], dict) else json.loads(row["scores"] or "{}"),
        "reason_ja": row["reason_ja"],
        "reason_en": row["reason_en"],
    }


def _flag_json(row: dict) -> dict:
    evidence = row.get("evidence")
    return {"flag": row["flag"], "reason_ja": row["reason_ja"], "reason_en": row["reason_en"],
            "evidence": json.loads(evidence) if isinstance(evidence, str) else (evidence or {})}


def _clinic_json(clinic: dict, verdicts: list[dict], flags: list[dict]) -> dict:
    return {
        "id": clinic.get("id"),
        "name": clinic.get("name_printed") or clinic.get("name"),
        "prefecture": clinic.get("prefecture"),
        "address": clinic.get("address"),
        "url": clinic.get("url"),
        "verdicts": verdicts,
        "flags": flags,
    }


def _plans_by_id(db: sqlite_utils.Database, ids: list[str]) -> list[dict]:
    if not ids or not db["plans"].exists():
        return []
    columns = ", ".join(PLAN_FIELDS)
    marks = ", ".join("?" for _ in ids)
    rows = db.execute(f"select {columns} from plans where id in ({marks}) order by id", ids).fetchall()
    result = []
    for values in rows:
        row = dict(zip(PLAN_FIELDS, values, strict=True))
        row["doc_codes"] = json.loads(row["doc_codes"] or "[]")
        row["sample"] = bool(row["sample"])
        result.append(row)
    return result


def check_query(db: sqlite_utils.Database, query: str) -> dict:
    """``saisei check QUERY``: a number (any kind of domain.md §3) or a clinic name."""
    ident = parse_identifier(query)
    result = {"query": query, "matched_by": "name", "identifier": None, "plans": [], "matches": [],
              "clinics": [], "notes": []}
    if ident and ident.kind == "doc_code":
        how, plans = find_plans(db, ident.canonical)
        return {**result, "matched_by": how, "identifier": _identifier_json(ident), "plans": plans}
    if ident:
        result.update(matched_by=KIND_LABELS[ident.kind], identifier=_identifier_json(ident))
        result["notes"].extend(_number_notes(db, ident))
        result["clinics"] = _clinics_printing(db, ident.canonical)
        return result
    how, plans = find_plans(db, query)
    result.update(matched_by=how, plans=plans)
    verifier = Verifier(db)
    result["matches"] = [m.as_json() for m in verifier.current.match(probe_for(query), lookup=True)][:5]
    clinics = [c for c in read_rows(db, "clinics") if _name_hit(query, c)]
    result["clinics"] = [_stored_clinic(db, c) for c in clinics[:20]]
    return result


def _name_hit(query: str, clinic: dict) -> bool:
    from readers.names import parse_name

    wanted = parse_name(query).base
    return bool(wanted) and wanted in parse_name(clinic.get("name_printed") or clinic.get("name")).key


def _stored_clinic(db: sqlite_utils.Database, clinic: dict) -> dict:
    where = "clinic_id = ?"
    offerings = {o["id"]: o for o in read_rows(db, "offerings", where, [clinic["id"]])}
    verdicts = []
    for row in read_rows(db, "verifications", where, [clinic["id"]]):
        if row.get("offering_id"):
            row = {**row, "therapy_printed": (offerings.get(row["offering_id"]) or {}).get("therapy_printed")}
            verdicts.append(_verdict_json(row))
    flags = [_flag_json(f) for f in read_rows(db, "clinic_flags", where, [clinic["id"]])]
    return _clinic_json(clinic, verdicts, flags)


def _clinics_printing(db: sqlite_utils.Database, canonical: str) -> list[dict]:
    ids = {c.get("clinic_id") for c in read_rows(db, "claims", "canonical = ?", [canonical])}
    return [_stored_clinic(db, c) for c in read_rows(db, "clinics") if c["id"] in ids]


def _number_notes(db: sqlite_utils.Database, ident: Identifier) -> list[str]:
    fields = ident.fields
    notes = []
    if ident.lookalikes:
        notes.append("Read with look-alike characters: " + ", ".join(ident.lookalikes) + ".")
    if ident.kind == "plan_number":
        notes.append(
            f"Plan number: class {fields.get('plan_class')}, bureau {fields.get('bureau')}, accepted in "
            f"{fields.get('year')}. The public e-再生医療 lists do not print plan numbers, so the number itself "
            "cannot be confirmed there; check the clinic by name, or its document code."
        )
    elif ident.kind == "committee_number":
        notes.append(
            "This is a certified committee's number (認定番号), not a clinic's plan: a committee reviews plans, "
            "it does not register clinics."
        )
        if db["committees"].exists():
            for row in db["committees"].rows_where("certification_number = ?", [ident.canonical]):
                notes.append(f"Committee on file: {row.get('name')} ({row.get('prefecture') or '-'}).")
    elif ident.kind == "jrct_id" and db["research_plans"].exists():
        for row in db["research_plans"].rows_where("id = ?", [ident.canonical]):
            notes.append(f"jRCT research plan: {row.get('title')} at {row.get('institution')}, status {row.get('status')}.")
    elif ident.kind == "facility_number":
        notes.append("A cell processing facility number (施設番号): it says where cells are processed, not that a "
                     "clinic filed a plan.")
    return notes


def check_page(db: sqlite_utils.Database, page: dict) -> dict:
    """``saisei check --page FILE --url URL``: a saved clinic page extracted and verified against ``db``."""
    clinic = dict(page.get("clinic") or {})
    offerings = page.get("offerings") or []
    verifier = Verifier(db)
    probe, match, verdicts = verifier.verify_clinic(clinic, offerings)
    claims = [
        {"kind": "identifier", "identifier_kind": i["kind"], "printed": i["printed"], "canonical": i["canonical"],
         "label": i.get("label"), "context": i.get("context"), "lookalikes": i.get("lookalikes") or [],
         "source_url": page.get("url")}
        for i in page.get("identifiers") or []
    ]
    claims += [{"kind": "approval_wording", "printed": w.get("printed"), "source_url": page.get("url")}
               for w in page.get("approval_wording") or []]
    if page.get("ad_disclosures"):
        claims.append({"kind": "ad_disclosures", "value": page["ad_disclosures"], "source_url": page.get("url")})
    flags = clinic_flags(verifier, {"id": "page", **clinic}, probe, match, claims,
                          [o.get("therapy") or "other" for o in offerings], {}, {"page": clinic.get("name") or ""})
    verdict_rows = [
        _verdict_json({"therapy": o.get("therapy"), "therapy_printed": o.get("therapy_printed"),
                       "verdict": v.verdict, "plan_ids": v.plan_ids, "scores": v.scores,
                       "reason_ja": v.reason_ja, "reason_en": v.reason_en})
        for o, v in verdicts
    ]
    flag_rows = [{"flag": f.flag, "reason_ja": f.reason_ja, "reason_en": f.reason_en, "evidence": f.evidence}
                 for f in flags]
    plan_ids = sorted({pid for v in verdict_rows for pid in v["plan_ids"] if pid})
    return {
        "query": page.get("url"),
        "matched_by": "page",
        "identifier": None,
        "plans": _plans_by_id(db, plan_ids),
        "matches": [match.as_json()] if match else [],
        "clinics": [_clinic_json({"id": None, **clinic}, verdict_rows, flag_rows)],
        "notes": [] if page.get("status") == "ok" else [f"page status: {page.get('status')}"],
    }


def found(result: dict) -> bool:
    """The exit status of ``saisei check``: did the registry answer (a plan or a matched facility), or, for a
    page, was the page read and verified? A crawled clinic that merely shares the name is not a registry match."""
    if result["matched_by"] == "page":
        clinic = result["clinics"][0] if result["clinics"] else {}
        return bool(clinic.get("verdicts") or clinic.get("flags"))
    return bool(result["plans"] or result["matches"])


def format_check(result: dict) -> str:
    """The terminal form of a check result (the JSON form is the stable one)."""
    lines = []
    if result["matched_by"] in ("name", "document code"):
        # the plan lookup first, worded as always (a miss says what a miss does and does not mean)
        lines.append(format_plans(result["query"], result["matched_by"], result["plans"]))
        result = {**result, "plans": []}
    if result["identifier"] and result["matched_by"] != "document code":
        ident = result["identifier"]
        lines.append(f"{ident['printed']} reads as a {KIND_LABELS[ident['kind']]}: {ident['canonical']}")
    lines.extend(result["notes"])
    if result["plans"]:
        lines.append(f"{len(result['plans'])} filed plan(s):")
        if any(p.get("sample") for p in result["plans"]):
            lines.append("SAMPLE DATA: these plans are fictional (bundled demo archive).")
        for plan in result["plans"]:
            lines.append(f"- class {plan['plan_class']} · {plan['prefecture']} · {plan['facility']}\n"
                         f"  therapy  {plan['therapy']}\n  codes    {', '.join(plan['doc_codes']) or '-'}")
    for match in result["matches"]:
        lines.append(f"registry facility {match['facility']} ({match['prefecture']}): score {match['score']}, "
                     f"{'; '.join(match['features'])}")
    for clinic in result["clinics"]:
        lines.append(f"clinic {clinic['name']} ({clinic['prefecture'] or 'prefecture unknown'})")
        for verdict in clinic["verdicts"]:
            lines.append(f"  {verdict['therapy']}: {verdict['verdict']}\n    {verdict['reason_ja']}\n    {verdict['reason_en']}")
        for flag in clinic["flags"]:
            lines.append(f"  flag {flag['flag']}: {flag['reason_en']}")
    if result["matched_by"] not in ("name", "document code") and not found(result):
        lines.append(f"Nothing on file matches {result['query']!r}. No match is not proof that a clinic has no "
                     "plan: names are printed many ways.")
    lines.append(CAVEAT_EN + " " + CAVEAT_JA)
    return "\n".join(lines)
