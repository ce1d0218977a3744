"""Every amount on a clinic page with its kind: therapy prices apart from fees, tests, co-pays and comparisons.

The words nearest an amount decide (see :func:`scrapers.parsers.offer_context.amount_kind`); then the row's own
words, the heading it stands under, the line under an amount printed alone, and the page (a column post's amounts
are comparisons). A 税抜/税込 pair is one price and a dollar conversion stays on its yen price.
"""

from __future__ import annotations

import re

from readers.prices import better_unit, find_prices, page_tax, unit_of
from readers.taxonomy import classify_therapy
from scrapers.parsers.clinic_therapies import EXTRA, INTRA, OUTSIDE, THERAPY_WORDS, mentions_in, resolve
from scrapers.parsers.fee_tables import TAX_IN_HEAD, TAX_OUT_HEAD, UNIT_MARK
from scrapers.parsers.offer_context import (
    NOT_A_PRICE,
    NOT_OFFERED,
    OFFER_SECTION,
    OFFER_VERB,
    OWN_PRICE,
    amount_kind,
    market_context,
)
from scrapers.parsers.page_text import Block

#: a PRP page's price row labelled by class: 第二種 is PRP into the joint, 第三種 PRP outside it (domain.md §1)
_CLASS_2 = re.compile(r"第\s*[二2２]\s*種")
_CLASS_3 = re.compile(r"第\s*[三3３]\s*種")
def _price_therapy(block: Block, heading: str | None, codes: set[str], page_condition: str,
                   label: str = "") -> str | None:
    """The therapy a price belongs to: named in its label or block; on a PRP page, the PRP of the site its row
    names (「腱・靱帯」, 「膝関節内」); named in its heading; else the page's one offered therapy."""
    for text in (label, block.text):
        if text and THERAPY_WORDS.search(text):
            return _therapy_in(text, codes, page_condition)
    if codes & {"prp_intra_articular", "prp_other"}:
        for pattern, site in ((INTRA, "prp_intra_articular"), (OUTSIDE, "prp_other"), (EXTRA, "prp_other"),
                              (_CLASS_2, "prp_intra_articular"), (_CLASS_3, "prp_other")):
            if pattern.search(label or block.text):
                return site
    if heading and THERAPY_WORDS.search(heading):
        return _therapy_in(heading, codes, page_condition)
    if len(codes) == 1:
        return next(iter(codes))
    return None


def _therapy_in(text: str, codes: set[str], page_condition: str) -> str | None:
    """The therapy a price's words name; None for a generic 幹細胞 on a page that names several kinds of stem cells
    (which kind it is, is settled once the offered therapies are known: the second reading of the amounts)."""
    mentions = mentions_in(text)
    clause = mentions[0][1] if mentions else text
    return resolve(classify_therapy(clause), clause, text, codes, page_condition)


#: treatments and products a regenerative price list sells beside its therapies; they are never the therapy's price
_OTHER_PRODUCT = re.compile(r"ヒアルロン酸|ボトックス|ボツリヌス|プラセンタ|ビタミン|ステロイド|レーザー|ピーリング|麻酔|"
                            r"入院|リハビリ|指導|診断書|証明書|交通費|宿泊|送迎|通訳|衝撃波|ESWT|罰金|懲役|過料|"
                            r"白玉|グルタチオン|NMN|にんにく|ニンニク|高濃度(?:水素|酸素)|美容点滴|インプラント|上部構造|骨造成|"
                            r"サイナスリフト|GBR|"
                            r"サプリ|内服|外用|フィナステリド|ミノキシジル|デュタステリド|hyaluronic|botox|steroid|laser|"
                            r"vitamin|placenta", re.I)
#: a row that says it is regenerative medicine, or names the cell steps, is a cell therapy's fee even when it bundles
#: rehabilitation or anaesthesia (「再生医療（初回） 細胞採取・培養・点滴1回・点滴中リハビリ」)
_REGENERATIVE_ROW = re.compile(r"再生医療|細胞[^、。・]{0,10}?(?:採取|培養|加工|投与|点滴|注射|注入)|培養[^、。]{0,6}(?:点滴|投与|注射)")
_PENALTY = re.compile(r"罰金|懲役|過料|penalt|fine[sd]?\b", re.I)


