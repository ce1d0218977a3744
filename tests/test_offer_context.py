"""Offered or only mentioned; what kind of amount a yen figure is; disclosures and approval wording (issue 10)."""

from __future__ import annotations

import pytest

from scrapers.parsers.ad_wording import approval_wording, disclosures
from scrapers.parsers.clinic_page import extract_clinic_page
from scrapers.parsers.offer_context import is_column_page


def read(body: str, url: str = "https://clinic.example/regenerative/") -> dict:
    return extract_clinic_page(f"<html><head>{body}</html>".encode(), url, {"Content-Type": "text/html; charset=utf-8"})


def offered(result: dict) -> set[str]:
    return {o["therapy"] for o in result["offerings"]}


def test_a_column_comparing_therapies_offers_none_of_them():
    result = read("""<title>PRP・APS・幹細胞はどう違う？｜コラム</title></head><body>
      <h2>費用の目安</h2><p>一般的な相場は、PRPは1回3万〜30万円、APSは1回30万円前後です。</p>
      <p>脂肪由来幹細胞を培養して関節に注射する治療もあります。</p></body>""", "https://clinic.example/column/12")
    assert offered(result) == set()
    assert {m["therapy"] for m in result["mentions"]} >= {"prp_intra_articular", "aps"}
    assert result["prices"] == [] and {a["kind"] for a in result["other_amounts"]} == {"comparison"}


def test_what_the_clinic_says_it_does_not_offer_is_a_mention():
    result = read("""<title>PRP療法｜ひかり整形外科</title></head><body><h1>ひざのPRP療法</h1>
      <p>当院ではひざ関節内へのPRP療法を行っています。</p><p>当院ではAPS療法は行っておりません。</p></body>""")
    assert offered(result) == {"prp_intra_articular"}
    assert [(m["therapy"], m["why"]) for m in result["mentions"]] == [("aps", "denied")]


def test_fees_beside_therapy_prices_are_kept_as_what_they_are():
    result = read("""<title>料金表｜ひかり整形外科</title></head><body><h2>再生医療の料金</h2><table>
      <tr><td>初診料</td><td>5,500円</td></tr>
      <tr><td>感染症血液検査</td><td>8,800円</td></tr>
      <tr><td>PRP療法（ひざ関節内・片膝）</td><td>40,000円（税込44,000円）</td></tr>
      <tr><td>保険診療の場合（3割負担）</td><td>約1,500円</td></tr>
      <tr><td>細胞保管料（1年）</td><td>55,000円</td></tr>
      <tr><td>キャンセル料（採血後）</td><td>22,000円</td></tr></table>
      <p>これまでに2,432症例を行いました。</p></body>""")
    assert [(p["amount_min"], p["tax"], p["amount_excluding_tax"]) for p in result["prices"]] == [(44000, "included", 40000)]
    assert {a["amount_min"]: a["kind"] for a in result["other_amounts"]} == {
        5500: "consultation", 8800: "test", 1500: "copay", 55000: "storage", 22000: "cancellation"}


def test_a_dollar_conversion_is_not_a_second_price():
    result = read("""<title>Fees | Ginza Knee Clinic</title></head><body><h1>Stem cell therapy</h1>
      <p>We offer cultured adipose-derived stem cell injections. One knee: ¥1,320,000 (approx. US$8,800)</p></body>""")
    assert [(p["currency"], p["amount_min"], p.get("usd_approx")) for p in result["prices"]] == [("JPY", 1320000, 8800)]


@pytest.mark.parametrize("url, title, column", [
    ("https://c.example/column/prp-aps", "PRPとAPSの違い", True),
    ("https://c.example/new_columns/supernatant/", "上清液の種類", True),
    ("https://c.example/treatment/prp/", "PRP療法｜ひかり整形外科", False),
    ("https://c.example/2025/09/06/prp-adscs", "膝の痛みに対する再生医療", True),  # a blog engine's dated permalink
    ("https://c.example/price/2025/", "料金表", False),  # a year alone is no post
    ("https://dir.example/answer/571100", "Is Anti-Aging Stem Cell Therapy Legal In Japan? | Directory", True),
    ("https://c.example/en/prp/", "PRP Therapy | Hikari Orthopedics", False),
    ("https://c.example/faq/no4/", "PRP療法に副作用はありますか？｜ひざクリニック", True),  # a question answered
    ("https://c.example/exosome-safety/", "エクソソームの安全性は？", True),
    ("https://g.example/kuma/prp/", "目の下のクマ・たるみ治療のPRP療法とはどんな方法？｜顔のたるみ治療ガイド", True),
    ("https://d.example/aps-knee-cost", "膝のAPS療法の費用は？治療の特徴と治療後の生活 | 再生医療ドック", True),
    ("https://c.example/prp/", "PRP療法（ひざ関節）｜さくら整形外科", False),  # no question: the clinic's therapy page
])
def test_column_pages(url, title, column):
    assert is_column_page(url, title) is column


@pytest.mark.parametrize("text", [
    "国内で承認されている同一の目的の医薬品等はありません。",
    "同じ目的・同等の性能をもつ国内承認の医薬品・再生医療等製品はありません。",
    "There is no equivalent approved drug in Japan for this purpose.",
])
def test_the_alternatives_disclosure_in_other_words(text):
    assert "alternatives" in disclosures(text)["present"]


def test_all_five_disclosures_worded_freely():
    text = ("本治療は医薬品医療機器等法上の承認を得ていない治療です。細胞は当院が委託する細胞培養加工施設で培養します。"
            "同じ目的の国内承認医薬品はありません。海外では重大なリスクの報告はありません。"
            "医薬品副作用被害救済制度の対象外です。")
    assert disclosures(text)["missing"] == []


@pytest.mark.parametrize("sentence, wrong", [
    ("当院の再生医療は厚生労働省に認可された治療です。", True),
    ("厚労省認可の幹細胞治療", True),
    ("当院は国から認められた再生医療等提供機関です。", True),
    ("Our treatment is approved by the Ministry of Health, Labour and Welfare.", True),
    ("A government-licensed stem cell clinic in Tokyo.", True),
    ("厚生労働省に提供計画を提出し、受理されています。", False),
    ("この治療は厚生労働省の承認を受けていません。", False),
    ("米国FDAで承認されたキットを使用しています。", False),
    ("細胞培養加工施設は厚生労働省の許可を受けています。", False),
    ("This therapy is not approved by the MHLW.", False),
    ("Our cell processing facility is licensed by the Ministry.", False),
    # a denial later in a long sentence is about something else; the approval said first still stands
    ("厚労省に届け出て認可してもらう必要があるため、どの医院でも気軽に受けられる治療というものではありません。", True),
    ("法律のもとで、認可を受けた医療施設だけがこの治療を行えます。", True),
    ("A regional health and welfare bureau approved the clinic's stem cell program.", True),
    # an approved product now covered by insurance is truly approved (自家培養軟骨)
    ("自家培養軟骨の移植は厚生労働省から承認を受け、健康保険でも受けられるようになりました。", False),
    ("こうした治療は、標準的な治療として国に認められていないのが現状です。", False),
    ("Clinics must hand their plans to the government authorities and obtain approval before treating.", True),
    ("Any procedure using cord blood needs explicit authorisation from Japan's health ministry.", True),
    ("The clinic gave the treatment without approval from the Ministry.", False),
    # a cell-processing facility's licence is a real licence, not a claim about the clinic's treatment
    ("また、細胞の加工は国の認可を得た施設で行います。", False),
    ("厚生労働省より認可を受けた細胞培養センターで細胞を製造します。", False),
    # certified (認定) by the ministry is the same claim; the ministry certifies the committees, which is true
    ("このたび当院は、PRP療法を実施できる施設として厚生労働省から施設認定されました。", True),
    ("PRP療法は、厚労大臣から認定を受けた治療です。", True),
    ("幹細胞療法は厚生労働省からの認定を受けなければ実施できません。", True),
    ("計画は、厚生労働省から認定された特定認定再生医療等委員会の審査を経て提出しました。", False),
    ("比如，我国已经批准了首款脐带间充质干细胞药物。", False),  # a Chinese page's 我国 is China, not Japan
    ("再生医療等を行う医療機関は、厚生労働省が認可した特定認定再生医療等委員会で審査を受けなければなりません。", False),
    ("厚生労働省によって認可・受理された、再生医療の審議委員会です。", False),  # said of the committee
    ("治療の妥当性は、厚生労働省が認定した特定認定再生医療等委員会が審査します。", False),
    # a permit said to be needed to provide a therapy misstates the law; how insurance comes, told in general, does not
    ("幹細胞治療を提供するには厚生労働省の許可が必要であり、当クリニックはその基準を満たしています。", True),
    ("保険で治療を受けられるようになるには、国に認められる必要があります。", False),
    ("国が認めた再生医療を受けられます。", True),
    ("厚生労働省認定クリニック", True),
    ("PRP療法は厚生労働省の承認を受けた治療ではありません。", False),
    ("自家培養軟骨ジャックは厚生労働省の承認を受けた再生医療等製品です。", False),  # a product, truly approved
    ("受理されたことは、治療の効果や安全性を国が認めたものではありません。", False),
    # an approval aimed at is not had; an application said to be required misstates the law
    ("その一部は、国の承認を目指す治験として実施されています。", False),
    ("国の承認取得に向けて研究が進んでいます。", False),
    # the same claims on Chinese and Korean pages for patients abroad; a committee certified by the ministry is true
    ("我们只向客户推荐经日本厚生劳动省认可的正规诊所。", True),
    ("浪速北濱再生診所是經日本厚生勞動省核准的合法診所。", True),
    ("후생노동성 인증 클리닉입니다.", True),
    ("厚生劳动省认证的特定认定再生医疗等委员会审查了计划。", False),
    ("このPRP療法を行うには、厚生労働省への認可申請の手続きをしなければなりません。", True),
])
def test_approval_wording_by_meaning(sentence, wrong):
    assert bool(approval_wording([sentence])) is wrong


@pytest.mark.parametrize("sentence, wrong", [
    ("第三種再生医療についても、認可を受けて提供しています。", True),
    ("厚生労働省の承認を受けておらず、治療は自由診療です。", False),
    ("承認を受けていない治療です。", False),
])
def test_approval_without_a_named_authority(sentence, wrong):
    assert bool(approval_wording([sentence])) is wrong


def test_other_countries_and_national_universities_are_not_the_state():
    assert approval_wording(["欧米各国で承認されている治療です。", "国立大学の倫理委員会で承認された研究です。"]) == []


