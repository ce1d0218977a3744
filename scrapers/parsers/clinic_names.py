"""What a clinic's name looks like on a page: the words that make a facility's name, and the ones that never do.

:mod:`scrapers.parsers.site_identity` collects every place a page may name its clinic (a logo's alt, the title's
tail, a © line…) and chooses among them; this module says whether one printed string reads as a name at all
(:func:`clean_name`), or as a brand printed without a facility word (:func:`brand_name`, グランソール奈良), and
holds the facility and media words both use. Pure standard library and ``readers`` (no Scrapy).
"""

from __future__ import annotations

import re

from readers.addresses import prefecture_for_city
from readers.names import FACILITY_WORDS, is_generic_name
from readers.normalize import normalize_text
from readers.regions import PREFECTURES

#: a facility word (or a branch's 院) that ends a name: ○○クリニック, ○○整形外科, Evergreen Knee Clinic
FACILITY_END = re.compile(
    r"(?:クリニック|医院|病院|診療所|整形外科|皮膚科|形成外科|美容外科|歯科|内科|外科|センター|メディカル|ホスピタル|"
    r"クリニーク|分院|本院|院|clinic|clinique|klinik|hospital|center|centre|medical|dental|orthopa?edics|surgery)\s*$",
    re.I,
)
#: a facility word anywhere in a name
FACILITY_ANY = re.compile("|".join(re.escape(w) for w in FACILITY_WORDS) + r"|院(?!長)|ホスピタル|dental|clinique|klinik",
                          re.I)  # 院長室だより is the director's newsletter
#: a facility word in any script a clinic's name is printed in (皮ふ科, Clinique, Orthopaedic Surgery, 診所, 의원)
FACILITY_WORD = re.compile(FACILITY_ANY.pattern + r"|皮ふ科|クリニーク|orthopa?edic|surgery|"
                            r"診所|诊所|의원|클리닉|병원|치과", re.I)

