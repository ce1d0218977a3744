"""What each yen amount in a plan document is: the treatment price, or a cancellation charge, a test or
consultation fee, a storage fee, a comparison, something else.

Patient-explanation documents (資料) print the treatment price beside what withdrawing after harvest costs
(同意を撤回された場合…円), infection tests, MRI and consultation fees, cell storage, insurance co-pays and other
treatments for comparison, often in one table, and the same price 税抜 and 税込. Reading every amount as a
price put a 2,000,000円 cancellation charge beside a plan as its price, so each amount gets a ``kind`` here.

The kinds are the clinic-page extractor's (:data:`scrapers.parsers.offer_context.AMOUNT_KINDS`) folded onto
what a document needs (consultation counts as a test, an insurance co-pay as a comparison), and a row's own
words are judged by the same :func:`~scrapers.parsers.offer_context.amount_kind`. What documents add:

- the **row** of an amount is the text since the previous amount; the **passage** is the text since the last
  sentence end (。) or blank line. A cancellation word anywhere in the passage makes its amounts cancellation
  charges (「下記のキャンセル料は申し受けます 採血後~加工前 5,500円」), whatever the row names;
- a parenthesis right after the amount can make it a comparison (「2,000円~3,000円 (保険負担金)」);
- a tax or unit printed as a column header (「費用(税抜)」「(税込表記)」「費用(PRP 1 回・税込)」) applies to the
  amounts under it that print none;
- 「38,000円(税込 41,800円)」 is one price, tax included, with both amounts;
- a treatment price names its variant from its row: the kit (ACP, ACP MAX, APS, GPS, Angel, Condensia), the
  site, first or repeat session, one or both knees (``unit``).
"""

from __future__ import annotations

import re

from readers.prices import find_prices, unit_of
from scrapers.parsers.offer_context import AMOUNT_KINDS, amount_kind

DOCUMENT_KINDS = ("treatment", "cancellation", "test", "storage", "comparison", "other")
#: clinic-page kinds a document does not tell apart
_FOLDED = {"consultation": "test", "copay": "comparison"}
assert set(_FOLDED) | set(DOCUMENT_KINDS) == set(AMOUNT_KINDS)

_PASSAGE_END = re.compile(r"。|\n\s*\n")
_CANCEL = re.compile(r"キャンセル|同意(?:を)?撤回|撤回され|撤回した|撤回の時期|取りやめ|とりやめ|取り止め|中止され|中止した|"
                     r"同意され(?:ない|なかった)|同意しない|解約|返金")
#: an insurance word that says the treatment is *not* covered: the price's own sentence, not a co-pay
_NOT_COVERED = re.compile(r"(?:公的|健康)?保険(?:診療)?(?:適用外|適応外|の?対象外|の対象では|が適用され|を使用する|が使え|は使え|適用と"
                          r"なって)|保険適用(?:外|とな)|全額自己負担|自己負担(?:と|に)な|自費|自由診療")
_COMPARISON = re.compile(r"保険適用|保険適応|保険負担|[123１２３]割負担|保険診療|施設により異なる|施設によって異なる|一般的|相場|平均|"
                         r"手術名|手術費|人工関節|高額療養")
_OTHER = re.compile(r"書類作[成製]料|文書料|証明書|診断書|交通費|旅費|送料|輸送費(?!等)")
#: words of the treatment itself: a fee word printed before them in the row does not make the row a fee
_TREATMENT = re.compile(r"PRP|ACP|APS|GPS|Angel|Condensia|Mycells|PEAK|キット|幹細胞|細胞数|個投与|投与|注入|注射|施術料|施術費|"
                        r"治療費|治療料|提供価格|療法|採取料|片側|両側|片膝|両膝|部位|関節|[0-9０-９]回目?|初回|ダブルショット|"
                        r"システム|培養", re.I)
_AFTER_PAREN = re.compile(r"\s*(?:[(（][^()（）]{0,24}[)）]\s*){1,2}")
_HEADER_TAX = re.compile(r"[(（][^()（）]{0,14}?(税込|税抜|税別|消費税込|消費税別)[^()（）]{0,6}[)）]")
_TAX_WORD = {"税込": "included", "消費税込": "included", "税抜": "excluded", "税別": "excluded", "消費税別": "excluded"}
_PAIR_GAP = re.compile(r"^\s*[(（]\s*(?:税込み?|消費税込み?|税込価格)\s*[:：]?\s*$")
_PRODUCTS = (
    ("ACP MAX", re.compile(r"ACP\s*MAX|HD[-‐]PRP\s*[(（]\s*ACP", re.I)),
    ("APS", re.compile(r"APS", re.I)),
    ("Angel", re.compile(r"Angel|エンジェル", re.I)),
    ("ACP", re.compile(r"ACP", re.I)),
    ("GPS", re.compile(r"GPS", re.I)),
    ("Condensia", re.compile(r"Condensia|コンデンシア", re.I)),
    ("Mycells", re.compile(r"Mycells", re.I)),
)
_FIRST = re.compile(r"初回|[1１一]回目(?!以降)")
_REPEAT = re.compile(r"[2-9２-９二三]回目|以降|再投与|追加投与|継続")
_SITE = re.compile(r"足関節|股関節|膝関節|肩関節|肘関節|膝|ひざ|肩|肘|腰|足底|アキレス腱")


