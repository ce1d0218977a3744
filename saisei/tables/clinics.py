"""Tables ``clinics``, ``offerings``, ``claims``, ``prices``, ``directory_listings``: what clinics and
directories claim, one row per claim with the page (and archived capture) it was read from.

Pages become clinics in two steps. Within a site, pages that print the same clinic name or the same phone
number are one clinic (a branch page with its own name and phone is its own clinic; a page with neither, such
as a JavaScript-only page, belongs to the site's main clinic). Across sites, clinics with the same
normalised name and the same address or phone are one clinic. A directory listing joins the clinic whose site
it links to, else the clinic with its name, and the directory page is added to that clinic's sources; a listing
that matches no crawled clinic keeps a null ``clinic_id``.

Clinic ids are ``clinic-`` + a hash of the name key and prefecture (or site when the prefecture is unknown),
so they stay the same from one build to the next while the clinic keeps its name.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import cached_property
from urllib.parse import urlsplit

import sqlite_utils

from readers.names import parse_name, romanised_katakana
from readers.normalize import compact, facility_key
from saisei.tables.context import BuildContext
from saisei.tables.page_spool import PageSpool, page_site
from scrapers import identity
from scrapers.identity import clinic_hash
from scrapers.parsers.clinic_therapies import site_therapy
from scrapers.parsers.site_identity import site_name

CLINIC_COLUMNS = {
    "id": str, "name_printed": str, "name": str, "name_key": str, "prefecture": str, "city": str, "address": str,
    "postal_code": str, "phone": str, "url": str, "languages": str, "js_only": int, "sources": str,
    "fetched_at": str, "sample": int, "place_source": str, "phone_prefecture": str, "name_candidates": str,
}
OFFERING_COLUMNS = {
    "id": str, "clinic_id": str, "therapy": str, "therapy_printed": str, "condition": str, "conditions": str,
    "excerpt": str, "offered_because": str, "source_url": str, "fetched_at": str,
}
#: therapies a page explains, compares or denies offering: for analysts, never given a verdict
MENTION_COLUMNS = {
    "id": str, "clinic_id": str, "therapy": str, "therapy_printed": str, "why": str, "excerpt": str,
    "source_url": str, "fetched_at": str,
}
#: amounts that are not therapy prices (consultation, tests, co-pays, storage, cancellation, comparisons)
AMOUNT_COLUMNS = {
    "id": str, "clinic_id": str, "kind": str, "amount_min": int, "amount_max": int, "currency": str, "tax": str,
    "unit": str, "excerpt": str, "source_url": str, "fetched_at": str,
}
CLAIM_COLUMNS = {
    "id": str, "clinic_id": str, "kind": str, "identifier_kind": str, "label": str, "printed": str,
    "canonical": str, "lookalikes": str, "value": str, "context": str, "source_url": str, "fetched_at": str,
    "capture_record_id": str,
}
PRICE_COLUMNS = {
    "id": str, "clinic_id": str, "therapy": str, "amount_min": int, "amount_max": int, "currency": str,
    "tax": str, "unit": str, "amount_excluding_tax": int, "usd_approx": int, "excerpt": str, "source_url": str,
    "fetched_at": str,
}
LISTING_COLUMNS = {
    "id": str, "directory_url": str, "clinic_name": str, "city": str, "therapy": str, "price_usd_min": int,
    "price_usd_max": int, "unit": str, "cell_count": int, "claims": str, "clinic_url": str, "clinic_id": str,
    "fetched_at": str,
}


def _phone_key(phone: str | None) -> str | None:
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return digits or None


def _address_key(clinic: dict) -> str | None:
    address = compact(clinic.get("address"))
    return address or None


class _Clinic:
    """One clinic being assembled from pages and listings."""

    def __init__(self, site: str | None):
        self.sites: set[str] = {site} if site else set()
        self.pages: list[dict] = []
        self.listings: list[dict] = []

    def field(self, name: str):
        for page in self.pages:
            value = (page.get("clinic") or {}).get(name)
            if value:
                return value
        return None

    @property
    def name_printed(self) -> str | None:
        """The name every page's candidates agree on most (logo, title, footer, © line…; see site_identity)."""
        name = site_name(self.pages)
        if name:
            return name
        return self.listings[0]["clinic_name"] if self.listings else None

    @property
    def name_key(self) -> str:
        return facility_key(self.name_printed) or (sorted(self.sites)[0] if self.sites else "")

    def match_keys(self) -> set[tuple]:
        keys = set()
        for page in self.pages:
            clinic = page.get("clinic") or {}
            name = clinic.get("name_key")
            if name and _phone_key(clinic.get("phone")):
                keys.add(("name+phone", name, _phone_key(clinic.get("phone"))))
            if name and _address_key(clinic):
                keys.add(("name+address", name, _address_key(clinic)))
        return keys


