"""Who a clinic site is: name candidates chosen by agreement, the place from the printed address (issue 10)."""

from __future__ import annotations

import warnings

import pytest

from readers.names import is_generic_name
from scrapers.parsers.clinic_page import extract_clinic_page
from scrapers.parsers.page_text import Block
from scrapers.parsers.site_identity import choose_name, clean_name, page_place, site_name


def page(body: str, url: str = "https://clinic.example/prp/") -> dict:
    return extract_clinic_page(f"<html><head>{body}</html>".encode(), url, {"Content-Type": "text/html; charset=utf-8"})


def test_name_only_in_the_logo_alt_and_footer_is_read():
    result = page("""<title>PRP療法｜ひざの痛み</title></head><body>
      <header><a href="/"><img src="/img/logo.png" alt="さくら坂ひざ関節クリニック"></a></header>
      <h1>PRP療法</h1><p>当院ではPRP療法を行っています。</p>
      <footer><p>〒150-0002 東京都渋谷区渋谷2-1-1</p><p>© 2024 さくら坂ひざ関節クリニック</p></footer></body>""")
    assert result["clinic"]["name_printed"] == "さくら坂ひざ関節クリニック"
    sources = {c["source"] for c in result["clinic"]["name_candidates"]}
    assert {"logo_alt", "copyright"} <= sources


def test_a_department_title_is_not_the_hospital_name():
    result = page("""<title>変形性膝関節症に対するPRP療法｜整形外科｜診療科・部門のご案内｜みなと中央病院</title></head>
      <body><h1>整形外科</h1><p>PRP療法を行っています。</p></body>""")
    assert result["clinic"]["name_printed"] == "みなと中央病院"


def test_a_page_without_any_name_reads_none_but_keeps_its_place():
    result = page("""<title>膝の再生医療コラム</title></head><body><h1>PRPとAPSの違い</h1>
      <footer><p>〒530-0001 大阪府大阪市北区梅田1-1-1</p><p>TEL 06-6555-0101</p></footer></body>""")
    assert result["clinic"]["name_printed"] is None
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("大阪府", "大阪市北区")
    assert result["clinic"]["phone"] == "06-6555-0101"


def test_an_unknown_postal_code_never_erases_the_printed_prefecture():
    place = page_place([Block("〒999-9999 北海道札幌市中央区北1条西2-3", "p")])
    assert (place["prefecture"], place["city"]) == ("北海道", "札幌市中央区")
    assert place["postal_code_unknown"] is True


def test_a_romanised_address_gives_the_prefecture():
    place = page_place([Block("Address: 4-6-2 Umegae-cho, Kita-ku, Osaka", "p")])
    assert place["prefecture"] == "大阪府"


@pytest.mark.parametrize("text", ["クリニック紹介", "当院について", "整形外科", "再生医療センター", "PRP療法",
                                  "aozora-seikei.com", "PRP、PRF、CGFなどの自家再生医療材料",
                                  "センター長あいさつ", "病院内に細胞・再生医療センター開設", "中央診療施設・センター等",
                                  "脊椎・関節・スポーツ整形外科", "changgung.hospital"])
def test_menu_words_departments_and_domains_are_not_names(text):
    assert clean_name(text) is None


def test_generic_names():
    assert is_generic_name("中央クリニック") and is_generic_name("整形外科") and is_generic_name("総合病院")
    assert not is_generic_name("みらい整形外科") and not is_generic_name("湊見台ひざ関節クリニック")


def test_agreement_beats_a_single_weighty_source():
    name, scores = choose_name([
        {"name": "ひかり整形外科", "source": "title", "weight": 2.0},
        {"name": "ひかり整形外科", "source": "copyright", "weight": 1.5},
        {"name": "ひざ再生外来センター病院", "source": "logo_alt", "weight": 2.5},
    ])
    assert name == "ひかり整形外科" and scores["ひかり整形外科"] == 3.5


def test_a_site_prefers_the_name_it_prints_in_japanese():
    pages = [{"clinic": {"name_candidates": [{"name": "TORA CLINIC", "source": "copyright", "weight": 1.5}]}},
             {"clinic": {"name_candidates": [{"name": "TORA CLINIC", "source": "copyright", "weight": 1.5}]}},
             {"clinic": {"name_candidates": [{"name": "トラクリニック", "source": "title", "weight": 2.0}]}}]
    assert site_name(pages) == "トラクリニック"


@pytest.mark.parametrize("phone, prefecture", [("03-5555-0101", "東京都"), ("011-555-0123", "北海道"),
                                               ("06-6555-0101", "大阪府"), ("06-6412-0000", None),
                                               ("0120-455-758", None), ("0312345678", None)])
def test_a_landline_area_code_gives_the_prefecture_and_free_dial_does_not(phone, prefecture):
    from readers.regions import prefecture_for_phone

    assert prefecture_for_phone(phone) == prefecture


def test_a_name_in_a_labelled_row_or_an_h1_logo_is_read():
    result = page("""<title>アクセス</title></head><body><h1><a href="/"><img src="/img/h.png" alt="みどり坂整形外科"></a></h1>
      <table><tr><th>医院名</th><td>みどり坂整形外科</td></tr><tr><th>所在地</th><td>〒060-0001 北海道札幌市中央区北1条西2-3</td></tr>
      </table></body>""")
    assert result["clinic"]["name_printed"] == "みどり坂整形外科"
    assert {"logo_alt", "labelled"} <= {c["source"] for c in result["clinic"]["name_candidates"]}


def test_an_seo_title_gives_the_name_at_its_end():
    assert clean_name("大阪で膝の痛みならさくら通り整形外科へ") == "さくら通り整形外科"


@pytest.mark.parametrize("romanised, kana", [("TORA CLINIC", "トラクリニック"), ("Tokiko Clinic", "トキコクリニック"),
                                              ("SINCELL CLINIC", None), ("トラクリニック", None)])
def test_romanised_names_read_as_kana(romanised, kana):
    from readers.names import romanised_katakana

    assert romanised_katakana(romanised) == kana


def test_specialties_before_a_name_are_not_part_of_it():
    assert clean_name("美容皮膚科・形成外科 トラクリニック") == "トラクリニック"


@pytest.mark.parametrize("printed, name", [
    ("医療法人 大森整形外科", "医療法人 大森整形外科"),  # 医療法人 holds 療法 but is no therapy
    ("久留米大学病院 形成外科外来　TEL 0942-31-7616", "久留米大学病院"),
    ("大阪大学医学部附属病院 未来医療センター", "大阪大学医学部附属病院"),
    ("○○クリニック 新宿院", "○○クリニック 新宿院"),  # a branch is part of the name
    ("久留米大学医学部 形成外科・顎顔面外科学講座", None),  # a university department is no facility
])
def test_what_follows_a_facility_name_is_not_part_of_it(printed, name):
    assert clean_name(printed) == name


