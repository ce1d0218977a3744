"""Identities of scraped records, made in one place so every writer and the history diff agree on them.

An id must survive a re-crawl (page re-ordering, a new document code, a new capture), so each is a hash of the
fields that say what the record *is*, never of where it sat on a page. Lengths are part of the stored ids:
16 hex digits for registry records, 12 for clinic-side records (pages, claims, listings, prices).
"""

from __future__ import annotations

import hashlib

from readers.normalize import facility_key, normalize_text, therapy_key


def short_hash(*parts, length: int = 16) -> str:
    """SHA-1 of the parts joined with ``|`` (each as ``str``), cut to ``length`` hex digits."""
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:length]


def clinic_hash(*parts) -> str:
    """The 12-digit hash in clinic-side ids (clinics, claims, listings, prices, directory claims)."""
    return short_hash(*parts, length=12)


def plan_key(plan_class: int, prefecture: str, facility: str, therapy: str) -> str:
    """Identity of a plan that survives page re-ordering and a new document code (README: Data, identities).

    Derived from class + prefecture + facility key + normalised therapy; the build adds a suffix only when
    two rows share all four (the same facility filing two plans under the very same therapy name).
    """
    return short_hash(f"{plan_class}|{prefecture}|{facility_key(facility)}|{therapy_key(therapy)}")


def committee_id(item: dict) -> str:
    """The certification number (NA8150016) when printed; otherwise type + normalised name, hashed."""
    return item.get("certification_number") or short_hash(item["committee_type"], normalize_text(item["name_printed"]))


def enforcement_id(date: str, order_type: str, institution_key: str) -> str:
    """One order: its date, its type and the folded name of the institution it names."""
    return short_hash(date, order_type, institution_key)


def clinic_id(name_key: str, anchor: str) -> str:
    """A clinic: its folded name and its prefecture (or, without one, its sites)."""
    return f"clinic-{clinic_hash(name_key, anchor)}"