def _page_order(page: dict) -> tuple:
    """Home pages first, then by depth and URL, so a clinic's fields come from its most central page."""
    path = urlsplit(page["source_url"]).path or "/"
    return (page.get("depth", 0), path != "/", page["source_url"])


def _same_facility(page: dict, group: _Clinic) -> bool:
    """A page of the same site that names no branch and prints no other phone or place belongs with the site's
    clinic: 「TOKIKO CLINIC」 in one footer and 「トキコクリニック」 in another title are one clinic. A branch name
    (○○クリニック 横浜院), a different phone, or another prefecture or city sets a page apart."""
    clinic = page.get("clinic") or {}
    phone = _phone_key(clinic.get("phone"))
    group_phones = {_phone_key((p["clinic"] or {}).get("phone")) for p in group.pages} - {None}
    if phone and group_phones and phone not in group_phones:
        return False
    for place in ("prefecture", "city"):
        # one host can serve a group's clinics in several towns (example.jp/tokyo/…, example.jp/nagano/…)
        here = clinic.get(place)
        there = {(p["clinic"] or {}).get(place) for p in group.pages} - {None}
        if here and there and here not in there:
            return False
    names = {(p["clinic"] or {}).get("name_printed") for p in group.pages} - {None}
    name = clinic.get("name_printed")
    if name and names and not any(_one_name(name, other) for other in names):
        return False  # 都立大整形外科クリニック and another clinic of the group on the same host
    branches = {parse_name(other).branch for other in names} - {None}
    branch = parse_name(name).branch
    if name and branch is None and branches:
        # 共立美容外科's group columns on the site of its 立川院: the brand is no one branch, and a branch's filed plan
        # must not become the brand's (a page with no name at all still joins the site's main clinic)
        return False
    return branch is None or not branches or branch in branches


def _one_name(a: str, b: str) -> bool:
    """Two printed names of one clinic: the same folded name, one inside the other (HELENE, Helene Clinic), or a
    romanised form of the other (TOKIKO CLINIC, トキコクリニック)."""
    ka, kb = parse_name(a).base, parse_name(b).base
    if ka == kb or (min(len(ka), len(kb)) >= 3 and (ka in kb or kb in ka)):
        return True
    kana_a, kana_b = romanised_katakana(a), romanised_katakana(b)
    return (kana_a and parse_name(kana_a).base == kb) or bool(kana_b and parse_name(kana_b).base == ka)


def group_pages(pages: list[dict]) -> list[_Clinic]:
    """Pages of one site -> clinics (same name or same phone); unnamed pages go to the site's main clinic."""
    by_site: dict[str, list[dict]] = defaultdict(list)
    for page in sorted(pages, key=_page_order):
        by_site[page_site(page)].append(page)
    clinics: list[_Clinic] = []
    for site, site_pages in by_site.items():
        clinics.extend(group_site(site, site_pages))
    return _merge_across_sites(clinics)


def group_site(site: str, site_pages: list[dict]) -> list[_Clinic]:
    """One site's pages, in ``_page_order``, as clinics; the first is the site's main clinic."""
    groups: list[_Clinic] = []
    orphans = []
    for page in site_pages:
        clinic = page.get("clinic") or {}
        name, phone = clinic.get("name_key"), _phone_key(clinic.get("phone"))
        if not name and not phone:
            orphans.append(page)
            continue
        for group in groups:
            names = {(p["clinic"] or {}).get("name_key") for p in group.pages}
            phones = {_phone_key((p["clinic"] or {}).get("phone")) for p in group.pages}
            if (name and name in names) or (phone and phone in phones) or _same_facility(page, group):
                group.pages.append(page)
                break
        else:
            group = _Clinic(site)
            group.pages.append(page)
            groups.append(group)
    if not groups:
        groups.append(_Clinic(site))
    groups[0].pages.extend(orphans)
    return groups


