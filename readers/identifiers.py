"""Read the registration-looking numbers clinics print (domain.md §3) out of any text.

Clinic pages print plan numbers (計画番号), committee numbers (認定番号), processing-facility numbers (施設番号),
jRCT ids and e-再生医療 document codes in full-width digits, with spaces or hyphens inside, sometimes with a
letter O where a zero belongs. This module finds them all, keeps each exactly as printed, gives its canonical
ASCII form and decodes its parts, so the verification step can compare a page's claim with the registries.

Look-alike characters (O/o for 0, I/l/| for 1) are read only inside numbers that start with their letter
prefix (P…, N…, F…), where nothing else could be meant, and are never silently fixed: ``lookalikes`` says what
was needed. Document codes and jRCT ids are read from real digits only.

Pure standard library: no Scrapy, so the verification step and the CLI can import it cheaply.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from readers.regions import BUREAUS, bureau_for_code_letter

#: labels clinics print before a number, longest first so 提供計画番号 wins over 計画番号
LABELS: tuple[str, ...] = tuple(
    sorted(
        (
            "計画番号",
            "提供計画番号",
            "受理番号",
            "承認番号",
            "認可番号",
            "届出番号",
            "登録番号",
            "施設番号",
            "認定番号",
            "許可番号",
            "委員会番号",
            "jRCT番号",
            "臨床研究実施計画番号",
            "Plan No.",
            "Plan number",
            "Registration No.",
            "Registration number",
            "Certification No.",
            "Certification number",
            "Facility No.",
            "Facility number",
            "Approval No.",
        ),
        key=len,
        reverse=True,
    )
)

_DIGIT_LOOKALIKES = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"}
_SEP = r"[ \-]?"
_D = r"[0-9OoIl|]"  # a digit position where look-alikes may stand
_REAL_D = r"[0-9]"
_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\u2043\ufe63\u30fc\uff70"
_CONTEXT = 40


@dataclass(frozen=True)
class Identifier:
    kind: str
    printed: str
    canonical: str
    label: str | None
    context: str
    lookalikes: tuple[str, ...] = ()
    fields: dict = field(default_factory=dict, compare=False, hash=False)


def _spaced(*parts: str) -> str:
    """A pattern whose parts may be separated by one space or hyphen each, as clinics print them."""
    return _SEP.join(parts)


def _group(name: str, *parts: str) -> str:
    return f"(?P<{name}>{_spaced(*parts)})"


_PATTERNS: dict[str, re.Pattern[str]] = {
    "plan_number": re.compile(
        r"(?<![A-Za-z0-9])"
        + _spaced("[Pp]", _group("cls", "[ABCabc]"), _group("bureau", _D), _group("year", _D, _D))
        + _SEP
        + _group("serial", _D, _D, _D, _D)
        + r"(?![A-Za-z0-9])"
    ),
    "committee_number": re.compile(
        r"(?<![A-Za-z0-9])"
        + _spaced("[Nn]", _group("ctype", "[ABab]"), _group("bureau", _D), _group("year", _D, _D))
        + _SEP
        + _group("serial", _D, _D, _D, _D)
        + r"(?![A-Za-z0-9])"
    ),
    "facility_number": re.compile(
        r"(?<![A-Za-z0-9])"
        + _spaced("[Ff]", _group("ftype", "[ABCabc]"), _group("bureau", _D), _group("year", _D, _D))
        + _SEP
        + _group("serial", _D, _D, _D, _D)
        + r"(?![A-Za-z0-9])"
    ),
    "jrct_id": re.compile(
        r"(?<![A-Za-z0-9])[jJ][rR][cC][tT]" + _SEP + r"(?P<cls>[abcABC])" + _SEP
        + _group("digits", *([_REAL_D] * 9)) + r"(?![A-Za-z0-9])"
    ),
    "doc_code": re.compile(
        r"(?<![A-Za-z0-9])"
        + _spaced(_group("form", _REAL_D, _REAL_D), "(?P<bureau>[A-G])", _group("yymm", *([_REAL_D] * 4)))
        + _SEP
        + _group("serial", _REAL_D, _REAL_D, _REAL_D)
        + r"(?![A-Za-z0-9])"
    ),
}

#: a plan number as clinics print it (spaced, hyphenated, look-alike digits), for readers that only ask whether one
#: stands in a sentence
PLAN_NUMBER = _PATTERNS["plan_number"]

_CLASS_LETTER = {"A": 1, "B": 2, "C": 3}
_BUREAU_BY_DIGIT = {digit: key for key, (_, _, _, digit) in BUREAUS.items()}


def _fold(text: str) -> str:
    """Width-fold character by character (full-width digits and letters to ASCII, dashes to '-').

    Each character maps to exactly one, so positions in the folded text are positions in the printed text.
    """
    out = []
    for ch in text:
        if ch in _HYPHENS:
            out.append("-")
            continue
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out).replace("\u3000", " ")


def _strip_separators(text: str) -> str:
    return text.replace(" ", "").replace("-", "")


def _read_digits(text: str, offset: int) -> tuple[str, list[str]]:
    """Digits of a matched part, look-alikes replaced and reported (positions are 1-based in the canonical)."""
    digits, notes = [], []
    for i, ch in enumerate(_strip_separators(text)):
        if ch in _DIGIT_LOOKALIKES:
            digits.append(_DIGIT_LOOKALIKES[ch])
            notes.append(f"{ch} for {_DIGIT_LOOKALIKES[ch]} at position {offset + i + 1}")
        else:
            digits.append(ch)
    return "".join(digits), notes


def _label_before(folded: str, start: int) -> str | None:
    """The label printed just before a number (within a short gap, same sentence), as printed."""
    window_start = max(0, start - 24)
    window = folded[window_start:start]
    best = None
    for label in LABELS:
        at = window.lower().rfind(label.lower())
        if at < 0:
            continue
        gap = window[at + len(label) :]
        # a label in its own cell (<dt>計画番号</dt><dd>PB…</dd>) is separated by a line break and nothing else
        if len(gap) > 10 or "。" in gap or ("\n" in gap and gap.strip(" \n:：")):
            continue
        end = at + len(label)
        if best is None or end > best[0] or (end == best[0] and len(label) > len(best[1])):
            best = (end, label, window_start + at)
    if best is None:
        return None
    _, label, absolute = best
    return label if not label.isascii() else folded[absolute : absolute + len(label)]


def _context(text: str, start: int, end: int) -> str:
    snippet = text[max(0, start - _CONTEXT) : end + _CONTEXT]
    return " ".join(snippet.split())


def _decode(kind: str, match: re.Match[str]) -> tuple[str, dict, list[str]]:
    """Canonical form, decoded fields and look-alike notes of one match."""
    if kind in ("plan_number", "committee_number", "facility_number"):
        letter_group = {"plan_number": "cls", "committee_number": "ctype", "facility_number": "ftype"}[kind]
        prefix = {"plan_number": "P", "committee_number": "N", "facility_number": "F"}[kind]
        letter = match.group(letter_group).upper()
        bureau_digit, notes = _read_digits(match.group("bureau"), 2)
        year, more = _read_digits(match.group("year"), 3)
        serial, most = _read_digits(match.group("serial"), 5)
        notes += more + most
        canonical = f"{prefix}{letter}{bureau_digit}{year}{serial}"
        bureau = _BUREAU_BY_DIGIT.get(bureau_digit)
        fields: dict = {"bureau": bureau, "year": 2000 + int(year), "serial": int(serial)}
        if kind == "plan_number":
            fields["plan_class"] = _CLASS_LETTER[letter]
        elif kind == "committee_number":
            fields["committee_type"] = "specified" if letter == "A" else "class3_only"
        else:
            fields["facility_type"] = f"F{letter}"
        return canonical, fields, notes
    if kind == "jrct_id":
        letter = match.group("cls").lower()
        digits = _strip_separators(match.group("digits"))
        return f"jRCT{letter}{digits}", {"plan_class": " abc".index(letter), "region": digits[:2]}, []
    form = _strip_separators(match.group("form"))
    yymm = _strip_separators(match.group("yymm"))
    serial = _strip_separators(match.group("serial"))
    letter = match.group("bureau")
    fields = {"form": form, "bureau": bureau_for_code_letter(letter), "yymm": yymm, "serial": int(serial)}
    return f"{form}{letter}{yymm}{serial}", fields, []


def find_identifiers(text: str) -> list[Identifier]:
    """Every identifier in ``text``, in the order printed; overlapping readings keep the first, longest one."""
    if not text:
        return []
    folded = _fold(text)
    found: list[tuple[int, int, Identifier]] = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(folded):
            canonical, fields, notes = _decode(kind, match)
            if len(notes) > 2:  # mostly letters: a word, not a number
                continue
            start, end = match.span()
            found.append(
                (
                    start,
                    end,
                    Identifier(
                        kind=kind,
                        printed=text[start:end],
                        canonical=canonical,
                        label=_label_before(folded, start),
                        context=_context(text, start, end),
                        lookalikes=tuple(notes),
                        fields=fields,
                    ),
                )
            )
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    result: list[Identifier] = []
    last_end = -1
    for start, end, identifier in found:
        if start < last_end:
            continue
        result.append(identifier)
        last_end = end
    return result


def parse_identifier(text: str) -> Identifier | None:
    """Read a string that is one identifier and nothing else (a CLI argument, a table cell)."""
    if not text or not text.strip():
        return None
    found = find_identifiers(text.strip())
    if len(found) != 1:
        return None
    rest = text.strip().replace(found[0].printed, "", 1)
    if rest.strip(" \u3000:：「」()（）"):
        return None
    return found[0]