def _other_product(label: str) -> bool:
    """A row priced for another product (ヒアルロン酸, リハビリ alone) or a penalty, not the regenerative treatment."""
    if not _OTHER_PRODUCT.search(label):
        return False
    return bool(_PENALTY.search(label) or not _REGENERATIVE_ROW.search(label))


def _other_section(section: str | None) -> bool:
    """A section headed by another product alone (「ボトックス」「ヒアルロン酸注射」), not by a regenerative therapy."""
    return bool(section) and _other_product(section) and not THERAPY_WORDS.search(section)


#: a line that is only a tax word (「税込」 under a card's amount)
_TAX_ONLY = re.compile(r"^\s*[（(]?\s*(?:税込み?|税抜き?|税別|tax (?:incl|excl)\w*\.?)\s*[)）]?\s*$", re.I)
_AMOUNT_ONLY = re.compile(r"^[\s¥￥$]*[\d,，.]+\s*(?:万)?\s*円?\s*[（(]?\s*(?:税込み?|税抜き?|税別|tax[^)）]*)?\s*[)）]?\s*$",
                          re.I)


def _label_above(blocks: list[Block], index: int) -> int:
    """How many lines above an amount printed alone are its label (0 when none): the short line above it in a list
    of label-then-amount rows (the line below is the next row's label, or the list ends, or the row above is one
    too), or up to three short lines of a price card that name a therapy (「スタンダード」「幹細胞 2,500万個 ×1回」
    「(片側股関節)」 over 「1,320,000円」)."""
    if index == 0 or not _AMOUNT_ONLY.match(blocks[index].text):
        return 0
    above = blocks[index - 1]
    if above.heading or len(above.text) > 60 or find_prices(above.text):
        return 0
    if len(above.text) <= 40 and THERAPY_WORDS.search(above.text):
        return 1  # 「APS療法」 over 「330,000円」, the list's last row: a therapy names what the amount prices
    below = blocks[index + 1: index + 3]
    if not below or below[0].heading or (len(below) == 2 and not find_prices(below[0].text)
                                          and bool(_AMOUNT_ONLY.match(below[1].text))):
        return 1
    if index >= 3 and _AMOUNT_ONLY.match(blocks[index - 2].text) and _label_above(blocks, index - 2) == 1:
        return 1  # the list's last row, a note under it: the row above is a label and its amount too
    card = []
    for line in reversed(blocks[max(0, index - 3): index]):
        if line.heading or len(line.text) > 40 or find_prices(line.text) or _AMOUNT_ONLY.match(line.text) \
                or _TAX_ONLY.match(line.text):
            break
        card.append(line.text)
    return len(card) if len(card) > 1 and THERAPY_WORDS.search(" ".join(card)) else 0


def _with_caption(block: Block, following: Block | None) -> tuple[Block, str | None]:
    """A block that is nothing but an amount (a landing page's big 「55,000円（税込）」) is read with the line under
    it (「PRP注射（血液）1関節・1回あたり」), which says what it prices; returns (block to read, that line)."""
    if following is None or following.heading or not _AMOUNT_ONLY.match(block.text) or find_prices(following.text):
        return block, None
    return Block(f"{block.text} {following.text}", block.tag, block.heading, block.links), following.text


def _quoted(text: str, at: int) -> bool:
    """The amount stands inside quoted speech (「…当院では…費用は30万円です。…」): a doctor quoted by a newspaper or a
    patient's testimonial tells what they paid or charge, not the page's own price list."""
    for match in re.finditer(r"「[^「」]{20,}」|「[^「」]{20,}$", text):
        if match.start() < at < match.end() and "。" in match.group(0):
            return True
    return False


def _term_of(blocks: list[Block], index: int) -> str | None:
    """The <dt> a short <dd> prices (several <dd>s may follow one <dt>), or None. A <dd> of sentences answers the
    question in its <dt> (a FAQ list): the question stays its heading."""
    if blocks[index].tag != "dd" or len(blocks[index].text) > 60 or "。" in blocks[index].text:
        return None
    for back in range(index - 1, max(index - 4, -1), -1):
        if blocks[back].tag == "dt":
            return blocks[back].text
        if blocks[back].tag != "dd":
            return None
    return None