def test_a_doctors_profile_names_the_facility_and_a_romanised_logo_agrees_with_it():
    result = page("""<title>エクソソームは危険？｜コラム</title></head><body>
      <header><a href="/"><img src="/logo.svg" alt="ZEN CLINIC"></a></header>
      <h1>エクソソームは危険？</h1><p>粗悪な製品に注意しましょう。</p>
      <div class="supervisor"><p>監修：ZENクリニック院長　山田 一郎</p></div>
      <footer><p>© 2024 ZEN CLINIC</p></footer></body>""")
    assert result["clinic"]["name_printed"] == "ZENクリニック"
    assert "staff_title" in {c["source"] for c in result["clinic"]["name_candidates"]}


@pytest.mark.parametrize("romanised, japanese, same", [
    ("SINCELL CLINIC", "シンセルクリニック", True),
    ("INORUTO Orthopedic Clinic", "イノルト整形外科", True),
    ("HELENE", "ヘレネクリニック", True),
    ("TORA CLINIC", "ヘレネクリニック", False),
    ("Omori Orthopaedic Clinic", "大森整形外科", True),  # kanji read with pykakasi's dictionary
    ("OCHANOMIZU CELL CLINIC", "お茶の水セルクリニック", True),
    ("Kenmochi Orthopaedic Surgery", "剣持整形外科", False),  # the dictionary reads 剣持 kenji: no agreement claimed
])
def test_a_romanised_brand_and_a_japanese_name_agree_by_reading(romanised, japanese, same):
    from readers.names import same_reading

    assert same_reading(romanised, japanese) is same


def test_a_place_named_in_the_title_or_footer_fills_a_page_without_an_address():
    result = page("""<title>CGFについて｜いまもと歯科クリニック｜奈良県葛城市の歯医者</title></head><body>
      <h1>CGFについて</h1><p>大阪府から来られる方もいます。</p></body>""")
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("奈良県", "葛城市")
    english = page("""<title>FAQ</title></head><body><p>We see patients from Osaka too.</p>
      <footer><p>Jingumae, Shibuya-ku, Tokyo, Japan · By appointment</p></footer></body>""")
    assert english["clinic"]["prefecture"] == "東京都"
    running_text_only = page("""<title>コラム</title></head><body><p>大阪府大阪市北区から来られる方もいます。</p></body>""")
    assert running_text_only["clinic"]["prefecture"] is None


def test_where_the_clinic_says_it_opened_is_its_place():
    result = page("""<title>CGFとは｜院長ブログ</title></head><body><h1>CGFとは</h1>
      <p>こんにちは。岡山県倉敷市で開業している「わたなべ歯科医院」院長です。</p></body>""")
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("岡山県", "倉敷市")


def test_a_blog_that_introduces_its_clinic_names_it_and_its_city():
    result = page("""<title>抜歯と再生｜新着情報</title></head><body><h1>抜歯と再生</h1>
      <p>こんにちは、静岡市駿河区にある歯科医院、小嶋デンタルクリニックです。</p></body>""")
    assert result["clinic"]["name_printed"] == "小嶋デンタルクリニック"
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("静岡県", "静岡市駿河区")


def test_a_region_tag_after_a_name_is_not_part_of_it():
    assert clean_name("ナチュレ美容クリニック［広島］") == "ナチュレ美容クリニック"


@pytest.mark.parametrize("text", ["院長", "足底腱膜炎を手術で治す", "ひざの痛みを治す"])
def test_staff_words_and_headlines_are_not_names(text):
    assert clean_name(text) is None


def test_a_post_signed_by_its_clinic_names_it_and_a_station_tagline_is_dropped():
    result = page("""<title>PRPで小じわ｜ブログ</title></head><body><h1>PRPで小じわ</h1><p>本文です。</p>
      <p class="sign">私のクリニック目白<br>院長　平田 雅子</p></body>""")
    assert result["clinic"]["name_printed"] == "私のクリニック目白"
    assert clean_name("麹町駅すぐの整形外科 Oneクリニック") == "Oneクリニック"


@pytest.mark.parametrize("name", ["いしがみ整形外科クリニック", "ながた整形外科", "かがみ歯科医院", "へいわ台クリニック"])
def test_hiragana_names_may_hold_the_letters_of_particles(name):
    assert clean_name(name) == name


def test_a_cooperative_federations_hospital_and_department_centres():
    from readers.normalize import split_corporation

    assert split_corporation("JA山口厚生連 小郡第一総合病院") == ("JA山口厚生連", "小郡第一総合病院")
    assert clean_name("人工関節センター") is None  # a hospital's department
    assert clean_name("細胞シートによる軟骨再生医療") is None  # a project's title
    assert clean_name("東京ひざ関節センター") == "東京ひざ関節センター"  # a clinic's own name


def test_a_romanised_name_with_its_place_agrees_with_the_japanese_one_and_english_departments_are_not_names():
    name, _ = choose_name([
        {"name": "One Clinic 麹町", "source": "logo_alt", "weight": 2.5},
        {"name": "ワンクリニック麹町", "source": "footer", "weight": 1.2},
    ])
    assert name == "ワンクリニック麹町"
    assert clean_name("Artificial Joint Integrated Center") is None


def test_a_name_in_running_text_counts_only_when_the_sites_host_spells_it():
    body = """<title>膝のPRP療法 | コラム</title></head><body><header><img src="/logo.svg" alt=""></header>
      <h1>膝のPRP療法</h1><p>京都ひがし病院では膝の手術を行っています。</p>
      <p>外来診療は桃谷うすい整形外科で行っています。</p></body>"""
    own = page(body, "https://momodani-usui-seikei.com/column/knee-prp/")
    assert own["clinic"]["name_printed"] == "桃谷うすい整形外科"
    assert {c["source"] for c in own["clinic"]["name_candidates"]} == {"prose_host"}
    # on a host that spells neither, a name in the body is a referral or a study, not the site's own
    assert page(body, "https://knee-column.example/prp/")["clinic"]["name_printed"] is None


@pytest.mark.parametrize(("name", "url", "agrees"), [
    ("東海大学医学部付属病院", "https://ortho.med.u-tokai.ac.jp/p482", True),  # toukai spelled tokai
    ("愛媛大学医学部附属病院", "https://www.m.ehime-u.ac.jp/school/", True),
    ("京都大学医学部附属病院", "https://www.m.ehime-u.ac.jp/school/", False),
    ("銀座中央クリニック", "https://ginza-x.jp/", False),  # a place word is not the name
    ("桃谷うすい整形外科", None, False),
])
def test_host_agrees(name, url, agrees):
    from readers.names import host_agrees

    assert host_agrees(name, url) is agrees


def test_a_university_department_site_names_its_hospital_in_prose_and_the_department_is_no_name():
    result = page("""<title>難治性皮膚潰瘍にPRP療法を開始しました – 島根大学医学部 形成外科学講座</title></head><body>
      <header><img src="/logo.png" alt="島根大学医学部 形成外科学講座"></header>
      <p>島根大学医学部附属病院形成外科では、PRP療法を開始しました。</p>
      <p>京都ひがし病院では別の治療を行っています。</p></body>""", "https://smprs.jp/blog/prp")
    assert result["clinic"]["name_printed"] == "島根大学医学部附属病院"
    assert clean_name("徳島大学 形成外科・美容外科") is None


