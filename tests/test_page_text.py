"""How a page's markup becomes the lines a reader sees (issue 10): the layout a site chose must not split a word or
a sentence, and must not join lines that a reader sees apart."""

from __future__ import annotations

from scrapers.parsers.page_text import fold_width, inline_text, soup_of, visible_blocks


def _lines(html: str) -> list[str]:
    return [block.text for block in visible_blocks(soup_of(f"<html><body>{html}</body></html>"))]


def test_a_source_line_break_between_japanese_characters_is_no_space():
    assert _lines("<p>当院では再生\n      医療を行っています。</p>") == ["当院では再生医療を行っています。"]
    assert _lines("<p>PRP\ntherapy is offered.</p>") == ["PRP therapy is offered."]


def test_a_br_after_a_comma_or_a_particle_wraps_a_sentence_a_br_after_a_full_line_ends_it():
    assert _lines("<p>当院では、<br>PRP療法を行っています。</p>") == ["当院では、PRP療法を行っています。"]
    assert _lines("<p>ひざの痛みには<br>PRP療法を行っています。</p>") == ["ひざの痛みにはPRP療法を行っています。"]
    assert _lines("<p>PRP療法 33,000円<br>APS療法 198,000円<br>〒150-0001 東京都渋谷区神宮前1-1-1</p>") == [
        "PRP療法 33,000円", "APS療法 198,000円", "〒150-0001 東京都渋谷区神宮前1-1-1"]


def test_inline_text_joins_styled_pieces_and_spaces_blocks():
    soup = soup_of('<div class="logo"><span class="red">ひざ</span>関節症クリニック<br>新宿院</div>'
                   '<div id="f"><p>Tokyo Medical and Dental Univ<span>ersity</span></p><p>All rights reserved.</p></div>')
    assert inline_text(soup.find(class_="logo")) == "ひざ関節症クリニック 新宿院"
    assert inline_text(soup.find(id="f")) == "Tokyo Medical and Dental University All rights reserved."


def test_fold_width_reads_full_width_latin_and_digits_only():
    assert fold_width("ＰＲＰ療法（ＰＦＣ－ＦＤ）３３，０００円") == "PRP療法（PFC-FD）33，000円"


def test_a_footer_place_hard_wrapped_in_the_source_still_names_the_place():
    from scrapers.parsers.clinic_page import extract_clinic_page

    html = ("<html><head><title>PRP療法｜みどり整形外科</title></head><body><h1>PRP療法</h1><p>ひざの痛みに。</p>"
            "<footer><p>東京都目\n      黒区の整形外科</p></footer></body></html>")
    result = extract_clinic_page(html.encode("utf-8"), "https://midori.example.jp/prp/",
                                 {"Content-Type": "text/html; charset=utf-8"})
    assert (result["clinic"]["prefecture"], result["clinic"]["city"]) == ("東京都", "目黒区")


def _headings(html: str) -> list[tuple[str, str]]:
    return [(block.tag, block.text) for block in visible_blocks(soup_of(f"<html><body>{html}</body></html>"))
            if block.heading]


def test_a_div_styled_as_a_heading_is_read_as_one():
    """Page builders and Japanese themes write section titles as classed <div>/<p> or a bold line; sections are read
    under their headings, so those must head sections as <h2> does."""
    assert _headings('<div class="c-heading--lv2">PRP療法の費用</div><p>片膝 55,000円</p>') == [("h2", "PRP療法の費用")]
    assert _headings('<p class="sec-title">治療の流れ</p><p><strong>APS療法</strong></p><p>説明です。</p>') == [
        ("h2", "治療の流れ"), ("h2", "APS療法")]
    assert _headings('<div role="heading" aria-level="3">よくある質問</div>') == [("h3", "よくある質問")]
    assert _headings('<div class="entry-title">ひざの再生医療</div>') == [("h1", "ひざの再生医療")]


def test_brands_sentences_and_bold_prices_are_not_headings():
    assert _headings('<div class="site-title">さくら整形外科</div>') == []
    assert _headings('<p><strong>PRP療法は当院で行っています。</strong></p>') == []
    assert _headings('<p><strong>55,000円</strong></p>') == []
    assert _headings('<p>当院の<strong>PRP療法</strong>について</p>') == []
    assert _headings('<div class="ttl"><p>見出し</p><p>本文</p></div>') == []


def _rows(html: str) -> list[tuple[str, bool, str]]:
    return [(block.tag, block.heading, block.text)
            for block in visible_blocks(soup_of(f"<html><body>{html}</body></html>"))]


def test_a_price_table_drawn_with_divs_reads_row_by_row_as_a_table_does():
    """A CSS-grid fee table: each row one line (the fee beside its label), the header row a heading."""
    grid = ('<div class="price-table"><div class="row"><div class="th">項目</div><div class="th">料金（税込）</div></div>'
            '<div class="row"><div>初診料</div><div>3,300円</div></div>'
            '<div class="row"><div>PRP療法（片膝）</div><div>55,000円</div></div></div>')
    assert _rows(grid) == [("tr", True, "項目 料金（税込）"), ("tr", False, "初診料 3,300円"),
                           ("tr", False, "PRP療法（片膝） 55,000円")]


