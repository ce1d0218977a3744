"""Match a clinic (from its own page or a directory) to the registry facility that filed plans, if any.

Blocking: a clinic is compared only with facilities in its prefecture (from its address, or from its postal
code through Japan Post's data); a clinic whose prefecture is unknown is compared with all of them. Inside a
block, rapidfuzz's C scorer keeps the facilities whose name is at all close, and only those are scored in
full: name (whole name and the identifying part without クリニック/整形外科…), branch, and address. Every match
keeps its scores and the features that decided it, so a reader can see why two names were taken as one.

A name alone is thin evidence, and a false "registered" is the worst answer saisei can give, so a name is not
enough when the place disagrees or the name does not single a facility out:

- both addresses known and the city or block differs: no match, whatever the name (a same-name clinic in
  another city is another clinic); the facility is reported as a near miss (``similar_facility_elsewhere``);
- a generic name (整形外科, 中央クリニック), a name several facilities of the block share, a chain's name against
  one of its branches, or a clinic whose prefecture is unknown: the address must agree too;
- a clinic whose name was not read (or is generic) is matched by its address alone when exactly one facility
  of its prefecture stands at that block address; the match says so.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from readers.addresses import Address, parse_address, postal_area, prefecture_for_city
from readers.names import ClinicName, is_generic_name, parse_name, romanised_katakana, same_branch
from readers.normalize import compact, normalize_text
from readers.regions import canonical_prefecture
from verify.candidates import CharacterIndex
from verify.readings import read_alike, readings_of

#: accepted on the name alone
NAME_ACCEPT = 88.0
#: …and the identifying part (without クリニック, 整形外科…) must agree this well: ルナ is not ルミナ
CORE_ACCEPT = 90.0
#: accepted when the address agrees too
NAME_WITH_ADDRESS = 70.0
ADDRESS_AGREES = 85.0


@dataclass(frozen=True)
class Probe:
    """A clinic as matching sees it."""

    name: ClinicName
    prefecture: str | None
    address: Address | None
    postal_code: str | None = None
    phone: str | None = None
    generic: bool = False


@dataclass
class Facility:
    """One registry facility: the plans filed under one name at one prefecture (branches apart)."""

    key: str
    prefecture: str | None
    name: ClinicName
    address: Address | None
    plans: list[dict] = field(default_factory=list)


@dataclass
class Match:
    facility: Facility
    score: float
    scores: dict
    features: list[str]

    def as_json(self) -> dict:
        return {
            "facility": normalize_text(self.facility.name.printed),
            "prefecture": self.facility.prefecture,
            "score": round(self.score, 1),
            **{k: (round(v, 1) if isinstance(v, float) else v) for k, v in self.scores.items()},
            "features": self.features,
        }


def probe_for(
    name: str | None,
    prefecture: str | None = None,
    address: str | None = None,
    postal_code: str | None = None,
    phone: str | None = None,
) -> Probe:
    """A probe from a clinic's printed fields; the prefecture falls back to the address, then the postal code."""
    parsed = parse_address(address, canonical_prefecture(prefecture)) if address else None
    pref = canonical_prefecture(prefecture) or (parsed.prefecture if parsed else None)
    if not pref and parsed and parsed.city:
        pref = prefecture_for_city(parsed.city)
    postal = postal_code or (parsed.postal_code if parsed else None)
    if not pref and postal:
        area = postal_area(postal)
        pref = area[0] if area else None
    parsed_name = parse_name(name)
    return Probe(name=parsed_name, prefecture=pref, address=parsed, postal_code=postal, phone=phone,
                 generic=bool(parsed_name.base) and is_generic_name(name))


def _address_key(prefecture: str | None, address: Address) -> tuple:
    return (prefecture, address.city, address.block_key)