def test_a_price_row_offers_its_therapy_where_no_sentence_names_the_site():
    result = read("""<title>PRP療法｜みどり坂病院</title></head><body><h1>PRP療法</h1>
      <h2>PRP治療の費用</h2>
      <p>第二種（変形性膝関節症などへの膝関節内注射）：50,000円（税込）</p>
      <p>第三種（腱の付着部炎や靱帯損傷などへの関節外注射）：30,000円（税込）</p></body>""")
    assert offered(result) == {"prp_intra_articular", "prp_other"}
    assert {o["offered_because"] for o in result["offerings"]} == {"priced"}


def test_a_patellar_tendon_outside_the_joint_is_not_knee_prp():
    result = read("""<title>PRP外来｜あかし病院</title></head><body><h1>PRP外来</h1>
      <p>当院のPRP外来では、テニス肘、膝蓋腱炎、足底腱膜炎など、筋肉・腱・靱帯の痛みに対して、関節の外からPRPを注射しています。</p>
      </body>""")
    assert offered(result) == {"prp_other"}


def test_prp_that_a_product_is_made_from_is_not_a_second_therapy():
    result = read("""<title>PFC-FD療法｜あおぞら整形外科</title></head><body><h1>PFC-FD療法</h1>
      <p>当院ではPRP療法を応用したPFC-FD療法を取り扱っています。</p>
      <p>採血した血液からPRPを作り、凍結乾燥します。</p></body>""")
    assert offered(result) == {"pfc_fd"}


def test_prgf_in_the_mouth_is_prp_outside_joints():
    result = read("""<title>インプラントコラム｜さかえ歯科</title></head><body><h1>自家再生医療材料</h1>
      <p>当院では、インプラント治療の際に、患者さんの血液から作るPRGFを用いた口腔内の再生医療を行っています。</p></body>""")
    assert offered(result) == {"prp_other"}


@pytest.mark.parametrize("sentence, wrong", [
    ("当院は2015年11月30日に、PRP療法について正式に認可されています。", True),
    ("採取した血液を厚生労働省認可の再生医療センター（セルソース株式会社）へ搬送し、PFC-FDを作製します。", False),
    ("当院で使う幹細胞は、国から認可を受けたセルソース社（以下「同社」）が製造しています。", False),
    ("この自家培養軟骨は、平成24年7月に厚生労働省から製造販売の承認を受けた製品で、健康保険で治療が受けられます。", False),
    ("当院の再生医療は国から認可を受けています。", True),
])
def test_approval_claimed_by_the_clinic_and_a_labs_licence(sentence, wrong):
    assert bool(approval_wording([sentence])) is wrong


def test_a_number_printed_twice_is_one_identifier():
    notice = "<p>第2種再生医療等提供計画（計画番号：PB3210010）を提出し、受理されています。</p>"
    result = read(f"<title>APS療法｜あさま病院</title></head><body>{notice}<div class='sp'>{notice}</div></body>")
    assert [i["canonical"] for i in result["identifiers"]] == ["PB3210010"]


def test_an_aps_page_names_the_prp_plan_it_is_given_under_without_offering_plain_prp():
    result = read("""<title>APS療法｜あさま病院</title></head><body><h1>APS療法</h1>
      <p>当院ではAPS療法を行っています。</p>
      <p>第二種再生医療等提供計画を提出し、PRPを用いた変形性関節症の治療（関節内への投与）を行えるようになりました。</p>
      <p>Appointments for next-generation PRP therapy (APS) are made at the desk.</p></body>""")
    assert offered(result) == {"aps"}


def test_a_branch_or_a_doctor_that_uses_a_therapy_offers_it():
    blog = read("""<title>ドクターブログ｜リペアセル</title></head><body><h1>はじめまして</h1>
      <p>東京院では、ご自身の脂肪から取り出して培養した幹細胞を関節に注射する治療を担当しています。</p></body>""",
                "https://clinic.example/blog/1")
    assert offered(blog) == {"adipose_cultured"}
    other_hospital = read("""<title>コラム</title></head><body><h1>治療の比較</h1>
      <p>大学病院では、骨髄から採取した幹細胞を使っています。</p></body>""", "https://clinic.example/column/2")
    assert offered(other_hospital) == set()


def test_an_english_section_says_which_stem_cells_its_heading_means():
    result = read("""<title>Regenerative medicine</title></head><body><h2>Our treatments</h2><dl>
      <dt>Stem cell therapy for knee osteoarthritis</dt>
      <dd>A small amount of fat is taken from your abdomen. The stem cells in it are cultured and injected.</dd>
      </dl></body>""", "https://clinic.example/en/")
    assert offered(result) == {"adipose_cultured"}


@pytest.mark.parametrize("text, item", [
    ("The cells are not a pharmaceutical or regenerative medical product approved under the PMD Act.", "unapproved"),
    ("PRPは、患者様ご自身の血液から、院内で医療機器として承認された専用キットを使って作製します。", "source"),
    ("患者様ご自身の脂肪組織から採取して精製した細胞を、培養せずに投与しています。", "source"),
])
def test_disclosures_in_longer_sentences(text, item):
    assert item in disclosures(text)["present"]


def test_a_prp_page_listing_what_it_treats_offers_prp_at_each_site():
    result = read("""<title>PRP療法｜あめみや整形外科</title></head><body><h1>再生医療「PRP療法」</h1>
      <p>当院では、その方法のひとつとして「PRP療法」を取り入れています。</p>
      <h2>対象となる部位</h2><ul><li>変形性膝関節症などによる膝関節の痛み(関節の中への注射)</li>
      <li>靭帯・腱・筋肉</li><li>【適応】肩こり、筋肉痛</li></ul></body>""")
    assert offered(result) == {"prp_intra_articular", "prp_other"}


@pytest.mark.parametrize("word, code", [("PDF-FD療法", "pfc_fd"), ("MFAT", "adipose_uncultured"),
                                        ("GPSⅢ", "prp_other"), ("PRPG治療", "prp_other")])
def test_product_names_clinics_use(word, code):
    from readers.taxonomy import classify_therapy

    assert classify_therapy(word) == code


def test_under_the_clinics_own_heading_a_comparison_is_still_a_comparison():
    result = read("""<title>毛髪再生医療｜銀座ステムファイン</title></head><body><h1>毛髪再生医療</h1>
      <h2>当院の毛髪再生医療</h2><p>当院の毛髪再生医療では、培養した幹細胞を、薄毛が気になる部分の頭皮に注入します。</p>
      <p>上清液のように「液体だけ」を入れる治療よりも、働きが長く続くことが期待されます。</p>
      <p>お顔のほうは、当院でも再生医療のPRPで回復をはかっています。</p></body>""")
    assert offered(result) == {"other", "prp_other"}
    assert "culture_supernatant" in {m["therapy"] for m in result["mentions"]}


def test_a_prp_section_about_tendons_is_prp_outside_the_joint_beside_a_denied_knee_prp():
    result = read("""<title>再生医療（PRP・APS療法）のご案内｜人工関節センター</title></head><body>
      <h1>再生医療（PRP・APS療法）のご案内</h1>
      <h2>PRP療法（多血小板血漿）</h2><p>筋肉や腱が骨に付く部分に慢性的な炎症がある方のための治療です。
      ご自身の血液から作ったPRPを注射して、組織の修復をうながします。</p>
      <h3>PRP療法の適応</h3><ul><li>アキレス腱炎、足底腱膜炎</li><li>肉離れ、靱帯損傷 など</li></ul>
      <p>※なお、当院では変形性膝関節症に対するPRPの関節内注射は行っておりません。</p>
      <h2>APS療法</h2><p>APS療法は、変形性膝関節症の方を対象に当センターで行っている治療です。</p></body>""")
    assert offered(result) == {"prp_other", "aps"}


def test_an_english_page_saying_what_the_clinic_does_offers_it():
    result = read("""<title>Q&amp;A</title></head><body><h1>Questions</h1>
      <p>At our clinic we take mesenchymal stem cells from a small amount of the patient's own fat, grow them outside
      the body and then give them back to the patient.</p></body>""", "https://clinic.example/en/qa/")
    assert offered(result) == {"adipose_cultured"}


def test_a_clinic_describing_itself_and_a_plan_printed_with_its_number_offer_the_therapy():
    column = "https://clinic.example/column/podcast-66"
    itself = read("""<title>第66回 美肌のはなし｜ブログ</title></head><body><h1>美肌のはなし</h1>
      <p>PRP 高濃度血小板血漿による肌の再生医療を行うクリニックです。</p></body>""", column)
    assert offered(itself) == {"prp_other"}
    numbered = read("""<title>最新の治療｜ブログ</title></head><body><h1>最新の治療</h1>
      <p>第2種 変形性関節症に対するPRP関節内投与 計画番号：PB3180126</p></body>""", column)
    assert offered(numbered) == {"prp_intra_articular"}
    explained = read("""<title>再生医療とは｜ブログ</title></head><body><h1>再生医療とは</h1>
      <p>変形性関節症に対するPRP関節内投与は、自分の血液を使う治療です。</p></body>""", column)
    assert offered(explained) == set()


@pytest.mark.parametrize("sentence", [
    "Tokyo Clinic currently treats two groups of conditions with MSCs taken from the patient's own adipose tissue.",
    "In 2015 we started a clinical trial of a dendritic cell vaccine for adult T-cell leukemia.",
    "The stem cells widely utilized in our clinical practice are somatic stem cells.",
])
def test_english_ways_of_saying_the_clinic_gives_it(sentence):
    result = read(f"<title>News</title></head><body><h1>News</h1><p>{sentence}</p></body>",
                  "https://clinic.example/en/news/1")
    assert offered(result)


def test_an_old_table_menu_row_of_links_is_chrome_and_a_treatment_menu_table_is_not():
    menu = "".join(f'<td><a href="/?menuid={i}"><font>{w}</font></a></td>' for i, w in
                   enumerate(["HOME", "About Us", "MSC Therapy", "Immune Cell Therapy", "Access"]))
    chrome = read(f"""<title>Health Check-up | Tokyo Clinic</title></head><body><table id="gnavi"><tr>{menu}</tr></table>
      <h1>Health Check-up</h1><p>Book your check-up.</p></body>""", "https://clinic.example/en/checkup")
    assert offered(chrome) == set() and chrome["mentions"] == []
    table = read("""<title>再生医療センター</title></head><body><h1>再生医療センター</h1><h2>治療メニュー</h2>
      <table class="menu"><tr><th>APS療法</th><td>血液から炎症を抑える成分を濃縮してひざに注射</td></tr>
      <tr><th>PRP療法</th><td>血小板を濃縮した血漿を関節に注射</td></tr></table></body>""")
    assert offered(table) == {"aps", "prp_intra_articular"}


