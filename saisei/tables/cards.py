"""Tables behind the patient's front door: one precomputed card per clinic, and the counts its pickers show.

The home search and its result cards must answer from one or two indexed look-ups however many clinics there
are (issue 14), so everything a card shows is folded here at build time instead of joined per request:

- ``clinic_cards``: one row per clinic: name (and a romanised name when a page or directory prints one),
  prefecture in Japanese and English, city, address, site, ``therapies`` (JSON: one entry per therapy with
  the verdict shown and the kinds of source that advertised it, :func:`saisei.clinic_sources.verdicts_by_therapy`),
  flag count, date last checked, and ``search_text``: every name, place and therapy word a patient might type,
  NFKC-folded and lower-cased (the plugin's ``saisei_fold``), so 東京, Tokyo, ＰＲＰ, prp and 幹細胞 all find it;
- ``clinic_cards_fts``: an FTS5 trigram index over ``search_text``;
- ``clinic_cards_grams_fts``: the index the trigram one cannot be: every character and pair of characters of
  ``search_text`` (:func:`short_grams`), so the one- and two-character words Japanese is full of (東京, 大阪,
  ひざ, 膝) are found by an index too, not by reading every card with ``instr()`` (issue 14). Contentless and
  without positions (it answers "which cards hold this pair", nothing more); each gram is stored as the hex of
  its UTF-8 bytes, so FTS5's ``ascii`` tokenizer keeps it whole whatever the characters;
- ``clinic_card_therapies``: (therapy, clinic) pairs with their verdict, for the therapy picker;
- ``clinic_cards_by_prefecture`` and ``clinic_cards_by_therapy``: the pickers' options with their counts.

Written after :mod:`saisei.tables.search` in a build, and again by ``saisei verify`` (verdicts change there).
Verdict and therapy *words* are not stored: the page reads them from the vocabulary and taxonomy, so a card
holds codes only.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

import sqlite_utils

from readers.normalize import normalize_text
from readers.taxonomy import CONDITIONS, THERAPIES
from saisei.clinic_sources import verdicts_by_therapy
from saisei.paths import PREFECTURES_CSV
from saisei.tables.context import BuildContext

CARD_COLUMNS = {
    "id": str, "name": str, "name_latin": str, "prefecture": str, "prefecture_en": str, "city": str,
    "address": str, "site": str, "therapies": str, "therapy_codes": str, "verdicts": str, "flags": int,
    "last_checked": str, "sample": int, "sort_key": str, "search_text": str,
}
CARD_TABLES = ("clinic_cards", "clinic_cards_fts", "clinic_cards_grams_fts", "clinic_card_therapies",
               "clinic_cards_by_prefecture", "clinic_cards_by_therapy")
#: the longest word clinic_cards_grams_fts answers; longer ones go to the trigram index
SHORT_GRAM = 2
_LATIN = re.compile(r"[A-Za-z]")
_HOST_WORDS = re.compile(r"[a-z0-9]+")
_GENERIC_HOST_WORDS = {"www", "com", "jp", "co", "or", "ne", "net", "org", "example", "html", "clinic"}


def fold(*texts) -> str:
    """The search form: NFKC, spaces folded, lower case (as the plugin's ``saisei_fold``), joined by spaces."""
    return " ".join(normalize_text(str(t)).lower() for t in texts if t)


def _names(clinic: dict, listings: list[dict]) -> list[str]:
    names = [clinic.get("name_printed"), clinic.get("name")]
    with contextlib.suppress(ValueError):  # a damaged candidate list costs the search those names, nothing else
        names += [c.get("name") for c in json.loads(clinic.get("name_candidates") or "[]") if isinstance(c, dict)]
    names += [listing.get("clinic_name") for listing in listings]
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def _host_words(url: str | None) -> str:
    """The words of a site's host name (minatomidai-hiza.example → minatomidai hiza): often the romanised name."""
    host = urlsplit(url or "").hostname or ""
    return " ".join(w for w in _HOST_WORDS.findall(host.lower()) if w not in _GENERIC_HOST_WORDS)


def _prefectures() -> dict[str, tuple[str, str]]:
    """prefecture -> (JIS code, English name), from the shipped coordinates file."""
    with PREFECTURES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["prefecture"]: (row["code"], row["prefecture_en"]) for row in csv.DictReader(handle)}


