"""readers.identifiers: every shape of domain.md §3 as clinics print it, and never a crash on any text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readers.identifiers import Identifier, find_identifiers, parse_identifier
from readers.regions import bureau_for_prefecture, canonical_prefecture

ROOT = Path(__file__).resolve().parent.parent
REGISTRY_PAGES = ROOT / "data" / "sample" / "pages" / "saiseiiryo.mhlw.go.jp" / "published_plan" / "index"


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("PB3180014", "plan_number", "PB3180014"),
        ("ＰＢ３１８００１４", "plan_number", "PB3180014"),
        ("PB3-18-0014", "plan_number", "PB3180014"),
        ("P B 3 18 0014", "plan_number", "PB3180014"),
        ("pb5150008", "plan_number", "PB5150008"),
        ("NA8150016", "committee_number", "NA8150016"),
        ("ＮＢ３１５００３６", "committee_number", "NB3150036"),
        ("FC3150092", "facility_number", "FC3150092"),
        ("jRCTb030190134", "jrct_id", "jRCTb030190134"),
        ("ｊＲＣＴａ０５０１９０１０４", "jrct_id", "jRCTa050190104"),
        ("01A2507002", "doc_code", "01A2507002"),
        ("０２Ｃ１９０８１１２", "doc_code", "02C1908112"),
    ],
)
def test_each_shape_is_read_in_every_printing(text, kind, canonical):
    found = parse_identifier(text)
    assert found is not None
    assert (found.kind, found.canonical, found.printed) == (kind, canonical, text)


def test_plan_number_fields_decode_class_bureau_year_serial():
    plan = parse_identifier("PB5160012")
    assert plan.fields == {"plan_class": 2, "bureau": "kinki", "year": 2016, "serial": 12}
    assert parse_identifier("PC7230001").fields["plan_class"] == 3
    assert parse_identifier("PA1230001").fields["bureau"] == "hokkaido"


def test_committee_and_facility_fields():
    assert parse_identifier("NA8150016").fields == {
        "committee_type": "specified", "bureau": None, "year": 2015, "serial": 16
    }
    assert parse_identifier("NB4150006").fields["committee_type"] == "class3_only"
    assert parse_identifier("NB4150006").fields["bureau"] == "tokai_hokuriku"
    assert parse_identifier("FC3150092").fields["facility_type"] == "FC"


def test_jrct_and_doc_code_fields():
    assert parse_identifier("jRCTc030230743").fields == {"plan_class": 3, "region": "03"}
    assert parse_identifier("01A2507002").fields == {"form": "01", "bureau": "hokkaido", "yymm": "2507", "serial": 2}


def test_labels_are_the_closest_one_printed_before_the_number():
    text = "当院の再生医療について。提供計画番号：PB3240901　施設番号 FC3240915。認定番号は NA8230901 です。"
    found = find_identifiers(text)
    assert [(i.canonical, i.label) for i in found] == [
        ("PB3240901", "提供計画番号"),
        ("FC3240915", "施設番号"),
        ("NA8230901", "認定番号"),
    ]


def test_a_label_in_its_own_cell_counts_but_not_one_from_another_sentence():
    assert find_identifiers("登録番号\nNA8230901")[0].label == "登録番号"
    assert find_identifiers("計画番号は下記のとおりです。詳しくは PB3240901")[0].label is None


def test_context_surrounds_the_number():
    text = "あ" * 100 + "計画番号 PB3240901 を取得" + "い" * 100
    context = find_identifiers(text)[0].context
    assert "PB3240901" in context and len(context) < 100


def test_lookalikes_are_read_and_reported_never_silently_fixed():
    found = parse_identifier("PB318OO14")
    assert found.canonical == "PB3180014"
    assert found.printed == "PB318OO14"
    assert found.lookalikes == ("O for 0 at position 6", "O for 0 at position 7")
    assert parse_identifier("PB3180014").lookalikes == ()


def test_words_are_not_numbers():
    text = "PRP療法 PROGRAM POLICY NB: please call 03-5555-0101, 2024年4月18日 PFC-FD PA-IOOO"
    assert find_identifiers(text) == []


def test_numbers_glued_to_more_letters_or_digits_are_not_read():
    assert find_identifiers("XPB3180014") == []
    assert find_identifiers("PB31800145") == []


def test_parse_identifier_refuses_text_around_the_number():
    assert parse_identifier("PB3180014 と NA8150016") is None
    assert parse_identifier("see PB3180014") is None
    assert parse_identifier("「PB3180014」") is not None
    assert parse_identifier("") is None


def test_identifier_is_frozen_and_hashable():
    found = parse_identifier("PB3180014")
    assert isinstance(found, Identifier)
    assert found in {found}
    with pytest.raises(AttributeError):
        found.canonical = "x"  # type: ignore[misc]


def _registry_rows():
    for page in sorted(REGISTRY_PAGES.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for row in re.findall(r"<tr>(.*?)</tr>", text, flags=re.S):
            cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
            codes = re.findall(r"/download/(\d{2}[A-G]\d{7})/", row)
            if cells and codes:
                yield cells[1], codes[0]


def test_sample_registry_doc_codes_decode_to_their_rows_bureau():
    rows = list(_registry_rows())
    assert len(rows) >= 20
    for prefecture, code in rows:
        decoded = parse_identifier(code)
        assert decoded.kind == "doc_code"
        assert decoded.fields["bureau"] == bureau_for_prefecture(canonical_prefecture(prefecture)), code


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_never_crashes_on_any_text(text):
    for found in find_identifiers(text):
        assert found.printed in text
        assert found.canonical.isascii() and " " not in found.canonical and "-" not in found.canonical


@given(st.text(alphabet="PBNACFjRCTabc0123456789OIl| -－０１２３４５６７８９ＰＢ計画番号：\u3000", max_size=60))
@settings(max_examples=300, deadline=None)
def test_never_crashes_on_number_like_text(text):
    for found in find_identifiers(text):
        assert len(found.canonical) in (9, 10, 14)
        assert parse_identifier(found.printed) is None or parse_identifier(found.printed).canonical == found.canonical