def test_a_breadcrumb_that_says_blog_makes_the_page_a_column():
    result = read("""<title>PRPとの出会い</title></head><body><p>HOME > 院長ブログ > PRPとの出会い</p>
      <h1>PRPとの出会い</h1><p>美容外科で知ったPRPの話です。</p></body>""", "https://clinic.example/archives/85")
    assert offered(result) == set()


def test_a_prp_title_over_a_page_that_performs_aps_names_the_family_not_a_second_therapy():
    result = read("""<title>変形性膝関節症に対するPRP療法｜整形外科</title></head><body>
      <h1>変形性膝関節症に対するPRP療法</h1>
      <p>当院では自己タンパク質溶液（APS）を用いた治療を行っています。</p></body>""")
    assert offered(result) == {"aps"}
    both = read("""<title>PRP療法｜整形外科</title></head><body><h1>PRP療法</h1>
      <p>当院では腱や靭帯の損傷にPRPを注射しています。ひざには当院ではAPSを用いた治療を行っています。</p></body>""")
    assert offered(both) == {"aps", "prp_other"}


def test_a_list_of_cell_free_products_names_each_and_jumpers_knee_is_a_tendon():
    result = read("""<title>幹細胞培養上清液・エクソソーム・PFC-FDで肌と髪を再生</title></head><body>
      <h1>幹細胞培養上清液・エクソソーム・PFC-FDで肌と髪を再生</h1><p>当院で受けられます。</p></body>""")
    assert offered(result) == {"culture_supernatant", "exosome", "pfc_fd"}
    tendon = read("""<title>PRP療法（自由診療）</title></head><body><h1>PRP療法（自由診療）</h1>
      <p>当院では、腱の付着部の痛み（テニス肘、ジャンパー膝、アキレス腱の痛み）に対してPRP療法を行っています。</p></body>""")
    assert offered(tendon) == {"prp_other"}


def test_a_list_under_a_heading_about_what_the_clinic_performs_is_offered():
    result = read("""<title>がん免疫療法｜仙台駅前アエルクリニック</title></head><body><h2>がん免疫療法</h2>
      <h3>3.当院で行っている免疫療法</h3><ul><li>樹状細胞ワクチン療法</li><li>活性化リンパ球療法</li></ul></body>""")
    assert offered(result) == {"other"}


@pytest.mark.parametrize("question", [
    "エクソソームは国に承認された治療ですか？",
    "Q. Is MSC therapy approved by the Ministry of Health?",
])
def test_a_question_about_approval_is_not_a_claim_of_it(question):
    assert approval_wording([question]) == []
    assert approval_wording(["当院の治療は厚生労働省に認可された治療です。"])


@pytest.mark.parametrize(("text", "discloses"), [
    ("ご自身の血液を使うため、副作用が少なくリスクの低い治療法です。", False),  # a claim of low risk
    ("ほかの薄毛治療の副作用やアレルギーが心配な方", False),  # another treatment's side effects
    ("法律により、リスクの大きさに応じて三つに分類されています。", False),  # the Act's risk classes
    ("副作用や限界について説明があるか", False),  # a checklist's question
    ("注射後に痛みや腫れが2〜3日続くことがあります。", True),  # a risk told without the word 副作用
    ("まれに感染症を起こすリスクがあります。", True),
    ("It is safe, with minimal side effects.", False),
])
def test_a_risk_disclosure_tells_a_risk_of_this_treatment(text, discloses):
    assert ("risks" in disclosures(text)["present"]) is discloses


def test_a_sentence_that_denies_a_therapy_after_a_comma_denies_it():
    result = read("""<title>PRP療法（自由診療）</title></head><body><h2>PRP療法（自由診療）</h2>
      <p>当院では、腱や靭帯の損傷にPRPを注射する治療を行っています。</p>
      <p>変形性膝関節症などで関節の中に注射するPRP療法は、当院では行っていません。</p></body>""")
    assert offered(result) == {"prp_other"}
    assert {m["therapy"]: m["why"] for m in result["mentions"]} == {"prp_intra_articular": "denied"}


def test_a_clinics_page_mostly_about_one_therapy_offers_it_and_a_column_does_not():
    body = """<title>Eligibility</title></head><body><h1>Who can be treated</h1>
      <p>Immune cell therapy uses your own lymphocytes.</p><p>NK cells are grown for two weeks.</p>
      <p>Dendritic cells are given by injection.</p><p>Please read our notes before applying.</p></body>"""
    assert offered(read(body, "https://clinic.example/en/eligible")) == {"other"}
    assert offered(read(body, "https://clinic.example/column/eligible")) == set()


@pytest.mark.parametrize("text", [
    "上清液は医薬品として承認されたものではありません。",
    "PRPは、国内で承認を受けた医薬品ではありません。",
    "本疗法所使用的细胞，并非日本《药机法》批准的药品。",
    "この状態が「無承認」と指摘されているものです。",
])
def test_unapproved_status_in_more_wordings(text):
    assert "unapproved" in disclosures(text)["present"]
    assert "unapproved" not in disclosures("当院の治療は厚生労働省に届け出ています。")["present"]


@pytest.mark.parametrize("text", [
    "当院で採取した脂肪と血液は、株式会社セルバンクに送られ、同社の再生医療センターで培養されます。",
    "採取した血液を再生医療センター（セルソース株式会社）へ搬送し、PFC-FDを作製します。",
    "APSは、院内の「細胞加工室」という専用の部屋で作ります。",
    "採血したその日に、当院の処置室内で専用キットを使ってPRPをつくります。",
    "The cells are grown in our own dedicated culture room.",
])
def test_where_the_cells_come_from_in_more_wordings(text):
    assert "source" in disclosures(text)["present"]


@pytest.mark.parametrize(("text", "names_alternatives"), [
    ("国内で承認された医薬品・医療機器ではありません。", False),  # the unapproved item, not the alternatives one
    ("すべての方に同じ効果が出るわけではありません。", False),
    ("国内で承認されている同一の目的の医薬品等はありません。", True),
    ("同じ効果をもつ国内承認医薬品として、フィナステリドがあります。", True),
])
def test_the_alternatives_item_is_about_approved_alternatives(text, names_alternatives):
    assert ("alternatives" in disclosures(text)["present"]) is names_alternatives


def test_prp_named_as_what_aps_is_made_with_is_not_a_second_therapy():
    from scrapers.parsers.clinic_therapies import mentions_in

    words = lambda s: [m.group(0) for m, _ in mentions_in(s)]  # noqa: E731
    assert words("当院で始めるのは、PRP（多血小板血漿）を使ったAPS療法です。") == ["APS"]
    assert words("PRPを用いた治療とAPSを用いた治療があります。") == ["PRP", "APS"]


@pytest.mark.parametrize(("sentence", "claims"), [
    ("このたび、PRP療法の承認がおりました。", True),
    ("この治療法は2021年に認可されたばかりです。", True),
    ("治療の難しい疾患についても順次認可を受け、提供しています。", True),
    ("この治療は厚生労働省の承認を受けていません。", False),
    ("未承認の治療法です。", False),
])
def test_a_therapy_said_to_be_approved_is_an_approval_claim(sentence, claims):
    assert bool(approval_wording([sentence])) is claims


@pytest.mark.parametrize("sentence", [
    "このたび、当クリニックでPRP療法を導入しました。",
    "あすくりでは、このたびPRP療法をはじめることになりました。",
    "当院では、抜歯のあとにもこのPRFを活用しています。",
    "We are now offering PRP injections for knee pain.",
    "本院形成外科では、培養した脂肪由来幹細胞を用いたPRP併用の臨床研究を、国内で初めて開始しました。",
])
def test_a_blog_post_announcing_or_using_a_therapy_offers_it(sentence):
    result = read(f"<title>お知らせ</title></head><body><h1>新しい治療のお知らせ</h1><p>{sentence}</p></body>",
                  "https://clinic.example/blog/2022-01-18")
    assert offered(result) & {"prp_other", "prp_intra_articular"}


def test_another_institution_starting_research_is_not_an_offer():
    result = read("""<title>コラム｜PRPの研究</title></head><body><h1>PRPの研究</h1>
      <p>ある大学病院が、PRPを使った臨床研究を開始しました。</p></body>""", "https://clinic.example/column/9")
    assert offered(result) == set()


def test_a_clinic_naming_itself_or_a_magazine_writing_of_it_offers_what_it_says():
    own = read("""<title>再生医療｜あさぐも整形外科クリニック</title></head><body><h1>PRPについて</h1>
      <p>あさぐも整形外科クリニックでは、膝のPRP療法が受けられます。</p></body>""", "https://clinic.example/column/3")
    assert offered(own) == {"prp_intra_articular"}
    other = read("""<title>再生医療｜あさぐも整形外科クリニック</title></head><body><h1>PRPについて</h1>
      <p>みなと中央クリニックでは、膝のPRP療法が受けられます。</p></body>""", "https://clinic.example/column/3")
    assert offered(other) == set()
    magazine = read("""<title>お茶の水セルクリニック（東京千代田区）｜医療の窓</title></head><body><h1>新規開業</h1>
      <p>同院では、患者の脂肪から取り出した幹細胞を院内で培養し始める。</p></body>""", "https://mag.example/post/1")
    assert offered(magazine) == {"adipose_cultured"}


@pytest.mark.parametrize("sentence", [
    "情報サイトで「厚生労働省の承認を正式に受けて、再生医療を提供」のように、承認したかのような書き方をしている例が目立つ。",
    "行政が「承認」のような判断を示すものではないことに注意してほしい。",
])
def test_a_warning_against_approval_wording_claims_nothing(sentence):
    assert approval_wording([sentence]) == []
    assert approval_wording(["当院のPRP療法は厚生労働省の承認を受けています。"])  # the claim itself still counts


def test_what_the_law_asks_of_every_clinic_offers_nothing():
    result = read("""<title>再生医療の届出とは？</title></head><body><h1>届出のしくみ</h1>
      <p>PRP療法を含む再生医療を提供するには、厚生労働省に再生医療等提供計画を提出して受理されることが義務付けられています。</p>
      </body>""", "https://media.example/feature/prp")
    assert offered(result) == set()
    own = read("""<title>PRP療法</title></head><body><h1>お知らせ</h1>
      <p>当院は、PRP療法を提供するため、再生医療等提供計画を提出し受理されています。</p></body>""")
    assert offered(own)


