"""Which therapies a clinic page names, and which of them it offers (see :mod:`scrapers.parsers.offer_context`).

Every therapy word is classified with its clause (back to the previous comma or mention, on to the next) and
settled from the rest of the page: 「幹細胞治療 片膝 …円」 on a page that names one kind of stem cells is that kind,
「PRP療法」 on a knee page is PRP into the joint. Each mention is then read for what the page says of it (offered,
denied, compared, explained); the offered ones get a verdict, the rest are kept as mentions.
"""

from __future__ import annotations

import re

from readers.taxonomy import SPECIFIC_OTHER, classify_condition, classify_therapy
from scrapers.parsers.offer_context import NOT_OFFERED, OFFER_VERB, WEAK_OFFER, mention_is_offer
from scrapers.parsers.page_text import Block

THERAPY_WORDS = re.compile(
    r"幹細胞培養液|(?-i:(?<![A-Za-z])HARG(?![A-Za-z]))|PRP-?FD|PFC-?FD|PFC(?=療法|治療|注射)|多血小板血漿|サイトカインリッチ血清|"
    # acronyms stand apart from Latin letters: "perhaps", "collapse" and "maps" hold no APS; PRPF and PRPG are PRP
    # with a growth factor added
    r"(?<![A-Za-z])(?:PRP[FG]?|APS|ACRS|SVF|CGF|PRGF|PRF)s?(?![A-Za-z])|"
    r"幹細胞|干细胞|培養上清|上清液|エクソソーム|エキソソーム|間質血管細胞|骨髄|"
    r"外泌[体體]|줄기세포|엑소좀|"  # stem cells and exosomes on Chinese and Korean pages
    r"NK세포|면역세포|수지상세포|NK细胞|免疫细胞|树突状细胞|樹突狀細胞|"  # immune cells on Korean and Chinese pages
    # kits and products sold under their own names: freeze-dried platelets (PFC-FD), Celution (SVF), BMAC (bone marrow),
    # ACP (a PRP), Orthokine / ACS (a conditioned serum, coded with APS)
    r"(?:フリーズドライ|凍結乾燥)(?:PRP|血小板)|セルーション|Celution|(?<![A-Za-z])BMAC(?![A-Za-z])|"
    r"(?<![A-Za-z])AC[PS](?=\s*(?:療法|注射|治療|[(（]|injection|therapy))|自己調整血[漿清]|オルソカイン|Orthokine|"
    r"autologous conditioned (?:plasma|serum)|"
    r"NK細胞|樹状細胞|免疫細胞|臍帯|stem cell|platelet-rich|exosome|bone marrow|conditioned medium|culture supernatant|secretome|"
    r"\bMSCs?\b|間葉系|(?<![A-Za-z])A(?:D)?SC(?![A-Za-z])|再生[（(]幹[)）]細胞|由来再生細胞|線維芽細胞|纖維母細胞|纤维母细胞|成纤维细胞|fibroblasts?|"
    r"regenerative cells|PDF-FD|\bMFAT\b|Lipogems|リポジェムス|微小断片化脂肪|GPS\s?(?:Ⅲ|III|3)|"
    r"リンパ球|\bNK[- ]cells?\b|dendritic cells?|\bDC[- ]?(?:vaccines?|ワクチン)|(?:αβ|γδ)\s?T細胞|immune[- ]cells?|lymphocytes?|\b(?:αβ|γδ|alpha-beta|gamma-delta)?\s?T[- ]cells?\b|"
    r"細胞シート|軟骨細胞|歯髄再生(?:治療|療法)|cell sheets?|chondrocytes?|膵島(?:移植|細胞)|\bislets?\b(?= (?:cells?|transplant))",
    re.I,
)
def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？!?])\s*|(?<=\.)\s+", text) if s.strip()]


PRP_SITES = {"prp_intra_articular", "prp_other"}
#: a row of a clinic's list of injections (「腱・靭帯へのPRP注射 テニス肘など（第三種）」)
_ROW_OF_SERVICES = re.compile(r"^.{0,80}(?:注射|注入|injections?)(?!.{0,10}(?:について|explained|described)).{0,40}$",
                              re.I)
