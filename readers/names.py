"""Clinic names in the forms matching compares: corporation removed, kana folded, branch split off.

The registry prints 医療法人社団湊光会　湊見台ひざ関節クリニック　横浜院; the clinic's page says 湊見台ひざ関節クリニック
横浜院 or ミナトミダイひざ関節クリニック. The branch (横浜院, 本院) is kept apart from the base name because two
branches of one clinic are two facilities with their own plans: a plan filed by the Tokyo branch does not
cover the Yokohama branch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jaconv
from rapidfuzz import fuzz

from readers.normalize import compact, split_corporation

#: Words that say what kind of facility it is; they carry no identity, so they are scored apart.
FACILITY_WORDS: tuple[str, ...] = tuple(
    sorted(
        (
            "クリニック",
            "医院",
            "病院",
            "診療所",
            "整形外科",
            "皮膚科",
            "形成外科",
            "美容外科",
            "歯科",
            "内科",
            "外科",
            "センター",
            "メディカル",
            "再生医療",
            "clinic",
            "hospital",
            "center",
            "centre",
            "medical",
        ),
        key=len,
        reverse=True,
    )
)
_FACILITY_ALT = "|".join(re.escape(w) for w in FACILITY_WORDS)
# 「…クリニック横浜院」「…クリニック 新宿分院」「…病院本院」: a branch name after the facility word.
_BRANCH = re.compile(rf"^(.+(?:{_FACILITY_ALT}))(本院|.{{1,8}}?(?:分院|院))$")
# 「杜の泉クリニック仙台」「…クリニック南青山」: a place name after the last facility word also names a branch.
_JA_FACILITY_ALT = "|".join(re.escape(w) for w in FACILITY_WORDS if not w.isascii())
_PLACE_SUFFIX = re.compile(rf"^(.+(?:{_JA_FACILITY_ALT}))([^\x00-\x7f]{{2,5}})$")


@dataclass(frozen=True)
class ClinicName:
    printed: str
    corporation: str
    base: str  # folded key of the name without its branch
    branch: str | None  # folded branch (横浜), "本院" for a main clinic that says so, None when unnamed
    core: str  # base without facility words: the part that identifies the clinic

    @property
    def key(self) -> str:
        return self.base + (self.branch or "")


# Variant forms that NFKC leaves apart: small ヶ/ヵ, old and variant kanji common in names, separators.
_VARIANTS = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "髙": "高", "﨑": "崎", "嵜": "崎", "邊": "辺", "邉": "辺", "濵": "浜",
                           "濱": "浜", "德": "徳", "櫻": "桜", "澤": "沢", "齋": "斎", "齊": "斉", "廣": "広",
                           "・": "", "･": "", "&": "", "＆": "", "'": "", "’": "", ".": "", ",": "", "-": ""})


@lru_cache(maxsize=1024)  # the facility words are folded on every parse: keep them, not every name
def fold_kana(text: str) -> str:
    """Hiragana to katakana, half-width to full-width and variant kanji to their common form, so ひざ, ヒザ and
    ﾋｻﾞ compare equal, and so do 髙橋 and 高橋."""
    return jaconv.hira2kata(jaconv.h2z(text, kana=True, ascii=False, digit=False)).translate(_VARIANTS)


def name_key(text: str | None) -> str:
    """Compact, kana-folded name key (corporation kept if it is the whole name)."""
    return fold_kana(compact(text))


#: names kept parsed: a name is parsed again within the clinic being judged (probe, genericness, branches), not
#: across 100,000 clinics, which a build reads in one pass; 65,536 kept names held about 38 MB (issue 14)
NAMES_KEPT = 8192


@lru_cache(maxsize=NAMES_KEPT)
def parse_name(printed: str | None) -> ClinicName:
    """Split a printed clinic name into corporation, folded base name and branch."""
    corporation, facility = split_corporation(printed)
    key = name_key(facility)
    base, branch = key, None
    match = _BRANCH.match(key)
    if not match:
        match = _PLACE_SUFFIX.match(key)
        if match and any(fold_kana(word) in match.group(2) for word in FACILITY_WORDS):
            match = None  # 再生医療センター, 整形外科クリニック: facility words, not a place
    if match and not match.group(2).endswith(("病院", "医院")):
        base, branch = match.group(1), match.group(2)
        if branch != "本院":
            branch = re.sub(r"(分院|院)$", "", branch) or None
    core = base
    for word in FACILITY_WORDS:
        core = core.replace(fold_kana(word), "")
    return ClinicName(printed=printed or "", corporation=corporation, base=base, branch=branch, core=core or base)


def same_branch(a: ClinicName, b: ClinicName) -> bool | None:
    """True/False when both names settle it; None when one of them names no branch."""
    if a.branch is None or b.branch is None:
        return None
    if "本院" in (a.branch, b.branch):
        return a.branch == b.branch
    return a.branch == b.branch or a.branch in b.branch or b.branch in a.branch


#: what remains of a department or a generic word once facility words are removed
_GENERIC_CORE = re.compile(
    r"^(?:再生医療|再生|関節|ヒザ|膝|整形|美容|スポーツ|リハビリテーション|リハビリ|診療科?|部門|外来|専門|総合|"
    r"中央|第?[一二三1-3]|ノ|の|・|\s|内視鏡|肛門|消化器|循環器|呼吸器|脳神経|心臓血管|乳腺|泌尿器|産婦人|小児|眼|"
    r"耳鼻咽喉|皮膚|形成|麻酔|放射線|リウマチ|ペイン|アレルギー|糖尿病|腎臓|透析|歯科口腔|口腔|"
    r"矯正|審美|一般|インプラント|予防|訪問|"  # 矯正歯科, 審美歯科: a dental specialty, not a practice's name
    r"prp|aps|幹細胞|細胞|培養|治療|療法|エクソソーム|上清|"  # PRP整形外科, 幹細胞クリニック: a therapy is no one's name
    r"aga|薄毛|育毛|発毛|毛髪|頭髪|ドック|"  # AGAクリニック, 再生医療ドック: a condition or a check-up, no one's name
    r"レディース|ウィメンズ|ファミリー|コドモ|女性|婦人|ladies|womens|family)*$"  # who it treats (メンズ中央 is a brand)
)


@lru_cache(maxsize=NAMES_KEPT)
def is_generic_name(name: str | None) -> bool:
    """A department or a kind of facility (整形外科, 再生医療センター, 中央クリニック) rather than one facility's name.

    Such names are shared by many facilities, so a registry match on them alone says nothing.
    """
    core = parse_name(name).core
    for word in FACILITY_WORDS:
        core = core.replace(fold_kana(word), "")
    return not core or bool(_GENERIC_CORE.match(core))


_ROMAJI_FACILITY = {"clinic": "クリニック", "hospital": "病院", "orthopedic": "整形外科", "orthopaedic": "整形外科",
                    "orthopedics": "整形外科", "orthopaedics": "整形外科", "dental": "歯科", "dentistry": "歯科",
                    "medical": "メディカル", "center": "センター", "centre": "センター"}


def romanised_katakana(name: str | None) -> str | None:
    """A romanised Japanese name in katakana (TORA CLINIC → トラクリニック, Tokiko Clinic → トキコクリニック), so it
    can be compared with the registry's kana; None when a word does not read as romaji (SINCELL, Omori
    Orthopaedic needs kanji the romaji cannot give)."""
    if not name or not name.isascii():
        return None
    parts = []
    for word in re.findall(r"[A-Za-z]+", name):
        lower = word.lower()
        if lower in _ROMAJI_FACILITY:
            parts.append(_ROMAJI_FACILITY[lower])
            continue
        kana = jaconv.hira2kata(jaconv.alphabet2kana(lower))
        if re.search(r"[a-z]|ッ(?![カ-ドハ-ポ])", kana):  # a small ッ before ル is no Japanese word: SINCELL
            return None
        parts.append(kana)
    return "".join(parts) or None


#: English words kept with their katakana (a few hundred bytes each)
WORDS_KEPT = 8192


@lru_cache(maxsize=4096)
def english_katakana(name: str | None) -> str | None:
    """A romanised name's English words as clinics write them in katakana (Repair Cell Clinic → リペアセルクリニック,
    Trinity → トリニティー, BASEBALL → ベースボール), from e2k's spelling model, so an English page's name can be read
    against the registry's kana; None for a name that is not in Latin letters. The words are guesses like any
    reading: they only ever add agreement."""
    if not name or not name.isascii():
        return None
    words = re.findall(r"[A-Za-z]+", name)
    if not words:
        return None
    return "".join(_ROMAJI_FACILITY.get(word.lower()) or _english_word(word.lower()) for word in words)


@lru_cache(maxsize=WORDS_KEPT)
def _english_word(word: str) -> str:
    """One word in katakana by e2k's model (greedy decoding: the same word always spells the same). Kept by word,
    since names share their words (Cell, Repair, Sports) and the model takes milliseconds a word: at 10,000
    clinics with one name in ten in Latin letters, 25 s of the verification without this (issue 14)."""
    return _english_speller()(word)


@lru_cache(maxsize=1)
def _english_speller():
    """e2k's character-to-katakana model (numpy only; loaded once, a third of a second)."""
    from e2k import C2K

    return C2K()


