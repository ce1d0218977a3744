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
from collections import Counter
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from readers.identifiers import find_identifiers
from readers.normalize import facility_key, normalize_text
from readers.taxonomy import classify_condition, classify_therapy
from scrapers.parsers.ad_wording import DISCLOSURE_ITEMS, approval_wording, disclosures
from scrapers.parsers.clinic_prices import amounts_on_page
from scrapers.parsers.clinic_therapies import (
    ASKS,
    INTRA,
    OUTSIDE,
    PRP_SITES,
    THERAPY_WORDS,
    focus_codes,
    headed,
    mention_codes,
    offered_and_mentioned,
    offered_by_reference,
    sections_of,
    site_therapy,
    uncultured_kind,
    voiced_sites,
    with_uncultured,
)
from scrapers.parsers.fee_tables import (
    fee_tables,
    mark_component_columns,
    mark_tax_columns,
    mark_unit_columns,
)
from scrapers.parsers.offer_context import (
    MENTION_SECTION,
    OWN_VOICE,
    SELF_PAY_TITLE,
    is_column_page,
)
from scrapers.parsers.page_text import (
    PAGE_SIZE_CAP,
    Block,
    decode_page,
    fold_width,
    inline_text,
    soup_of,
    visible_blocks,
)
from scrapers.parsers.site_identity import page_identity

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
#: a heading that explains a therapy (「PRP治療とは」) names it without offering it
_EXPLAINER = re.compile(r"とは[?？]?$|って[?？]?$|の仕組み|の特徴$|から.{1,12}へ$|what is", re.I)
#: a breadcrumb trail (「HOME > 院長ブログ > PRPとの出会い」): where the page stands on its site
_BREADCRUMB = re.compile(r"^(?:HOME|Home|ホーム|TOP|Top|トップ)\s*[>＞/／›»]")
#: what separates a title's segments; a hyphen or slash inside a product's name (PFC-FD, PRP-FD) separates nothing
_TITLE_TOPIC = re.compile(r"\s*(?:[|｜–—:：／]|(?<![A-Za-z0-9])[-/]|[-/](?![A-Za-z0-9]))\s*")
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
            therapy = classify_therapy(sentence) if THERAPY_WORDS.search(sentence) else None
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
        label = inline_text(link)
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


_AMOUNT = re.compile(r"\d[\d,，]*\s*(?:万\s*)?円|[¥￥$]\s*\d")


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
        priced = [r for r in data if sum(bool(_AMOUNT.search(td.get_text())) for td in r.find_all("td")) >= 2]
        if 2 * len(priced) < len(data):
            continue  # 治療 | 内容 | 料金: one priced column is a list whose description cells carry the unit
        columns = [inline_text(cell) for cell in header]
        paragraphs = []
        for row in data:
            cells = row.find_all(["th", "td"])
            label = inline_text(cells[0])
            for index, cell in enumerate(cells[1:], start=1):
                paragraph = soup.new_tag("p")
                column = columns[index] if index < len(columns) else ""
                paragraph.string = f"{column} {label} {inline_text(cell)}"
                paragraphs.append(paragraph)
        for paragraph in reversed(paragraphs):
            table.insert_after(paragraph)
        table.decompose()


def _js_only(raw_html: str, text: str) -> bool:
    if len(text) >= JS_ONLY_TEXT:
        return False
    return "<script" in raw_html.lower() and (bool(_JS_ROOT.search(raw_html)) or "<noscript" in raw_html.lower())


def _once_each(identifiers: list) -> list:
    """A number printed twice (a page's mobile and desktop copies of one notice) is one claim."""
    seen: set[tuple[str, str]] = set()
    return [i for i in identifiers if not ((i.kind, i.canonical) in seen or seen.add((i.kind, i.canonical)))]