def test_jumpers_knee_in_a_list_of_tendon_pains_is_prp_outside_the_joint():
    result = read("""<title>PRP療法｜新さっぽろ整形外科</title></head><body><h1>PRP療法</h1>
      <p>当院では、腱・靭帯の慢性的な痛み（アキレス腱炎、ジャンパー膝など）を対象にPRP療法を行っています。</p></body>""")
    assert offered(result) == {"prp_other"}


def test_a_therapy_set_aside_for_another_is_not_offered():
    result = read("""<title>APS治療｜みつわ整形外科</title></head><body><h1>APS治療</h1>
      <p>当院ではPRP療法ではなく、このAPS治療を膝の再生医療として実施しています。</p></body>""")
    assert offered(result) == {"aps"}


def test_stem_cells_used_without_culture_are_the_kind_the_page_says():
    page_svf = read("""<title>SRF注入｜THE CLINIC</title></head><body><h1>SRF注入 脂肪幹細胞注入</h1>
      <p>吸引した脂肪から幹細胞を取り出して濃縮し、脂肪と一緒に注入します。</p>
      <p>幹細胞は採取した当日に院内で取り出し、培養は行わずにそのまま使用します。</p></body>""")
    assert offered(page_svf) == {"adipose_svf"}
    both = read("""<title>再生医療｜ひざクリニック</title></head><body><h1>ひざの幹細胞治療</h1>
      <p>当院では、脂肪由来の幹細胞を培養する治療と、培養しないSVF療法を行っています。</p></body>""")
    assert offered(both) == {"adipose_cultured", "adipose_svf"}
    classes = read("""<title>幹細胞治療｜ひざクリニック</title></head><body><h1>脂肪幹細胞治療</h1>
      <p>当院では脂肪由来幹細胞を膝に注射する治療を行っています。</p>
      <p>第三種（低リスク）：細胞を培養せずに使うもの</p></body>""")
    assert offered(classes) == {"adipose_cultured"}


def test_a_menu_printed_as_text_offers_nothing():
    result = read("""<title>PFC-FD療法とは？</title></head><body><h1>PFC-FDとは？</h1>
      <p>HOME｜クリニック紹介｜診療内容｜PRP療法｜アクセス</p></body>""", "https://clinic.example/column/pfc")
    assert offered(result) == set()


def test_an_amount_in_quoted_speech_is_not_the_pages_price():
    result = read("""<title>ひざのPRPとは？｜日刊ヘルス</title></head><body><h1>注射1本の新治療</h1>
      <h2>保険適用外で費用は30万円</h2>
      <p>「PRP療法は保険が使えない治療です。当院では注射は1回で終わり、費用は30万円です。値段は病院ごとに違います」</p>
      </body>""", "https://news.example/articles/350513")
    assert not [p for p in result["prices"] if "当院" in p["excerpt"]]
    assert "comparison" in [a["kind"] for a in result["other_amounts"]]


def test_our_therapy_in_english_is_the_clinics_own():
    result = read("""<title>FAQ</title></head><body><h1>Frequently asked questions</h1>
      <p>Our NK cell therapy uses the patient's own immune cells, grown for two weeks.</p></body>""",
                  "https://clinic.example/en/faq")
    assert offered(result) == {"other"}


@pytest.mark.parametrize("sentence", [
    "A：再生医療は、国から「許可」や「承認」を受けて行うものではありません。",
    "人工骨（厚生労働省認可の人工骨）とPRPを用いて骨をつくりました。",
    "This treatment has been deliberated and approved by the Japan Society for Regulatory Science Committee.",
    # how a treatment comes to be insured, told in general: true, and no claim about any clinic
    "保険で治療を受けられるようになるには、効果と安全性が確かめられ、国に認められる必要があります。",
    "新しい治療を保険診療で行うには、厚生労働省の承認が必要です。",
])
def test_a_denied_approval_a_products_and_a_societys_are_no_claim(sentence):
    assert approval_wording([sentence]) == []


def test_approval_claimed_in_korean():
    assert approval_wording(["도쿄의 클리닉이 일본 후생노동성으로부터 퇴행성관절염 줄기세포치료 승인을 받았다."])


def test_an_exosome_drip_made_from_supernatant_is_an_exosome_drip():
    result = read("""<title>料金表｜AJクリニック</title></head><body><h1>料金表</h1><table>
      <tr><td>エクソソーム点滴（幹細胞培養上清液由来） 1回</td><td>60,000円（税込66,000円）</td></tr></table></body>""")
    assert offered(result) == {"exosome"}
    assert [(p["amount_min"], p["therapy"]) for p in result["prices"]] == [(66000, "exosome")]


def test_the_clinics_own_named_therapy_in_a_news_post_is_offered():
    result = read("""<title>PFC-FD療法について｜お知らせ</title></head><body><h1>PFC-FD療法について</h1>
      <p>当院のPFC-FD療法は、子宮内膜を移植に適した厚さに整えることを目的としています。</p></body>""",
                  "https://clinic.example/news/pfc-fd.html")
    assert offered(result) == {"pfc_fd"}


def test_a_newspapers_article_about_no_one_clinic_offers_nothing():
    body = """<title>ひざの痛みにPRP｜ファンファン福岡</title><meta property="og:type" content="article">
      <meta property="og:site_name" content="ファンファン福岡">
      <script type="application/ld+json">{{"@type": "NewsArticle", "publisher": {{"@type": "Organization",
      "name": "{publisher}"}}}}</script></head><body><h1>ひざの痛みにPRP</h1>
      <p>PRP療法は、ひざの関節に注射して痛みをやわらげる治療です。</p></body>"""
    news = read(body.format(publisher="西日本新聞社"), "https://news.example/p4937")
    assert offered(news) == set() and news["clinic"]["name_printed"] is None
    assert {m["why"] for m in news["mentions"]} == {"reported in an article"}
    blog = read(body.format(publisher="ファンファン整形外科"), "https://clinic.example/p4937")
    assert offered(blog)  # a clinic's own article is not a newspaper's


def test_stem_cells_from_another_tissue_are_not_the_pages_adipose_cells():
    result = read("""<title>滑膜幹細胞｜再生医療センター</title></head><body><h1>滑膜幹細胞</h1>
      <p>当院では、ひざから滑膜を採って幹細胞を培養し、ひざに戻す治療を行っています。</p>
      <p>ASC（脂肪由来幹細胞）に比べて培養期間が短いのが特徴です。</p></body>""")
    assert "other" in offered(result) and "adipose_cultured" not in offered(result)


def test_prp_a_product_is_made_from_after_the_product_is_named_is_no_second_therapy():
    result = read("""<title>PFC-FD療法｜まるやま整形外科</title></head><body><h1>PFC-FD療法</h1>
      <p>当院で行うPFC-FD療法は、患者さんご自身の血液を採ってPRPを取り出し、さらに成長因子を濃縮して凍結乾燥したものを
      注射する治療です。</p></body>""")
    assert offered(result) == {"pfc_fd"}


def test_a_guides_overview_under_a_fee_heading_lists_nothing():
    result = read("""<title>薄毛の再生医療</title></head><body><h2>費用の目安</h2>
      <p>PRP療法や幹細胞培養上清液の治療は、一般的に1回5万円から30万円程度が相場です。</p></body>""",
                  "https://guide.example/hair/e7ttc")
    assert offered(result) == set()


def test_an_approved_regenerative_product_is_no_therapy_to_check():
    result = read("""<title>再生医療｜釧路三慈会病院</title></head><body><h1>先進医療への取り組み</h1>
      <p>当院では、膝の関節内にPRPを注射する治療を行っています。</p>
      <p>当院では、保険適用の自家培養軟骨細胞移植術（ジャック）も行っています。</p></body>""")
    assert offered(result) == {"prp_intra_articular"}


@pytest.mark.parametrize("sentence", [
    "本治療は、第二種再生医療等として再生医療等提供計画の認可を受け、厚生労働省へ定期的に報告しています。",
    "Japan offers legally approved, high-dose stem cell treatments for the knee.",
])
def test_a_plan_said_to_be_authorised_and_legally_approved_treatments_are_approval_wording(sentence):
    assert approval_wording([sentence])


def test_a_clinic_that_has_taken_up_a_therapy_offers_it():
    result = read("""<title>再生医療とは｜コラム</title></head><body><h1>再生医療とは</h1>
      <p>当院でも、ひざの関節にPRPを注射する治療を取り入れている。</p></body>""", "https://clinic.example/columns/r")
    assert offered(result) == {"prp_intra_articular"}


def test_an_articles_clinic_by_what_it_does_and_an_officially_recognised_claim():
    result = read("""<title>「グランプロクリニック銀座」開院1周年 - エステニュース</title>
      <meta property="og:type" content="article"><meta property="og:site_name" content="エステニュース"></head><body>
      <p>幹細胞を用いた再生医療や薄毛治療などを手がける「グランプロクリニック銀座」が、開院から1年を迎えた。</p>
      </body>""", "https://esthe.example/posts/35062")
    assert result["clinic"]["name_printed"] == "グランプロクリニック銀座"
    assert offered(result) == {"other"}
    assert approval_wording(["理事長は、同クリニックが第二種再生医療の公認医療機関になったことを報告した。"])


def test_an_article_about_one_clinic_is_not_a_column_of_the_publishers():
    body = """<title>手術をしない膝の治療 | {site}</title><meta property="og:type" content="article">
      <meta property="og:site_name" content="{site}"></head><body><h1>手術をしない膝の治療</h1>
      <p>「なか整形外科 京都西院リハビリテーションクリニック」の院長に聞いた。</p>
      <p>腱や靱帯の炎症など、関節の外側へのPRP注射は1回3万3000円。</p>
      <p>なか整形外科 京都西院リハビリテーションクリニック 京都市右京区西院高山寺町13</p></body>"""
    article = read(body.format(site="リビング京都"), "https://living.example/topics/46260.html")
    assert article["clinic"]["name_printed"] == "なか整形外科 京都西院リハビリテーションクリニック"
    assert "prp_other" in offered(article)


@pytest.mark.parametrize("sentence", [
    "当院は、幹細胞を用いた再生医療を行うための認可を厚生労働省から受けております。",
    "同クリニックが、厚生省の認可を得てこの治療を始めたのは2017年の暮れ。",
])
def test_approval_named_before_the_ministry_and_the_ministrys_old_name(sentence):
    assert approval_wording([sentence])


