"""Turn the bytes a clinic or directory server sent into text blocks, whatever the charset says.

Japanese clinic sites still serve Shift_JIS and EUC-JP, and their headers and ``<meta>`` tags contradict each
other (a server default of UTF-8 in front of a Shift_JIS page is common). The order of trust is the bytes
themselves: a body that decodes as strict UTF-8 is UTF-8; otherwise the header, then ``<meta>``, then
UnicodeDammit's guess among the Japanese encodings, each accepted only if it decodes the body cleanly.
Shift_JIS is read as cp932 (its Windows superset: ①, ～ and NEC specials appear on real pages).

Blocks are the page's visible text split where a browser would break lines (headings, paragraphs, list
items, table rows), with inline tags (<strong>, <span>) kept inside their sentence so 「片膝 <b>55,000円</b>（税込）」
stays one piece of evidence.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag, UnicodeDammit, XMLParsedAsHTMLWarning
from bs4.element import Comment, PreformattedString

from readers.prices import find_prices

#: bytes of a page that are read; the rest is dropped and the page marked truncated (a crawl-wide stat)
PAGE_SIZE_CAP = 512 * 1024

_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "csshiftjis": "cp932", "euc-jp": "euc_jp", "x-euc-jp": "euc_jp", "eucjp": "euc_jp",
    "utf8": "utf-8", "utf-8": "utf-8",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "div", "dl", "dt", "figcaption",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "html",
}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "dt", "caption", "th"}
_INVISIBLE = ("script", "style", "noscript", "template", "head", "svg", "iframe")


def codec(name: str | None) -> str | None:
    if not name:
        return None
    return _ALIASES.get(name.strip().lower(), name.strip().lower())


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return codec(match.group(1)) if match else None


_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)


def meta_charset(body: bytes) -> str | None:
    """The charset a ``<meta>`` declares, or else an XHTML page's ``<?xml … encoding="EUC-JP"?>``."""
    match = _META_CHARSET.search(body[:4096]) or _XML_DECLARATION.match(body[:512])
    return codec(match.group(1).decode("ascii", "replace")) if match else None


def _japanese_score(text: str) -> int:
    """Hiragana read, less half-width katakana and private-use characters: EUC-JP bytes read as cp932 (or the other
    way round) come out as half-width kana and gaiji, while the right codec gives the particles of every sentence."""
    return sum(1 for c in text if "\u3041" <= c <= "\u309f") - sum(
        1 for c in text if "\uff61" <= c <= "\uff9f" or "\ue000" <= c <= "\uf8ff")


def _decodes(data: bytes, encoding: str, truncated: bool) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        # a page cut at the size cap may end inside a character
        if truncated and error.start >= len(data) - 4:
            return data[: error.start].decode(encoding, errors="replace")
        return None
    except LookupError:
        return None


@dataclass
class DecodedPage:
    text: str
    encoding: str
    header_charset: str | None
    meta_charset: str | None
    truncated: bool
    size: int

    @property
    def charset_conflict(self) -> bool:
        declared = {c for c in (self.header_charset, self.meta_charset) if c}
        return len(declared) > 1


#: single-byte Western charsets servers declare by default; on a Japanese page they are almost always wrong
_WEAK_CHARSETS = {"latin-1", "latin_1", "latin1", "iso8859-1", "iso-8859-1", "iso8859_1", "cp1252", "windows-1252", "ascii", "us-ascii"}