_NOT_A_NAME = re.compile(
    r"紹介|案内|概要|について|一覧|情報|アクセス|地図|ブログ|コラム|ニュース|お知らせ|予約|お問い?合わせ|採用|求人|"
    r"料金|費用|よくある|ご質問|治療|(?<!医)療法(?!人)|注射|とは|選ばれる|理由|の流れ|特徴|メニュー|トップ|ホーム|"
    r"^当|^本院について|About|Access|Contact|Reservation|Treatment|Therapy|Price|Home$|Menu|Blog|News|FAQ|"
    r"[。！？!?、]|など|材料|製剤|キット|rights reserved|copyright|講座|(?:医学部|学部|大学院|研究科)(?!.*病院)|教室|"
    r"^(?:再生医療|リハビリテーション|整形外科)(?:室|部|外来)$|\bDepartment\b|\bDivision of\b|Graduate School|"
    r"^(?:院長|副院長|総院長|理事長|医師|スタッフ|ドクター|看護師|受付)(?:紹介|挨拶|あいさつ|ブログ)?$|"
    r"(?:^|\s)(?:院長|副院長|総院長|理事長|医師|スタッフ|看護師)$|^投稿者|"  # 「投稿者 院長」: a post's byline, a post
    # 「佐々木 拓郎総合院長」: a person and the post they hold, not the facility
    r"\S\s\S{1,6}(?:総合院長|統括院長|総院長|副院長|院長|理事長|先生)$|"
    # a blog's label, category or tag line in a footer: 「ラベル: PRP, 再生医療新法」「カテゴリー: 病院・クリニック」
    r"^(?:ラベル|カテゴリー?|タグ|Labels?|Categor(?:y|ies)|Tags?)\s*[:：]|"
    # a school (学院, 学院 in Chinese) and a non-profit (NPO法人, 特定非営利活動法人) run no clinic; a learned society,
    # an association or an agency (日本再生医療学会, 日本整形外科学会, …推進協会, …推進機構) is no clinic either
    r"学院$|^(?:NPO法人|特定非営利活動法人)|(?:学会|医会|医師会|協会|機構|研究会|連合会)$|"
    r"による|における|に対する|^(?:人工関節|関節|脊椎|スポーツ|再生医療|リハビリテーション|リハビリ)\S{0,8}センター$|"
    r"^(?:Artificial Joint|Joint|Spine|Sports Medicine|Regenerative Medicine|Rehabilitation)\b.{0,30}\bCent(?:er|re)$|"
    r"[一-龥]を|を[一-龥]|[一-龥][がへ][一-龥]|[^\s]{2,}[てで](?:治す|行う|受ける)|(?:治す|治る|する|します|しよう|ません)$|"
    r"School of Medicine|Faculty of|"
    r"^(?:整形外科|形成外科|皮膚科|内科|外科|リハビリテーション科)・|"
    r"大学(?!.*(?:病院|医院|クリニック|診療所|医療センター)).*科$|"  # 「徳島大学 形成外科・美容外科」: a department
    # a strap line, share buttons, a generic department, a logo alt naming the link, a doctor's own name
    r"痛み(?!クリニック|外来|センター)|シェアする|ツイート|Twitter|Facebook|Instagram|YouTube|^一般\S{0,4}科$|^TOP$|"
    r"^Dr\.?\s?[A-Z]|^ドクター|委員会|選び|探し|ランキング|"
    r"掲載|"  # 「クリニック掲載」: a directory's "list your clinic"
    r"^(?:この|その|あの|こちらの|どの)|って$|"  # 「この記事の医院」 points at a name; 「肌の再生医療って？」 asks
    r"診療時間|受付時間|営業時間|休診|診療日|提携|\b(?:Partner|Institutions)\b|"
    # 「矯正歯科・一般歯科・口腔外科」: the departments, not the name (「さくら内科・整形外科」, kana first, is a name)
    r"^(?:[一-龥]{0,5}科[・/／、])+[一-龥]{0,5}科$|"
    r"\d+F\b|ビル\s?\d|丁目|番地|駅直結|徒歩\d|[市区町村]\S{0,12}\d|"  # an address line
    # a greeting's, a news item's or a menu's heading: 「センター長あいさつ」「…センター開設」「中央診療施設・センター等」
    r"あいさつ|挨拶|メッセージ|(?:開設|新設|設置|開院|移転)(?:しました|のお知らせ)?$|等$|"
    # the same headings on Chinese and Korean pages: 「院长致辞」「诊所介绍」「원장 인사말」「병원 소개」
    r"致辞|致詞|介绍|介紹|简介|簡介|首页|首頁|인사말|소개$|"
    # 「脊椎・関節・スポーツ整形外科」: the body parts a clinic treats, then its department, in a logo's alt
    r"^(?:脊椎|関節|スポーツ|膝|ひざ|腰|肩|手|足|骨|リウマチ|リハビリ(?:テーション)?|ペイン)(?:[・/／、](?:脊椎|関節|スポーツ|"
    r"膝|ひざ|腰|肩|手|足|骨|リウマチ|リハビリ(?:テーション)?|ペイン))*[・/／、]\S{0,8}科$",
    re.I,
)
_SITE_SUFFIX = re.compile(
    r"(?:公式(?:ホームページ|サイト|ウェブサイト|HP)?|オフィシャル(?:ホームページ|サイト)|ホームページ|"
    r"official\s*(?:web\s*)?site|website|home\s*page)\s*$",
    re.I,
)

_TAGLINE = re.compile(r"^(?:(?:再生医療|美容医療|幹細胞治療|ひざ|膝|関節|\S{1,10}?の(?:痛み|治療|悩み))?(?:専門|特化)(?:の)?|"
                      r"\S*駅(?:すぐ|前|近く|直結|から徒歩\d+分|徒歩\d+分)の\S*)\s+(?=\S)")
_CORPORATION_ONLY = re.compile(r"(?:社会|特定|一般社団法人)?医療法人(?:社団|財団)?\s*\S{1,12}?会|"
                               r"(?:Social |Specified )?Medical Corporation(?: \w+){1,2}|[\w ]+ Medical Corporation",
                               re.I)

#: a host name printed as a brand: letters and digits joined by dots, no space
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")

