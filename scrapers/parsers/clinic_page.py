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

import re
from urllib.parse import urljoin, urlsplit

from readers.identifiers import find_identifiers
from readers.normalize import facility_key, normalize_text
from readers.prices import find_prices, page_tax, unit_of
from readers.taxonomy import classify_condition, classify_therapy
from scrapers.parsers.ad_wording import DISCLOSURE_ITEMS, approval_wording, disclosures
from scrapers.parsers.offer_context import (
    MENTION_SECTION,
    NOT_OFFERED,
    OFFER_SECTION,
    amount_kind,
    is_column_page,
    market_context,
    mention_is_offer,
)
from scrapers.parsers.page_text import PAGE_SIZE_CAP, Block, decode_page, soup_of, visible_blocks
from scrapers.parsers.site_identity import domestic_phone, page_identity

_THERAPY_WORDS = re.compile(
    r"PRP|多血小板血漿|APS|PFC-FD|幹細胞|干细胞|培養上清|上清液|エクソソーム|エキソソーム|SVF|間質血管細胞|骨髄|"
    r"NK細胞|樹状細胞|免疫細胞|臍帯|CGF|PRF|PRGF|stem cell|platelet-rich|exosome|bone marrow|conditioned medium|"
    r"\bMSCs?\b|間葉系|(?<![A-Za-z])A(?:D)?SC(?![A-Za-z])",
    re.I,
)
_SPECIFIC_OTHER = re.compile(r"NK細胞|樹状細胞|免疫細胞|臍帯|cord blood|NK cell|dendritic", re.I)
#: a PRP page's price row labelled by class: 第二種 is PRP into the joint, 第三種 PRP outside it (domain.md §1)
_CLASS_2 = re.compile(r"第\s*[二2２]\s*種")
_CLASS_3 = re.compile(r"第\s*[三3３]\s*種")
_CLASS = re.compile(r"第\s*([一二三123１２３ⅠⅡⅢ])\s*種")
_CLASS_EN = re.compile(r"(?:class|type|category)\s*(?:([123])|(I{1,3}))\b", re.I)
_LANGUAGES = (
    ("ja", re.compile(r"日本語|Japanese", re.I)),
    ("en", re.compile(r"英語|English", re.I)),
    ("zh", re.compile(r"中国語|中文|Chinese|简体|繁體", re.I)),
    ("ko", re.compile(r"韓国語|한국어|Korean", re.I)),
    ("vi", re.compile(r"ベトナム語|Vietnamese|Tiếng Việt", re.I)),
)
_LANGUAGE_OFFER = re.compile(r"対応|通訳|可能|スタッフ|available|speak|interpret|support|version|site", re.I)
_CONSULTATION = re.compile(r"初診|再診|診察料|カウンセリング|相談料|検査料|consultation", re.I)
#: a heading that explains a therapy (「PRP治療とは」) names it without offering it
_EXPLAINER = re.compile(r"とは[?？]?$|って[?？]?$|の仕組み|の特徴$|から.{1,12}へ$|what is", re.I)
#: the title's first part names the page's topic (「PRP療法｜○○整形外科」)
_TITLE_TOPIC = re.compile(r"\s*[|｜\-–—:：/／]\s*")
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
        "ad_disclosures": {"present": [], "missing": list(DISCLOSURE_ITEMS)},
        "prices": [],
        "languages": [],
        "links": [],
        **extra,
    }


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])\s*|(?<=\.)\s+", text) if s.strip()]


def _domestic(printed: str) -> str | None:
    """Japanese phone numbers in their domestic written form (kept for callers of the old name)."""
    return domestic_phone(printed)


_PRP_SITES = {"prp_intra_articular", "prp_other"}
#: a row of a clinic's list of injections (「腱・靭帯へのPRP注射 テニス肘など（第三種）」)
_ROW_OF_SERVICES = re.compile(r"^.{0,80}(?:注射|注入|injections?)(?!.{0,10}(?:について|explained|described)).{0,40}$",
                              re.I)
_STEM_CODES = ("adipose_cultured", "adipose_uncultured", "adipose_svf", "bone_marrow")
_CELL_FREE = ("culture_supernatant", "exosome", "pfc_fd")
_INTRA = re.compile(r"関節内|関節の中|関節腔内|intra-articular|into the (?:knee )?joint", re.I)
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
        # 「お腹の脂肪をとり、その中の幹細胞を培養して…」: the kind is named in the sentence, not the clause
        in_sentence = classify_therapy(sentence)
        if in_sentence in _STEM_CODES and not _SPECIFIC_OTHER.search(sentence):
            return in_sentence
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


