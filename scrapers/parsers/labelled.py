"""Label → value pairs of the detail pages the registries print (``<th>label</th><td>value</td>``, ``<dt>/<dd>``).

Detail pages (committee previews, jRCT records, press releases) are read by their labels, never by position:
labels are matched after normalisation, so a page that renames or drops a label is noticed by the caller's
check for required fields instead of being read into the wrong column.
"""

from __future__ import annotations

import re
from datetime import date

from parsel import Selector

from readers.normalize import normalize_text
from readers.regions import PREFECTURES, canonical_prefecture
from scrapers.parsers.plan_table import cell_text


def label_pairs(selector: Selector) -> list[tuple[str, str]]:
    """Every (label, value) pair of th/td rows and dt/dd lists, in page order, labels normalised."""
    pairs = []
    for node in selector.xpath("//tr[th and td] | //dl/dt"):
        if node.root.tag == "tr":
            label = node.xpath("./th[1]")
            value = node.xpath("./td[1]")
        else:
            label = node.xpath(".")
            value = node.xpath("following-sibling::dd[1]")
        if label and value:
            pairs.append((normalize_text(cell_text(label[0])), cell_text(value[0])))
    return pairs


def first_value(pairs: list[tuple[str, str]], *needles: str, exclude: tuple[str, ...] = ()) -> str | None:
    """The value of the first label that contains every needle and none of ``exclude``."""
    for label, value in pairs:
        if all(n in label for n in needles) and not any(x in label for x in exclude):
            return value
    return None


_ERAS = {"令和": 2018, "平成": 1988}
_DATE = re.compile(r"(令和|平成)?\s*(元|\d{1,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def iso_date(text: str | None) -> str | None:
    """The first date in ``text`` as ISO ``YYYY-MM-DD``: 2024年5月20日, 令和8年3月13日, 令和元年…, 2024/05/20."""
    if not text:
        return None
    value = normalize_text(text)
    match = _DATE.search(value)
    if match:
        era, year, month, day = match.groups()
        number = 1 if year == "元" else int(year)
        if era:
            number += _ERAS[era]
        elif number < 1000:
            return None
        parts = (number, int(month), int(day))
    else:
        match = _ISO.search(value)
        if not match:
            return None
        parts = tuple(int(p) for p in match.groups())
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None


_PREFECTURE_AT = re.compile("|".join(sorted(PREFECTURES, key=len, reverse=True)))


def prefecture_in(address: str | None) -> str | None:
    """The prefecture an address starts with (or first names), as the registry prints it."""
    if not address:
        return None
    match = _PREFECTURE_AT.search(normalize_text(address).replace(" ", ""))
    return canonical_prefecture(match.group(0)) if match else None
