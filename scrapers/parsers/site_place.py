"""Where a clinic site stands and how it is called: its address, prefecture, city and phone, from a page.

The place comes from the printed address first (prefecture and city as printed); a postal code only fills what is
not printed, and an unknown postal code never erases what is. Romanised addresses (Kita-ku, Osaka) give the
prefecture on English pages; a Chinese page's simplified characters are read as the Japanese place they name. A page
that prints no address may still say where it is: in its title or footer (a place named, a ward only one prefecture
has), in its own words (「岡山県倉敷市で開業している」) or in a branch's name (○○クリニック 大阪院).
"""

from __future__ import annotations

import re
from dataclasses import replace

from readers.addresses import (
    JAPANESE_SCRIPT,
    parse_address,
    postal_area,
    prefecture_for_bare_place,
    prefecture_for_city,
    prefecture_of_place,
    romanised_city,
    split_city,
)
from readers.names import parse_name
from readers.normalize import normalize_text
from readers.regions import PREFECTURES, prefecture_for_phone

#: a postal code after its 〒 mark
POSTAL = re.compile(r"〒\s*(\d{3})\s*[-‐－−ー]?\s*(\d{4})")
_POSTAL_BARE = re.compile(r"(?<![\d-])(\d{3})-(\d{4})(?![\d-])")
_ADDRESS_LABEL = re.compile(r"[【\[［(（]?(?:所在地|住所|アクセス|Address)[】\]］)）]?\s*[:：]?\s*")
_JA_ADDRESS = re.compile("(?:" + "|".join(PREFECTURES) + r")[^\s、。,]{1,12}?[市区町村郡][^。、\n]{0,40}?\d")
_PHONE = re.compile(
    r"(?<![\d-])(?:\+81[\s-]?\(?0?\)?)?(0\d{1,4}|0120|0800)(?:[\s-]|[(（])(\d{1,4})(?:[\s-]|[)）])(\d{3,4})(?![\d-])"
)
_PHONE_LABEL = re.compile(r"TEL|Tel|tel|電話|Phone|phone|☎|℡|お問い?合わせ|ご予約|予約|フリーダイヤル|free\s*dial|📞", re.I)

_ROMAJI_PREFECTURES = dict(
    zip(
        "hokkaido aomori iwate miyagi akita yamagata fukushima ibaraki tochigi gunma saitama chiba tokyo kanagawa "
        "niigata toyama ishikawa fukui yamanashi nagano gifu shizuoka aichi mie shiga kyoto osaka hyogo nara "
        "wakayama tottori shimane okayama hiroshima yamaguchi tokushima kagawa ehime kochi fukuoka saga nagasaki "
        "kumamoto oita miyazaki kagoshima okinawa".split(),
        PREFECTURES,
        strict=True,
    )
)
#: designated and other large cities that English addresses name instead of their prefecture
_ROMAJI_CITIES = {
    "sapporo": "北海道", "sendai": "宮城県", "yokohama": "神奈川県", "kawasaki": "神奈川県", "sagamihara": "神奈川県",
    "nagoya": "愛知県", "kobe": "兵庫県", "sakai": "大阪府", "kitakyushu": "福岡県", "hamamatsu": "静岡県",
    "niigata": "新潟県", "okayama": "岡山県", "kumamoto": "熊本県", "shinjuku": "東京都", "shibuya": "東京都",
    "minato": "東京都", "chiyoda": "東京都", "ginza": "東京都", "umeda": "大阪府", "namba": "大阪府",
}
_ROMAJI_PLACE = re.compile(r"\b([A-Za-zōūŌŪ]+)(?:-(?:shi|ken|fu|to|city|prefecture)|\s+(?:city|prefecture|pref\.?))?\b")


def _romaji_prefecture(text: str) -> str | None:
    for match in _ROMAJI_PLACE.finditer(text):
        word = match.group(1).lower().replace("ō", "o").replace("ū", "u")
        if word in _ROMAJI_PREFECTURES:
            return _ROMAJI_PREFECTURES[word]
    for match in _ROMAJI_PLACE.finditer(text):
        word = match.group(1).lower()
        if word in _ROMAJI_CITIES:
            return _ROMAJI_CITIES[word]
    return None


