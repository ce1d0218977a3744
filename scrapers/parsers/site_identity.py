"""Who a clinic site is: its name, place and phone, read from everything a page (and a site) shows.

Clinic sites rarely say who they are where a parser looks first. The name stands in a logo image's ``alt``, a
header brand, the footer, a © line, the tail of the ``<title>`` (「PRP療法｜○○整形外科」) or the line above the
address; JSON-LD and ``og:site_name`` are rare; column posts and sub-pages often print no name at all. So every
place a name can stand yields a *candidate* with its source, candidates that fold to the same name add up, and
the name with the most agreement wins. The candidates are kept in the result for review.

A department (整形外科 of a hospital), a page heading (クリニック紹介) or a therapy (PRP療法) is not a name: such
candidates are dropped, because a clinic named 整形外科 would match every 整形外科 in the registry.

The place and the phone are read by :mod:`scrapers.parsers.site_place`; this module joins them to the name.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict

from readers.addresses import prefecture_of_place
from readers.names import host_agrees, parse_name, same_reading
from readers.normalize import CORPORATE_FORMS, normalize_text, split_corporation
from readers.regions import PREFECTURES, prefecture_for_phone
from scrapers.parsers.clinic_names import (
    BLOG_PLATFORM,
    FACILITY_ANY,
    FACILITY_END,
    FACILITY_WORD,
    MEDIA,
    brand_name,
    clean_name,
    ends_as_name,
)
from scrapers.parsers.page_text import inline_text, unwrap, visible_blocks
from scrapers.parsers.site_place import (  # noqa: F401 (domestic_phone, page_place: re-exported for callers)
    POSTAL,
    domestic_phone,
    japanese_place_text,
    outside_branch_lists,
    page_phone,
    page_place,
    place_phrase,
    prefecture_in_name,
    self_located,
)

#: how much one sighting of a name in each place counts; structured data and branding outweigh running text
SOURCE_WEIGHTS = {
    "json_ld": 3.0,
    "og_site_name": 2.5,
    "logo_alt": 2.5,
    "header_brand": 2.0,
    "title": 2.0,
    "copyright": 1.5,
    "address_line": 1.5,
    "footer": 1.2,
    "heading": 0.8,
    "labelled": 2.5,
    "staff_title": 1.0,
    "self_reference": 1.0,
    "prose_host": 1.2,
    "article_subject": 2.0,
    "corporation_line": 1.5,
}
_LD_TYPES = re.compile(r"Clinic|Hospital|Medical|Physician|Dentist|LocalBusiness|Organization|HealthAndBeauty", re.I)
#: sources that say the name is a facility's, whatever its words: a doctor's post, a self-introduction, a labelled
#: 医院名, the line over an address, the subject of an article
_FACILITY_SOURCES = ("staff_title", "self_reference", "labelled", "address_line", "article_subject", "prose_host",
                     "corporation_line")
#: words of a page's own headings and menus, not of a name (クリニック紹介, 当院について, 病院概要)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|（c）|copyright|コピーライト)\s*(?:\(c\)|（c）|©)?\s*(?:\d{4}(?:\s*[-–~〜]\s*\d{4})?)?\s*[,.]?\s*"
    r"(.+?)\s*(?:all\s+rights\s+reserved\.?|\.?\s*$)",
    re.I,
)
_TITLE_SPLIT = re.compile(r"\s*[|｜–—:：/／【】「」『』〔〕<>＜＞]\s*|\s+-\s+|\s{2,}")
_LOGO_HINT = re.compile(r"logo|brand|site-?title|site-?name|header-?title|clinic-?name|hospital-?name", re.I)
#: a header image that is a badge, not the logo: an accreditation (「日本美容外科医師会認定医院」「〇〇学会 認定施設」),
#: a membership, an award, a media mention; its alt names the body that grants it, never the clinic
_BADGE_ALT = re.compile(r"認定|会員|加盟|指定(?:医療機関|施設|病院)|受賞|掲載|取得|award|certified|accredited|member", re.I)
_BADGE_SRC = re.compile(r"badge|award|cert|emblem|mark_|bnr|banner|media", re.I)
_FOOTER_HINT = re.compile(r"footer|foot|ft-|copyright|site-?info|address", re.I)


#: a facility, not a department: a centre named beside a hospital is the hospital's (see choose_name)
_FACILITY_HOSPITAL = re.compile(r"病院|クリニック|医院|診療所")
#: 「関内駅前院」「大阪院」: a branch printed without its clinic's name (a header's branch, a footer's list of them)
_BARE_BRANCH = re.compile(r"^[^\s]{1,8}(?<![病医分本])院$")


#: sources that brand the site (a logo, site name, © line): a name there needs no facility word (グランソール奈良)
_BRAND_SOURCES = ("json_ld", "og_site_name", "logo_alt", "header_brand", "copyright", "labelled")
#: 「ZENクリニック院長」「監修：シンセルクリニック 総院長」: a doctor's profile names the facility before the title
_STAFF_TITLE = re.compile(
    r"([^\s、。，,「」『』（）()・:：をにがへ]{1,20}?(?:クリニック|病院|医院|診療所|整形外科|歯科|皮膚科|内科))"
    r"\s?(?:統括院長|総院長|副院長|名誉院長|院長|理事長)"
)
#: 「愛知県一宮市の森整形外科で院長を務めております」: the writer's present post names the facility (a career history,
#: 「○○病院で副院長を務めた後」, is past tense and not read)
_POST_HELD = re.compile(
    r"([^\s、。，,「」『』（）()・:：をにがへ]{2,24}?(?:クリニック|病院|医院|診療所|整形外科|歯科|皮膚科|内科))"
    r"(?:で|の)(?:統括院長|総院長|副院長|院長|理事長)を務めて(?:おります|います|おりま)"
)
#: the clinic introducing itself in running text: 「こんにちは、…小嶋デンタルクリニックです。」 (a sentence that merely
#: starts with a facility's name, 「○○病院では、」, is as often about another hospital and is not read)
_SELF_REFERENCE = re.compile(
    r"(?:こんにちは|はじめまして|こんばんは)[^。]{0,40}?[、。！!\s]([^\s、。「」！!]{2,20}?(?:クリニック|医院|病院|歯科|整形外科|"
    r"診療所))(?:です|の\S{0,16}?(?:医師|院長|看護師|スタッフ|カウンセラー|コーディネーター|受付)の\S{1,10}です)"
)
#: a post signed at its top: 「医療法人明正会 麻布十番今林クリニック 皮膚科医師の横山です。」 (the corporation, the
#: facility, then who is writing)
_STAFF_INTRODUCTION = re.compile(
    r"^(?:(?:社会|特定)?医療法人(?:社団|財団)?\S{1,10}会\s*)?(\S{2,24}?(?:クリニック|医院|病院|歯科|整形外科))\s+"
    r"\S{0,16}(?:医師|院長|副院長|看護師|スタッフ|理事長|管理栄養士|受付)の\S{1,10}(?:です|でございます)"
)
#: a facility named in running text (「桃谷うすい整形外科では、…」「外来診療は東海大学医学部付属病院 整形外科で…」)
_PROSE_FACILITY = re.compile(r"[^\s、。，,「」『』（）()【】・:：!?！？]{2,30}?"
                             r"(?:(?:整形外科|歯科|皮膚科|形成外科)?(?:クリニック|医院|病院|診療所)|整形外科|歯科|皮膚科|形成外科)"
                             r"(?:[\u4e00-\u9fff]{1,5}院(?![長内外])(?=[はがをにでのへとも、。）)\s]|$))?")  # 「…クリニック札幌院では」
_PARTICLE = re.compile(r"であり|となり|[はがをにでのへとも]")  # 「専門医でありイノルト整形外科の」


def _place_only(name: str) -> bool:
    """市立札幌病院 is named by its city alone: a host spelling sapporo is anybody's in Sapporo."""
    core = re.sub(r"(?:市立|県立|府立|都立|道立|国立|公立|大学|医学部|附属|付属|総合|中央)", "", parse_name(name).core)
    core = re.sub(r"[都道府県市]$", "", core)
    return not core or any(p.rstrip("都道府県") == core for p in PREFECTURES) or bool(prefecture_of_place(core))