class _Whole(_Clinic):
    """A clinic with all its pages and listings, as the writer reads it: its name is chosen once (the id, the
    row and the name key all read it; choosing it weighs every page's candidates)."""

    name_printed = cached_property(_Clinic.name_printed.fget)


class _Spooled:
    """A clinic of :func:`group_spooled`: its sites, its pages' sequence numbers in the spool, the keys it merges
    across sites by, and (when directory listings need it) its name key; the pages stay on disk."""

    def __init__(self, clinic: _Clinic, seqs: list[int], name_key: str | None):
        self.sites, self.pages, self.name_key = clinic.sites, seqs, name_key
        self.keys = clinic.match_keys()
        self.listings: list[dict] = []

    def match_keys(self) -> set[tuple]:
        return self.keys


def group_spooled(spool: PageSpool, names: bool) -> list[_Spooled]:
    """:func:`group_pages` over spooled pages, one site in memory at a time; ``names`` keeps each clinic's name
    key (what :func:`attach_listings` matches a listing's name with), worked out again for merged clinics."""
    clinics = []
    for site, pairs in spool.by_site():
        seq_of = {id(page): seq for seq, page in pairs}
        for group in group_site(site, [page for _, page in pairs]):
            clinics.append(_Spooled(group, [seq_of[id(p)] for p in group.pages], group.name_key if names else None))
    own = {id(clinic): len(clinic.pages) for clinic in clinics}
    merged = _merge_across_sites(clinics)
    for clinic in merged:
        if names and len(clinic.pages) != own[id(clinic)]:  # pages of other sites joined it
            whole = _Whole(None)
            whole.sites, whole.pages = clinic.sites, spool.load(clinic.pages)
            clinic.name_key = whole.name_key
    return merged


def _merge_across_sites(clinics: list[_Clinic]) -> list[_Clinic]:
    merged: list[_Clinic] = []
    owner: dict[tuple, _Clinic] = {}
    for clinic in clinics:
        target = next((owner[k] for k in clinic.match_keys() if k in owner), None)
        if target is None:
            merged.append(clinic)
            target = clinic
        else:
            target.pages.extend(clinic.pages)
            target.sites |= clinic.sites
        for key in clinic.match_keys():
            owner.setdefault(key, target)
    return merged


def attach_listings(clinics: list[_Clinic], listings: list[dict]) -> list[dict]:
    """Each listing joins the clinic whose site it links to, else the clinic with its name; returns the rest.

    A listing that matches no crawled clinic keeps ``clinic_id`` null: verification looks its English name up
    in the registry on its own, and a clinic row with nothing but a directory's name for it would be noise.
    """
    by_site: dict[str, _Clinic] = {}
    for clinic in clinics:
        for site in clinic.sites:
            # the site's main clinic (home page first) takes the site's links
            by_site.setdefault(site, clinic)
    by_name = {clinic.name_key: clinic for clinic in clinics}
    unmatched = []
    for listing in listings:
        host = urlsplit(listing.get("clinic_url") or "").netloc.lower()
        clinic = by_site.get(host) or by_name.get(facility_key(listing.get("clinic_name")))
        if clinic is None:
            unmatched.append(listing)
        else:
            clinic.listings.append(listing)
    return unmatched


def clinic_id(clinic: _Clinic) -> str:
    anchor = clinic.field("prefecture") or ",".join(sorted(clinic.sites)) or "directory"
    return identity.clinic_id(clinic.name_key, anchor)


def clinic_row(clinic: _Clinic, cid: str, sample: bool) -> dict:
    languages = sorted({lang for p in clinic.pages for lang in p.get("languages") or []})
    sources = sorted({p["source_url"] for p in clinic.pages} | {x["directory_url"] for x in clinic.listings})
    times = sorted(p["fetched_at"] for p in clinic.pages + clinic.listings if p.get("fetched_at"))
    name = clinic.name_printed
    url = clinic.field("url") or next((x["clinic_url"] for x in clinic.listings if x.get("clinic_url")), None)
    return {
        "id": cid,
        "name_printed": name,
        "name": " ".join((name or "").split()) or None,
        "name_key": clinic.name_key,
        "prefecture": clinic.field("prefecture"),
        "city": clinic.field("city") or next((x["city"] for x in clinic.listings if x.get("city")), None),
        "address": clinic.field("address"),
        "postal_code": clinic.field("postal_code"),
        "phone": clinic.field("phone"),
        "url": url,
        "languages": json.dumps(languages),
        "js_only": int(any(p.get("status") == "js_only" for p in clinic.pages)),
        "sources": json.dumps(sources, ensure_ascii=False),
        "fetched_at": times[-1] if times else None,
        "sample": int(sample),
        "place_source": clinic.field("place_source"),
        "phone_prefecture": clinic.field("phone_prefecture"),
        "name_candidates": json.dumps(_candidate_summary(clinic), ensure_ascii=False),
    }