@lru_cache(maxsize=NAMES_KEPT)
def name_readings(name: str | None) -> tuple[str, ...]:
    """The readings of a name: as printed (see :func:`name_reading`) and, for a romanised name, its English words
    in katakana (Repair Cell reads ripeaseru, as リペアセル does)."""
    found = [name_reading(name), name_reading(english_katakana(name))]
    return tuple(dict.fromkeys(r for r in found if r))


_ROMAN_FILLER = re.compile(
    r"\b(?:clinic|hospital|orthopa?edics?|dental|dentistry|medical|cent(?:er|re)|surgery|skin|beauty|knee|"
    r"regenerative|medicine|the|of|and|tokyo|osaka|japan|joint|joints|sports?)\b"
)


def _loose_roman(text: str) -> str:
    """Romaji folded so that spellings of one reading meet: shi/si, l/r, doubled letters, silent u/o."""
    text = text.replace("shi", "si").replace("chi", "ti").replace("tsu", "tu").replace("l", "r")
    text = re.sub(r"(.)\1", r"\1", text)
    return re.sub(r"([^aeiou])[uo](?=[^aeiou]|$)", r"\1", text)


@lru_cache(maxsize=4096)
def _letters(name: str) -> str:
    """A name's reading in plain romaji, without its facility words and corporation (kanji read by dictionary)."""
    text = _ROMAN_FILLER.sub(" ", unicodedata.normalize("NFKC", name).lower())
    for word in (*FACILITY_WORDS, "膝", "ひざ", "ヒザ", "関節", "スポーツ"):
        text = text.replace(word, "")
    text = re.sub(r"^(?:社会|一般社団法人|医療法人(?:社団|財団)?)\S*?会\s*", "", text.strip())
    text = re.sub(r"(?<=\S)(?:分院|本院|院)$", "", text)  # 札幌院 is the Sapporo branch: "Sapporo" on an English page
    if re.search(r"[\u4e00-\u9fff]", text):
        text = "".join(part["hepburn"] for part in _kakasi().convert(text))
    return re.sub(r"[^a-z]", "", jaconv.kana2alphabet(jaconv.kata2hira(text)).replace("-", ""))