def _owned(name: str, url: str | None, brands: list[str]) -> bool:
    """The site is this facility's own: its host spells the name, or (a university's department site) the brand
    names the same university (「東海大学医学部 外科学系整形外科学」 and 東海大学医学部付属病院)."""
    academic = "大学" in name and ".ac.jp" in (url or "")  # u-tokai.ac.jp is the university's own, place or not
    # nakano-dc.net spells a place and a kind of facility (dental clinic): a facility's own host, not a place's
    host = re.sub(r"^[a-z]+://", "", (url or "").lower()).split("/")[0]
    kind = re.search(r"(?:^|[.\-_])(?:dc|cl|hp|iin|shika|clinic|dental|hospital|seikei|hifuka)(?:[.\-_]|$)", host)
    if host_agrees(name, url) and (academic or kind or not _place_only(name)):
        return True
    university = re.match(r"\S{1,10}?大学", name)
    if university and any(university.group(0) in brand for brand in brands):
        return True
    # 「アヴェニューセルクリニックでは」 under a logo and a © line reading AVENUE CELL CLINIC: the Japanese spelling of
    # the site's own romanised brand
    return FACILITY_ANY.search(name) is not None and not re.search(r"[A-Za-z|｜]", name) and any(
        brand and _mostly_romanised(brand) and same_reading(brand, name) for brand in brands)


def _prose_names(blocks, url: str | None, brands: list[str]) -> list[str]:
    """Facility names in running text that the site's own host or brand spells (momodani-usui-seikei.com and
    「桃谷うすい整形外科では」). A body sentence may name any hospital (a referral, a study), so a name read there
    counts only when the site is that facility's own; the longest such reading of each phrase is kept."""
    names = []
    for block in blocks:
        for match in _PROSE_FACILITY.finditer(block.text):
            phrase = match.group(0)
            cuts = [0] + [m.end() for m in _PARTICLE.finditer(phrase)]
            for cut in cuts:
                name = clean_name(phrase[cut:])
                if name and _owned(name, url, brands):
                    names.append(name)
                    break
    return names


