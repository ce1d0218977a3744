"""Normalised copies of the Japanese text the registries print, for search, matching and stable identities.

The printed text is always kept next to these copies: normalisation is for comparing, never for display.
The registry spells the same facility several ways (full-width spaces, line breaks inside cells, Kangxi
radical look-alikes such as ⼈ for 人, full-width ＰＲＰ, with or without its corporation), so every comparison
goes through :func:`normalize_text` first.
"""

from __future__ import annotations

import re
import unicodedata

# Dashes that mean "hyphen" in addresses and codes. The katakana prolonged sound mark ー is deliberately absent:
# it is part of words (クリニック) and must survive.
_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2043\ufe63"
_HYPHEN_TABLE = str.maketrans({ch: "-" for ch in _HYPHENS})
_SPACE_RUN = re.compile(r"\s+")

#: Corporate forms that precede a corporation's own name in front of a facility name (医療法人社団○○会 △△院).
#: Longest first, so 社会医療法人財団 wins over 医療法人.
CORPORATE_FORMS: tuple[str, ...] = tuple(
    sorted(
        (
            "医療法人社団",
            "医療法人財団",
            "特定医療法人",
            "社会医療法人社団",
            "社会医療法人財団",
            "社会医療法人",
            "医療法人",
            "一般社団法人",
            "一般財団法人",
            "公益社団法人",
            "公益財団法人",
            "社会福祉法人",
            "学校法人",
            "国立大学法人",
            "公立大学法人",
            "地方独立行政法人",
            "独立行政法人",
            "国家公務員共済組合連合会",
            "宗教法人",
            "日本赤十字社",  # the operator of every Red Cross hospital (日本赤十字社 松江赤十字病院)
            "株式会社",
            "有限会社",
            "合同会社",
        ),
        key=len,
        reverse=True,
    )
)
_CORP_NAME_END = re.compile(r"^(.{1,20}?(?:会|団|社|財団|協会|組合|機構))")  # 機構: 地域医療機能推進機構 (JCHO)


def normalize_text(text: str | None) -> str:
    """NFKC, every line break and space run folded to one ASCII space, dashes unified, trimmed.

    NFKC maps full-width letters and digits to ASCII, half-width katakana to full width, U+3000 to a space and
    the Kangxi radicals (U+2F00…) to the ordinary ideographs the rest of the registry uses.
    """
    if not text:
        return ""
    value = unicodedata.normalize("NFKC", text)
    value = value.replace("\\r\\n", " ")  # a literal backslash escape, as some exports print it
    value = value.translate(_HYPHEN_TABLE)
    return _SPACE_RUN.sub(" ", value).strip()


def compact(text: str | None) -> str:
    """Normalised text with no spaces and lower-case Latin letters: the form used inside keys."""
    return normalize_text(text).replace(" ", "").lower()


#: the agricultural cooperatives' hospital federations (JA厚生連) that run many regional hospitals
_COOPERATIVE = re.compile(r"^((?:JA|ＪＡ)\S*?厚生連|\S*?厚生農業協同組合連合会|\S*生活協同組合\S*(?=\s))\s*(\S.*)$")


def split_corporation(name: str | None) -> tuple[str, str]:
    """Split a printed facility name into (corporation, facility), both normalised.

    ``医療法人社団再星会　ひざのセルクリニック札幌院`` -> (``医療法人社団再星会``, ``ひざのセルクリニック札幌院``).
    A space after the corporation's own name is the reliable separator. Without one, the corporation's name is
    taken to end at its first 会/団/社 (医療法人十美会トキコクリニック -> 医療法人十美会 + トキコクリニック); when
    there is no such ending, the corporation is named after its clinic (医療法人鶴岡クリニック, 医療法人　宮野歯科)
    and only the legal form is removed. A name that is nothing but a corporation (医療法人社団光美会) keeps the
    corporation's own name as its facility part, so keys stay comparable with pages that drop the legal form.
    """
    value = normalize_text(name)
    cooperative = _COOPERATIVE.match(value)
    if cooperative:  # 「JA山口厚生連 小郡第一総合病院」「山口県厚生農業協同組合連合会 …」「広島医療生活協同組合 広島共立病院」
        return cooperative.group(1), cooperative.group(2)
    for form in CORPORATE_FORMS:
        if not value.startswith(form):
            continue
        rest = value[len(form) :].lstrip()
        if not rest:
            return value, value
        if " " in rest:
            corp_name, facility = rest.split(" ", 1)
            return f"{form}{corp_name}", facility.strip()
        match = _CORP_NAME_END.match(rest)
        if match and match.end() < len(rest):
            return f"{form}{match.group(1)}", rest[match.end() :]
        if match:
            return value, rest
        return form, rest
    return "", value


def facility_key(name: str | None) -> str:
    """A facility's comparison key: corporation removed, spaces removed, Latin lower-cased."""
    _, facility = split_corporation(name)
    return compact(facility)


def therapy_key(name: str | None) -> str:
    """A therapy name's comparison key (spaces and case folded)."""
    return compact(name)
