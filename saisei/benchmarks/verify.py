"""``saisei benchmark verify``: the blocked matcher against an all-pairs rapidfuzz baseline.

Synthetic, generated in the process (seeded): N clinics against M plans in 47 prefectures, Tokyo and Osaka
heavier as on the real lists. Six in ten clinics are a registry facility printed another way (corporation
dropped, kana folded, width changed, spaces, a 本院 suffix); the rest are absent. Both matchers use the same
scorer; the baseline compares every clinic with every facility, the blocked one only within its prefecture.
Recall is measured on the synthetic truth and on the labelled evaluation set, so the speed-up is quoted at
equal recall. Printed numbers are measured in this run, never a timed test.
"""

from __future__ import annotations

import random
import time

import click
import jaconv

from readers.names import parse_name
from readers.regions import PREFECTURES
from readers.taxonomy import THERAPIES
from saisei.benchmarks import benchmark
from verify.evaluation import evaluate
from verify.matching import RegistryIndex, probe_for

_HEADS = list("青赤白黒金銀緑若朝夕星月日光陽風雪花桜梅松竹杉森林泉川海山岡谷坂橋浜島野原田台丘")
_KANA = ["さくら", "みどり", "ひかり", "あおば", "かえで", "すみれ", "つばさ", "はるか", "ゆめ", "なぎさ", "こだま", "ひまわり",
         "あかね", "いずみ", "やまと", "ときわ", "みなと", "ほたる", "つくし", "わかば"]
_MIDDLE = ["ひざ", "関節", "スポーツ", "ペイン", "再生", "整形", "ひざ関節", "セル", "メディカル", ""]
_TAILS = ["クリニック", "整形外科", "医院", "病院", "整形外科クリニック", "関節クリニック", "再生医療クリニック"]
_CORPS = ["医療法人社団{}会", "医療法人{}会", "一般社団法人{}会", "社会医療法人{}会"]
_THERAPY_TEXT = {
    "adipose_cultured": "変形性膝関節症に対する自己脂肪由来幹細胞（培養）を用いた治療",
    "prp_intra_articular": "変形性膝関節症に対する自家多血小板血漿（PRP）の関節内投与",
    "prp_other": "多血小板血漿を用いた腱・靭帯損傷の治療（関節外）",
    "adipose_svf": "自己脂肪組織由来間質血管細胞群（SVF）を用いた変形性膝関節症の治療",
    "bone_marrow": "自家骨髄由来間葉系幹細胞を用いた変形性膝関節症の治療",
}


def _prefecture(rng: random.Random) -> str:
    weights = [8 if p in ("東京都", "大阪府") else 3 if p in ("神奈川県", "愛知県", "福岡県", "北海道", "千葉県") else 1
               for p in PREFECTURES]
    return rng.choices(PREFECTURES, weights)[0]


def _name(rng: random.Random) -> str:
    head = rng.choice(_KANA) if rng.random() < 0.5 else "".join(rng.choices(_HEADS, k=rng.choice((2, 3))))
    return f"{head}{rng.choice(_MIDDLE)}{rng.choice(_TAILS)}"


def _variant(rng: random.Random, name: str, corporation: str) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        return f"{corporation}　{name}"
    if choice == 1:
        return jaconv.hira2kata(name)
    if choice == 2:
        return jaconv.z2h(name, kana=True, ascii=False, digit=False)
    if choice == 3:
        return name.replace("クリニック", " クリニック")
    if choice == 4:
        return f"{name}本院"
    return name


def synthetic_world(n_clinics: int, n_plans: int, seed: int = 5):
    """(plans, clinics, truth): truth maps a clinic index to its facility's registry name key, or None."""
    rng = random.Random(seed)
    plans, facilities, seen = [], [], set()
    while len(plans) < n_plans:
        name, prefecture = _name(rng), _prefecture(rng)
        if (name, prefecture) in seen:
            continue
        seen.add((name, prefecture))
        corporation = rng.choice(_CORPS).format("".join(rng.choices(_HEADS, k=2)))
        facilities.append((name, prefecture, corporation))
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            therapy = rng.choice(list(_THERAPY_TEXT))
            plans.append({"id": f"p{len(plans)}", "plan_class": 3 if therapy == "prp_other" else 2,
                          "prefecture": prefecture, "facility_printed": f"{corporation} {name}",
                          "therapy": _THERAPY_TEXT[therapy], "status": "current"})
    cores = {(parse_name(name).core, prefecture) for name, prefecture, _ in facilities}
    plans = plans[:n_plans]  # a facility's last plans may overshoot the count
    clinics, truth = [], []
    for _ in range(n_clinics):
        if rng.random() < 0.6:
            name, prefecture, corporation = rng.choice(facilities)
            clinics.append({"name": _variant(rng, name, corporation), "prefecture": prefecture})
            truth.append((prefecture, name))
        else:
            while True:  # absent means absent: not even the same name with another facility word
                name, prefecture = _name(rng), _prefecture(rng)
                if (parse_name(name).core, prefecture) not in cores:
                    break
            clinics.append({"name": name, "prefecture": prefecture})
            truth.append(None)
    return plans, clinics, truth