@pytest.mark.parametrize(("printed", "name"), [
    ("南東北グループ 東京クリニック", "東京クリニック"),  # the group's name, then the clinic's
    ("シェアする Twitter LINE", None),  # share buttons in a header
    ("膝・腰・肩の痛みと再生医療", None),  # a strap line
    ("一般皮膚科", None),
    ("矯正歯科・一般歯科・口腔外科", None),  # the departments a dental clinic lists
    ("TOP", None),  # a logo whose alt is the link's purpose
    ("Dr.Ueda", None),  # a doctor's own site names a person, not a facility
])
def test_group_names_share_buttons_and_strap_lines(printed, name):
    assert clean_name(printed) == name


@pytest.mark.parametrize("brand", ["ローカル健康メモ", "PlacidWay Medical Tourism", "ひざ治療ナビ"])
def test_a_blogs_or_portals_brand_is_not_a_facility(brand):
    from scrapers.parsers.clinic_names import brand_name

    assert brand_name(brand) is None and brand_name("グランソール奈良") == "グランソール奈良"


def test_a_short_reading_must_be_a_whole_part_of_the_host():
    from readers.names import host_agrees

    assert host_agrees("阿部整形外科クリニック", "https://abe-seikei-cli.com/hiza-column/1")
    assert not host_agrees("阿部整形外科クリニック", "https://abeno-knee.jp/")


def test_a_hospital_named_by_its_city_alone_is_not_owned_by_a_host_spelling_the_city():
    body = """<title>ひざのPRP | 財界さっぽろ</title></head><body><h1>ひざのPRP</h1>
      <p>院長は市立札幌病院で勤務したのち開業しました。</p></body>"""
    result = page(body, "https://www.zaikai-sapporo.co.jp/info/knee")
    assert "市立札幌病院" not in {c["name"] for c in result["clinic"]["name_candidates"]}


@pytest.mark.parametrize("line", ["京都市右京区西院高山寺町13 西院阪急ビル3F(阪急西院駅直結", "大阪市北区梅田1丁目 梅田医院ビル"])
def test_an_address_line_is_not_a_name(line):
    assert clean_name(line) is None


def test_a_topic_after_a_hyphen_in_the_title_is_not_part_of_the_name():
    assert clean_name("桑園整形外科-膝") == "桑園整形外科"


def test_an_article_about_a_clinic_on_a_magazine_site_is_the_clinics():
    """The magazine's brand is the publisher; the facility its title names, and its text names again, is who the
    page is about."""
    head = """<meta property="og:site_name" content="{site}"><meta property="og:type" content="{kind}">"""
    body = """<title>藤田健司 医師（藤田整形外科スポーツクリニック）｜ドクター検索｜時事メディカル</title>{head}</head>
      <body><header><img src="/logo.png" alt="時事メディカル"></header><h1>藤田健司 医師</h1>
      <p>藤田整形外科スポーツクリニック 兵庫県神戸市須磨区磯馴町3-2-20</p>
      <footer>Copyright © 時事メディカル All Rights Reserved.</footer></body>"""
    article = page(body.format(head=head.format(site="時事メディカル", kind="article")))
    assert article["clinic"]["name_printed"] == "藤田整形外科スポーツクリニック"
    assert "時事メディカル" not in {c["name"] for c in article["clinic"]["name_candidates"]}
    # not an article: the rule does not apply, and a brand printed in the title, logo, © and og:site_name wins
    brand = body.replace("時事メディカル", "みなとメディカル")
    own_site = page(brand.format(head=head.format(site="みなとメディカル", kind="website")))
    assert own_site["clinic"]["name_printed"] == "みなとメディカル"
    # 時事メディカル is a news agency's medical site, a publisher's brand even where the page is not marked an article
    news_site = page(body.format(head=head.format(site="時事メディカル", kind="website")))
    assert news_site["clinic"]["name_printed"] == "藤田整形外科スポーツクリニック"


def test_a_clinic_column_naming_another_hospital_in_its_text_keeps_its_own_name():
    result = page("""<title>PRP療法の研究について｜さくら坂クリニック</title>
      <meta property="og:site_name" content="さくら坂クリニック"><meta property="og:type" content="article"></head>
      <body><header><img src="/logo.png" alt="さくら坂クリニック"></header><h1>PRP療法の研究</h1>
      <p>みなと大学病院の報告では、PRP療法の効果が示されています。みなと大学病院は…</p></body>""")
    assert result["clinic"]["name_printed"] == "さくら坂クリニック"


@pytest.mark.parametrize("title, name", [
    ("194 お茶の水セルクリニック（東京千代田区） | Medical Confidential", "お茶の水セルクリニック"),
    ("藤田健司 医師（藤田整形外科スポーツクリニック）｜ドクター検索", "藤田整形外科スポーツクリニック"),
])
def test_a_title_brackets_a_place_or_names_the_facility_in_brackets(title, name):
    result = page(f"<title>{title}</title></head><body><h1>記事</h1><p>本文です。</p></body>")
    assert name in {c["name"] for c in result["clinic"]["name_candidates"] if c["source"] == "title"}


def test_a_logo_naming_the_field_and_a_domain_in_the_copyright_are_not_names():
    result = page("""<title>初めての方へ</title></head><body>
      <header><a href="/"><img src="/logo.png" alt="脳卒中・脊髄損傷 再生医療"></a></header><h1>初めての方へ</h1>
      <p>幹細胞治療について説明します。</p><footer><p>© saiseiiryou.clinic</p></footer></body>""")
    assert result["clinic"]["name_printed"] is None


def test_a_bracketed_address_label_gives_the_place_and_a_supervisors_clinic_is_not_the_portal():
    result = page("""<title>培養幹細胞治療の費用｜ステムセル百科</title></head><body><h1>費用の相場</h1>
      <p>【住所】札幌市中央区南1条西16丁目1番245 レーベンビル4F</p>
      <aside><p>監修</p><p>C&amp;G銀座クリニック 院長 大森隆史先生</p></aside></body>""", "https://stemcell-hyakka.example/cost")
    assert result["clinic"]["prefecture"] == "北海道"
    assert result["clinic"]["name_printed"] is None


def test_a_site_descriptor_is_not_a_brand():
    result = page("""<title>CGFとは</title></head><body><header><a href="/"><img src="/logo.png" alt="インプラント専門サイト">
      </a></header><h1>CGFとは</h1><p>説明です。</p></body>""")
    assert result["clinic"]["name_printed"] is None


@pytest.mark.parametrize("body, name", [
    # a title tail printed twice is one name
    ("<title>美容通信｜旭川皮フ形成外科クリニック旭川皮フ形成外科クリニック</title></head><body><p>本文</p></body>",
     "旭川皮フ形成外科クリニック"),
    # a post signed at its top by a doctor of the clinic
    ("<title>ブログ</title></head><body><h1>脂肪幹細胞について</h1>"
     "<p>医療法人明正会 麻布十番今林クリニック 皮膚科・美容皮膚科医師の横山です。</p></body>", "麻布十番今林クリニック"),
    # a committee and a site descriptor are not the facility; the hospital its text names on its own host is
    ("<title>認定再生医療等委員会｜業務規程</title></head><body><header><img src='/logo.png' alt='認定再生医療等委員会'>"
     "</header><p>第2条 医療法人財団康生会武田病院は、委員会を設置する。</p></body>", "医療法人財団康生会武田病院"),
    # a newspaper's brand, in Japanese and in romaji, names no clinic
    ("<title>ひざのPRP｜日刊ゲンダイDIGITAL</title><meta property='og:site_name' content='日刊ゲンダイDIGITAL'></head>"
     "<body><h1>ひざのPRP</h1><footer><p>© Nikkan Gendai</p></footer></body>", None),
])
def test_names_printed_twice_signed_on_a_post_or_not_names_at_all(body, name):
    assert page(body, "https://www.takedahp.example/rm/")["clinic"]["name_printed"] == name