#: 「医院名：○○整形外科」「名称 ○○クリニック」 in an access table or a footer <dl>
_NAME_LABEL = re.compile(r"^(?:医院名|クリニック名|病院名|施設名|医療機関名|(?:再生医療等)?(?:実施|提供)?(?:医療)?機関の名称|名称|Clinic name|Name)"
                         r"\s*[:：]?\s*(?![ぁ-ゖ])(.+)$",
                         re.I)  # not 「名称の例」: a hiragana after the label makes it a phrase


def _add(found: list[dict], text: str | None, source: str) -> None:
    text = normalize_text(text)
    if text.isascii() and "," in text and not re.search(r"\d", text):
        text = text.split(",")[0]  # "Kenmochi Orthopaedic Surgery,Sports Medicine, …": the name, then a strap line
    for part in _script_parts(text):
        name = clean_name(part)
        weight = SOURCE_WEIGHTS[source]
        if not name and source in _BRAND_SOURCES:
            name, weight = brand_name(part), weight * 0.6
        if name:
            found.append({"name": name, "source": source, "weight": weight})


def _script_parts(text: str) -> list[str]:
    """「TOKIKO CLINIC トキコクリニック」: a romanised and a Japanese form side by side are two candidates."""
    match = re.fullmatch(r"([A-Za-z][A-Za-z .&'-]+?)\s+([^\x00-\x7f].*)", text) or re.fullmatch(
        r"([^\x00-\x7f].*?)\s+([A-Za-z][A-Za-z .&'-]+)", text)
    if not match:
        return [text]
    japanese = match.group(2) if match.group(1).isascii() else match.group(1)
    if match.group(1).isascii() and re.fullmatch(r"(?!TOP$|HOME$|NEW$)[A-Z&]{2,5}", match.group(1)):
        return [text.replace(" ", "", 1)]  # 「BTR アーツ銀座クリニック」: an acronym that begins the name
    # 「One Clinic 麹町」: a place after a romanised name is its branch, not a second name
    return [match.group(1), match.group(2)] if FACILITY_ANY.search(japanese) else [text]


def _ld_objects(data) -> list[dict]:
    if isinstance(data, list):
        return [o for item in data for o in _ld_objects(item)]
    if not isinstance(data, dict):
        return []
    objects = [data]
    for key in ("@graph", "mainEntity", "publisher", "provider", "author", "location"):
        objects.extend(_ld_objects(data.get(key)))
    return objects


def _ld_typed(soup):
    """(type, object) for every JSON-LD object on the page, nested ones included; unreadable scripts are skipped."""
    for script in soup.find_all("script", attrs={"type": re.compile(r"ld\+json", re.I)}):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except ValueError:
            continue
        for obj in _ld_objects(data):
            kind = obj.get("@type")
            yield (" ".join(map(str, kind)) if isinstance(kind, list) else str(kind or "")), obj


def json_ld_facilities(soup, typed: list | None = None) -> list[dict]:
    """JSON-LD objects of a medical or business type, with their name, address and telephone (``typed``: the
    page's objects already read by :func:`_ld_typed`)."""
    facilities = []
    for kind, obj in _ld_typed(soup) if typed is None else typed:
        if _LD_TYPES.search(kind) and isinstance(obj.get("name"), str):
            address = obj.get("address")
            if isinstance(address, dict):
                address = " ".join(str(address.get(k) or "") for k in
                                   ("postalCode", "addressRegion", "addressLocality", "streetAddress")).strip()
            facilities.append({"name": obj["name"], "address": address if isinstance(address, str) else None,
                               "telephone": obj.get("telephone") if isinstance(obj.get("telephone"), str) else None,
                               "medical": bool(re.search(r"Clinic|Hospital|Medical|Physician|Dentist", kind, re.I))})
    return facilities


def _hinted(tag, pattern: re.Pattern[str]) -> bool:
    for node in [tag, *tag.parents][:4]:
        attrs = " ".join([node.get("id") or "", " ".join(node.get("class") or [])]) if hasattr(node, "get") else ""
        if pattern.search(attrs):
            return True
    return False