STEM_CODES = ("adipose_cultured", "adipose_uncultured", "adipose_svf", "bone_marrow")
_CELL_FREE = ("culture_supernatant", "exosome", "pfc_fd")
INTRA = re.compile(r"関節内|関節の中|関節腔内|intra-articular|into the (?:knee )?joint", re.I)
OUTSIDE = re.compile(r"関節外|関節の外|outside (?:of )?the joint", re.I)
#: where PRP goes outside a joint: tendons (an elbow's too: テニス肘, 上顆炎), skin, hair, the mouth, and the spine, whose
#: PRP is filed apart from the joints'
EXTRA = re.compile(r"腱|靭帯|靱帯|皮膚|肌|頭髪|毛髪|薄毛|頭皮|口腔|歯|足底|椎間板|腰椎|頸椎|椎間関節|"
                   r"(?:テニス|ゴルフ|野球)肘|上顆炎|(?:tennis|golfer'?s) elbow|epicondyl|"
                   r"tendon|ligament|skin|hair|scalp|intervertebral|facet joint", re.I)
_KNEE = re.compile(r"膝|ひざ|ヒザ|knee|関節に|関節症|半月板|meniscus", re.I)  # the meniscus lies inside the knee joint
#: the words between PRP and the product made from it (PRPを応用したPFC-FD, PRPの応用技術：PFC-FD, PRPから抽出したAPS)
_BASE_OF = re.compile(r"^[^、。]{0,14}?(?:を応用した|の応用|から(?:作|抽出|精製|生成|取り出)|をさらに|を(?:濃縮|凍結乾燥|加工)|"
                      r"をもとに|の一種|の進化|の次世代|を(?:進め|発展させ|改良し)た)[^。]{0,24}$")
#: PRP directly before the product made with it (「PRP（多血小板血漿）を使ったAPS療法」; not 「PRPを用いた治療とAPS…」)
_MADE_WITH = re.compile(r"^(?:療法)?を(?:使った|使う|用いた|用いる|利用した)(?:新しい|次世代の?)?\s*$")
#: PRP as the stuff a product is made from, after the product is named (「…血液を採ってPRPを取り出し」「そのPRPから」)
_INGREDIENT = re.compile(r"\s*(?:[（(][^）)]*[）)])?\s*(?:を取り出し|を採取し|から|を(?:さらに)?(?:濃縮|加工|処理|凍結)|"
                         r"に(?:さらに)?(?:処理|加工|手)を加え)")
#: PRP as the family a product belongs to (「数あるPRP療法のなかでも」「PRPの一種」)
_FAMILY_OF = re.compile(r"\s*(?:療法|治療|注射)?\s*の(?:(?:なか|中)(?:でも|で|の)|一種)")
#: regenerative products approved under the PMD Act (自家培養軟骨 JACC, 自家培養表皮 JACE, ステミラック…): a clinic gives
#: them without a provision plan, so they are no therapy to check against the registry
_APPROVED_PRODUCT = re.compile(r"自家培養(?:軟骨|表皮|角膜上皮|口腔粘膜上皮)|\bJAC[CE]\b|ジャック|ジェイス|ハートシート|"
                               r"ステミラック|テムセル|ネピック|オキュラル|サクラシー|コラテジェン|キムリア", re.I)
#: a statement of the plan a therapy is given under (APS is filed as a PRP plan: 「PRPを用いた…治療を行えるようになりました」)
_PLAN_STATEMENT = re.compile(r"第[二三2３3２]種|提供計画|再生医療等技術|行えるようになり|届出|届け出|受理")
_ORIGIN = re.compile(r"由来|derived|from human|originat", re.I)
_GENERIC_STEM = re.compile(r"幹細胞|干细胞|stem cell|(?<![A-Za-z])MSCs?(?![A-Za-z])|間葉系|mesenchymal", re.I)


def _prp_site(text: str) -> str | None:
    """Where the text says PRP goes: the joint (stated, or a knee named) or elsewhere (stated, or a tissue)."""
    for pattern, site in ((INTRA, "prp_intra_articular"), (OUTSIDE, "prp_other"), (EXTRA, "prp_other"),
                          (_KNEE, "prp_intra_articular")):
        if pattern.search(text):
            return site
    return None


def _explicit(code: str, clause: str, sentence: str) -> bool:
    """A mention that names its therapy fully, without help from the rest of the page."""
    if code in ("prp_intra_articular", "prp_other"):
        return bool(_prp_site(clause) or _prp_site(sentence))
    return code != "other"