def test_a_doctors_present_post_names_the_clinic_and_its_place():
    result = page("""<title>PFC-FD療法</title></head><body><header><img src="/img/logo.png" alt="ロゴ">
      <img src="/img/hours.png" alt="診療時間"></header><h1>PFC-FD療法</h1>
      <p>こんにちは。愛知県一宮市の森整形外科で院長を務めております松村です。</p></body>""")
    assert result["clinic"]["name_printed"] == "森整形外科"
    assert result["clinic"]["prefecture"] == "愛知県"


@pytest.mark.parametrize("brand", ["沖縄タイムス社", "AWAWA Co.", "株式会社メディカルブレイン"])
def test_a_newspaper_or_a_company_is_not_a_clinic(brand):
    result = page(f"""<title>ひざの再生医療</title><meta property="og:site_name" content="{brand}"></head>
      <body><h1>ひざの再生医療</h1><footer><p>© {brand}</p></footer></body>""")
    assert result["clinic"]["name_printed"] is None


def test_a_chinese_page_prints_its_address_in_simplified_characters():
    result = page("""<title>干细胞治疗｜东京诊所</title></head><body><h1>干细胞治疗</h1>
      <footer><p>南东北医院集团 东京诊所 日本东京都千代田区大手町2-2-1</p></footer></body>""")
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("東京都", "千代田区")


@pytest.mark.parametrize("title, prefecture", [
    ("PRP療法｜さかい整形外科【公式】練馬区 江古田 整形外科", "東京都"),
    ("PRP療法｜さかえ整形外科 北区 梅田", None),  # 北区 may be 大阪市北区 as much as Tokyo's
])
def test_a_ward_printed_alone_names_its_prefecture_only_when_it_is_the_only_one(title, prefecture):
    assert page(f"<title>{title}</title></head><body><h1>PRP療法</h1></body>")["clinic"]["prefecture"] == prefecture


@pytest.mark.parametrize("brand", ["바이오스타 줄기세포기술연구원", "LICA MED 日本醫療", "TOPs cells"])
def test_an_agency_a_product_or_an_institute_is_not_a_clinic(brand):
    result = page(f"""<title>Stem cells in Japan</title><meta property="og:site_name" content="{brand}"></head>
      <body><header><a href="/"><img src="/logo.png" alt="{brand}"></a></header><h1>Partner Medical Institutions</h1>
      </body>""")
    assert result["clinic"]["name_printed"] is None


def test_an_interview_on_a_companys_site_is_the_clinics_and_a_labelled_ward_gives_the_place():
    result = page("""<title>足立慶友整形外科・リウマチ科 理事長 北城雅照先生インタビュー｜再生医療 | ナールス 美容医療インタビュー</title>
      <script type="application/ld+json">{"@type": "Article", "publisher": {"@type": "Organization", "name": "ナールス"}}
      </script></head><body><h1>北城雅照先生インタビュー</h1>
      <p>医療法人社団円徳 足立慶友整形外科・リウマチ科の理事長にお話を伺いました。</p>
      <table><tr><th>所在地</th><td>東京都足立区</td></tr></table></body>""", "https://interview.example/2024/43349")
    assert result["clinic"]["name_printed"] == "足立慶友整形外科・リウマチ科"
    assert "ナールス" not in {c["name"] for c in result["clinic"]["name_candidates"]}
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("東京都", "足立区")


def test_a_blog_platform_and_a_kind_of_clinic_are_not_names():
    assert is_generic_name("レディースクリニック") and is_generic_name("ウィメンズクリニック")
    assert not is_generic_name("メンズ中央クリニック")  # a brand, as its clinic prints it
    result = page("""<title>PRPについて｜院長ブログ</title><meta property="og:site_name" content="Ameba (アメーバ)"></head>
      <body><h1>PRPについて</h1></body>""", "https://ameblo.jp/clinic-example/entry-1.html")
    assert result["clinic"]["name_printed"] is None


@pytest.mark.parametrize("body, name", [
    ("""<title>医療機関に併設の培養施設で幹細胞治療 宇陀市のグランソール奈良 | 伊賀タウン情報YOU</title>
     <meta property="og:type" content="article"><meta property="og:site_name" content="伊賀タウン情報YOU"></head><body>
     <p>宇陀市にある医療機関「グランソール奈良」は、脂肪由来の幹細胞を使った治療を始めた。</p></body>""", "グランソール奈良"),
    ("""<title>自分の血液を利用する再生医療です | リビング京都</title><meta property="og:type" content="article">
     <meta property="og:site_name" content="リビング京都"></head><body>
     <p>「なか整形外科 京都西院リハビリテーションクリニック」の院長によると…</p>
     <p>なか整形外科 京都西院リハビリテーションクリニック 京都市右京区西院高山寺町13</p></body>""",
     "なか整形外科 京都西院リハビリテーションクリニック"),
])
def test_an_article_names_its_clinic_in_quotes(body, name):
    result = page(body, "https://magazine.example/2021/07/27/42355/")
    assert result["clinic"]["name_printed"] == name


@pytest.mark.parametrize("body, url, name", [
    ("<title>料金表</title></head><body><h1>料金表</h1><p>中野歯科医院でご提供している診療の料金表です。</p></body>",
     "https://nakano-dc.example/price", "中野歯科医院"),  # a place and a kind of facility in the host: the clinic's own
    ("<title>治療の流れ</title></head><body><p>こんにちは！福永記念診療所の再生医療カウンセラーの内田です！</p></body>",
     "https://saiseiiryou.example/blog/flow", "福永記念診療所"),
    ("<title>PFC-FD</title><meta property='og:site_name' content='nerimatoshimaen'></head><body><h1>PFC-FD</h1></body>",
     "https://nerimatoshimaen.example/pfcfd", None),  # a domain's slug in lower case is no brand
])
def test_a_host_spelling_place_and_kind_a_staff_greeting_and_a_slug(body, url, name):
    assert page(body, url)["clinic"]["name_printed"] == name


def test_a_business_news_article_names_its_clinic_in_apposition_and_its_closing_box():
    result = page("""<title>脳神経外科医がたどり着いた幹細胞治療とは。 | Health | Biz-S 関西</title>
      <meta property="og:type" content="article"><meta property="og:site_name" content="Biz-S 関西"></head><body>
      <h1>脳神経外科医がたどり着いた幹細胞治療とは。</h1>
      <p>こう話すのは、奈良県宇陀市の医療機関、グランソール奈良でセンター長を務める中村医師だ。</p>
      <table><tr><td>2010年1月 医療法人拓誠会 辻村病院 院長</td></tr></table>
      <p>グランソール奈良</p><p>奈良県宇陀市菟田野松井</p></body>""", "https://www.biz-s.example/kansai/topics/1/")
    assert result["clinic"]["name_printed"] == "グランソール奈良"  # not the publisher, not a line of a career
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("奈良県", "宇陀市")


