"""readers.prices: yen and dollar prices as clinics and directories print them; never a crash on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readers.prices import find_prices


def one(text):
    prices = find_prices(text)
    assert len(prices) == 1, prices
    price = prices[0]
    return price.amount_min, price.amount_max, price.currency, price.tax, price.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PRP療法 片膝 55,000円（税込）", (55000, 55000, "JPY", "included", "knee")),
        ("幹細胞治療 62〜98万円", (620000, 980000, "JPY", None, None)),
        ("150万円〜180万円（税込・片膝）", (1500000, 1800000, "JPY", "included", "knee")),
        ("1クール 33万円～", (330000, None, "JPY", None, "course")),
        ("両膝 1,320,000円(税別)", (1320000, 1320000, "JPY", "excluded", "both_knees")),
        ("¥165,000（税込）/1関節", (165000, 165000, "JPY", "included", "joint")),
        ("ＰＲＰ　１回　３３，０００円（税込）", (33000, 33000, "JPY", "included", "session")),
        ("料金：198,000円～（税別）", (198000, None, "JPY", "excluded", None)),
        ("1.5万円", (15000, 15000, "JPY", None, None)),
        ("\\88,000（税込）", (88000, 88000, "JPY", "included", None)),
        ("单膝 1,760,000日元（含税）", (1760000, 1760000, "JPY", "included", "knee")),
        ("$4,500 - $6,000 per knee", (4500, 6000, "USD", None, "knee")),
        ("from $10,000 to $25,000 USD per knee", (10000, 25000, "USD", None, "knee")),
        ("both knees from USD 9,800", (9800, None, "USD", None, "both_knees")),
        ("$12k-$15k for both knees", (12000, 15000, "USD", None, "both_knees")),
        ("¥49,500 per session (tax incl.)", (49500, 49500, "JPY", "included", "session")),
        ("infusion of 100 million cells (one session) ¥1,650,000", (1650000, 1650000, "JPY", None, "session")),
        # 万 with the rest of the amount after it, as fee lists and Korean pages print it
        ("PRP 片膝 16万5000円（税込）", (165000, 165000, "JPY", "included", "knee")),
        ("1回 5万5千円", (55000, 55000, "JPY", None, "session")),
        ("両膝 30万8,000円(税別)", (308000, 308000, "JPY", "excluded", "both_knees")),
        ("줄기세포 1회 165만 엔", (1650000, 1650000, "JPY", None, "session")),
        # the currency after the amount, as English pages of Japanese clinics print it
        ("PRP: 165,000 yen per knee", (165000, 165000, "JPY", None, "knee")),
        ("Price: 330,000 JPY (tax included)", (330000, 330000, "JPY", "included", None)),
        ("Stem cell infusion 1.65 million yen", (1650000, 1650000, "JPY", None, None)),
        ("Treatment fee JPY 1.1 million", (1100000, 1100000, "JPY", None, None)),
        ("NK cell therapy, 1 infusion JPY 330,000", (330000, 330000, "JPY", None, "session")),
        # 「¥330,000-」: the dash closes the amount, it opens no range
        ("料金 ¥330,000-", (330000, 330000, "JPY", None, None)),
    ],
)
def test_prices_as_printed(text, expected):
    assert one(text) == expected


def test_units_belong_to_their_own_clause():
    prices = find_prices("$9,500 per knee; $16,000 for both knees.")
    assert [(p.amount_min, p.unit) for p in prices] == [(9500, "knee"), (16000, "both_knees")]
    prices = find_prices("片膝 55,000円（税込）、両膝 88,000円（税別）")
    assert [(p.tax, p.unit) for p in prices] == [("included", "knee"), ("excluded", "both_knees")]


def test_numbers_that_are_not_prices():
    assert find_prices("2025年4月1日 受付 9:00〜18:00 TEL 03-5555-0101 3〜5回") == []
    assert find_prices("細胞数 1億個、300円") == []  # below the smallest price read


def test_excerpt_and_printed_keep_the_page_text():
    price = find_prices("当院の料金は　片膝 １，６５０，０００円（税込）です")[0]
    assert price.printed == "１，６５０，０００円"
    assert "片膝" in price.excerpt and price.amount_min == 1650000


def test_currencies_can_be_limited():
    text = "¥1,760,000 (about US$11,800)"
    assert [p.currency for p in find_prices(text)] == ["JPY", "USD"]
    assert [p.currency for p in find_prices(text, ("JPY",))] == ["JPY"]


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_never_crashes_on_any_text(text):
    for price in find_prices(text):
        assert price.amount_min > 0
        assert price.amount_max is None or price.amount_max >= price.amount_min
        assert price.currency in ("JPY", "USD")


@given(st.text(alphabet="0123456789,.万円¥￥$〜～-~ 税込別片膝両1回クールper knee USDk", max_size=50))
@settings(max_examples=400, deadline=None)
def test_never_crashes_on_price_like_text(text):
    for price in find_prices(text):
        assert price.printed.strip() and price.printed in text
        assert price.unit in (None, "knee", "both_knees", "joint", "course", "session")
        assert price.tax in (None, "included", "excluded")


def test_units_from_labels_and_tax_from_a_page_wide_statement():
    from readers.prices import page_tax, unit_of

    assert unit_of("培養幹細胞治療（片膝）") == "knee"
    assert unit_of("SVF療法（両ひざ）") == "both_knees"
    assert unit_of("料金") is None and unit_of(None) is None
    assert page_tax("※表示価格はすべて税込です。") == "included"
    assert page_tax("料金は税別表示です") == "excluded"
    assert page_tax("税込") is None  # no price word: not a statement about the page's prices


def test_a_label_naming_a_knee_and_a_session_prices_the_knee_and_a_body_site_is_no_joint():
    from readers.prices import unit_of

    assert unit_of("PRP関節内注射（1回・片膝）") == "knee"
    assert unit_of("1関節・1回あたり") == "joint"
    assert unit_of("腱・靱帯への注射 1部位") is None  # a tendon is a site, not a joint


def test_other_treatments_on_a_regenerative_price_list_are_not_its_prices():
    from scrapers.parsers.clinic_page import extract_clinic_page

    body = """<html><head><title>料金表｜とらクリニック</title></head><body><h1>料金表</h1>
      <table><tr><th>PRP注入（2cc）</th><td>35,000円</td></tr><tr><th>ヒアルロン酸注入（1本）</th><td>45,000円</td></tr>
      <tr><th>幹細胞点滴 1回</th><td>880,000円</td></tr></table><p>表示価格は税抜です。</p></body></html>"""
    result = extract_clinic_page(body.encode(), "https://clinic.example/price/", {"Content-Type": "text/html; charset=utf-8"})
    assert sorted(p["amount_min"] for p in result["prices"]) == [35000, 880000]
    assert 45000 in {a["amount_min"] for a in result["other_amounts"]}


def _prices(body: str) -> list[dict]:
    from scrapers.parsers.clinic_page import extract_clinic_page

    html = f"<html><head><title>料金表｜Nクリニック</title></head><body><h1>再生医療の料金</h1>{body}</body></html>"
    return extract_clinic_page(html.encode(), "https://clinic.example/price/", {"Content-Type": "text/html; charset=utf-8"})


def test_a_table_with_tax_excluded_and_included_columns_gives_one_price_per_row():
    result = _prices("""<table><tr><th>治療内容</th><th>料金(税抜)</th><th>料金(税込)</th></tr>
      <tr><td>PRP療法 片膝</td><td>50,000円</td><td>55,000円</td></tr>
      <tr><td>感染症検査(APS療法の前に必要です)</td><td>8,000円</td><td>8,800円</td></tr></table>""")
    assert [(p["amount_min"], p["tax"], p["unit"]) for p in result["prices"]] == [(55000, "included", "knee")]
    assert {a["kind"] for a in result["other_amounts"]} == {"test"}  # the note in brackets does not make it a therapy


def test_tax_columns_hold_when_a_therapy_spans_several_rows():
    result = _prices("""<table><tr><th>治療</th><th>部位</th><th>料金(税抜)</th><th>料金(税込)</th></tr>
      <tr><td rowspan="2">PRP療法</td><td>片膝</td><td>50,000円</td><td>55,000円</td></tr>
      <tr><td>両膝</td><td>90,000円</td><td>99,000円</td></tr></table>""")
    assert [(p["amount_min"], p["tax"], p["unit"]) for p in result["prices"]] == [
        (55000, "included", "knee"), (99000, "included", "both_knees")]


def test_a_tax_heading_covers_its_rows_and_stored_cells_are_a_treatment_not_storage():
    result = _prices("""<h2>治療費（税込）</h2><p>幹細胞点滴 1回目（脂肪採取・培養を含む）</p><p>2,420,000円</p>
      <p>幹細胞点滴 2回目以降（凍結保存した細胞を使用）1回</p><p>1,320,000円</p>
      <p>細胞の凍結保存（1年間）</p><p>88,000円</p>""")
    assert [(p["amount_min"], p["tax"]) for p in result["prices"]] == [(2420000, "included"), (1320000, "included")]
    assert [a["kind"] for a in result["other_amounts"]] == ["storage"]


def test_a_line_break_inside_a_table_cell_keeps_the_row_together():
    result = _prices("""<table><tr><th>治療内容</th><th>料金(税抜)</th><th>料金(税込)</th></tr>
      <tr><td>MSC(幹細胞)治療 片膝<br><font size="-1">(脂肪採取・培養・1回目の注射を含みます)</font></td>
      <td>900,000円</td><td>990,000円</td></tr></table>""")
    assert [(p["amount_min"], p["unit"]) for p in result["prices"]] == [(990000, "knee")]


def test_tax_printed_just_before_an_amount_and_english_infusion_rows():
    from readers.prices import find_prices

    assert [p.tax for p in find_prices("PRP療法は自費診療です。(税込み198000円)")] == ["included"]
    english = _prices("""<h2>Fees</h2><table>
      <tr><td>First infusion (fat harvest and culture included, about 100 million cells)</td><td>JPY 2,420,000</td></tr>
      <tr><td>Cell preservation (per year)</td><td>JPY 88,000</td></tr></table>
      <p>We treat spinal cord injury by intravenous infusion of your own adipose-derived stem cells.</p>""")
    assert [(p["amount_min"], p["unit"]) for p in english["prices"]] == [(2420000, "session")]
    assert [a["kind"] for a in english["other_amounts"]] == ["storage"]


def test_chinese_fee_tables_for_patients_from_abroad():
    result = _prices("""<table><tr><td>脂肪干细胞疗法（静脉点滴・首次，含采脂及培养）</td><td>1,650,000日元（含税）</td></tr>
      <tr><td>细胞冷冻保存费（每年）</td><td>110,000日元（含税）</td></tr>
      <tr><td>初诊咨询费（含中文医疗翻译）</td><td>22,000日元（含税）</td></tr>
      <tr><td>纖維母細胞療法（單次）</td><td>1,100,000日圓（含稅）</td></tr></table>""")
    assert [(p["amount_min"], p["tax"], p["unit"]) for p in result["prices"]] == [
        (1650000, "included", "session"), (1100000, "included", "session")]
    assert [a["kind"] for a in result["other_amounts"]] == ["storage", "consultation"]


def test_dental_work_beside_cgf_is_not_its_price_and_a_withdrawal_fee_is_a_cancellation():
    result = _prices("""<table><tr><td>CGF・AFG（1回）</td><td>22,000円</td></tr>
      <tr><td>インプラント体 1本</td><td>330,000円</td></tr></table>
      <p>PRPを作製したあとに取り消された場合は、作製費として11,000円をいただきます。</p>""")
    assert [p["amount_min"] for p in result["prices"]] == [22000]
    assert {a["amount_min"]: a["kind"] for a in result["other_amounts"]}[11000] == "cancellation"


def test_a_fee_table_with_a_total_column_prices_only_the_totals():
    result = _prices("""<table><tr><th colspan="2">Therapy</th><th>Technical Fee</th><th>Management Fee</th>
      <th>Total Amount</th></tr>
      <tr><td colspan="2">NK-Cell Therapy</td><td>JPY 324,000</td><td rowspan="2">JPY 108,000</td><td>JPY 432,000</td></tr>
      <tr><td colspan="2">γδT-Cell Therapy</td><td>JPY 270,000</td><td>JPY 378,000</td></tr></table>""")
    assert sorted(p["amount_min"] for p in result["prices"]) == [378000, 432000]
    assert {a["amount_min"] for a in result["other_amounts"]} >= {324000, 270000, 108000}


@pytest.mark.parametrize("row, therapy", [
    ("<tr><td>MSC(幹細胞)治療 片膝 (脂肪採取・培養・1回目の注射を含みます)</td><td>990,000円（税込）</td></tr>",
     "adipose_cultured"),
    ("<tr><td>Fat harvest and cell culture, infusion of 100 million autologous MSCs (one session)</td>"
     "<td>¥1,650,000</td></tr>", "adipose_cultured"),
])
def test_a_generic_stem_cell_row_is_the_kind_its_own_words_name(row, therapy):
    result = _prices(f"<table>{row}</table>")
    assert [p["therapy"] for p in result["prices"]] == [therapy]
    assert {o["therapy"] for o in result["offerings"]} == {therapy}


def test_only_the_amounts_own_sentence_says_what_kind_it_is():
    """A fee word in an earlier sentence of a paragraph does not make the next sentence's amount that fee, and the
    clinic's own 「治療費は」 is its treatment's price; a sentence that only carries on a comparison stays one."""
    result = _prices("""<h2>Q. 費用はどのくらいですか？</h2>
      <p>幹細胞治療は保険適用ではないため、健康保険はお使いになれません。費用は1回300,000円（税抜）です。</p>
      <h2>治療の流れ</h2><p>当院での治療費は税抜150,000円です。</p>
      <p>人工膝関節置換術は保険診療の手術です。医療費の総額はおよそ200万円になります。</p>""")
    assert sorted(p["amount_min"] for p in result["prices"]) == [150000, 300000]
    assert {a["amount_min"]: a["kind"] for a in result["other_amounts"]}[2000000] == "comparison"


def test_a_column_closing_on_the_clinics_own_menu_prices_it():
    """A column's amounts are the market's, except the list in the clinic's own voice that closes it: a section
    headed 当院の…, or one opened by 「当院では…行っています」, and the fee heading under it."""
    html = """<html><head><title>エクソソーム点滴のデメリット｜コラム</title></head><body><h1>エクソソーム点滴のデメリット</h1>
      <p>エクソソーム点滴は1回10万円〜30万円ほどが相場です。</p>
      <h2>当院の幹細胞治療</h2><p>おなかの脂肪から幹細胞を培養して点滴で戻します。</p>
      <h3>料金表</h3><table><tr><td>幹細胞点滴 1回</td><td>1,650,000円（税込）</td></tr></table>
      <h2>安く受けるには</h2><p>当院では、国産の製剤を使ったエクソソーム点滴を行っています。</p>
      <table><tr><td>エクソソーム点滴 1回</td><td>55,000円（税込）</td></tr></table></body></html>"""
    from scrapers.parsers.clinic_page import extract_clinic_page

    result = extract_clinic_page(html.encode(), "https://clinic.example/column/exosome/", {"Content-Type": "text/html; charset=utf-8"})
    assert sorted(p["amount_min"] for p in result["prices"]) == [55000, 1650000]
    assert [a["kind"] for a in result["other_amounts"]] == ["comparison"]


def test_approximate_fees_in_a_section_the_clinic_speaks_in_are_its_prices():
    """「費用の目安」 under the clinic's own account of its treatment is its fee, not the market's; the same words
    in a section that never speaks as the clinic stay a comparison."""
    own = _prices("""<h2>さいとう内科の肝臓再生医療</h2><p>当院では、おなかの脂肪から幹細胞を培養して点滴します。</p>
      <h3>費用の目安</h3><table><tr><td>肝臓再生医療（脂肪採取・培養・1回目の点滴）</td><td>2,420,000円（税込）</td></tr></table>""")
    assert [p["amount_min"] for p in own["prices"]] == [2420000]
    market = _prices("""<h2>幹細胞治療とは</h2><p>脂肪から幹細胞を培養して点滴する治療です。</p>
      <h3>費用の目安</h3><table><tr><td>幹細胞点滴（1回）</td><td>2,000,000円</td></tr></table>""")
    assert market["prices"] == []


def test_a_fee_list_written_as_dl_reads_as_a_table_does():
    """<dt>term</dt><dd>fee</dd> is a row: the fee belongs to its section's therapy (not to whichever therapy the page
    offers too), a test fee stays a test, and a column's menu in the clinic's own voice stays the clinic's price."""
    listed = _prices("""<h3>幹細胞治療（自己脂肪由来・培養）</h3><dl>
      <dt>脂肪採取・細胞培養・初回投与（点滴）</dt><dd>1,430,000円</dd>
      <dt>2回目以降の投与（保管中の細胞を使用）</dt><dd>770,000円</dd>
      <dt>血液検査（感染症）</dt><dd>16,500円</dd></dl>
      <h3>幹細胞培養上清液</h3><dl><dt>点滴 1回</dt><dd>55,000円</dd></dl>""")
    assert sorted((p["amount_min"], p["therapy"]) for p in listed["prices"]) == [
        (55000, "culture_supernatant"), (770000, "adipose_cultured"), (1430000, "adipose_cultured")]
    assert [a["kind"] for a in listed["other_amounts"]] == ["test"]
    from scrapers.parsers.clinic_page import extract_clinic_page

    column = """<html><head><title>エクソソーム点滴のデメリット｜FIRE</title></head><body><h1>エクソソーム点滴のデメリット</h1>
      <p>エクソソーム点滴の相場は1回10万円〜30万円ほどです。</p><h2>安く受ける方法</h2>
      <p>当院では、国内で製造した製剤を使ったエクソソーム点滴を行っています。</p>
      <dl><dt>メニュー</dt><dd>料金（税込）</dd><dt>エクソソーム点滴 1回</dt><dd>55,000円</dd></dl></body></html>"""
    own = extract_clinic_page(column.encode(), "https://clinic.example/blogs/4837/",
                              {"Content-Type": "text/html; charset=utf-8"})
    assert [(p["amount_min"], p["therapy"]) for p in own["prices"]] == [(55000, "exosome")]


