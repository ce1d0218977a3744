"""Prefectures and the regional health bureaus (地方厚生局) that receive class-2/3 plan filings.

The bureau letters of the e-再生医療 document codes (A-G) and the bureau digits of plan numbers (1-7) follow
the same seven bureaus; domain.md §2-3 lists the mapping (partly inferred, see there).
"""

from __future__ import annotations

# (bureau key, Japanese name, English name, document-code letter, plan-number digit)
BUREAUS: dict[str, tuple[str, str, str, str]] = {
    "hokkaido": ("北海道厚生局", "Hokkaido Regional Bureau", "A", "1"),
    "tohoku": ("東北厚生局", "Tohoku Regional Bureau", "B", "2"),
    "kanto_shinetsu": ("関東信越厚生局", "Kanto-Shinetsu Regional Bureau", "C", "3"),
    "tokai_hokuriku": ("東海北陸厚生局", "Tokai-Hokuriku Regional Bureau", "D", "4"),
    "kinki": ("近畿厚生局", "Kinki Regional Bureau", "E", "5"),
    "chugoku_shikoku": ("中国四国厚生局", "Chugoku-Shikoku Regional Bureau", "F", "6"),
    "kyushu": ("九州厚生局", "Kyushu Regional Bureau", "G", "7"),
}

_BY_BUREAU = {
    "hokkaido": "北海道",
    "tohoku": "青森県 岩手県 宮城県 秋田県 山形県 福島県",
    "kanto_shinetsu": "茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 新潟県 山梨県 長野県",
    "tokai_hokuriku": "富山県 石川県 岐阜県 静岡県 愛知県 三重県",
    "kinki": "福井県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県",
    "chugoku_shikoku": "鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県",
    "kyushu": "福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県",
}

#: prefecture (as printed on the registry, with its 都/道/府/県 suffix) -> bureau key
PREFECTURE_BUREAU: dict[str, str] = {
    pref: bureau for bureau, prefs in _BY_BUREAU.items() for pref in prefs.split()
}

#: the 47 prefectures in the conventional JIS order (01 北海道 … 47 沖縄県)
PREFECTURES: tuple[str, ...] = tuple(
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 神奈川県 "
    "新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 "
    "奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 "
    "熊本県 大分県 宮崎県 鹿児島県 沖縄県".split()
)

_SHORT = {p if p == "北海道" else p[:-1]: p for p in PREFECTURES}


def canonical_prefecture(text: str | None) -> str | None:
    """Return the prefecture as the registry prints it (東京都), accepting 東京 or surrounding spaces.

    Returns None when the text is not a prefecture, so callers can report the row instead of guessing.
    """
    if not text:
        return None
    value = "".join(text.split())
    if value in PREFECTURE_BUREAU:
        return value
    return _SHORT.get(value)


def bureau_for_prefecture(prefecture: str | None) -> str | None:
    """The bureau key (e.g. ``kanto_shinetsu``) that receives filings from a prefecture."""
    canonical = canonical_prefecture(prefecture)
    return PREFECTURE_BUREAU.get(canonical) if canonical else None


def bureau_name(bureau: str | None) -> str | None:
    """Japanese name of a bureau key (関東信越厚生局)."""
    return BUREAUS[bureau][0] if bureau in BUREAUS else None


def bureau_for_code_letter(letter: str) -> str | None:
    """The bureau whose letter appears in an e-再生医療 document code (``01C2409901`` -> kanto_shinetsu)."""
    for key, (_, _, code_letter, _) in BUREAUS.items():
        if code_letter == letter:
            return key
    return None


#: the area code (first group of a number printed with hyphens) → prefecture, for codes that belong to one
#: prefecture only; 0120 / 0800 free-dial and mobile numbers say nothing about the place
_AREA_CODES = {
    "011": "北海道", "0123": "北海道", "0134": "北海道", "0138": "北海道", "0144": "北海道", "0154": "北海道",
    "0155": "北海道", "0157": "北海道", "0166": "北海道", "017": "青森県", "018": "秋田県", "019": "岩手県",
    "022": "宮城県", "023": "山形県", "024": "福島県", "025": "新潟県", "026": "長野県", "027": "群馬県",
    "028": "栃木県", "029": "茨城県", "03": "東京都", "043": "千葉県", "044": "神奈川県", "045": "神奈川県",
    "046": "神奈川県", "047": "千葉県", "048": "埼玉県", "049": "埼玉県", "052": "愛知県", "053": "静岡県",
    "054": "静岡県", "058": "岐阜県", "059": "三重県", "075": "京都府", "077": "滋賀県", "0776": "福井県",
    "078": "兵庫県", "079": "兵庫県", "082": "広島県", "083": "山口県", "086": "岡山県", "087": "香川県",
    "089": "愛媛県", "092": "福岡県", "093": "福岡県", "095": "長崎県", "096": "熊本県", "097": "大分県",
    "0985": "宮崎県", "098": "沖縄県", "099": "鹿児島県", "06": "大阪府",
}


def prefecture_for_phone(phone: str | None) -> str | None:
    """The prefecture a landline's area code belongs to (03 → 東京都), or None when it does not say.

    06 numbers of 尼崎 (06-64xx, in 兵庫県) share Osaka's code, so 06 gives 大阪府 only outside them.
    """
    if not phone or "-" not in phone:
        return None
    area, _, rest = phone.partition("-")
    if area == "06" and rest[:2] == "64":
        return None
    return _AREA_CODES.get(area)