@pytest.mark.parametrize("title, name", [
    ("ひざの痛みクリニック・チーフドクター長谷川 良一のインタビュー記事を公開 - ウーマンエキサイト", "ひざの痛みクリニック"),
    ("世界最先端を走る日本の再生医療。臨床と研究の両輪でひざの痛みに対応するM再生クリニック | 医療メディア",
     "M再生クリニック"),
])
def test_an_interview_or_a_headline_names_its_clinic_in_the_title(title, name):
    result = page(f"""<title>{title}</title><meta property="og:type" content="article">
      <meta property="og:site_name" content="医療メディア"></head><body><h1>インタビュー</h1>
      <p>{name}の院長に話を聞いた。</p></body>""", "https://media.example/interview/1")
    assert result["clinic"]["name_printed"] == name


def test_a_column_category_is_not_a_name():
    assert clean_name("クリニック選び") is None


def test_a_chain_name_in_the_title_and_one_branch_in_the_footer_is_that_branch():
    result = page("""<title>変形性膝関節症 | 再生医療・幹細胞治療のルネクリニック</title></head><body>
      <header><img src="/logo.png" alt="Renee Clinic"></header><h1>変形性膝関節症</h1>
      <footer><p>ルネクリニック 東京院</p><p>© Renee Clinic</p></footer></body>""")
    assert result["clinic"]["name_printed"] == "ルネクリニック 東京院"
    listing = page("""<title>再生医療のルネクリニック</title></head><body><h1>院一覧</h1>
      <footer><p>ルネクリニック 東京院</p><p>ルネクリニック 大阪院</p></footer></body>""")
    assert listing["clinic"]["name_printed"] == "ルネクリニック"  # every branch listed: none of them is this page


def test_a_headline_with_a_city_and_a_date_is_not_an_address():
    result = page("""<title>記事</title></head><body><h1>記事</h1>
      <aside><p>名張市で小中学生の作品展、8月1日まで</p></aside><p>札幌市中央区北1条西4丁目2-2 札幌ノースプラザ3F</p></body>""")
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("北海道", "札幌市中央区")


def test_a_welcome_after_the_name_is_no_branch():
    result = page("""<title>灯台通りクリニックへようこそ</title></head><body><h1>灯台通りクリニックへようこそ</h1>
      <footer><p>© 灯台通りクリニック</p></footer></body>""")
    assert result["clinic"]["name_printed"] == "灯台通りクリニック"


@pytest.mark.parametrize("body, name", [
    ("<title>先端再生医療「幹細胞治療」 BTRアーツ銀座クリニック・市橋正光院長に聞く (1/2ページ) - zakzak</title>"
     "<meta property='og:type' content='article'><meta property='og:site_name' content='zakzak'></head>"
     "<body><p>BTRアーツ銀座クリニックの院長に聞いた。</p></body>", "BTRアーツ銀座クリニック"),
    ("<title>[K-Bio in Japan] Total Cell Clinic director says TCC eyes Fukuoka - ChosunBiz</title>"
     "<meta property='og:type' content='article'><meta property='og:site_name' content='ChosunBiz'></head>"
     "<body><p>Total Cell Clinic opened in Tokyo.</p></body>", "Total Cell Clinic"),
    ("<title>Osaka Regenerative Medicine Center (inside Recelling Clinic) | The Japan Times</title></head>"
     "<body><p>Profile</p></body>", "Recelling Clinic"),
    ("<title>Knee pain</title></head><body><header><div class='site-title'>© 2024</div></header>"
     "<a href='/list'><img src='/logo.png' alt='List Your Clinic'></a><h2>HEALTH &amp; MEDICAL</h2></body>", None),
])
def test_headlines_brackets_and_buttons(body, name):
    assert page(body, "https://media.example/a/1")["clinic"]["name_printed"] == name


def test_an_articles_closing_box_names_its_clinic():
    result = page("""<title>認知症にも有効性が期待される「幹細胞治療」の最前線。 | Biz-S 関西</title>
      <meta property="og:type" content="article"><meta property="og:site_name" content="Biz-S 関西"></head><body>
      <h1>認知症にも有効性が期待される「幹細胞治療」の最前線。</h1><p>院長の辻村氏に聞いた。</p>
      <h3>グランソール奈良</h3><dl><dt>所在地</dt><dd>奈良県宇陀市菟田野松井8-1</dd></dl></body>""",
                  "https://www.biz-s.example/kansai/topics/2/")
    assert result["clinic"]["name_printed"] == "グランソール奈良"


def test_a_romanised_medical_corporation_is_not_the_facility():
    result = page("""<title>再生医療</title></head><body><h1>再生医療</h1><footer><p>© Seisuikai</p></footer></body>""")
    assert result["clinic"]["name_printed"] is None


def test_a_title_ending_in_naraplus_a_name_keeps_the_whole_name():
    result = page("<title>エクソソームの保険適用は？｜糖尿病の治療なら世田谷内科・糖尿病総合クリニック</title></head>"
                  "<body><h1>エクソソーム</h1></body>")
    assert result["clinic"]["name_printed"] == "世田谷内科・糖尿病総合クリニック"


def test_a_links_arrow_is_not_part_of_a_name():
    assert clean_name("▶︎イノルト整形外科") == "イノルト整形外科"


def _page(title: str, body: str, url: str = "https://example.jp/column/1/") -> dict:
    html = f"<html><head><title>{title}</title></head><body>{body}</body></html>"
    return extract_clinic_page(html.encode(), url, {"Content-Type": "text/html; charset=utf-8"})


def test_a_brand_with_no_facility_word_is_a_name_only_where_the_page_shows_it_is_a_facilitys():
    """Portals, newspapers and site builders brand their pages as clinics do; a name with no facility word counts
    only when the page uses it as a facility's (its director, its opening), and one such page backs the site."""
    portal = _page("膝の再生医療とは｜ヒザナビ", """<header><img src="/logo.png" alt="ヒザナビ"></header>
      <p>PRP療法は血液から作る治療です。</p><footer><p>© 2025 ヒザナビ</p></footer>""")
    builder = _page("PRP therapy", """<div class="site-title">Made with Sitely</div><p>PRP uses your blood.</p>""")
    law_blog = _page("再生医療法の話｜医療法務の窓", """<header><img src="/logo.png" alt="医療法務の窓"></header>
      <p>再生医療法では提供計画の提出が必要です。</p><footer>© 医療法務の窓</footer>""")  # 医療 is a field, no facility
    assert [p["clinic"]["name_printed"] for p in (portal, builder, law_blog)] == [None, None, None]
    signed = _page("院長あいさつ｜グランヴェール奈良", """<header><img src="/logo.png" alt="グランヴェール奈良"></header>
      <p>2019年にグランヴェール奈良を開設しました。</p><footer><p>© グランヴェール奈良</p></footer>""")
    column = _page("幹細胞治療｜グランヴェール奈良", """<header><img src="/logo.png" alt="グランヴェール奈良"></header>
      <p>幹細胞治療についてご説明します。</p><footer><p>© グランヴェール奈良</p></footer>""")
    assert signed["clinic"]["name_printed"] == "グランヴェール奈良"
    assert column["clinic"]["name_printed"] is None  # nothing on this page alone says it is a clinic's
    assert site_name([signed, column]) == "グランヴェール奈良"
    clinic = _page("料金｜トラ", """<header><img src="/logo.png" alt="トラ"></header>
      <p>PRP療法 片膝 55,000円（税込）</p><footer><p>トラクリニック</p><p>© トラ</p></footer>""")
    assert clinic["clinic"]["name_printed"] == "トラクリニック"  # the bare brand lends its sightings