#: words right after an amount that make it a discount or a reward
_OFF_AFTER = re.compile(r"\s*(?:引き|OFF|オフ|割引|値引き?|分(?![\d０-９])|相当|還元|キャッシュバック)", re.I)
_CANCEL_HEAD = re.compile(r"キャンセル(?:料|ポリシー|規定|について)|\bcancell?ation (?:fees?|charges?|polic(?:y|ies))", re.I)
_PRICE_HEAD = re.compile(r"料金|費用|価格|治療費|\b(?:prices?|fees|costs?)\b", re.I)


def _cancellation_heading(heading: str | None) -> bool:
    """A heading about cancellation charges alone (「キャンセル料」, "Treatment Cancellation Fee"): every amount under it
    is a charge for cancelling, whatever treatment its row names. 「料金・キャンセルについて」 heads prices too."""
    if not heading or not _CANCEL_HEAD.search(heading):
        return False
    return not _PRICE_HEAD.search(_CANCEL_HEAD.sub(" ", heading))


_OTHER_JOINT = re.compile(r"股関節|肩|肘|ひじ|足首|足関節|手首|hip|shoulder|elbow|ankle|wrist", re.I)
_KNEE = re.compile(r"膝|ひざ|ヒザ|knee", re.I)


#: skin areas a beauty clinic's fee rows name (「目の下」「ほうれい線」)
_SKIN_AREA = r"目の下|目元|頬|ほうれい線|こめかみ|デコルテ|手の甲"
#: a skin area with two sides (「目の下（両側）」): its 片側 and 両側 say nothing of knees or joints
_FACE_AREA = re.compile(_SKIN_AREA + r"|まぶた|顔|口元|首|胸|乳房|バスト")
_SIDE = re.compile(r"片側|両側")


def _side_of_another_joint(unit: str | None, label: str) -> str | None:
    """「股関節（片側）」 prices one hip, not a knee: 片側 and 両側 say a side, and the joint the row names decides
    (one side of a hip is one joint; both hips have no unit of their own); on a skin area (「目の下（両側） 1回」) the
    side is no unit at all, and the row's other words give it."""
    if unit not in ("knee", "both_knees") or _KNEE.search(label):
        return unit
    if _FACE_AREA.search(label) and _SIDE.search(label):
        return unit_of(_SIDE.sub(" ", label))
    if not _OTHER_JOINT.search(label):
        return unit
    return "joint" if unit == "knee" else None


_MONITOR = re.compile(r"モニター(?:価格|料金|特別価格)|monitor (?:price|rate)", re.I)