def test_a_faq_answer_in_a_dd_is_still_read_under_its_question():
    result = _prices("""<h2>よくある質問</h2><dl><dt>Q. 幹細胞治療の費用はどのくらいですか？</dt>
      <dd>A. 初回（脂肪採取・培養・1回目の点滴）が1,650,000円（税込）です。</dd></dl>""")
    assert [p["amount_min"] for p in result["prices"]] == [1650000]


def test_an_english_cancellation_table_is_no_price_list_and_charge_is_no_therapy():
    # "charge" once read as HARG (hair-regrowth cocktail), so every English fee row named a therapy
    from scrapers.parsers.clinic_therapies import THERAPY_WORDS

    assert THERAPY_WORDS.search("Free of charge") is None and THERAPY_WORDS.search("HARG療法").group(0) == "HARG"
    result = _prices("""<p>We offer autologous adipose-derived stem cell therapy.</p>
      <h2>Treatment Cancellation Fee</h2>
      <table><tr><th>Treatment with our director</th><td>10,800 JPY (11,880 JPY Tax Inclusive)</td></tr>
      <tr><th>Up to the previous day</th><td>Free of charge</td><td>5,500 yen (tax included)</td></tr></table>
      <h2>料金・キャンセルについて</h2><table><tr><th>PRP療法 1回</th><td>33,000円</td></tr></table>""")
    assert [p["amount_min"] for p in result["prices"]] == [33000]
    assert {a["amount_min"]: a["kind"] for a in result["other_amounts"]} == {11880: "cancellation", 5500: "cancellation"}