_OPERATOR = re.compile(r"運営|法人本部|本部事務局|本社|事務局|operated by|head office", re.I)


def _postal_addresses(blocks) -> list[tuple[str, str]]:
    """(address from its 〒, the words before it on its line or the line above) for every 〒 address printed."""
    found = []
    for index, block in enumerate(blocks):
        for match in POSTAL.finditer(block.text):
            before = block.text[: match.start()].strip() or (blocks[index - 1].text if index else "")
            found.append((block.text[match.start():], before))
    return found


def _names(text: str, key: str) -> bool:
    """The line, or one of its space-separated words, is the page's name (compared by ``parse_name`` keys)."""
    return any(parse_name(part).key == key for part in [text, *re.split(r"\s+", text)] if part)


def _one_place(addresses: list[tuple[str, str]], name: str | None) -> str | None:
    """The page's own address among several: all in one city, or the one printed beside the page's name. A footer
    listing 東京院 〒… and 大阪院 〒… names no place for a page that says neither."""
    parsed = {a: parse_address(_trim_address(a)) for a, _ in addresses}
    if len({(p.prefecture, p.city) for p in parsed.values()}) <= 1:
        return addresses[0][0]
    if name:
        key = parse_name(name).key
        beside = [a for a, before in addresses if before and _names(before, key)]
        if len({parsed[a].city for a in beside}) == 1:
            return beside[0]
    return None


#: the heading of a chain's list of its clinics (院一覧, クリニック一覧, 全国の院): what follows is every branch's
#: address, none of them the page's own
_BRANCH_LIST = re.compile(r"^(?:(?:全国の|グループ)?(?:医院|院|クリニック|分院|店舗)一覧|全国の(?:院|クリニック)|"
                          r"グループ(?:医院|院|クリニック)|各院のご案内|(?:our )?(?:clinics|locations))$", re.I)


def outside_branch_lists(items: list, name: str | None = None) -> list:
    """Blocks (or lines) without those of a chain's list of its clinics: after a 院一覧 label, the short lines up to
    the next heading, a long line or the 16th line, except the page's own clinic and the line after it (a branch's
    own page may stand in the list)."""
    key = parse_name(name).key if name else None
    kept, skipping, own = [], 0, False
    for item in items:
        text = normalize_text(getattr(item, "text", item))
        if _BRANCH_LIST.match(text):
            skipping, own = 16, False
            continue
        if skipping and (getattr(item, "heading", False) or len(text) > 60):
            skipping = 0
        if skipping:
            skipping -= 1
            # a © line lists no branch
            named = bool(key) and not re.search(r"©|\(c\)|copyright", text, re.I) and _names(text, key)
            if named or own:
                kept.append(item)
            own = named
            continue
        kept.append(item)
    return kept