#: English words no facility is named by alone (a name of only these is a section, a kind or a slogan)
_GENERIC_EN = frozenset("health medical medicine beauty care life wellness clinic clinics center centre hospital news "
                        "and the of your our regenerative stem cell cells japan tokyo osaka".split())


#: 「愛知県一宮市の森整形外科」: a prefecture (or not) and a city before a name
_PLACE_FIRST = re.compile(r"^(" + "|".join(PREFECTURES) + r")?(\S{1,8}?[市区町村])(?:の|\s+)(?=\S{2})")
#: 「大阪・心斎橋の中村AJペインクリニック」: a prefecture, with or without 都府県, and a district before a name
_AREA_FIRST = re.compile(r"^(?:" + "|".join(p[:-1] if p[-1] in "都府県" else p for p in PREFECTURES) + r")[都府県]?"
                         r"(?:[・/／]\S{1,6})?の(?=\S{2,}(?:クリニック|病院|医院|診療所|整形外科|歯科)$)")


def clean_name(text: str | None) -> str | None:
    """A candidate as a name: spaces and width normalised, site suffixes and brackets removed; None if it is not one."""
    value = normalize_text(text)
    value = re.sub(r"^(?:医療法人(?:社団|財団)?\S*?会|TOP|ホーム)\s*[|｜:：]?\s*", lambda m: m.group(0)
                   if m.group(0).startswith("医療法人") else "", value)
    value = _SITE_SUFFIX.sub("", value).strip(" 　|｜-–—:：・,、.。【】「」『』()（）[]")
    value = re.sub(r"^[▶►▸→⇒■□●◎◆◇★☆△▲▽▼※♪＞>»\ufe0e\ufe0f\s]+", "", value)  # 「▶︎イノルト整形外科」: a link's arrow
    value = _TAGLINE.sub("", value)  # 「再生医療専門 リペアセルクリニック」: a tagline before the name
    value = re.sub(r"\s*(?:の)?(?:ロゴ(?:マーク)?|[Ll]ogo)$", "", value)  # 「さくら整形外科のロゴ」: the image's alt names it
    # 「再生医療・幹細胞治療のルネクリニック」: the field the clinic works in, then its name
    value = re.sub(r"^(?:\S{0,12}?(?:再生医療|治療|療法|医療|PRP)[・、]?)+の(?=\S{2,}(?:クリニック|病院|医院|整形外科)$)", "",
                   value)
    value = re.sub(r"(クリニック|病院|医院|整形外科|歯科|皮膚科)[-－–]\S{1,6}$", r"\1", value)  # 「桑園整形外科-膝」
    value = re.sub(r"^\S{2,12}グループ\s+(?=\S)", "", value)  # 「南東北グループ 東京クリニック」: the group, then the clinic
    # 「鳩翔会 石田歯科医院」: a corporation's name printed without its legal form; 「JCHO山梨病院」: the operator's acronym
    value = re.sub(r"^\S{1,6}会\s+(?=\S{2,}(?:クリニック|病院|医院|診療所|歯科|整形外科)$)", "", value)
    value = re.sub(r"^JCHO\s*(?=\S)", "", value)
    value = re.sub(r"\s*[\[［][^\]］]{0,12}[\]］]?$", "", value)  # 「ナチュレ美容クリニック[広島]」: a region tag
    # 「…膠原病クリニック(八王子市」: a bracket the candidate's cut left open holds the place after the name
    value = re.sub(r"\s*[(（【][^()（）【】]{0,16}$", "", value)
    if _CORPORATION_ONLY.fullmatch(value):
        return None  # 「社会医療法人 孝仁会」 runs hospitals; it is not the facility
    if re.search(r"\.(?:com|jp|net|org|to|biz|info|clinic)\b|https?:|www\.", value, re.I) or _DOMAIN.fullmatch(value):
        return None  # a domain in a © line is not a name (changgung.hospital neither)
    # 「五本木クリニック 美容外科」: a department printed after the facility's name is not part of it
    value = re.split(r"\s*(?:TEL|Tel|tel|電話|☎|℡|〒|FAX|Fax)", value)[0].strip()  # 「○○病院 TEL 0942-…」
    # 「久留米大学病院 形成外科外来」「○○病院 再生医療センター」: a department printed after the facility's name is
    # not part of it
    value = re.sub(r"^(.+(?:クリニック|病院|医院|診療所))\s+\S{0,10}(?:科|外来|センター|部門|部|室)$", r"\1", value)
    # 「美容皮膚科・形成外科 トラクリニック」: the specialties printed before the name are not part of it
    value = re.sub(r"^(?:(?:美容)?(?:皮膚科|形成外科|整形外科|美容外科|内科|外科|歯科|眼科)[・/／]?)+\s+(?=\S)", "", value)
    if "なら" in value:
        value = value.rsplit("なら", 1)[1].strip()
    # 「再生医療専門であるそばじまクリニック」: what the clinic is, said before its name
    value = re.sub(r"^\S{1,20}?である(?=\S{2,}(?:クリニック|病院|医院|診療所|整形外科)$)", "", value)
    # 「愛知県一宮市の森整形外科」「大阪府摂津市 オーラルケアスタジオ歯科」: the place before a name is not part of it
    place = _PLACE_FIRST.match(value)
    if place and (place.group(1) or prefecture_for_city(place.group(2))):
        value = value[place.end():]
    # 「大阪・心斎橋の中村AJペインクリニック」: a prefecture, then a district, before a name
    value = _AREA_FIRST.sub("", value)
    value = re.sub(r"(?:(?:へ|に)ようこそ[!！]?|へ|まで|にお任せ(?:ください)?|で(?:す)?)$", "", value).strip()
    if value.isascii():
        value = re.sub(r"^(?:[a-z]+\s+)+(?=[A-Z])", "", value)  # "the case of MSC Clinic…": a headline's words first
        if re.match(r"(?:List|Find|Book|Search|Add|Register|Join|Get|Contact|Visit)\s", value) or not set(
                re.findall(r"[a-z]+", value.lower())) - _GENERIC_EN:
            return None  # "List Your Clinic" is a button; "HEALTH & MEDICAL" is a magazine's section
    half = len(value) // 2
    if len(value) % 2 == 0 and value[:half] == value[half:]:
        value = value[:half]  # 「旭川皮フ形成外科クリニック旭川皮フ形成外科クリニック」: a title tail printed twice
    if not 2 <= len(value) <= 40 or not ends_as_name(value) or _NOT_A_NAME.search(value) or MEDIA.search(value):
        return None
    return None if is_generic_name(value) else value