def _candidate_summary(clinic: _Clinic) -> list[dict]:
    """Every name the clinic's pages put forward, with where it stood and how often, for review."""
    seen: dict[tuple, int] = Counter()
    for page in clinic.pages:
        for candidate in (page.get("clinic") or {}).get("name_candidates") or []:
            seen[(candidate["name"], candidate["source"])] += 1
    return [{"name": name, "source": source, "pages": n} for (name, source), n in sorted(seen.items())]


def page_claims(page: dict, cid: str) -> list[dict]:
    """Claim rows of one page: identifiers, class statements, approval wording, disclosures, languages."""
    base = {"clinic_id": cid, "source_url": page["source_url"], "fetched_at": page["fetched_at"],
            "capture_record_id": (page.get("capture") or {}).get("record_id")}
    rows = []
    for i in page.get("identifiers") or []:
        rows.append({**base, "kind": "identifier", "identifier_kind": i["kind"], "label": i.get("label"),
                     "printed": i["printed"], "canonical": i["canonical"],
                     "lookalikes": json.dumps(i.get("lookalikes") or [], ensure_ascii=False),
                     "value": json.dumps(i.get("fields") or {}, ensure_ascii=False), "context": i["context"]})
    for c in page.get("class_statements") or []:
        rows.append({**base, "kind": "class_statement", "printed": c["printed"], "value": str(c["plan_class"]),
                     "context": c["context"]})
    for a in page.get("approval_wording") or []:
        rows.append({**base, "kind": "approval_wording", "printed": a["printed"], "value": a["printed"],
                     "context": a["context"]})
    if page.get("status") == "ok":
        rows.append({**base, "kind": "languages", "value": json.dumps(page.get("languages") or [])})
    for n, row in enumerate(rows):
        row["id"] = f"{cid}:{clinic_hash(page['source_url'], row['kind'], row.get('canonical') or row.get('value'), n)}"
    return rows


def disclosure_claim(clinic: _Clinic, cid: str) -> dict | None:
    """One ``ad_disclosures`` claim per clinic: the disclosures found on any page that advertises a therapy.

    Clinics usually print them once, on the treatment or price page, and link to it; so the clinic is judged
    on the union, with the page that carries the most as evidence and every page's own findings in ``pages``.
    """
    advertising = [p for p in clinic.pages if p.get("offerings")]
    if not advertising:
        return None
    found = {p["source_url"]: (p.get("ad_disclosures") or {}).get("present") or [] for p in advertising}
    present = sorted({d for ds in found.values() for d in ds})
    everything = (advertising[0].get("ad_disclosures") or {}).get("present", []) + (
        advertising[0].get("ad_disclosures") or {}).get("missing", [])
    best = max(advertising, key=lambda p: len(found[p["source_url"]]))
    value = {"present": present, "missing": [d for d in everything if d not in present], "pages": found}
    return {
        "id": f"{cid}:{clinic_hash('ad_disclosures')}", "clinic_id": cid, "kind": "ad_disclosures",
        "value": json.dumps(value, ensure_ascii=False), "source_url": best["source_url"],
        "fetched_at": best["fetched_at"], "capture_record_id": (best.get("capture") or {}).get("record_id"),
        "context": f"{len(present)} of {len(everything)} disclosures found on {len(advertising)} page(s)",
    }


def _listing_row(listing: dict, cid: str | None) -> dict:
    lid = clinic_hash(listing["directory_url"], listing["clinic_name"], listing.get("price_usd_min"), listing.get("unit"))
    return {
        "id": lid, "clinic_id": cid,
        **{k: listing.get(k) for k in ("directory_url", "clinic_name", "city", "therapy", "price_usd_min",
                                       "price_usd_max", "unit", "cell_count", "clinic_url", "fetched_at")},
        "claims": json.dumps(listing.get("claims") or [], ensure_ascii=False),
    }


