"""Matching clinics to registry facilities: blocking, scores, and the features that decided."""

from __future__ import annotations

import pytest

from verify.matching import RegistryIndex, probe_for, score_pair, therapy_similarity

REGISTRY = [
    {"id": "t1", "plan_class": 2, "prefecture": "東京都", "facility_printed": "医療法人社団湊光会\u3000湊見台ひざ関節クリニック",
     "address_printed": "港区湊見台一丁目2番3号 湊見台メディカルビル5階", "therapy": "自己脂肪由来幹細胞(培養)を用いた治療"},
    {"id": "y1", "plan_class": 2, "prefecture": "神奈川県",
     "facility_printed": "医療法人社団湊光会\r\n湊見台ひざ関節クリニック\u3000横浜院", "address_printed": "横浜市西区汐見ヶ丘2-4-1",
     "therapy": "自己脂肪由来幹細胞(培養)を用いた治療"},
    {"id": "o1", "plan_class": 3, "prefecture": "大阪府", "facility_printed": "あさぎり整形外科",
     "address_printed": "大阪市北区梅田1-1-1", "therapy": "多血小板血漿を用いた足底腱膜炎の治療"},
    {"id": "o2", "plan_class": 2, "prefecture": "大阪府", "facility_printed": "EVERGREEN KNEE CLINIC OSAKA",
     "address_printed": "大阪市北区梅ヶ枝町4-6-2", "therapy": "自己脂肪由来幹細胞を用いた変形性膝関節症の治療"},
    {"id": "s1", "plan_class": 2, "prefecture": "静岡県", "facility_printed": "あさぎり整形外科",
     "address_printed": None, "therapy": "PRPを用いた変形性膝関節症の治療"},
]


@pytest.fixture(scope="module")
def index():
    return RegistryIndex(REGISTRY)


def test_plans_group_into_facilities_with_branches_apart(index):
    keys = sorted(f.key for f in index.facilities)
    assert len(keys) == 5
    assert any(k.startswith("神奈川県|") and k.endswith("横浜") for k in keys)


def test_name_variant_matches_with_scores_and_features(index):
    match = index.best(probe_for("湊見台ヒザ関節ｸﾘﾆｯｸ", "東京都", "東京都港区湊見台1-2-3"))
    assert match is not None and match.facility.plans[0]["id"] == "t1"
    assert match.scores["name"] == 100 and match.scores["address"] == 100
    assert match.features[0] == "name 100"
    assert "same prefecture (東京都)" in match.features
    assert set(match.as_json()) >= {"facility", "prefecture", "score", "name", "address", "features"}


def test_same_name_in_another_prefecture_is_blocked(index):
    assert index.best(probe_for("湊見台ひざ関節クリニック", "大阪府")) is None
    osaka = index.best(probe_for("あさぎり整形外科", "大阪府"))
    assert osaka.facility.plans[0]["id"] == "o1"


def test_prefecture_from_postal_code_when_the_page_omits_it(index):
    probe = probe_for("あさぎり整形外科", None, "〒100-0001 千代田区千代田1-1")
    assert probe.prefecture == "東京都"
    assert index.best(probe) is None


def test_branch_does_not_match_another_branch(index):
    probe = probe_for("湊見台ひざ関節クリニック 渋谷院", "神奈川県")
    assert index.best(probe) is None


def test_same_name_in_another_city_is_a_near_miss_not_a_match(index):
    """Issue 10: when both addresses are known and the city differs, the name alone never carries the match."""
    probe = probe_for("湊見台ひざ関節クリニック", "東京都", "東京都渋谷区道玄坂9-9-9")
    assert index.best(probe) is None
    near = index.near_misses(probe)
    assert near and near[0]["facility"].endswith("湊見台ひざ関節クリニック")
    assert near[0]["why"].startswith("another city")


def test_near_miss_name_is_not_a_match(index):
    assert index.best(probe_for("あさひ整形外科", "大阪府")) is None


def test_english_name_without_prefecture_searches_every_block(index):
    """With no place printed, the registry's own name, unique in the whole registry, still carries the match."""
    match = index.best(probe_for("Evergreen Knee Clinic Osaka", None))
    assert match is not None and match.facility.prefecture == "大阪府"


def test_no_place_and_a_chain_name_is_a_near_miss(index):
    """With no place printed, a name two branches of a chain share is not enough: which branch is it?"""
    probe = probe_for("湊見台ひざ関節クリニック", None)
    assert index.best(probe) is None
    near = index.near_misses(probe)
    assert {m["prefecture"] for m in near} == {"東京都", "神奈川県"}
    assert near[0]["why"] == "name shared by several facilities"