def _kind_of(price, label: str, block: Block, heading: str | None, codes: set[str], column: bool,
             own: bool = False, section: str | None = None) -> str:
    """The kind of one amount (see :func:`amount_kind`), then the row's own words: a row that names no therapy
    and no treatment step (「フィナステリド（1か月）」) is another product; a row that names only a site or a
    session (「片膝」「腱・靱帯（1回）」) under a therapy or a price heading is that therapy's price; amounts said
    of the market, or in a column post, are comparisons."""
    if heading and _MONITOR.search(heading):
        own = True  # a 「モニター価格」 column: only the clinic itself prints what it charges its monitors
    if not label.strip() and not block.text[: price.start].strip() and heading and block.tag == "dd":
        label = heading  # <dt>血液検査（感染症）</dt><dd>5,500円</dd>: the term is the row's label
    # what a row's brackets say is a note on its head noun: 「感染症検査（MSC治療・APS療法の前に必要です）」 is a test,
    # 「幹細胞点滴（凍結保存した細胞を使用）」 a treatment; the notes are blanked (lengths kept) before the kind is read
    bare = re.sub(r"[（(][^（）()]*[)）]", lambda m: " " * len(m.group(0)), label)
    therapies = list(THERAPY_WORDS.finditer(bare))
    # the therapy may be named by the row, the table's header, or the section the table stands in (「PRP-FD注射の料金」
    # over a grid whose header names only 片膝 and 両膝)
    nearby = bool(THERAPY_WORDS.search(block.text) or (heading and THERAPY_WORDS.search(heading))
                  or (section and block.tag == "tr" and THERAPY_WORDS.search(section)))
    words = bare if label.strip() else block.text[: price.start]
    # a fee word in an earlier sentence says nothing of this amount (「保険適用ではないため…。費用は1回300,000円」)
    start = _sentence_start(words)
    in_sentence = [match for match in therapies if match.start() >= start] if words is bare else []
    clause = words[start:]
    if own and not column:
        clause = clause.replace("目安", "  ")  # 「治療費の目安は1回3万3千円程度です」 on the clinic's own page: its fee, roughly
    kind = amount_kind(clause, in_sentence[-1].end() - start if in_sentence else -1,
                       nearby or len(codes) == 1)
    if start and not in_sentence and amount_kind(words[:start], -1) == "comparison":
        kind = "comparison"  # 「人工関節置換術は保険診療です。医療費の総額はおよそ200万円」: the sentence before says of what
    if kind == "other" and heading and amount_kind(heading, -1) not in ("other", "treatment"):
        kind = amount_kind(heading, -1)
    after = block.text[price.start + len(price.printed):]
    if _OFF_AFTER.match(after):
        kind = "other"  # 「10,000円引き」「5,000円OFF」「3,000円分」: a discount or a reward, not what the treatment costs
    if kind in ("treatment", "other") and _cancellation_heading(heading):
        kind = "cancellation"  # 「Director Treatment Cancellation Fee」 over 「Treatment with our Dr 10,800 JPY」
    steps = _treatment_label(label, after)
    if kind == "treatment" and not therapies and not steps:
        kind = "other"
    elif kind == "other" and steps and not NOT_A_PRICE.search(words[start:]) and (
            nearby or (heading and OFFER_SECTION.search(heading)) or OWN_PRICE.search(words[start:])):
        kind = "treatment"  # 「当院での治療費は税抜150,000円です」: the clinic's own fee for its treatment
    if kind == "treatment" and not therapies and _other_product(label or block.text[: price.start]):
        kind = "other"  # 「ヒアルロン酸注入（1本）」 on a PRP price list: a treatment, but not a regenerative one
    if kind == "treatment" and (market_context(block.text, heading, column, own) or _quoted(block.text, price.start)):
        kind = "comparison"
    if re.search(r"内訳[）)]\s*(?:JPY|[¥￥])?\s*$", block.text[: price.start]):
        kind = "other"  # a part of a total printed beside it (see mark_component_columns)
    return kind


def _sentence_start(text: str) -> int:
    """Where the sentence that ends at the amount begins: after the block's last 。, ！ or ？ before it."""
    ends = [match.end() for match in re.finditer(r"[。！？!?]", text)]
    return ends[-1] if ends else 0


#: a paragraph opening in the clinic's voice (「当院では、患者様ご自身の…」)
_OWN_START = re.compile(r"^(?:当院|当クリニック|当センター|当科)(?:では|で|は)")


def _heading_tax(heading: str | None) -> str | None:
    if not heading or len(heading) > 40:
        return None
    if TAX_IN_HEAD.search(heading) and not TAX_OUT_HEAD.search(heading):
        return "included"
    if TAX_OUT_HEAD.search(heading) and not TAX_IN_HEAD.search(heading):
        return "excluded"
    return None


_FEE_HEAD = re.compile(r"^\s*(?:[■●◆▼【\[]\s*)?(?:料金|費用|価格|治療費|施術料金|治療費用|料金表|料金の目安|費用の目安|Fees?|Prices?|Costs?)"
                       r"\s*(?:[】\]]|[（(][^）)]{0,8}[）)])?\s*$", re.I)


def _fee_subheading(block: Block, section: str | None, section_tag: str | None) -> bool:
    """A bare 「料金」 heading under a therapy's own heading (<h2>PRP療法</h2> … <h3>料金</h3>): the prices under it are
    that therapy's, so the section stays the therapy's. A 「料金」 heading of the same or a higher level starts the
    page's own fee section."""
    if not section or not THERAPY_WORDS.search(section) or not _FEE_HEAD.match(block.text):
        return False
    return _level(block.tag) > _level(section_tag)


def _level(tag: str | None) -> int:
    return int(tag[1]) if tag and re.fullmatch(r"h[1-6]", tag) else 7