def test_a_fee_list_of_cards_in_a_div_called_menu_is_read_and_a_menu_of_links_is_not():
    result = _prices("""<div class="menu"><div class="item"><p class="name">PRP療法（ひざ）</p><p class="price">33,000円</p></div>
      <div class="item"><p class="name">APS療法</p><p class="price">330,000円</p></div></div>""")
    assert sorted((p["amount_min"], p["therapy"]) for p in result["prices"]) == [
        (33000, "prp_intra_articular"), (330000, "aps")]
    links = _prices("""<ul class="menu"><li><a href="/prp/">PRP療法</a></li><li><a href="/aps/">APS療法</a></li>
      <li><a href="/stem/">幹細胞治療</a></li></ul><p>初診料 3,300円</p>""")
    assert links["offerings"] == [] and links["prices"] == []


def test_a_fee_subheading_under_a_therapys_heading_prices_that_therapy():
    result = _prices("""<h2>PRP療法（ひざ関節）</h2><p>血液から作ったPRPを関節に注射します。</p><h3>料金</h3><p>1回 33,000円（税込）</p>
      <h2>APS療法</h2><p>APSを関節に注射します。</p><h3>料金</h3><p>片膝 330,000円（税込）</p>""")
    assert sorted((p["amount_min"], p["therapy"]) for p in result["prices"]) == [
        (33000, "prp_intra_articular"), (330000, "aps")]