def carry_over(db: sqlite_utils.Database, context: BuildContext) -> int:
    """After a failed or partial clinic crawl, keep the previous build's rows of the clinics not read this time.

    A clinic site that could not be fetched today has not stopped making its claims; dropping its rows would
    record them as withdrawn. Rows come back exactly as they were (the history sees no change), after this
    crawl's rows, and never over one (``ignore``); the old tables are streamed, not held.
    """
    crawled = {row[0] for row in db.execute("select id from clinics")}
    read_directories = {row[0] for row in db.execute("select distinct directory_url from directory_listings")}
    carried = 0
    for table, _ in TABLES:
        def kept(table=table):
            for old in context.iter_previous(table):
                owner = old.get("id") if table == "clinics" else old.get("clinic_id")
                if table == "directory_listings":
                    keep = old.get("directory_url") not in read_directories
                else:
                    keep = owner not in crawled
                if keep:
                    yield old

        before = db[table].count
        db[table].insert_all(kept(), ignore=True, batch_size=500)
        carried += db[table].count - before
    return carried


def add_offering(offerings: dict, cid: str, offering: dict, page: dict) -> None:
    """One offering per clinic × therapy (the unit a verdict is given for), whatever pages repeat it.

    The conditions it is advertised for are gathered in ``conditions``; ``condition`` is the main one, knee
    osteoarthritis when it is among them (the project's first concern), else the first seen.
    """
    oid = f"{cid}:{offering['therapy']}"
    row = offerings.get(oid)
    if row is None:
        offerings[oid] = {"id": oid, "clinic_id": cid, **offering, "conditions": [offering["condition"]],
                          "source_url": page["source_url"], "fetched_at": page["fetched_at"]}
        return
    if offering["condition"] not in row["conditions"]:
        row["conditions"].append(offering["condition"])
    if offering["condition"] == "knee_oa" and row["condition"] != "knee_oa":
        row.update({**offering, "source_url": page["source_url"], "fetched_at": page["fetched_at"],
                    "conditions": row["conditions"]})


DIRECTORY_CLAIM_COLUMNS = {
    "id": str, "directory_url": str, "kind": str, "text": str, "source_url": str, "fetched_at": str,
    "capture_record_id": str, "sample": int,
}


def write_directory_claims(db: sqlite_utils.Database, claims: list[dict], context: BuildContext) -> None:
    """``directory_claims``: what a directory page promises about all its clinics (success rates, legality).

    Claims to check, never facts; kept with the page and the archived capture they were read from. When the
    clinic crawl did not complete, the previous build's claims of the pages it did not read are kept.
    """
    rows = {}
    for claim in claims:
        cid = f"dc-{clinic_hash(claim['directory_url'], claim['kind'], claim['text'])}"
        rows[cid] = {
            "id": cid, "directory_url": claim["directory_url"], "kind": claim["kind"], "text": claim["text"],
            "source_url": claim.get("source_url"), "fetched_at": claim.get("fetched_at"),
            "capture_record_id": (claim.get("capture") or {}).get("record_id"), "sample": int(context.sample),
        }
    if "clinic_sites" not in context.complete_spiders:
        read = {row["directory_url"] for row in rows.values()}
        for old in context.previous_rows("directory_claims"):
            if old["directory_url"] not in read:
                rows.setdefault(old["id"], old)
    db["directory_claims"].create(DIRECTORY_CLAIM_COLUMNS, pk="id", replace=True)
    db["directory_claims"].insert_all(rows.values())


TABLES = (("clinics", CLINIC_COLUMNS), ("offerings", OFFERING_COLUMNS), ("mentions", MENTION_COLUMNS),
          ("claims", CLAIM_COLUMNS), ("prices", PRICE_COLUMNS), ("clinic_amounts", AMOUNT_COLUMNS),
          ("directory_listings", LISTING_COLUMNS))
#: clinics whose rows are written together
BATCH = 500


