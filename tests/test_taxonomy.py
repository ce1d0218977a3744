"""readers.taxonomy: one vocabulary for registry names, Japanese clinic pages and English directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from readers.taxonomy import CONDITIONS, THERAPIES, classify_condition, classify_therapy

ROOT = Path(__file__).resolve().parent.parent

CONTRACT_THERAPIES = {
    "adipose_cultured", "adipose_uncultured", "adipose_svf", "bone_marrow", "prp_intra_articular", "prp_other",
    "aps", "pfc_fd", "culture_supernatant", "exosome", "other",
}
CONTRACT_CONDITIONS = {
    "knee_oa", "joint_other", "chronic_pain", "skin", "hair", "dental", "cancer", "tendon_ligament", "other",
}


def test_codes_are_those_of_the_shared_contract():
    assert set(THERAPIES) == CONTRACT_THERAPIES
    assert set(CONDITIONS) == CONTRACT_CONDITIONS
    for entry in THERAPIES.values():
        assert entry["ja"] and entry["en"] and isinstance(entry["under_asrm"], bool)
        assert all(c in (1, 2, 3) for c in entry["expected_classes"])


def test_cell_free_products_are_outside_the_act():
    assert not THERAPIES["culture_supernatant"]["under_asrm"]
    assert not THERAPIES["exosome"]["under_asrm"]
    assert THERAPIES["adipose_cultured"]["expected_classes"] == (2,)


def test_every_code_is_documented_in_the_module_and_the_readme():
    import readers.taxonomy as module

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in THERAPIES:
        assert code in module.__doc__
        assert code in readme, f"README does not document therapy code {code}"


# The therapy names of the sample registry pages (data/sample/pages/saiseiiryo.mhlw.go.jp), with the class of
# the list they are on.
REGISTRY_NAMES = [
    ("変形性膝関節症に対する自己脂肪由来幹細胞（培養）を用いた治療", 2, "adipose_cultured", "knee_oa"),
    ("変形性膝関節症に対する自家多血小板血漿（ＰＲＰ）関節内投与療法", 2, "prp_intra_articular", "knee_oa"),
    ("自己脂肪組織由来間葉系幹細胞を用いた変形性関節症の治療", 2, "adipose_cultured", "joint_other"),
    ("慢性疼痛に対する自己脂肪由来幹細胞を用いた治療", 2, "adipose_cultured", "chronic_pain"),
    ("多血小板血漿（Platelet-rich plasma：PRP）を用いた変形性関節症治療", 2, "prp_intra_articular", "joint_other"),
    ("自家骨髄由来間葉系幹細胞を用いた変形性膝関節症の治療", 2, "bone_marrow", "knee_oa"),
    ("ＰＲＰを用いた変形性膝関節症の治療", 2, "prp_intra_articular", "knee_oa"),
    ("自己脂肪組織由来間質血管細胞群（SVF）を用いた変形性膝関節症の治療", 2, "adipose_svf", "knee_oa"),
    ("自家多血小板血漿を用いた腱・靭帯損傷の治療（関節外）", 3, "prp_other", "tendon_ligament"),
    ("多血小板血漿を用いた筋・腱付着部障害の治療", 3, "prp_other", "tendon_ligament"),
    ("自己多血小板血漿（PRP）を用いた皮膚の再生治療", 3, "prp_other", "skin"),
    ("自己血由来成分CGFを利用した口腔内組織の再生医療", 3, "prp_other", "dental"),
    ("多血小板血漿を用いた足底腱膜炎の治療", 3, "prp_other", "tendon_ligament"),
    ("多血小板血漿を用いた頭髪改善治療", 3, "prp_other", "hair"),
    ("自家ＮＫ細胞を用いたがん免疫細胞療法", 3, "other", "cancer"),
    ("自家多血小板血漿を用いた肩関節周囲炎の治療（関節外）", 3, "prp_other", "tendon_ligament"),
]


@pytest.mark.parametrize(("name", "plan_class", "therapy", "condition"), REGISTRY_NAMES)
def test_registry_therapy_names(name, plan_class, therapy, condition):
    assert classify_therapy(name, plan_class) == therapy
    assert classify_condition(name) == condition


@pytest.mark.parametrize(
    ("text", "therapy"),
    [
        ("幹細胞培養上清液の点滴", "culture_supernatant"),
        ("ヒト脂肪由来幹細胞の培養上清液", "culture_supernatant"),
        ("幹細胞由来エクソソーム", "exosome"),
        ("PFC-FD™療法", "pfc_fd"),
        ("フリーズドライPRP（凍結乾燥した血小板の成長因子）", "pfc_fd"),  # PRP-FD described, its brand not printed
        ("APS療法（次世代PRP）", "aps"),
        ("PRPの進化版、ACRS療法", "aps"),  # autologous cytokine-rich serum, a blood kit sold beside APS
        ("ヒト幹細胞培養液の頭皮注入", "culture_supernatant"),
        ("HARG療法（毛髪再生）", "culture_supernatant"),
        ("幹細胞由来サイトカインカクテルの頭皮注入", "culture_supernatant"),  # purified from stem cells' culture medium
        # Chinese and Korean pages for patients from abroad
        ("外泌體點滴", "exosome"),
        ("엑소좀 주사", "exosome"),
        ("지방 줄기세포 정맥 투여", "adipose_cultured"),
        ("줄기세포 배양액", "culture_supernatant"),
        ("stem cell-derived growth factors for the scalp", "culture_supernatant"),
        ("自己血サイトカインリッチ血清（ACRS）", "aps"),
        ("非培養の脂肪由来幹細胞", "adipose_uncultured"),
        ("Same-day uncultured adipose stem cells", "adipose_uncultured"),
        ("cultured adipose-derived stem cells injected into the knee", "adipose_cultured"),
        ("bone marrow concentrate", "bone_marrow"),
        ("PRP injections into the knee joint", "prp_intra_articular"),
        ("PRP for hair loss", "prp_other"),
        ("幹細胞治療", "other"),
        ("", "other"),
    ],
)
def test_page_and_directory_wording(text, therapy):
    assert classify_therapy(text) == therapy


def test_the_plan_class_settles_prp_without_a_site():
    assert classify_therapy("PRP療法", 2) == "prp_intra_articular"
    assert classify_therapy("PRP療法", 3) == "prp_other"
    assert classify_therapy("PRP療法") == "prp_other"


def test_conditions_from_pages():
    assert classify_condition("ひざの痛み") == "knee_oa"
    assert classify_condition("knee osteoarthritis") == "knee_oa"
    assert classify_condition("股関節の痛み") == "joint_other"
    assert classify_condition("薄毛治療") == "hair"
    assert classify_condition("美容") == "other"


@pytest.mark.parametrize("text", ["自家多血小板血漿(PRP)抽出液による変形性関節症治療", "多血小板血漿抽出液による関節症治療",
                                  "次世代PRP（APS）療法", "ひざの次世代PRP療法"])
def test_registry_and_clinic_wordings_of_aps(text):
    """Issue 10: 抽出液 is how APS plans are filed, and clinics sell APS as 次世代PRP; neither is plain PRP."""
    assert classify_therapy(text) == "aps"


@pytest.mark.parametrize("therapy", [
    "子宮内膜に対する自家多血小板血漿（自家PRP）を用いた治療",
    "卵巣に対する自家多血小板血漿（PRP）を用いた治療",
    "難治性不妊に対する多血小板血漿（PRP）を用いた不妊治療",
    "多血小板血漿（Platelet-Rich Plasma）の投与による眼科での角膜疾患に対する組織修復",
    "自家多血小板血漿（Platelet-rich plasma：PRP）を用いた脊椎由来疼痛の治療",
])
def test_class_two_prp_plans_for_the_uterus_ovaries_cornea_and_spine_are_not_joint_injections(therapy):
    # these real rows are class 2 but name an organ that is not a joint (the class alone made them knee PRP)
    assert classify_therapy(therapy, 2) == "prp_other"
    assert classify_therapy("自家多血小板血漿（Platelet-rich plasma：PRP）を用いた慢性関節炎の治療（関節内組織）", 2) == (
        "prp_intra_articular")
