"""Offered or only mentioned, and what kind of amount a yen figure is: the context around a therapy or a price.

Clinic sites explain therapies they do not offer (column posts comparing PRP, APS, PFC-FD and stem cells,
"other treatments" sections, FAQ answers, 「当院では行っていません」), and their FAQ and price tables put
consultation fees, tests, insurance co-pays and cancellation charges beside therapy prices. A therapy is
*offered* when the page prices it, books it or says the clinic performs it; a page that is about one therapy (its
title or main heading names it, outside a column) offers that therapy. Everything else is a *mention*: kept for
analysts, never given a verdict.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from readers.identifiers import PLAN_NUMBER

#: the words a clinic, or the corporation running it, names itself by (当院, 当クリニック, 当法人)
_CLINIC_SELF = "当院|当クリニック|当医院|当センター|当科|当病院|当法人"
#: the clinic says it performs the therapy (当院では…を行っています, we offer…)
OFFER_VERB = re.compile(
    r"(?:当院|当クリニック|当医院|当センター|当科|当病院|本院|弊院|私たち|われわれ)の(?:再生医療|治療|施術)は|"
    r"(?:当院|当クリニック|当医院|当センター|当科|当病院|当法人|本院|弊院|私たち|われわれ|同院|同クリニック|同病院|"
    r"私ども(?:の(?:クリニック|医院|病院))?|"
    r"(?<![一-龥])[一-龥]{2,4}(?<![病医])院(?=では))"
    r"(?:で|に|は|では|でも|にて|が)[^。]{0,60}?"
    r"(?:行って|行なって|おこなって|実施して|提供して|受けられ|受けていただけ|受けることが(?:でき|可能)|取り扱って|取扱って|導入して|対応して|施術して|治療して|"
    r"使って|用いて|使用して|活用して|利用して|応用して|担当して|はかって|図って|取り組んで|手がけて|始める|受け持|"
    r"取り入れて|採り入れて|ご?提案して|おすすめして|お勧めして|"
    r"行います|おこないます|実施します|提供します|可能です|承って|ご用意|お受け|行う|おこなう|実施する|提供する|"
    r"注射し|投与し|注入し|受理され)"
    r"|(?:を|の|も)(?:行って|おこなって|実施して|提供して|導入して|取り扱って|注射して|投与して|注入して|取り入れて|採り入れて|"
    r"ご提案して|提案して|対応して)(?:い|お)(?:ます|ります)"
    r"|(?:以前から|これまで|長年)(?:行って|おこなって|実施して|提供して)(?:き(?:た|ました)|いる|おり)"
    # 「以前から行っているPRP-FDもご相談いただけます」 (not 「膝の痛みでお悩みの方もご相談ください」, an invitation to all)
    r"|(?:療法|治療|注射|点滴|FD|PRP|APS)(?:も|は)、?ご相談(?:いただけ|を承って)"
    # 「当院では、…脂肪を採り、…幹細胞を…培養し、必要な数まで増やしてから投与しています。」: the topic 当院では
    # governs the sentence's last verb, however long the steps told between them
    rf"|^(?:{_CLINIC_SELF})(?:では|は|でも|にて)[^、。]{{0,6}}?[、,][^。]{{0,160}}?"
    r"(?:行って|おこなって|実施して|提供して|投与して|注射して|注入して|施術して|使って|用いて|使用して|活用して|"
    r"取り入れて|導入して)(?:い|お)(?:ます|ります)。?\s*$"
    # 「PRPFについてのご相談は、診察の際にお気軽にどうぞ」「PRP療法をご希望の方は、お気軽にお問い合わせください」: the
    # clinic invites the reader to ask it for the therapy (「専門医にご相談ください」 is advice, and says neither)
    r"|(?:についての|に関する|の)ご相談は[^。]{0,30}?(?:お気軽に|承って|受け付けて|どうぞ)"
    r"|(?:をご希望|にご興味|に興味)(?:の|が)(?:ある)?方は[^。]{0,30}?(?:お気軽に|当院|お問い合わせ|ご予約)"
    # 「…PRPを膝に注射する治療を、症状に合わせてご提案します」: the humble ご…します is the clinic speaking
    r"|(?:を|も)[、,]?[^。]{0,16}?(?:ご提案|ご提供)(?:します|いたします|して(?:います|おります))"
    # 「当センターの設備を用いて行ってきた…は、先進医療として実施されています」: what the clinic has done, and what is
    # done there, told in the passive
    rf"|(?:{_CLINIC_SELF}|本院)の[^。]{{0,30}}?(?:行って|実施して|提供して)き(?:た|ました)"
    rf"|(?:{_CLINIC_SELF}|本院)[^。]{{0,80}}?(?:実施|施行|提供)されて(?:います|おります)"
    r"|(?:ご)?提供中(?:です|でございます|となって)"  # 「現在は『PRP-FD注射』としてご提供中です」
    # 「…も当院にお任せください」「…なら当院へ」「当院は…の提供施設です」「当院の…の治療実績は500件」「メニューに加えました」
    # 「…を受け付けております」: the clinic speaking of what it does, in the words sites use
    rf"|(?:も|は|なら)(?:{_CLINIC_SELF})(?:に)?(?:お任せ|まかせ|おまかせ|へ[。!！]?\s*$)"
    rf"|(?:{_CLINIC_SELF})は[^。]{{0,40}}?の(?:提供|実施)(?:施設|医療機関|機関)"
    rf"|(?:{_CLINIC_SELF})(?:の|での)[^。]{{0,40}}?(?:治療|施術|症例)?実績は"
    r"|メニューに(?:加え|追加し)(?:ました|ています)"
    r"|(?:を|も)[^。]{0,6}?受け付けて(?:い|お)(?:ます|ります)"
    # a list's item or label in the clinic's shorthand: 「ひざ関節のPRP療法に対応」「対応可能な治療：PRP、APS」
    r"|(?:に対応(?:可能|可|中)?|実施中|導入済み?|取り?扱い(?:あり|中))\s*$"
    r"|(?:対応可能|実施可能|提供可能|提供中|実施中)な?(?:治療|施術|再生医療|メニュー)\s*[:：]"
    # Chinese and Korean pages for patients from abroad: 「本院提供…」「我们诊所提供…」「저희 클리닉에서는 …를 시행하고 있습니다」
    r"|(?:本院|我院|敝院|本诊所|本診所|我们(?:的)?诊所|我們(?:的)?診所)[^。]{0,10}?(?:提供|进行|進行|施行|实施|實施|开展|開展)"
    r"|(?:저희|당원|본원)[^.。]{0,60}?(?:시행|제공|실시)하고 있습니다"
    r"|\d+\s*(?:症例|例|件|名)(?:で|に|の患者さんに)?(?:実施|施行)し|(?:治療|施術|提供)を開始して(?:い|お)"
    r"|私が(?:行って|おこなって|実施して)い"
    r"|(?:を|も)(?:行う|おこなう|提供する|実施する|専門とする|専門に行う)[^。]{0,12}?(?:クリニック|医院|病院|歯科|整形外科)"
    r"(?:です|である|として)"
    # 「幹細胞を用いた再生医療や薄毛治療などを手がける「グランプロクリニック銀座」が」: an article's clinic, by what it does
    r"|(?:を|も)(?:手がける|手掛ける|行う|提供する)[「『]?(?:当院|[^。、「」]{1,20}?(?:クリニック|医院|病院|歯科|整形外科))[」』]?"
    r"(?:が|は|では|で|の)"
    # 「当院の脂肪由来幹細胞を用いた治療（脳梗塞、…）も、」「当法人（○○クリニック/△△クリニック）の…治療は」
    rf"|(?:{_CLINIC_SELF})(?:[（(][^）)]{{1,40}}[）)])?の[^。、]{{1,20}}?"
    r"(?:再生医療|治療|施術|療法|注射|点滴)(?:[（(][^）)]{0,40}[）)])?(?:は|では|も[、,])"
    r"|診療内容|診療科目|取扱い?治療|対応(?:疾患|治療)"
    r"|(?:we|our (?:clinic|doctors|team|hospital)) (?:(?:then|also|now|currently|first|have been|are|have|had|will|can|"
    r"continue to) )*(?:offer|provide|perform|administer|carry out|deliver|use|treat|take|harvest|culture|grow|inject|"
    r"infuse|give|draw)(?:s|ed|ing)?\b"
    # "Patients can receive PRP at our clinic", "… is available here", "one of the few clinics in Osaka offering PRP"
    r"|\b(?:at|in) our (?:clinic|hospital|cent(?:er|re)|practice)\b|\bavailable here\b"
    # the clinic's own name, read as 当院 (see clinic_therapies._offer_said): "Sakura Orthopedics provides …"
    r"|当院\s+(?:(?:also|now|currently) )?(?:offers|provides|performs|administers|treats)\b|\b(?:at|from) 当院"
    r"|\bwe are (?:one of )?(?:the )?(?:few |only |first )?(?:clinics?|hospitals?|practices?)\b[^.]{0,40}?"
    r"(?:offering|providing|performing|that (?:offers?|provides?|performs?))"
    r"|\binterested in\b[^.]{0,60}?\b(?:contact|call|book|consult|visit|ask) (?:us|our)\b"
    r"|\b(?:schedule|request|make) (?:a|an|your) (?:consultation|appointment)\b"
    r"|(?:is|are) (?:available|offered|performed|provided) (?:at|in) (?:our|this)"
    # "our stem cell therapy is…", "Our treatments use cultured stem cells": the clinic's own therapy (当院の治療は)
    r"|\bour\s+(?:[\w-]+\s+){0,3}?(?:therapy|therapies|treatments?|injections?|infusions?|procedures?|programs?|"
    r"programmes?|services?|protocols?)\b"
    r"|\b(?:clinic|hospital|cent(?:er|re))\s+(?:currently\s+|now\s+|also\s+)?(?:offers|provides|performs|treats|administers)\b"
    r"|\bwe (?:have )?(?:started|began|introduced|launched|conduct(?:ed)?)\b"
    r"|\b(?:used|utili[sz]ed|performed|administered|offered) (?:\w+ ){0,2}(?:in|at|by) our\b"
    r"|(?:当院|当クリニック|当科|当センター)(?:で|では)[^。]{0,30}?対象と(?:して|し|なる)"
    r"|(?:提供)?計画[^。]{0,60}?を[^。]{0,30}?(?:提出し|届出|届け出|受理され)"
    r"|(?:を|も)(?:採用|導入|実施)して(?:い|お)"
    r"|行え(?:る|ます)(?:ように|よう)?|始め(?:ます|ました)"
    r"|(?:ご予約|予約(?:受付|する|はこちら|可能|枠|を(?:承|受け|お取り))|(?:治療の流れ|施術の流れ|治療までの流れ|当日の流れ)"
    r"(?!\s*(?:とは|について|を解説|を説明))|お申し込み|treatment flow(?! (?:in general|explained))|"
    r"book (?:a|an|your)|\breserve\b(?!d)|appointment)",  # not "All Rights Reserved"
    re.I,
)
#: an announcement that the clinic starts a therapy (「PRP療法を導入します」「…をはじめることになりました」
#: 「取り扱いを開始」): an offer, unless another institution is the one starting (「ある大学病院が臨床研究を開始しました」)
ANNOUNCED = re.compile(
    r"(?:を|も|の)[、,]?[^。、]{0,12}?(?:導入|開始|スタート)(?:いた)?し(?:ます|ました)|(?:を|も)はじめ(?:ます|ました)|"
    r"(?:を|も)(?:取り入れ|採り入れ)ました|"  # 「令和5年には、…PRPを用いた治療と、…先進医療を取り入れました」
    r"(?:はじめる|始める)ことに(?:なり|し)ました|(?:取り?扱い|受付|提供|診療)を?(?:開始|スタート)|"
    r"\b(?:now|newly) (?:offer(?:ing|s)?|available|introduced)\b",
    re.I,
)
#: a case report in the clinic's voice: 「右ひざの変形性膝関節症に対してPRP療法を2回行いました」; the same words told of a
#: study, another hospital or a treatment elsewhere (:data:`_NOT_OURS`) report someone else's work
_CASE_REPORT = re.compile(r"(?:を|に)[^。]{0,10}?(?:行い|実施し|施行し|投与し|注射し)ました")
_NOT_OURS = re.compile(r"研究|論文|報告|大学|病院|海外|米国|欧米|グループ|チーム|他院|前医|以前|かつて|試験|"
                       r"\b(?:study|trial|researchers?)\b", re.I)
_OTHER_ACTOR = re.compile(r"(?<!当)(?:大学|病院|研究所|研究機関|研究チーム|研究グループ|企業|メーカー|他院|海外|米国|欧米)"
                          r"(?:が|は|では|でも)|\b(?:university|researchers|hospitals?|compan(?:y|ies)) (?:has|have|is|are)\b",
                          re.I)
#: 「APS療法をご希望の方は、受診時にご相談ください」: the clinic takes requests for it, so it gives it
_ASK_FOR_IT = re.compile(r"(?:を|の)ご希望(?:の方|される方|の場合)(?:は|には|も)[^。]{0,40}?"
                         r"(?:ご相談|お申し出|お申し付け|お問い?合わせ|ご予約|お気軽に)")
#: …but not when it sends the patient elsewhere (「ご希望の方には、実施している医療機関をご紹介します」)
_REFERRED = re.compile(r"紹介|他院|他の医療機関|専門の医療機関|実施している(?:医療機関|施設|病院)")
#: self-pay care named at the start of a line (「自費診療のご案内」「●再生医療（自費診療）」「自由診療：」)
_SELF_PAY = r"^[\s●■◆・]*(?:再生医療\s*)?[（(]?(?:自費診療|自由診療|保険外診療)"
#: a box's title or a row's label naming self-pay care
SELF_PAY_TITLE = re.compile(_SELF_PAY + r"[)）]?(?:のご案内|のご紹介|メニュー)?\s*[:：]?")
#: a facts row labelled with self-pay care, then what it is (「自由診療 PRP療法」「●再生医療（自費診療） 自家多血小板血漿…」)
SELF_PAY_ROW = re.compile(_SELF_PAY + r"(?:[)）]|\s*[:：]|\s)\s*(?=[^\s。]+)"
                          r"(?!.*。\S)")  # a row's label and value, not a sentence that starts 「自由診療や…」
#: a table whose first column names facilities (「Clinic｜City｜MHLW License No.」「医療機関名｜所在地｜計画番号」): a
#: directory comparing clinics, whose rows' plan numbers are those clinics', not the page's own offer
_FACILITY_COLUMN = re.compile(r"^\s*(?:Clinics?|Hospitals?|Facilit(?:y|ies)|Providers?|Medical institutions?|"
                              r"(?:クリニック|医療機関|施設|病院|医院|診療所)名?|诊所|診所|医院|医疗机构|醫療機構|병원|클리닉)(?:\s|$)", re.I)
#: a therapy performed at another facility, in the passive (「順天堂大学病院で行われているPRP治療」)
_ELSEWHERE = re.compile(r"(?<!当)(?:大学病院|大学|病院|クリニック|医院|センター|施設|他院|海外|米国|欧米|欧州)でも?"
                        r"(?:行われ|実施され|提供され|使われ|用いられ|導入され)")
#: a procedure told in the clinic's own present tense (「当日ひざに投与します」): an offer on a treatment page, an
#: explanation in a column post
WEAK_OFFER = re.compile(r"(?:投与|注射|注入|施術|実施|処置|採取|採血|培養)(?:いた)?します(?![かが])|行います(?![かが])|"
                        r"(?:受けられ|受けていただけ)ます(?![かが])", re.I)
#: the clinic says it does not (当院では行っていません, we do not offer)
NOT_OFFERED = re.compile(
    r"(?:行って|おこなって|実施して|提供して|取り扱って|取扱って|導入して|対応して)(?:い|お)(?:ません|りません)|"
    r"(?:行|実施|提供|対応|取り扱)(?:い|し)?(?:ません|ておりません)|取り扱いはありません|対象外です|"
    r"(?:do|does) not (?:offer|provide|perform|carry|administer)|(?:is|are) not (?:offered|available|provided)|"
    r"not (?:offer|provide)ed (?:here|at our)|"
    # 「不提供培養脂肪幹細胞點滴」「시행하지 않습니다」: the same said on Chinese and Korean pages
    r"(?:不|未|没有|沒有)(?:提供|进行|進行|施行|实施|實施|开展|開展)|(?:시행|제공|실시)하지 않",
    re.I,
)
#: a heading about the clinic's own treatment (当院の再生医療, 当院でのPRP療法, 当クリニックの治療)
OWN_SECTION = re.compile(r"(?:当院|当クリニック|当科|当センター|当病院)(?:の|での|で(?:行って|おこなって|実施して|提供して|受けられ)"
                         r"(?:いる|おります|る)|が(?:行う|提供する))[^。？?]{0,10}?(?:再生医療|治療|療法|施術)|"
                         # a heading that starts 「提供している再生医療」「実施中の治療」: the page's own list, 当院 unsaid
                         r"^(?:提供して(?:いる|おります)|提供中の|実施して(?:いる|おります)|実施中の|行って(?:いる|おります)|"
                         r"取り扱って(?:いる|おります)|取扱中の|受けられる)(?:再生医療|治療|療法|施術|メニュー)|"
                         r"^(?:treatments|therapies|services) (?:we|offered|available)", re.I)
_SETS_AGAINST = re.compile(r"よりも|と比べ|に比べ|とは違|と異な|のように|in contrast|unlike|compared|"
                           # 「幹細胞は…骨髄などからも得られますが、当院が脂肪由来の幹細胞を選んでいるのは」: the others
                           r"からも(?:得られ|採れ|取れ|採取でき)|を選んで|を選択して")
#: sections and pages that explain or compare rather than offer
MENTION_SECTION = re.compile(
    # 「膝が痛いときの新しい選択肢」 promotes the clinic's own therapy; 「治療の選択肢」 lists several
    r"比較|違い|ちがい|相違|との差|その他の治療|他の治療|ほかの治療|治療法の種類|治療の選択肢|(?<!新しい)(?<!新たな)選択肢|種類と特徴|一般的な|"
    r"保存療法|手術療法|コラム|ブログ|記事|豆知識|相場|"
    r"compar|difference|versus|\bvs\.?\b|other (?:treatments|options)|alternatives|types of|column|blog|article",
    re.I,
)
#: the clinic speaking of itself; a page where it never does is not its own account of what it gives
OWN_VOICE = re.compile(r"当院|当クリニック|当医院|当センター|当科|当病院|当法人|弊院|私ども|\b(?:we|our)\b", re.I)
#: sections that list what the clinic provides (a menu, its fees): a therapy named there is offered
OFFER_SECTION = re.compile(r"診療内容|治療内容|自費診療|自由診療|治療メニュー|施術メニュー|メニュー|案内|料金|費用|価格|治療費|金額|当院の(?:再生医療|治療)|"
                           r"our (?:treatments|services)|treatment menu|services|fees|prices?\b|pricing", re.I)
#: where sites keep posts; a dated path (/2025/09/06/slug, /2021/03/) is a blog engine's permalink to a post
COLUMN_PATH = re.compile(r"colum|blog|/news|/lab/|magazine|/media|article|/topics|journal|/kiji|/posts?/|/paper/|"
                         r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/", re.I)
COLUMN_TITLE = re.compile(r"コラム|ブログ|記事|解説|とは[?？]|ですか[?？]|ますか[?？]|でしょうか[?？]|って[?？]|"
                          r"の(?:安全性|副作用|効果|リスク)は[?？]|の違い|どう違う|どれくらい|いくら|"
                          # 「…PRP療法とはどんな方法？｜…」「膝のAPS療法の費用は？…」: any Japanese title that asks
                          r"[ぁ-んァ-ヶ一-龥][?？](?=[^｜|]{0,30}(?:[｜|]|$))|"
                          r"選び方|ポイント|まとめ|Column|Blog|Article|What is|How much|guide to|"
                          r"一般の(?:方|皆様|皆さま)へ|"  # a society's or an association's page for the public
                          r"用語集|用語解説|用語辞典|Glossary|"  # a glossary's entry defines the term, offers nothing
                          # 「日本干细胞治疗合法吗？」「…为何更受青睐？」「…치료 가능한가요?」: the question in Chinese and Korean
                          r"(?:吗|嗎|呢|么|麼)\s*[?？]|为何|為何|为什么|為什麼|什么是|什麼是|如何|怎么|怎麼|攻略|指南|衛教|卫教|"
                          r"까\s*[?？]|(?:나|가)요\s*[?？]|"
                          # "Is Anti-Aging Stem Cell Therapy Legal In Japan? | …": a question answered, as 「…ですか？」
                          r"^(?:Is|Are|Can|Could|Does|Do|How|What|Why|When|Which|Should|Will)\b[^|｜?？]*\?", re.I)
#: amounts in these words are what others charge or what things cost in general, not this clinic's price
MARKET_WORDS = re.compile(r"相場|目安|一般的|平均|他院|費用感|エステ|サロン|typical(?:ly)?|on average|average cost|market|usually|generally|"
                          r"ranges? (?:from|between)|falls? between", re.I)
OWN_PRICE = re.compile(r"当院|当クリニック|当科|当センター|our (?:clinic|fee|price)", re.I)


def is_column_page(url: str, title: str | None, breadcrumbs: str = "") -> bool:
    """Column, blog and news posts explain therapies; only an explicit offer or a price counts there."""
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    return bool(COLUMN_PATH.search(path) or COLUMN_TITLE.search(title or "") or COLUMN_TITLE.search(breadcrumbs))


#: what the law asks of any clinic (「提供するには…義務付けられています」「…しなければなりません」)
_RULE = re.compile(r"義務付けられ|義務づけられ|(?:する|行う|提供する)(?:ため)?には[^。]{0,60}?(?:必要|義務|届け出|届出|提出)|"
                   r"しなければ(?:なりません|ならない)|\b(?:must (?:be )?(?:submit|file|notif)|are required to)", re.I)


def _menu_line(sentence: str) -> bool:
    """Four or more short items between bars or slashes, and nothing else: a site menu or footer links as text."""
    items = [item.strip() for item in re.split(r"[｜|/／]", sentence)]
    return len(items) >= 4 and all(0 < len(item) <= 12 for item in items)


_GENERAL = re.compile(r"一般的な|一般的に|目安|相場|まとめます|解説します|in general|typical(?:ly)?", re.I)


def mention_is_offer(sentence: str, heading: str | None, announcements: bool = True) -> str:
    """What one sentence says of its therapy: "denied" (we do not offer it), "offer" (we perform, price or book
    it), "compared" (it stands under a comparison, FAQ or "other treatments" heading), "procedure" (a step told
    in the present tense) or "silent". ``announcements`` off for a clause: who starts a therapy is said in the
    sentence (「ある大学病院が、PRPを使った研究を開始しました」)."""
    if _menu_line(sentence):
        return "silent"  # 「HOME｜クリニック紹介｜診療内容｜PRP療法｜アクセス」: a menu printed as text names every page
    if NOT_OFFERED.search(sentence):
        return "denied"
    # 「再生医療を提供するには、…提供計画を提出し…義務付けられています」: the law, told of every clinic, offers nothing
    law = bool(_RULE.search(sentence)) and not OWN_VOICE.search(sentence)
    if _ELSEWHERE.search(sentence) and not OWN_VOICE.search(sentence):
        return "silent"  # 「テレビで『○○大学病院で行われているPRP治療』が紹介されました」: another facility performs it
    if SELF_PAY_ROW.match(sentence):
        return "offer"  # 「自由診療 PRP療法（関節内への投与…）」: a facts row of what the facility gives at its own charge
    listed = bool(heading and _FACILITY_COLUMN.match(heading))  # a row of a table of clinics: a directory's list
    if not law and (OFFER_VERB.search(sentence) or (PLAN_NUMBER.search(sentence) and not listed)
                    or (_ASK_FOR_IT.search(sentence) and not _REFERRED.search(sentence))
                    or (announcements and _CASE_REPORT.search(sentence) and not _NOT_OURS.search(sentence))
                    or (announcements and ANNOUNCED.search(sentence) and not _OTHER_ACTOR.search(sentence))):
        # a therapy printed with its plan number (「…PRP関節内投与 計画番号：PB3180126」): clinics print the numbers of
        # the plans they filed for what they provide
        return "offer"
    if heading and MENTION_SECTION.search(heading):
        return "compared"
    if heading and OWN_SECTION.search(heading):
        # under 「当院の肌再生医療はどのような治療ですか？」 the answer tells what the clinic does, except where it sets
        # its treatment against another (「上清液のように液体だけを入れる治療よりも」)
        return "compared" if _SETS_AGAINST.search(sentence) else "offer"
    if heading and OFFER_SECTION.search(heading):
        # 「ここではPRP療法と…について、一般的な手順と費用の目安をまとめます」 under a fee heading: a guide's
        # overview of what such treatments cost, not the clinic's list
        return "compared" if _GENERAL.search(sentence) and not OWN_VOICE.search(sentence) else "listed"
    if WEAK_OFFER.search(sentence):
        return "procedure"
    return "silent"


# ---- amounts -------------------------------------------------------------------------------------------------

#: instalments, discounts, rewards and add-ons printed beside a therapy (「PRP療法 医療ローン 月々3,000円〜」「ご紹介割引」):
#: amounts that are not what the treatment costs
NOT_A_PRICE = re.compile(r"月々|毎月|分割|ローン|割引|値引|学割|ポイント|還元|キャッシュバック|麻酔|"
                         r"\b(?:per month|monthly|instal+ments?|discount|rebate|anaesthe|anesthe)", re.I)
AMOUNT_KINDS = ("treatment", "consultation", "test", "copay", "storage", "cancellation", "comparison", "other")
_KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancellation", re.compile(r"キャンセル|解約|取消|取り消し|取り消さ|返金|同意(?:を)?撤回|中止(?:した|の)場合|\bcancel|\brefund", re.I)),
    # 「保険適用外」「保険外」 say the fee is not insured: a self-pay price, not a co-pay
    ("copay", re.compile(r"保険診療|保険適[用応](?!外|され(?:ない|ず|ません))|[123１２３]割負担|自己負担|健康保険(?!が(?:使え|効か|きか))|"
                         r"\binsurance\b(?! (?:does not|doesn't|is not|isn't))|\bco-?pay", re.I)),
    # 「凍結保存した細胞を使用」 is a second injection of stored cells, not the storage fee
    ("storage", re.compile(r"(?:保管|凍結保存|冷冻保存|冷凍保存)(?!した|済|中の|細胞|の細胞|细胞)|保存料|保存费|保存費|"
                           r"\bstorage\b|\bbanking\b|"
                           r"\bpreservation\b|\bcryopreservation\b", re.I)),
    ("test", re.compile(r"検査|ＭＲＩ|レントゲン|X線|エコー|採血料|血液検査|感染症|检查|檢查|化验|化驗|"
                        r"\b(?:MRI|tests?|testing|scans?|x-rays?|screening)\b|\bCT\b(?!\s*incl)",
                        re.I)),
    ("consultation", re.compile(r"初診|再診|診察料|診察代|カウンセリング|相談料|相談|セカンドオピニオン|診断書|"
                                r"初诊|复诊|咨询|諮詢|問診|问诊|诊察|診察費|挂号|掛號|"
                                r"\b(?:consultations?|counsel+ing|first visit|second opinion|initial (?:medical )?examination|"
                                r"medical examination fee)\b", re.I)),
    ("other", NOT_A_PRICE),
    # 「1本1万円なら、10cc注入すると10万円かかる計算になります」: a worked example, nobody's price
    ("comparison", re.compile(r"相場|一般的に|平均|他院|手術(?:の|で|を|は|費用)|人工関節|入院費|高額療養費|目安|計算(?:に|と)なり|仮に|"
                              r"\b(?:compared|typical(?:ly)?|on average|surgery costs?)\b", re.I)),
)
_INCLUDED = re.compile(r"込み|込|含む|含みます|含まれ|included|including|incl\.", re.I)


def market_context(sentence: str, heading: str | None, column: bool, own: bool = False) -> bool:
    """An amount said of the market (相場, 目安, 一般的) or printed in a column post without 当院 is a comparison.
    In a section the clinic speaks in (``own``), a column's price list and 「費用の目安」 are its own fees."""
    if OWN_PRICE.search(sentence) or (heading and OWN_PRICE.search(heading)):
        return False
    words = [m.group(0) for text in (sentence, heading or "") for m in MARKET_WORDS.finditer(text)]
    if own:
        words = [w for w in words if w != "目安"]
    return (column and not own) or bool(words)


def amount_kind(label: str, therapy_at: int, therapy_nearby: bool = False) -> str:
    """The kind of a printed amount from the words before it (its row label or clause).

    ``therapy_at`` is where the last therapy word of ``label`` ends (-1 when none); ``therapy_nearby`` says the
    block or heading names a therapy. The word nearest the amount decides: 「PRP療法の前の血液検査 5,500円」 is a
    test, 「血液検査のあとPRP療法 33,000円」 a treatment. A fee the row says is included
    (「PRP療法（診察料・検査料込み）」) does not make the row a fee, and a cancellation charge stays one whatever
    it names.
    """
    best_kind, best_at = None, -1
    for kind, pattern in _KIND_WORDS:
        for match in pattern.finditer(label):
            if kind == "cancellation":
                return kind
            if _INCLUDED.search(label[match.end(): match.end() + 6]):
                continue
            if match.end() > best_at:
                best_kind, best_at = kind, match.end()
    if best_kind and best_at > therapy_at:
        return best_kind
    if therapy_at >= 0 or (therapy_nearby and best_kind is None):
        return "treatment"
    return best_kind or "other"