def ends_as_name(value: str) -> bool:
    """A facility word ends the name, or a short place after it (○○クリニック天神, Evergreen Knee Clinic Osaka)."""
    if FACILITY_END.search(value):
        return True
    matches = list(FACILITY_ANY.finditer(value))
    last = matches[-1] if matches else None
    if last is None:
        return False
    tail = value[last.end():].strip()
    if re.fullmatch(r"(?:[・･]\S{1,6}科)+", tail):
        return True  # 「足立慶友整形外科・リウマチ科」: the clinic names its departments as part of its name
    if tail.isascii():
        return bool(re.fullmatch(r"(?:[A-Z][a-z]+\s?){1,2}", tail))
    return len(tail) <= 6 and not re.search(r"[のでにをはがと・、]", tail)



_BLOG_BRANDS = r"\b(?:Ameba|ameblo|note|livedoor|FC2|Hatena|Yahoo)\b|アメーバ|はてな|ライブドア"
#: a magazine's, a newspaper's, a blog platform's, a portal's or a company's brand: never a clinic's name
MEDIA = re.compile(r"メモ|日記|ノート|ナビ|まとめ|ガイド|マガジン|新聞|通信|ポータル|メディア|サイト|百科|事典|辞典|インタビュー|"
                    r"日刊|週刊|月刊|デジタル|DIGITAL|ONLINE|\b(?:Nikkan|Shukan|Gekkan|Shimbun|Shinbun)\b|"
                    r"タイムス|新報|日報|ジャーナル|出版|社$|号外|経済|ビズ|\b(?:WEB|NET|Biz)\b|"
                    r"ファイル$|\bFile$|なび$|検索|"  # a directory: ドクターズ・ファイル, 病院なび, 病院検索ホスピタ
                    r"クリニック・病院$|病院・クリニック$|"  # a directory's category: EPARKクリニック・病院
                    r"^(?:日経|朝日|読売|毎日新聞|産経|NHK|時事|共同通信)|"  # newspapers and broadcasters: 日経メディカル
                    + _BLOG_BRANDS + "|" +  # a blog platform
                    # a company: a clinic in Japan is run by a doctor or a medical corporation, never by a company
                    r"株式会社|有限会社|\b(?:Co|Inc|Ltd|LLC|K\.K)\b\.?|"
                    r"\b(?:Tourism|Navi|Guides?|Magazine|Media|Journal|Portal|Times|News|Blog|Insights?|Reviews?|Directory|Finder)\b", re.I)