def _run(plans: list[dict], clinics: list[dict], *, blocked: bool) -> tuple[dict, list]:
    """Build the index, read the clinics, match: each step timed; the name cache starts empty each run."""
    parse_name.cache_clear()  # neither matcher may profit from names the other one already parsed
    times = {}
    started = time.perf_counter()
    index = RegistryIndex(plans, blocked=blocked)
    times["index"] = time.perf_counter() - started
    started = time.perf_counter()
    probes = [probe_for(c["name"], c["prefecture"]) for c in clinics]
    times["probes"] = time.perf_counter() - started
    started = time.perf_counter()
    results = [index.best(probe) for probe in probes]
    times["match"] = time.perf_counter() - started
    times["total"] = sum(times.values())
    return times, results


def _recall(results: list, truth: list) -> tuple[float, float]:
    hits = sum(1 for m, t in zip(results, truth, strict=True)
               if t and m and m.facility.prefecture == t[0] and m.facility.name.base == parse_name(t[1]).base)
    false = sum(1 for m, t in zip(results, truth, strict=True) if m and not t)
    present = sum(1 for t in truth if t)
    return hits / present, false / (len(truth) - present)


@benchmark.command("verify")
@click.option("--clinics", "n_clinics", type=int, default=10_000, show_default=True)
@click.option("--plans", "n_plans", type=int, default=20_000, show_default=True)
@click.option("--seed", type=int, default=5, show_default=True)
def verify_benchmark(n_clinics: int, n_plans: int, seed: int) -> None:
    """Blocked matcher vs an all-pairs rapidfuzz baseline: wall time and speed-up at equal recall.

    \b
    Example:
      saisei benchmark verify                 # 10,000 clinics against 20,000 plans
      saisei benchmark verify --clinics 1000  # a quicker run
    """
    assert THERAPIES  # the taxonomy is loaded before timing starts
    started = time.perf_counter()
    plans, clinics, truth = synthetic_world(n_clinics, n_plans, seed)
    click.echo(f"synthetic world: {len(clinics):,} clinics, {len(plans):,} plans "
               f"({time.perf_counter() - started:.1f} s to generate, seed {seed})")
    click.echo(f"registry facilities: {len(RegistryIndex(plans).facilities):,} in 47 prefectures")
    blocked_time, blocked_results = _run(plans, clinics, blocked=True)
    baseline_time, baseline_results = _run(plans, clinics, blocked=False)
    b_recall, b_false = _recall(blocked_results, truth)
    a_recall, a_false = _recall(baseline_results, truth)
    same = sum(1 for x, y in zip(blocked_results, baseline_results, strict=True)
               if (x and x.facility.key) == (y and y.facility.key))
    labelled_blocked = evaluate()
    labelled_baseline = evaluate(index_factory=lambda rows: RegistryIndex(rows, blocked=False))
    click.echo("")
    click.echo(f"{'matcher':<32}{'matching':>10}{'end to end':>12}{'recall':>9}{'false match':>13}")
    for label, times, recall, false in (
        ("all-pairs rapidfuzz (baseline)", baseline_time, a_recall, a_false),
        ("blocked by prefecture", blocked_time, b_recall, b_false),
    ):
        click.echo(f"{label:<32}{times['match']:>9.2f}s{times['total']:>11.2f}s{recall * 100:>8.1f}%{false * 100:>12.2f}%")
    click.echo(f"speed-up: matching {baseline_time['match'] / blocked_time['match']:.1f}x, end to end "
               f"{baseline_time['total'] / blocked_time['total']:.1f}x (index build and name parsing included)  ·  "
               f"same best facility for {same:,} of {len(clinics):,} clinics")
    click.echo("")
    click.echo(f"labelled set ({len(labelled_blocked.outcomes)} cases): facility match recall "
               f"blocked {labelled_blocked.match_recall() * 100:.1f}% · baseline "
               f"{labelled_baseline.match_recall() * 100:.1f}%; verdict accuracy blocked "
               f"{labelled_blocked.accuracy * 100:.1f}% · baseline {labelled_baseline.accuracy * 100:.1f}%")