def test_a_latin_clinique_ends_a_name_as_clinic_does():
    result = page("""<title>細胞移植治療 - SAKURAJIMA STEM CLINIQUE</title></head><body>
      <header><img src="/img/logo.gif" alt="SAKURAJIMA STEM CLINIQUE"></header><p>幹細胞について説明します。</p></body>""")
    assert result["clinic"]["name_printed"] == "SAKURAJIMA STEM CLINIQUE"


def test_a_centre_beside_its_hospital_and_a_phrase_after_a_label_are_not_the_name():
    """未来医療センター in the title is the department of the hospital the logo names; 「名称の例」 over a table of
    therapies' names labels nothing; 「専門医でありイノルト整形外科の」 names the clinic, not 「あり…」."""
    hospital = page("""<title>未来医療センター｜ひろしま大学病院</title></head><body>
      <header><img src="/logo.png" alt="ひろしま大学病院"></header><h1>未来医療センター</h1>
      <p>センターでは再生医療を行っています。</p></body>""")
    assert hospital["clinic"]["name_printed"] == "ひろしま大学病院"
    table = page("""<title>PRPの種類</title></head><body><header><img src="/logo.png" alt="ミナト美容クリニック"></header>
      <table><tr><th>名称の例</th><th>中身</th></tr><tr><td>高濃度PRP</td><td>濃く集めたPRP</td></tr></table></body>""")
    assert table["clinic"]["name_printed"] == "ミナト美容クリニック"
    prose = page("""<title>膝の再生医療</title></head><body><p>この記事は整形外科専門医でありみなと整形外科の院長が監修しています。</p>
      </body>""", url="https://minato-seikei.example/column/")
    assert prose["clinic"]["name_printed"] == "みなと整形外科"


def test_a_romanised_address_with_a_postal_code_and_no_suffixes_gives_the_place():
    place = page_place([Block("2-23 Rinku Orai-kita, Izumisano, Osaka 598-8577 Japan / TEL 072-469-3111", "p")])
    assert (place["prefecture"], place["city"]) == ("大阪府", "泉佐野市")


def test_a_site_name_printed_like_a_title_is_read_in_pieces():
    result = page("""<title>CGFの勉強会</title>
      <meta property="og:site_name" content="「歯」と「口」のはなし|千葉県千葉市の原田歯科クリニック"></head><body>
      <p>原田歯科クリニックのスタッフブログです。</p></body>""", url="https://ameblo.example/harada-dc/entry-1.html")
    assert result["clinic"]["name_printed"] == "原田歯科クリニック"


def test_a_chains_list_of_its_clinics_is_not_the_pages_place():
    chain = page("""<title>お知らせ｜ひざ関節症クリニック</title></head><body><nav><a href="/clinic/">院一覧</a></nav>
      <h1>お知らせ</h1><p>年末年始の休診についてお知らせします。</p>
      <footer><p>院一覧</p><ul><li>札幌ひざ関節症クリニック<br><span>北海道札幌市中央区北一条西三丁目3番11</span></li>
      <li>京都ひざ関節症クリニック</li><li>ほか全国14院</li></ul><p>© ひざ関節症クリニック</p></footer></body>""",
                 url="https://knee-chain.example/news/12/")
    assert chain["clinic"]["prefecture"] is None
    branch = page("""<title>札幌ひざ関節症クリニック</title></head><body><h1>PRP療法</h1>
      <footer><p>院一覧</p><ul><li>札幌ひざ関節症クリニック<br><span>北海道札幌市中央区北一条西三丁目3番11</span></li>
      <li>京都ひざ関節症クリニック</li></ul></footer></body>""", url="https://sapporo.knee-chain.example/prp/")
    assert (branch["clinic"]["prefecture"], branch["clinic"]["city"]) == ("北海道", "札幌市中央区")


@pytest.mark.parametrize("line", ["投稿者 院長", "院長室だより", "Japan Clinic Insights", "NPO法人再生医療推進センター",
                                  "间充质干细胞临床应用安全性评估-学院"])
def test_a_posts_byline_or_the_directors_newsletter_is_not_a_name(line):
    assert clean_name(line) is None


def test_a_posts_byline_is_not_a_name():
    result = page("""<title>PRP療法の費用について｜ドクターブログ</title></head><body><div class="entry">
      <p>PRP療法は自費診療です。</p><p class="entry-footer">投稿者 院長 | <a href="/148.html">個別ページ</a></p></div></body>""",
                  url="https://seikei.example/docblog/archives/148.html")
    assert result["clinic"]["name_printed"] is None


def test_an_xhtml_page_with_an_xml_declaration_is_read_without_a_warning():
    body = """<?xml version="1.0" encoding="EUC-JP"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>診療のお知らせ｜おおてまち整形外科</title></head>
<body><p>当院では、膝関節へのPRP療法を行っています。</p></body></html>""".encode("euc-jp")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = extract_clinic_page(body, "https://ootemachi.example/blog/2017/06/", {"Content-Type": "text/html"})
    assert {o["therapy"] for o in result["offerings"]} == {"prp_intra_articular"}


@pytest.mark.parametrize("codec", ["euc-jp", "cp932"])
def test_a_page_declaring_no_charset_is_read_in_the_japanese_codec_that_fits(codec):
    body = "<html><head><title>ひざの再生医療｜さくら整形外科</title></head><body><p>当院では、膝関節へのPRP療法を行っています。</p>" \
           "<p>治療のあとは、しばらく安静にしてください。</p></body></html>"
    result = extract_clinic_page(body.encode(codec), "https://sakura.example/prp/", {"Content-Type": "text/html"})
    assert result["clinic"]["name_printed"] == "さくら整形外科"
    assert {o["therapy"] for o in result["offerings"]} == {"prp_intra_articular"}


def test_a_line_opening_with_the_corporation_names_its_facility_unless_it_lists_several():
    lead = page("""<title>再生医療の費用について</title></head><body><p>医療法人慶春会福永記念診療所、再生医療ブログ</p>
      <p>幹細胞治療の費用についてお話しします。</p></body>""", url="https://saisei.example/blog/price/")
    assert lead["clinic"]["name_printed"] == "福永記念診療所"
    career = page("""<title>医師紹介</title></head><body><h2>経歴</h2><p>医療法人社団寿量会 熊本機能病院</p>
      <p>医療法人社団我汝会 えにわ病院</p></body>""", url="https://kinen.example/orthopedics/")
    assert career["clinic"]["name_printed"] is None