def resolve(code: str, clause: str, sentence: str, known: set[str], page_condition: str) -> str | None:
    """Settle a therapy named without its details from the rest of the page.

    「幹細胞治療 片膝 …円」 on a page that names one kind of stem cells means that kind; 「PRP療法 1回 …円」 means
    the page's one PRP, or PRP into the joint on a knee page. A generic 幹細胞 on a page that names several
    kinds stays ``other`` (returned as None for offerings: it adds no new therapy).
    """
    if code == "other" and not SPECIFIC_OTHER.search(clause) and _GENERIC_STEM.search(clause):
        # 「お腹の脂肪をとり、その中の幹細胞を培養して…」: the kind is named in the sentence, not the clause
        in_sentence = classify_therapy(sentence)
        if in_sentence in STEM_CODES and not SPECIFIC_OTHER.search(sentence):
            return in_sentence
        stems = sorted(known & set(STEM_CODES))
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


#: what joins two therapies in a list (「PRP療法とPFC-FD療法」「上清液・エクソソーム」), as opposed to an origin and its
#: product written as one word (「幹細胞培養上清液」)
_LIST_JOIN = re.compile(r"[、，,;；。・/／と及（(]|および|または")
#: what ends a clause: Japanese and Chinese commas (、，), Latin ones, semicolons and the full stop
_CLAUSE_MARKS = "、，,;；。"


def mentions_in(sentence: str) -> list[tuple[re.Match[str], str]]:
    """Each therapy word with its clause: back to the previous comma or mention, on to the next.

    A stem-cell word directly followed by a cell-free product (幹細胞培養上清液, 幹細胞由来のエクソソーム) names the
    product's origin, not a second therapy, and is dropped.
    """
    matches = list(THERAPY_WORDS.finditer(sentence))
    result = []
    for k, match in enumerate(matches):
        start = max(sentence.rfind(mark, 0, match.start()) for mark in _CLAUSE_MARKS) + 1
        if k:
            start = max(start, matches[k - 1].end())
        ends = [i for i in (sentence.find(mark, match.end()) for mark in _CLAUSE_MARKS) if i >= 0]
        end = min(ends) if ends else len(sentence)
        if k and classify_therapy(matches[k - 1].group(0)) in _CELL_FREE and _ORIGIN.search(
            sentence[matches[k - 1].end() : match.end()]
        ):
            continue  # "Exosomes derived from human stem cells": the product's origin again
        after = sentence[match.end():]
        beside_product = classify_therapy(match.group(0)).startswith("prp") and any(
            classify_therapy(m.group(0)) in ("pfc_fd", "aps") for m in matches if m is not match)
        if beside_product and _INGREDIENT.match(after) and (k or not after.lstrip().startswith("から")):
            # 「当院で行うPFC-FD療法は、…PRPを取り出し、さらに…」「PRPを取り出し…加工したものがPFC-FDです」「APSは、
            # PRPにさらに処理を加えて…」: the PRP the product is made from (「PRPから作るAPS」 is read below)
            continue
        if beside_product and _FAMILY_OF.match(after):
            continue  # 「PRP-FDは、数あるPRP療法のなかでも当院が取り入れている方法です」: PRP is the family, not a therapy
        if k and classify_therapy(match.group(0)).startswith("prp") and classify_therapy(
                matches[k - 1].group(0)) in ("pfc_fd", "aps") and re.fullmatch(
                r"(?:療法|注射|治療)?\s*[（(]", sentence[matches[k - 1].end(): match.start()]):
            continue  # 「PFC-FD療法(PRP療法)」: the bracket says what family the product belongs to
        if classify_therapy(match.group(0)) in _CELL_FREE and re.match(r"\s*液?(?:由来|から(?:抽出|精製|取り出))",
                                                                    sentence[match.end():]):
            continue  # 「エクソソーム点滴（幹細胞培養上清液由来）」: the supernatant is where the product comes from
        if k + 1 < len(matches):
            following = matches[k + 1]
            own = classify_therapy(match.group(0))
            if following.start() - match.end() <= 3 and classify_therapy(following.group(0)) in _CELL_FREE and (
                    own not in _CELL_FREE) and not _LIST_JOIN.search(sentence[match.end(): following.start()]):
                continue  # 「幹細胞培養上清液」: the cells are the product's origin (a list 「上清液・エクソソーム」 is two products)
            if any(classify_therapy(later.group(0)) in _CELL_FREE and later.start() - match.end() <= 12
                   and not _LIST_JOIN.search(sentence[match.end(): later.start()])
                   for later in matches[k + 1: k + 4]):
                continue  # 「臍帯由来幹細胞培養上清液」: the cord and the stem cells are the product's origin
            # the product after a PRP word, past its glosses (「PRP（多血小板血漿）を使ったAPS療法」)
            product = next((later for later in matches[k + 1: k + 3]
                            if not classify_therapy(later.group(0)).startswith("prp")), following)
            between = sentence[match.end(): product.start()]
            glossless = re.sub(r"[（(][^（）()]*[)）]|^[)）]", "", between)  # the gloss's own close too
            if classify_therapy(product.group(0)) in ("pfc_fd", "aps") and classify_therapy(match.group(0)).startswith(
                    "prp") and (_BASE_OF.match(between) or _MADE_WITH.match(glossless)
                                or re.fullmatch(r"[^、。()（）]{0,12}[(（]", between)):
                # 「PRP療法を応用したPFC-FD」: PRP is what the product is made from, not a second therapy;
                # "next-generation PRP therapy (APS)": the same therapy named twice
                continue
            if classify_therapy(product.group(0)) in ("pfc_fd", "aps") and classify_therapy(
                    match.group(0)).startswith("prp") and len(between) <= 20 and re.match(
                    r"[』」]?\s*(?:注射|療法|治療)?[』」]?\s*として", sentence[product.end():]):
                continue  # 「PRP療法は、現在は『PRP-FD注射』としてご提供中です」: PRP is given as the product
            end = min(end, following.start())
        if _GENERIC_STEM.search(match.group(0)) and re.search(r"上澄み|上清|培養液|エクソソーム|エキソソーム|exosome|conditioned",
                                                                sentence[match.end(): end], re.I):
            continue  # 「幹細胞を培養したときに得られる上澄み液」: the stem cells are where the product comes from
        if classify_therapy(match.group(0)).startswith("prp") and re.match(r"^[^、。]{0,14}?の応用(?:技術|療法|治療)",
                                                                         sentence[match.end():]):
            continue  # 「再生医療（PRP）の応用技術」: a technique built on PRP (PFC-FD), not PRP itself
        result.append((match, sentence[start:end]))
    return result


