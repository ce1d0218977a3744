"""Where a clinic stands, read from its address in the shapes Japanese sites print it (issue 10).

One footer address per case: without its prefecture, with kanji block numbers, a building, Sapporo's 条 and 丁目,
romanised, in Chinese, split over <span>s and <br>s, full-width, a Kyoto street with no numbers, a county town, a
bare ward. A page that prints only a phone number has no printed place.
"""

from __future__ import annotations

import pytest

from scrapers.parsers.clinic_page import extract_clinic_page


def _prefecture(body: str) -> str | None:
    html = ("<html><head><meta charset='utf-8'><title>PRP療法｜さくら整形外科</title></head><body><main><h1>PRP療法</h1>"
            f"<p>PRP療法は血小板を使う治療です。</p></main>{body}</body></html>")
    result = extract_clinic_page(html.encode(), "https://www.sakura-seikei.example/prp/",
                                 {"Content-Type": "text/html; charset=utf-8"})
    return result["clinic"]["prefecture"]


def F(lines: str) -> str:  # noqa: N802 - a footer, as the cases read
    return f"<footer><p>さくら整形外科</p>{lines}</footer>"


CASES = [
    ("no pref city", F("<p>〒530-0001 大阪市北区梅田1-2-3</p>"), "大阪府"),
    ("kanji numbers", F("<p>大阪府大阪市北区梅田1丁目2番3号</p>"), "大阪府"),
    ("label bldg", F("<p>住所：東京都渋谷区神宮前1-2-3 さくらビル2F</p>"), "東京都"),
    ("sapporo jo", F("<p>所在地 〒060-0001 札幌市中央区北1条西2丁目</p>"), "北海道"),
    ("english", F("<p>Access: 1-2-3 Umeda, Kita-ku, Osaka 530-0001</p>"), "大阪府"),
    ("fukuoka", F("<p>〒812-0011 福岡市博多区博多駅前2-1-1</p>"), "福岡県"),
    ("chinese", F("<p>地址：日本大阪府大阪市北区梅田1-2-3</p>"), "大阪府"),
    ("spans", F("<p><span>〒530-0001</span><span>大阪府</span><span>大阪市北区梅田1-2-3</span></p>"), "大阪府"),
    ("table", "<table><tr><th>住所</th><td>大阪府大阪市北区梅田1-2-3</td></tr></table>", "大阪府"),
    ("station note", F("<p>大阪市北区梅田1-2-3（JR大阪駅から徒歩5分）</p>"), "大阪府"),
    ("kyoto street", F("<p>〒604-8005 京都市中京区河原町通三条上る恵比須町</p>"), "京都府"),
    ("kyoto no code", F("<p>京都市中京区烏丸通三条上ル</p>"), "京都府"),
    ("yokohama", F("<p>神奈川県横浜市西区みなとみらい2-2-1</p>"), "神奈川県"),
    ("saitama hira", F("<p>さいたま市大宮区桜木町1-2-3</p>"), "埼玉県"),
    ("ward only", F("<p>〒150-0001 渋谷区神宮前1-2-3</p>"), "東京都"),
    ("nagoya", F("<p>名古屋市中区栄3-4-5</p>"), "愛知県"),
    ("fullwidth", F("<p>〒５３０－０００１　大阪府大阪市北区梅田１－２－３</p>"), "大阪府"),
    ("br lines", F("<p>〒530-0001<br>大阪府大阪市北区<br>梅田1-2-3</p>"), "大阪府"),
    ("dl", F("<dl><dt>所在地</dt><dd>〒530-0001<br>大阪市北区梅田1-2-3</dd></dl>"), "大阪府"),
    ("town no city", F("<p>〒399-0000 長野県北佐久郡軽井沢町軽井沢1-2</p>"), "長野県"),
    ("gun", F("<p>北佐久郡軽井沢町軽井沢1-2</p>"), "長野県"),
    ("map link", F("<p><a href='https://maps.google.com/?q=大阪府大阪市北区梅田1-2-3'>地図を見る</a></p><p>大阪市北区梅田1-2-3</p>"), "大阪府"),
    ("hyphen variants", F("<p>〒530‐0001 大阪府大阪市北区梅田1‐2‐3</p>"), "大阪府"),
    ("en romaji ken", F("<p>2-1 Hakata-ekimae, Hakata-ku, Fukuoka-shi, Fukuoka 812-0011, Japan</p>"), "福岡県"),
    ("tel only", F("<p>TEL 06-1234-5678</p>"), None),
]


@pytest.mark.parametrize("shape, body, prefecture", CASES, ids=[c[0] for c in CASES])
def test_the_prefecture_of_an_address_in_any_shape(shape, body, prefecture):
    assert _prefecture(body) == prefecture