@pytest.mark.parametrize("line", ["Copyright （Ｃ） 2019 みなと整形外科クリニック All Rights Reserved.",
                                  "Copyright (C) 2019 みなと整形外科クリニック All Rights Reserved."])
def test_a_copyright_line_in_the_body_names_its_holder_whatever_the_width_of_its_c(line):
    html = (f"<html><head><title>PRP療法について</title></head><body><h1>PRP療法</h1><p>ひざの痛みに。</p>"
            f"<div class='bottom'><p>{line}</p></div></body></html>")
    result = extract_clinic_page(html.encode("utf-8"), "https://minato-seikei.example.jp/prp/",
                                 {"Content-Type": "text/html; charset=utf-8"})
    assert result["clinic"]["name_printed"] == "みなと整形外科クリニック"


def test_a_corporations_own_name_before_the_clinic_is_the_corporations():
    candidates = [{"name": "鳩翔会 石田歯科医院", "source": "logo_alt", "weight": 2.5},
                  {"name": "鳩翔会 石田歯科医院", "source": "title", "weight": 2.0},
                  {"name": "医療法人 鳩翔会 石田歯科医院", "source": "copyright", "weight": 1.5},
                  {"name": "石田歯科医院", "source": "prose_host", "weight": 1.2}]
    assert choose_name(candidates)[0] == "石田歯科医院"
    # without the © line nothing says 鳩翔会 is a corporation: the name stays as printed
    assert choose_name(candidates[:2])[0] == "鳩翔会 石田歯科医院"


def test_a_university_in_the_logo_is_a_name_not_a_portals_brand():
    html = ("<html lang='ja'><head><title>再生医療について｜再生医療センター</title></head><body>"
            "<header><a class='logo' href='/'><img src='/logo.png' alt='札幌医科大学'></a></header>"
            "<h1>再生医療について</h1><p>脳梗塞の患者さんに、ご自身の骨髄からとった細胞を点滴で戻す治療の研究を進めています。</p>"
            "<footer><p>Copyright © Sapporo Medical University. All Rights Reserved.</p></footer></body></html>")
    result = extract_clinic_page(html.encode("utf-8"), "https://web.example-sapmed.ac.jp/saisei/",
                                 {"Content-Type": "text/html; charset=utf-8"})
    assert result["clinic"]["name_printed"] == "札幌医科大学"


def test_an_accreditation_badge_in_the_header_is_not_the_logo():
    """Cosmetic and orthopaedic sites put the badges of the bodies that accredit them (「日本美容外科医師会認定医院」,
    「日本整形外科学会 認定施設」) beside the logo; their alts name the body, never the clinic."""
    result = page("""<title>PRP皮膚再生療法のダウンタイム｜美容コラム</title></head><body>
      <header><ul class="l-header__badges"><li><img src="/img/common/badge_jsas.png" alt="日本美容外科医師会認定医院"></li>
      <li><img src="/img/common/award2024.png" alt="ベストクリニック2024受賞"></li></ul>
      <p class="l-header__logo"><a href="/"><img src="/img/common/logo.svg" alt="美容整形・美容外科なら共立美容外科・歯科"></a></p>
      </header><h1>PRP皮膚再生療法のダウンタイム</h1><p>当院ではPRP皮膚再生療法を行っています。</p>
      <footer><p class="l-footer__copy"><small>Copyright &copy; 共立美容外科 All Rights Reserved.</small></p></footer></body>""")
    assert result["clinic"]["name_printed"] == "共立美容外科"
    assert not any("認定" in c["name"] or "受賞" in c["name"] for c in result["clinic"]["name_candidates"])


def test_the_japanese_spelling_of_a_romanised_logo_in_the_text_is_the_name():
    """The logo and the © line print AVENUE CELL CLINIC; the text says 「アヴェニューセルクリニックでは」. The registry
    files the Japanese form, so that is the name read; a branch printed after it (札幌院) is kept."""
    result = page("""<title>変形性膝関節症の治療の流れ｜関節治療｜再生医療</title></head><body>
      <header><a href="/"><img src="/img/logo.png" alt="AVENUE CELL CLINIC"></a></header>
      <p class="topbar">アヴェニューセルクリニックでは最先端の再生医療を受けることができます。</p>
      <h1>治療の流れ</h1><p>脂肪を採取して幹細胞を培養します。</p>
      <footer><p>© AVENUE CELL CLINIC. All Rights Reserved.</p></footer></body>""")
    assert result["clinic"]["name_printed"] == "アヴェニューセルクリニック"
    english = page("""<title>Regenerative medicine | Repair Cell Clinic Sapporo</title></head><body>
      <header><a href="/en/"><img src="/img/logo.png" alt="Repair Cell Clinic Sapporo"></a></header>
      <h1>Stem cell therapy for knee pain</h1>
      <p>Repair Cell Clinic Sapporo（リペアセルクリニック札幌院）は、幹細胞治療を行っています。</p></body>""",
                   "https://repaircell.example/en/")
    assert english["clinic"]["name_printed"] == "リペアセルクリニック札幌院"


def test_a_romanised_nav_word_lends_no_reading_to_a_phrase():
    result = page("""<title>PRP療法｜土佐整形外科</title></head><body>
      <header><a href="/"><img src="/img/home.png" alt="HOME"></a></header>
      <p>HOME|クリニックのご案内</p><h1>PRP療法</h1></body>""")
    assert result["clinic"]["name_printed"] == "土佐整形外科"


def test_a_facts_list_written_as_dl_gives_the_name_above_the_address_and_the_labelled_place():
    """<dt>法人名</dt><dd>…善衆会病院</dd><dt>所在地</dt><dd>〒…</dd>: the label 「所在地」 is not a name; the row above
    the address names the hospital; an address without a postal code is still the labelled place."""
    result = page("""<title>院長インタビュー｜医療の窓</title></head><body><h1>院長インタビュー</h1>
      <p>膝の痛みに向き合ってきた院長に話を聞きました。</p>
      <dl class="info"><dt>法人名</dt><dd>医療法人社団 善衆会 善衆会病院</dd><dt>所在地</dt>
      <dd>〒379-2115 群馬県前橋市笂井町54-1</dd><dt>電話</dt><dd>027-266-1482</dd></dl></body>""",
                  "https://magazine.example/interview/73/")
    assert result["clinic"]["name_printed"] != "所在地"
    assert "所在地" not in {c["name"] for c in result["clinic"]["name_candidates"]}
    bare = page("""<title>アクセス｜お茶の水セルクリニック</title></head><body><h1>アクセス</h1>
      <dl><dt>所在地</dt><dd>東京都千代田区（ニコライ堂のすぐ近く、オフィスビルの2階・3階）</dd>
      <dt>最寄り駅</dt><dd>JR中央線「御茶ノ水駅」より徒歩約3分</dd></dl></body>""")
    assert bare["clinic"]["prefecture"] == "東京都"