def test_what_a_treatment_usually_costs_in_english_is_a_comparison():
    result = read("""<title>Stem cell therapy for knees in Japan</title></head><body><h2>Cost</h2>
      <p>In Japan, stem cell therapy for the knee usually costs between $10,000 and $25,000.</p></body>""",
                  "https://directory.example/answer/571060")
    assert result["prices"] == []


@pytest.mark.parametrize("sentence", [
    "この治療法は平成24年7月に厚生労働省により承認され、平成25年4月から公的医療保険で受けられるようになりました。",
    "This work is licensed under the Creative Commons Attribution International License (CC BY 4.0).",
])
def test_an_insured_approved_product_and_a_content_licence_are_no_claim(sentence):
    assert approval_wording([sentence]) == []


def test_a_therapy_said_to_receive_approval_with_no_authority_named():
    assert approval_wording(["今年の早い時期には再生療法としての認可を受ける予定です。"])
    assert approval_wording(["当院のPRP療法の認可をうけました。"])


def test_all_rights_reserved_books_nothing():
    result = read("""<title>エクソソーム点滴の効果はある？</title></head><body><h1>エクソソーム点滴の効果</h1>
      <p>エクソソームについて解説します。</p><footer><p>© exosome-navi All Rights Reserved.</p></footer></body>""",
                  "https://navi.example/column/2244")
    assert offered(result) == set()


def test_a_heading_saying_what_is_provided_offers_the_list_under_it():
    """「提供している再生医療」 over a list is the clinic's own menu even where 当院 is not printed; a list under
    「再生医療の分類」 on the same page only explains."""
    result = read("""<title>再生医療の内容</title></head><body><h1>再生医療の内容</h1>
      <h2>提供している再生医療</h2><ul><li>自己多血小板血漿（PRP）を用いた皮膚再生治療</li>
      <li>慢性疼痛に対する自己脂肪由来幹細胞による治療</li></ul>
      <h2>再生医療の分類</h2><p>第二種は体性幹細胞を使います。第三種はPRP療法やがん免疫細胞療法などです。</p></body>""")
    assert offered(result) == {"prp_other", "adipose_cultured"}


def test_a_site_branded_by_no_facility_that_never_speaks_as_a_clinic_offers_nothing():
    """A portal's or a news site's page describes a treatment in the words clinics use; with no clinic named and
    no 当院 anywhere, nobody on the page offers it: the therapies are kept as reported mentions."""
    portal = read("""<title>PRP療法の流れ｜かみまもり</title><meta property="og:site_name" content="かみまもり"></head><body>
      <header><img src="/logo.svg" alt="かみまもり"></header><h1>PRP療法</h1>
      <p>採血した血液からPRPを取り出し、頭皮に注入します。ご予約はお近くのクリニックへ。</p>
      <footer>© かみまもり</footer></body>""", url="https://kamimamori.example/prp/")
    assert offered(portal) == set()
    assert {m["why"] for m in portal["mentions"]} == {"reported by a site that is not a clinic's"}
    clinic = read("""<title>PRP療法｜かみまもり</title></head><body><header><img src="/logo.svg" alt="かみまもり"></header>
      <h1>PRP療法</h1><p>当院では、採血した血液からPRPを取り出し、頭皮に注入します。</p></body>""")
    assert offered(clinic) == {"prp_other"}


def test_a_sentence_performing_what_the_section_above_described_offers_it():
    """「当院では、上記の椎間板内注入を…行っています」 under the section that explained the injections offers them."""
    result = read("""<title>椎間板ヘルニアの再生医療｜いとう整形</title></head><body><h1>椎間板ヘルニアの再生医療</h1>
      <h2>椎間板に注入するもの</h2><p>自己脂肪由来幹細胞や、乳歯髄幹細胞培養上清液を椎間板に注入する方法があります。</p>
      <h2>当院での治療</h2><p>当院では、上記の椎間板内注入をレントゲン透視下で日帰りにて行っています。</p></body>""")
    assert offered(result) == {"adipose_cultured", "culture_supernatant"}


def test_a_symptoms_table_of_the_clinic_offers_prp_at_each_site_a_general_list_does_not():
    own = read("""<title>再生医療（PRP治療）｜しらやま整形外科</title></head><body><h1>再生医療（PRP治療）</h1>
      <p>当院ではPRPを膝関節内に注射する治療を行っています。</p>
      <h2>再生医療で対応できる症状</h2><p>当院では、とくに次のような方に再生医療をご提案しています。</p>
      <table><tr><th>ひざの痛み</th><td>変形性膝関節症 など</td></tr>
      <tr><th>肘の痛み</th><td>テニス肘（上腕骨外側上顆炎） など</td></tr></table></body>""")
    assert offered(own) == {"prp_intra_articular", "prp_other"}
    general = read("""<title>PRP療法のご案内</title></head><body><h1>PRP療法のご案内</h1>
      <p>当院ではPRPを膝関節内に注射する治療を行っています。</p>
      <p>PRP療法は、一般に次のようなけがや病気に効果が期待されています。</p>
      <ul><li>膝の変形性関節症</li><li>肩の腱板の損傷</li><li>アキレス腱炎</li></ul></body>""")
    assert offered(general) == {"prp_intra_articular"}


def test_a_new_option_heading_promotes_the_clinics_own_therapy():
    """and a topics post where 当院がご提案している names it offers it."""
    result = read("""<title>膝が痛いときの新しい選択肢｜PFC-FD療法｜ささやま整形外科</title></head><body>
      <h1>膝が痛いときの新しい選択肢｜PFC-FD療法</h1><p>PFC-FDは血液から作る成分です。</p></body>""")
    assert offered(result) == {"pfc_fd"}
    post = read("""<title>膝の新しい選択肢｜ささやま整形外科</title></head><body><h1>膝が痛いときの新しい選択肢</h1>
      <p>そうした方に当院がご提案しているのが、再生医療のひとつである<strong>「PFC-FD療法」</strong>です。</p>
      <h3>■PRP療法との違い</h3><p>よく似た治療にPRP療法があります。</p></body>""",
                url="https://sasayama.example/topics/pfc-fd/")
    assert offered(post) == {"pfc_fd"}


def test_a_magazine_saying_the_treatment_can_be_had_at_the_clinic_offers_it():
    result = read("""<title>膝の痛みの話｜まちの暮らし</title></head><body><h1>膝の痛みの話</h1>
      <p>「なか整形外科」の院長によると、膝の痛みにPRPを使う人が増えています。同院でもPRP療法を受けることができます。</p>
      </body>""", url="https://magazine.example/column/knee/")
    assert "prp_intra_articular" in offered(result)


def test_a_prp_page_saying_in_its_own_voice_that_it_treats_tendons_offers_prp_outside_the_joint_too():
    result = read("""<title>再生医療（PRP療法）｜あさひ整形外科</title></head><body><h1>再生医療（PRP療法）</h1>
      <p>PRPを膝の関節内に注射します。</p><p>当院は、膝・靭帯・筋肉の痛みに再生医療をご提供します。</p></body>""")
    assert offered(result) == {"prp_intra_articular", "prp_other"}
    stem = read("""<title>再生医療（PRP療法）｜あさひ整形外科</title></head><body><h1>再生医療（PRP療法）</h1>
      <p>PRPを膝の関節内に注射します。</p><p>当院では、腱や筋肉の損傷に幹細胞治療もご提供します。</p></body>""")
    assert "prp_other" not in offered(stem)  # the sentence is about stem cells


def test_prp_now_given_as_a_product_is_the_product_offered_not_prp():
    result = read("""<title>よくある質問｜みなみ整形外科</title></head><body><h1>よくある質問</h1>
      <p>PRP血小板療法は、現在は『PRP-FD注射』としてご提供中です。</p></body>""")
    assert offered(result) == {"pfc_fd"}


def test_a_flow_explained_as_a_question_and_a_kind_set_aside_are_not_offers():
    flow = read("""<title>膝のPRP治療の流れとは?</title></head><body><h1>膝のPRP治療の流れとは?</h1>
      <p>PRPは採血した血液から作ります。</p></body>""", url="https://knee.example/column/prp-flow/")
    assert offered(flow) == set()
    kinds = read("""<title>再生医療｜ひかり整形外科</title></head><body><h2>当院が行う再生医療</h2>
      <p>当院では、脂肪由来幹細胞を用いた再生医療をご提供しています。</p>
      <p>幹細胞は脂肪のほか、皮膚や骨髄などからも得られますが、当院が脂肪由来の幹細胞を選んでいるのは、力が高いためです。</p>
      </body>""")
    assert offered(kinds) == {"adipose_cultured"}


def test_prp_into_the_spine_is_filed_apart_from_the_joints():
    result = read("""<title>腰痛のPRP療法｜よこはま脊椎クリニック</title></head><body><h1>腰痛のPRP療法</h1>
      <p>当院では、椎間板や椎間関節にPRPを注射する治療を行っています。</p></body>""")
    assert offered(result) == {"prp_other"}
    named = read("""<title>PRP療法｜けいゆう脊椎関節病院</title></head><body><h1>PRP療法</h1>
      <p>けいゆう脊椎関節病院では、膝の関節に注射するPRP療法を行っています。</p></body>""")
    assert offered(named) == {"prp_intra_articular"}  # 脊椎 in the hospital's name is no site


def test_care_for_patients_who_had_a_therapy_does_not_offer_the_therapy():
    result = read("""<title>幹細胞治療の後にリハビリが必要な理由｜フィジオセンター</title></head><body>
      <p>当センターでは、再生医療を行っている医療機関からのご紹介により、幹細胞治療を受けた方のリハビリをお引き受けしています。</p>
      </body>""", url="https://physio.example/column/675")
    assert offered(result) == set()
    own = read("""<title>再生医療｜ひかり整形外科</title></head><body>
      <p>当院では、幹細胞治療を行っています。幹細胞治療を受けた方のリハビリも当院で行います。</p></body>""")
    assert offered(own) == {"other"}


