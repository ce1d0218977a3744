"""The record kinds the spiders yield, declared once: spiders, pipelines, table writers and coverage agree on them.

Items stay plain JSON-native dicts (they serialise, diff and fixture cleanly), tagged ``"record": <kind>``; the
TypedDicts below say what each kind carries. A field annotated ``Annotated[..., WATCHED]`` is one whose absence the
coverage pipeline counts (``saisei/field/<kind>/<field>/missing``) and the run report compares between runs.
Every record carries where and when it was seen (:class:`Provenance`). A :class:`Problem` is the one kind that is
not data: what a spider could not fetch or read, yielded like any item so every way of running it keeps it.
"""

from __future__ import annotations

from typing import Annotated, Any, TypedDict, get_type_hints

#: marks a field the coverage pipeline watches
WATCHED = "watched"


class Provenance(TypedDict, total=False):
    """Stamped by ``SaiseiSpider.provenance``; offline, ``fetched_at`` is the archive's capture time."""

    record: str
    source_url: str
    fetched_at: str
    capture: dict[str, Any]


class Plan(Provenance, total=False):
    """A row of an e-再生医療 plan list (mhlw_plans); NormalisePlanPipeline adds the normalised copies."""

    plan_class: int
    facility_printed: Annotated[str, WATCHED]
    prefecture: Annotated[str, WATCHED]
    address_printed: Annotated[str, WATCHED]
    therapy_printed: Annotated[str, WATCHED]
    doc_codes: Annotated[list[str], WATCHED]
    documents: list[dict[str, Any]]
    other_cells: dict[str, str]
    row_number: int
    # added by NormalisePlanPipeline
    facility: str
    facility_corporation: str
    facility_key: str
    address: str
    therapy: str
    bureau: str
    plan_key: str


class PlanPrice(Provenance, total=False):
    """A yen amount printed in a plan's document (mhlw_plans --with-documents); ``kind`` says whether it is the
    treatment price (see scrapers/parsers/document_amounts.py)."""

    doc_code: str
    document_number: int
    document_url: str
    amount_min: int
    amount_max: int
    currency: str
    tax: str
    unit: str
    printed: str
    excerpt: str
    kind: str
    amount_excluding_tax: int
    product: str
    session: str
    site: str
    variant: str


class Committee(Provenance, total=False):
    """A certified committee (mhlw_committees)."""

    name_printed: str
    certification_number: str
    establisher_printed: str
    address_printed: str
    preview_url: str
    code: str
    prefecture: str
    scope_printed: str
    certified_on: str
    list_number: int
    list_url: str
    committee_type: str


class ResearchPlan(Provenance, total=False):
    """A jRCT research plan (jrct_plans)."""

    jrct_id: str
    plan_class: int
    title_printed: str
    title_plain: str
    institution_printed: str
    principal_investigator: str
    committee_name_printed: str
    committee_number: str
    status_printed: str
    status: str
    first_published: str
    last_updated: str
    filed_on: str
    discontinued_on: str | None
    discontinued: int
    discontinuation_reason: str | None


class EnforcementAction(Provenance, total=False):
    """An enforcement order read from an MHLW press release (mhlw_enforcement)."""

    date: str
    order_type: str
    order_type_printed: str
    title: str
    institution_printed: str
    institution_address: str
    processing_facility_printed: str | None
    processing_facility_address: str | None
    prefecture: str
    summary: str


class PressRelease(Provenance, total=False):
    """A release listed on the MHLW press page, order or not (mhlw_enforcement)."""

    date: str
    title: str
    url: str
    is_order: bool


class ClinicPage(Provenance, total=False):
    """One clinic page as the extractor read it (clinic_sites; scrapers/parsers/clinic_page.py)."""

    site: str
    depth: int
    via: str
    url: str
    status: str
    content_type: str
    encoding: str
    header_charset: str
    meta_charset: str
    charset_conflict: bool
    truncated: bool
    size: int
    title: str
    page_language: str
    clinic: dict[str, Any]
    offerings: list[dict[str, Any]]
    identifiers: list[dict[str, Any]]
    class_statements: list[dict[str, Any]]
    approval_wording: list[dict[str, Any]]
    ad_disclosures: dict[str, Any]
    prices: list[dict[str, Any]]
    #: amounts that are not therapy prices, each with its ``kind``
    other_amounts: list[dict[str, Any]]
    #: therapies the page explains, compares or denies offering
    mentions: list[dict[str, Any]]
    languages: list[str]


class DirectoryListing(Provenance, total=False):
    """A clinic listed on a medical-tourism directory page (directory_pages)."""

    directory_url: str
    clinic_name: str
    city: str
    therapy: str
    cell_count: int
    claims: list[str]
    clinic_url: str
    excerpt: str
    price_usd_min: int
    price_usd_max: int
    unit: str


class DirectoryClaim(Provenance, total=False):
    """A page-wide claim of a directory (success rates, legality) (directory_pages)."""

    directory_url: str
    kind: str
    text: str


class Problem(TypedDict):
    """Something a spider could not fetch or read (kingfisher-collect's error items): yielded in the item stream,
    so ``scrapy crawl``, Scrapyd and ``saisei build`` all keep it. The build stores it in ``crawl_problems`` and
    never counts it as data; an ``error`` makes the crawl incomplete, a ``warning`` loses one part of a page."""

    record: str
    url: str
    kind: str
    severity: str
    message: str


#: the ``"record"`` tag of :class:`Problem`
PROBLEM = "problem"


def is_problem(item) -> bool:
    """Whether an item is a spider's problem report rather than data."""
    return item.get("record") == PROBLEM


#: record kind (the ``"record"`` tag) -> its declaration
RECORDS: dict[str, type] = {
    "plan": Plan,
    "plan_price": PlanPrice,
    "committee": Committee,
    "research_plan": ResearchPlan,
    "enforcement_action": EnforcementAction,
    "press_release": PressRelease,
    "clinic_page": ClinicPage,
    "directory_listing": DirectoryListing,
    "directory_claim": DirectoryClaim,
    PROBLEM: Problem,
}

#: record kind -> the module of ``saisei/tables`` whose ``write`` maps it to rows; the build runs these writers in
#: the order of their first kind here, then the writers that derive tables from them (saisei.tables). None: the
#: kind has no table of its own.
WRITTEN_BY: dict[str, str | None] = {
    "plan": "saisei.tables.plans",
    "plan_price": "saisei.tables.registries",
    "committee": "saisei.tables.registries",
    "research_plan": "saisei.tables.registries",
    "enforcement_action": "saisei.tables.registries",
    "press_release": None,  # counted (the monitors watch the listing's size), not stored
    "clinic_page": "saisei.tables.clinics",
    "directory_listing": "saisei.tables.clinics",
    "directory_claim": "saisei.tables.clinics",
    PROBLEM: None,  # crawl_problems, written with crawl_runs by saisei.database
}


def watched_fields(kind: type) -> tuple[str, ...]:
    """The fields of a record kind annotated with :data:`WATCHED`, in declaration order."""
    hints = get_type_hints(kind, include_extras=True)
    return tuple(name for name, hint in hints.items() if WATCHED in getattr(hint, "__metadata__", ()))


#: record kind -> the fields whose absence is counted
WATCHED_FIELDS: dict[str, tuple[str, ...]] = {
    name: fields for name, kind in RECORDS.items() if (fields := watched_fields(kind))
}
