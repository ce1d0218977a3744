"""Match a clinic (from its own page or a directory) to the registry facility that filed plans, if any.

Blocking: a clinic is compared only with facilities in its prefecture (from its address, or from its postal
code through Japan Post's data); a clinic whose prefecture is unknown is compared with all of them. Inside a
block, rapidfuzz's C scorer keeps the facilities whose name is at all close, and only those are scored in
full: name (whole name and the identifying part without クリニック/整形外科…), branch, and address. Every match
keeps its scores and the features that decided it, so a reader can see why two names were taken as one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from readers.addresses import Address, parse_address, postal_area
from readers.names import ClinicName, parse_name, same_branch
from readers.normalize import normalize_text
from readers.regions import canonical_prefecture

#: below this similarity of the identifying part a facility cannot be accepted, so it is not scored at all
CORE_PREFILTER = 54.0
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
    postal = postal_code or (parsed.postal_code if parsed else None)
    if not pref and postal:
        area = postal_area(postal)
        pref = area[0] if area else None
    return Probe(name=parse_name(name), prefecture=pref, address=parsed, postal_code=postal, phone=phone)


def _address_score(a: Address | None, b: Address | None) -> float | None:
    if not a or not b or not (a.rest or a.city) or not (b.rest or b.city):
        return None
    if a.printed.isascii() or b.printed.isascii():
        return None  # "4-6-2 Umegae-cho, Kita-ku" cannot be compared character by character with 梅ヶ枝町4-6-2
    if a.city and b.city and a.city != b.city:
        return 0.0
    return float(fuzz.ratio(f"{a.city or ''}{a.block_key}", f"{b.city or ''}{b.block_key}"))


def score_pair(probe: Probe, facility: Facility) -> Match | None:
    """Full score of one clinic against one facility; None when the facility is not this clinic."""
    features: list[str] = []
    if probe.prefecture and facility.prefecture and probe.prefecture != facility.prefecture:
        return None
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
    address = _address_score(probe.address, facility.address)
    if name >= NAME_ACCEPT and core >= CORE_ACCEPT:
        features.insert(0, f"name {name:.0f}")
    elif name >= NAME_WITH_ADDRESS and address is not None and address >= ADDRESS_AGREES:
        features.insert(0, f"name {name:.0f} with address {address:.0f}")
    else:
        return None
    if probe.prefecture and facility.prefecture:
        features.append(f"same prefecture ({facility.prefecture})")
    if address is not None:
        features.append(f"address {address:.0f}" + (" (moved or printed differently)" if address < 60 else ""))
    score = name if address is None else 0.75 * name + 0.25 * address
    scores = {"name": name, "name_base": base, "name_core": core, "address": address}
    return Match(facility=facility, score=score, scores=scores, features=features)


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


class RegistryIndex:
    """Facilities blocked by prefecture, with the name keys rapidfuzz prefilters on."""

    def __init__(self, plans: Iterable[dict], *, blocked: bool = True):
        self.facilities = group_facilities(plans)
        self.blocked = blocked
        self.by_prefecture: dict[str | None, list[Facility]] = defaultdict(list)
        for facility in self.facilities:
            self.by_prefecture[facility.prefecture].append(facility)
        self._core_cache: dict[str, list[str]] = {}
        self._block_cache: dict[str, list[Facility]] = {}

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

    def match(self, probe: Probe) -> list[Match]:
        """Accepted matches, best first.

        The prefilter is exact with respect to :func:`score_pair`: a facility is accepted only when
        0.35·base + 0.65·core ≥ 70, so its core similarity (ratio, or 0.85·partial ratio) is at least 54.
        The partial pass is needed only when the address can carry the match (name-only acceptance needs a
        core ratio of 90, which a 0.85-discounted partial ratio never reaches).
        """
        block, _ = self._block(probe)
        if not block or not probe.name.base:
            return []
        cores = self._cores(probe, block)
        hits = {hit[2] for hit in process.extract(probe.name.core, cores, scorer=fuzz.ratio,
                                                  score_cutoff=CORE_PREFILTER, limit=None)}
        if probe.address is not None and len(probe.name.core) >= 3:
            hits |= {hit[2] for hit in process.extract(probe.name.core, cores, scorer=fuzz.partial_ratio,
                                                       score_cutoff=CORE_PREFILTER / 0.85, limit=None)}
        matches = []
        for index in hits:
            match = score_pair(probe, block[index])
            if match:
                matches.append(match)
        matches.sort(key=lambda m: (-m.score, m.facility.key))
        return matches

    def best(self, probe: Probe) -> Match | None:
        matches = self.match(probe)
        return matches[0] if matches else None


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