def name_candidates(soup, blocks, ld: list[dict] | None = None, url: str | None = None,
                    publishers: set[str] | None = None) -> list[dict]:
    """Every place the page names a facility, as {name, source, weight}, in page order within each source."""
    found: list[dict] = []
    for facility in json_ld_facilities(soup) if ld is None else ld:
        _add(found, facility["name"], "json_ld")
    meta = soup.find("meta", attrs={"property": "og:site_name"})
    if meta:
        # 「「歯」と「口」のはなし|千葉県千葉市の原田歯科クリニック」: a site name printed like a title, in pieces
        for part in _TITLE_SPLIT.split(meta.get("content") or ""):
            _add(found, part, "og_site_name")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for part in _TITLE_SPLIT.split(title):
        for piece in _title_pieces(part):
            _add(found, piece, "title")
    for img in soup.find_all("img", alt=True):
        in_header = img.find_parent("header") is not None or _hinted(img, _LOGO_HINT)
        src = img.get("src") or ""
        home = img.find_parent("a", href=re.compile(r"^(?:/|\./|index\.html?|https?://[^/]+/?)$"))
        badge = "logo" not in src.lower() and (_BADGE_ALT.search(img["alt"]) or _BADGE_SRC.search(src.rsplit("/", 1)[-1]))
        if not badge and (in_header or "logo" in src.lower() or img.find_parent("h1") is not None or home is not None):
            _add(found, img["alt"], "logo_alt")
    for tag in soup.find_all(attrs={"class": _LOGO_HINT}) + soup.find_all(attrs={"id": _LOGO_HINT}):
        _add(found, inline_text(tag), "header_brand")
    footer_lines: list[str] = []
    for footer in _footer_tags(soup, by_class=True):
        footer_lines += footer_lines_of(footer)
    for line in dict.fromkeys(footer_lines):
        match = _COPYRIGHT.search(normalize_text(line))
        if match:
            _add(found, match.group(1), "copyright")
        elif len(line) <= 40:
            _add(found, line, "footer")
    seen_copyright = {c["name"] for c in found if c["source"] == "copyright"}
    for block in blocks:
        match = _COPYRIGHT.search(block.text)
        if match and ("©" in block.text or "opyright" in block.text):
            name = clean_name(match.group(1))
            if name and name not in seen_copyright:
                _add(found, match.group(1), "copyright")
    # 「医療法人慶春会福永記念診療所、再生医療ブログ」: a line that opens with the corporation names the facility it runs;
    # several such lines are a list of other places (a doctor's past hospitals), none of them the page's
    run = {split_corporation(re.split(r"[、,。｜|]", b.text)[0])[1] for b in blocks
           if len(b.text) <= 60 and b.text.startswith(CORPORATE_FORMS)}
    run = {facility for facility in run if facility and FACILITY_END.search(facility)}
    if len(run) == 1:
        _add(found, run.pop(), "corporation_line")
    for row in soup.find_all(["tr", "dl"]):
        # a label cell and its value: <tr><th>医院名</th><td>…</td></tr>, <dl><dt>名称</dt><dd>…</dd></dl>
        cells = [inline_text(c) for c in row.find_all(["th", "td", "dt", "dd"], recursive=False)]
        for label, value in zip(cells, cells[1:], strict=False):
            if _NAME_LABEL.match(label + " x") and len(label) <= 8:
                _add(found, value, "labelled")
    for block in blocks:
        match = _NAME_LABEL.match(block.text)
        if match and len(block.text) <= 50:
            _add(found, match.group(1), "labelled")
    for index, block in enumerate(blocks):
        for match in _POST_HELD.finditer(block.text):
            _add(found, match.group(1), "staff_title")
        for match in _STAFF_TITLE.finditer(block.text):
            if re.search(r"(?:19|20)\d{2}年|(?:昭和|平成|令和)\s?\d{1,2}年", block.text[: match.start()]):
                continue  # 「2010年1月 医療法人拓誠会 辻村病院 院長」: a line of the doctor's career, not where they are
            above = (blocks[index - 1].text if index else "") + block.text[: match.start()]
            if "監修" in above and not _site_brands_it(clean_name(match.group(1)), url, found):
                continue  # 「監修：C&G銀座クリニック 院長」 on a portal: the clinic supervised the text; the site is not its
            _add(found, match.group(1), "staff_title")
        following = blocks[index + 1].text if index + 1 < len(blocks) else ""
        if len(block.text) <= 30 and re.match(r"(?:統括院長|総院長|副院長|院長|理事長)\s", following):
            _add(found, block.text, "staff_title")  # a post signed 「私のクリニック目白」 over 「院長 平田 雅子」
        match = _SELF_REFERENCE.search(block.text) or _STAFF_INTRODUCTION.match(block.text)
        if match:
            _add(found, match.group(1), "self_reference")
    for index, block in enumerate(blocks):
        postal = POSTAL.search(block.text)
        if postal:
            before = block.text[: postal.start()].strip()
            if before:
                _add(found, re.split(r"\s{1,}(?=〒)", before)[-1], "address_line")
            elif index:
                # <dt>所在地</dt><dd>〒…</dd>: the line before the address is the row's label; the row above names
                above = index - 2 if blocks[index - 1].tag == "dt" and block.tag == "dd" and index >= 2 else index - 1
                _add(found, blocks[above].text, "address_line")
        if block.tag in ("h1", "h2") and len(block.text) <= 40:
            _add(found, block.text, "heading")
    brands = [title, *(img.get("alt") or "" for img in soup.find_all("img", alt=True)),
              *(c["name"] for c in found if c["source"] in _BRAND_SOURCES)]
    for name in _prose_names(blocks, url, brands):
        _add(found, name, "prose_host")
    found = _without_publisher(found, soup, blocks, publishers)
    medical = {normalize_text(f["name"]) for f in (json_ld_facilities(soup) if ld is None else ld) if f.get("medical")}
    _mark_unbacked(found, " ".join(block.text for block in blocks), medical)
    return found