#: a line that asks (「…ですか？」「Q1. …」): an FAQ's question, asked of a therapy rather than naming one
ASKS = re.compile(r"[？?]\s*$|^Q\s*[\d.．:：\s]")


def headed(blocks: list[Block]) -> list[tuple[str, Block, str | None]]:
    """Each sentence with its block and the heading it stands under.

    A <dt> that names a term (「APS治療（次世代PRP）」) labels its own row, read under the section it stands in, as a
    table's row is: the term and its first <dd> are one line (「PRP療法 テニス肘…に注射します。」). A <dt> that asks
    (an FAQ's question) heads its answer."""
    result: list[tuple[str, Block, str | None]] = []
    heading, term = None, None

    def add(block: Block) -> None:
        result.extend((sentence, block, heading) for sentence in _sentences(block.text))

    for block in blocks:
        if term is not None:
            if block.tag == "dd":
                block = Block(f"{term.text} {block.text}", "tr", False, block.links, block.nav)
            else:
                add(term)
            term = None
        if block.tag == "dt" and not ASKS.search(block.text):
            term = block
            continue
        if block.heading:
            heading = block.text
        add(block)
    if term is not None:
        add(term)
    return result


def sections_of(sentences: list[tuple[str, Block, str | None]]) -> dict[str, str]:
    """Each heading's text: the sentences under it, joined (what a section says of its own topic)."""
    sections: dict[str, list[str]] = {}
    for sentence, _, heading in sentences:
        if heading is not None:
            sections.setdefault(heading, []).append(sentence)
    return {heading: " ".join(texts) for heading, texts in sections.items()}