def test_news_of_the_clinics_own_plan_being_accepted_offers_its_therapies():
    listed = read("""<title>再生医療の治療計画が受理されました｜なぎさ病院</title></head><body>
      <h1>再生医療の治療計画が受理されました。</h1>
      <p>このたび、当院が申請していた下記の治療について、厚生労働省に計画が受理されました。</p>
      <p>（1）変形性膝関節症</p><p>に対するヒト自己脂肪組織由来間葉系幹細胞を培養して用いた治療</p></body>""",
                  url="https://nagisa.example/2020/01/29/accepted/")
    assert offered(listed) == {"adipose_cultured"}
    own = read("""<title>再生医療を受けられる医療機関について｜コラム</title></head><body>
      <p>なお、当院の脂肪由来幹細胞を培養して用いる治療（脳梗塞、変形性膝関節症）も、第二種再生医療等提供計画として
      厚生局に提出し、受理された計画に沿って行っています。</p></body>""", url="https://h.example/blog/1928/")
    assert offered(own) == {"adipose_cultured"}
    corporation = read("""<title>報道された死亡事故について｜ブログ</title></head><body>
      <p>当法人（みどりクリニック／あおばクリニック）の自己脂肪由来幹細胞を培養する治療は、提出された計画に沿っています。</p>
      </body>""", url="https://h.example/blog/notice/")
    assert offered(corporation) == {"adipose_cultured"}
    others = read("""<title>再生医療の届出とは｜コラム</title></head><body>
      <p>ある大学病院の脂肪由来幹細胞を培養して用いる治療の計画が受理されたと報じられました。</p></body>""",
                  url="https://h.example/column/7/")
    assert offered(others) == set()


def test_islet_transplantation_is_a_therapy_of_its_own():
    result = read("""<title>膵島移植｜さくら大学病院</title></head><body><h1>膵島移植</h1>
      <p>当院で実施している膵島移植は、第一種再生医療等技術にあたります。</p></body>""")
    assert offered(result) == {"other"}


def test_the_clinics_humble_offer_of_a_listed_treatment():
    result = read("""<title>関節温存センター｜さくら病院</title></head><body><h2>関節温存センター</h2>
      <p>骨切り術のほか、ご自身の血液から作る濃厚血小板（PRP）を膝に注射する治療を、症状に合わせてご提案します。</p>
      </body>""", url="https://sakura-hp.example/news/center/")
    assert offered(result) == {"prp_intra_articular"}


def test_a_product_titled_with_its_family_in_brackets_is_the_product():
    result = read("""<title>PFC-FD療法(PRP療法)</title></head><body><h2>診療方針</h2>
      <p>PFC-FD療法は、血小板の成長因子を濃縮して凍結乾燥したものを注射する治療です。</p></body>""",
                  url="https://kin.example/prp-fd")
    assert offered(result) == {"pfc_fd"}


def test_the_clinic_as_topic_governs_the_last_verb_of_a_long_sentence():
    result = read("""<title>幹細胞治療について｜お知らせ</title></head><body>
      <p>当院では、患者さまご本人のお腹などから少量の脂肪を採り、その中に含まれる間葉系幹細胞を、院内に併設した細胞培養加工施設で
      数週間かけて培養し、必要な数まで増やしてから投与しています。</p></body>""", url="https://soul.example/news/39117")
    assert offered(result) == {"adipose_cultured"}


def test_prp_for_tennis_elbow_is_prp_outside_joints():
    result = read("""<title>テニス肘｜ふどう整形外科</title></head><body><h1>テニス肘</h1>
      <p>当院ではテニス肘に対して、PRP療法（自己多血小板血漿注入療法）も行っています。</p>
      <p>膝の痛みでお悩みの方もご相談ください。</p></body>""", url="https://fudou.example/p-548/")
    assert offered(result) == {"prp_other"}


@pytest.mark.parametrize("sentence, code", [
    ("当院では主に、手術中に採取した毛（グラフト）を保存しておく液として、また手術の直後に傷の治りを早め、移植した毛の生着を良くする目的で、頭皮にPRPを使っています。", "prp_other"),
    ("PRPFについてのご相談は、診察の際にお気軽にどうぞ。", "prp_other"),
    ("頭皮のPRP療法をご希望の方は、お気軽にお問い合わせください。", "prp_other"),
    ("We then inject the PFC-FD into the affected tendon.", "pfc_fd"),
])
def test_explicit_offers_in_a_clinics_column(sentence, code):
    result = read(f"""<title>院長コラム｜さくらクリニック</title></head><body><p>{sentence}</p></body>""",
                  url="https://sakura.example/column/12/")
    assert offered(result) == {code}


def test_advice_to_see_a_specialist_offers_nothing():
    result = read("""<title>コラム｜さくらクリニック</title></head><body>
      <p>頭皮のPRP療法について詳しく知りたい方は、専門医にご相談ください。</p></body>""", url="https://sakura.example/column/13/")
    assert offered(result) == set()


def test_both_drips_back_referenced_in_the_clinics_voice():
    result = read("""<title>幹細胞点滴とエクソソーム点滴の違い｜ブログ</title></head><body><h2>2つの点滴</h2>
      <p>幹細胞培養上清液の点滴は、細胞を含まない治療です。</p><p>エクソソーム点滴は、小さな粒子を使う治療です。</p>
      <p>当院では、どちらの点滴も行っています。</p></body>""", url="https://jin.example/blog/stemcell-exosome/")
    assert offered(result) == {"culture_supernatant", "exosome"}


def test_stem_cell_culture_medium_is_the_supernatant_not_stem_cells():
    result = read("""<title>ヒト幹細胞培養液の頭皮注入｜ウィル AGA クリニック</title></head><body>
      <h1>ヒト幹細胞培養液の頭皮注入</h1><p>当院では、ヒト幹細胞培養液を頭皮に注入する治療を行っています。</p></body>""",
                  url="https://will.example/treatment/injection/")
    assert offered(result) == {"culture_supernatant"}


def test_what_a_beauty_salon_charges_is_no_clinic_price():
    result = read("""<title>幹細胞治療の基礎知識</title></head><body><h2>費用について</h2>
      <p>エステサロンで幹細胞培養液を使った施術を受けると、1回5万円から10万円ほどで、5回や10回のコースで契約することが多くなっています。</p>
      </body>""", url="https://stem-info.example/esthetic/")
    assert result["prices"] == []


def test_a_hospital_that_took_a_therapy_in_and_one_listing_what_it_does_next():
    taken = read("""<title>診療科のご紹介｜とくしま大学病院</title></head><body><h2>沿革</h2>
      <p>令和5年には、多血小板血漿（PRP）を用いた腱の治療と、羊膜を用いる先進医療を取り入れました。</p></body>""")
    assert offered(taken) == {"prp_other"}
    listed = read("""<title>次世代PRP療法について｜えひめ大学病院</title></head><body><h2>当院の治療</h2>
      <p>当院では、次の2種類の治療を自費診療で行っております。</p><h3>APS療法</h3>
      <p>自己タンパク質溶液（APS）を作製し、膝関節内に注射します。</p><h3>PRP療法</h3>
      <p>遠心分離で作製した多血小板血漿（PRP）を、関節内に注射します。</p></body>""", url="https://ehime.example/column/prp")
    assert offered(listed) == {"aps", "prp_intra_articular"}


def test_a_home_page_names_its_products_and_sites_in_its_own_words():
    pfc = read("""<title>はくさん整形外科｜白山駅すぐ</title></head><body><h2>PRP治療・PFC治療</h2>
      <p>当院では、血小板を濃縮したPRPを膝に注射するPRP治療と、血小板由来の成長因子を加工して用いるPFC治療を行っています。</p>
      </body>""", url="https://hakusan.example/")
    assert offered(pfc) == {"prp_intra_articular", "pfc_fd"}
    also = read("""<title>ごうだ整形外科 北7条</title></head><body><h2>PRP療法</h2>
      <p>当院では、腱・筋肉の痛みに対してPRP療法を行っています。以前から行っているPRP-FDもご相談いただけます。</p>
      </body>""", url="https://goda.example/")
    assert offered(also) == {"prp_other", "pfc_fd"}
    sites = read("""<title>やまとく病院</title></head><body><h2>一般整形</h2>
      <p>一般整形では、ご自身の血液から作るPRPを、腱・靱帯の損傷（テニス肘など）に用いる治療を行っています。</p>
      <p>変形性膝関節症の関節内注射にも対応しています。</p></body>""", url="https://yamatoku.example/")
    assert offered(sites) == {"prp_other", "prp_intra_articular"}
    both = read("""<title>あしや整形外科</title></head><body><h2>再生医療（PRP療法）</h2>
      <p>当院では、ご自身の血液から取り出したPRPを使う再生医療を行っています。</p>
      <p>アキレス腱炎や足底腱膜炎には傷んだ腱へ、変形性膝関節症には関節の中へ注射します。</p></body>""",
                url="https://ashiya.example/")
    assert offered(both) == {"prp_intra_articular", "prp_other"}


def test_a_directors_post_on_a_blog_platform_speaks_for_the_clinic():
    result = read("""<title>PRPの問い合わせが増えています | balconsoieのブログ</title>
      <meta property="og:type" content="article"><meta property="og:site_name" content="Ameba">
      </head><body><h1>PRPの問い合わせが増えています</h1><p>PRPは、血小板の成長因子を使って肌を再生させる治療です。</p>
      <p>私どものクリニックでは、もう11年前からこの治療を行なっていて、多くの方のお役に立ってきました。</p>
      <p>Copyright © CyberAgent, Inc. All Rights Reserved.</p></body>""", url="https://ameblo.example/balconsoie/entry-1.html")
    assert offered(result) == {"prp_other"}
    patient = read("""<title>PRPを受けてきました | はなこのブログ</title>
      <meta property="og:type" content="article"><meta property="og:site_name" content="Ameba">
      </head><body><h1>PRPを受けてきました</h1><p>きのう、肌のPRPを受けてきました。クリニックではこの治療を行っていて、おすすめされました。</p>
      </body>""", url="https://ameblo.example/hanako/entry-2.html")
    assert offered(patient) == set()


def test_pointing_back_at_the_treatment_adds_no_generic_stem_cells_beside_the_kind():
    """「この治療は…受理されたうえで行っています」 under a page that offers cultured adipose cells and names 「幹細胞治療」
    in its heading: the generic stem cells are that kind (a second, generic therapy was judged `registered`)."""
    from saisei.corpus_scores import load_corpus

    page = next(p for p in load_corpus("realname") if p.site == "r3-repaircell-sapporo" and p.page == "stroke")
    result = extract_clinic_page(page.body, page.meta["url"], page.meta.get("headers"))
    assert offered(result) == {"adipose_cultured"}


@pytest.mark.parametrize("sentence", [
    "Autologous Cultured Cartilage transplantation was approved by the national government in July 2012.",
    "Among regenerative medical products for knee cartilage it is also the only one the Japanese government has approved.",
])
def test_an_approved_regenerative_products_approval_is_no_clinics_claim(sentence):
    assert approval_wording([sentence]) == []