#: a university (札幌医科大学, whose hospital or centre the page is) is an institution, never a portal's brand
_UNIVERSITY = re.compile(r"[^\s]{2,}大学$")


def _mark_unbacked(found: list[dict], text: str, medical: set[str]) -> None:
    """Flag names with no facility word (グランソール奈良, PlacidWay, 爆料網, Made with Strikingly) that nothing on the
    page shows to be a facility's: a site's brand is as often a portal's, a magazine's or a site builder's.

    A name is backed by a source that says it is a facility (see ``_FACILITY_SOURCES``), by a JSON-LD object of a
    medical type, or by the page's text using it as one: its director (「グランソール奈良 院長」), its opening
    (「…を開設」), its staff. :func:`choose_name` drops a name whose every sighting, on every page of a site, is
    unbacked.
    """
    backed_keys = {_group_key(c["name"]) for c in found if c["source"] in _FACILITY_SOURCES}
    for candidate in found:
        name = candidate["name"]
        if (FACILITY_WORD.search(name) or _UNIVERSITY.search(name) or _group_key(name) in backed_keys
                or normalize_text(name) in medical):
            continue
        context = re.compile(re.escape(name) + r"\s?(?:の\s?)?(?:統括院長|総院長|副院長|名誉院長|院長|理事長|医師|スタッフ)|"
                             + re.escape(name) + r"\s?(?:を|は)(?:開設|開院|開業)|(?:当院|当クリニック)\s?[「『]?"
                             + re.escape(name))
        if not context.search(text):
            candidate["unbacked"] = True


#: 「藤田健司 医師（藤田整形外科スポーツクリニック）」「194 お茶の水セルクリニック（東京千代田区）」: a title names the
#: facility in brackets after a doctor, or prints a place (and an issue number) around it
_BRACKETED = re.compile(r"^(.*?)\s*[(（]([^()（）]{2,40})[)）]\s*$")


def _title_pieces(part: str) -> list[str]:
    """A title segment, or the facility it brackets: the doctor's name before it, a place in brackets after it and
    a leading issue number are not part of a name."""
    part = re.sub(r"^(?:No\.|第)?\d{1,4}(?:回|号)?\s+(?=\S)", "", normalize_text(part))
    # 「足立慶友整形外科・リウマチ科 理事長 北城雅照先生インタビュー」「ひざの痛みクリニック・チーフドクター長谷川…」: the
    # facility, then whom the page is about
    part = re.sub(r"^(\S+?(?:クリニック|病院|医院|診療所|科))[\s・･]+(?:[一-龥]{2,4}\s?[一-龥]{1,4})?(?:理事長|院長|副院長|総院長|"
                  r"医師|\S{0,4}ドクター)(?:[\s・･]?\S.*)?$", r"\1", part)
    # "[K-Bio in Japan] Total Cell Clinic director says…": the clinic whose head the headline quotes
    english = re.match(r"^(?:\[[^\]]*\]\s*)?((?:[A-Z][\w&'.-]*\s){0,4}(?:Clinic|Hospital|Cent(?:er|re)))\s+"
                       r"(?:director|CEO|president|founder|chairman|head|chief)\b", part)
    if english:
        part = english.group(1)
    # "Osaka Regenerative Medicine Center (inside Recelling Clinic)": the clinic the centre stands in
    inside = re.search(r"[(（](?:inside|within|at|院内|内)\s*([^()（）]{2,40})[)）]\s*$", part)
    if inside and FACILITY_END.search(inside.group(1)):
        return [inside.group(1)]
    # 「…臨床と研究の両輪でひざの痛みに対応するM再生クリニック」: a headline that ends with the clinic it is about
    tail = re.search(r".*(?:する|した|の|な(?!ら)|なら)([^\s、。「」]{2,20}?(?:クリニック|病院|医院|診療所))$", part)
    if tail and len(part) > len(tail.group(1)) + 8:
        part = tail.group(1)
    # 「さくら整形外科のPRP療法」: the clinic, then what of it the page is about
    head = re.match(r"^([^\sの「」]{2,20}?(?:クリニック|病院|医院|診療所|整形外科|歯科|皮膚科|内科))の(?=\S{0,12}?"
                    r"(?:治療|療法|注射|点滴|施術|料金|費用|診療|PRP|APS|幹細胞|再生医療))", part)
    if head and not re.search(r"おすすめ|人気|選び|PRP|幹細胞|再生|血漿|専門", head.group(1)):
        part = head.group(1)
    match = _BRACKETED.match(part)
    if not match:
        return [part]
    outside, inside = match.groups()
    if FACILITY_END.search(inside) and not FACILITY_END.search(outside):
        return [inside]
    if prefecture_of_place(re.sub(r"^(?:" + "|".join(PREFECTURES) + ")", "", inside)) or any(
            inside.startswith(p) for p in PREFECTURES) or inside.startswith(("東京", "大阪", "京都")):
        return [outside]
    return [part]


