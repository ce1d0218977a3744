"""One vocabulary of therapies and target conditions for registry plans, clinic pages and directories.

The registry names a therapy in a sentence (自己脂肪由来幹細胞（培養）を用いた変形性膝関節症の治療), a clinic page in
marketing words (ひざの幹細胞治療, PRP注射), a directory in English ("stem cell knee injection"). Verification can
only compare them through shared codes, so every reader maps its text here.

Therapy codes (``THERAPIES``):

=====================  ==========================================================  ==========  ===========
code                   meaning                                                     under ASRM  classes
=====================  ==========================================================  ==========  ===========
adipose_cultured       autologous adipose-derived stem cells, cultured (ADSC/ASC)  yes         2
adipose_uncultured     adipose-derived stem cells without culture                  yes         2
adipose_svf            stromal vascular fraction (SVF, 間質血管細胞群)               yes         2
bone_marrow            bone-marrow-derived cells / MSCs (骨髄)                      yes         2
prp_intra_articular    PRP (or APS-free PRP) injected into a joint (関節内)         yes         2, 3 (*)
prp_other              PRP outside joints: tendons, skin, hair, mouth (CGF/PRF)    yes         3
aps                    autologous protein solution (APS, 自己タンパク質溶液)          yes         2, 3 (*)
pfc_fd                 freeze-dried platelet-derived factor concentrate (PFC-FD)   no (*)      —
culture_supernatant    stem-cell culture supernatant (培養上清液)                   no          —
exosome                exosome preparations (エクソソーム)                          no          —
other                  anything else: NK/immune cells, cord blood, unspecified     yes         1, 2, 3
=====================  ==========================================================  ==========  ===========

Registry rows are read as clinics file them: 「多血小板血漿抽出液」「PRP抽出液」 (a protein solution extracted from PRP)
is how APS plans are worded, and clinic pages sell APS as 「次世代PRP」; both are ``aps``, never plain PRP.

(*) domain.md §1 puts intra-articular PRP in class 2; clinic pages often state class 3 for knee PRP and APS, so
both classes are accepted *(unverified)*. PFC-FD is a cell-free product like culture supernatant; clinics
present it as outside the Act *(unverified)*. A page that only says 幹細胞 without a source is ``other``:
guessing "adipose" would make an unfiled claim look filed.

Condition codes (``CONDITIONS``): knee_oa, joint_other (osteoarthritis not limited to the knee, hip, shoulder,
other joints), chronic_pain, skin, hair, dental, cancer, tendon_ligament, other. A registry plan for
変形性関節症 (any joint) is ``joint_other`` and covers the knee; verification decides how strictly to compare.

Pure standard library (no Scrapy), shared by the clinic extractor, the registry tables and verification.
"""

from __future__ import annotations

import re

from readers.normalize import normalize_text

THERAPIES: dict[str, dict] = {
    "adipose_cultured": {
        "ja": "脂肪由来幹細胞（培養）",
        "en": "Adipose-derived stem cells (cultured)",
        "under_asrm": True,
        "expected_classes": (2,),
    },
    "adipose_uncultured": {
        "ja": "脂肪由来幹細胞（非培養）",
        "en": "Adipose-derived stem cells (uncultured)",
        "under_asrm": True,
        "expected_classes": (2,),
    },
    "adipose_svf": {
        "ja": "脂肪由来間質血管細胞群（SVF）",
        "en": "Stromal vascular fraction (SVF)",
        "under_asrm": True,
        "expected_classes": (2,),
    },
    "bone_marrow": {
        "ja": "骨髄由来細胞",
        "en": "Bone-marrow-derived cells",
        "under_asrm": True,
        "expected_classes": (2,),
    },
    "prp_intra_articular": {
        "ja": "PRP（関節内）",
        "en": "PRP into the joint",
        "under_asrm": True,
        "expected_classes": (2, 3),
    },
    "prp_other": {
        "ja": "PRP（関節外・皮膚・毛髪・口腔など）",
        "en": "PRP outside joints (tendons, skin, hair, mouth)",
        "under_asrm": True,
        "expected_classes": (3,),
    },
    "aps": {
        "ja": "APS（自己タンパク質溶液）",
        "en": "Autologous protein solution (APS)",
        "under_asrm": True,
        "expected_classes": (2, 3),
    },
    "pfc_fd": {
        "ja": "PFC-FD（血小板由来因子濃縮物）",
        "en": "PFC-FD (freeze-dried platelet-derived factors)",
        "under_asrm": False,
        "expected_classes": (),
    },
    "culture_supernatant": {
        "ja": "培養上清液",
        "en": "Stem-cell culture supernatant",
        "under_asrm": False,
        "expected_classes": (),
    },
    "exosome": {
        "ja": "エクソソーム",
        "en": "Exosomes",
        "under_asrm": False,
        "expected_classes": (),
    },
    "other": {
        "ja": "その他の細胞治療",
        "en": "Other cell therapy",
        "under_asrm": True,
        "expected_classes": (1, 2, 3),
    },
}