def _address_text(blocks, ld_address: str | None, name: str | None = None) -> str | None:
    """The clinic's address as printed: JSON-LD, the line with a 〒 code, a labelled line, or a bare address."""
    if ld_address:
        return ld_address
    blocks = outside_branch_lists(blocks, name)
    # 「運営：医療法人社団○○会 〒…」: the operator's head office is not where the clinic stands
    addresses = [(a, before) for a, before in _postal_addresses(blocks) if not _OPERATOR.search(before)]
    if addresses:
        return _one_place(addresses, name)  # None when they disagree: several places are no place
    for index, block in enumerate(blocks):
        match = _ADDRESS_LABEL.search(block.text)
        rest = block.text[match.end():] if match else ""
        above = blocks[index - 1] if index else None
        if getattr(block, "tag", "") == "dd" and getattr(above, "tag", "") == "dt" and _ADDRESS_LABEL.fullmatch(above.text):
            match, rest = _ADDRESS_LABEL.match(above.text), block.text  # <dt>所在地</dt><dd>東京都千代田区…</dd>
        if match and (_JA_ADDRESS.search(rest) or re.search(r"\d", rest) or _PLACE_START.match(rest)):
            return rest  # 「所在地 東京都足立区」: a directory's table may print the ward and no street
    for block in blocks:
        match = _JA_ADDRESS.search(block.text)
        if match:
            return block.text[match.start():]
    for block in blocks:
        # 「札幌市中央区北1条西4丁目2-2 札幌ノースプラザ3F」: a city Japan Post knows, then block numbers
        text = normalize_text(block.text)
        city = split_city(text)[0] if len(text) <= 80 else None
        rest = text[len(city):] if city else ""
        # block numbers, not a date: 「名張市で小中学生の作品展、8月1日まで」 is a headline
        if (city and prefecture_for_city(city) and not re.match(r"[でのはがにをと、]", rest)
                and re.search(r"\d+(?:\s*[-－‐ー−]\s*\d+|丁目|番地?|号)|通\S{0,8}?(?:上る|上ル|下る|下ル|[東西]入)",
                              rest[:25])):  # 「京都市中京区烏丸通三条上ル」: Kyoto's streets say where, not numbers
            return text
    for block in blocks:
        # "3F Sapporo North Plaza, Kita 1-jo Nishi 4-chome 2-2, Chuo-ku, Sapporo, Hokkaido" on an English page
        text = normalize_text(block.text)
        if (len(text) <= 200 and not JAPANESE_SCRIPT.search(text) and re.search(r"\d", text)
                and re.search(r"-(?:ku|shi|cho|machi|gun)\b|\bchome\b|\b\d{3}-\d{4}\b", text, re.I)
                and _romaji_prefecture(text)):  # "…, Izumisano, Osaka 598-8577 Japan": a postal code, no suffix
            return text
    for block in blocks:
        # 「奈良県宇陀市菟田野松井」 alone on its line under a clinic's name: an address printed without its numbers
        text = normalize_text(block.text)
        if len(text) <= 30 and _PLACE_START.match(text) and not re.search(r"[はがをにでのへと、。！？!?「」]", text):
            return text
    for block in blocks:
        # a directory's or a news item's place tag: 「【兵庫県尼崎市】」, 「（広島県 呉市）」, 「（八王子市/八王子駅）」
        # (city, then station)
        match = _PLACE_TAG.fullmatch(normalize_text(block.text))
        if match:
            place = re.sub(r"\s+", "", match.group(1))  # 「（広島県 呉市）」
            city = split_city(place)[0]
            if _PLACE_START.fullmatch(place) or (city == place and prefecture_for_city(city)):
                return place
    return None


_PLACE_TAG = re.compile(r"[【\[［(（]\s*((?:(?:" + "|".join(PREFECTURES) + r")\s*)?[^\s/／・】\]］)）]{1,14}?[市区町村])\s*"
                        r"(?:[/／・][^】\]］)）]{1,16})?[】\]］)）]")


_PLACE_START = re.compile("(?:" + "|".join(PREFECTURES) + r")\S{1,8}?[市区町村郡]")


def _trim_address(text: str) -> str:
    return re.split(r"\s*(?:TEL|Tel|tel|電話|☎|℡|FAX|Fax|営業|診療時間|受付|アクセス|Phone|Open)", text)[0].strip()


