"""A fuzzing campaign over the readers that take outside input: hypothesis strategies and what each must hold.

Each target reads what a stranger controls (a registry page, a clinic page, a printed number or price, a WACZ)
and has one contract: a result of the documented shape, or the reader's own documented error (PlanTableError,
ArchiveError), never any other exception. The strategies build inputs from the pieces real pages are made of
(Japanese text, full-width digits, 〜 ranges, labels, table markup, charsets, zip and WARC bytes) and then let
hypothesis combine and shrink them, which finds far more than random bytes.

Run with a small fixed budget by ``tests/test_fuzz.py`` (derandomized, so CI is deterministic) and with a
longer one by ``saisei benchmark fuzz`` (``make fuzz``). A crash found becomes a named test in
``tests/test_fuzz.py``. hypothesis is in the ``test`` extra.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from saisei.paths import BUNDLED_ARCHIVE

PLAN_URL = "https://saiseiiryo.mhlw.go.jp/published_plan/index/2"
CLINIC_URL = "https://clinic.example.jp/knee/"

#: pieces of the pages saisei reads; hypothesis joins them with arbitrary text in between
JAPANESE = "再生医療幹細胞膝関節症治療費用円万税込別税抜計画番号受理提供施設認定委員会厚生労働省東京都大阪府北海道"
DIGITS = "0123456789０１２３４５６７８９"
ID_PIECES = ["PB", "PC", "NA", "NB", "jRCT", "01C24", "Ｐ", "Ｂ", "O", "o", "〇", "-", "ー", "－", " ", "\u3000", "・"]
PRICE_PIECES = ["円", "万円", "万", "千円", "〜", "～", "~", "-", "−", ",", "，", ".", "税込", "（税込）", "税別", "$", "USD",
                "US$", "片膝", "両膝", "1回", "1クール", "から", "以上", "¥", "￥", "k", "million"]
MARKUP = ["<br>", "<p>", "</p>", "<td>", "</td>", "<tr>", "</tr>", "<table>", "</table>", "<th>", "&amp;", "&#x3000;",
          "&nbsp;", "<!--", "-->", "<script>", "</script>", "<meta charset=shift_jis>", "<a href=\"", "\">", "</a>",
          "<h2>", "</h2>", "<li>", "<dl><dt>", "</dt><dd>", "</dd></dl>", "\r\n", "\x00", "\ufeff", "\u200b"]
LABELS = ["計画番号", "受理番号", "提供計画番号", "施設番号", "認定番号", "登録番号", "Plan No.", "license"]
PREFECTURES = ["東京都", "大阪府", "北海道", "沖縄県", "京都府", "", "東京", "Tokyo"]

_text = st.text(alphabet=st.sampled_from(JAPANESE + DIGITS + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz .,:;()（）「」\n"), max_size=30)


def pieced_text(pieces: list[str], max_parts: int = 40) -> st.SearchStrategy[str]:
    """Text made of the given pieces, digit runs and ordinary text, in any order."""
    part = st.one_of(st.sampled_from(pieces), st.text(alphabet=DIGITS, min_size=1, max_size=12), _text)
    return st.lists(part, max_size=max_parts).map("".join)


identifier_text = pieced_text(ID_PIECES + LABELS + ["：", ":", "第", "号"])
price_text = pieced_text(PRICE_PIECES + ["PRP", "幹細胞", "治療", "費用"])


@st.composite
def plan_table_page(draw) -> bytes:
    """A page in the e-再生医療 plan-list layout with arbitrary rows, cells, links and encodings."""
    cell = pieced_text(MARKUP + PREFECTURES + LABELS, max_parts=8)
    link = st.builds(
        lambda code, n: f'<a href="/published_plan/download/{code}/5/{n}">資料{n}</a>',
        st.one_of(st.from_regex(r"0[0-9][A-H][0-9]{7}", fullmatch=True), _text), st.integers(-2, 99),
    )
    row = st.lists(st.one_of(cell, link, st.sampled_from(PREFECTURES)), max_size=11)
    rows = draw(st.lists(row, max_size=12))
    header = "<tr><th>医療機関名称</th><th>都道府県</th><th>医療機関所在地</th><th>電話番号</th><th>再生医療等の名称</th></tr>"
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    html = f"<html><head><title>一覧</title></head><body><table>{header}{body}</table></body></html>"
    encoding = draw(st.sampled_from(["utf-8", "shift_jis", "euc_jp"]))
    return html.encode(encoding, errors="replace")


@st.composite
def clinic_page(draw) -> tuple[bytes, dict]:
    """A clinic page (markup, prices, numbers, charsets that may contradict each other) and its headers."""
    text = draw(pieced_text(MARKUP + PRICE_PIECES + ID_PIECES + LABELS + PREFECTURES, max_parts=60))
    encoding = draw(st.sampled_from(["utf-8", "shift_jis", "cp932", "euc_jp", "utf-16", "latin-1"]))
    declared = draw(st.sampled_from(["", "; charset=UTF-8", "; charset=Shift_JIS", "; charset=bogus", "; charset="]))
    content_type = draw(st.sampled_from(["text/html", "application/xhtml+xml", "text/plain", "", "application/pdf"]))
    body = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        body = draw(st.binary(max_size=200)) + body
    return body, {"Content-Type": content_type + declared} if content_type else {}


#: the sample archive's bytes and the byte ranges of its parts, read once (mutated by :func:`wacz_bytes`)
_SAMPLE: tuple[bytes, list[tuple[int, int]]] | None = None


def _sample() -> tuple[bytes, list[tuple[int, int]]]:
    """The bundled WACZ and the (start, end) of each member and of the central directory.

    Mutations pick a part first, then a byte in it: hypothesis favours small integers, so positions drawn
    over the whole file would almost always land in the first member (the WARC) and never in the small
    deflated index, metadata or directory at the end, where the readers are most fragile.
    """
    global _SAMPLE
    if _SAMPLE is None:
        data = BUNDLED_ARCHIVE.read_bytes()
        infos = sorted(zipfile.ZipFile(io.BytesIO(data)).infolist(), key=lambda i: i.header_offset)
        starts = [info.header_offset for info in infos] + [max(i.header_offset + i.compress_size for i in infos)]
        spans = [(start, end) for start, end in zip(starts, starts[1:], strict=False)] + [(starts[-1], len(data))]
        _SAMPLE = (data, spans)
    return _SAMPLE


@st.composite
def wacz_bytes(draw) -> bytes:
    """The bundled WACZ with bytes flipped, cut or inserted, or a small zip with arbitrary members."""
    if draw(st.booleans()):
        sample, spans = _sample()
        data = bytearray(sample)
        for _ in range(draw(st.integers(1, 8))):
            if not data:
                break
            start, end = draw(st.sampled_from(spans))
            # a share of the part, not a byte offset: hypothesis would favour the part's first bytes
            position = min(start + (end - start) * draw(st.integers(0, 999)) // 1000, len(data) - 1)
            action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
            if action == "flip":
                data[position] ^= draw(st.integers(1, 255))
            elif action == "cut":
                del data[position : position + draw(st.integers(1, 64))]
            elif action == "insert":
                data[position:position] = draw(st.binary(min_size=1, max_size=32))
            else:
                del data[position:]
        return bytes(data)
    buffer = io.BytesIO()
    names = st.sampled_from(["archive/data.warc.gz", "archive/data.warc", "indexes/index.cdxj", "indexes/index.cdx",
                             "indexes/index.cdx.gz", "datapackage.json", "pages/pages.jsonl"])
    lines = pieced_text(['{"url": "https://a/", "offset": "', '"}', " ", "\n", "com,a)/ ", "20261120000000 ", "-1",
                         "archive/data.warc.gz", "WARC/1.0\r\n", "WARC-Type: response\r\n", "\r\n"], max_parts=20)
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in draw(st.lists(st.tuples(names, st.one_of(lines, st.binary(max_size=200))), max_size=5, unique_by=lambda m: m[0])):
            zf.writestr(name, content, compress_type=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])))
    return buffer.getvalue()


# --- what each reader must hold ---------------------------------------------------------------------------------


def check_plan_table(body: bytes) -> None:
    from scrapy.http import HtmlResponse

    from scrapers.parsers.plan_table import PlanTableError, parse_plan_table

    response = HtmlResponse(url=PLAN_URL, body=body)
    try:
        table = parse_plan_table(response.selector, PLAN_URL)
    except PlanTableError:
        return
    for plan in table.plans:
        assert plan["prefecture"] and plan["facility_printed"].strip() and plan["therapy_printed"].strip()
        assert all(d["code"] in plan["doc_codes"] for d in plan["documents"])


def check_clinic_page(page: tuple[bytes, dict]) -> None:
    from scrapers.parsers.clinic_page import extract_clinic_page

    body, headers = page
    result = extract_clinic_page(body, CLINIC_URL, headers)
    assert result["status"] in ("ok", "non_html", "js_only", "empty")
    for price in result.get("prices", []):
        assert price["amount_min"] >= 0


def check_identifiers(text: str) -> None:
    from readers.identifiers import find_identifiers, parse_identifier

    for identifier in find_identifiers(text):
        assert identifier.printed and identifier.printed in text
        assert identifier.context in text or len(identifier.context) <= len(text) + 2
        assert parse_identifier(identifier.printed) is not None


def check_prices(text: str) -> None:
    from readers.prices import find_prices

    for price in find_prices(text):
        assert price.currency in ("JPY", "USD")
        assert price.amount_min >= 0
        assert price.amount_max is None or price.amount_max >= price.amount_min
        assert price.printed in text


def check_wacz(data: bytes) -> None:
    from scrapers.webarchive import ArchiveError, WaczArchive

    fd, name = tempfile.mkstemp(suffix=".wacz")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            with WaczArchive(Path(name)) as archive:
                for url in archive.urls()[:50]:
                    archive.get(url)
        except ArchiveError:
            pass
    finally:
        os.unlink(name)


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy
    check: Callable


TARGETS = {
    target.name: target
    for target in (
        Target("plan_table", plan_table_page(), check_plan_table),
        Target("clinic_page", clinic_page(), check_clinic_page),
        Target("identifiers", identifier_text, check_identifiers),
        Target("prices", price_text, check_prices),
        Target("wacz", wacz_bytes(), check_wacz),
    )
}


def run_target(target: Target, examples: int, *, seed: int | None = None, derandomize: bool = False) -> int:
    """Run ``examples`` inputs through one target; returns how many ran. A failure raises (after shrinking)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as fixed_seed

    ran = 0

    @settings(max_examples=examples, derandomize=derandomize, database=None, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=True)
    @given(target.strategy)
    def property_(value):
        nonlocal ran
        ran += 1
        target.check(value)

    if seed is not None and not derandomize:
        property_ = fixed_seed(seed)(property_)
    property_()
    return ran