#: a blog platform: its brand names no clinic, but a clinic's director may be the one writing there
BLOG_PLATFORM = re.compile(_BLOG_BRANDS + r"|\bgoo\b|アメブロ|gooブログ", re.I)


#: words of a medical field, a therapy or a body part: a brand made of them (and no facility word) is a strap line
_FIELD_WORDS = re.compile(r"再生医療|再生治療|幹細胞|PRP|脳卒中|脊髄損傷|膝|ひざ|関節|美容医療|アンチエイジング|"
                          r"[医醫]療$|細胞$|\bcells?$|"  # 「日本醫療」 an agency, 「TOPs cells」 a product
                          r"研究所|研究院|연구원|연구소|줄기세포|"  # a research institute, stem cells in Korean
                          r"\b(?:regenerative|stem cells?|knee|joint)\b", re.I)


def brand_name(text: str) -> str | None:
    """A brand printed without a facility word, when it reads as a name: short, no menu words, not generic."""
    value = _SITE_SUFFIX.sub("", normalize_text(text)).strip(" 　|｜-–—:：・,、.。")
    if _CORPORATION_ONLY.fullmatch(value):
        return None
    if re.search(r"\.(?:com|jp|net|org|to|biz|info|clinic|tokyo|life|health)\b|https?:|www\.", value, re.I) or (
            _DOMAIN.fullmatch(value)):
        return None  # a domain (saiseiiryou.clinic) is no brand
    if not 2 <= len(value) <= 20 or _NOT_A_NAME.search(value) or re.search(r"ロゴ|logo|画像|image|icon", value, re.I):
        return None
    if value.startswith(("©", "(c)", "（c）")) or not re.search(r"[A-Za-z]{2}|[぀-ヿ一-鿿]{2}", value):
        return None  # 「© 2024」: a © line with a year and no holder
    if re.fullmatch(r"(?:Medical Corporation\s+)?[A-Z][a-z]+-?kai(?:\s+Medical Corporation)?", value):
        return None  # "Seisuikai": a medical corporation's name (医療法人○○会) runs facilities; it is none of them
    if value.isascii() and (re.match(r"(?i:List|Find|Book|Search|Add|Register|Join|Get|Contact|Visit|Leave|Post|Read|"
                                     r"Share|Related|Recent|Write)\s", value)
                            or not set(re.findall(r"[a-z]+", value.lower())) - _GENERIC_EN):
        return None  # "List Your Clinic", "Leave a Reply" are buttons and forms; "HEALTH & MEDICAL" a magazine's section
    if MEDIA.search(value):
        return None  # a blog's, a magazine's or a portal's brand (ローカル健康メモ, PlacidWay Medical Tourism)
    if _FIELD_WORDS.search(value):
        return None  # 「脳卒中・脊髄損傷 再生医療」: a logo naming the field the site treats, with no facility in it
    if value.isascii() and (not re.search(r"[A-Za-z]{3}", value) or re.fullmatch(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*", value)):
        return None  # 「immunus-cl」「nerimatoshimaen」: a domain's slug in lower case, not a brand
    return None if is_generic_name(value) else value