def mention_codes(sentences: list[tuple[str, Block, str | None]], page_condition: str) -> list[tuple]:
    """(code, match, clause, sentence, heading) for every therapy word, resolved against the whole page."""
    mentions = [(m, clause, s, h) for s, _, h in sentences for m, clause in mentions_in(s)]
    known = set()
    for _, clause, sentence, _ in mentions:
        code = classify_therapy(clause)
        if _explicit(code, clause, sentence):
            known.add(resolve(code, clause, sentence, set(), page_condition))
    sections = sections_of(sentences)
    found = []
    for match, clause, sentence, heading in mentions:
        # 「腱の痛み（アキレス腱炎、ジャンパー膝など）を対象にPRP療法」: a knee word naming a tendon is read as the tendon
        code = resolve(classify_therapy(_TENDON_KNEE.sub("腱", clause)), _TENDON_KNEE.sub("腱", clause),
                       _TENDON_KNEE.sub("腱", sentence), known, page_condition)
        if code in PRP_SITES and heading is not None and not (_prp_site(clause) or _prp_site(sentence)):
            # 「PRPを注射して、組織の修復をうながします」 under a section about tendons: the section says the site
            code = section_site(sections.get(heading, "")) or code
        if code == "other" and _GENERIC_STEM.search(clause) and not SPECIFIC_OTHER.search(clause) and heading is not None:
            # "Stem cell therapy" over "fat is taken … the stem cells in it are cultured": the section says the kind
            in_section = classify_therapy(sections.get(heading, ""))
            code = in_section if in_section in STEM_CODES else code
        if code is None or (code == "other" and not (SPECIFIC_OTHER.search(clause) or _GENERIC_STEM.search(clause))):
            continue
        if _APPROVED_PRODUCT.search(clause):
            continue  # 「自家培養軟骨細胞移植術」(JACC): an approved product, given without a provision plan
        found.append((code, match, clause, sentence, heading))
        if code in PRP_SITES and not (INTRA.search(clause) or OUTSIDE.search(clause)) and _both_sites(sentence):
            # 「腱の治療と膝などの関節の治療にPRP療法を行っています」: one sentence, both kinds of PRP
            found.append(((PRP_SITES - {code}).pop(), match, clause, sentence, heading))
    return found


#: the page says its stem cells are used without culture (「培養は行わず、採取した当日に注入」), outside a definition
#: of the Act's risk classes (「第三種：培養せずに…」)
_NO_CULTURE = re.compile(r"培養(?:は|を)?(?:行わず|せず|しない|しません|行いません|の必要が(?:ない|ありません)|不要)|"
                         r"\b(?:without|no) cultur(?:e|ing)\b|\bnot cultured\b|"
                         r"セルーション|Celution", re.I)  # Cytori's device separates the cells at the bedside
_SEPARATED = re.compile(r"分離|濃縮|抽出|取り出|separat|concentrat|isolat|セルーション|Celution", re.I)


def uncultured_kind(sentences: list[tuple[str, Block, str | None]]) -> str | None:
    """The adipose kind a page means when it says its stem cells are not cultured: cells separated from the fat on
    the day (分離・濃縮) are the stromal vascular fraction, fat used as it is is uncultured adipose tissue."""
    said = [s for s, _, _ in sentences if not re.search(r"第[一二三123１２３]種|class [123]|リスク", s, re.I)]
    if any(re.search(r"培養|cultur", _NO_CULTURE.sub("", s).replace("培養上清", ""), re.I) for s in said):
        return None  # the page also cultures (「培養する治療と、培養しないSVF療法」): each mention says its own kind
    for sentence in said:
        if _NO_CULTURE.search(sentence) and re.search(r"幹細胞|細胞|stem cell|cells", sentence, re.I):
            return "adipose_svf" if _SEPARATED.search(sentence) else "adipose_uncultured"
    return None


def with_uncultured(mentions: list[tuple], focus: set[str], kind: str | None) -> tuple[list[tuple], set[str]]:
    """Mentions and focus with the page's cultured-adipose reading replaced by the kind it says it uses."""
    if kind is None:
        return mentions, focus
    swap = {"adipose_cultured": kind}
    return [(swap.get(m[0], m[0]), *m[1:]) for m in mentions], {swap.get(code, code) for code in focus}


#: knee words that name a tendon (膝蓋腱, ジャンパー膝 = patellar tendinopathy, ランナー膝 = iliotibial band)
_TENDON_KNEE = re.compile(r"膝蓋(?:腱|靭帯|靱帯)|(?:ジャンパー|ランナー|ジャンパーズ|ランナーズ)\s?膝|(?:jumper|runner)'?s knee", re.I)


def _both_sites(sentence: str) -> bool:
    """「腱の治療と膝などの関節の治療にPRP」 names both sites; 「膝蓋腱炎…に関節の外からPRPを注射」 names one (the
    patellar tendon is a tendon, jumper's knee a tendon's pain, and 関節の外 says where the needle goes)."""
    sentence = _TENDON_KNEE.sub("腱", sentence)
    if OUTSIDE.search(sentence) and not INTRA.search(sentence):
        return False
    joint = INTRA.search(sentence) or re.search(r"膝|ひざ|関節の治療|knee", sentence, re.I)
    return bool(joint and EXTRA.search(sentence))


