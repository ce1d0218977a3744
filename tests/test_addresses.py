"""Addresses: prefecture / city / rest, block numbers in one form, postal codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readers.addresses import (
    find_postal_code,
    kanji_to_int,
    normalize_blocks,
    normalize_phone,
    parse_address,
    postal_area,
    split_city,
)


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23), ("百五", 105), ("一〇", 10), ("三百", 300)],
)
def test_kanji_numerals(numeral, value):
    assert kanji_to_int(numeral) == value


@given(st.integers(min_value=1, max_value=999))
def test_kanji_numerals_round_trip(number):
    digits = "〇一二三四五六七八九"
    hundreds, tens, ones = number // 100, number // 10 % 10, number % 10
    text = (digits[hundreds] if hundreds > 1 else "") + ("百" if hundreds else "")
    text += (digits[tens] if tens > 1 else "") + ("十" if tens else "")
    text += digits[ones] if ones else ""
    assert kanji_to_int(text) == number


@pytest.mark.parametrize(
    ("printed", "blocks"),
    [
        ("湊見台一丁目2番3号", "湊見台1-2-3"),
        ("湊見台1丁目2番3号", "湊見台1-2-3"),
        ("湊見台1-2-3", "湊見台1-2-3"),
        ("安島二丁目5番地の3", "安島2-5-3"),
        ("港西1丁目9番2号", "港西1-9-2"),
        ("南1条西15丁目", "南1条西15"),
    ],
)
def test_block_numbers_against_hyphens(printed, blocks):
    assert normalize_blocks(printed) == blocks


def test_place_names_keep_their_kanji_numerals():
    assert normalize_blocks("四日市市八王子町1番2号") == "四日市市八王子町1-2"


@pytest.mark.parametrize(
    ("text", "city", "rest"),
    [
        ("港区湊見台1-2-3", "港区", "湊見台1-2-3"),
        ("横浜市西区汐見ヶ丘2-4-1", "横浜市西区", "汐見ヶ丘2-4-1"),
        ("北九州市小倉北区光輪町1-2-3", "北九州市小倉北区", "光輪町1-2-3"),
        ("四日市市諏訪町1-5", "四日市市", "諏訪町1-5"),
        ("港区市場町3", "港区", "市場町3"),
        ("愛知郡東郷町大字春木", "愛知郡東郷町", "大字春木"),
        ("松本市中央1-1", "松本市", "中央1-1"),
    ],
)
def test_split_city(text, city, rest):
    assert split_city(text) == (city, rest)


def test_registry_and_page_spellings_share_a_key():
    page = parse_address("〒105-0001 東京都港区湊見台一丁目2番3号 湊見台メディカルビル５階")
    registry = parse_address("港区湊見台一丁目2番3号　湊見台メディカルビル5階", "東京都")
    assert page.postal_code == "1050001"
    assert page.prefecture == registry.prefecture == "東京都"
    assert page.city == registry.city == "港区"
    assert page.block_key == registry.block_key == "湊見台1-2-3"
    assert page.key == registry.key


def test_postal_codes():
    assert find_postal_code("所在地 〒１００－０００１ 東京都千代田区") == "1000001"
    assert find_postal_code("電話 03-5555-0123") is None
    assert postal_area("1000001") == ("東京都", "千代田区")
    assert postal_area("0000000") is None
    assert postal_area(None) is None


@pytest.mark.parametrize(
    ("printed", "digits"),
    [("03-5555-0101", "0355550101"), ("＋81 3 5555 0101", "0355550101"), ("(011)555-0123", "0115550123"), ("123", None)],
)
def test_phone_numbers(printed, digits):
    assert normalize_phone(printed) == digits