def test_blocked_and_all_pairs_agree(index):
    all_pairs = RegistryIndex(REGISTRY, blocked=False)
    for name, pref in [("湊見台ひざ関節クリニック", "東京都"), ("あさぎり整形外科", "静岡県"), ("あさひ整形外科", "大阪府")]:
        a, b = index.best(probe_for(name, pref)), all_pairs.best(probe_for(name, pref))
        assert (a and a.facility.key) == (b and b.facility.key)


def test_score_pair_rejects_other_prefecture(index):
    tokyo = next(f for f in index.facilities if f.prefecture == "東京都")
    assert score_pair(probe_for("湊見台ひざ関節クリニック", "千葉県"), tokyo) is None


@pytest.mark.parametrize(
    ("offered", "filed", "text", "value"),
    [
        ("adipose_cultured", "adipose_cultured", "", 1.0),
        ("adipose_cultured", "adipose_svf", "", 0.5),
        ("prp_intra_articular", "prp_other", "", 0.5),
        ("other", "adipose_cultured", "幹細胞治療", 1.0),
        ("other", "prp_other", "幹細胞治療", 0.0),
        ("exosome", "adipose_cultured", "", 0.0),
    ],
)
def test_therapy_similarity(offered, filed, text, value):
    assert therapy_similarity(offered, filed, text) == value


GENERIC = [
    {"id": "g1", "plan_class": 2, "prefecture": "大阪府", "facility_printed": "中央クリニック",
     "address_printed": "大阪市中央区本町1-1-1", "therapy": "変形性膝関節症に対する自家多血小板血漿（PRP）の関節内投与"},
    {"id": "g2", "plan_class": 2, "prefecture": "大阪府", "facility_printed": "医療法人 さくら会 はなみずき整形外科",
     "address_printed": "堺市堺区中瓦町2-2-2", "therapy": "自己脂肪由来幹細胞（培養）を用いた治療"},
    {"id": "g3", "plan_class": 2, "prefecture": "東京都", "facility_printed": "みらい整形外科 新宿院",
     "address_printed": "新宿区西新宿1-1-1", "therapy": "自己脂肪由来幹細胞（培養）を用いた治療"},
]


def test_a_generic_name_needs_the_address_to_agree():
    index = RegistryIndex(GENERIC)
    assert index.best(probe_for("中央クリニック", "大阪府")) is None
    assert index.near_misses(probe_for("中央クリニック", "大阪府"))[0]["why"] == "generic name"
    match = index.best(probe_for("中央クリニック", "大阪府", "大阪府大阪市中央区本町一丁目1番1号"))
    assert match is not None and "with address" in match.features[0]


def test_the_main_clinic_of_a_chain_is_not_its_branch():
    index = RegistryIndex(GENERIC)
    assert index.best(probe_for("みらい整形外科", "東京都")) is None
    assert index.best(probe_for("みらい整形外科 新宿院", "東京都")) is not None


def test_a_clinic_without_a_name_is_matched_by_its_block_address_alone():
    index = RegistryIndex(GENERIC)
    match = index.best(probe_for(None, "大阪府", "〒590-0000 大阪府堺市堺区中瓦町2丁2番2号 3階"))
    assert match is not None and match.facility.plans[0]["id"] == "g2"
    assert "name not read" in match.features[0]


def test_the_near_miss_becomes_a_flag_and_a_reason():
    from verify.verdicts import decide, similar_facility_flag

    index = RegistryIndex(GENERIC)
    probe = probe_for("中央クリニック", "大阪府", "大阪府堺市堺区中瓦町9-9-9")
    near = index.near_misses(probe)
    flag = similar_facility_flag(near)
    assert flag.flag == "similar_facility_elsewhere" and "中央クリニック" in flag.reason_ja
    verdict = decide("prp_intra_articular", clinic_name="中央クリニック", match=None, near_misses=near)
    assert verdict.verdict == "not_found" and "中央クリニック" in verdict.reason_en


def test_a_romanised_name_is_compared_in_kana():
    index = RegistryIndex([{"id": "k1", "plan_class": 3, "prefecture": "東京都", "facility_printed": "医療法人社団虎会 トラクリニック",
                            "address_printed": "渋谷区神宮前1-1-1", "therapy": "自己多血小板血漿を用いた皮膚の治療"}])
    match = index.best(probe_for("TORA CLINIC", "東京都"))
    assert match is not None and "romanised name read as トラクリニック" in match.features