CONDITIONS: dict[str, dict] = {
    "knee_oa": {"ja": "変形性膝関節症", "en": "Knee osteoarthritis"},
    "joint_other": {"ja": "その他の関節疾患", "en": "Other joint conditions"},
    "chronic_pain": {"ja": "慢性疼痛", "en": "Chronic pain"},
    "skin": {"ja": "皮膚", "en": "Skin"},
    "hair": {"ja": "毛髪", "en": "Hair"},
    "dental": {"ja": "歯科・口腔", "en": "Dental and oral"},
    "cancer": {"ja": "がん", "en": "Cancer"},
    "tendon_ligament": {"ja": "腱・靭帯", "en": "Tendons and ligaments"},
    "other": {"ja": "その他", "en": "Other"},
}


def _has(text: str, *words: str) -> bool:
    return any(word in text for word in words)


_PRP = ("prp", "多血小板血漿", "platelet-rich", "platelet rich", "cgf", "prf", "prgf", "血小板濃縮", "gpsiii", "gps iii",
        "gps3", "自己調整血漿", "autologous conditioned plasma")
_STEM = ("幹細胞", "干细胞", "줄기세포", "stem cell", "stem-cell", "msc", "間葉系", "asc", "adsc")
_ADIPOSE = ("脂肪", "지방", "adipose", "fat-derived", "fat derived", "fat tissue", " fat ", "own fat", "of fat", "fat harvest",
            "liposuction")
_UNCULTURED = ("非培養", "非培养", "培養しない", "培養を行わない", "uncultured", "non-cultured", "without culture")
_OUTSIDE_JOINT = (
    "関節外", "腱", "靭帯", "靱帯", "皮膚", "肌", "頭髪", "毛髪", "薄毛", "育毛", "口腔", "歯", "筋", "足底",
    "tendon", "ligament", "skin", "hair", "scalp", "dental",
    # class-2 PRP plans for the uterus, ovaries, cornea and spine are filed as class 2 but are not joint injections
    "子宮", "卵巣", "不妊", "着床", "角膜", "眼科", "脊椎", "椎間板", "uterus", "uterine", "endometri", "ovar",
    "infertil", "cornea", "spine", "spinal", "disc",
)
_KNEE_OR_JOINT = ("関節内", "膝", "ひざ", "ヒザ", "関節症", "knee", "joint", "intra-articular")


#: cell therapies of the ``other`` code that are not a generic 「幹細胞」 (immune cells, fibroblasts, stem cells of
#: other tissues): a page naming them says which cells it uses
SPECIFIC_OTHER = re.compile(r"NK細胞|樹状細胞|免疫細胞|リンパ球|臍帯|線維芽細胞|纖維母細胞|纤维母细胞|成纤维细胞|cord blood|"
                             r"滑膜|歯髄|乳歯|筋芽|羊膜|synovi|dental pulp|myoblast|"  # stem cells from other tissues
                             r"NK[- ]cell|dendritic|\bDC[- ]?(?:vaccine|ワクチン)|T細胞|immune[- ]cell|lymphocyte|T[- ]cell|fibroblast|細胞シート|軟骨細胞|"
                             r"cell sheet|chondrocyte|膵島|islet|"
                             r"NK세포|면역세포|수지상세포|NK细胞|免疫细胞|树突状细胞|樹突狀細胞", re.I)  # islets: a class-1 transplant of donor cells