@pytest.mark.parametrize("printed, name", [
    ("大阪府摂津市 オーラルケアスタジオ歯科Osaka", "オーラルケアスタジオ歯科Osaka"),  # a header title: the place, a space, the name
    ("富士森内科八王子リウマチ膠原病クリニック(八王子市", "富士森内科八王子リウマチ膠原病クリニック"),  # a directory's cut
    ("愛知県一宮市の森整形外科", "森整形外科"),
    ("再生医療専門であるそばじまクリニック", "そばじまクリニック"),  # what the clinic is, said before its name
])
def test_a_place_printed_around_a_name_is_not_part_of_it(printed, name):
    assert clean_name(printed) == name


def test_a_directory_or_news_place_tag_gives_the_place():
    """「（八王子市/八王子駅）」 under a directory entry's heading, 「【兵庫県尼崎市】」 over a news item: the place tag is
    all the page prints of where the clinic stands."""
    directory = page("""<title>富士森内科八王子リウマチ膠原病クリニック｜ドクターズ・ファイル</title></head><body>
      <h1>富士森内科八王子リウマチ膠原病クリニック</h1><p>（八王子市/八王子駅）</p><p>院長にお話を伺いました。</p></body>""",
                     "https://doctors.example/clinic/1/")
    assert (directory["clinic"]["prefecture"], directory["clinic"]["city"]) == ("東京都", "八王子市")
    news = page("""<title>新院長就任のお知らせ｜まつうら整形外科スポーツ・リハビリクリニック</title></head><body>
      <h1>新院長就任のお知らせ</h1><p>【兵庫県尼崎市】</p><p>4月から新しい院長が着任しました。</p></body>""")
    assert news["clinic"]["prefecture"] == "兵庫県"
    spaced = page("""<title>マッターホルン病院｜病院ガイド</title></head><body><h1>マッターホルン病院</h1>
      <p>（広島県 呉市）</p><p>回復期のリハビリを担う病院です。</p></body>""", "https://hospitals.example/h/1/")
    assert (spaced["clinic"]["prefecture"], spaced["clinic"]["city"]) == ("広島県", "呉市")


def test_a_news_item_placing_the_pages_clinic_gives_its_place():
    """「広島県呉市にある○○病院」 in a newspaper's feature on that hospital; a place said of another facility is not."""
    news = page("""<title>リハビリの現場から｜○○新聞</title></head><body><h1>リハビリの現場から</h1>
      <p>広島県呉市にあるマッターホルンリハビリテーション病院は、回復期の患者を受け入れている。</p>
      <div class="logo"><img src="/img/logo.png" alt="マッターホルンリハビリテーション病院"></div></body>""",
                "https://news.example/article/886253/")
    assert news["clinic"]["name_printed"] == "マッターホルンリハビリテーション病院"
    assert (news["clinic"]["prefecture"], news["clinic"]["city"]) == ("広島県", "呉市")
    other = page("""<title>院長紹介｜あおば整形外科</title></head><body><h1>院長紹介</h1>
      <p>大阪府堺市にあるみなと病院で研修を受けました。</p></body>""")
    assert other["clinic"]["prefecture"] is None


@pytest.mark.parametrize("printed, name", [
    ("ラベル: PRP, 再生医療新法", None),  # a blog's label line in its footer
    ("カテゴリー: 病院・クリニック", None),
    ("佐々木 拓郎総合院長", None),  # a person and the post held
    ("ホスピタルズ・ファイル", None),  # directories' brands
    ("病院なび", None),
    ("大阪・心斎橋の中村AJペインクリニック", "中村AJペインクリニック"),  # a prefecture and a district before the name
    ("北海道・札幌の白石病院", "白石病院"),
    ("鳩翔会 石田歯科医院", "石田歯科医院"),  # a corporation's name without its legal form
    ("JCHO山梨病院", "山梨病院"),  # the operator's acronym
])
def test_lines_a_chooser_falls_back_on_when_the_best_source_is_missing(printed, name):
    """With one source of a page's name taken away (its title, logo alt or ©), these lines were chosen instead."""
    from scrapers.parsers.clinic_names import brand_name

    assert clean_name(printed) == name
    if name is None:
        assert brand_name(printed) is None  # nor read as a brand in a logo or og:site_name


def test_a_directorys_list_your_clinic_button_is_not_a_name():
    assert clean_name("クリニック掲載") is None


@pytest.mark.parametrize("heading", ["Leave a Reply", "LEAVE A REPLY", "Related Posts", "Recent Comments"])
def test_a_blogs_comment_form_or_widget_heading_is_no_brand(heading):
    from scrapers.parsers.clinic_names import brand_name

    assert brand_name(heading) is None


@pytest.mark.parametrize("printed", ["この記事の医院", "肌の再生医療って", "矯正歯科", "審美歯科"])
def test_a_pointer_a_question_or_a_dental_specialty_is_no_name(printed):
    assert clean_name(printed) is None


def test_a_registry_records_provider_row_names_the_facility():
    """A jRCT record prints 「提供機関の名称 医療法人香華会 Re:Born Clinic 本院」 in a table row, or as <dt>/<dd>."""
    for rows in ("<table><tr><th>提供機関の名称</th><td>医療法人香華会 Re:Born Clinic 本院</td></tr></table>",
                 "<dl><dt>再生医療等提供機関の名称</dt><dd>医療法人香華会 Re:Born Clinic 本院</dd></dl>"):
        result = page(f"<title>jRCTb070250113 | jRCT</title></head><body><h1>研究の概要</h1>{rows}</body>",
                      "https://jrct.example/latest-detail/jRCTb070250113")
        assert (result["clinic"]["name_printed"] or "").endswith("Re:Born Clinic 本院")


def test_branches_phones_in_other_prefectures_give_no_one_phone():
    """A footer listing 東京院 TEL 03-… and 大阪院 TEL 06-…: the page's clinic is neither, so neither number (nor its
    area's prefecture) is the page's. One labelled number is the page's phone."""
    chain = page("""<title>PRPの効果｜共立美容外科</title></head><body><h1>PRPの効果</h1><p>肌のPRP療法について。</p>
      <div class="branches"><ul><li>東京院 TEL 03-0000-0000</li><li>大阪院 TEL 06-0000-0000</li></ul></div></body>""")
    assert chain["clinic"]["phone"] is None and chain["clinic"]["phone_prefecture"] is None
    single = page("""<title>PRP｜さくら整形外科</title></head><body><h1>PRP</h1><footer><p>TEL 06-1234-5678</p></footer></body>""")
    assert single["clinic"]["phone"] == "06-1234-5678"


@pytest.mark.parametrize("printed", ["△白山通りクリニック", "▲白山通りクリニック", "□白山通りクリニック", "▼白山通りクリニック"])
def test_a_bullet_before_a_name_is_no_part_of_it(printed):
    assert clean_name(printed) == "白山通りクリニック"


@pytest.mark.parametrize("printed", ["院长致辞", "院長致詞", "诊所介绍", "診所簡介", "원장 인사말", "병원 소개"])
def test_a_chinese_or_korean_pages_greeting_or_about_heading_is_no_name(printed):
    assert clean_name(printed) is None