def _listed_sites(offerings: list[dict], mentioned: list[dict], blocks: list[Block]) -> tuple[list[dict], list[dict]]:
    """A page that offers PRP and lists what it treats offers PRP at each site the list names: 「膝関節の痛み（関節の
    中への注射）」 and 「靭帯損傷、腱の炎症（患部への注射）」 under 当院の PRP療法 are both kinds of PRP."""
    offered = {o["therapy"] for o in offerings}
    prp = offered & PRP_SITES
    if not prp or prp == PRP_SITES:
        return offerings, mentioned
    missing = (PRP_SITES - prp).pop()
    denied = {m["therapy"] for m in mentioned if m["why"] == "denied"}
    heading = lead = ""  # the heading and the sentence that introduce the list below them
    for block in blocks:
        if block.heading:
            heading = lead = block.text
        elif len(block.text) > 60 or "。" in block.text:
            lead = block.text
        if block.heading or len(block.text) > 60 or block.tag not in ("li", "dt", "dd", "td", "tr", "p") or missing in denied:
            continue
        if any(_GENERAL_LEAD.search(text) and not OWN_VOICE.search(text) for text in (heading, lead)):
            continue  # 「一般に効果が期待されているけがや病気は次のとおりです」: what PRP is used for, not this clinic's list
        site = _site_listed(block.text)
        if site == missing:
            offerings.append({"therapy": missing, "therapy_printed": block.text[:40], "condition":
                              classify_condition(block.text), "excerpt": block.text[:200],
                              "offered_because": "the page offers PRP and lists this site among what it treats"})
            return offerings, [m for m in mentioned if m["therapy"] != missing]
    return offerings, mentioned


_GENERAL_LEAD = re.compile(r"とは[?？]?\s*$|一般に|一般的|とされ|と考えられ|期待されている|in general|generally", re.I)
#: tendon, ligament and muscle conditions PRP is injected into outside a joint
_SOFT_TISSUE = re.compile(r"腱板|腱炎|腱鞘炎|腱症|腱損傷|腱断裂|靭帯損傷|靱帯損傷|肉離れ|テニス肘|ゴルフ肘|野球肘|足底腱膜|"
                          r"上顆炎|筋損傷|tendinitis|tendinopathy|tennis elbow|golfer's elbow|muscle (?:strain|tear)", re.I)


def _site_listed(text: str) -> str | None:
    """Which PRP site a short list line names, when it names one and says nothing else (no amount, no sentence)."""
    if re.search(r"[。！？]|円|\d{3}", text):
        return None
    if INTRA.search(text):
        return "prp_intra_articular"
    if OUTSIDE.search(text) or (re.match(r"^[・●■◆\s]*(?:腱|靭帯|靱帯|筋肉(?!痛)|肉離れ)", text) and "関節" not in text):
        return "prp_other"
    if _SOFT_TISSUE.search(text) and not re.search(r"関節|膝|ひざ|ヒザ|半月板|軟骨", text):
        return "prp_other"  # a row of a symptoms table: 「肘の痛み テニス肘（上腕骨外側上顆炎） など」
    return None


def _priced_offers(offerings: list[dict], mentioned: list[dict], amounts: list[dict],
                   page_condition: str) -> tuple[list[dict], list[dict]]:
    """A therapy the page prices is offered even where no sentence names it with its site: 「PRP治療の費用」 over
    「第二種（膝関節内注射）：50,000円」 offers PRP into the joint. A therapy the page denies stays a mention."""
    offered = {o["therapy"] for o in offerings}
    denied = {m["therapy"] for m in mentioned if m["why"] == "denied"}
    for amount in amounts:
        code = amount["therapy"]
        if amount["kind"] != "treatment" or not code or code in offered or code in denied:
            continue
        offered.add(code)
        condition = classify_condition(amount["excerpt"])
        offerings.append({"therapy": code, "therapy_printed": amount["printed"],
                          "condition": page_condition if condition == "other" else condition,
                          "excerpt": amount["excerpt"][:200], "offered_because": "priced"})
    return offerings, [m for m in mentioned if m["therapy"] not in offered]