def name_reading(name: str | None) -> str | None:
    """How a name sounds, in loose romaji, without its facility words: SINCELL CLINIC and シンセルクリニック both
    read ``sincer``; a name in kanji is read with a dictionary (お茶の水セルクリニック → ochanomizu…); None with too
    few letters."""
    if not name:
        return None
    letters = _letters(name)
    return _loose_roman(letters) if len(letters) >= 3 else None


@lru_cache(maxsize=1)
def _kakasi():
    """pykakasi's reading dictionary (loaded once, half a second): 大森 → oomori, お茶の水 → ochanomizu. Readings of
    names are guesses (剣持 reads kenji, not kenmochi), so a reading only ever adds agreement between a romanised
    and a Japanese name; it never rules one out. The dictionary is read from disk as needed
    (:mod:`readers.kanji_readings`), not held whole in memory."""
    import pykakasi

    from readers.kanji_readings import install

    install()
    return pykakasi.kakasi()


#: parts of a host name that say nothing of whose site it is (www, jp, clinic, hp, med …)
_HOST_FILLER = frozenset(
    "www com jp co or ne ac go net org info biz tokyo osaka med hp clinic clinics cl cli hospital hosp dental "
    "dent shika seikei hifuka iin byoin byouin medical mc lg ed gr kai saisei keisei biyou biyo".split()
)
#: words of a university hospital's name that are not its own (東海 is; 大学医学部付属病院 is every such hospital's)
_INSTITUTION_WORDS = re.compile(r"大学|医学部|歯学部|医科|附属|付属|総合|医療センター|国立|県立|市立|府立|都立")


def _host_fold(letters: str) -> str:
    """Romaji as hosts spell it: long vowels written once (toukai, tokai), doubled letters once."""
    text = letters.replace("shi", "si").replace("chi", "ti").replace("tsu", "tu").replace("l", "r")
    text = re.sub(r"(?<=o)[ou]|(?<=u)u|(?<=e)i", "", text)
    return re.sub(r"(.)\1", r"\1", text)


def host_agrees(name: str | None, url: str | None) -> bool:
    """The site's host spells the name's own part (momodani-usui-seikei.com is 桃谷うすい整形外科, u-tokai.ac.jp
    is 東海大学医学部付属病院): the clinic's own site names itself. Place words alone (tokyo, ginza-…) are not
    enough: the host must spell the whole of the name's own part, or a part of the host 70% of it."""
    if not name or not url:
        return False
    host = re.sub(r"^[a-z]+://", "", url.lower()).split("/")[0].split(":")[0]
    tokens = [_host_fold(t) for t in re.split(r"[.\-_]", host) if t and t not in _HOST_FILLER]
    reading = _host_fold(_letters(_INSTITUTION_WORDS.sub("", name)))
    joined = "".join(tokens)
    if len(reading) < 4:  # a short reading (阿部 → abe) must be the whole of a part of the host
        return len(reading) == 3 and reading in tokens
    return reading in joined or any(len(t) >= 4 and t in reading and 10 * len(t) >= 7 * len(reading) for t in tokens)


@lru_cache(maxsize=NAMES_KEPT)  # a site's brands are read against every name its pages print
def same_reading(romanised: str, japanese: str) -> bool:
    """A romanised brand and a Japanese name read alike (INORUTO ≈ イノルト整形外科, ZEN CLINIC ≈ ZENクリニック)."""
    b = name_reading(japanese)
    return bool(b) and any(fuzz.ratio(a, b) >= 80 for a in name_readings(romanised))