def _headed(blocks: list[Block]) -> list[tuple[str, Block, str | None]]:
    """Each sentence with its block and the heading it stands under."""
    result, heading = [], None
    for block in blocks:
        if block.heading:
            heading = block.text
        for sentence in _sentences(block.text):
            result.append((sentence, block, heading))
    return result


def _mention_codes(sentences: list[tuple[str, Block, str | None]], page_condition: str) -> list[tuple]:
    """(code, match, clause, sentence, heading) for every therapy word, resolved against the whole page."""
    mentions = [(m, clause, s, h) for s, _, h in sentences for m, clause in _mentions(s)]
    known = set()
    for _, clause, sentence, _ in mentions:
        code = classify_therapy(clause)
        if _explicit(code, clause, sentence):
            known.add(_resolve(code, clause, sentence, set(), page_condition))
    found = []
    for match, clause, sentence, heading in mentions:
        code = _resolve(classify_therapy(clause), clause, sentence, known, page_condition)
        if code is None or (code == "other" and not (_SPECIFIC_OTHER.search(clause) or _GENERIC_STEM.search(clause))):
            continue
        found.append((code, match, clause, sentence, heading))
        if code in _PRP_SITES and not (_INTRA.search(clause) or _OUTSIDE.search(clause)) and _both_sites(sentence):
            # 「腱の治療と膝などの関節の治療にPRP療法を行っています」: one sentence, both kinds of PRP
            found.append(((_PRP_SITES - {code}).pop(), match, clause, sentence, heading))
    return found


def _both_sites(sentence: str) -> bool:
    joint = _INTRA.search(sentence) or re.search(r"膝|ひざ|関節の治療|knee", sentence, re.I)
    return bool(joint and (_OUTSIDE.search(sentence) or _EXTRA.search(sentence)))


def _focus_codes(texts: list[str], page_condition: str, known: set[str]) -> set[str]:
    """Therapies the page is about: named in its title or main heading (a generic 幹細胞治療 there is the kind of
    stem cells the page names)."""
    codes = set()
    for text in texts:
        for _match, clause in _mentions(text):
            code = _resolve(classify_therapy(clause), clause, text, known, page_condition)
            if code:
                codes.add(code)
    return codes


def _offer_said(clause: str, sentence: str, heading: str | None) -> str:
    """What the page says of one mention (see :func:`mention_is_offer`): the clause first, so 「PRPは行っていますが、
    APSは行っていません」 denies APS only, then the sentence, so 「当院では、PRP療法を行っています」 offers PRP."""
    said = mention_is_offer(clause, heading)
    if said in ("denied", "offer") or NOT_OFFERED.search(sentence):
        return said
    return mention_is_offer(sentence, heading)


def _offerings(mentions: list[tuple], page_condition: str, priced: set[str], focus: set[str],
               column: bool) -> tuple[list[dict], list[dict]]:
    """(offerings, mentions): a therapy is offered when the page prices it, says it performs or books it, or
    (outside a column post) is about it, naming it in its title, main heading or a treatment heading; a therapy
    the page denies is a mention whatever else it says, and so is one it only explains or compares."""
    said: dict[str, set[str]] = {}
    first: dict[str, tuple] = {}
    for code, match, clause, sentence, heading in mentions:
        first.setdefault(code, (match, sentence))
        said.setdefault(code, set()).add(_offer_said(clause, sentence, heading))
    offered, mentioned = [], []
    for code, words in said.items():
        match, sentence = first[code]
        if "denied" in words and "offer" not in words and code not in priced:
            why = None
        elif code in priced:
            why = "priced"
        elif "offer" in words:
            why = "says it performs or books it"
        elif code in focus and not column:
            why = "the page is about it"
        elif "procedure" in words and not column:
            why = "describes performing it"
        elif "listed" in words and not column:
            why = "listed among its treatments or fees"
        elif code in _PRP_SITES and not column and "compared" not in words and _ROW_OF_SERVICES.search(
                sentence) and (_PRP_SITES - {code}) & {c for c, w in said.items()
                                                      if "offer" in w or c in priced or c in focus}:
            # a PRP page that offers PRP and names the other site (腱・靭帯へのPRP注射) in its own list offers both
            why = "the page offers PRP and names this site"
        else:
            why = None
        if why is None:
            mentioned.append({"therapy": code, "therapy_printed": match.group(0), "excerpt": sentence[:200],
                              "why": "denied" if "denied" in words else "compared" if "compared" in words
                              else "explained only"})
            continue
        condition = classify_condition(sentence)
        offered.append({"therapy": code, "therapy_printed": match.group(0),
                        "condition": page_condition if condition == "other" else condition,
                        "excerpt": sentence[:200], "offered_because": why})
    return offered, mentioned