def clinic_rows(rows: dict[str, dict], clinic: _Clinic, cid: str, sample: bool) -> None:
    """Add one clinic's rows (the clinic, its offerings, claims, prices, amounts, mentions, listings) to ``rows``."""
    rows["clinics"][cid] = clinic_row(clinic, cid, sample)
    site_codes = {o["therapy"] for page in clinic.pages for o in page.get("offerings") or []}
    for page in clinic.pages:
        for offering in page.get("offerings") or []:
            offering = {**offering, "therapy": site_therapy(offering, site_codes)}
            add_offering(rows["offerings"], cid, offering, page)
        for claim in page_claims(page, cid):
            rows["claims"][claim["id"]] = claim
        seen_at = {"source_url": page["source_url"], "fetched_at": page["fetched_at"]}
        for n, price in enumerate(page.get("prices") or []):
            pid = f"{cid}:{clinic_hash(page['source_url'], price['excerpt'], price['amount_min'], n)}"
            rows["prices"][pid] = {
                "id": pid, "clinic_id": cid, "therapy": price.get("therapy"),
                **{k: price.get(k) for k in ("amount_min", "amount_max", "currency", "tax", "unit",
                                             "amount_excluding_tax", "usd_approx", "excerpt")},
                **seen_at,
            }
        for n, amount in enumerate(page.get("other_amounts") or []):
            aid = f"{cid}:{clinic_hash(page['source_url'], amount['excerpt'], amount['amount_min'], 'amount', n)}"
            rows["clinic_amounts"][aid] = {
                "id": aid, "clinic_id": cid,
                **{k: amount.get(k) for k in ("kind", "amount_min", "amount_max", "currency", "tax", "unit",
                                              "excerpt")},
                **seen_at,
            }
        for mention in page.get("mentions") or []:
            mid = f"{cid}:{clinic_hash(page['source_url'], mention['therapy'], 'mention')}"
            rows["mentions"][mid] = {"id": mid, "clinic_id": cid, **mention, **seen_at}
    disclosures = disclosure_claim(clinic, cid)
    if disclosures:
        rows["claims"][disclosures["id"]] = disclosures
    for listing in clinic.listings:
        row = _listing_row(listing, cid)
        rows["directory_listings"][row["id"]] = row


def _flush(db: sqlite_utils.Database, rows: dict[str, dict]) -> None:
    """Write a batch of rows. An id an earlier batch wrote is updated where it stands (upsert, every column
    given), as a later row replaced an earlier one in the one dict of rows the writer used to hold."""
    for name, columns in TABLES:
        empty = dict.fromkeys(columns)
        db[name].upsert_all(({**empty, **row} for row in rows[name].values()), pk="id", batch_size=500)
        rows[name].clear()


def write(db: sqlite_utils.Database, items: dict[str, list[dict]], context: BuildContext) -> None:
    """Stream the clinic pages through a spool: grouped site by site, then written clinic by clinic in batches."""
    listings = list(items.get("directory_listing", []))  # a directory lists hundreds, not 100,000
    for name, columns in TABLES:
        db[name].create(columns, pk="id", replace=True)
    rows: dict[str, dict] = {name: {} for name, _ in TABLES}
    written: set[str] = set()
    with PageSpool() as spool:
        spool.add(p for p in items.get("clinic_page", []) if p.get("source_url"))
        clinics = group_spooled(spool, names=bool(listings))
        unmatched = attach_listings(clinics, listings)
        for n, spooled in enumerate(clinics, 1):
            clinic = _Whole(None)
            clinic.sites, clinic.pages, clinic.listings = spooled.sites, spool.load(spooled.pages), spooled.listings
            cid = clinic_id(clinic)
            if cid in written:
                cid = f"{cid}-{clinic_hash(sorted(clinic.sites))[:4]}"
            written.add(cid)
            clinic_rows(rows, clinic, cid, context.sample)
            if n % BATCH == 0:
                _flush(db, rows)
        pages = spool.count
    for listing in unmatched:
        row = _listing_row(listing, None)
        rows["directory_listings"][row["id"]] = row
    _flush(db, rows)
    if "clinic_sites" not in context.complete_spiders:
        context.notes["clinic_rows_carried_over"] = carry_over(db, context)
    for table, columns in (("offerings", ("clinic_id", "therapy")), ("claims", ("clinic_id", "kind", "canonical")),
                           ("mentions", ("clinic_id", "therapy")), ("clinic_amounts", ("clinic_id", "kind")),
                           ("prices", ("clinic_id", "therapy")), ("directory_listings", ("clinic_id",)),
                           ("clinics", ("prefecture", "name_key"))):
        for column in columns:
            db[table].create_index([column], if_not_exists=True)
    write_directory_claims(db, items.get("directory_claim", []), context)
    context.notes["clinics"] = db["clinics"].count
    context.notes["clinic_pages"] = pages