def test_a_dollar_conversion_on_the_line_under_a_yen_amount_is_no_second_price():
    for rows in ("<dl><dt>NK cell therapy, 1 infusion</dt><dd>JPY 330,000<br><small>(approx. US$2,200)</small></dd></dl>",
                 "<p>NK cell therapy, 1 infusion<br>JPY 330,000<br>(approx. US$2,200)</p>"):
        result = _prices(f"<p>We offer NK cell therapy.</p>{rows}")
        assert [(p["amount_min"], p["currency"], p.get("usd_approx")) for p in result["prices"]] == [(330000, "JPY", 2200)]
    small = _prices("<p>We offer NK cell therapy.</p><p>NK cell therapy<br>JPY 3,300<br>(approx. US$20)</p>")
    assert [p["amount_min"] for p in small["prices"]] == [3300]  # a dollar figure too small to read is left alone


def test_a_space_after_an_amount_lends_it_no_tax_word_of_the_next():
    prices = find_prices("HARG療法 1回 税抜150,000円 税込165,000円")
    assert [(p.amount_min, p.tax) for p in prices] == [(150000, "excluded"), (165000, "included")]
    result = _prices("""<p>当院ではHARG療法を行っています。</p><div class="p-price-card"><div class="p-price-card__name">HARG療法　1回</div>
      <div class="p-price-card__row"><span>税抜</span><span>150,000円</span></div>
      <div class="p-price-card__row"><span>税込</span><span>165,000円</span></div></div>""")
    assert [(p["amount_min"], p["tax"]) for p in result["prices"]] == [(165000, "included")]


