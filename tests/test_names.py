"""Clinic names: corporation removed, kana and width folded, branch kept apart."""

from __future__ import annotations

import jaconv
import pytest
from hypothesis import given
from hypothesis import strategies as st

from readers.names import fold_kana, name_key, parse_name, same_branch


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("湊見台ひざ関節クリニック", "湊見台ヒザ関節クリニック"),
        ("湊見台ひざ関節クリニック", "医療法人社団湊光会　湊見台ひざ関節クリニック"),
        ("湊見台ひざ関節クリニック", "湊見台ひざ関節ｸﾘﾆｯｸ"),
        ("湊見台ひざ関節クリニック", "湊見台 ひざ関節\r\nクリニック"),
        ("髙橋整形外科", "高橋整形外科"),
        ("汐見ヶ丘クリニック", "汐見ケ丘クリニック"),
        ("EVERGREEN KNEE CLINIC OSAKA", "Evergreen Knee Clinic Osaka"),
    ],
)
def test_spellings_of_one_name_share_a_key(a, b):
    assert parse_name(a).key == parse_name(b).key


def test_different_names_keep_different_keys():
    assert parse_name("ルナ再生クリニック").key != parse_name("ルミナ再生クリニック").key
    assert name_key("さくら整形外科") != name_key("さくら通り整形外科")


@pytest.mark.parametrize(
    ("printed", "base", "branch"),
    [
        ("医療法人社団湊光会　湊見台ひざ関節クリニック　横浜院", "湊見台ヒザ関節クリニック", "横浜"),
        ("湊見台ひざ関節クリニック横浜院", "湊見台ヒザ関節クリニック", "横浜"),
        ("ABC皮膚科クリニック新宿分院", "abc皮膚科クリニック", "新宿"),
        ("みなと西整形外科本院", "ミナト西整形外科", "本院"),
        ("杜の泉クリニック仙台", "杜ノ泉クリニック", "仙台"),
        ("こもれび坂病院", "コモレビ坂病院", None),  # 病院 is not a branch
        ("東京ベイサイド再生医療センター", "東京ベイサイド再生医療センター", None),
    ],
)
def test_branch_suffixes(printed, base, branch):
    name = parse_name(printed)
    assert (name.base, name.branch) == (base, branch)


def test_core_drops_facility_words():
    assert parse_name("医療法人星陵会 星降町整形外科").core == "星降町"
    assert parse_name("こもれび坂病院").core == "コモレビ坂"


def test_same_branch():
    tokyo, yokohama = parse_name("湊見台ひざ関節クリニック"), parse_name("湊見台ひざ関節クリニック横浜院")
    assert same_branch(yokohama, parse_name("湊見台ひざ関節クリニック 横浜院")) is True
    assert same_branch(yokohama, parse_name("湊見台ひざ関節クリニック渋谷院")) is False
    assert same_branch(tokyo, yokohama) is None
    assert same_branch(parse_name("Xクリニック本院"), yokohama) is False


def test_fold_kana():
    assert fold_kana("ひざ") == fold_kana("ヒザ") == fold_kana("ﾋｻﾞ") == "ヒザ"


@given(
    head=st.text(alphabet="あいうえおかきくけこさしすせそたちつてとなにぬねのまみむめもやゆよらりるれろわ", min_size=2, max_size=6),
    word=st.sampled_from(["クリニック", "整形外科", "ペインクリニック", "病院"]),
    corporation=st.sampled_from(["", "医療法人社団星海会　", "医療法人星海会 ", "一般社団法人星海会\r\n"]),
)
def test_printing_variants_keep_the_key(head, word, corporation):
    name = head + word
    key = parse_name(name).key
    assert parse_name(corporation + name).key == key
    assert parse_name(jaconv.hira2kata(name)).key == key
    assert parse_name(jaconv.z2h(name, kana=True, ascii=False, digit=False)).key == key
    assert parse_name(name.replace(word, " " + word)).key == key


@pytest.mark.parametrize(("romanised", "japanese"), [
    ("Repair Cell Clinic Sapporo", "リペアセルクリニック札幌院"),
    ("BASEBALL & SPORTS CLINIC", "ベースボール&スポーツクリニック"),
    ("SINCELL CLINIC", "シンセルクリニック"),
])
def test_english_words_of_a_romanised_name_read_as_their_katakana(romanised, japanese):
    from readers.names import english_katakana, same_reading

    assert same_reading(romanised, japanese)
    assert english_katakana("Repair Cell Clinic") == "リペアセルクリニック"
    from readers.names import name_reading

    assert name_reading("リペアセルクリニック札幌院") == name_reading("リペアセルクリニック札幌")  # 院 marks the branch
    assert not same_reading("Sun Clinic", "東京クリニック")


@pytest.mark.parametrize("name", ["PRP整形外科", "幹細胞クリニック", "ＰＲＰクリニック銀座", "AGAクリニック", "再生医療ドック"])
def test_a_therapy_a_condition_or_a_check_up_is_no_facilitys_name(name):
    from readers.names import is_generic_name

    assert is_generic_name(name)
    assert not is_generic_name("リペアセルクリニック") and not is_generic_name("湘南AGAクリニック")


def test_parsed_names_kept_are_bounded_and_parse_alike():
    """A build parses every clinic's name once per stage: the names kept parsed stay bounded (issue 14), and a
    name parsed again after it was dropped parses the same."""
    from readers.names import NAMES_KEPT, is_generic_name

    first = parse_name("湊見台第0ひざ関節クリニック")
    for i in range(NAMES_KEPT + 100):
        is_generic_name(f"湊見台第{i}ひざ関節クリニック")
    assert parse_name.cache_info().currsize <= NAMES_KEPT <= 8192
    assert is_generic_name.cache_info().currsize <= NAMES_KEPT
    assert parse_name("湊見台第0ひざ関節クリニック") == first
