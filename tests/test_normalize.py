"""Normalisation and regions: the copies every match and identity depends on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readers.normalize import compact, facility_key, normalize_text, split_corporation, therapy_key
from readers.regions import (
    PREFECTURE_BUREAU,
    PREFECTURES,
    bureau_for_code_letter,
    bureau_for_prefecture,
    canonical_prefecture,
)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("ＰＲＰ（多血小板血漿）", "PRP(多血小板血漿)"),
        ("医療法⼈社団", "医療法人社団"),  # Kangxi radical U+2F08
        ("湊見台\u3000ひざ\r\n関節  クリニック ", "湊見台 ひざ 関節 クリニック"),
        ("１－２－３", "1-2-3"),
        ("札幌市中央区南１条西１６丁目１番２４５", "札幌市中央区南1条西16丁目1番245"),
        ("ｸﾘﾆｯｸ", "クリニック"),
        ("クリニック", "クリニック"),  # the prolonged sound mark is not a hyphen
        ("医療法人山本歯科\\r\\n大阪中之島", "医療法人山本歯科 大阪中之島"),
        (None, ""),
    ],
)
def test_normalize_text(printed, expected):
    assert normalize_text(printed) == expected


@pytest.mark.parametrize(
    ("printed", "corporation", "facility"),
    [
        ("医療法人社団再星会\u3000ひざのセルクリニック札幌院", "医療法人社団再星会", "ひざのセルクリニック札幌院"),
        ("医療法人十美会トキコクリニック", "医療法人十美会", "トキコクリニック"),
        ("社会医療法人高清会\u3000香芝高清会病院", "社会医療法人高清会", "香芝高清会病院"),
        ("一般社団法人健寿会\r\n表参道イーグルクリニック", "一般社団法人健寿会", "表参道イーグルクリニック"),
        ("医療法人鶴岡クリニック", "医療法人", "鶴岡クリニック"),
        ("医療法人\u3000宮野歯科", "医療法人", "宮野歯科"),
        ("医療法人社団光美会", "医療法人社団光美会", "光美会"),
        ("EIMY CLINIC", "", "EIMY CLINIC"),
        ("品川美容外科\u3000仙台院", "", "品川美容外科 仙台院"),
        # a medical co-operative runs hospitals as a corporation does: its name, then the hospital's
        ("広島医療生活協同組合 広島共立病院", "広島医療生活協同組合", "広島共立病院"),
        ("医療生活協同組合かわさき 川崎協同病院", "医療生活協同組合かわさき", "川崎協同病院"),
        # the Red Cross and the national hospital bodies (機構) run hospitals under their own names
        ("日本赤十字社 松江赤十字病院", "日本赤十字社", "松江赤十字病院"),
        ("独立行政法人地域医療機能推進機構徳山中央病院", "独立行政法人地域医療機能推進機構", "徳山中央病院"),
    ],
)
def test_split_corporation(printed, corporation, facility):
    assert split_corporation(printed) == (corporation, facility)


def test_facility_key_ignores_corporation_spacing_case_and_width():
    variants = [
        "医療法人社団湊光会　湊見台ひざ関節クリニック",
        "医療法人社団湊光会\r\n湊見台ひざ関節クリニック",
        "湊見台 ひざ関節クリニック",
    ]
    assert {facility_key(v) for v in variants} == {"湊見台ひざ関節クリニック"}
    assert facility_key("EVERGREEN Knee Clinic") == facility_key("ＥＶＥＲＧＲＥＥＮ　ＫＮＥＥ　ＣＬＩＮＩＣ")


def test_therapy_key_folds_width_and_spaces():
    assert therapy_key("ＰＲＰを用いた 変形性膝関節症の治療") == therapy_key("PRPを用いた変形性膝関節症の治療")


@given(st.text())
def test_normalisation_never_crashes_and_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\n" not in once and "\u3000" not in once
    assert compact(text) == compact(once)
    split_corporation(text)


def test_forty_seven_prefectures_in_seven_bureaus():
    assert len(PREFECTURES) == len(PREFECTURE_BUREAU) == 47
    assert len(set(PREFECTURE_BUREAU.values())) == 7
    assert bureau_for_prefecture("新潟県") == "kanto_shinetsu"
    assert bureau_for_prefecture("福井県") == "kinki"
    assert bureau_for_prefecture("沖縄") == "kyushu"
    assert bureau_for_code_letter("C") == "kanto_shinetsu"
    assert bureau_for_code_letter("Z") is None


@pytest.mark.parametrize(("text", "expected"), [("東京", "東京都"), (" 大阪府 ", "大阪府"), ("北海道", "北海道"), ("", None), ("東京都港区", None)])
def test_canonical_prefecture(text, expected):
    assert canonical_prefecture(text) == expected