def page_place(blocks, ld_address: str | None = None, name: str | None = None) -> dict:
    """Address, postal code, prefecture and city from the printed address; the postal code fills gaps only."""
    printed = _address_text(blocks, ld_address, name)
    place = {"address": None, "postal_code": None, "prefecture": None, "city": None, "place_source": None}
    if not printed:
        return place
    printed = _trim_address(printed)
    postal = POSTAL.search(printed) or _POSTAL_BARE.search(printed)
    code = f"{postal.group(1)}-{postal.group(2)}" if postal else None
    body = normalize_text(printed[postal.end():] if postal and postal.start() < 3 else printed)
    body = re.sub(r"^〒?\s*\d{3}-?\d{4}\s*", "", body)
    parsed = parse_address(body)
    prefecture, city = parsed.prefecture, parsed.city
    source = "printed address" if prefecture else None
    if not prefecture and city and prefecture_for_city(city):
        prefecture, source = prefecture_for_city(city), "city as printed"
    if not prefecture and city:
        area = postal_area(code) if code else None
        if area and city.startswith(area[1][:2]):
            prefecture, source = area[0], "postal code (city as printed)"
    if not prefecture and parsed.romanised:
        prefecture = _romaji_prefecture(body)
        source = "romanised address" if prefecture else None
    area = postal_area(code) if code else None
    if area and not prefecture:
        prefecture, source = area[0], "postal code"
    if area and not city and area[0] == prefecture:
        city = area[1]
    if not city and prefecture and parsed.romanised:
        city = romanised_city(body, prefecture)
    if not city and prefecture and not body.isascii():
        rest = body.split(prefecture, 1)[-1].strip()
        city = split_city(rest)[0] if rest else None
    place.update(address=body or None, postal_code=code, prefecture=prefecture, city=city, place_source=source)
    if code and not area:
        place["postal_code_unknown"] = True
    return place


def domestic_phone(printed: str) -> str | None:
    """A Japanese phone number in its domestic written form (03-5555-0101, 0120-123-456), from +81 forms too."""
    value = re.sub(r"^\+81[\s-]*\(0\)", "+81-", normalize_text(printed))
    value = re.sub(r"\s*[()（）]\s*", "-", value).replace(" ", "-").strip("-")
    value = re.sub(r"^\+81-?0?", "0", value)
    digits = re.sub(r"\D", "", value)
    if not 10 <= len(digits) <= 11 or not digits.startswith("0"):
        return None
    parts = [p for p in re.split(r"-+", value) if p]
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return "-".join(parts)
    return digits


def page_phone(soup, text: str, ld_phone: str | None = None) -> str | None:
    """The clinic's main phone: JSON-LD, a ``tel:`` link, else a number printed after a phone label."""
    for printed in [ld_phone] + [a["href"][4:] for a in soup.find_all("a", href=True)
                                 if a["href"].lower().startswith("tel:")]:
        phone = domestic_phone(printed) if printed else None
        if phone:
            return phone
    labelled = [domestic_phone(match.group(0)) for match in _PHONE.finditer(text)
                if _PHONE_LABEL.search(text[max(0, match.start() - 14): match.start()])]
    labelled = list(dict.fromkeys(phone for phone in labelled if phone))
    # 「東京院 TEL 03-… / 大阪院 TEL 06-…」: a chain's branches, each with its number in another prefecture, give no
    # one phone (as several addresses give no one place)
    if len({prefecture_for_phone(phone) for phone in labelled} - {None}) > 1:
        return None
    return labelled[0] if labelled else None


_PLACE_PHRASE = re.compile("(?:" + "|".join(PREFECTURES) + r")[^\s、。,｜|の]{1,8}?[市区町村]")


def place_phrase(texts: list[str]) -> dict:
    """Prefecture and city from a place named without a street address, in the title or the footer
    (「奈良県葛城市の歯医者」, "Jingumae, Shibuya-ku, Tokyo, Japan"): a page that prints no address still says
    where it is there. Running text is not read: a column may name other places."""
    for text in texts:
        value = normalize_text(text)
        match = _PLACE_PHRASE.search(value)
        if match:
            parsed = parse_address(match.group(0))
            if parsed.prefecture:
                return {"prefecture": parsed.prefecture, "city": parsed.city, "place_source": "place named"}
        for match in re.finditer(r"(?<![一-龥ぁ-んァ-ヴ])([一-龥ヶケ]{2,5}[市区町村])(?=[\s｜|・、,]|$)", value):
            prefecture = prefecture_for_bare_place(match.group(1))
            if prefecture:  # 「さかい整形外科【公式】練馬区 江古田」: a ward only one prefecture has
                return {"prefecture": prefecture, "city": match.group(1), "place_source": "place named"}
        if not JAPANESE_SCRIPT.search(value) and re.search(r"-(?:ku|shi|cho|machi)\b|,\s*Japan", value, re.I):
            prefecture = _romaji_prefecture(value)
            if prefecture:
                return {"prefecture": prefecture, "city": None, "place_source": "place named (romanised)"}
    return {}