def _article_publishers(soup, typed: list | None = None) -> set[str] | None:
    """The publishers' names when the page is an article (og:type article, or a JSON-LD Article, NewsArticle or
    BlogPosting): og:site_name and the JSON-LD publisher; None when the page is not an article."""
    kind = soup.find("meta", attrs={"property": "og:type"})
    article = bool(kind) and (kind.get("content") or "").strip().lower() == "article"
    publishers = set()
    site = soup.find("meta", attrs={"property": "og:site_name"})
    if site and site.get("content"):
        publishers.add(normalize_text(site["content"]))
    for kinds, obj in _ld_typed(soup) if typed is None else typed:
        if re.search(r"Article|BlogPosting", kinds):
            article = True
            publisher = obj.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                publishers.add(normalize_text(publisher["name"]))
    return publishers if article else None


def _media(publishers: set[str] | None) -> bool:
    """An article whose publisher is a newspaper's or a magazine's (西日本新聞社, 沖縄タイムス社, 日刊…): the site's
    brand names no clinic, and what the article tells of therapies is reporting, not the publisher's offer."""
    return any(MEDIA.search(publisher) for publisher in publishers or ())


def _article_about(name: str | None, candidates: list[dict], publishers: set[str] | None) -> bool:
    """The page is an article about this clinic on someone else's site: its title or its quotes name it, and it is
    not the publisher."""
    if not publishers or not name or any(_group_key(name) in _group_key(p) for p in publishers):
        return False  # 「東京BTクリニック歯科・医科|歯と膝の再生治療」: the site is the clinic's own
    return any(c["source"] in ("title", "article_subject") and _group_key(c["name"]) == _group_key(name)
               for c in candidates)


def _without_publisher(found: list[dict], soup, blocks, publishers: set[str] | None) -> list[dict]:
    """An article about a facility on a magazine's, a newspaper's or a directory's site: the site's own brand
    (og:site_name, the JSON-LD publisher: 時事メディカル, ナールス) is the publisher, not the facility, when the title
    names another facility that the page's text names again, or the text quotes one (医療機関「グランソール奈良」,
    「宇陀市の医療機関、グランソール奈良で…」) that the title or a closing box with its address names too. The
    publisher's sightings are dropped; the facility's stay. A newspaper's or a magazine's brand is dropped anyway.

    A clinic's own column names other hospitals in its text, but not as the subject of its title or beside their
    address, so the rule reads only those."""
    if not publishers:
        return found
    keys = {_group_key(p) for p in publishers} | {_group_key(c["name"]) for c in found
                                                    if any(c["name"] in p for p in publishers)}
    body = "\n".join(block.text for block in blocks if not block.nav and block.tag != "title")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for index, block in enumerate(blocks):
        # an article's closing box: 「グランソール奈良」 as a heading over 「所在地 奈良県宇陀市…」
        if block.tag in ("h2", "h3", "h4", "h5", "dt", "th", "strong") and len(block.text) <= 30 and not block.nav:
            name = clean_name(block.text) or brand_name(block.text)
            if name and _group_key(name) not in keys and _beside_address(name, blocks[index:index + 4]):
                found.append({"name": name, "source": "article_subject", "weight": SOURCE_WEIGHTS["article_subject"]})
    for quoted in _QUOTED_FACILITY.finditer(body):
        # 「医療機関『グランソール奈良』は…」 in an article whose title names it too: the clinic the article is about
        printed = quoted.group(1) or quoted.group(2) or quoted.group(3)
        name = clean_name(printed) or (brand_name(printed) if not quoted.group(3) else None)
        if name and _group_key(name) not in keys and (name in title or _beside_address(name, blocks)):
            found.append({"name": name, "source": "article_subject", "weight": SOURCE_WEIGHTS["article_subject"]})
    subjects = {_group_key(c["name"]) for c in found if (
        (c["source"] == "title" and ends_as_name(c["name"])) or c["source"] == "article_subject")
        and _group_key(c["name"]) not in keys and c["name"] in body}
    if not subjects and not _media(publishers):
        return found
    return [c for c in found if _group_key(c["name"]) not in keys and not (
        c["source"] in ("copyright", "logo_alt", "header_brand", "og_site_name", "json_ld")
        and _group_key(c["name"]) not in subjects)]


#: a facility named in quotes in an article: 「医療機関「グランソール奈良」」, or a quoted name that reads as one
_QUOTED_FACILITY = re.compile(r"(?:医療機関|クリニック|病院|医院|歯科医院)(?:「([^「」]{2,30})」|、([^、。「」\s]{2,20}?)(?=で|は|が|の))"
                              r"|「([^「」]{2,30}?(?:クリニック|病院|医院|整形外科|歯科))」")


def _beside_address(name: str, blocks) -> bool:
    """The name stands on a line with an address, or just above one (an article's closing box, where a label such
    as 所在地 may stand between)."""
    for index, block in enumerate(blocks):
        if name in block.text:
            following = " ".join(b.text for b in blocks[index + 1: index + 3])
            following = re.sub(r"^(?:所在地|住所|Address)\s*[:：]?\s*", "", following)
            if any(re.search("(?:" + "|".join(PREFECTURES) + r")?\S{1,8}?[市区町村郡]\S{0,20}?\d", text)
                   or re.match("(?:" + "|".join(PREFECTURES) + r")\S{1,8}?[市区町村郡]", text.strip())
                   for text in (block.text.replace(name, ""), following)):
                return True
    return False