@pytest.mark.parametrize("label, cell, amount", [
    ("PRP療法 医療ローン", "月々3,000円〜", 3000),
    ("PRP療法 分割払い（12回）", "月々2,750円", 2750),
    ("PRP療法 ご紹介割引", "10,000円引き", 10000),
    ("PRP療法 学割", "5,000円OFF", 5000),
    ("PRP療法 麻酔クリーム", "1,100円", 1100),
])
def test_instalments_discounts_and_add_ons_beside_a_therapy_are_not_its_price(label, cell, amount):
    result = _prices(f"<p>当院ではひざ関節へのPRP療法を行っています。</p><table><tr><th>PRP療法（ひざ関節）</th><td>33,000円</td></tr>"
                     f"<tr><th>{label}</th><td>{cell}</td></tr></table>")
    assert [p["amount_min"] for p in result["prices"]] == [33000]
    assert amount in {a["amount_min"] for a in result["other_amounts"]}



def _fee_section(text: str) -> list[int]:
    result = _prices(f"<p>当院ではひざ関節へのPRP療法を行っています。</p><h2>費用</h2><p>{text}</p>")
    return sorted(p["amount_min"] for p in result["prices"])


@pytest.mark.parametrize("text, amounts", [
    ("費用は1回あたり33,000円（税込）です。", [33000]),
    ("料金：片膝 33万円（税別）", [330000]),
    ("治療費の目安は1回3万3千円程度です。", [33000]),
    ("PRP療法は、1回33,000円で受けられます。", [33000]),
    ("当院のPRP療法は33,000円（税込）です。", [33000]),
    ("1回目 33,000円、2回目以降 22,000円", [22000,33000]),
    ("自由診療のため、全額自己負担となります。費用は1回33,000円です。", [33000]),
    ("保険適用外のため自費診療です。PRP療法 33,000円（税込）", [33000]),
    ("PRP療法の費用は、1回につき33,000円（税込）となっております。", [33000]),
    ("33,000円（税込）／回", [33000]),
    ("費用：3万3000円（税込）", [33000]),
    ("料金は片膝で税込33,000円、両膝で税込55,000円です。", [33000,55000]),
    ("PRP療法（1回）……33,000円", [33000]),
    ("初診料3,300円と別に、PRP療法1回33,000円がかかります。", [33000]),
    ("お支払いは現金・クレジットカードに対応しています。PRP療法は1回33,000円です。", [33000]),
    ("治療費（税込）\n33,000円", [33000]),
])
def test_a_fee_said_in_a_sentence_on_the_clinics_own_page(text, amounts):
    """The ways a clinic's own therapy page states its fee in prose (「治療費の目安は…程度です」 is its own, roughly)."""
    assert _fee_section(text) == amounts