def _reporter(identity: dict, text: str) -> str | None:
    """Why a page that names no clinic offers nothing, or None when it may: a newspaper's or a magazine's article
    reports therapies; so does a site branded by something that is no facility (a portal, a news site, a blog; see
    ``site_identity._mark_unbacked``) that never speaks as a clinic (当院, we)."""
    if identity["name_printed"]:
        return None
    if identity["media_article"] and not (identity.get("blog_platform") and OWN_VOICE.search(text)):
        return "reported in an article"  # 「私どものクリニックでは…」 on Ameba is the clinic's own post
    brands = [c for c in identity["name_candidates"] if c.get("unbacked") and c["source"] in _SITE_BRANDS]
    if brands and not OWN_VOICE.search(text) and not identity["article_about"]:
        return "reported by a site that is not a clinic's"
    return None


_SITE_BRANDS = ("og_site_name", "logo_alt", "header_brand", "copyright", "json_ld")


def self_pay_box(blocks: list[Block]) -> list[Block]:
    """The chrome's blocks that say what the facility gives at its own charge: a box headed 「自費診療のご案内」 (its
    rows, until the next heading that is not one of its terms), or a row labelled 「自由診療」 in a facts box. A menu
    of links names every page of the site; a self-pay box says what the facility itself provides."""
    found, inside, term = [], False, False
    for block in blocks:
        if not block.nav:
            inside = term = False
            continue
        if block.heading and block.tag != "dt":
            inside = bool(SELF_PAY_TITLE.match(block.text)) and len(block.text) <= 20
            continue
        if block.tag == "dt":
            term = bool(SELF_PAY_TITLE.match(block.text))
        if inside or term or (SELF_PAY_TITLE.match(block.text) and block.tag in ("tr", "dd")):
            found.append(block)
    return found


