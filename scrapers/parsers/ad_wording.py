"""What a clinic page says about the law: the five advertising disclosures and approval wording, by meaning.

**Disclosures** (医療広告ガイドライン: self-pay regenerative medicine may be advertised only with them). Clinics word
them freely, in a 「自由診療について」 box, a table or spread over the page, in Japanese or English, so each item is
a set of phrasings that carry its meaning, and the phrase found is kept as evidence:

- ``unapproved``: the product or treatment is not approved under the PMD Act (未承認, 承認を得ていない);
- ``source``: where it comes from (made in the clinic's own processing room, outsourced to a named CPC, a kit's
  maker, personal import);
- ``alternatives``: whether an approved drug or device with the same purpose exists in Japan
  (「国内で承認されている同一の目的の医薬品等はありません」 is this item, though it says 承認);
- ``risks``: safety information, reports from abroad included (副作用, リスク, 合併症);
- ``relief_system``: not covered by the relief system for adverse drug reactions (救済制度).

**Approval wording** attributes 認可/承認/許可 (approved, licensed) to the ministry, a health bureau or "the
state". A plan is a *filing*: 「厚生労働省に届出・受理」 is right, 「厚労省認可」 is not. Not approval wording: a
sentence that denies approval (未承認, 承認を受けていない), another country's approval (FDA), a processing
facility's licence (特定細胞加工物製造許可), a kit's or device's own approval, a committee's certification (認定).
"""

from __future__ import annotations

import re

DISCLOSURE_ITEMS = ("unapproved", "source", "alternatives", "risks", "relief_system")