def _address_text(a: Address | None) -> str | None:
    """What addresses are compared by (city and block), or None for one that cannot be compared."""
    if not a or not (a.rest or a.city) or a.printed.isascii():
        # "4-6-2 Umegae-cho, Kita-ku" cannot be compared character by character with 梅ヶ枝町4-6-2
        return None
    return f"{a.city or ''}{a.block_key}"


def _address_score(a: Address | None, b: Address | None) -> float | None:
    if a and b and (a.romanised or b.romanised):
        # "4-6-2 Umegae-cho, Kita-ku" cannot be compared character by character with 梅ヶ枝町4-6-2: the city (read
        # from Japan Post's kana) and the block numbers can
        if a.city and b.city and a.city != b.city:
            return 0.0
        same_block = a.city and a.city == b.city and len(a.numbers) >= 2 and a.numbers == b.numbers
        return 100.0 if same_block else None
    here, there = _address_text(a), _address_text(b)
    if here is None or there is None:
        return None
    if a.city and b.city and a.city != b.city:
        return 0.0
    return float(fuzz.ratio(here, there))


def _name_scores(probe: Probe, facility: Facility) -> tuple[float, float, float, list[str]]:
    """(name, base, core, features): the name similarity that matching and near misses share."""
    features: list[str] = []
    base = float(fuzz.ratio(probe.name.base, facility.name.base))
    core = float(fuzz.ratio(probe.name.core, facility.name.core))
    shorter = min(len(probe.name.core), len(facility.name.core))
    if shorter >= 3:
        # 杜の泉クリニック against 杜の泉クリニック仙台: one name contained in the other
        core = max(core, 0.85 * fuzz.partial_ratio(probe.name.core, facility.name.core))
    name = 0.35 * base + 0.65 * core
    branch = same_branch(probe.name, facility.name)
    if branch is False:
        name = min(name, 60.0)
        features.append(f"branch differs ({probe.name.branch} / {facility.name.branch})")
    elif branch is None and (probe.name.branch or facility.name.branch) and probe.name.branch != "本院":
        name -= 5.0
        features.append("branch named on one side only")
    return name, base, core, features


def place_disagrees(probe: Probe, facility: Facility, address: float | None) -> str | None:
    """Why the clinic cannot be this facility whatever the name (another prefecture, city or block), or None."""
    if probe.prefecture and facility.prefecture and probe.prefecture != facility.prefecture:
        return f"another prefecture ({facility.prefecture})"
    if address is None:
        return None
    a, b = probe.address, facility.address
    if a.city and b.city and a.city != b.city:
        return f"another city ({b.city})"
    if address < ADDRESS_AGREES and any(ch.isdigit() for ch in a.block_key) and any(ch.isdigit() for ch in b.block_key):
        return f"another address ({b.city or ''}{b.block_key})"
    return None


_DENTAL = re.compile(r"歯科|デンタル|dental|歯医者|口腔", re.I)
#: words that say a facility practises medicine, not dentistry (クリニック and 医院 say neither: dentists use them)
_MEDICAL = re.compile(r"内科|外科|整形|皮膚|眼科|耳鼻|形成|美容|婦人|泌尿|小児|精神|麻酔|リハビリ|メディカル|病院|"
                      r"medical|hospital|orthop", re.I)


def _kind(name: str) -> str | None:
    dental, medical = bool(_DENTAL.search(name)), bool(_MEDICAL.search(_DENTAL.sub("", name)))
    return None if dental == medical else "dental" if dental else "medical"


def kind_disagrees(probe: Probe, facility: Facility) -> bool:
    """A dental practice and a medical clinic are different facilities whatever their names share: 内藤歯科 filed
    CGF for the mouth; 内藤メディカルクリニック in the same prefecture is someone else's clinic. Only names that
    both say their kind are compared: 「Suzuran Clinic」 may be すずらん歯科's English name."""
    mine, theirs = _kind(probe.name.printed), _kind(facility.name.printed)
    return bool(mine and theirs and mine != theirs)


