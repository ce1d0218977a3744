"""The clinic's name read wherever a site prints it, one place at a time (issue 10).

Each case is one page that prints its name in a single place and in a single style seen on clinic sites: a logo's
alt (with a strap line, with 「のロゴ」), og:site_name, a © line, the footer's address block, a title in one of its
shapes, a header brand, JSON-LD, an access table. The page body names no clinic.
"""

from __future__ import annotations

import pytest

from saisei.corpus_scores import same_name
from scrapers.parsers.clinic_page import extract_clinic_page


def _name(head: str, body: str) -> str | None:
    html = (f"<html><head><meta charset='utf-8'>{head}</head><body>{body}<main><h2>PRP療法について</h2>"
            "<p>PRP療法は血小板を使う治療です。</p></main></body></html>")
    result = extract_clinic_page(html.encode(), "https://www.sakura-seikei.example/prp/",
                                 {"Content-Type": "text/html; charset=utf-8"})
    return result["clinic"]["name_printed"]


T = "<title>PRP療法</title>"
CASES = [
    ("logo alt", T, "<header><div class='logo'><a href='/'><img src='/img/logo.png' alt='さくら整形外科'></a></div></header>", "さくら整形外科"),
    ("logo alt strap", T, "<header><a href='/'><img src='/img/logo.svg' alt='ひざの痛み専門 さくら整形外科クリニック'></a></header>", "さくら整形外科クリニック"),
    ("og only", T+"<meta property='og:site_name' content='さくら整形外科クリニック'>", "", "さくら整形外科クリニック"),
    ("copyright en", T, "<footer><p>Copyright © 2024 さくら整形外科 All Rights Reserved.</p></footer>", "さくら整形外科"),
    ("copyright corp", T, "<footer><small>© 医療法人社団桜会 さくら整形外科</small></footer>", "さくら整形外科"),
    ("footer addr", T, "<footer><p>さくら整形外科</p><p>〒530-0001 大阪府大阪市北区梅田1-2-3</p></footer>", "さくら整形外科"),
    ("footer addr br", T, "<footer><p>さくら整形外科<br>〒530-0001 大阪府大阪市北区梅田1-2-3<br>TEL 06-1234-5678</p></footer>", "さくら整形外科"),
    ("title dash", "<title>PRP療法 - さくら整形外科 | 大阪市北区</title>", "", "さくら整形外科"),
    ("title paren place", "<title>PRP療法 ｜ さくら整形外科（大阪・梅田）</title>", "", "さくら整形外科"),
    ("title first", "<title>さくら整形外科のPRP療法</title>", "", "さくら整形外科"),
    ("title colon", "<title>【公式】さくら整形外科：PRP療法</title>", "", "さくら整形外科"),
    ("div logo text", T, "<header><div class='logo'><a href='/'>さくら整形外科</a></div></header>", "さくら整形外科"),
    ("site-name p", T, "<header><p class='site-name'><a href='/'>さくら整形外科</a></p></header>", "さくら整形外科"),
    ("header span", T, "<header><span class='header__name'>さくら整形外科</span></header>", "さくら整形外科"),
    ("jsonld", T+'<script type="application/ld+json">{"@context":"https://schema.org","@type":"MedicalClinic","name":"さくら整形外科","address":{"@type":"PostalAddress","addressRegion":"大阪府","addressLocality":"大阪市北区"}}</script>', "", "さくら整形外科"),
    ("title en", "<title>PRP Therapy | Sakura Orthopedic Clinic</title>", "", "Sakura Orthopedic Clinic"),
    ("logo en caps", T, "<header><a href='/'><img src='/logo.png' alt='SAKURA CLINIC'></a></header>", "SAKURA CLINIC"),
    ("h1 logo img", T, "<h1 class='logo'><img src='/img/h_logo.png' alt='さくら整形外科'></h1>", "さくら整形外科"),
    ("dental", "<title>CGF｜さくら歯科医院</title>", "", "さくら歯科医院"),
    ("derm", "<title>PRP皮膚再生｜さくら皮フ科クリニック</title>", "", "さくら皮フ科クリニック"),
    ("naika seikei", "<title>PRP｜さくら内科・整形外科</title>", "", "さくら内科・整形外科"),
    ("pain clinic", "<title>PRP｜さくらペインクリニック</title>", "", "さくらペインクリニック"),
    ("hosp dept", "<title>PRP療法｜整形外科｜さくら総合病院</title>", "", "さくら総合病院"),
    ("medical clinic", "<title>PRP｜さくらメディカルクリニック</title>", "", "さくらメディカルクリニック"),
    ("knee clinic", "<title>PRP｜大阪ひざ関節症クリニック</title>", "", "大阪ひざ関節症クリニック"),
    ("branch", "<title>PRP｜さくら整形外科 梅田院</title>", "", "さくら整形外科 梅田院"),
    ("kanji only", "<title>PRP療法｜山田医院</title>", "", "山田医院"),
    ("katakana", "<title>PRP療法｜リボーンクリニック</title>", "", "リボーンクリニック"),
    ("hira+kanji", "<title>PRP療法｜ひまわり診療所</title>", "", "ひまわり診療所"),
    ("en latin jp mix", "<title>PRP療法｜SAKURA整形外科</title>", "", "SAKURA整形外科"),
    ("logo alt 'ロゴ'", T, "<header><a href='/'><img src='/logo.png' alt='さくら整形外科 ロゴ'></a></header>", "さくら整形外科"),
    ("logo alt 'logo'", T, "<header><a href='/'><img src='/logo.png' alt='さくら整形外科のロゴ'></a></header>", "さくら整形外科"),
    ("footer dl", T, "<footer><dl><dt>医院名</dt><dd>さくら整形外科</dd><dt>住所</dt><dd>大阪府大阪市北区梅田1-2-3</dd></dl></footer>", "さくら整形外科"),
    ("access table", T, "<table><tr><th>名称</th><td>さくら整形外科</td></tr><tr><th>所在地</th><td>大阪府大阪市北区梅田1-2-3</td></tr></table>", "さくら整形外科"),
    ("copyright year after", T, "<footer><p>© 2015-2025 さくら整形外科.</p></footer>", "さくら整形外科"),
    ("copyright romaji", T, "<footer><p>Copyright (C) Sakura Orthopedics. All rights reserved.</p></footer>", "Sakura Orthopedics"),
]


@pytest.mark.parametrize("where, head, body, name", CASES, ids=[c[0] for c in CASES])
def test_the_name_printed_in_one_place_is_read(where, head, body, name):
    assert same_name(name, _name(head, body))


@pytest.mark.parametrize("brand", ["日本再生医療学会", "日本整形外科学会", "一般社団法人日本再生医療推進協会", "再生医療推進機構",
                                   "北九州市医師会", "病院検索ホスピタ", "EPARKクリニック・病院", "日経メディカル"])
@pytest.mark.parametrize("where", ["title", "og", "logo", "copyright"])
def test_a_society_a_directory_or_a_newspaper_is_no_clinic(brand, where):
    head = f"<title>PRP療法とは｜{brand}</title>" if where == "title" else "<title>PRP療法とは</title>"
    if where == "og":
        head += f"<meta property='og:site_name' content='{brand}'>"
    body = {"logo": f"<header><a href='/'><img src='/logo.png' alt='{brand}'></a></header>",
            "copyright": f"<footer><p>© 2024 {brand} All Rights Reserved.</p></footer>"}.get(where, "")
    assert _name(head, body) is None
