"""What an English medical-tourism directory page says about Japanese clinics.

Directories list clinics as table rows, as cards (a heading per clinic) or inside an article. Each listing is
read for the clinic's name, city, therapy, US-dollar price bands (per knee, both knees), cell counts,
success-rate and legality wording, and the link out to the clinic's own site (which seeds ``clinic_sites``).
None of it is taken as fact: directories print no registration numbers, and every claim is a claim to check
(domain.md §4).

``extract_directory_page(body, url, headers)`` is pure (no Scrapy), like the clinic page extractor.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from readers.prices import find_prices
from readers.taxonomy import classify_therapy
from scrapers.parsers.page_text import decode_page, soup_of

_CLINIC_WORDS = re.compile(r"clinic|hospital|cent(?:er|re)|orthop(?:a)?edic|medical|クリニック|病院", re.I)
_CITIES = (
    "Tokyo", "Osaka", "Yokohama", "Nagoya", "Fukuoka", "Kyoto", "Sapporo", "Sendai", "Hiroshima", "Kobe",
    "Kawasaki", "Saitama", "Chiba", "Okinawa", "Naha",
)
_CELLS = re.compile(r"(\d+(?:[.,]\d+)?)\s*(million|billion|M\b|億)\s*(?:active\s+|stem\s+)?(?:cells?)?", re.I)
_SUCCESS = re.compile(r"success|\d{2,3}\s?%|effective|improvement|walk without pain", re.I)
_LEGALITY = re.compile(
    r"licen[cs]ed|approved|certified|accredited|registered|legal|law|regulat|government|ministry|MHLW", re.I
)
_THERAPY_HINT = re.compile(r"stem|PRP|platelet|SVF|exosome|supernatant|marrow|APS|PFC", re.I)


def _cell_count(text: str) -> int | None:
    match = _CELLS.search(text)
    if not match:
        return None
    value = float(match.group(1).replace(",", ""))
    scale = {"million": 1e6, "m": 1e6, "billion": 1e9, "億": 1e8}[match.group(2).lower()]
    return int(value * scale)


def _city(text: str) -> str | None:
    for city in _CITIES:
        if re.search(rf"\b{city}\b", text):
            return city
    return None


def _claims(text: str) -> list[dict]:
    claims = []
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if _SUCCESS.search(sentence) and not find_prices(sentence, ("USD",)):
            claims.append({"kind": "success_rate", "text": sentence[:200]})
        if _LEGALITY.search(sentence):
            claims.append({"kind": "legality", "text": sentence[:200]})
    return claims


def _units(soup) -> list[tuple[str, Tag, Tag | None]]:
    """(clinic name, element holding the listing, element naming the clinic) for each listing."""
    units = []
    for row in soup.select("tr"):
        cells = row.find_all("td")
        if len(cells) < 2:
            continue
        units.append((cells[0].get_text(" ", strip=True), row, cells[0]))
    if units:
        return units
    for heading in soup.find_all(["h2", "h3", "h4"]):
        name = heading.get_text(" ", strip=True)
        # "Are there clinics for knees in Japan?" is an article's question, not a clinic's name
        if not _CLINIC_WORDS.search(name) or len(name) > 80 or name.endswith("?") or len(name.split()) > 8:
            continue
        container = heading.parent if heading.parent and heading.parent.name in ("article", "div", "section",
                                                                                  "li") else None
        if container is not None and len(container.find_all(["h2", "h3", "h4"])) == 1:
            units.append((name, container, heading))
            continue
        siblings = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h1", "h2", "h3", "h4"):
                break
            siblings.append(sibling)
        if any(isinstance(s, Tag) and s.find(["h2", "h3", "h4"]) for s in siblings):
            continue  # a section heading ("Featured clinics") over listings of its own
        wrapper = soup.new_tag("div")
        for sibling in siblings:
            wrapper.append(sibling.__copy__())
        units.append((name, wrapper, heading))
    return units


#: hosts a listing links to that are never the clinic's own site (sharing buttons, maps, video)
NOT_CLINIC_HOSTS = re.compile(
    r"(^|\.)(facebook|twitter|x|instagram|youtube|youtu|linkedin|pinterest|line|tiktok|whatsapp|wa|google|"
    r"goo|bit|t|tripadvisor|wikipedia)\.(com|me|be|ly|co|org|jp|gl|co\.jp)$",
    re.I,
)


def _outbound(unit: Tag, page_url: str) -> str | None:
    own = urlsplit(page_url).netloc
    for link in unit.find_all("a", href=True):
        url = urljoin(page_url, link["href"].strip())
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc != own and not NOT_CLINIC_HOSTS.search(
            parts.netloc.split(":")[0]
        ):
            return url
    return None


def extract_directory_page(body: bytes, url: str, headers: dict | None = None) -> dict:
    """Listings of one directory page: one dict per clinic and price band (a listing without a price is one row).

    Keys per listing: clinic_name, city, therapy, price_usd_min, price_usd_max, unit, cell_count,
    claims [{kind: success_rate|legality, text}], clinic_url, excerpt. ``page_claims`` holds the claims the
    page makes outside any one listing.
    """
    content_type = None
    for key, value in (headers or {}).items():
        if str(key).lower() == "content-type":
            content_type = value if isinstance(value, str) else str(value)
    page = decode_page(body, content_type)
    soup = soup_of(page.text)
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    listings = []
    for name, unit, _ in _units(soup):
        text = unit.get_text("\n", strip=True)
        table = unit.find_parent("table") if unit.name == "tr" else None
        header = " ".join(th.get_text(" ", strip=True) for th in table.find_all("th")) if table else ""
        flat = " ".join(text.split())
        therapy = classify_therapy(flat) if _THERAPY_HINT.search(flat) else None
        base = {
            "clinic_name": name,
            "city": _city(flat),
            "therapy": therapy,
            "cell_count": _cell_count(flat),
            "claims": _claims(text),
            "clinic_url": _outbound(unit, url),
            "excerpt": flat[:600],
        }
        prices = find_prices(flat, ("USD",))
        if not prices:
            listings.append({**base, "price_usd_min": None, "price_usd_max": None, "unit": None})
        for price in prices:
            unit_name = price.unit
            if unit_name is None:
                # a table prints the unit once, in its column header: "Price (per knee)"
                unit_name = next((u for u, words in (("both_knees", "both knees"), ("knee", "per knee"))
                                  if words in header.lower()), None)
            listings.append(
                {**base, "price_usd_min": price.amount_min, "price_usd_max": price.amount_max, "unit": unit_name}
            )
    links = sorted({listing["clinic_url"] for listing in listings if listing["clinic_url"]})
    return {"url": url, "encoding": page.encoding, "title": soup.title.get_text(strip=True) if soup.title else None,
            "listings": listings, "clinic_links": links, "page_claims": _page_claims(soup, listings)}


def _page_claims(soup, listings: list[dict]) -> list[dict]:
    """Success-rate and legality claims the page makes for all its clinics (an article's intro, a banner).

    These are the reassurances patients read first ("licensed clinics", "over 90% success"); a sentence
    already kept with one listing is not repeated here.
    """
    body = soup.body or soup
    for notice in body.select(".sample-notice"):
        notice.decompose()
    listed = {claim["text"] for listing in listings for claim in listing["claims"]}
    seen, claims = set(), []
    for claim in _claims(body.get_text("\n", strip=True)):
        key = (claim["kind"], claim["text"])
        if claim["text"] in listed or key in seen:
            continue
        seen.add(key)
        claims.append(claim)
    return claims