def test_what_a_portal_that_offers_nothing_says_a_therapy_costs_is_someone_elses_fee():
    portal = read("""<title>PRP療法の費用｜かみまもり</title><meta property="og:site_name" content="かみまもり"></head><body>
      <header><img src="/logo.svg" alt="かみまもり"></header><h1>PRP療法の費用</h1>
      <p>PRP療法は注射1回につき5～30万円かかります。</p></body>""", url="https://kamimamori.example/prp/cost/")
    assert offered(portal) == set() and portal["prices"] == []
    assert [a["kind"] for a in portal["other_amounts"]] == ["comparison"]


def test_a_treatment_list_written_as_dl_offers_what_a_table_row_would():
    """<dt>APS治療</dt><dd>…膝関節に注射します。</dd> under the clinic's own section is the same offer as the table row
    「APS治療 …膝関節に注射します。」: the term labels its row; it does not open a section of its own."""
    table = read("""<title>再生医療 PRP・APS治療｜やえせ同仁病院</title></head><body><h1>再生医療 PRP・APS治療</h1>
      <h2>当院で行っている再生医療</h2><table><tr><th>PRP療法</th><td>テニス肘やアキレス腱炎など、腱や靱帯の損傷に注射します。</td></tr>
      <tr><th>APS治療（次世代PRP）</th><td>PRPをさらに濃縮した自己タンパク質溶液（APS）を、変形性膝関節症の膝関節に注射します。</td></tr>
      </table></body>""")
    listed = read("""<title>再生医療 PRP・APS治療｜やえせ同仁病院</title></head><body><h1>再生医療 PRP・APS治療</h1>
      <h2>当院で行っている再生医療</h2><dl><dt>PRP療法</dt><dd>テニス肘やアキレス腱炎など、腱や靱帯の損傷に注射します。</dd>
      <dt>APS治療（次世代PRP）</dt><dd>PRPをさらに濃縮した自己タンパク質溶液（APS）を、変形性膝関節症の膝関節に注射します。</dd>
      </dl></body>""")
    assert offered(listed) == offered(table)
    assert "aps" in offered(listed)


@pytest.mark.parametrize("title", ["日本干细胞治疗合法吗？", "日本干细胞疗法为何比国内更受青睐？", "일본 줄기세포 치료 가능한가요?",
                                   "什麼是PRP？ - 衛教資訊", "幹細胞培養上清療法・エクソソーム療法 | 一般の方へ | 点滴療法研究会"])
def test_a_question_title_in_chinese_or_korean_is_an_article(title):
    """An agency's or an encyclopaedia's page asking about a therapy explains it, as 「…ですか？」 does."""
    assert is_column_page("https://agency.example/zh/p-17277/", title)


def test_prp_named_as_the_ingredient_of_the_offered_product_and_denied_is_not_offered():
    """「当院で行うPFC-FDは、このPRPを濃縮し…」 offers PFC-FD; 「PRP療法は行っておりません」 then says PRP is not."""
    result = read("""<title>PRP療法 PFC-FD療法｜文京整形外科</title></head><body><h1>（PRP療法 PFC-FD療法）</h1>
      <p>よく耳にするPRPは、多血小板血漿の略です。</p>
      <p>当院で行うPFC-FDは、このPRPを高い濃度に濃縮し、成長因子だけを取り出したものです。</p>
      <p>※当院では、採血したその日に関節へ注射するPRP療法は行っておりません。ひざの再生医療はPFC-FD療法のみです。</p>
      </body>""", "https://bunkyo-seikei.example/prp/")
    assert offered(result) == {"pfc_fd"}


def test_english_words_that_hold_an_acronym_name_no_therapy():
    # "perhaps", "collapse" and "maps" hold APS; each once read as a therapy the page offers
    result = read("""<title>Knee pain | Hikari Orthopedics</title></head><body><h1>Knee pain</h1>
      <p>We treat knee pain. Perhaps your knee feels as if it may collapse; our doctors examine it and we offer
      rehabilitation. Access maps are below.</p><h2>Fees</h2><table>
      <tr><th>Elastic straps for a brace</th><td>5,500 yen</td></tr></table></body>""", "https://clinic.example/en/knee/")
    assert offered(result) == set() and result["mentions"] == [] and result["prices"] == []
    result = read("""<title>PRPF®｜あおば皮膚科</title></head><body><h1>PRPF®療法</h1>
      <p>当院ではPRPF®療法を行っています。ご自身の血液から作ったPRPに成長因子を加え、お顔の凹みに注入します。</p></body>""")
    assert offered(result) == {"prp_other"}


def _column(sentence: str) -> dict:
    """A column post of a clinic whose title and heading offer nothing: only the sentence can."""
    return read(f"""<title>ひざの痛みのはなし｜院長コラム｜さくら整形外科</title></head><body><h1>ひざの痛みのはなし</h1>
      <p>ひざの痛みには色々な原因があります。</p><p>{sentence}</p></body>""", "https://sakura-seikei.example/column/12/")


@pytest.mark.parametrize("sentence", [
    "ひざ関節へのPRP療法も当院にお任せください。",
    "当院のひざ関節へのPRP療法の治療実績は500件以上です。",
    "当院はひざ関節へのPRP療法の提供施設です。",
    "当院では、ひざ関節へのPRP療法をメニューに加えました。",
    "当院でもひざ関節へのPRP療法を受け付けております。",
    "ひざ関節へのPRP療法なら当院へ。",
    "At our clinic, knee PRP injections are performed by the director.",
    "我们诊所提供膝关节PRP注射。",
    "本院提供膝關節PRP注射治療。",
    "저희 클리닉에서는 무릎 관절 PRP 주사를 시행하고 있습니다.",
    "ひざ関節へのPRP療法を、リハビリとあわせてご提案しています。",
    "当センターの設備を用いて行ってきたひざ関節へのPRP療法は、先進医療として実施されています。",
])
def test_more_ways_a_clinic_says_it_offers_a_therapy(sentence):
    assert offered(_column(sentence)) == {"prp_intra_articular"}


@pytest.mark.parametrize("sentence", [
    "ひざ関節へのPRP療法を行っている医療機関は全国にあります。",
    "ひざ関節へのPRP療法は、他院で受けられます。",
    "当院ではひざ関節へのPRP療法の提供を終了しました。",
    "ひざ関節へのPRP療法は現在休止しております。",
    "PRP injections into the knee are offered by many clinics in Japan.",
    "本院不提供膝關節PRP注射。",
])
def test_what_others_do_or_the_clinic_stopped_is_no_offer(sentence):
    assert offered(_column(sentence)) == set()


def test_a_chinese_answer_offering_one_therapy_and_denying_two():
    result = _column("本院目前只提供纖維母細胞療法，不提供培養脂肪幹細胞點滴，也不提供外泌體點滴。")
    assert offered(result) == {"other"}
    assert {m["therapy"]: m["why"] for m in result["mentions"]} == {"adipose_cultured": "denied", "exosome": "denied"}



def _site_page(body: str) -> dict:
    return read(f"""<title>さくら整形外科｜大阪市北区の整形外科</title></head><body>{body}
      <footer><p>© さくら整形外科</p></footer></body>""", "https://sakura-seikei.example/")


@pytest.mark.parametrize("shape, body, therapies", [
    ("home services", "<h1>さくら整形外科</h1><h2>診療内容</h2><ul><li>一般整形外科</li><li>スポーツ整形</li><li>ひざのPRP療法</li><li>リハビリテーション</li></ul>", ["prp_intra_articular"]),
    ("features list", "<h1>当院の特徴</h1><ul><li>駅から徒歩3分</li><li>ひざ関節のPRP療法に対応</li><li>土曜も診療</li></ul>", ["prp_intra_articular"]),
    ("cta button", "<h1>ひざの痛み</h1><p>ひざの痛みにはいろいろな治療があります。</p><a class='btn' href='/reserve/'>ひざのPRP療法を予約する</a>", ["prp_intra_articular"]),
    ("available list", "<h1>再生医療</h1><p>対応可能な治療：ひざ関節のPRP療法、APS療法</p>", ["aps","prp_intra_articular"]),
    ("table handled", "<h1>診療案内</h1><table><tr><th>取扱治療</th><td>ひざ関節のPRP療法／APS療法</td></tr></table>", ["aps","prp_intra_articular"]),
    ("recommend box", "<h1>PRP療法</h1><h2>こんな方におすすめです</h2><ul><li>ひざの痛みが続く方</li><li>手術を避けたい方</li></ul><p>ひざ関節にPRPを注射します。</p>", ["prp_intra_articular"]),
    ("flow section", "<h1>PRP療法（ひざ）</h1><h2>治療の流れ</h2><ol><li>診察</li><li>採血</li><li>遠心分離</li><li>ひざへの注射</li></ol>", ["prp_intra_articular"]),
    ("en services", "<h1>Sakura Orthopedics</h1><h2>Services</h2><ul><li>General orthopedics</li><li>PRP injections for knee osteoarthritis</li><li>Stem cell therapy (cultured adipose-derived)</li></ul>", ["adipose_cultured","prp_intra_articular"]),
    ("news start", "<h1>お知らせ</h1><p>2024年4月より、ひざ関節のPRP療法を開始しました。</p>", ["prp_intra_articular"]),
    ("cases", "<h1>症例紹介</h1><p>60代女性、右ひざの変形性膝関節症に対してPRP療法を2回行いました。</p>", ["prp_intra_articular"]),
    ("doctor profile", "<h1>院長紹介</h1><p>ひざの痛みに悩む方へ、PRP療法などの再生医療を取り入れた治療を行っています。</p>", ["prp_intra_articular"]),
    ("menu card", "<h1>治療メニュー</h1><div class='card'><h3>PRP療法</h3><p>ご自身の血液から作るPRPをひざ関節に注射する治療です。</p><a href='/prp/'>詳しく見る</a></div>", ["prp_intra_articular"]),
    ("faq own", "<h1>よくあるご質問</h1><dl><dt>Q. PRP療法は何回受ければよいですか？</dt><dd>A. 当院では、ひざのPRP療法を2〜3回おすすめしています。</dd></dl>", ["prp_intra_articular"]),
])
def test_offers_in_the_shapes_of_a_clinics_own_pages(shape, body, therapies):
    """A home page's services, a features list, a booking button, a list labelled 対応可能な治療, a case report."""
    assert sorted(offered(_site_page(body))) == therapies