def decode_page(body: bytes, content_type: str | None, cap: int = PAGE_SIZE_CAP) -> DecodedPage:
    """Decode a page's bytes (at most ``cap`` of them) by the order of trust in the module docstring."""
    size = len(body)
    truncated = size > cap
    data = body[:cap]
    declared_header, declared_meta = header_charset(content_type), meta_charset(data)
    # a server's default Latin-1 (Apache's ISO-8859-1 on a Shift_JIS page) decodes any bytes, so it is tried last
    declared = [c for c in (declared_header, declared_meta) if c]
    strong = [c for c in declared if codec(c) not in _WEAK_CHARSETS]
    for candidate in ["utf-8", *strong]:
        if (text := _decodes(data, candidate, truncated)) is not None:
            return DecodedPage(text, candidate, declared_header, declared_meta, truncated, size)
    weak = [c for c in declared if c not in strong]
    if weak and any(b > 0x7F for b in data):
        for candidate in ("cp932", "euc_jp"):
            if (text := _decodes(data, candidate, truncated)) is not None:
                return DecodedPage(text, candidate, declared_header, declared_meta, truncated, size)
    for candidate in weak:
        if (text := _decodes(data, candidate, truncated)) is not None:
            return DecodedPage(text, candidate, declared_header, declared_meta, truncated, size)
    if any(b > 0x7F for b in data):  # no charset declared: the Japanese codec whose reading looks like Japanese
        readings = [(c, t) for c in ("cp932", "euc_jp") if (t := _decodes(data, c, truncated)) is not None]
        if readings:
            encoding, text = max(readings, key=lambda reading: _japanese_score(reading[1]))
            return DecodedPage(text, encoding, declared_header, declared_meta, truncated, size)
    dammit = UnicodeDammit(data, known_definite_encodings=["cp932", "euc_jp"], is_html=True)
    if dammit.unicode_markup is not None:
        encoding = codec(dammit.original_encoding) or "unknown"
        return DecodedPage(dammit.unicode_markup, encoding, declared_header, declared_meta, truncated, size)
    return DecodedPage(data.decode("utf-8", errors="replace"), "utf-8-replace", declared_header, declared_meta,
                       truncated, size)


@dataclass
class Block:
    text: str
    tag: str
    heading: bool = False
    links: list[str] = field(default_factory=list)
    #: inside the site's navigation (<nav>, a global menu): the site's menu, not what this page says
    nav: bool = False


#: full-width Latin letters and digits (ＰＲＰ, ３３０，０００円 is written both ways on Japanese pages) to ASCII; the
#: rest of the full-width forms (（）、～, the yen sign) are left as printed, since readers match them as they are
_WIDE_ALNUM = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}


_WIDE_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])[－‐−](?=[A-Za-z0-9])")


#: a line break in the source between two Japanese characters (hand-wrapped HTML: 「当院では再生\n    医療を」) is no
#: space to a reader: CSS's segment-break rules drop it between wide characters, so 再生医療 stays one word
_WIDE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
_WIDE_LINE_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t\r]*\n\s*(?=[{_WIDE}])")


#: a line that ends on a comma or a particle has not ended its sentence: a <br> after it only wraps the text
_MID_SENTENCE = re.compile(r"[、，][ \t\r\n]*$|(?<=[\u3040-\u30ff\u4e00-\u9fff])[をがにではともへや][ \t\r\n]*$")


def unwrap(text: str) -> str:
    """Text without the source's line breaks between Japanese characters (see ``_WIDE_LINE_BREAK``)."""
    return _WIDE_LINE_BREAK.sub("", text)


def fold_width(text: str) -> str:
    """ＰＲＰ療法 and PRP療法, ＰＦＣ－ＦＤ and PFC-FD are one word to a reader, so they are one string to every pattern
    downstream."""
    return _WIDE_HYPHEN.sub("-", text.translate(_WIDE_ALNUM))


def inline_text(tag: Tag) -> str:
    """A tag's text as a reader sees it: inline pieces joined as they stand (「<span>ひざ</span>関節症クリニック」 is one
    name, where ``get_text(" ")`` would split it), a space where a block, a cell or a <br> breaks the line."""
    parts: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):
                continue
            if isinstance(child, NavigableString):
                parts.append(str(child))
            elif isinstance(child, Tag) and child.name not in _INVISIBLE:
                breaks = child.name == "br" or child.name in BLOCK_TAGS or child.name in HEADING_TAGS or child.name == "td"
                parts.append(" " if breaks else "")
                walk(child)
                parts.append(" " if breaks else "")

    walk(tag)
    return " ".join(_WIDE_LINE_BREAK.sub("", "".join(parts)).split())


