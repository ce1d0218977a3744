"""Read treatment prices out of clinic and directory text: yen (円, 万円, ¥) and US dollars.

Japanese clinic pages print 「55,000円（税込）」「62〜98万円」「片膝 1,320,000円(税別)」「1クール 33万円～」;
directories print "$4,500 - $6,000 per knee"; fee lists and pages for patients from abroad also print
「16万5000円」「5万5千円」「165만 엔」 "330,000 yen" "JPY 1.1 million" and 「¥330,000-」 (the dash closes the
amount). Each price keeps the excerpt it was read from, because a price is a claim to show next to its evidence,
not a fact. Ranges keep both ends; an open range (〜 after one
amount, 「から」, "from") has no maximum. Tax and unit are read from the words right around the amount (after
it, up to the next amount or the end of the clause); :func:`unit_of` reads a unit from a heading and
:func:`page_tax` a page-wide 「※表示価格はすべて税込です」, which the page extractor applies to prices printed
without either.

Pure standard library: importable by the verification step and the CLI without Scrapy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: smallest amount read as a price (smaller yen numbers are counts, dates or sizes)
MIN_YEN = 500
MIN_USD = 50
_EXCERPT = 30

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_TILDE = r"[~〜～\-–]|から"
#: what multiplies a printed number: 「33万円」「5千円」「165만 엔」「1.1 million yen」
_MULT = r"万|萬|만|千|\s?(?i:million)\b"
#: the rest of an amount printed after its 万: 「16万5000円」「30万8,000円」「5万5千円」
_REST = r"(?<=[万萬만])(?:\d千|\d,\d{3}|\d{1,4}(?![\d,]))"
_YEN_WORD = r"円|日元|日圓|日幣|\s?엔|\s?(?i:yen)\b|\s?JPY\b(?!\s*\d)"
_YEN_RANGE = re.compile(
    rf"(?:(?:[¥￥\\]|JPY)\s*)?(?P<low>{_NUMBER})\s*(?P<low_man>{_MULT})?(?P<low_rest>{_REST})?\s*(?P<low_yen>{_YEN_WORD})?\s*"
    rf"(?:(?P<tilde>{_TILDE})\s*(?:[¥￥]\s*)?(?P<high>{_NUMBER})?\s*(?P<high_man>{_MULT})?(?P<high_rest>{_REST})?\s*"
    rf"(?P<high_yen>{_YEN_WORD})?)?"
)
_USD_RANGE = re.compile(
    rf"(?:US\s?\$|USD\s?|\$)\s*(?P<low>{_NUMBER})\s*(?P<low_k>[kK](?![a-z]))?"
    rf"(?:\s*(?:-|–|—|to)\s*(?:US\s?\$|USD\s?|\$)?\s*(?P<high>{_NUMBER})\s*(?P<high_k>[kK](?![a-z]))?)?"
)

_TAX = (
    ("included", ("税込", "含税", "含稅", "税込み", "内税", "tax incl", "incl. tax", "including tax", "tax included",
                  "ct included", "ct incl", "consumption tax included", "incl. consumption tax")),
    ("excluded", ("税別", "不含税", "不含稅", "未稅", "未税", "税抜", "+税", "＋税", "+消費税", "＋消費税", "消費税別", "外税", "excl. tax", "plus tax", "tax excl", "before tax")),
)
_UNITS = (
    ("both_knees", ("양쪽 무릎", "両膝", "両ひざ", "両ヒザ", "両側", "双膝", "雙膝", "both knees", "two knees", "bilateral")),
    ("knee", ("한쪽 무릎", "片膝", "单膝", "單膝", "片ひざ", "片ヒザ", "1膝", "一膝", "片側", "per knee", "one knee", "/knee", "a knee")),
    ("joint", ("1関節", "一関節", "１関節", "per joint", "/joint")),  # 1部位 may be a tendon: no unit
    ("course", ("クール", "コース", "セット", "course", "package", "全行程", "2回治療", "3回治療", "2回分", "3回分",
                "疗程", "療程", "套餐", "코스",
                # 「Three infusions on consecutive days」: a number of sessions priced together
                *(f"{n} {what}" for n in ("two", "three", "four", "five", "six", "2", "3", "4", "5", "6")
                  for what in ("infusions", "injections", "sessions")))),
    ("session", ("1回", "一回", "１回", "初回", "回目", "per session", "per injection", "/回", "each session",
                 "per infusion", "first infusion", "additional infusion", "(each)", "each time", "one session", "1 session", "single session",
                 "one infusion", "one injection", "single injection", "per treatment", "1 infusion", "1 injection",
                 "每次", "1次", "一次", "單次", "单次", "首次",
                 "第二次", "次以後", "次以后", "1회", "1 회", "회당")),
)


@dataclass(frozen=True)
class Price:
    amount_min: int
    amount_max: int | None
    currency: str  # "JPY" | "USD"
    tax: str | None  # "included" | "excluded" | None
    unit: str | None  # "knee" | "both_knees" | "joint" | "course" | "session" | None
    printed: str
    excerpt: str
    start: int = 0

    def as_dict(self) -> dict:
        return {
            "amount_min": self.amount_min,
            "amount_max": self.amount_max,
            "currency": self.currency,
            "tax": self.tax,
            "unit": self.unit,
            "printed": self.printed,
            "excerpt": self.excerpt,
        }


def _fold(text: str) -> str:
    """Width-fold one character at a time, so positions stay those of the printed text."""
    out = []
    for ch in text:
        if ch in "〜～":
            out.append(ch)
            continue
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


_MULTIPLIERS = {"万": 10_000, "萬": 10_000, "만": 10_000, "千": 1_000, "million": 1_000_000}


def _amount(number: str, mult: str | None = None, rest: str | None = None, thousand: bool = False) -> int | None:
    """The amount of 「16万5000円」 from its parts: number 16, multiplier 万, rest 5000."""
    try:
        value = float(number.replace(",", ""))
    except ValueError:
        return None
    value *= _MULTIPLIERS.get((mult or "").strip().lower(), 1)
    if thousand:
        value *= 1_000
    if rest:
        value += int(rest[0]) * 1_000 if rest.endswith("千") else int(rest.replace(",", ""))
    if value > 1e12:
        return None
    return int(round(value))


def _look(text: str, start: int, end: int, table: tuple, before: int, after: int) -> str | None:
    """The value whose word is printed nearest the amount, within ``before``/``after`` characters."""
    lower = text.lower()
    low = max(0, start - before)
    # look after the amount only up to the next amount or the end of the clause
    stop = re.search(r"[。;；\n]|\d{3}", lower[end : end + after])
    after = stop.start() if stop else after
    best = None
    for value, words in table:
        for word in words:
            word = word.lower()
            at = lower.rfind(word, low, start)
            # a word before the amount counts only within the same clause: "per knee; $16,000 for both knees"
            if at >= 0 and at + len(word) <= start and not re.search(r"[;；。,、]", text[at + len(word) : start]):
                distance = start - (at + len(word))
                if best is None or distance < best[0]:
                    best = (distance, value)
            at = lower.find(word, end, end + after)
            if at >= 0 and at + len(word) <= end + after:
                distance = at - end
                if best is None or distance < best[0]:
                    best = (distance, value)
    return best[1] if best else None


#: when a price's clause names several units, the larger one says what is priced: 「片膝（脂肪採取・培養・注射1回）」 is
#: a price per knee that includes one injection, 「1関節・1回あたり」 a price per joint, not per session
_UNIT_RANK = {"both_knees": 0, "knee": 0, "course": 1, "joint": 2, "session": 3}


def _unit(text: str, start: int, end: int, before: int, after: int) -> str | None:
    found = {_look(text, start, end, ((value, words),), before, after) for value, words in _UNITS}
    found.discard(None)
    if len(found) <= 1:
        return found.pop() if found else None
    best_rank = min(_UNIT_RANK[u] for u in found)
    best = [(value, words) for value, words in _UNITS if value in found and _UNIT_RANK[value] == best_rank]
    return best[0][0] if len(best) == 1 else _look(text, start, end, tuple(best), before, after)


def unit_of(text: str | None) -> str | None:
    """The unit a heading or label names (「培養幹細胞治療（片膝）」 -> knee), for prices printed apart from it."""
    return _unit(_fold(text), 0, 0, 0, len(text)) if text else None


_PAGE_TAX = re.compile(r"(?:価格|料金|金額|費用|表示|价格|價格|金额|费用|日元|日圓|牌價|가격|비용|금액)[^。\n]{0,12}?"
                       r"(税込|税抜|税別|不含税|不含稅|未税|未稅|含税|含稅|부가세 포함|세금 포함|부가세 별도|세금 별도)"
                       r"|(不含税|不含稅|含税|含稅)[^。\n]{0,6}?(?:日元|日圓|价格|價格|金额|金額|费用|費用)"  # 「均为含税日元价格」
                       r"|(?:prices?|fees?|amounts?)[^.\n]{0,40}?\b(include|exclude)s?\b[^.\n]{0,20}?(?:consumption )?tax"
                       # "All fees listed below are CT-included amounts", "prices are tax-inclusive"
                       r"|(?:prices?|fees?|amounts?)[^.\n]{0,40}?\b(?:consumption |CT[- ]|tax[- ])(?:tax[- ])?"
                       r"(includ|exclud|inclusive|exclusive)",
                       re.I)


def page_tax(text: str | None) -> str | None:
    """A page-wide statement such as 「※表示価格はすべて税込です」: the tax of prices printed without one."""
    match = _PAGE_TAX.search(text or "")
    if not match:
        return None
    word = next((group for group in match.groups() if group), "").lower()
    return "included" if word in ("税込", "含税", "含稅", "부가세 포함", "세금 포함", "include", "includ",
                                  "inclusive") else "excluded"


def _excerpt(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - _EXCERPT) : end + _EXCERPT].split())


def _yen(text: str, folded: str) -> list[Price]:
    prices = []
    for match in _YEN_RANGE.finditer(folded):
        low_man, high_man = match.group("low_man"), match.group("high_man")
        prefixed = folded[match.start()] in "¥￥\\" or folded.startswith("JPY", match.start())
        if not (match.group("low_yen") or match.group("high_yen") or prefixed):
            continue
        high_text = match.group("high")
        if high_text is None and match.group("tilde") and not (match.group("low_yen") or low_man or prefixed):
            continue  # "3〜" followed by nothing priced: a count, not a price
        # 62〜98万円: the 万 printed once applies to both ends
        shared = low_man or (high_man if not match.group("low_yen") else None)
        low = _amount(match.group("low"), shared, match.group("low_rest"))
        high = _amount(high_text, high_man, match.group("high_rest")) if high_text else None
        if low is None or low < MIN_YEN:
            continue
        if high is not None and high < low:
            high = None
        end = match.end()
        while end > match.start() and folded[end - 1].isspace():
            end -= 1  # the spaces the pattern took after 「円」 belong to the next word: 「税抜150,000円 税込165,000円」
        if high_text is None:
            # keep the open-range mark in the printed text, drop trailing spaces
            end = match.start("tilde") + len(match.group("tilde")) if match.group("tilde") else end
        printed = text[match.start() : end].strip()
        opening = folded[max(0, match.start() - 8) : match.start()].lower()
        # 「¥330,000-」: a dash after a ¥ amount closes it, as on a receipt; it opens no range
        closing_dash = prefixed and high_text is None and match.group("tilde") == "-"
        open_ended = (bool(match.group("tilde")) and not closing_dash) or "from" in opening or "starting" in opening
        if closing_dash:
            end = match.start("tilde")
        prices.append(
            Price(
                amount_min=low,
                amount_max=high if high_text else (None if open_ended else low),
                currency="JPY",
                tax=_look(folded, match.start(), end, _TAX, 4, 24),  # 「(税込み198000円)」
                unit=_unit(folded, match.start(), end, 24, 16),
                printed=printed,
                excerpt=_excerpt(text, match.start(), end),
                start=match.start(),
            )
        )
    return prices


def _usd(text: str, folded: str) -> list[Price]:
    prices = []
    for match in _USD_RANGE.finditer(folded):
        low = _amount(match.group("low"), thousand=bool(match.group("low_k")))
        high_text = match.group("high")
        if high_text:
            high = _amount(high_text, thousand=bool(match.group("high_k")))
        else:
            opening = folded[max(0, match.start() - 8) : match.start()].lower()
            high = None if ("from" in opening or "starting" in opening) else low
        if low is None or low < MIN_USD:
            continue
        if high is not None and high < low:
            high = low
        if high_text and not match.group("high_k") and match.group("low_k") and high < 1000:
            high = None
        prices.append(
            Price(
                amount_min=low,
                amount_max=high,
                currency="USD",
                tax=None,
                unit=_unit(folded, match.start(), match.end(), 16, 24),
                printed=text[match.start() : match.end()].strip(),
                excerpt=_excerpt(text, match.start(), match.end()),
                start=match.start(),
            )
        )
    return prices


def find_prices(text: str, currencies: tuple[str, ...] = ("JPY", "USD")) -> list[Price]:
    """Every price in ``text`` in printed order; ``currencies`` limits which readers run."""
    if not text:
        return []
    folded = _fold(text)
    prices: list[Price] = []
    if "JPY" in currencies:
        prices += _yen(text, folded)
    if "USD" in currencies:
        prices += _usd(text, folded)
    return sorted(prices, key=lambda price: price.start)


def better_unit(found: str | None, other: str | None) -> str | None:
    """The more telling of two units read for one price (see ``_UNIT_RANK``): a row labelled 「片膝（…1回目の注射を
    含みます）」 prices the knee, even where 1回 is printed nearer the amount."""
    if not found or not other:
        return found or other
    return other if _UNIT_RANK[other] < _UNIT_RANK[found] else found