_UNAPPROVED = (
    r"未承認|承認を(?:得|受け)て(?:い|お)(?:ない|りません|ません)|承認(?:されて|を受けて)?(?:い|お)?(?:ない|りません|ません)|"
    r"承認(?:の|が)(?:ない|ありません)|薬機法上の承認|医薬品医療機器等法(?:上|において|に基づく)?[^。]{0,12}承認|"
    r"承認(?:され|を受け)た[^。]{0,12}?(?:もの|医薬品|製品|医療機器|製剤)(?:等)?では(?:ありません|ない|ございません)|無承認|"
    r"(?:并非|並非|不是)[^。]{0,24}?(?:批准|核准|认可|認可|承认|承認)|未(?:经|經|获|獲)?(?:得)?(?:批准|核准)|"
    r"not (?:been )?approved|unapproved|has not received (?:\w+ )?approval|without (?:\w+ )?approval|"
    r"not (?:an )?approved (?:drug|product|medical)|"
    r"(?:is|are) not (?:a|an)\b[^.]{0,60}?approved (?:under|by|in)"
)
_SOURCE = (
    r"入手経路|入手先|入手方法|院内(?:の|に(?:ある|設置した?))?(?:細胞)?(?:培養|加工|調製)|院内で(?:調製|加工|製造|培養|作製|精製)|"
    r"院内で[^。]{0,40}?(?:作製|作成|調製|加工|精製|分離)し|"
    r"(?:ご自身|ご自分|自己)の[^。]{0,20}?から採取して[^。]{0,8}?(?:精製|分離|加工|培養|抽出)|"
    r"(?:当院|当クリニック|自院)(?:の|内の|併設の)?(?:細胞)?(?:培養|加工)(?:室|施設|センター)|自院で|"
    r"(?:細胞培養加工施設|細胞加工施設|培養施設|加工施設|CPC|培養センター|加工センター)(?:で|にて|に|へ)(?:委託|製造|培養|加工)?|"
    r"(?:に|へ)(?:培養|加工|製造)を?委託|委託(?:先|して)|製造販売元|製造元|(?:社|製)の?(?:キット|専用キット|機器|装置|システム)|"
    r"個人輸入|国内で製造|(?:キット|kit)を(?:使用|用い|使って|使い)|"
    r"(?:株式会社|社)[)）]?(?:の[^。]{0,16}?)?(?:に|へ)(?:送|搬送|依頼|お願い|委託)|(?:に|へ)送られ[^。]{0,20}?(?:培養|加工|作製)|"
    r"(?:加工|培養|調製|作製)を院内で|細胞(?:培養)?加工(?:室|施設|設施)|[A-Za-zァ-ヴー]{2,}社製|細胞培養加工設施|"
    r"(?:our own|in-house) (?:\w+ )?(?:culture|processing|cell) (?:room|lab|laboratory|facility)|"
    r"kit (?:developed|made|designed) by|"
    r"processed (?:in|at|by)|obtained from|manufactured (?:in|at|by)|cultured (?:in|at|by)|prepared (?:in|at) our|"
    r"cell processing (?:center|centre|facility)|(?:kit|device|system) (?:made|manufactured|supplied) by|imported"
)
_ALTERNATIVES = (
    r"(?:同一|同じ|同様|同等)(?:の)?(?:成分|性能|目的|効能|効果)|同等の(?:承認|医薬品|医療機器|製品)|"
    r"国内(?:で|において)?(?:は)?承認(?:の|済みの|された)?(?:医薬品|医療機器|製品|再生医療等製品)|"
    r"承認[^。]{0,20}(?:医薬品|製品|医療機器)(?:等)?(?:は|が)(?:ありません|存在しません|ない|ございません)|代替(?:となる|可能な|の|する)?(?:治療|医薬品|製品|手段)?|"
    r"国内(?:で|において)?(?:は)?承認(?:され|済み|を受け)[^。]{0,20}(?:医薬品|医療機器|製品|もの)|"
    r"(?:他に|ほかに|他の)[^。]{0,12}承認[^。]{0,12}(?:医薬品|医療機器|製品|もの)|"
    r"承認(?:され|を受け)た[^。]{0,10}(?:医薬品|医療機器|製品)(?:等)?(?:は|が)(?:ありません|存在しません|ない|ございません)|"
    r"(?:no|an?) (?:equivalent |other |alternative )?approved (?:drug|product|device|alternative|medicine|treatment)s?|"
    r"approved alternative|no (?:equivalent|alternative) (?:approved )?(?:drug|product|treatment|device)"
)
_RISKS = (
    r"副作用(?!被害)|副反応|リスク|合併症|有害事象|危険性|感染(?:症)?の(?:おそれ|恐れ|可能性)|重篤な|重大な[^。]{0,8}報告|"
    r"(?:痛み|腫れ|はれ|内出血|赤み|熱感|発熱|しこり|感染)(?:が|や|・|、)[^。]{0,30}?"
    r"(?:出る|出た|生じる|起こる|起きる|みられる|現れる|続く)(?:こと|場合)(?:が|も)(?:あります|ございます)|"
    r"side[- ]effects?|risks?\b|complications?|adverse (?:events?|effects?|reactions?)|safety information"
)
#: risk words that disclose nothing: a claim of low risk (副作用が少ない, minimal side effects), another treatment's or
#: drug's side effects (ほかの薄毛治療の副作用, 痛み止めの副作用), the Act's risk classes (第一種（高リスク）)
_NO_RISK_AFTER = re.compile(r"^(?:の|が|も|は)?(?:心配|少な|低い|低く|起こりにく|起きにく|抑え|ほとんど|ない|なく|ありません|"
                            r"による分類|が心配|の大きさ|に応じ|が高いと考えられ|が出やすい)|"
                            r"^\s*(?:of|from) (?:chemo|radio|recurrence|surgery|anti-?cancer)", re.I)
_NO_RISK_BEFORE = re.compile(r"(?:ほかの|他の|薬|ヒアルロン酸|痛み止め|ステロイド|抗がん剤|内服|[高中低]|拒絶反応などの)"
                             r"[^。、]{0,12}$|(?:minimal|few|little|no|low|fewer|high|lower the)\s+$", re.I)
_RELIEF = (
    r"救済制度|救済の対象|被害救済|副作用被害|relief (?:system|service|program|fund)|"
    r"(?:compensation|relief) (?:for|of) adverse|adverse drug reaction relief"
)
DISCLOSURE_PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.I)
    for name, pattern in (("unapproved", _UNAPPROVED), ("source", _SOURCE), ("alternatives", _ALTERNATIVES),
                          ("risks", _RISKS), ("relief_system", _RELIEF))
}