def _squeezed(text: str) -> str:
    """Without the spaces a PDF leaves at its line breaks (「同意されなかった場 合」)."""
    return re.sub(r"\s+", "", text)


def _kind(row: str, passage: str, after: str) -> str:
    """The kind of one amount from its row, its passage and the parenthesis printed right after it."""
    row, passage = _squeezed(row), _squeezed(passage)
    if _CANCEL.search(row) or _CANCEL.search(passage):
        return "cancellation"
    cleaned = _NOT_COVERED.sub(lambda m: "・" * len(m.group()), row)
    paren = _AFTER_PAREN.match(after)
    if paren and _COMPARISON.search(_NOT_COVERED.sub("", paren.group())):
        return "comparison"
    if _OTHER.search(cleaned):
        return "other"
    therapy = [m.end() for m in _TREATMENT.finditer(cleaned)]
    kind = amount_kind(cleaned, therapy[-1] if therapy else -1, therapy_nearby=True)
    kind = _FOLDED.get(kind, kind)
    if kind == "treatment":
        comparison = [m.end() for m in _COMPARISON.finditer(cleaned)]
        if comparison and (not therapy or comparison[-1] > therapy[-1]):
            return "comparison"
    return kind


def _header(passage: str) -> tuple[str | None, str | None]:
    """Tax and unit from the nearest column header of the passage (「費用(PRP 1 回・税込)」)."""
    found = None
    for match in _HEADER_TAX.finditer(passage):
        if not re.search(r"\d\s*[万円]?\s*円?\s*$", passage[: match.start()]):  # not 「45,000 円(税抜)」: that is a row's own
            found = match
    if not found:
        return None, None
    return _TAX_WORD[found.group(1)], unit_of(found.group()) if "回" in found.group() else None


def _variant(row: str) -> dict:
    product = next((name for name, pattern in _PRODUCTS if pattern.search(row)), None)
    session = "first" if _FIRST.search(row) else "repeat" if _REPEAT.search(row) else None
    site = _SITE.search(row)
    label = " ".join(row.split()).strip(" ・:：-、,")
    return {"product": product, "session": session, "site": site.group() if site else None,
            "variant": label[-40:] or None}


def read_amounts(text: str) -> list[dict]:
    """Every yen amount in a document's text with its kind; treatment prices with tax, unit and variant."""
    rows: list[dict] = []
    previous_end = 0
    side: tuple[int, str | None] = (0, None)
    bases = {_TAX_WORD[word] for word in re.findall(r"消費税込|消費税別|税込|税抜|税別", text)}
    document_tax = bases.pop() if len(bases) == 1 else None  # a document that states one basis throughout
    for price in find_prices(text, currencies=("JPY",)):
        start = price.start
        end = start + len(price.printed)
        ends = [m.end() for m in _PASSAGE_END.finditer(text, 0, start)]
        passage_start = ends[-1] if ends else 0
        passage = text[passage_start:start]
        row_text = text[max(previous_end, passage_start):start]
        item = price.as_dict()
        item["kind"] = _kind(row_text, passage, text[end : end + 40])
        tax, unit = _header(passage)
        item["tax"] = item["tax"] or tax or document_tax
        # a table's row label comes before its amount: its unit wins over words printed after the amount
        # (the next row's 「両側」), and a side (片側/両側) holds for the rows under it in the passage
        row_unit = unit_of(_squeezed(row_text)[-24:])
        if passage_start != side[0]:
            side = (passage_start, None)
        if row_unit in ("knee", "both_knees"):
            side = (passage_start, row_unit)
        item["unit"] = row_unit or side[1] or item["unit"] or unit
        item.update(_variant(row_text) if item["kind"] == "treatment" else
                    {"product": None, "session": None, "site": None, "variant": None})
        item["_span"] = (start, end)
        rows.append(item)
        previous_end = end
    return _pairs_merged(text, rows)


def _pairs_merged(text: str, rows: list[dict]) -> list[dict]:
    """「38,000円(税込 41,800円)」: one price, tax included, the amount before tax kept beside it."""
    merged: list[dict] = []
    for row in rows:
        previous = merged[-1] if merged else None
        if previous and previous["amount_min"]:
            gap = text[previous["_span"][1] : row["_span"][0]]
            ratio = row["amount_min"] / previous["amount_min"]
            if 1.075 <= ratio <= 1.105 and _PAIR_GAP.match(gap):
                previous.update({k: row[k] for k in ("amount_min", "amount_max", "printed")},
                                tax="included", amount_excluding_tax=previous["amount_min"],
                                excerpt=" ".join(text[max(0, previous["_span"][0] - 30): row["_span"][1] + 30].split()))
                continue
        row.setdefault("amount_excluding_tax", None)
        merged.append(row)
    for row in merged:
        row.pop("_span", None)
        row.setdefault("amount_excluding_tax", None)
    return merged