#: what stands between two amounts of one row when the second is another price column of the same item:
#: spaces, brackets, tax words, a dash (「60,000円（税込66,000円） 45,000円（税込49,500円）」)
_BARE_GAP = re.compile(r"[\s（()）/／・|｜:：、,―—\-–~〜]*(?:〔[^〕]{1,16}〕[\s]*)?(?:(?:税込み?|税抜き?|税別|tax (?:incl|excl)\w*\.?|内訳)[\s（()）:：]*)?")


def amounts_on_page(blocks: list[Block], codes: set[str], currencies: tuple[str, ...], page_condition: str,
            column: bool = False) -> list[dict]:
    """Every amount with its ``kind``; ``therapy`` for treatment prices (see :func:`amount_kind`)."""
    tax = page_tax("\n".join(block.text for block in blocks))
    prices = []
    heading = section = section_tag = None
    seen = set()
    own = False  # a section in the clinic's own voice: its price list is the clinic's, not the market's
    for index, block in enumerate(blocks):
        if block.heading:
            heading = block.text
            # a table's header row (「治療部位 料金」) heads its columns and a <dt> its own row, not the section: the
            # therapy the section is about stays the one its heading names
            if not (block.tag == "dt" or (block.tag == "tr" and not THERAPY_WORDS.search(block.text))
                    or _fee_subheading(block, section, section_tag)):
                section, section_tag = block.text, block.tag
            if block.tag != "dt":  # a row's term (「エクソソーム点滴 1回」) leaves the section in the voice it had
                # 「当院の脂肪由来幹細胞療法」 then 「料金表」: a fee heading carries on the section above it
                own = bool(OWN_PRICE.search(block.text)) or (own and bool(OFFER_SECTION.search(block.text)))
        elif (OFFER_VERB.search(block.text) or _OWN_START.match(block.text)) and not NOT_OFFERED.search(block.text):
            own = True  # 「当院では、…エクソソーム点滴を…行っています」 closing a column, over its menu
        dollars = find_prices(block.text, ("USD",)) if _CONVERSION_LINE.fullmatch(block.text.strip()) else []
        if dollars and prices and prices[-1]["currency"] == "JPY" and index and find_prices(blocks[index - 1].text):
            # 「JPY 330,000<br>(approx. US$2,200)」: the line under a yen amount restates it in dollars
            prices[-1].setdefault("usd_approx", dollars[0].amount_min)
            continue
        row_heading, term = heading, _term_of(blocks, index)
        if term is not None:
            # <dt>脂肪採取・細胞培養・初回投与</dt><dd>1,430,000円</dd> is a table row: the term is its label and the
            # section heading above the list is its heading, as for 「<tr><th>…</th><td>…</td></tr>」
            block, caption, row_heading = Block(f"{term} {block.text}", "tr", False, block.links), None, section
        elif lines := _label_above(blocks, index):
            # 「細胞の凍結保存（1年間）」 then 「88,000円」, row after row: the line above is the amount's label
            label_text = " ".join(b.text for b in blocks[index - lines: index])
            block, caption = Block(f"{label_text} {block.text}", block.tag, block.heading, block.links), None
        else:
            block, caption = _with_caption(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        unit = None
        in_block: list[dict] = []
        previous_end = 0
        row_label = ""
        for price in find_prices(block.text, currencies):
            key = (price.amount_min, price.amount_max, price.currency, price.excerpt)
            label = block.text[previous_end:price.start]  # from the previous amount (or the block's start)
            if _BARE_GAP.fullmatch(label) and row_label:
                label = row_label  # 「エクソソーム点滴 60,000円（税込66,000円） 45,000円」: a second price column, same row
            elif not _BARE_GAP.fullmatch(label):
                row_label = label
            previous_end = price.start + len(price.printed)
            if key in seen:
                continue
            seen.add(key)
            kind = _kind_of(price, label, block, row_heading, codes, column, own, section)
            if kind == "treatment" and _other_section(section) and not THERAPY_WORDS.search(label):
                kind = "other"  # 「ボトックス」 heads its own table of areas: 「額 22,000円」 under it is botox's price
            row = {**price.as_dict(), "kind": kind, "excerpt": UNIT_MARK.sub("", price.excerpt),
                   "_span": (price.start, price.start + len(price.printed)),
                   "therapy": _price_therapy(block, section, codes, page_condition, label) if kind == "treatment"
                   else None}
            # 「¥1,760,000 (about US$11,800)」: the second amount restates the first, unit included;
            # <dt>培養幹細胞治療（片膝）</dt><dd>1,540,000円</dd>: the label carries the unit
            row["unit"] = better_unit(row["unit"], unit_of(label)) or unit or unit_of(caption) or unit_of(row_heading)
            row["unit"] = _side_of_another_joint(row["unit"], label or block.text[: price.start])
            if row["tax"] is None and row["currency"] == "JPY":
                row["tax"] = _heading_tax(row_heading) or tax  # 「治療費（税込）」 over the list says it for every row
            unit = row["unit"]
            if row["unit"] and in_block and in_block[-1]["unit"] is None and in_block[-1]["currency"] != row["currency"]:
                in_block[-1]["unit"] = row["unit"]  # 「JPY 45,000 (approx. USD 300) per injection」
            in_block.append(row)
        prices.extend(_restatements_merged(block.text, in_block))
    return prices


_APPROX = r"(?:approx(?:imately|\.)?|about|around|roughly|約|≈|~|〜)"
#: 「(approx. US$2,200)」 on its own line under a yen amount
_CONVERSION_LINE = re.compile(rf"[(（]?\s*{_APPROX}\s*(?:US\s?\$|USD\s?|\$)\s*\d[\d,.]*\s*[kK]?\s*[)）]?", re.I)
#: between a yen amount and its dollar conversion: a note in brackets, or the unit the yen is per (「¥55,000 per knee
#: (approx. US$370)」「33,000円／回（約$220）」)
_CONVERSION_GAP = re.compile(rf"^\s*(?:[(（][^()（）]{{0,24}}[)）]|(?:per|a|/|／)\s*[A-Za-z ]{{1,16}}|[/／]\s*\S{{1,4}})?"
                             rf"\s*[,、]?\s*[(（]?\s*{_APPROX}?\s*$", re.I)
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
                              # the quantity or the skin area a row prices (「5cc」「目の下」), under the therapy's heading
                              r"[0-9０-９.]+\s*(?:cc|ml|ｃｃ|バイアル|アンプル)|" + _SKIN_AREA + r"|(?<![金総差担減])額|"
                              r"肩|肘|ひじ|股関節|足首|足底|手首|"
                              # the same steps on Korean and Chinese pages for patients abroad
                              r"투여|점적|주사|[0-9]+\s*회|코스|무릎|관절|배양|채취|시술|"
                              r"點滴|疗程|療程|[0-9一二三]次|关节|關節|培养|采脂|採脂|"
                              r"培養|採血|施術|料金|費用|価格|治療費|治療代|点滴|細胞|損傷|脳卒中|脳梗塞|後遺症|疾患|関節症|"
                              r"knee|joint|session|injection|infusion|drip|cells?|course|treatment|price|fee|cost",
                              re.I)


#: a product's own name left in a Japanese row label once the site and session words are taken out (フォトフェイシャル;
#: English labels are all Latin words and are left to the product list above); plan names and リハビリ, which clinics
#: bundle with cell infusions (「細胞採取・培養・点滴1回・点滴中リハビリ」), are no product
_PRODUCT_NAME = re.compile(r"(?!モニター|キャンペーン|オプション|ベーシック|スタンダード|プレミアム|リハビリ)(?<![ァ-ヴー])"
                           r"[ァ-ヴ][ァ-ヴー]{3,}")


def _treatment_label(before: str, after: str) -> bool:
    """A row label that names a site, a session or a step of a treatment, not another product or fee."""
    if not before.strip(" 　:：・|｜-"):
        return True  # <dt>培養幹細胞治療（片膝）</dt><dd>1,540,000円</dd>: the label is the heading
    if _PRODUCT_NAME.search(_TREATMENT_WORDS.sub("", before)):
        return False  # 「フォトフェイシャル（IPL） 顔全体 1回」: a product of its own, priced per session
    return bool(_TREATMENT_WORDS.search(before) or _TREATMENT_WORDS.search(after[:30]))


