"""The matcher's prefilters are exact: scoring only the candidates gives what scoring everything gives."""

from __future__ import annotations

import random

import pytest
from rapidfuzz import fuzz, process

from readers.regions import PREFECTURES
from verify.candidates import CharacterIndex
from verify.matching import RegistryIndex, near_miss, probe_for, score_pair

_PARTS = list("湊見台杜の泉星降町さくら通り銀杏並木灯台みなと西第一二三123ヒザ関節整形外科")
_TAILS = ("クリニック", "整形外科", "ひざ関節クリニック", "医院", "整形外科クリニック 横浜院", "病院")


def _name(rng: random.Random) -> str:
    return "".join(rng.choices(_PARTS, k=rng.randint(1, 7))) + rng.choice(_TAILS)


def _address(rng: random.Random) -> str | None:
    if rng.random() < 0.2:
        return None
    return f"{rng.choice(('港区', '中央区', '架空市'))}湊見台{rng.randint(1, 4)}丁目{rng.randint(1, 5)}番{rng.randint(1, 3)}号"


@pytest.mark.parametrize("score", [60.0, 80.0, 90.0])
def test_character_index_hands_rapidfuzz_every_string_that_reaches_the_score(score):
    rng = random.Random(score)
    strings = ["".join(rng.choices(_PARTS, k=rng.randint(1, 9))) for _ in range(3000)]
    index = CharacterIndex(strings)
    for _ in range(600):
        query = list(rng.choice(strings))  # a registry name with an edit or two: scores near the cut-off
        for _ in range(rng.randint(0, 2)):
            query.insert(rng.randrange(len(query) + 1), rng.choice(_PARTS))
            query.pop(rng.randrange(len(query)))
        query = "".join(query)
        whole = process.extract(query, strings, scorer=fuzz.ratio, score_cutoff=score, limit=50)
        pruned = process.extract(query, index.candidates(query, score), scorer=fuzz.ratio, score_cutoff=score,
                                 limit=50)
        assert pruned == whole


def test_character_index_prunes_a_name_that_shares_no_rare_character():
    index = CharacterIndex([f"第{i}ヒザ関節" for i in range(1000)])
    assert index.candidates("湊見台第12", 90.0) == {}


def _near_misses_scanning_everything(index: RegistryIndex, probe, limit: int) -> list[dict]:
    """The near misses as found before the character index: the whole registry scanned at a core ratio of 80."""
    hits = process.extract(probe.name.core, [f.name.core for f in index.facilities], scorer=fuzz.ratio,
                           score_cutoff=80, limit=50)
    found = [index._as_near_miss(m, "several facilities fit equally") for m in index.ambiguous(probe)]
    taken = {tuple(m["plan_ids"]) for m in found}
    found += [m for _, _, i in hits if tuple(p.get("id") for p in index.facilities[i].plans) not in taken
              and (m := near_miss(probe, index.facilities[i], index._shared(probe, index.facilities[i])))]
    return sorted(found, key=lambda m: (-m["name_score"], m["facility"]))[:limit]


def test_match_and_near_misses_equal_scoring_every_facility():
    rng = random.Random(14)
    plans = [{"id": f"p{i}", "prefecture": rng.choice(PREFECTURES[:3]), "facility_printed": _name(rng),
              "address_printed": _address(rng)} for i in range(600)]
    plans += [{**plan, "id": f"{plan['id']}b", "prefecture": PREFECTURES[3]} for plan in plans[:200]]
    index = RegistryIndex(plans)
    matched = missed = 0
    for n in range(600):
        plan = plans[n % len(plans)] if n % 2 else None  # half the clinics print a registry name
        probe = probe_for(plan["facility_printed"] if plan else _name(rng), rng.choice((*PREFECTURES[:4], None)),
                          plan["address_printed"] if plan and n % 4 == 1 else _address(rng))
        block, _ = index._block(probe)
        every = [score_pair(probe, f, index._shared(probe, f)) for f in block]
        expected = sorted((m for m in every if m), key=lambda m: (-m.score, m.facility.key))
        if expected:
            matched += 1
            assert [(m.facility.key, m.score) for m in index.match(probe)] == \
                [(m.facility.key, m.score) for m in expected]
        misses = index.near_misses(probe, limit=50)
        missed += bool(misses)
        assert misses == _near_misses_scanning_everything(index, probe, 50)
    assert matched > 50 and missed > 20