@pytest.mark.parametrize("row, is_price", [
    # a cell therapy's fee that bundles rehabilitation or anaesthesia is still the therapy's fee
    ("再生医療（初回） 細胞採取・培養・点滴1回・点滴中リハビリ", True),
    ("追加投与（2回目以降） 保管細胞を使用した点滴1回・リハビリ", True),
    ("培養した細胞の投与（局所麻酔込み）", True),
    # the same table's rows for something else are not
    ("リハビリ（1回40分）", False),
    ("ヒアルロン酸注射", False),
    ("罰金（第二種再生医療等を届出なく提供した場合）", False),
])
def test_a_fee_row_that_bundles_rehabilitation_is_the_cell_therapys_fee(row, is_price):
    result = _prices("<p>当院では、ご自身の脂肪から培養した幹細胞を点滴で戻す治療を行っています。</p><h2>治療費</h2>"
                     "<table><tr><th>項目</th><th>金額（税込）</th></tr>"
                     f"<tr><td>{row}</td><td>1,320,000円</td></tr></table>")
    assert (1320000 in {p["amount_min"] for p in result["prices"]}) is is_price, result["other_amounts"]


def test_a_second_price_column_of_a_row_is_that_rows_price():
    """通常価格 and モニター価格 side by side: the second amount's own label is only 「（税込」, so it takes the row's."""
    result = _prices("""<p>当院ではエクソソーム点滴を行っています。</p>
      <table><tr><th>メニュー</th><th>通常価格</th><th>モニター価格</th></tr>
      <tr><td>エクソソーム点滴 1回</td><td>60,000円（税込66,000円）</td><td>45,000円（税込49,500円）</td></tr>
      <tr><td>ボトックス注射（1部位）</td><td>22,000円</td><td>18,000円</td></tr></table>""")
    assert [(p["amount_min"], p["tax"], p["therapy"]) for p in result["prices"]] == [
        (66000, "included", "exosome"), (49500, "included", "exosome")]
    assert {a["amount_min"] for a in result["other_amounts"]} >= {22000, 18000}  # the other row stays another product


def test_every_part_in_a_part_cell_is_a_part_and_a_ct_included_note_gives_the_tax():
    result = _prices("""<h2>Treatment Fee</h2><p>(All fees listed below are CT-included amounts.)</p>
      <table><tr><th>Therapy</th><th>Technical Fee</th><th>Management Fee</th><th>Total Amount</th></tr>
      <tr><td>Peptide-pulsed DC Vaccine Therapy</td><td>JPY 972,000</td>
      <td>6 infusions JPY 648,000<br>12 infusions JPY 1,296,000<br>(JPY 108,000 Per 1 infusion)</td>
      <td>JPY 2,224,800~2,872,800</td></tr></table>""")
    assert [(p["amount_min"], p["amount_max"], p["tax"], p["therapy"]) for p in result["prices"]] == [
        (2224800, 2872800, "included", "other")]
    assert {a["amount_min"] for a in result["other_amounts"]} == {972000, 648000, 1296000, 108000}