def _price_therapy(block: Block, heading: str | None, codes: set[str], page_condition: str,
                   label: str = "") -> str | None:
    """The therapy a price belongs to: named in its label or block; on a PRP page, the PRP of the site its row
    names (「腱・靱帯」, 「膝関節内」); named in its heading; else the page's one offered therapy."""
    for text in (label, block.text):
        if text and _THERAPY_WORDS.search(text):
            return _therapy_in(text, codes, page_condition)
    if codes & {"prp_intra_articular", "prp_other"}:
        for pattern, site in ((_INTRA, "prp_intra_articular"), (_OUTSIDE, "prp_other"), (_EXTRA, "prp_other"),
                              (_CLASS_2, "prp_intra_articular"), (_CLASS_3, "prp_other")):
            if pattern.search(label or block.text):
                return site
    if heading and _THERAPY_WORDS.search(heading):
        return _therapy_in(heading, codes, page_condition)
    if len(codes) == 1:
        return next(iter(codes))
    return None


def _therapy_in(text: str, codes: set[str], page_condition: str) -> str:
    mentions = _mentions(text)
    clause = mentions[0][1] if mentions else text
    return _resolve(classify_therapy(clause), clause, text, codes, page_condition) or "other"


_AMOUNT_ONLY = re.compile(r"^[\s¥￥$]*[\d,，.]+\s*(?:万)?\s*円?\s*[（(]?\s*(?:税込み?|税抜き?|税別|tax[^)）]*)?\s*[)）]?\s*$",
                          re.I)


def _with_caption(block: Block, following: Block | None) -> tuple[Block, str | None]:
    """A block that is nothing but an amount (a landing page's big 「55,000円（税込）」) is read with the line under
    it (「PRP注射（血液）1関節・1回あたり」), which says what it prices; returns (block to read, that line)."""
    if following is None or following.heading or not _AMOUNT_ONLY.match(block.text) or find_prices(following.text):
        return block, None
    return Block(f"{block.text} {following.text}", block.tag, block.heading, block.links), following.text


def _kind_of(price, label: str, block: Block, heading: str | None, codes: set[str], column: bool) -> str:
    """The kind of one amount (see :func:`amount_kind`), then the row's own words: a row that names no therapy
    and no treatment step (「フィナステリド（1か月）」) is another product; a row that names only a site or a
    session (「片膝」「腱・靱帯（1回）」) under a therapy or a price heading is that therapy's price; amounts said
    of the market, or in a column post, are comparisons."""
    if not label.strip() and not block.text[: price.start].strip() and heading and block.tag == "dd":
        label = heading  # <dt>血液検査（感染症）</dt><dd>5,500円</dd>: the term is the row's label
    therapies = list(_THERAPY_WORDS.finditer(label))
    nearby = bool(_THERAPY_WORDS.search(block.text) or (heading and _THERAPY_WORDS.search(heading)))
    kind = amount_kind(label or block.text[: price.start], therapies[-1].end() if therapies else -1,
                       nearby or len(codes) == 1)
    if kind == "other" and heading and amount_kind(heading, -1) not in ("other", "treatment"):
        kind = amount_kind(heading, -1)
    after = block.text[price.start + len(price.printed):]
    steps = _treatment_label(label, after)
    if kind == "treatment" and not therapies and not steps:
        kind = "other"
    elif kind == "other" and steps and (nearby or (heading and OFFER_SECTION.search(heading))):
        kind = "treatment"
    if kind == "treatment" and market_context(block.text, heading, column):
        kind = "comparison"
    return kind


def _label_before(text: str, start: int, previous_end: int) -> str:
    """The words a price follows: from the previous price (or the block's start) to this one."""
    return text[previous_end:start]


