"""Names that read alike though written differently: 嵐山整形外科 and あらしやま整形外科, 港見台 and 湊見台, or
"Minatokaze Knee Clinic" and みなとかぜ膝クリニック.

The registry prints a facility's name as the clinic filed it, often in kana where the clinic's site uses kanji, or
the other way round, and English pages romanise it. Character similarity cannot see that these are one name; their
readings can. A reading is a guess (pykakasi reads 剣持 as kenji), so this is the matcher's last resort by name: it is
tried only when no facility matched by characters, only inside the clinic's prefecture, only for a reading long
enough to be specific, and only when exactly one facility there reads alike and nothing about the place disagrees.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from readers.names import is_generic_name, name_reading, name_readings

#: readings must agree almost letter for letter (loose romaji: shi/si, long vowels and doubled letters folded)
READING_AGREES = 92.0
#: shorter readings (さくら, sakura) are shared by too many facilities to identify one
MIN_READING = 6


def reading(name: str | None) -> str | None:
    """The loose romaji reading of a name without its facility words, or None when too short to identify."""
    key = name_reading(name)
    return key if key and len(key) >= MIN_READING else None


def readings_of(names: list[str]) -> list[tuple[int, str]]:
    """(index, reading) of the names a reading can identify (long enough, not generic): computed once per registry
    block by the matcher, since reading a name through the dictionary is the slow part."""
    found = []
    for index, printed in enumerate(names):
        key = reading(printed)
        if key and not is_generic_name(printed):
            found.append((index, key))
    return found


def read_alike(name: str | None, candidates: list[tuple[int, str]]) -> list[tuple[int, float, str]]:
    """(index, score, the name's reading that agreed) of the candidates (index, reading; see :func:`readings_of`)
    that read like ``name``; a generic name never reads like anything."""
    keys = [key for key in name_readings(name) if len(key) >= MIN_READING]
    if not keys or is_generic_name(name) or not candidates:
        return []
    choices = [other for _, other in candidates]
    best: dict[int, tuple[float, str]] = {}
    for key in keys:  # a romanised name is also read through its English words (Repair Cell → リペアセル)
        for _, score, position in process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=READING_AGREES,
                                                  limit=None):
            index = candidates[position][0]
            if score > best.get(index, (0.0, ""))[0]:
                best[index] = (score, key)
    return [(index, score, key) for index, (score, key) in sorted(best.items())]