def card_rows(db: sqlite_utils.Database) -> list[dict]:
    """One card per clinic, from the clinic, offering, listing, verification and flag tables."""
    return list(iter_cards(db))


def iter_cards(db: sqlite_utils.Database) -> Iterator[dict]:
    """:func:`card_rows` one clinic at a time (its rows found by the ``clinic_id`` indexes), so a build holds
    one clinic's rows, not every table's."""
    flags = dict(db.execute("select clinic_id, count(*) from clinic_flags group by clinic_id").fetchall()
                 if db["clinic_flags"].exists() else [])
    prefectures = _prefectures()
    for clinic, related in _clinics_with_rows(db, _ids_in_card_order(db, prefectures)):
        offerings, listings, verifications = related["offerings"], related["directory_listings"], related["verifications"]
        judged = verdicts_by_therapy(verifications, unchecked=[o["therapy"] for o in offerings if o.get("therapy")])
        therapies = [{"therapy": e["therapy"], "verdict": e["verdict"], "kinds": e["kinds"]} for e in judged]
        names = _names(clinic, listings)
        code, prefecture_en = prefectures.get(clinic.get("prefecture") or "", ("99", ""))
        words = [
            *names, _host_words(clinic.get("url")), clinic.get("prefecture"), prefecture_en, clinic.get("city"),
            clinic.get("address"),
            *(o.get("therapy_printed") for o in offerings),
            *(label for t in therapies for label in _labels(THERAPIES, t["therapy"])),
            *(label for o in offerings for label in _labels(CONDITIONS, o.get("condition"))),
        ]
        checked = [v["checked_at"] for v in verifications if v.get("checked_at")]
        name = clinic.get("name_printed") or clinic.get("name") or ""
        yield {
            "id": clinic["id"],
            "name": name,
            "name_latin": next((n for n in names if _LATIN.search(n) and n != name), None),
            "prefecture": clinic.get("prefecture"),
            "prefecture_en": prefecture_en or None,
            "city": clinic.get("city"),
            "address": clinic.get("address"),
            "site": clinic.get("url"),
            "therapies": json.dumps(therapies, ensure_ascii=False),
            "therapy_codes": " ".join(t["therapy"] for t in therapies),
            "verdicts": " ".join(sorted({t["verdict"] for t in therapies if t["verdict"]})),
            "flags": flags.get(clinic["id"], 0),
            "last_checked": max(checked)[:10] if checked else None,
            "sample": clinic.get("sample"),
            "sort_key": _sort_key(clinic, prefectures),
            "search_text": fold(*dict.fromkeys(w for w in words if w)),
        }


#: clinics whose rows are read together: four queries a clinic were half of the cards' time (issue 14)
CHUNK = 500


def _clinics_with_rows(db: sqlite_utils.Database, ids: list[str]) -> Iterator[tuple[dict, dict[str, list[dict]]]]:
    """(clinic row, table -> its rows) in ``ids`` order, read :data:`CHUNK` clinics at a time.

    A clinic's rows come in rowid order, the order ``where clinic_id = ?`` gave them (the ``clinic_id`` index
    keeps equal keys in rowid order), so the cards are the same; only ``CHUNK`` clinics' rows are held.
    """
    tables = [t for t in ("offerings", "directory_listings", "verifications") if db[t].exists()]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        clinics = {row["id"]: row for row in db.query(f"select * from clinics where id in ({marks})", chunk)}
        related: dict[str, dict[str, list[dict]]] = {t: defaultdict(list) for t in tables}
        for table in tables:
            for row in db.query(f"select * from {table} where clinic_id in ({marks}) order by rowid", chunk):
                related[table][row["clinic_id"]].append(row)
        for clinic_id in chunk:
            yield clinics[clinic_id], defaultdict(list, {t: related[t].get(clinic_id, []) for t in tables})


def _sort_key(clinic: dict, prefectures: dict[str, tuple[str, str]]) -> str:
    """Prefecture in JIS order, then the folded name: the order of the result cards."""
    code = prefectures.get(clinic.get("prefecture") or "", ("99", ""))[0]
    return f"{code} {fold(clinic.get('name') or clinic.get('name_printed') or '')}"


