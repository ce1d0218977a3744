"""Read MHLW press releases about orders under the Act on the Safety of Regenerative Medicine.

Two kinds of page: the press-release listing (``/stf/houdou/index.html``: dated links) and one release. A
release is kept when its title names the Act's orders (緊急命令 emergency order, 改善命令 improvement order,
停止命令 stop order) and regenerative medicine. In the release, the ordered institution and the cell
processing facility are read from labelled rows (``名称``, ``所在地``). There is no central machine-readable list
of orders (domain.md §1), so a release we cannot read fails loudly (:class:`EnforcementPageError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from parsel import Selector

from readers.normalize import normalize_text
from scrapers.parsers.labelled import iso_date, label_pairs, prefecture_in
from scrapers.parsers.plan_table import cell_text

ORDER_TYPES = {"緊急命令": "emergency_order", "改善命令": "improvement_order", "停止命令": "stop_order"}
ORDER_WORDS = re.compile("|".join(ORDER_TYPES))
LABELLED_LINE = re.compile(r"^\s*(?:[・\-]\s*)?([^：:]{1,30})[：:]\s*(.+?)\s*$")


class EnforcementPageError(ValueError):
    """Not a listing or an order release we can read."""


@dataclass
class ListedRelease:
    date: str | None
    title: str
    url: str


def is_order_title(title: str) -> bool:
    value = normalize_text(title)
    return bool(ORDER_WORDS.search(value)) and "再生医療" in value


def parse_release_listing(selector: Selector, url: str) -> list[ListedRelease]:
    """Every dated release link of the listing; raises when the page lists none (structure changed)."""
    releases = []
    for item in selector.xpath("//li[.//a[@href]] | //tr[.//a[@href]] | //dl[dd//a[@href]]/dt"):
        text = normalize_text(cell_text(item))
        link = item.xpath(".//a[@href]") or item.xpath("following-sibling::dd[1]//a[@href]")
        day = iso_date(text)
        if not day or not link:
            continue
        releases.append(ListedRelease(day, normalize_text(cell_text(link[0])), urljoin(url, link[0].attrib["href"])))
    if not releases:
        raise EnforcementPageError(f"no dated press-release links on {url}: structure changed?")
    return releases


def _labelled(selector: Selector) -> list[tuple[str, str]]:
    """Labelled rows from tables and from ``名称：…`` lines in the release's text."""
    pairs = list(label_pairs(selector))
    for line in selector.xpath("//body//text()").getall():
        match = LABELLED_LINE.match(normalize_text(line))
        if match:
            pairs.append((match.group(1).replace(" ", ""), match.group(2)))
    return pairs


def _section_values(pairs: list[tuple[str, str]]) -> tuple[dict, dict]:
    """Split name/address pairs into the institution's and the processing facility's.

    A pair whose label names a cell processing facility (細胞…施設, 加工, 製造) belongs to the facility; a bare
    ``名称``/``所在地`` belongs to whichever of the two was named last, institution first.
    """
    institution: dict = {}
    facility: dict = {}
    current = institution
    for label, value in pairs:
        if any(word in label for word in ("加工", "製造", "培養")):
            current = facility
        elif any(word in label for word in ("医療機関", "提供機関", "病院", "診療所")):
            current = institution
        key = "name" if "名称" in label else "address" if ("所在地" in label or "住所" in label) else None
        if key and key not in current:
            current[key] = value
    return institution, facility


def parse_order_release(selector: Selector, url: str) -> dict:
    """One order: date, type, institution, processing facility, prefecture, summary."""
    title = normalize_text(" ".join(selector.xpath("//h1//text()").getall()) or
                           " ".join(selector.xpath("//title//text()").getall()))
    body = normalize_text(" ".join(selector.xpath("//body//p//text()").getall()))
    found = ORDER_WORDS.search(title) or ORDER_WORDS.search(body)
    date_text = " ".join(selector.xpath("//*[contains(@class, 'date')]//text()").getall()) or body
    issued = iso_date(date_text)
    institution, facility = _section_values(_labelled(selector))
    missing = [name for name, value in (("order type", found), ("date", issued), ("institution", institution.get("name")))
               if not value]
    if missing:
        raise EnforcementPageError(f"order release {url} without {', '.join(missing)}: structure changed?")
    summary = next((p for p in (normalize_text(t) for t in selector.xpath("//body//p//text()").getall())
                    if ORDER_WORDS.search(p) or "命じ" in p), "")
    return {
        "date": issued,
        "order_type": ORDER_TYPES[found.group(0)],
        "order_type_printed": found.group(0),
        "title": title,
        "institution_printed": institution["name"],
        "institution_address": institution.get("address"),
        "processing_facility_printed": facility.get("name"),
        "processing_facility_address": facility.get("address"),
        "prefecture": prefecture_in(institution.get("address")) or prefecture_in(institution["name"]),
        "summary": summary[:400],
    }