def _prices(blocks: list[Block], codes: set[str], currencies: tuple[str, ...], page_condition: str,
            column: bool = False) -> list[dict]:
    """Every amount with its ``kind``; ``therapy`` for treatment prices (see :func:`amount_kind`)."""
    tax = page_tax("\n".join(block.text for block in blocks))
    prices = []
    heading = None
    seen = set()
    for index, block in enumerate(blocks):
        if block.heading:
            heading = block.text
        block, caption = _with_caption(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        unit = None
        in_block: list[dict] = []
        previous_end = 0
        for price in find_prices(block.text, currencies):
            key = (price.amount_min, price.amount_max, price.currency, price.excerpt)
            label = _label_before(block.text, price.start, previous_end)
            previous_end = price.start + len(price.printed)
            if key in seen:
                continue
            seen.add(key)
            kind = _kind_of(price, label, block, heading, codes, column)
            row = {**price.as_dict(), "kind": kind, "_span": (price.start, price.start + len(price.printed)),
                   "therapy": _price_therapy(block, heading, codes, page_condition, label) if kind == "treatment"
                   else None}
            # 「¥1,760,000 (about US$11,800)」: the second amount restates the first, unit included;
            # <dt>培養幹細胞治療（片膝）</dt><dd>1,540,000円</dd>: the label carries the unit
            row["unit"] = row["unit"] or unit or unit_of(caption) or unit_of(heading)
            if row["tax"] is None and row["currency"] == "JPY":
                row["tax"] = tax
            unit = row["unit"]
            if row["unit"] and in_block and in_block[-1]["unit"] is None and in_block[-1]["currency"] != row["currency"]:
                in_block[-1]["unit"] = row["unit"]  # 「JPY 45,000 (approx. USD 300) per injection」
            in_block.append(row)
        prices.extend(_restatements_merged(block.text, in_block))
    return prices


_CONVERSION_GAP = re.compile(r"^\s*(?:[(（][^()（）]{0,24}[)）])?\s*[,、]?\s*[(（]?\s*(?:approx(?:imately|\.)?|about|around|roughly|約|≈|~|〜)?\s*$", re.I)
_TAX_IN_GAP = re.compile(r"^\s*[(（]\s*(?:税込み?|税込価格|tax incl(?:uded|\.)?)?\s*[:：]?\s*$", re.I)
_TAX_OUT_GAP = re.compile(r"^\s*[(（]\s*(?:税抜き?|税別|本体価格?|tax excl(?:uded|\.)?)\s*[:：]?\s*$", re.I)


def _restatements_merged(text: str, rows: list[dict]) -> list[dict]:
    """One price per thing priced: a 税抜/税込 pair (「40,000円（税込44,000円）」) is one price, tax included; a
    dollar conversion printed beside a yen price (「¥33,000 (approx. US$220)」) stays on that price as
    ``usd_approx``, not a second price."""
    merged: list[dict] = []
    for row in rows:
        previous = merged[-1] if merged else None
        gap = text[previous["_span"][1]:row["_span"][0]] if previous else ""
        if previous and previous["currency"] == "JPY" and row["currency"] == "USD" and _CONVERSION_GAP.match(gap):
            previous["usd_approx"] = row["amount_min"]
            continue
        if previous and previous["currency"] == row["currency"] == "JPY" and previous["amount_min"]:
            ratio = row["amount_min"] / previous["amount_min"]
            if 1.075 <= ratio <= 1.105 and _TAX_IN_GAP.match(gap):
                merged[-1] = {**row, "kind": previous["kind"], "therapy": previous["therapy"], "tax": "included",
                              "unit": previous["unit"] or row["unit"], "amount_excluding_tax": previous["amount_min"]}
                continue
            if 1.075 <= ratio <= 1.105 and previous["tax"] == "excluded" and row["tax"] == "included" and len(
                    gap.strip()) <= 8:
                # 「50,000円（税抜）／55,000円（税込）」
                merged[-1] = {**row, "kind": previous["kind"], "therapy": previous["therapy"],
                              "unit": previous["unit"] or row["unit"], "amount_excluding_tax": previous["amount_min"]}
                continue
            if 0.905 <= ratio <= 0.93 and _TAX_OUT_GAP.match(gap):
                previous.update(tax="included", amount_excluding_tax=row["amount_min"])
                continue
        merged.append(row)
    for row in merged:
        row.pop("_span", None)
    return merged


_TREATMENT_WORDS = re.compile(r"片膝|両膝|片ひざ|両ひざ|膝|ひざ|関節|部位|箇所|全顔|顔|首|頭皮|腱|靱帯|靭帯|第[一二三]種|"
                              r"[0-9０-９一二三]回|コース|プラン|注射|注入|投与|採取|"
                              r"培養|採血|施術|料金|費用|価格|knee|joint|session|injection|course|treatment|price|fee|cost",
                              re.I)


def _treatment_label(before: str, after: str) -> bool:
    """A row label that names a site, a session or a step of a treatment, not another product or fee."""
    if not before.strip(" 　:：・|｜-"):
        return True  # <dt>培養幹細胞治療（片膝）</dt><dd>1,540,000円</dd>: the label is the heading
    return bool(_TREATMENT_WORDS.search(before) or _TREATMENT_WORDS.search(after[:30]))


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
    for struck in soup.find_all(["del", "s", "strike"]):
        struck.decompose()  # a struck-through 「通常88,000円」 is no longer what the patient pays
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
    sentences = _headed(blocks)
    page_condition = classify_condition(" ".join([stats["title"] or ""] + [b.text for b in blocks if b.heading]))
    if page_condition == "other":
        page_condition = classify_condition(text)
    identity = page_identity(soup, blocks, text)
    mentions = _mention_codes(sentences, page_condition)
    currencies = ("JPY", "USD") if language == "en" else ("JPY",)
    column = is_column_page(url, stats["title"])
    amounts = _prices(blocks, {m[0] for m in mentions}, currencies, page_condition, column)
    priced = {a["therapy"] for a in amounts if a["kind"] == "treatment" and a["therapy"]}
    main_heading = next((b.text for b in blocks if b.tag == "h1"), "")
    treatment_headings = [b.text for b in blocks if b.tag in ("h2", "h3", "h4", "dt") and len(b.text) <= 40
                          and not MENTION_SECTION.search(b.text) and not _EXPLAINER.search(b.text)]
    focus = _focus_codes([*_TITLE_TOPIC.split(stats["title"] or "")[:1], main_heading, *treatment_headings],
                         page_condition, {m[0] for m in mentions})
    offerings, mentioned = _offerings(mentions, page_condition, priced, focus, column)
    offered_codes = {o["therapy"] for o in offerings}
    prices = [a for a in _prices(blocks, offered_codes, currencies, page_condition, column) if a["kind"] == "treatment"]
    other_amounts = [a for a in amounts if a["kind"] != "treatment"]
    name = identity["name_printed"]
    split = urlsplit(url)
    clinic = {
        "name_printed": name,
        "name": normalize_text(name) if name else None,
        "name_key": facility_key(name) if name else None,
        "name_candidates": identity["name_candidates"],
        "address": identity["address"],
        "postal_code": identity["postal_code"],
        "prefecture": identity["prefecture"],
        "city": identity["city"],
        "place_source": identity["place_source"],
        "phone": identity["phone"],
        "phone_prefecture": identity["phone_prefecture"],
        "url": f"{split.scheme}://{split.netloc}/",
    }
    plain = [sentence for sentence, _, _ in sentences]
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
        "class_statements": _class_statements([(s, b) for s, b, _ in sentences], language == "en"),
        "approval_wording": approval_wording(plain),
        "ad_disclosures": disclosures(text),
        "prices": prices,
        "other_amounts": other_amounts,
        "mentions": mentioned,
        "languages": _languages(soup, text, language),
        "links": links,
    }


def site_therapy(offering: dict, site_codes: set[str]) -> str:
    """A page's generic 幹細胞 (``other``) is the one kind of stem cells the rest of its site names.

    A column saying only 「幹細胞治療」 on a site whose treatment page offers cultured adipose-derived cells is about
    those cells; with no kind or several kinds named, it stays ``other`` (guessing would make an unfiled claim
    look filed).
    """
    text = " ".join(filter(None, (offering.get("therapy_printed"), offering.get("excerpt"))))
    if offering.get("therapy") != "other" or _SPECIFIC_OTHER.search(text) or not _GENERIC_STEM.search(text):
        return offering.get("therapy") or "other"
    stems = site_codes & set(_STEM_CODES)
    return stems.pop() if len(stems) == 1 else "other"
