"""Read the e-再生医療 plan list (``/published_plan/index/{2,3}``) into one dict per plan row.

Layout (domain.md §2): one ``<tr>`` per plan with at least eight ``<td>``: td0 facility, td1 prefecture,
td2 address, td4 therapy name, td7 links 資料1… to the plan documents; td3, td5 and td6 are not documented, so
they are kept verbatim under their header text. The header texts themselves are unverified, so the page is
checked by its content instead: a page whose rows do not carry a prefecture in td1 has changed structure and
is refused as a whole rather than turned into empty or shifted rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from parsel import Selector

from readers.regions import canonical_prefecture

MIN_CELLS = 8
DOC_CODE = re.compile(r"/published_plan/download/(\d{2}[A-G]\d{7})/(\d+)/(\d+)")
FACILITY, PREFECTURE, ADDRESS, THERAPY, DOCUMENTS = 0, 1, 2, 4, 7
UNDOCUMENTED = (3, 5, 6)
#: share of unreadable rows above which the page, not the rows, is taken to be wrong
MAX_UNPARSED_SHARE = 0.5


class PlanTableError(ValueError):
    """The page as a whole is not a plan list we can read; its message says why, for the run report."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass
class UnparsedRow:
    row_number: int
    reason: str
    text: str


@dataclass
class PlanTable:
    plans: list[dict] = field(default_factory=list)
    unparsed: list[UnparsedRow] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)


def _texts(element, parts: list[str]) -> None:
    """Text of ``element`` and its descendants in document order, ``<br>`` as a line break, comments skipped."""
    if element.text and isinstance(element.tag, str):
        parts.append(element.text)
    for child in element:
        if child.tag == "br":
            parts.append("\n")
        elif isinstance(child.tag, str):
            _texts(child, parts)
        if child.tail:
            parts.append(child.tail)


def cell_text(cell: Selector) -> str:
    """Text of a cell with ``<br>`` kept as a line break, as the printed value shows it.

    Walks the lxml element under the selector directly: on a 20,000-row page one XPath call per cell was
    most of the parse time (``saisei benchmark plans``).
    """
    parts: list[str] = []
    _texts(getattr(cell, "root", cell), parts)  # a parsel Selector or, inside this module, an lxml element
    return "".join(parts).strip()


def _documents(row, base_url: str) -> list[dict]:
    """The 資料 links of a row (an lxml ``<tr>``), in page order."""
    documents = []
    for link in row.iter("a"):
        href = link.get("href")
        if href is None:
            continue
        url = urljoin(base_url, href.strip())
        match = DOC_CODE.search(url)
        if not match:
            continue
        documents.append(
            {
                "code": match.group(1),
                "number": int(match.group(3)),
                "label": " ".join(cell_text(link).split()),
                "url": url,
            }
        )
    return documents


def _headers(table: Selector) -> list[str]:
    return [" ".join(cell_text(th).split()) for th in table.xpath(".//tr[th][1]/th")]


def parse_row(cells: list, row, headers: list[str], base_url: str) -> dict | str:
    """One plan dict from a row's ``<td>`` elements, or the reason (a short string) it cannot be read.

    Rows and cells are lxml elements, not parsel selectors: a selector per cell cost more than the parse
    itself on a 20,000-row page (``saisei benchmark plans``).
    """
    if len(cells) < MIN_CELLS:
        return f"{len(cells)} cells, expected at least {MIN_CELLS}"
    texts = [cell_text(c) for c in cells]
    prefecture = canonical_prefecture(texts[PREFECTURE])
    if prefecture is None:
        return f"no prefecture in cell 2: {texts[PREFECTURE][:40]!r}"
    if not texts[FACILITY].strip() or not texts[THERAPY].strip():
        return "empty facility or therapy name"
    documents = _documents(row, base_url)
    other = {}
    for index in UNDOCUMENTED:
        label = headers[index] if index < len(headers) and headers[index] else f"column_{index + 1}"
        other[label] = texts[index]
    for index in range(MIN_CELLS, len(texts)):
        other[f"column_{index + 1}"] = texts[index]
    return {
        "facility_printed": texts[FACILITY],
        "prefecture": prefecture,
        "address_printed": texts[ADDRESS],
        "therapy_printed": texts[THERAPY],
        "doc_codes": sorted({d["code"] for d in documents}),
        "documents": documents,
        "other_cells": other,
    }


def parse_plan_table(selector: Selector, base_url: str) -> PlanTable:
    """Every plan row of the page; raises :class:`PlanTableError` when the page is not a readable plan list."""
    # lxml elements, not one parsel Selector per row: on a 20,000-row page that saves time and memory
    rows = selector.root.xpath("//table//tr[td]")
    if not rows:
        raise PlanTableError("plan_table_missing", f"no plan table (no <tr> with <td> cells) on {base_url}")
    tables = selector.xpath("//table[.//tr[td]]")
    headers = _headers(tables[0]) if tables else []
    result = PlanTable(headers=headers)
    for number, row in enumerate(rows, start=1):
        cells = list(row.iterchildren("td"))
        parsed = parse_row(cells, row, headers, base_url)
        if isinstance(parsed, str):
            text = " | ".join(" ".join(cell_text(c).split()) for c in cells)
            result.unparsed.append(UnparsedRow(number, parsed, text[:300]))
            continue
        parsed["row_number"] = number
        result.plans.append(parsed)
    if not result.plans or len(result.unparsed) > MAX_UNPARSED_SHARE * len(rows):
        raise PlanTableError(
            "plan_table_changed",
            f"plan table on {base_url} changed structure: {len(result.unparsed)} of {len(rows)} rows "
            f"unreadable (first: {result.unparsed[0].reason if result.unparsed else 'none'}); headers {headers}",
        )
    return result