def test_a_facts_table_drawn_with_divs_keeps_each_label_with_its_value():
    facts = ('<div class="info"><div class="item"><div>医療機関名</div><div>さくら整形外科</div></div>'
             '<div class="item"><div>住所</div><div>〒150-0001 東京都渋谷区神宮前1-1-1</div></div></div>')
    assert [text for _, _, text in _rows(facts)] == ["医療機関名 さくら整形外科", "住所 〒150-0001 東京都渋谷区神宮前1-1-1"]


def test_cards_and_lone_divs_are_not_rows():
    """A campaign card of <p>s reads line under line; two divs that are not a row of a table stay apart."""
    card = ('<div class="card"><p>初回キャンペーン</p><p><del>88,000円</del> 66,000円（税込）</p>'
            '<p>PRP頭皮注入 1回</p></div>')
    assert [text for _, _, text in _rows(card)] == ["初回キャンペーン", "88,000円 66,000円（税込）", "PRP頭皮注入 1回"]
    lone = '<div class="box"><div>当院の特徴</div><div>ひざの痛みに、手術以外の選択肢を</div></div>'
    assert [text for _, _, text in _rows(lone)] == ["当院の特徴", "ひざの痛みに、手術以外の選択肢を"]


def test_a_facts_row_drawn_with_divs_keeps_a_two_line_value_with_its_label():
    facts = ('<div class="access"><div class="row"><div>所在地</div><div>東京都千代田区（ニコライ堂のすぐ近く）</div></div>'
             '<div class="row"><div>最寄り駅</div><div>JR中央線・総武線「御茶ノ水駅」より徒歩約3分<br>'
             '東京メトロ千代田線「新御茶ノ水駅」からもお越しいただけます</div></div></div>')
    assert [text for _, _, text in _rows(facts)][0] == "所在地 東京都千代田区（ニコライ堂のすぐ近く）"


def test_an_english_fee_row_is_as_short_as_its_japanese_twin():
    grid = ('<div class="fee"><div class="row"><div>Fat harvest and cell culture, intravenous infusion of 100 million '
            'autologous MSCs (one session)</div><div>¥1,650,000 (approx. US$11,000)</div></div></div>')
    assert [(tag, text[-30:]) for tag, _, text in _rows(grid)] == [("tr", "¥1,650,000 (approx. US$11,000)")]


def test_a_div_grid_row_spanning_the_grid_heads_the_rows_under_it():
    grid = ('<div class="price"><div class="row"><div class="th">ASC（培養脂肪幹細胞）治療</div></div>'
            '<div class="row"><div>片膝（脂肪採取・培養・注射1回）</div><div>880,000円</div></div></div>')
    assert _rows(grid) == [("tr", True, "ASC（培養脂肪幹細胞）治療"), ("tr", False, "片膝（脂肪採取・培養・注射1回） 880,000円")]


def test_a_comparison_grid_of_divs_keeps_each_row_together():
    grid = ('<div class="cmp"><div class="r"><div></div><div>PRP療法</div><div>APS療法</div></div>'
            '<div class="r"><div>注射する場所</div><div>痛めたところ</div><div>膝関節の中</div></div></div>')
    assert [text for _, _, text in _rows(grid)] == ["PRP療法 APS療法", "注射する場所 痛めたところ 膝関節の中"]


def test_a_short_english_bold_line_is_a_heading_as_its_japanese_twin_is():
    blocks = visible_blocks(soup_of("<p><strong>Program B: Culture supernatant infusion (one trip)</strong></p>"
                                    "<p><strong>培養上清液点滴プログラム</strong></p>"))
    assert [b.heading for b in blocks] == [True, True]


def test_a_div_grid_whose_header_and_body_stand_in_wrappers_of_their_own_keeps_its_header():
    from scrapers.parsers.clinic_page import extract_clinic_page

    html = """<html><head><title>SVF治療｜A整形外科</title></head><body><h1>SVF治療</h1>
      <p>当院ではSVF治療を行っています。</p><div class="c-table">
      <div><div class="row"><div>治療部位</div><div>税抜</div><div>税込</div></div></div>
      <div><div class="row"><div>SVF治療 片膝</div><div>1,000,000円</div><div>1,100,000円</div></div>
      <div class="row"><div>SVF治療 両膝(同日)</div><div>1,400,000円</div><div>1,540,000円</div></div></div></div>
      </body></html>"""
    result = extract_clinic_page(html.encode(), "https://a-seikei.example/svf/", {"Content-Type": "text/html"})
    assert [(p["amount_min"], p["tax"]) for p in result["prices"]] == [(1100000, "included"), (1540000, "included")]