def _needs_place(probe: Probe, facility: Facility, shared: bool) -> str | None:
    """Why a name alone cannot carry this match (the address must agree too), or None."""
    if probe.generic or is_generic_name(facility.name.printed):
        return "generic name"
    if shared:
        return "name shared by several facilities"
    if facility.name.branch and not probe.name.branch and facility.name.base.endswith(("院",)) is False \
            and compact(facility.name.printed).endswith("院"):
        # 「みらい整形外科」 against 「みらい整形外科 新宿院」: the chain's main clinic is not the branch that filed
        # (a place printed after the name, 杜の泉クリニック仙台, is often the name itself and does not count)
        return f"the registry names a branch ({facility.name.branch}) the clinic does not"
    if not probe.prefecture and (shared or not _distinctive_exact(probe, facility)):
        return "prefecture unknown"
    return None


#: with no place printed, a name must be at least this long (folded, without its facility words) to stand alone:
#: a surname's clinic (わたなべ歯科医院, 梅村歯科医院, 大久保病院) has namesakes the registry does not list
DISTINCTIVE_CORE = 5


def _distinctive_exact(probe: Probe, facility: Facility) -> bool:
    """The registry's own name, branch included, letter for letter once folded, and distinctive enough that its
    namesakes are unlikely: with no place to compare, only such a name (unique in the whole registry, see
    ``shared``) carries a match. わたなべ歯科医院 in 倉敷 is not the one in 神奈川県 that filed."""
    return probe.name.key == facility.name.key and len(probe.name.core) >= DISTINCTIVE_CORE


def score_pair(probe: Probe, facility: Facility, shared: bool = False, lookup: bool = False) -> Match | None:
    """Full score of one clinic against one facility; None when the facility is not this clinic.

    ``shared`` says several facilities of the clinic's prefecture have this facility's name. ``lookup`` is a
    person searching the registry by name (``saisei check NAME``): every facility of that name is an answer,
    so a name needs no place to agree with; it is never used for a verdict.
    """
    name, base, core, features = _name_scores(probe, facility)
    address = _address_score(probe.address, facility.address)
    if place_disagrees(probe, facility, address) or kind_disagrees(probe, facility):
        return None
    if name >= NAME_ACCEPT and core >= CORE_ACCEPT and (lookup or not _needs_place(probe, facility, shared)):
        features.insert(0, f"name {name:.0f}")
    elif name >= NAME_WITH_ADDRESS and address is not None and address >= ADDRESS_AGREES:
        features.insert(0, f"name {name:.0f} with address {address:.0f}")
    else:
        return None
    if probe.prefecture and facility.prefecture:
        features.append(f"same prefecture ({facility.prefecture})")
    if address is not None:
        features.append(f"address {address:.0f}")
    score = name if address is None else 0.75 * name + 0.25 * address
    scores = {"name": name, "name_base": base, "name_core": core, "address": address}
    return Match(facility=facility, score=score, scores=scores, features=features)


def near_miss(probe: Probe, facility: Facility, shared: bool = False) -> dict | None:
    """A facility whose name the clinic's name matches but which the place or a thin name rules out."""
    name, _, core, _ = _name_scores(probe, facility)
    if name < NAME_ACCEPT or core < CORE_ACCEPT:
        return None
    address = _address_score(probe.address, facility.address)
    why = place_disagrees(probe, facility, address) or _needs_place(probe, facility, shared)
    if why is None:
        return None
    printed = facility.address.printed if facility.address else None
    return {"facility": normalize_text(facility.name.printed), "prefecture": facility.prefecture,
            "address": normalize_text(printed) or None, "why": why, "name_score": round(name, 1),
            "plan_ids": [p.get("id") for p in facility.plans]}


