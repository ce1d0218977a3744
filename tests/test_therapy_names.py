"""Each therapy read under the names clinics sell it by (issue 10).

One sentence per case, 「当院では…を行っています」, on a clinic's menu page: PRP under its many names and sites, APS and
the conditioned serums coded with it, PFC-FD, the kinds of adipose cells (Celution separates them at the bedside:
SVF), bone marrow (BMAC), cell-free products, other cells, and the dental platelet concentrates. Treatments that are
not regenerative (prolotherapy, hyaluronic acid, shock waves) offer nothing.
"""

from __future__ import annotations

import pytest

from scrapers.parsers.clinic_page import extract_clinic_page


def _offered(therapy: str) -> list[str]:
    html = ("<html><head><meta charset='utf-8'><title>診療案内｜さくらクリニック</title></head><body><h1>診療案内</h1>"
            f"<p>当院では{therapy}を行っています。</p></body></html>")
    result = extract_clinic_page(html.encode(), "https://sakura.example/menu/", {"Content-Type": "text/html; charset=utf-8"})
    return sorted({o["therapy"] for o in result["offerings"]})


CASES = [
    ("ひざ関節への多血小板血漿注入療法", "prp_intra_articular"),
    ("ひざ関節へのPRP注射", "prp_intra_articular"),
    ("膝への自己多血小板血漿の注射", "prp_intra_articular"),
    ("ひざ関節へのW-PRP療法", "prp_intra_articular"),
    ("膝関節への高濃度PRP注射", "prp_intra_articular"),
    ("ひざ関節へのLP-PRP注射", "prp_intra_articular"),
    ("アキレス腱へのPRP注射", "prp_other"),
    ("頭皮へのPRP注入（毛髪再生）", "prp_other"),
    ("お肌のPRP皮膚再生療法", "prp_other"),
    ("APS療法（自己たんぱく質溶液）", "aps"),
    ("次世代PRP（APS）療法", "aps"),
    ("nSTRIDE APSキットによる治療", "aps"),
    ("PFC-FD™療法", "pfc_fd"),
    ("血小板由来因子濃縮物（PFC-FD）の注射", "pfc_fd"),
    ("PFC-FD2.0療法", "pfc_fd"),
    ("フリーズドライ血小板の注射", "pfc_fd"),
    ("脂肪由来幹細胞治療（培養）", "adipose_cultured"),
    ("自己脂肪由来間葉系幹細胞の点滴", "adipose_cultured"),
    ("培養した脂肪幹細胞の関節内投与", "adipose_cultured"),
    ("ADSC（脂肪由来幹細胞）療法", "adipose_cultured"),
    ("SVF療法", "adipose_svf"),
    ("脂肪由来再生細胞（ADRCs）治療", "adipose_svf"),
    ("セルーションを用いた脂肪幹細胞治療", "adipose_svf"),
    ("骨髄由来幹細胞の投与", "bone_marrow"),
    ("骨髄濃縮液（BMAC）の注射", "bone_marrow"),
    ("幹細胞培養上清液の点滴", "culture_supernatant"),
    ("ヒト幹細胞培養液の導入", "culture_supernatant"),
    ("エクソソーム点滴", "exosome"),
    ("エキソソーム療法", "exosome"),
    ("NK細胞療法", "other"),
    ("樹状細胞ワクチン療法", "other"),
    ("臍帯由来幹細胞の点滴", "other"),
    ("歯髄幹細胞の点滴", "other"),
    ("線維芽細胞移植", "other"),
    ("CGF（濃縮成長因子）を用いた骨再生", "prp_other"),
    ("PRF（多血小板フィブリン）", "prp_other"),
    ("Stem cell therapy using cultured adipose-derived stem cells", "adipose_cultured"),
    ("PRP injections into the knee", "prp_intra_articular"),
    ("autologous conditioned serum (ACS) injections", "aps"),
    ("オルソカイン（ACS）療法", "aps"),
    ("ACP（自己調整血漿）注射", "prp_other"),
    ("Arthrex ACP療法をひざ関節に", "prp_intra_articular"),
    ("BMAC", "bone_marrow"),
    ("GPSⅢを用いた膝のPRP", "prp_intra_articular"),
    ("プロロセラピー", None),
    ("ヒアルロン酸注射", None),
    ("体外衝撃波治療", None),
]


@pytest.mark.parametrize("printed, code", CASES, ids=[c[0] for c in CASES])
def test_a_therapy_under_the_name_a_clinic_prints(printed, code):
    assert _offered(printed) == ([code] if code else [])



@pytest.mark.parametrize("printed, code", [
    ("変形性膝関節症へのPRP注射", "prp_intra_articular"),
    ("半月板損傷に対するPRP療法", "prp_intra_articular"),
    ("股関節のPRP注射", "prp_intra_articular"),
    ("肩関節（五十肩）へのPRP注射", "prp_intra_articular"),
    ("足関節へのPRP療法", "prp_intra_articular"),
    ("腱板損傷へのPRP療法", "prp_other"),
    ("テニス肘（上腕骨外側上顆炎）のPRP注射", "prp_other"),
    ("アキレス腱炎へのPRP注射", "prp_other"),
    ("足底腱膜炎のPRP療法", "prp_other"),
    ("肉離れ（筋損傷）へのPRP注射", "prp_other"),
    ("靭帯損傷へのPRP療法", "prp_other"),
    ("ジャンパー膝（膝蓋腱炎）へのPRP注射", "prp_other"),
    ("頭皮へのPRP注入", "prp_other"),
    ("ほうれい線へのPRP注入", "prp_other"),
    ("歯科インプラントのPRF", "prp_other"),
    ("椎間板へのPRP注射", "prp_other"),
    ("変形性指関節症へのPRP注射", "prp_intra_articular"),
    ("顎関節症へのPRP療法", "prp_intra_articular"),
    ("膝の軟骨すり減りへのPRP", "prp_intra_articular"),
    ("ひざの痛みに対するPRP注射", "prp_intra_articular"),
    ("スポーツ外傷へのPRP注射", "prp_other"),
    ("野球肘（内側側副靱帯損傷）へのPRP", "prp_other"),
    ("関節リウマチへのPRP", "prp_intra_articular"),
    ("オスグッド病のPRP注射", "prp_other"),
    ("ばね指へのPRP注射", "prp_other"),
])
def test_prp_for_a_joint_or_for_a_tendon_skin_hair_or_the_spine(printed, code):
    """Where PRP goes decides its plan: a joint (knee, hip, shoulder, the meniscus inside the knee) or elsewhere
    (tendons, ligaments, muscles, skin, scalp, teeth, discs)."""
    assert _offered(printed) == [code]