#: a prefecture and a city as running text prints them before what stands there
_PLACE_BEFORE = "(" + "|".join(PREFECTURES) + r")([^\s、。,「」]{1,8}?[市区町村])"
_SELF_LOCATED = re.compile(
    _PLACE_BEFORE +
    r"(?:で(?:開業|開院|診療)|に(?:開業|開院)|にある(?:当院|当クリニック|当医院|私たち)|の(?:当院|当クリニック)|"
    r"の\S{1,20}?(?:クリニック|病院|医院|整形外科|歯科)で(?:統括院長|総院長|副院長|院長|理事長)を務めて(?:おります|います))"
)


def self_located(texts: list[str], name: str | None = None) -> dict:
    """Where the clinic says it stands in its own words (「岡山県倉敷市で開業している」「大阪府堺市にある当院」), or
    where a news item puts the page's clinic (「広島県呉市にあるマッターホルンリハビリテーション病院」), for a page
    that prints no address: running text about other places never has this shape."""
    named = re.compile(_PLACE_BEFORE + "(?:にある|の)" + re.escape(name)) if name else None
    for text in texts:
        text = normalize_text(text)
        found = [m for m in (_SELF_LOCATED.search(text), named.search(text) if named else None) if m]
        match = min(found, key=lambda m: m.start()) if found else None  # the first one the text prints
        if match:
            parsed = parse_address(match.group(1) + match.group(2))
            return {"prefecture": parsed.prefecture, "city": parsed.city, "place_source": "place the clinic names"}
        match = _CITY_LOCATED.search(text)
        if match and prefecture_for_city(match.group(1)):
            return {"prefecture": prefecture_for_city(match.group(1)), "city": match.group(1),
                    "place_source": "place the clinic names"}
    return {}


#: 「静岡市駿河区にある歯科医院、小嶋デンタルクリニックです」: a city Japan Post knows, then the clinic itself
_CITY_LOCATED = re.compile(r"([^\s、。「」]{2,8}?[市区町村](?:[^\s、。「」]{1,4}?区)?)(?:にある|で開業している|で開院した)"
                           r"(?:当院|当クリニック|歯科医院|クリニック|整形外科|医院|病院)")


def prefecture_in_name(name: str) -> str | None:
    """The prefecture a branch's name says (ルネクリニック 東京院, 聖心美容クリニック 広島院, トリニティクリニック大阪,
    TRINITY CLINIC OSAKA): a chain names its branches after where they stand. A district (梅田院) says nothing."""
    if name.isascii():
        last = re.findall(r"[A-Za-z]+", name)
        return _romaji_prefecture(last[-1]) if last and last[-1].lower() not in ("clinic", "hospital") else None
    branch = re.sub(r"(?:分院|院)$", "", parse_name(name).branch or "")
    if not branch or branch == "本":
        return None
    for prefecture in PREFECTURES:
        if branch in (prefecture, prefecture[:-1]) and len(prefecture[:-1]) >= 2:
            return prefecture
    return prefecture_of_place(branch)


#: simplified Chinese forms of the characters of Japanese place names (东京都千代田区 is 東京都千代田区): a Chinese
#: page prints its clinic's address in them
_SIMPLIFIED = str.maketrans("东库广冈冲绳叶爱岛县丰马鸟长宫盐涩滨桥门练荣枥贺仓兰", "東庫広岡沖縄葉愛島県豊馬鳥長宮塩渋浜橋門練栄栃賀倉蘭")


def japanese_place_text(blocks) -> list:
    """Blocks whose simplified characters are read as Japanese kanji and whose 「日本」 before a prefecture is
    dropped, for finding the address only (the page's words are kept as printed everywhere else)."""
    prefectures = "|".join(PREFECTURES)
    return [replace(block, text=re.sub(r"日本\s*(?=" + prefectures + ")", "", block.text.translate(_SIMPLIFIED)))
            if re.search(r"[东库广冈冲绳叶爱岛县]", block.text) else block for block in blocks]