def group_facilities(plans: Iterable[dict]) -> list[Facility]:
    """Plans grouped into facilities by prefecture and folded name (with its branch)."""
    facilities: dict[str, Facility] = {}
    for plan in plans:
        printed = plan.get("facility_printed") or plan.get("facility") or ""
        name = parse_name(printed)
        prefecture = canonical_prefecture(plan.get("prefecture"))
        # 本院 names the main clinic, which is the facility printed without a branch
        key = f"{prefecture or ''}|{name.base}{name.branch if name.branch not in (None, '本院') else ''}"
        facility = facilities.get(key)
        if facility is None:
            address = plan.get("address_printed") or plan.get("address")
            parsed = parse_address(address, prefecture) if address else None
            facility = facilities[key] = Facility(key=key, prefecture=prefecture, name=name, address=parsed)
        elif facility.address is None and (plan.get("address_printed") or plan.get("address")):
            facility.address = parse_address(plan.get("address_printed") or plan.get("address"), prefecture)
        facility.plans.append(plan)
    return list(facilities.values())


#: two different facilities whose scores are closer than this are an ambiguous match, not a match
AMBIGUOUS_MARGIN = 3.0


class RegistryIndex:
    """Facilities blocked by prefecture, with the name keys rapidfuzz prefilters on."""

    def __init__(self, plans: Iterable[dict], *, blocked: bool = True):
        self.facilities = group_facilities(plans)
        self.blocked = blocked
        self.by_prefecture: dict[str | None, list[Facility]] = defaultdict(list)
        for facility in self.facilities:
            self.by_prefecture[facility.prefecture].append(facility)
        self._core_cache: dict[str, list[str]] = {}
        self._address_cache: dict[str, dict[int, str]] = {}
        self._block_cache: dict[str, list[Facility]] = {}
        self._reading_cache: dict[str, list[tuple[int, str]]] = {}  # readings of a block's names, read once
        self._all_cores = CharacterIndex([f.name.core for f in self.facilities])
        self._base_counts: dict[str, Counter] = {}
        self.by_address: dict[tuple, list[Facility]] = defaultdict(list)
        self.by_numbers: dict[tuple, list[Facility]] = defaultdict(list)
        for facility in self.facilities:
            if facility.address and any(ch.isdigit() for ch in facility.address.block_key):
                self.by_address[_address_key(facility.prefecture, facility.address)].append(facility)
            if facility.address and facility.address.city and len(facility.address.numbers) >= 2:
                key = (facility.prefecture, facility.address.city, facility.address.numbers)
                self.by_numbers[key].append(facility)

    def _shared(self, probe: Probe, facility: Facility) -> bool:
        """Several facilities of the clinic's prefecture (of the whole registry when it is unknown) carry this
        facility's name: two 中央クリニック in 大阪府."""
        key = probe.prefecture or "*"
        if key not in self._base_counts:
            if probe.prefecture:
                pool = self.by_prefecture.get(key, []) + self.by_prefecture.get(None, [])
                self._base_counts[key] = Counter(f.name.key for f in pool)
            else:  # with no place, a chain's branches (○○クリニック, ○○クリニック 横浜院) are one name
                self._base_counts[key] = Counter(f.name.base for f in self.facilities)
        return self._base_counts[key][facility.name.key if probe.prefecture else facility.name.base] > 1

    def _block(self, probe: Probe) -> tuple[list[Facility], str]:
        if self.blocked and probe.prefecture:
            key = probe.prefecture
            if key not in self._block_cache:
                self._block_cache[key] = self.by_prefecture.get(key, []) + self.by_prefecture.get(None, [])
            return self._block_cache[key], key
        return self.facilities, "*"

    def _cores(self, probe: Probe, block: list[Facility]) -> list[str]:
        _, key = self._block(probe)
        if key not in self._core_cache:
            self._core_cache[key] = [f.name.core for f in block]
        return self._core_cache[key]

    def _addresses(self, probe: Probe, block: list[Facility]) -> dict[int, str]:
        _, key = self._block(probe)
        if key not in self._address_cache:
            texts = ((i, _address_text(f.address)) for i, f in enumerate(block))
            self._address_cache[key] = {i: text for i, text in texts if text is not None}
        return self._address_cache[key]

    def _candidates(self, probe: Probe, block: list[Facility]) -> set[int]:
        """Indexes in ``block`` of every facility :func:`score_pair` can accept, by two rapidfuzz passes.

        Exact: a match on the name alone needs a core ratio of 90 (0.85·partial ratio never reaches it), and
        any other match an address score of 85, which is the ratio of the two addresses' compared texts; so a
        facility in neither pass is one score_pair would reject. Scanning at those cut-offs rather than at the
        loosest name score keeps a clinic from being scored in full against most of a block of look-alike
        names (tens of milliseconds a clinic against a 20,000-plan registry, issue 14).
        """
        hits = {hit[2] for hit in process.extract(probe.name.core, self._cores(probe, block), scorer=fuzz.ratio,
                                                  score_cutoff=CORE_ACCEPT, limit=None)}
        address = _address_text(probe.address)
        if address is not None:
            hits |= {hit[2] for hit in process.extract(address, self._addresses(probe, block), scorer=fuzz.ratio,
                                                       score_cutoff=ADDRESS_AGREES, limit=None)}
        return hits

    def match(self, probe: Probe, lookup: bool = False) -> list[Match]:
        """Accepted matches, best first.

        Only the facilities :meth:`_candidates` finds are scored in full; the prefilter is exact.
        """
        block, _ = self._block(probe)
        if not block:
            return []
        if not probe.name.base:
            return self.match_address(probe)
        matches = []
        for index in self._candidates(probe, block):
            match = score_pair(probe, block[index], self._shared(probe, block[index]), lookup)
            if match:
                matches.append(match)
        matches.sort(key=lambda m: (-m.score, m.facility.key))
        kana = romanised_katakana(probe.name.printed) if not matches else None
        if kana and not lookup:
            # 「TORA CLINIC」: the registry writes the name in kana (トラクリニック)
            matches = [Match(m.facility, m.score, m.scores, [*m.features, f"romanised name read as {kana}"])
                       for m in self.match(replace(probe, name=parse_name(kana)))]
        if not matches and not lookup and probe.prefecture and not probe.generic:
            matches = self.match_reading(probe)
        if not matches and (probe.generic or probe.name.printed.isascii()):
            # a generic name says nothing, and a romanised one (Sapporo Chuo Orthopaedic Clinic) cannot be compared
            # with the registry's kanji: the address is the evidence left
            return self.match_address(probe)
        return matches

    def match_reading(self, probe: Probe) -> list[Match]:
        """The one facility of the clinic's prefecture whose name reads like the clinic's (see verify.readings)."""
        block, key = self._block(probe)
        if key not in self._reading_cache:
            self._reading_cache[key] = readings_of([f.name.printed for f in block])
        alike = read_alike(probe.name.printed, self._reading_cache[key])
        facilities = {block[i].name.base: (block[i], score, key) for i, score, key in alike}
        if len(facilities) != 1:
            return []
        facility, score, key = next(iter(facilities.values()))
        address = _address_score(probe.address, facility.address)
        if (place_disagrees(probe, facility, address) or same_branch(probe.name, facility.name) is False
                or kind_disagrees(probe, facility)):
            return []
        features = [f"name read alike ({key}) {score:.0f}", f"same prefecture ({facility.prefecture})"]
        if address is not None:
            features.append(f"address {address:.0f}")
        scores = {"name": score, "name_base": None, "name_core": None, "address": address}
        return [Match(facility=facility, score=score, scores=scores, features=features)]

    def match_address(self, probe: Probe) -> list[Match]:
        """The one facility at the clinic's block address, for a clinic whose name was not read or is generic.

        A building can hold several clinics, so two facilities at one address match neither.
        """
        if not probe.address or not probe.prefecture or not any(ch.isdigit() for ch in probe.address.block_key):
            return []
        if probe.address.romanised:  # an English page: the city and the block numbers, read across scripts
            if not probe.address.city or len(probe.address.numbers) < 2:
                return []
            found = self.by_numbers.get((probe.prefecture, probe.address.city, probe.address.numbers), [])
        else:
            found = self.by_address.get(_address_key(probe.prefecture, probe.address), [])
        if len(found) != 1:
            return []
        facility = found[0]
        why = ("name not read" if not probe.name.base else "generic name" if probe.generic
               else "romanised name not compared")
        features = [f"address {facility.address.city or ''}{facility.address.block_key} ({why})",
                    f"same prefecture ({facility.prefecture})"]
        scores = {"name": None, "name_base": None, "name_core": None, "address": 100.0}
        return [Match(facility=facility, score=100.0, scores=scores, features=features)]

    def near_misses(self, probe: Probe, limit: int = 3) -> list[dict]:
        """Facilities anywhere whose name matches the clinic's but which were not accepted, and why."""
        if not probe.name.base:
            return []
        # near_miss needs a core ratio of CORE_ACCEPT (see _candidates), so the scan stops there; the characters
        # index hands rapidfuzz only the names that share enough characters to reach it, in registry order
        hits = process.extract(probe.name.core, self._all_cores.candidates(probe.name.core, CORE_ACCEPT),
                               scorer=fuzz.ratio, score_cutoff=CORE_ACCEPT, limit=50)
        found = [self._as_near_miss(m, "several facilities fit equally") for m in self.ambiguous(probe)]
        for _, _, index in hits:
            facility = self.facilities[index]
            if any(miss["plan_ids"] == [p.get("id") for p in facility.plans] for miss in found):
                continue
            shared = self._shared(probe, facility)
            miss = near_miss(probe, facility, shared)
            if miss:
                found.append(miss)
        found.sort(key=lambda m: (-m["name_score"], m["facility"]))
        return found[:limit]

    def ambiguous(self, probe: Probe, matches: list[Match] | None = None) -> list[Match]:
        """The facilities that fit about equally well when more than one does, else []."""
        matches = self.match(probe) if matches is None else matches
        close = [m for m in matches if matches[0].score - m.score < AMBIGUOUS_MARGIN]
        return close if len({m.facility.name.base for m in close}) > 1 else []

    def best(self, probe: Probe) -> Match | None:
        """The one facility the clinic is; None when two different facilities fit about equally well (すずらん
        皮膚科 and すずらん歯科 in one building for "Suzuran Clinic"): picking one would be a guess."""
        matches = self.match(probe)
        if not matches or self.ambiguous(probe, matches):
            return None
        return matches[0]

    @staticmethod
    def _as_near_miss(match: Match, why: str) -> dict:
        facility = match.facility
        printed = facility.address.printed if facility.address else None
        return {"facility": normalize_text(facility.name.printed), "prefecture": facility.prefecture,
                "address": normalize_text(printed) or None, "why": why,
                "name_score": round(match.scores["name"] or 0.0, 1), "plan_ids": [p.get("id") for p in facility.plans]}


def therapy_similarity(offered: str, filed: str, offered_text: str = "") -> float:
    """How far a filed plan's therapy covers an offered one (taxonomy codes): 1 same, 0.5 related, 0 not.

    Only 1.0 counts as covered. A page that says only 幹細胞 (code ``other``) is covered by any stem-cell plan,
    because the page does not say which cells; the reason says so.
    """
    if offered == filed:
        return 1.0
    stem_codes = {"adipose_cultured", "adipose_uncultured", "adipose_svf", "bone_marrow"}
    text = offered_text.lower()
    if offered == "other" and filed in stem_codes and ("幹細胞" in text or "stem cell" in text):
        return 1.0
    families = (stem_codes, {"prp_intra_articular", "prp_other", "aps"})
    if any(offered in family and filed in family for family in families):
        return 0.5
    return 0.0