def _site_brands_it(name: str | None, url: str | None, found: list[dict]) -> bool:
    """The host or the page's brand (logo, og:site_name, © line) names this facility: a supervisor's clinic is the
    site's own (監修：ZENクリニック院長 under a ZEN CLINIC logo), not a portal's adviser."""
    if not name:
        return False
    brands = [c["name"] for c in found if c["source"] in _BRAND_SOURCES]
    return host_agrees(name, url) or any(_group_key(b) == _group_key(name) or (
        _mostly_romanised(b) and same_reading(b, name)) for b in brands)


def _group_key(name: str) -> str:
    return parse_name(name).key


def _mostly_romanised(name: str) -> bool:
    """"One Clinic 麹町" is a romanised name with a place after it; ワンクリニック麹町 is the Japanese one."""
    letters = [c for c in name if not c.isspace()]
    return sum(c.isascii() and c.isalpha() for c in letters) * 2 >= len(letters)


def _without_corporation_names(candidates: list[dict]) -> list[dict]:
    """「鳩翔会 石田歯科医院」 in a logo is 石田歯科医院 when the © line says 「医療法人 鳩翔会 石田歯科医院」: the
    corporation's own name, printed without its legal form, is still the corporation's, not part of the clinic's."""
    bare = set()
    for candidate in candidates:
        corporation, _ = split_corporation(candidate["name"])
        form = next((f for f in CORPORATE_FORMS if corporation.startswith(f)), None)
        if form and len(corporation) > len(form):
            bare.add(corporation[len(form):])
    if not bare:
        return candidates
    out = []
    for candidate in candidates:
        head, _, rest = normalize_text(candidate["name"]).partition(" ")
        if head in bare and FACILITY_ANY.search(rest):
            candidate = {**candidate, "name": rest}
        out.append(candidate)
    return out


def choose_name(candidates: list[dict]) -> tuple[str | None, dict]:
    """The name with the most agreement: candidates folding to one name add their weights, each source once per
    page; the printed form is the one from the weightiest source. Returns (name, {name: score})."""
    totals: dict[str, float] = defaultdict(float)
    counted: set[tuple] = set()
    printed: dict[str, tuple[float, str]] = {}
    candidates = _without_corporation_names(candidates)
    for candidate in candidates:
        key = _group_key(candidate["name"])
        tally = (key, candidate["source"], candidate.get("page"))
        if tally not in counted:
            counted.add(tally)
            totals[key] += candidate["weight"]
        best = printed.get(key)
        if best is None or candidate["weight"] > best[0]:
            printed[key] = (candidate["weight"], candidate["name"])
    if not totals:
        return None, {}
    # a bare branch (関内駅前院) is no name alone: it names which branch of the chosen clinic the page is, when the
    # page prints exactly one (a footer listing 東京院・大阪院・札幌院 says nothing about this page)
    branches = {k for k in totals if _BARE_BRANCH.match(printed[k][1])}
    own = {printed[k][1] for k in branches if any(c["source"] in ("title", "header_brand", "logo_alt", "heading")
                                                  and _group_key(c["name"]) == k for c in candidates)}
    for key in branches:
        totals.pop(key)
    if not totals:
        return None, {}
    # the same name in two scripts agrees with itself: SINCELL CLINIC's sightings count for シンセルクリニック
    for key in [k for k in totals if _mostly_romanised(printed[k][1])]:
        same = [k for k in totals if not _mostly_romanised(printed[k][1]) and same_reading(printed[key][1], printed[k][1])]
        if same:
            totals[same[0]] += totals.pop(key)
    # a Japanese page's romanised logo (TORA CLINIC) yields to the name it prints in Japanese (トラクリニック)
    if any(not printed[k][1].isascii() for k in totals):
        for key in totals:
            if printed[key][1].isascii():
                totals[key] *= 0.25
    # a bare brand (HELENE) agrees with the fuller name that starts with it (Helene Clinic)
    for key in list(totals):
        fuller = [k for k in totals if k != key and k.startswith(key) and len(k) > len(key)]
        if fuller and not FACILITY_ANY.search(printed[key][1]):
            totals[fuller[0]] += totals.pop(key)
    # a brand that nothing shows to be a facility's (a portal's, a newspaper's, a site builder's) is no clinic name;
    # a bare brand that begins a backed name has just lent that name its sightings
    backed = {_group_key(c["name"]) for c in candidates if not c.get("unbacked")}
    for key in [k for k in totals if k not in backed]:
        totals.pop(key)
    if not totals:
        return None, {}
    # a centre named beside its hospital (未来医療センター, 広島大学病院 in the logo) is the hospital's department
    hospitals = {_group_key(c["name"]) for c in candidates if c["source"] in _BRAND_SOURCES and c["name"].endswith("病院")}
    for key in [k for k in totals if printed[k][1].endswith("センター") and not _FACILITY_HOSPITAL.search(printed[k][1])]:
        if hospitals & set(totals):
            totals.pop(key)
    # a branch name (○○クリニック 新宿院) also agrees with its chain's name (○○クリニック): the chain's sightings
    # support the branch when the branch itself is named on the page, and is the only one of its chain named there
    siblings = Counter(parse_name(printed[k][1]).base for k in totals if parse_name(printed[k][1]).branch)
    for key in list(totals):
        parsed = parse_name(printed[key][1])
        if parsed.branch and parsed.base in totals and parsed.base != key and siblings[parsed.base] == 1:
            totals[key] += 0.5 * totals[parsed.base]
    ranked = sorted(totals, key=lambda k: (-totals[k], -printed[k][0], k))
    chosen = printed[ranked[0]][1]
    # the chain's name won, and the page names exactly one of its branches (「ルネクリニック 東京院」 in the footer):
    # the page is that branch's (a footer listing every branch names none)
    branches_of = {printed[k][1] for k in totals if parse_name(printed[k][1]).branch and printed[k][1].endswith("院")
                   and parse_name(printed[k][1]).base == parse_name(chosen).key}  # 東京院, not 「…へようこそ」
    if not parse_name(chosen).branch and len(branches_of) == 1 and not own:
        chosen = branches_of.pop()
    if len(own) == 1 and not parse_name(chosen).branch:
        chosen = f"{chosen} {own.pop()}"
    return chosen, {printed[k][1]: round(totals[k], 2) for k in ranked}