@pytest.mark.parametrize("section, rows, prices", [
    # under a therapy's own heading, a row naming only a volume, a skin area or a plan is that therapy's price
    ("培養上清液点滴の料金", [("5cc", 33000), ("10cc", 55000)], [33000, 55000]),
    ("PRP皮膚再生療法の料金", [("目の下", 110000), ("ほうれい線", 132000)], [110000, 132000]),
    ("PRP療法の料金", [("スタンダードプラン", 33000), ("プレミアムプラン（高濃度）", 55000)], [33000, 55000]),
    # under another product's heading the same rows are that product's
    ("ボトックス", [("額", 22000), ("目元", 16500)], []),
    ("ヒアルロン酸注射", [("1cc", 55000)], []),
    ("高濃度ビタミンC点滴", [("12.5g", 11000)], []),
])
def test_a_row_naming_only_an_area_or_a_volume_takes_its_sections_product(section, rows, prices):
    cells = "".join(f"<tr><td>{label}</td><td>{amount:,}円</td></tr>" for label, amount in rows)
    result = _prices(f"<h2>PRP療法・培養上清液点滴</h2><p>当院ではPRP療法と培養上清液点滴を行っています。</p>"
                     f"<h2>{section}</h2><table><tr><th>部位・量</th><th>料金</th></tr>{cells}</table>")
    assert sorted(p["amount_min"] for p in result["prices"]) == prices, result["other_amounts"]


def test_a_blog_posts_monitor_price_table_is_the_clinics_own_and_a_hips_side_is_no_knee():
    """A column post's fee table reads as the market's, unless it prints モニター価格: only the clinic prices its
    monitors. 股関節（片側） is one hip (a joint), not one knee."""
    from scrapers.parsers.clinic_page import extract_clinic_page

    html = """<html><head><title>股関節の幹細胞治療｜ブログ｜Aセルクリニック</title></head><body>
      <h1>股関節の幹細胞治療とは？</h1><p>ひざの幹細胞治療を扱う医療機関は増えましたが、股関節はまだ少数です。</p>
      <h2>股関節・ひざの幹細胞治療の費用</h2><table>
      <tr><th>治療内容</th><th>通常価格(税込)</th><th>モニター価格(税込)</th></tr>
      <tr><td>幹細胞治療 股関節(片側)</td><td>1,320,000円</td><td>1,100,000円</td></tr>
      <tr><td>幹細胞治療 股関節(両側)</td><td>2,200,000円</td><td>1,870,000円</td></tr>
      <tr><td>幹細胞治療 ひざ(片膝)</td><td>1,100,000円</td><td>935,000円</td></tr></table></body></html>"""
    result = extract_clinic_page(html.encode(), "https://a-cell.example/blog/hip/", {"Content-Type": "text/html"})
    assert [(p["amount_min"], p["unit"]) for p in result["prices"]] == [
        (1320000, "joint"), (1100000, "joint"), (2200000, None), (1870000, None), (1100000, "knee"), (935000, "knee")]


def test_price_columns_headed_by_units_price_each_column_per_its_unit():
    result = _prices("""<table><tr><th>治療内容</th><th>1回</th><th>3回コース</th></tr>
      <tr><td>PRP関節内注射(膝・足関節など)</td><td>33,000円</td><td>88,000円</td></tr>
      <tr><td>PRP注射(腱・靭帯・筋肉)</td><td>22,000円</td><td>55,000円</td></tr></table>""")
    assert [(p["amount_min"], p["unit"], p["therapy"]) for p in result["prices"]] == [
        (33000, "session", "prp_intra_articular"), (88000, "course", "prp_intra_articular"),
        (22000, "session", "prp_other"), (55000, "course", "prp_other")]
    assert all("〔" not in p["excerpt"] for p in result["prices"])  # the column's mark is never shown


def test_price_cards_of_short_lines_and_a_lists_last_row_above_a_note():
    result = _prices("""<h2>股関節の幹細胞治療 料金</h2><p>表示はすべて税込です。</p>
      <div class="card"><p>スタンダード</p><p>幹細胞 2,500万個 ×1回<br>(片側股関節)</p><p>1,320,000<span>円</span></p><p>税込</p></div>
      <div class="card"><p>ハイドーズ</p><p>幹細胞 5,000万個 ×1回<br>(片側股関節)</p><p>1,650,000<span>円</span></p><p>税込</p></div>
      <div class="fees"><div>初診料(来院時の診察)</div><div>11,000円(税込)</div>
      <div>細胞保管料(2回目以降の投与用・1年間)</div><div>55,000円(税込)</div></div>
      <p>※両側の股関節を同時に治療する場合は、診察のうえでお見積もりいたします。</p>""")
    assert [(p["amount_min"], p["unit"]) for p in result["prices"]] == [(1320000, "joint"), (1650000, "joint")]
    assert {a["amount_min"]: a["kind"] for a in result["other_amounts"]} == {11000: "consultation", 55000: "storage"}


@pytest.mark.parametrize("cell", ["¥55,000 per knee <small>(approx. US$370)</small>", "55,000円／回（約$370）",
                                  "¥55,000 (approx. US$370)"])