def disclosures(text: str) -> dict:
    """{"present": [...], "missing": [...], "evidence": {item: phrase}} for a page's visible text."""
    evidence = {}
    for name, pattern in DISCLOSURE_PATTERNS.items():
        for match in pattern.finditer(text):
            if (name == "risks" and not _discloses_risk(text, match)) or (
                    name == "alternatives" and not _names_alternatives(text, match)):
                continue
            evidence[name] = text[max(0, match.start() - 20): match.end() + 20].strip()
            break
    present = [name for name in DISCLOSURE_ITEMS if name in evidence]
    return {"present": present, "missing": [d for d in DISCLOSURE_ITEMS if d not in evidence], "evidence": evidence}


def _names_alternatives(text: str, match: re.Match[str]) -> bool:
    """「国内で承認された医薬品ではありません」 says the treatment is unapproved, not whether an approved alternative
    exists; 「同じ効果が出るわけではなく」 is about results unless the sentence speaks of approved products."""
    if re.match(r"(?:等|・[^。]{0,10})?では(?:ありません|ない|ございません)", text[match.end():]):
        return False
    if re.match(r"(?:同一|同じ|同様|同等)(?:の)?(?:効果|効能)", match.group(0)):
        start = max(text.rfind("。", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
        end = min(i for i in (text.find("。", match.end()), text.find("\n", match.end()), len(text)) if i >= 0)
        return bool(re.search(r"承認|医薬品|医療機器|製品", text[start:end]))
    return True


def _discloses_risk(text: str, match: re.Match[str]) -> bool:
    """A risk word that tells a risk of this treatment (see ``_NO_RISK_AFTER`` and ``_NO_RISK_BEFORE``)."""
    line_start = max(text.rfind("\n", 0, match.start()), text.rfind("。", 0, match.start())) + 1
    line_end = min(i for i in (text.find("\n", match.end()), text.find("。", match.end()), len(text)) if i >= 0)
    before, after = text[line_start: match.start()], text[match.end(): match.end() + 12]
    if "報告" in match.group(0) or re.match(r"の報告", text[match.end():]):
        return True  # 「重大なリスクの報告はありません」 is the guideline's item: reports of serious risks, or none
    if re.search(r"(?:か|ですか)\s*[？?]?\s*$", text[match.end(): line_end]):
        return False  # 「副作用や限界について説明があるか」: a checklist's or an FAQ's question
    return not (_NO_RISK_AFTER.search(after) or _NO_RISK_BEFORE.search(before))


#: the ministry, a bureau or the state; 各国・諸外国・米国・中国地方, 国立 and a Chinese page's 我国 (China) are not the
#: Japanese state
_AUTHORITY_JA = (r"(?:厚生労働省|厚労省|厚生労働大臣|厚労大臣|厚生省|厚生局|地方厚生局|(?<![各諸他全外米英韓中四両我])国(?![内外際民立])|政府|行政|保健所|"
                 r"후생노동성|후생성|厚生劳动省|厚生勞動省)")  # the ministry in Korean and Chinese pages for patients abroad
_APPROVAL_VERB_JA = r"(?:認可|承認|許可|お墨付き|認められ|認めた|승인|허가|인가|인증|批准|许可|认可|核准|认证|認證)"
_APPROVAL_JA = re.compile(
    rf"{_AUTHORITY_JA}[^。！\n]{{0,30}}?(?<!未){_APPROVAL_VERB_JA}"
    # 「認可を厚生労働省から受けて」: the approval named before the ministry
    rf"|(?<!未)(?:認可|承認|許可)を{_AUTHORITY_JA}(?:から|より)(?:受け|得|取得)"
    # 「厚生労働省から施設認定されました」「厚労大臣から認定を受けた治療」: certified by the ministry, which a filing is not
    # (a committee is certified by it, which is true: see the committee check in approval_wording)
    rf"|{_AUTHORITY_JA}(?:から|より)の?[^。、]{{0,6}}?認定(?:を(?:受け|得|取得)|され)"
    # 「厚生労働省認定クリニック」: certified by the ministry, as a facility's title
    rf"|{_AUTHORITY_JA}(?:の)?認定(?:の)?(?:クリニック|医療機関|施設|病院|医院)"
    r"|(?<!未)(?:認可|承認)(?:済み|を受けた|を取得|された|取得)(?:の)?(?:再生医療|治療|クリニック|医院|(?:医療)?施設|医療機関)"
    r"|(?<!未)(?:認可|承認|許可)を(?:受け|得)て(?!いない|おらず|いません|おりません)(?:いる|おり|います)?[、,]?"
    r"(?:提供|行|実施|治療)"
    r"|(?:当院|当クリニック|当センター|当病院)(?:は|が|も)[^。]{0,40}?(?<!未)(?:認可|承認|許可)(?:を(?:受け|得|取得)|され)"
    # the therapy itself said to be approved, the state understood: 「PRP療法の承認がおりました」「この治療法は…認可された」
    r"|(?:療法|治療法?|再生医療)の(?<!未)(?:承認|認可)が(?:おり|下り)"
    r"|(?:療法|治療法?|再生医療)(?:として)?の(?<!未)(?:承認|認可)を(?:受け|うけ|得|取得)"  # 「再生療法としての認可を受ける」
    r"|(?:療法|治療法)は[^。]{0,20}?(?<!未)(?:認可|承認)され(?:た|ました|ています|ており)"
    r"|(?:順次|正式に)(?:認可|承認)を受け"
    # 「第二種再生医療の公認医療機関」: officially recognised, which a filing never makes a clinic
    r"|(?<!非)公認(?:の)?(?:医療機関|クリニック|医院|施設|病院)"
    # 「再生医療等提供計画の認可を受け」: a plan is filed and accepted, never authorised
    r"|計画(?:の|が|は|を)[^。]{0,12}?(?<!未)(?:認可|承認)(?:を(?:受け|得|取得)|され)"
    r"(?!ていない|ておらず|ていません|ておりません)"
)
_DENIAL_JA = re.compile(
    r"^(?:を)?(?:得て|受けて|されて|て)?(?:い|お)?(?:ない|ません|りません|らず)|^ではな|^ではありません|^とは(?:異な|違)|^ではなく|^を受けたもの(?:ではな|とは)"
)
#: sentences about something other than the clinic's therapy being approved: abroad, a lab's permit, a device
#: an approval aimed at, not had: 「承認を目指す」「承認取得に向けて」 (an application the law is said to require,
#: 「厚生労働省への認可申請が必要です」, misstates it and stays a claim)
_SOUGHT_JA = re.compile(r"(?:取得)?(?:を|に|の)?(?:目指|めざ|向け|むけ)")
_OTHER_SUBJECT_JA = re.compile(
    r"FDA|米国|アメリカ|欧州|欧米|海外|諸外国|韓国|中国|台湾|"
    r"(?:細胞)?(?:培養)?加工(?:物)?(?:施設|製造)|製造許可|CPC|培養施設|細胞の?加工|(?:細胞)?培養センター|加工センター|"
    r"医療機器|キット|デバイス|機器として|医薬品として|薬事承認|製造販売|保険適用|"
    r"株式会社|有限会社|[(（]株[)）]|へ搬送|に委託|委託先|"
    r"[ァ-ヴーA-Za-z]{2,}社(?![団会])|同社|"  # 「国から認可を受けたセルソース社が製造」: a company's licence
    r"(?:承認|認可|許可)(?:済み)?の(?:人工骨|人工関節|製品|材料|薬剤|医薬品|器具|装置)"  # 「厚生労働省認可の人工骨」: a product
    r"|再生医療等製品|(?:を受けた|された)(?:製品|医薬品|医療機器)"  # 「ジャックは…承認を受けた再生医療等製品です」
)
_APPROVAL_EN = re.compile(r"(?<!\w)(?<!non-)(?<!un-)(approved|licensed|licen[cs]ed|accredited|authori[sz]ed|sanctioned|permitted|"
                          r"approval|authori[sz]ation)\b", re.I)  # "obtain approval", "authorisation from the ministry"
_AUTHORITY_EN = re.compile(
    r"MHLW|Ministry|government|the state\b|\bnational(?:ly)?\b|Japanese law|health (?:authorit|bureau)|regulator|legally|"
    r"(?:health|welfare) bureaus?",
    re.I,
)
_NEGATION_EN = re.compile(r"\b(?:not|never|un|no|neither|nor|isn't|aren't|hasn't|haven't|without|lacks?|lacking)\b[^.]{0,25}$",
                          re.I)
_OTHER_SUBJECT_EN = re.compile(
    r"FDA|United States|U\.S\.|USA|Europe|EU\b|Korea|abroad|overseas|other countries|"
    r"processing (?:facility|center|centre)|laborator|\blab\b|device|kit\b|equipment|product|"
    r"committee|society",  # approved by a committee or a learned society: not the state
    re.I,
)


#: an approved regenerative product (JACC's cultured cartilage, JACE's cultured epidermis): truly approved, no clinic's
#: therapy
_PRODUCT_EN = re.compile(r"regenerative (?:medical )?products?|cultured (?:cartilage|epidermis)|\bJAC[CE]\b", re.I)


def _clause_around(sentence: str, start: int, end: int) -> str:
    left = max(sentence.rfind(mark, 0, start) for mark in "、,;；") + 1
    return sentence[left: end + 30]


_QUESTION = re.compile(r"(?:か|の|かな)\s*[？?]\s*$|^\s*(?:Q[.:．：]?\s*)?(?:Is|Are|Was|Were|Has|Have|Does|Do|Did|Can)\b[^.!]*\?\s*$")


#: a sentence that warns against approval wording (quoting it as misleading, forbidden or untrue)
_WARNS_OF_IT = re.compile(r"(?:かの|の)ような(?:書き方|表現|表示|記載|広告|誤解)|誤解を(?:招|与え)|(?:表示|表現|記載|広告)(?:は|が)?"
                          r"(?:禁止|違反|できません|認められていません)|注意喚起|虚偽|誇大|"
                          r"(?:承認|認可|許可)[」』]?(?:の|という)?(?:ような|ものでは|わけでは)|"
                          r"\b(?:misleading|false(?:ly)? claim|prohibited|not allowed to (?:say|claim|advertise))\b", re.I)


def approval_wording(sentences: list[str]) -> list[dict]:
    """Phrases that attribute approval or a licence to the state, each with its sentence."""
    found = []
    for sentence in sentences:
        if _QUESTION.search(sentence):
            continue  # 「国に承認された治療ですか？」: an FAQ asks it; the answer is what the page claims
        if _WARNS_OF_IT.search(sentence):
            continue  # 「…承認を受けて」のような書き方は誤解を招く: a warning against the wording quotes it, and claims nothing
        if re.search(r"公的医療保険|保険適用|保険診療|(?:健康)?保険(?:が|で|でも)[^。]{0,10}?(?:使え|適用|受けられ)|insurance covers|"
                     r"covered by (?:public )?insurance", sentence, re.I):
            # 「…厚生労働省により承認され、公的医療保険で受けられる」: an approved, insured product, truly approved;
            # 「保険で治療を受けられるようになるには…国に認められる必要があります」: how insurance coverage comes, truly
            # (a clinic's 「提供するには厚生労働省の許可が必要」 misstates the law and stays a claim)
            continue
        for match in _APPROVAL_JA.finditer(sentence):
            after = sentence[match.end(): match.end() + 14]
            if _DENIAL_JA.search(after) or "未承認" in match.group(0):
                continue
            if _SOUGHT_JA.match(after):
                continue  # 「国の承認を目指す治験」: an approval aimed at, which says it is not yet had
            if re.search(r"では(?:ありません|ない|なく)", sentence[match.end():].split("。")[0][:24].split("、")[0]):
                continue  # 「国から『許可』や『承認』を受けて行うものではありません」「…承認を受けた治療ではありません」: denied
            clause = _clause_around(sentence, match.start(), match.end())
            if _OTHER_SUBJECT_JA.search(clause) and not re.search(r"再生医療|治療|当院|クリニック", match.group(0)):
                continue
            if re.match(r"[^。]{0,24}?(?:委員会|委员会|委員會|위원회)", sentence[match.end():]) and not re.search(r"当院|クリニック", match.group(0)):
                continue  # 「厚生労働省が認可した特定認定再生医療等委員会」: said of the committee, not of a clinic or a therapy
            found.append({"printed": match.group(0), "context": sentence[:200]})
        for match in _APPROVAL_EN.finditer(sentence):
            window = sentence[max(0, match.start() - 70): match.end() + 70]
            if not _AUTHORITY_EN.search(window) or _NEGATION_EN.search(sentence[: match.start()]):
                continue
            if _OTHER_SUBJECT_EN.search(sentence[max(0, match.start() - 50): match.end() + 40]) or _PRODUCT_EN.search(
                    sentence):
                continue
            found.append({"printed": match.group(0), "context": sentence[:200]})
    return found