def section_site(section: str) -> str | None:
    """The PRP site a section is about: the only one its text names, or the one it names at least twice more often
    (tendon conditions under 「PRP療法」); None when it is not clearly one (a pitcher's elbow ligament told as an
    anecdote in a section about knee cartilage)."""
    text = _TENDON_KNEE.sub("腱", section)
    joint = len(INTRA.findall(text)) + len(_KNEE.findall(text)) + text.count("軟骨")
    outside = len(OUTSIDE.findall(text)) + len(EXTRA.findall(text))
    if joint == outside or (joint and outside and abs(joint - outside) < 2):
        return None
    return "prp_intra_articular" if joint > outside else "prp_other"


def focus_codes(texts: list[str], page_condition: str, known: set[str],
                sections: dict[str, str] | None = None) -> set[str]:
    """Therapies the page is about: named in its title or main heading (a generic 幹細胞治療 there is the kind of
    stem cells the page names; a PRP heading over a section about tendons is PRP outside the joint)."""
    codes = set()
    for text in texts:
        for _match, clause in mentions_in(text):
            code = resolve(classify_therapy(clause), clause, text, known, page_condition)
            if code in PRP_SITES and sections and text in sections and not _prp_site(text):
                code = section_site(sections[text]) or code
            if code:
                codes.add(code)
    return codes


#: the therapy as what patients have already had (「幹細胞治療を受けた方のリハビリをお引き受けしています」「PRP療法後の
#: ケア」): the sentence offers the care that follows it, not the therapy
_RECEIVED = re.compile(r"[^、。]{0,6}?(?:を受けた|を受けられた|を受けて(?:いる|おられる|こられた))\s?(?:方|患者|人|後)|"
                       r"[^、。]{0,6}?(?:の後|後)の(?:リハビリ|ケア|運動|経過|アフターケア)|"
                       r"[^,.]{0,12}?\b(?:patients who (?:had|received|underwent)|after (?:the )?(?:treatment|injection))", re.I)

#: a clause that ends 「…ではなく」 sets its therapy aside for another (「PRP療法ではなく、APS治療を」)
_NOT_THIS = re.compile(r"(?:療法|治療|注射|PRP|APS)(?:で|じゃ)は?なく(?:て)?[、,]?\s*$")


def _offer_said(clause: str, sentence: str, heading: str | None, own: re.Pattern[str] | None = None) -> str:
    """What the page says of one mention (see :func:`mention_is_offer`): the clause first, so 「PRPは行っていますが、
    APSは行っていません」 denies APS only, then the sentence, so 「当院では、PRP療法を行っています」 offers PRP.
    ``own`` is the clinic's own name: a clinic naming itself (「あさぐも整形外科クリニックでは…を提供」) speaks as 当院,
    and magazines write of it as 同院."""
    if own is not None:
        clause, sentence = own.sub("当院", clause), own.sub("当院", sentence)
    if _NOT_THIS.search(clause):
        return "denied"  # 「当院ではPRP療法ではなく、このAPS治療を実施しています」: PRP is what the clinic does not do
    said = mention_is_offer(clause, heading, announcements=False)
    if said in ("denied", "offer"):
        return said
    if NOT_OFFERED.search(sentence):
        # 「関節の中に注射するPRP療法は、当院では行っていません」: the denial is the sentence's, so the mention's; in
        # a sentence that also offers something (「PRPは行っていますが、APSは…」) only the clause can say
        return said if OFFER_VERB.search(NOT_OFFERED.sub("", sentence)) else "denied"
    return mention_is_offer(sentence, heading)