def _with_sections(blocks: list[Block]) -> list[tuple[Block, str | None]]:
    """Each block with the heading of the section above it (the nearest heading of a higher level): a <dt>'s term or an
    <h3> under 「コラム：よく聞かれる再生医療のこと」 or 「他の治療法との比較」 is a term explained or compared, not a
    treatment the page is about."""
    open_headings: dict[int, str] = {}
    out = []
    for block in blocks:
        level = int(block.tag[1]) if block.heading and block.tag in ("h1", "h2", "h3", "h4", "h5", "h6") else 7
        above = [open_headings[k] for k in sorted(open_headings) if k < level]
        out.append((block, above[-1] if above else None))
        if level < 7:
            open_headings = {k: v for k, v in open_headings.items() if k < level}
            open_headings[level] = block.text
    return out


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
    grids = fee_tables(soup)  # the tables and <div> grids, read once for both markings
    mark_tax_columns(soup, grids)
    mark_component_columns(soup, grids)
    mark_unit_columns(soup, grids)
    printed_blocks = visible_blocks(soup)
    printed = "\n".join(block.text for block in printed_blocks)  # identifiers are quoted exactly as printed
    # every reader below sees ＰＲＰ as PRP; only the evidence quoted to users keeps the page's own widths
    blocks = [replace(block, text=fold_width(block.text)) for block in printed_blocks]
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
    identity = page_identity(soup, blocks, text, url)
    # the site's menu names every therapy; this page's words are the rest, and a sidebar's self-pay box, which lists
    # what the facility gives at its own charge (「自費診療のご案内」「自由診療：PRP療法」)
    box = {id(b) for b in self_pay_box(blocks)}
    blocks = [b for b in blocks if not b.nav or id(b) in box]
    sentences = headed(blocks)
    page_condition = classify_condition(" ".join([stats["title"] or ""] + [b.text for b in blocks if b.heading]))
    if page_condition == "other":
        page_condition = classify_condition(text)
    mentions = mention_codes(sentences, page_condition)
    currencies = ("JPY", "USD") if language == "en" else ("JPY",)
    trail = next((b.text for b in blocks[:40] if _BREADCRUMB.match(b.text)), "")
    # an article about one clinic on a magazine's site tells what that clinic does: not a column's explanations
    column = is_column_page(url, stats["title"], trail) and not identity["article_about"]
    amounts = amounts_on_page(blocks, {m[0] for m in mentions}, currencies, page_condition, column)
    priced = {a["therapy"] for a in amounts if a["kind"] == "treatment" and a["therapy"]}
    # a page with no <h1> (its title styled on a <div>) is headed by its first heading
    main_heading = next((b.text for b in blocks if b.tag == "h1"), "") or next((b.text for b in blocks if b.heading
                                                                                and b.tag != "dt"), "")
    treatment_headings = [b.text for b, section in _with_sections(blocks) if b.tag in ("h2", "h3", "h4", "dt")
                          and len(b.text) <= (64 if b.text.isascii() else 40)
                          and not MENTION_SECTION.search(b.text) and not _EXPLAINER.search(b.text)
                          and not ASKS.search(b.text)  # an FAQ's question is asked of the therapy, not about it
                          and not (section and MENTION_SECTION.search(section))]
    focus = focus_codes([*_TITLE_TOPIC.split(stats["title"] or "")[:1], main_heading, *treatment_headings],
                        page_condition, {m[0] for m in mentions}, sections_of(sentences))
    counts = Counter(m[0] for m in mentions).most_common(2)
    if counts and not column and OWN_VOICE.search(text) and counts[0][1] >= 3 and (
            len(counts) == 1 or counts[0][1] >= 2 * counts[1][1]):
        focus = focus | {counts[0][0]}  # a clinic's page that is mostly about one therapy
    mentions, focus = with_uncultured(mentions, focus, uncultured_kind(sentences))
    offerings, mentioned = offered_and_mentioned(mentions, page_condition, priced, focus, column,
                                                 identity["name_printed"])
    offerings, mentioned = _priced_offers(offerings, mentioned, amounts, page_condition)
    # 「当院では、上記の治療を行っています」 is an explicit offer, which counts in a column post too
    offerings, mentioned = offered_by_reference(offerings, mentioned, mentions, sentences)
    if not column:
        offerings, mentioned = _listed_sites(offerings, mentioned, blocks)
        offerings, mentioned = voiced_sites(offerings, mentioned, sentences)
    # 「第2種幹細胞 PB4200015」 on a page that offers one kind of stem cells (当院の脂肪由来幹細胞治療) is that kind
    page_codes = {o["therapy"] for o in offerings}
    offerings = [{**o, "therapy": site_therapy(o, page_codes)} for o in offerings]
    reporter = _reporter(identity, text)
    if reporter:
        mentioned += [{"therapy": o["therapy"], "therapy_printed": o["therapy_printed"], "excerpt": o["excerpt"],
                       "why": reporter} for o in offerings]
        offerings = []
    offered_codes = {o["therapy"] for o in offerings}
    # the kinds are read again once the offered therapies are known (a row under the one therapy offered is its
    # price), and both lists come from that one reading, so an amount is in exactly one of them
    amounts = amounts_on_page(blocks, offered_codes, currencies, page_condition, column)
    if reporter:  # what a page that offers nothing says a therapy costs is someone else's fee
        amounts = [{**a, "kind": "comparison"} if a["kind"] == "treatment" else a for a in amounts]
    prices = [a for a in amounts if a["kind"] == "treatment"]
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
            for i in _once_each(find_identifiers(printed))
        ],
        "class_statements": _class_statements([(s, b) for s, b, _ in headed([b for b in printed_blocks if not b.nav])],
                                              language == "en"),
        # a sidebar banner (「厚生労働省 認可 再生医療提供医療機関」) is the site's claim too, though not this page's topic
        "approval_wording": approval_wording(plain + [b.text for b in printed_blocks if b.nav and not b.heading]),
        "ad_disclosures": disclosures(text),
        "prices": prices,
        "other_amounts": other_amounts,
        "mentions": mentioned,
        "languages": _languages(soup, text, language),
        "links": links,
    }