def _ids_in_card_order(db: sqlite_utils.Database, prefectures) -> list[str]:
    """Clinic ids in ``sort_key`` order: cards are inserted in it, so a card's rowid is its place in the list
    and the results query reads the trigram index in rowid order and stops at the first page (issue 14)."""
    if not db["clinics"].exists():
        return []
    rows = db.query("select id, name, name_printed, prefecture from clinics")
    return [clinic_id for _, clinic_id in sorted((_sort_key(r, prefectures), r["id"]) for r in rows)]


def gram_token(gram: str) -> str:
    """A gram as clinic_cards_grams_fts stores it: the hex of its UTF-8 bytes, one ``ascii`` token whatever it is."""
    return gram.encode("utf-8").hex()


def short_grams(text: str) -> str:
    """Every distinct character and pair of characters (``SHORT_GRAM`` is 2) of ``text``, as :func:`gram_token`
    tokens."""
    tokens = {char: gram_token(char) for char in set(text)}  # a pair's token is its two characters' tokens
    grams = set(tokens.values())
    grams.update(tokens[a] + tokens[b] for a, b in zip(text, text[1:], strict=False))
    return " ".join(sorted(grams))


def _labels(vocabulary: dict, code: str | None) -> tuple[str, ...]:
    entry = vocabulary.get(code or "")
    return (entry["ja"], entry["en"]) if entry else ()


def write_cards(db: sqlite_utils.Database) -> int:
    """(Re)write every table of the front door, streaming the cards in; returns the number of cards."""
    for table in CARD_TABLES:
        db.execute(f"drop table if exists {table}")
    db["clinic_cards"].create(CARD_COLUMNS, pk="id")
    db["clinic_cards"].insert_all(iter_cards(db), batch_size=1000)
    db["clinic_cards"].create_index(["sort_key"])
    # rowid order is sort_key order (see _ids_in_card_order): this index lists a prefecture's cards in it
    db["clinic_cards"].create_index(["prefecture"])
    db["clinic_card_therapies"].create({"therapy": str, "clinic_id": str, "verdict": str}, pk=("therapy", "clinic_id"))
    with db.conn:
        db.execute(
            "insert or replace into clinic_card_therapies (therapy, clinic_id, verdict) "
            "select json_extract(t.value, '$.therapy'), c.id, json_extract(t.value, '$.verdict') "
            "from clinic_cards c, json_each(c.therapies) t"
        )
    db["clinic_card_therapies"].create_index(["clinic_id"])
    prefecture_counts = dict(db.execute(
        "select prefecture, count(*) from clinic_cards where prefecture is not null group by prefecture").fetchall())
    db["clinic_cards_by_prefecture"].create(
        {"prefecture": str, "prefecture_en": str, "code": str, "clinics": int}, pk="prefecture")
    db["clinic_cards_by_prefecture"].insert_all(
        ({"prefecture": p, "prefecture_en": code_en[1], "code": code_en[0], "clinics": prefecture_counts[p]}
         for p, code_en in _prefectures().items() if prefecture_counts.get(p)),
    )
    therapy_counts = dict(db.execute("select therapy, count(*) from clinic_card_therapies group by therapy").fetchall())
    db["clinic_cards_by_therapy"].create({"therapy": str, "ja": str, "en": str, "clinics": int}, pk="therapy")
    db["clinic_cards_by_therapy"].insert_all(
        ({"therapy": code, "ja": t["ja"], "en": t["en"], "clinics": therapy_counts[code]}
         for code, t in THERAPIES.items() if therapy_counts.get(code)),
    )
    with db.conn:
        db.execute(
            "create virtual table clinic_cards_fts using fts5(search_text, content='clinic_cards', "
            "content_rowid='rowid', tokenize='trigram')"
        )
        db.execute("insert into clinic_cards_fts(clinic_cards_fts) values ('rebuild')")
        # contentless and without positions, but with its row sizes: Datasette counts every table's rows when it
        # starts, and an FTS5 table without them (columnsize=0) cannot be scanned (it logged an error per worker)
        db.execute("create virtual table clinic_cards_grams_fts using fts5(grams, content='', detail=none, "
                   "tokenize='ascii')")
    db["clinic_cards_grams_fts"].insert_all(
        ({"rowid": rowid, "grams": short_grams(text or "")}
         for rowid, text in db.execute("select rowid, search_text from clinic_cards order by rowid")),
        batch_size=1000,
    )
    with db.conn:
        db.execute("analyze clinic_cards")
        db.execute("analyze clinic_card_therapies")
    return db["clinic_cards"].count


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    context.notes["clinic_cards"] = write_cards(db)