def offered_and_mentioned(mentions: list[tuple], page_condition: str, priced: set[str], focus: set[str],
               column: bool, own_name: str | None = None) -> tuple[list[dict], list[dict]]:
    """(offerings, mentions): a therapy is offered when the page prices it, says it performs or books it, or
    (outside a column post) is about it, naming it in its title, main heading or a treatment heading; a therapy
    the page denies is a mention whatever else it says, and so is one it only explains or compares."""
    said: dict[str, set[str]] = {}
    first: dict[str, tuple] = {}
    own = re.compile(r"\s?".join(map(re.escape, own_name.split()))) if own_name and len(own_name) >= 4 else None
    codes_in = {}
    for code, _, _, sentence, _ in mentions:
        codes_in.setdefault(sentence, set()).add(code)
    shared_offer: dict[str, bool] = {}  # every offer of the code said in a sentence that names another therapy too
    for code, match, clause, sentence, heading in mentions:
        first.setdefault(code, (match, sentence))
        after = clause[clause.find(match.group(0)) + len(match.group(0)):]
        if _RECEIVED.match(after):
            said.setdefault(code, set()).add("silent")  # the verb's object is care for those who had it
            continue
        word = _offer_said(clause, sentence, heading, own)
        said.setdefault(code, set()).add(word)
        if word == "offer":
            shared_offer[code] = shared_offer.get(code, True) and len(codes_in[sentence]) > 1
    offered, mentioned = [], []
    for code, words in said.items():
        match, sentence = first[code]
        if "denied" in words and code not in priced and ("offer" not in words or shared_offer.get(code)):
            # 「当院で行うPFC-FDは、このPRPを濃縮し…」 then 「PRP療法は行っておりません」: the offer was the other
            # therapy's, the denial is this one's
            why = None
        elif code in priced:
            why = "priced"
        elif code in PRP_SITES and focus & {"pfc_fd", "aps"} and not focus & PRP_SITES and not (
                "offer" in words and not _PLAN_STATEMENT.search(sentence)):
            # a PFC-FD or APS page tells how PRP is drawn and processed (an ingredient), and names the PRP plan it
            # is given under (APS is filed as a PRP plan): neither is a second therapy
            why = None
        elif "offer" in words:
            why = "says it performs or books it"
        elif code in focus and not column and _umbrella(code, said, priced):
            # 「変形性膝関節症に対するPRP療法」 over a page that performs APS: the heading names the family APS is
            # filed under; a 「幹細胞治療」 title over a page that performs cultured adipose cells names that kind
            why = None
        elif code in focus and not column:
            why = "the page is about it"
        elif "procedure" in words and not column:
            why = "describes performing it"
        elif "listed" in words and not column:
            why = "listed among its treatments or fees"
        elif code in PRP_SITES and not column and "compared" not in words and _ROW_OF_SERVICES.search(
                sentence) and (PRP_SITES - {code}) & {c for c, w in said.items()
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


def _umbrella(code: str, said: dict[str, set[str]], priced: set[str]) -> bool:
    """A therapy the page is only about (its title or heading) whose family member the page says it performs."""
    performed = {c for c, words in said.items() if "offer" in words} | priced
    if code == "prp_intra_articular":  # APS and PFC-FD are joint therapies; PRP for tendons is another therapy
        return bool(performed & {"aps", "pfc_fd"}) and not performed & PRP_SITES
    return code == "other" and bool(performed & set(STEM_CODES))


def site_therapy(offering: dict, site_codes: set[str]) -> str:
    """A page's generic 幹細胞 (``other``) is the one kind of stem cells the rest of its site names.

    A column saying only 「幹細胞治療」 on a site whose treatment page offers cultured adipose-derived cells is about
    those cells; with no kind or several kinds named, it stays ``other`` (guessing would make an unfiled claim
    look filed).
    """
    text = " ".join(filter(None, (offering.get("therapy_printed"), offering.get("excerpt"))))
    if offering.get("therapy") != "other" or SPECIFIC_OTHER.search(text) or not (
            _GENERIC_STEM.search(text) or "줄기세포" in text):  # stem cells on a Korean page
        return offering.get("therapy") or "other"
    stems = site_codes & set(STEM_CODES)
    return stems.pop() if len(stems) == 1 else "other"


#: a sentence pointing back at treatments just described (「上記の椎間板内注入」「これらの治療」), or on to those
#: listed next (「下記の治療について、計画が受理されました」)
_BACK_REFERENCE = re.compile(r"(?:(?:上記|前記|以上|これら|こちら|これ|下記|以下|次|どちら|両方|いずれ)の|この)[^。、]{0,12}?"
                             r"(?:治療|注射|注入|療法|施術|再生医療|投与|点滴)|"
                             r"\b(?:these|the above|all of these) (?:treatments|therapies|injections|procedures)\b", re.I)


def offered_by_reference(offerings: list[dict], mentioned: list[dict], mentions: list[tuple],
                         sentences: list[tuple[str, Block, str | None]]) -> tuple[list[dict], list[dict]]:
    """「当院では、上記の椎間板内注入を…外来にて行っています」: a sentence in the clinic's voice that performs the
    treatments its section (or, when it stands alone under its heading, the section before) has just explained
    offers them; therapies that section compares or denies stay mentions."""
    explained = {m["therapy"]: m for m in mentioned if m["why"] == "explained only"}
    headings = [heading for _, _, heading in sentences]
    for index, (sentence, _block, heading) in enumerate(sentences):
        if not explained or not _BACK_REFERENCE.search(sentence) or not OFFER_VERB.search(sentence):
            continue
        if THERAPY_WORDS.search(sentence) or NOT_OFFERED.search(sentence):
            continue
        section = [s for s, _, h in sentences[:index] if h == heading]
        if re.search(r"(?:下記|以下|次)の", sentence):  # 「当院が申請していた下記の治療について…受理されました」
            # the list that follows: under this heading, or under the items' own headings (<h3>APS療法</h3>…)
            section = [s for s, _, h in sentences[index + 1:] if h == heading] or [
                s for s, _, _h in sentences[index + 1: index + 9]]
        codes = {code for code, _m, _c, s, _h in mentions if s in section and code in explained}
        if not codes:
            before = [h for h in headings[:index] if h != heading]
            previous = before[-1] if before else None
            codes = {code for code, _m, _c, _s, h in mentions if h == previous and previous and code in explained}
        for code in sorted(codes):
            if code == "other" and not SPECIFIC_OTHER.search(explained[code]["excerpt"]) and any(
                    o["therapy"] in STEM_CODES for o in offerings):
                continue  # a generic 幹細胞 beside the kind the page offers is that kind, not a second therapy
            mention = explained.pop(code)
            mentioned.remove(mention)
            offerings.append({"therapy": code, "therapy_printed": mention["therapy_printed"],
                              "condition": classify_condition(sentence), "excerpt": sentence[:200],
                              "offered_because": "says it performs what the page has just described"})
    return offerings, mentioned


#: soft tissues PRP is injected into outside a joint, and the joints it is injected into
_SOFT = re.compile(r"腱|靭帯|靱帯|筋肉|肉離れ|tendon|ligament|muscle", re.I)
_JOINT = re.compile(r"膝|ひざ|ヒザ|関節|knee|joint", re.I)
_RECOMMENDS = re.compile(r"おすすめ(?:します|しています)|お勧めします|ご提供します|ご案内しています|\bwe treat\b", re.I)


def voiced_sites(offerings: list[dict], mentioned: list[dict],
                 sentences: list[tuple[str, Block, str | None]]) -> tuple[list[dict], list[dict]]:
    """A page that offers PRP at one site and says, in its own voice, that it treats the other (「当院は、膝・靭帯・
    筋肉の痛み等…再生医療をご提供します」「We treat knee osteoarthritis and … tendon problems」) offers PRP there
    too. The sentence names no therapy but PRP (or none: 再生医療), so a stem-cell sentence lends nothing."""
    offered = {o["therapy"] for o in offerings}
    prp = offered & PRP_SITES
    if not prp or prp == PRP_SITES:
        return offerings, mentioned
    missing = (PRP_SITES - prp).pop()
    if any(m["therapy"] == missing and m["why"] == "denied" for m in mentioned):
        return offerings, mentioned
    wanted = _SOFT if missing == "prp_other" else _JOINT
    for sentence, _block, _heading in sentences:
        text = _TENDON_KNEE.sub("腱", sentence)
        # 「…腱板損傷などには傷んだ部分へ注射します」: a treatment page's own present tense, unless the page also gives a
        # joint product (APS, PFC-FD), whose injection it may be telling
        weak = WEAK_OFFER.search(text) and not offered & {"aps", "pfc_fd"}
        if not (OFFER_VERB.search(text) or _RECOMMENDS.search(text) or weak) or NOT_OFFERED.search(text):
            continue
        named = {classify_therapy(clause) for _m, clause in mentions_in(text)}
        if named - PRP_SITES or not wanted.search(re.sub(r"椎間関節", "", OUTSIDE.sub("", text))):
            continue  # 「関節の外からPRPを注射」 names no joint, nor does the spine's 椎間関節
        offerings.append({"therapy": missing, "therapy_printed": sentence[:40], "condition": classify_condition(text),
                          "excerpt": sentence[:200], "offered_because": "the page offers PRP and says it treats this site"})
        return offerings, [m for m in mentioned if m["therapy"] != missing]
    return offerings, mentioned