def soup_of(text: str) -> BeautifulSoup:
    """lxml repairs broken markup the way browsers mostly do (unclosed cells, stray end tags). An XHTML page that
    opens with ``<?xml …?>`` (old Movable Type sites) is still HTML to browsers: BeautifulSoup's warning is noise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        return BeautifulSoup(text, "lxml")


_NAV_HINT = re.compile(r"^(?:g-?nav|global-?nav(?:i|igation)?|gnavi|global-?menu|main-?menu|header-?menu|menu|nav|navbar|"
                       r"drawer|sp-?menu|footer-?nav|footer-?menu|side-?bar|side|widget|related(?:-?posts?)?)$", re.I)


_TABLE_NAV_HINT = re.compile(r"^(?:g-?nav|gnavi|global-?nav(?:i|igation)?|nav|navbar|side-?bar|side)$", re.I)


def _is_nav(tag: Tag) -> bool:
    """The site's chrome: <nav>, <aside>, or a list or block whose id or class names a global menu or a sidebar (not a
    breadcrumb, which says where this page stands)."""
    if tag.name in ("nav", "aside"):
        return "breadcrumb" not in " ".join(tag.get("class") or []).lower() and "bread" not in (tag.get("id") or "")
    names = [tag.get("id") or "", *(tag.get("class") or [])]
    hints = [n for n in names if n and _NAV_HINT.match(n)]
    if tag.name in ("ul", "div", "ol") and hints:
        # a bare "menu" is also what clinics call their treatment or fee list (<div class="menu"> of names and
        # prices): it is the site's menu only when it is mostly links
        return any(n.lower() != "menu" for n in hints) or _mostly_links(tag)
    if tag.name in ("table", "td") and any(_TABLE_NAV_HINT.match(n) for n in names if n):
        return True  # <table id="gnavi">, <td id="side">; a <table class="menu"> is a treatment menu
    return tag.name in ("table", "tr") and _links_only(tag)


def _mostly_links(tag: Tag) -> bool:
    text = len(inline_text(tag).replace(" ", ""))
    linked = sum(len(inline_text(a).replace(" ", "")) for a in tag.find_all("a"))
    return text == 0 or linked * 2 >= text


def _links_only(tag: Tag) -> bool:
    """An old table-layout menu: a row (or table) of four or more cells, each holding nothing but one link."""
    cells = tag.find_all("td")
    if len(cells) < 4:
        return False
    for cell in cells:
        links = cell.find_all("a")
        text = inline_text(cell)
        if len(links) != 1 or text != inline_text(links[0]) or not text:
            return False
    return True


#: a class that names a heading (「ttl」「sec-title」「c-heading--lv2」「p-price__ttl」「midashi02」): page builders and many
#: Japanese themes style a <div> or a <p> as the heading instead of using <h2>; a site's own title or logo is a brand
_HEADING_CLASS = re.compile(r"(?:^|[-_])(?:ttl|tit|title|heading|headline|hdg|midashi)(?:[-_]*(?:\d+|lv\d|lg|md|sm|main|sub|"
                            r"primary|secondary|default))*$", re.I)
_BRAND_CLASS = re.compile(r"site|logo|brand|header|banner|hero|meta|date|tag|cat", re.I)
#: a line that is a sentence or an amount, not a heading (「55,000円」 in bold is an emphasised price)
_NOT_A_HEADING = re.compile(r"[。．]\s*$|\d\s*円|[¥￥]\s*\d|\d{1,3},\d{3}")
_EMPHASIS = ("strong", "b")


_PAGE_TITLE_CLASS = re.compile(r"(?:entry|page|post|article)[-_]?title|(?:^|[-_])(?:lv|h)1$", re.I)


def heading_level(tag: Tag) -> str:
    """The <hN> a styled heading stands for: its ``aria-level``, ``h1`` for a class naming the page's own title
    (entry-title, page-title), else ``h2`` (a section's heading)."""
    level = str(tag.get("aria-level") or "")
    if level.isdigit() and 1 <= int(level) <= 6:
        return f"h{level}"
    names = [*(tag.get("class") or []), tag.get("id") or ""]
    return "h1" if any(_PAGE_TITLE_CLASS.search(n) for n in names if n) else "h2"


def styled_heading(tag: Tag) -> bool:
    """A <div> or <p> that a reader sees as a heading: ``role="heading"``, a class naming a heading, or a short line
    wholly in bold (「<p><strong>PRP療法の費用</strong></p>」). Sections are read under their headings (what a
    section offers, which therapy a fee row belongs to), so a site that styles its headings with classes must
    get the same sections as one that writes <h2>."""
    if tag.name not in ("div", "p", "span", "li"):
        return False
    names = [*(tag.get("class") or []), tag.get("id") or ""]
    classed = tag.get("role") == "heading" or any(_HEADING_CLASS.search(n) and not _BRAND_CLASS.search(n)
                                                  for n in names if n)
    pieces = [] if classed else [c for c in tag.children if not isinstance(c, Comment)
                                 and not (isinstance(c, NavigableString) and not c.strip())]
    bold = tag.name in ("div", "p") and len(pieces) == 1 and isinstance(pieces[0], Tag) and pieces[0].name in _EMPHASIS
    if not (classed or bold) or tag.find(list(HEADING_TAGS) + ["p", "table", "ul", "ol", "img"]):
        return False  # checked in this order because most <div>s are neither, and their text is long to gather
    text = inline_text(tag)  # how long it looks: "Program B: Culture supernatant infusion" is a short English line
    if not text or _width(text) > 60 or _NOT_A_HEADING.search(text):
        return False
    if tag.get("role") == "heading":
        return True
    if classed:
        return tag.find("div") is None or _width(text) <= 40
    return _width(text) <= 40 and inline_text(pieces[0]) == text


_CELL_TAGS = ("div", "span", "dt", "dd")


def _width(text: str) -> float:
    """How long a line looks: a Latin letter is half as wide as a Japanese character (a row's English label of 90
    letters is as short as a Japanese one of 45)."""
    return sum(1 if ord(c) >= 0x2E80 else 0.5 for c in text)


def _cells(tag: Tag) -> list[Tag] | None:
    """A <div>'s or <li>'s children when every one is a cell: a <div>, <span>, <dt> or <dd> holding no block, no
    table cell and no image of its own (text between them, or any other child, makes it no row)."""
    if tag.name not in ("div", "li"):
        return None
    cells = []
    for child in tag.children:
        if isinstance(child, Comment) or (isinstance(child, NavigableString) and not child.strip()):
            continue
        if not isinstance(child, Tag) or child.name not in _CELL_TAGS:
            return None
        if child.find(list(BLOCK_TAGS | HEADING_TAGS) + ["td", "img"]) is not None:
            return None
        cells.append(child)
    return cells


def _row_cells(tag: Tag, longest: int = 50) -> tuple[list[Tag], list[str]] | None:
    """Two to six short cells, each a <div> or <span> holding no block of its own, and their texts (a card of
    <p>s, 「キャンペーン」「<del>88,000円</del> 66,000円」「PRP頭皮注入 1回」, is lines one under another)."""
    cells = _cells(tag)
    if cells is None or not 2 <= len(cells) <= 6:
        return None
    texts = [inline_text(cell) for cell in cells]
    if any(_width(text) > longest or "。" in text for text in texts) or sum(bool(text) for text in texts) < 2:
        return None
    return cells, texts


def _price_row(found: tuple[list[Tag], list[str]] | None) -> bool:
    amounts = [bool(find_prices(text)) for text in found[1]] if found else []
    return any(amounts) and not all(amounts)


def _label_row(tag: Tag) -> list[Tag] | None:
    """A row of a facts or comparison table drawn with <div>s (「医療機関名」「札幌ひざのセルクリニック」; 「注射する場所」
    「関節の外」「膝関節の中」): a short label (blank over a comparison's first column) and its values, among siblings
    of the same class with as many cells."""
    found = _row_cells(tag, longest=120)
    if not found or len(found[0]) > 4 or len(found[1][0]) > 12:
        return None
    for sibling in (tag.find_previous_sibling(tag.name), tag.find_next_sibling(tag.name)):
        if sibling is not None and sibling.get("class") == tag.get("class"):
            other = _row_cells(sibling, longest=120)
            if other and len(other[0]) == len(found[0]) and len(other[1][0]) <= 12 and (found[1][0] or other[1][0]):
                return found[0]
    return None


def grid_row(tag: Tag) -> tuple[list[Tag], bool] | None:
    """The cells of a table row drawn with <div>s (CSS grid or flex: 「<div class="row"><div>初診料</div>
    <div>5,500円</div></div>」) and whether it is the header row, or None. A fee is read with the label beside it
    and under its column's header (税抜 / 税込), so rows must stay one line each, as <tr>s do: a price row is two to
    six short cells, one of them an amount; a header row has no amount and is followed by a price row of as many
    cells."""
    found = _row_cells(tag)
    if found and _price_row(found):
        return found[0], False
    following = next_row(tag) if found else None
    after = _row_cells(following) if following is not None else None
    if found and after and _price_row(after) and len(after[0]) == len(found[0]) and not any(find_prices(t) for t in found[1]):
        return found[0], True
    cells = _label_row(tag)
    if cells:
        return cells, False
    cells = _group_row(tag)
    return (cells, True) if cells else None


def next_row(tag: Tag) -> Tag | None:
    """The row drawn after ``tag``: its next sibling, or the first row of the next wrapper when the header rows and
    the body rows stand in wrappers of their own (「<div class="thead"><div>…</div></div><div class="tbody">…」)."""
    following = tag.find_next_sibling(tag.name)
    if following is not None or tag.parent is None or tag.parent.name != tag.name:
        return following
    wrapper = tag.parent.find_next_sibling(tag.parent.name)
    return wrapper.find(tag.name, recursive=False) if wrapper is not None else None


def _group_row(tag: Tag) -> list[Tag] | None:
    """A row of one short cell over price rows of the same class (「ASC（培養脂肪幹細胞）治療」 spanning the grid, as
    「<tr><th colspan="2">…</th></tr>」 does): it heads the rows under it."""
    cells = _cells(tag)
    if cells is None or len(cells) != 1:
        return None
    cell = cells[0]
    text = inline_text(cell)
    if not text or _width(text) > 30 or find_prices(text):
        return None
    following = tag.find_next_sibling(tag.name)
    if following is None or following.get("class") != tag.get("class"):
        return None
    after = _row_cells(following)
    return [cell] if after and _price_row(after) else None


def visible_blocks(soup: BeautifulSoup) -> list[Block]:
    """The visible text as blocks, in reading order; table rows join their cells with spaces."""
    blocks: list[Block] = []
    buffer: list[str] = []
    state = {"tag": "body", "heading": False, "nav": False}

    def flush() -> None:
        text = " ".join(_WIDE_LINE_BREAK.sub("", "".join(buffer)).split())
        if text:
            blocks.append(Block(text=text, tag=state["tag"], heading=state["heading"], nav=state["nav"]))
        buffer.clear()

    def walk(node: Tag) -> None:
        entered_nav = not state["nav"] and isinstance(node, Tag) and _is_nav(node)
        if entered_nav:
            flush()
            state["nav"] = True
        _walk_children(node)
        if entered_nav:
            flush()
            state["nav"] = False

    def _walk_children(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _INVISIBLE:
                continue
            if child.name == "br":
                if state["tag"] in ("tr", "td", "th"):
                    buffer.append(" ")  # a line break inside a table row: the row stays one line
                elif _MID_SENTENCE.search(_WIDE_LINE_BREAK.sub("", "".join(buffer[-3:]))):
                    continue  # 「当院では、<br>PRP療法を行っています」: a line broken for layout, one sentence
                else:
                    flush()
                continue
            if child.name in ("td", "th"):
                buffer.append(" ")
                walk(child)
                buffer.append(" ")
                continue
            row = grid_row(child) if child.name in ("div", "li") else None
            if row:
                flush()
                outer = dict(state)
                state.update(tag="tr", heading=row[1])
                for cell in row[0]:
                    buffer.append(" ")
                    _walk_children(cell)
                    buffer.append(" ")
                flush()
                state.update(outer)
                continue
            if child.name in BLOCK_TAGS or child.name in HEADING_TAGS:
                flush()
                outer = dict(state)
                styled = styled_heading(child)
                state["tag"] = heading_level(child) if styled else child.name
                state["heading"] = styled or child.name in HEADING_TAGS or (
                    child.name == "tr" and child.find("td") is None and child.find("th") is not None
                )
                walk(child)
                flush()
                state.update(outer)
                continue
            walk(child)

    walk(soup)
    flush()
    return blocks