def _footer_tags(soup, by_class: bool = False) -> list:
    """The page's footers: <footer>, and blocks whose id (or, with ``by_class``, class) says footer or copyright."""
    tags = soup.find_all("footer") + [t for t in soup.find_all(attrs={"id": _FOOTER_HINT}) if t.name != "footer"]
    if by_class:
        tags += [t for t in soup.find_all(attrs={"class": _FOOTER_HINT}) if t.name != "footer"]
    return tags


def _footer_texts(soup) -> list[str]:
    return [unwrap(line) for footer in _footer_tags(soup) for line in footer.stripped_strings if len(line) <= 160]


def footer_lines_of(footer) -> list[str]:
    """A footer's lines as they are displayed: 「<span>Copyright</span> © みなと整形外科」 is one line, not three
    strings (a holder split by a styled word was read as half a name)."""
    lines = []
    for block in visible_blocks(footer):
        parts = re.split(r"\s*[|｜]\s*", block.text)
        lines += parts if len(parts) >= 3 else [block.text]  # 「首页 | 学院 | 联系我们」: a menu's links, one by one
    return lines


def page_identity(soup, blocks, text: str, url: str | None = None) -> dict:
    """Name (with its candidates), place and phone of one page."""
    typed = list(_ld_typed(soup))  # the page's JSON-LD, parsed once for the facilities and the article's publisher
    ld = json_ld_facilities(soup, typed)
    publishers = _article_publishers(soup, typed)
    candidates = name_candidates(soup, blocks, ld, url, publishers)
    name, scores = choose_name(candidates)
    place = page_place(japanese_place_text(blocks), next((f["address"] for f in ld if f.get("address")), None), name)
    if not place["prefecture"]:
        title = soup.title.get_text(" ", strip=True) if soup.title else ""
        place.update(place_phrase([title, *outside_branch_lists(_footer_texts(soup), name)]))
    if not place["prefecture"]:
        place.update(self_located([b.text for b in blocks], name))
    if not place["prefecture"] and name:
        prefecture = prefecture_in_name(name)
        if prefecture:
            place.update(prefecture=prefecture, place_source="place in the name")
    phone = page_phone(soup, text, next((f["telephone"] for f in ld if f.get("telephone")), None))
    # kept apart from the printed prefecture: matching may block on it, but it is not what the page says
    return {"name_printed": name, "name_candidates": candidates, "name_scores": scores, **place, "phone": phone,
            "phone_prefecture": prefecture_for_phone(phone), "media_article": _media(publishers),
            # a blog platform (Ameba) publishes whoever writes there, a clinic's director too
            "blog_platform": bool(publishers) and all(BLOG_PLATFORM.search(p) for p in publishers),
            "article_about": _article_about(name, candidates, publishers)}


def site_name(pages: list[dict]) -> str | None:
    """The name of a site from the candidates of all its pages (pages as :func:`extract_clinic_page` returns)."""
    candidates = []
    for index, page in enumerate(pages):
        clinic = page.get("clinic") or {}
        page_candidates = clinic.get("name_candidates")
        if page_candidates is None and clinic.get("name_printed"):
            page_candidates = [{"name": clinic["name_printed"], "source": "title", "weight": 1.0}]
        candidates.extend({**c, "page": index} for c in page_candidates or [])
    return choose_name(candidates)[0]


def site_clinic(pages: list[dict]) -> dict:
    """The clinic fields of a site: its chosen name, and each other field from the first page that has it."""
    clinic: dict = {}
    for page in pages:
        for key, value in (page.get("clinic") or {}).items():
            if value and not clinic.get(key) and key not in ("name_candidates", "name_scores"):
                clinic[key] = value
    name = site_name(pages)
    clinic["name_printed"] = name
    clinic["name"] = normalize_text(name) if name else None
    return clinic