def test_a_dollar_conversion_after_the_unit_is_no_second_price(cell):
    result = _prices(f"""<p>We use PRP for knee osteoarthritis.</p><table><thead><tr><th>Treatment</th>
      <th>Fee (tax included)</th></tr></thead><tbody><tr><td>PRP for knee osteoarthritis</td><td>{cell}</td></tr>
      <tr><td>Regenerative medicine consultation</td><td>¥3,300</td></tr></tbody></table>""")
    assert [(p["amount_min"], p["currency"]) for p in result["prices"]] == [(55000, "JPY")]


@pytest.mark.parametrize("note, head, tax", [
    ("以下均为含税日元价格。", "费用", "included"),
    ("日圓為診所牌價（含稅）。", "費用", "included"),
    ("가격은 모두 부가세 포함입니다.", "비용", "included"),
    ("", "费用（含税）", "included"),
    ("", "비용 (엔화 · 세금 포함)", "included"),
    ("以下均为不含税价格。", "费用", "excluded"),
])
def test_tax_said_on_chinese_and_korean_pages(note, head, tax):
    result = _prices(f"""<p>{note}</p><table><tr><th>项目</th><th>{head}</th></tr>
      <tr><td>脂肪干细胞点滴（1次）</td><td>1,650,000日元</td></tr></table>""")
    assert [(p["amount_min"], p["tax"]) for p in result["prices"]] == [(1650000, tax)]


@pytest.mark.parametrize("row", ["NK세포 치료 1회", "면역세포 치료 1회", "免疫细胞疗法（1次）", "树突状细胞疫苗（1次）"])
def test_immune_cells_priced_on_korean_and_chinese_pages_are_cell_therapies(row):
    result = _prices(f"<table><tr><td>{row}</td><td>¥330,000</td></tr></table>")
    assert [(p["amount_min"], p["therapy"]) for p in result["prices"]] == [(330000, "other")]


def test_an_english_culture_supernatant_program_prices_its_infusions():
    result = _prices("""<h3>Program B: Culture supernatant infusion (one trip)</h3>
      <p>A drip of stem cell culture supernatant, the liquid in which stem cells were grown.</p>
      <dl><dt>One infusion</dt><dd>¥198,000</dd><dt>Three infusions on consecutive days</dt><dd>¥528,000</dd></dl>""")
    assert [(p["amount_min"], p["unit"], p["therapy"]) for p in result["prices"]] == [
        (198000, "session", "culture_supernatant"), (528000, "course", "culture_supernatant")]


def test_a_price_grid_whose_header_names_only_sides_is_priced_under_its_sections_therapy():
    result = _prices("""<h2>PRP-FD注射の料金</h2><div class="c-table">
      <div><div class="row"><div class="head"></div><div class="head">片膝</div><div class="head">両膝</div></div></div>
      <div><div class="row"><div class="head">通常価格</div><div>198,000円</div><div>330,000円</div></div>
      <div class="row"><div class="head">モニター価格</div><div>138,600円</div><div>231,000円</div></div></div></div>
      <p>※料金はすべて税込です。</p>""")
    assert sorted((p["amount_min"], p["therapy"]) for p in result["prices"]) == [
        (138600, "pfc_fd"), (198000, "pfc_fd"), (231000, "pfc_fd"), (330000, "pfc_fd")]


def test_a_korean_pages_generic_stem_cells_are_the_kind_it_names_and_its_drip_rows_are_priced():
    result = _prices("""<p>환자분 본인의 지방에서 얻은 줄기세포를 배양해 다시 투여하는 자가 지방유래 줄기세포 치료입니다.</p>
      <h2>비용 (엔화 · 세금 포함)</h2><table>
      <tr><td>무릎 관절 내 줄기세포 주사 (한쪽 무릎, 1회)</td><td>1,100,000엔</td></tr>
      <tr><td>정맥 점적 투여 (1회)</td><td>1,650,000엔</td></tr>
      <tr><td>정맥 점적 3회 코스 (배양 · 보관 포함)</td><td>4,400,000엔</td></tr></table>""")
    assert {o["therapy"] for o in result["offerings"]} == {"adipose_cultured"}
    assert [(p["amount_min"], p["unit"]) for p in result["prices"]] == [
        (1100000, "knee"), (1650000, "session"), (4400000, "course")]


@pytest.mark.parametrize("row, unit", [
    ("高濃度PRP 目の下（両側） 1回", "session"),
    ("PRP 頬（片側）", None),
    ("PRP療法 両膝", "both_knees"),
    ("SVF治療 股関節（片側）", "joint"),
])
def test_a_side_of_a_skin_area_is_no_knee(row, unit):
    result = _prices(f"<p>当院ではPRP療法とSVF治療を行っています。</p><table><tr><td>{row}</td><td>132,000円</td></tr></table>")
    assert [p["unit"] for p in result["prices"]] == [unit]