ROMANISED = [
    {"id": "e1", "plan_class": 3, "prefecture": "北海道", "facility_printed": "医療法人社団 福寿会 札幌ひがし整形外科クリニック",
     "address_printed": "札幌市中央区北1条西4丁目2-2 ノースビル3F", "therapy": "自家多血小板血漿を用いた腱の治療"},
    {"id": "e2", "plan_class": 3, "prefecture": "北海道", "facility_printed": "すずらん皮膚科",
     "address_printed": "札幌市北区北7条西5丁目1-1", "therapy": "多血小板血漿を用いた皮膚の治療"},
    {"id": "e3", "plan_class": 3, "prefecture": "北海道", "facility_printed": "すずらん歯科",
     "address_printed": "札幌市北区北7条西5丁目1-1", "therapy": "多血小板血漿を用いた歯周組織の治療"},
]


def test_an_english_address_meets_the_registrys_by_city_and_block_numbers():
    from verify.verdicts import decide

    index = RegistryIndex(ROMANISED)
    english = "3F North Bldg., Kita 1-jo Nishi 4-chome 2-2, Chuo-ku, Sapporo, Hokkaido"
    probe = probe_for("Sapporo Higashi Orthopaedic Clinic", "北海道", english)
    assert probe.address.city == "札幌市中央区" and probe.address.numbers == (1, 4, 2, 2)
    match = index.best(probe)
    assert match is not None and match.facility.plans[0]["id"] == "e1"
    assert "romanised name not compared" in match.features[0]
    verdict = decide("prp_other", clinic_name=probe.name.printed, match=match)
    assert "name could not be compared" in verdict.reason_en  # the reason never claims a name that was not read
    # another block of the same ward, another ward, or a building two facilities share: no match
    assert index.best(probe_for("Sapporo Higashi", "北海道", "Kita 1-jo Nishi 4-chome 9-9, Chuo-ku, Sapporo")) is None
    assert index.best(probe_for("Sapporo Higashi", "北海道", "Kita 1-jo Nishi 4-chome 2-2, Kita-ku, Sapporo")) is None
    assert index.best(probe_for("Suzuran Clinic", "北海道", "Kita 7-jo Nishi 5-chome 1-1, Kita-ku, Sapporo")) is None


@pytest.mark.parametrize("printed, prefecture, city", [
    ("4-6-2 Umegae-cho, Kita-ku, Osaka", "大阪府", "大阪市北区"),
    ("Jingumae, Shibuya-ku, Tokyo, Japan", "東京都", "渋谷区"),
    ("2-1 Minatomirai, Nishi-ku, Yokohama", "神奈川県", "横浜市西区"),
    ("Kurume City, Fukuoka", "福岡県", "久留米市"),
    ("Umeda, Osaka", "大阪府", None),  # a district, not a city: nothing is guessed
])
def test_romanised_cities_are_read_against_japan_posts_kana(printed, prefecture, city):
    from readers.addresses import romanised_city

    assert romanised_city(printed, prefecture) == city


def test_two_facilities_that_fit_equally_are_no_match_and_both_are_named():
    index = RegistryIndex(ROMANISED)
    probe = probe_for("Suzuran Clinic", "北海道", "Kita 7-jo Nishi 5-chome 1-1, Kita-ku, Sapporo")
    assert index.best(probe) is None
    near = index.near_misses(probe)
    assert {m["facility"] for m in near} == {"すずらん皮膚科", "すずらん歯科"}
    assert all(m["why"] == "several facilities fit equally" for m in near)


READINGS = [
    {"id": "r1", "plan_class": 2, "prefecture": "京都府", "facility_printed": "医療法人社団嵐山会 あらしやま整形外科",
     "address_printed": "京都市右京区嵯峨1-1", "therapy": "自家骨髄由来間葉系幹細胞を用いた変形性膝関節症の治療"},
    {"id": "r2", "plan_class": 2, "prefecture": "東京都", "facility_printed": "みなとかぜ膝クリニック",
     "address_printed": "港区海岸通3-2-1", "therapy": "自己脂肪由来幹細胞（培養）を用いた治療"},
    {"id": "r3", "plan_class": 3, "prefecture": "大阪府", "facility_printed": "さくら整形外科",
     "address_printed": None, "therapy": "多血小板血漿を用いた腱の治療"},
]


def test_a_name_written_in_other_characters_matches_by_its_reading():
    from verify.verdicts import decide

    index = RegistryIndex(READINGS)
    match = index.best(probe_for("嵐山整形外科", "京都府"))
    assert match is not None and match.facility.plans[0]["id"] == "r1"
    assert match.features[0].startswith("name read alike")
    verdict = decide("bone_marrow", clinic_name="嵐山整形外科", match=match)
    assert "reading" in verdict.reason_en and "読み" in verdict.reason_ja
    romanised = index.best(probe_for("Minatokaze Knee Clinic", "東京都"))
    assert romanised is not None and romanised.facility.plans[0]["id"] == "r2"