def classify_therapy(text: str, plan_class: int | None = None) -> str:
    """The therapy code of a registry therapy name or a page excerpt (see the module table).

    Cell-free products are tested first: a page selling 幹細胞培養上清液 sells supernatant, not stem cells.
    ``plan_class`` settles PRP whose site is not printed: a class-3 PRP plan is outside the joint.
    """
    value = normalize_text(text).lower()
    if not value:
        return "other"
    if _has(value, "培養上清", "上清液", "幹細胞培養液", "干细胞培养液", "배양액", "conditioned medium", "culture supernatant",
            "secretome") or re.search(
            r"(?<![a-z])harg(?![a-z])|幹細胞由来(?:の)?(?:サイトカイン|成長因子|グロースファクター)|"
            r"stem[- ]cell[- ]derived (?:cytokines?|growth factors?)", value):
        # HARG, 「幹細胞由来サイトカインカクテル」: proteins purified from stem cells' culture medium, sold cell-free
        return "culture_supernatant"
    if _has(value, "エクソソーム", "エキソソーム", "exosome", "外泌体", "外泌體", "엑소좀"):
        return "exosome"
    if _has(value, "pfc-fd", "pfcfd", "pfc fd", "prp-fd", "prpfd", "pdf-fd", "pdffd", "血小板由来因子") or re.search(
            r"(?<![a-z])pfc(?:療法|治療|注射)|(?:フリーズドライ|凍結乾燥|freeze[- ]dried)\s*(?:の)?\s*(?:prp|多血小板血漿|血小板|platelets?)",
            value):  # 「PFC治療」: the product named without its -FD; 「フリーズドライPRP」: PRP-FD described
        return "pfc_fd"
    if re.search(r"(?<![a-z])(?:aps|acrs|acs)(?![a-z])", value) or _has(
            value, "オルソカイン", "orthokine", "autologous conditioned serum", "自己調整血清", "自己タンパク質溶液", "自己蛋白質溶液", "autologous protein solution", "次世代prp", "next-generation prp",
            "next generation prp", "サイトカインリッチ血清", "cytokine-rich serum", "cytokine rich serum"):
        # ACRS (autologous cytokine-rich serum) is a kit made from the patient's blood sold beside APS as
        # 「PRPの進化版」: the corpus's writers code it with APS
        return "aps"
    if _has(value, "抽出液") and _has(value, "多血小板血漿", "prp", "血小板"):
        # 「自家多血小板血漿(PRP)抽出液による…」: the registry's usual wording for an APS kit's plan
        return "aps"
    if _has(value, "svf", "間質血管細胞", "stromal vascular", "セルーション", "celution") or (
            _has(value, "再生(幹)細胞", "由来再生細胞", "regenerative cells") and _has(value, *_ADIPOSE)):
        # 脂肪組織由来再生（幹）細胞 (ADRCs, separated at the bedside without culture) is the stromal vascular fraction
        return "adipose_svf"
    if re.search(r"(?<![a-z])mfat(?![a-z])", value) or _has(value, "lipogems", "リポジェムス", "微小断片化脂肪",
                                                           "micro-fragmented adipose", "microfragmented adipose"):
        # micro-fragmented fat (MFAT, Lipogems kits): adipose tissue injected without culture
        return "adipose_uncultured"
    if _has(value, "骨髄", "bone marrow", "bone-marrow", "bmac"):
        return "bone_marrow"
    stem = _has(value, *_STEM)
    if re.search(r"(?<![a-z])a(?:d)?sc(?:s)?(?![a-z])", value) and not _has(value, *_UNCULTURED):
        return "adipose_cultured"  # ASC / ADSC: adipose-derived (stem) cells, cultured as clinics use the word
    if _has(value, *_ADIPOSE) and (stem or "細胞" in value or "cell" in value):
        return "adipose_uncultured" if _has(value, *_UNCULTURED) else "adipose_cultured"
    if _has(value, *_PRP) or re.search(r"(?<![a-z])acp(?![a-z])", value):  # ACP: Arthrex's PRP kit
        if _has(value, "関節内", "intra-articular", "into the joint"):
            return "prp_intra_articular"
        if _has(value, *_OUTSIDE_JOINT):
            return "prp_other"
        if plan_class == 3:
            return "prp_other"
        if plan_class == 2 or _has(value, *_KNEE_OR_JOINT):
            return "prp_intra_articular"
        return "prp_other"
    return "other"


_CONDITION_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("knee_oa", ("変形性膝関節症", "膝関節症", "膝の変形", "ひざの変形", "knee osteoarthritis", "knee oa",
                 "osteoarthritis of the knee", "膝", "ひざ", "ヒザ", "knee")),
    ("cancer", ("がん", "癌", "腫瘍", "cancer", "tumor", "tumour")),
    ("dental", ("歯", "口腔", "歯周", "dental", "periodont")),
    ("hair", ("頭髪", "毛髪", "薄毛", "育毛", "脱毛症", "hair", "scalp")),
    ("skin", ("皮膚", "肌", "しわ", "シワ", "たるみ", "skin", "wrinkle")),
    ("tendon_ligament", ("腱", "靭帯", "靱帯", "足底腱膜", "tendon", "ligament", "plantar", "肩関節周囲炎")),
    ("joint_other", ("変形性関節症", "関節症", "股関節", "肩関節", "関節", "osteoarthritis", "joint", "hip")),
    ("chronic_pain", ("慢性疼痛", "疼痛", "chronic pain", "pain")),
)


def classify_condition(text: str) -> str:
    """The condition code of a registry therapy name or a page excerpt; knee OA is tested first."""
    value = normalize_text(text).lower()
    for code, words in _CONDITION_RULES:
        if _has(value, *words):
            return code
    return "other"