@pytest.mark.parametrize("sentence", [
    "研究チームは、50人の患者のひざにPRPを注射しました。",
    "ある大学病院では、ひざの患者にPRP療法を行いました。",
    "米国の研究グループが、ひざ関節にPRPを注射しました。",
    "2019年の論文では、100人にPRP療法を実施しました。",
])
def test_a_study_or_another_hospital_reporting_what_it_did_offers_nothing(sentence):
    assert offered(_column(sentence)) == set()



def _english_post(sentence: str) -> dict:
    return read(f"""<title>Knee pain explained | Sakura Orthopedics</title></head><body><h1>Knee pain explained</h1>
      <p>Knee pain has many causes.</p><p>{sentence}</p></body>""", "https://sakura-seikei.example/blog/knee-pain/")


@pytest.mark.parametrize("sentence", [
    "We provide PRP injections for knee osteoarthritis.",
    "Our clinic offers PRP therapy for the knee joint.",
    "PRP injections for the knee are available at Sakura Orthopedics.",
    "At Sakura Orthopedics, we treat knee osteoarthritis with PRP injections.",
    "Patients can receive PRP injections into the knee at our clinic.",
    "We have been performing knee PRP injections since 2018.",
    "Our doctors inject PRP into the knee joint.",
    "Contact us to book a knee PRP injection.",
    "If you are interested in PRP for your knee, please contact our clinic.",
    "We are one of the few clinics in Osaka offering PRP for the knee.",
    "Our knee PRP program includes two injections.",
    "Sakura Orthopedics provides knee PRP injections.",
    "Knee PRP injections cost ¥33,000 at our clinic.",
    "We also offer APS therapy for knee osteoarthritis.",
    "Treatment with PRP for the knee is available here.",
    "Schedule a consultation for knee PRP today.",
])
def test_an_english_post_offering_a_therapy_in_the_words_clinics_use(sentence):
    assert offered(_english_post(sentence))


@pytest.mark.parametrize("sentence", [
    "PRP injections for the knee are offered by many clinics in Japan.",
    "Some clinics use PRP for knee pain.",
    "Studies show PRP may help knee osteoarthritis.",
    "We do not offer PRP injections.",
    "PRP is not available at our clinic.",
    "A hospital in Tokyo started offering PRP for knees.",
    "Researchers injected PRP into the knees of 50 patients.",
])
def test_an_english_post_about_others_or_denying_offers_nothing(sentence):
    assert offered(_english_post(sentence)) == set()


@pytest.mark.parametrize("sentences, therapies", [
    # PRP as what the product is made from, before or after the product is named
    (["当院ではPFC-FD療法を行っています。", "患者さまの血液から多血小板血漿（PRP）を取り出し、さらに加工して凍結乾燥したものがPFC-FDです。"],
     ["pfc_fd"]),
    (["当院ではAPS療法を行っています。", "APS（自己タンパク質溶液）は、PRPにさらに処理を加えて、炎症をおさえるたんぱく質を濃縮したものです。"],
     ["aps"]),
    # PRP as the family the product belongs to
    (["PFC-FDは、数あるPRP療法のなかでも当院が取り入れている方法です。"], ["pfc_fd"]),
    # another facility performs it
    (["先日、テレビ番組で「ある大学病院で行われているPRP治療」が取り上げられました。", "当院ではPFC-FD療法を行っています。"],
     ["pfc_fd"]),
    # but PRP the clinic performs beside the product stays offered
    (["当院では、ひざのPRP療法とPFC-FD療法の両方を行っています。"], ["pfc_fd", "prp_intra_articular"]),
])
def test_prp_as_a_products_ingredient_family_or_another_hospitals_is_not_offered(sentences, therapies):
    body = "".join(f"<p>{s}</p>" for s in sentences)
    page = read(f"""<title>ひざの再生医療｜さくら整形外科</title></head><body><h1>ひざの再生医療</h1>
      <p>当院ではひざの痛みに再生医療を行っています。</p>{body}</body>""", "https://sakura-seikei.example/knee/")
    assert sorted(offered(page)) == therapies


@pytest.mark.parametrize("body, therapies", [
    # dental-pulp regeneration transplants the patient's own pulp cells: a cell therapy (other)
    ("<h1>クリニック紹介</h1><p>当院は、歯髄再生治療の研究成果を診療につなげる場として開院しました。</p>"
     "<p>歯髄再生治療のご相談・ご予約はお問い合わせページからどうぞ。</p>", ["other"]),
    # a heading on stem cells 「in general」 explains them; the clinic offers the supernatant
    ("<h1>乳歯幹細胞培養上清液</h1><h2>一般的な幹細胞・幹細胞培養上清液について</h2><p>幹細胞は体のさまざまな組織に"
     "なる細胞です。</p><h2>当院の治療</h2><p>当院では乳歯幹細胞培養上清液の点滴を行っています。</p>", ["culture_supernatant"]),
])
def test_dental_pulp_regeneration_is_a_cell_therapy_and_a_general_heading_explains(body, therapies):
    assert sorted(offered(_site_page(body))) == therapies


def test_terms_a_column_section_explains_are_not_what_the_page_is_about():
    page = _site_page("""<h1>当院について</h1><p>当院は地域の整形外科病院です。</p>
      <h2>コラム：よく聞かれる「再生医療」のこと</h2><dl>
      <dt>PRP療法（多血小板血漿）</dt><dd>ご自身の血液から血小板を多く含む部分を取り出し、膝の関節に注射します。</dd>
      <dt>APS療法</dt><dd>PRPをさらに専用キットで濃縮したものを関節内に注射する方法です。</dd></dl>
      <h2>他の治療法との比較</h2><h3>脂肪由来の幹細胞治療</h3><p>脂肪から採った幹細胞を培養して関節に戻します。</p>""")
    assert offered(page) == set()


def test_plan_numbers_in_a_directorys_table_of_clinics_are_those_clinics_not_the_pages_offer():
    page = read("""<title>Stem Cell Therapy in Japan | MedTravel Directory</title></head><body>
      <h1>Stem cell clinics in Japan</h1><p>Always verify the clinic's plan number before you travel.</p>
      <table><tr><th>Clinic</th><th>City</th><th>Treatment</th><th>MHLW License No.</th></tr>
      <tr><td>Shinjuku Cord MSC Clinic</td><td>Tokyo</td><td>Umbilical cord MSC</td><td>PA3220009</td></tr>
      <tr><td>Osaka Knee Clinic</td><td>Osaka</td><td>PRP for knee osteoarthritis</td><td>PB5200123</td></tr></table>
      </body>""", "https://medtravel.example/japan/stem-cells/")
    assert "prp_intra_articular" not in offered(page)
    own = read("""<title>PRP｜さくら整形外科</title></head><body><h1>PRP療法</h1>
      <p>ひざのPRP療法（計画番号 PB5200123）</p></body>""", "https://sakura-seikei.example/prp/")
    assert offered(own) == {"prp_intra_articular"}  # a clinic printing its own plan number offers the therapy


@pytest.mark.parametrize("sentence, therapies", [
    ("「APS療法」をご希望の方は、再生医療外来の受診時にご相談ください。", ["aps"]),
    ("PRP療法をご希望の場合は、お気軽にお問い合わせください。", ["prp_intra_articular"]),
    ("APS療法をご希望の方には、実施している医療機関をご紹介します。", []),
])
def test_taking_requests_for_a_therapy_offers_it_and_a_referral_does_not(sentence, therapies):
    page = read(f"""<title>整形外科｜さくら病院</title></head><body><h1>整形外科</h1>
      <p>ひざの痛みの治療を行っています。</p><p>{sentence}</p></body>""", "https://sakura-hp.example/seikei/")
    assert sorted(offered(page)) == therapies


def test_a_sidebar_banner_claiming_the_ministrys_approval_is_the_sites_claim():
    page = read("""<title>再生医療｜きたかみ整形外科</title></head><body><div id="main"><h1>再生医療</h1>
      <p>当院ではPRP療法を行っています。</p></div><div id="side"><div class="side-bnr">
      <p>厚生労働省 認可<br>再生医療提供医療機関</p></div><ul class="side-nav"><li><a href="/prp/">PRP療法とは</a></li>
      </ul></div></body>""", "https://kitakami-joint.example/saisei/")
    assert page["approval_wording"]


def test_a_glossarys_entry_defines_a_therapy_and_offers_nothing():
    page = read("""<title>PRP｜再生医療の用語集｜さいせいみらい</title></head><body>
      <div class="breadcrumb">トップ &gt; 再生医療の用語集 &gt; PRP</div><h1>PRP（多血小板血漿）</h1>
      <p>ご自身の血液にふくまれる血小板の力を借りて、しわを目立たなくさせる再生医療のひとつです。</p></body>""",
                "https://saisei-mirai.example/kb-prp")
    assert offered(page) == set()


@pytest.mark.parametrize("chrome, therapies", [
    # a sidebar box of self-pay care lists what the hospital gives; a facts row labelled 自由診療 says the same
    ('<aside id="side"><div class="side_box"><h2>自費診療のご案内</h2><dl><dt><a href="/prp/">PRP治療</a></dt>'
     '<dd>靱帯・腱の組織修復を目的に、ご自身の血液から作ったPRPを注射します。</dd></dl></div></aside>', ["prp_other"]),
    ('<aside class="l-side"><section><h2>この記事で紹介した病院</h2><dl><dt>診療科</dt><dd>整形外科</dd>'
     '<dt>自由診療</dt><dd>APS療法（ひざ関節）</dd></dl></section></aside>', ["aps"]),
    # a menu of links or related columns in the same sidebar offers nothing
    ('<aside class="sidebar"><h3>関連コラム</h3><ul><li><a href="/column/1">PRPとAPSの違いとは？</a></li></ul></aside>', []),
])
def test_a_sidebars_self_pay_box_lists_what_the_facility_gives(chrome, therapies):
    page = read(f"""<title>院長ご挨拶｜さくら整形外科病院</title></head><body><main><h1>院長ご挨拶</h1>
      <p>地域の皆様に信頼される病院をめざしています。</p></main>{chrome}</body>""", "https://sakura-hp.example/greeting/")
    assert sorted(offered(page)) == therapies


@pytest.mark.parametrize("sentence, offers", [
    ("自由診療 PRP療法（関節内への投与）", True),
    ("●再生医療 （自費診療） 自家多血小板血漿抽出液（APS）による変形性膝関節症の治療", True),
    ("自由診療や治験として幹細胞治療を受ける場合、保険は使えません。", False),
])
def test_a_facts_row_labelled_self_pay_care_offers_it(sentence, offers):
    from scrapers.parsers.offer_context import mention_is_offer

    assert (mention_is_offer(sentence, None) == "offer") is offers