def test_an_english_pages_name_is_read_through_its_english_words():
    rows = READINGS + [{"id": "t1", "plan_class": 2, "prefecture": "大阪府", "facility_printed": "トリニティクリニック大阪",
                        "address_printed": None, "therapy": "自家脂肪由来間葉系幹細胞を用いた変形性膝関節症の治療"}]
    index = RegistryIndex(rows)
    match = index.best(probe_for("TRINITY CLINIC OSAKA", "大阪府"))  # trinity is トリニティー, not to-ri-ni-ti romaji
    assert match is not None and match.facility.plans[0]["id"] == "t1"
    from readers.names import name_reading, name_readings

    english = name_readings("TRINITY CLINIC OSAKA")[-1]  # read through the English words, not the plain romaji
    assert english != name_reading("TRINITY CLINIC OSAKA")
    assert match.features[0].startswith(f"name read alike ({english})")  # the reading that agreed is the one shown
    assert index.best(probe_for("TRINITY CLINIC OSAKA", "京都府")) is None  # still never across a prefecture


def test_readings_never_cross_a_prefecture_a_city_or_a_short_name():
    index = RegistryIndex(READINGS)
    assert index.best(probe_for("嵐山整形外科", "大阪府")) is None  # another prefecture
    assert index.best(probe_for("嵐山整形外科", None)) is None  # no place: no reading match
    assert index.best(probe_for("嵐山整形外科", "京都府", "京都府京都市左京区岩倉1-1")) is None  # another city
    assert index.best(probe_for("桜整形外科", "大阪府")) is None  # さくら: too short a reading to identify one


SURNAMES = [
    {"id": "w1", "plan_class": 3, "prefecture": "神奈川県", "facility_printed": "わたなべ歯科医院",
     "address_printed": None, "therapy": "自家多血小板血漿（PRGF）を利用した口腔内組織の再生医療"},
    {"id": "w2", "plan_class": 2, "prefecture": "千葉県", "facility_printed": "医療法人社団淳英会 おゆみの中央病院",
     "address_printed": None, "therapy": "PRPを用いた変形性膝関節症の治療"},
]


def test_with_no_place_only_a_distinctive_name_stands_alone():
    index = RegistryIndex(SURNAMES)
    # a surname's clinic in 倉敷 printing no place is not the one in 神奈川県 that filed
    assert index.best(probe_for("わたなべ歯科医院", None)) is None
    assert index.near_misses(probe_for("わたなべ歯科医院", None))[0]["why"] == "prefecture unknown"
    assert index.best(probe_for("おゆみの中央病院", None)) is not None  # the registry's own, distinctive name


@pytest.mark.parametrize("name, prefecture", [
    ("ルネクリニック 東京院", "東京都"), ("聖心美容クリニック 広島院", "広島県"), ("リペアセルクリニック 札幌院", "北海道"),
    ("トリニティクリニック大阪", "大阪府"), ("TRINITY CLINIC OSAKA", "大阪府"), ("○○クリニック 梅田院", None),
    ("○○クリニック 府中院", None),  # 府中市 stands in two prefectures
])
def test_a_branch_named_after_its_place_gives_the_prefecture(name, prefecture):
    from scrapers.parsers.site_identity import prefecture_in_name

    assert prefecture_in_name(name) == prefecture


@pytest.mark.parametrize("clinic, facility, same", [
    ("内藤メディカルクリニック", "内藤歯科", False),  # a surname read alike; a medical clinic is no dental practice
    ("ないとう整形外科", "内藤歯科", False),
    ("ないとう歯科", "内藤歯科", True),  # both dental: the reading still carries
    ("Naito Clinic", "内藤歯科", True),  # an English name that does not say its kind may be the dental practice's
])
def test_a_dental_practice_and_a_medical_clinic_are_never_one_facility(clinic, facility, same):
    index = RegistryIndex([{"id": "n1", "plan_class": 3, "prefecture": "愛知県", "facility_printed": facility,
                            "address_printed": "名古屋市中区栄3-1-1", "therapy": "自己血由来成分CGFを利用した口腔内組織の再生医療"}])
    match = index.best(probe_for(clinic, "愛知県", "愛知県名古屋市中区栄3-1-1"))
    assert (match is not None) is same, match
