"""One verdict per offering (clinic × therapy), and flags per clinic, each with reasons in Japanese and English.

Verdicts, exactly one per offering (their codes and words are declared in :mod:`verify.vocabulary`):

- ``outside_asrm``: the therapy (culture supernatant, exosomes, …) is not covered by the Act, so no plan can exist;
- ``registered``: a current plan at the matched facility covers this therapy;
- ``plan_ended``: the plan that covered it is gone from the latest complete registry crawl, or jRCT says the
  research ended or was discontinued;
- ``registered_other_therapy``: the facility has current plans, none for this therapy;
- ``not_found``: no facility in the registry matches the clinic.

Every reason names its evidence (the plan, its document code, the scores) and ends with the caveat that a
filed plan is not proof that a treatment works.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from readers.normalize import normalize_text
from readers.regions import bureau_for_prefecture, bureau_name
from readers.taxonomy import THERAPIES, classify_therapy
from verify.matching import Match, therapy_similarity

CAVEAT_JA = "計画の提出・受理は、治療の有効性や安全性を示すものではありません。"
CAVEAT_EN = "A filed plan is not proof that a treatment works or is safe."
REGISTRATION_LABELS = ("計画番号", "提供計画番号", "受理番号", "届出番号", "登録番号", "Plan", "Registration")


@dataclass
class Verdict:
    verdict: str
    plan_ids: list[str]
    scores: dict
    reason_ja: str
    reason_en: str


@dataclass
class Flag:
    flag: str
    reason_ja: str
    reason_en: str
    evidence: dict = field(default_factory=dict)


def therapy_label(code: str) -> tuple[str, str]:
    entry = THERAPIES.get(code) or THERAPIES["other"]
    return entry["ja"], entry["en"]


def plan_therapy(plan: dict) -> str:
    """A plan's therapy code (computed once and cached on the plan dict)."""
    if "_therapy_code" not in plan:
        plan["_therapy_code"] = classify_therapy(plan.get("therapy") or plan.get("title") or "", plan.get("plan_class"))
    return plan["_therapy_code"]


def _plan_ref(plan: dict) -> str:
    code = plan.get("doc_code") or ""
    label = normalize_text(plan.get("therapy") or plan.get("title") or "")
    cls = plan.get("plan_class")
    return f"「{label}」" + (f"（第{cls}種" if cls else "（") + (f"、{code}）" if code else "）")


def _plan_ref_en(plan: dict) -> str:
    code = plan.get("doc_code") or plan.get("id")
    cls = plan.get("plan_class")
    return f"plan {code}" + (f" (class {cls})" if cls else "")


def _covering(plans: list[dict], therapy: str, text: str) -> list[dict]:
    return [p for p in plans if therapy_similarity(therapy, plan_therapy(p), text) >= 1.0]


def decide(
    therapy: str,
    *,
    clinic_name: str | None,
    match: Match | None,
    ended: list[tuple[dict, str]] | None = None,
    offered_text: str = "",
    near_misses: list[dict] | None = None,
) -> Verdict:
    """The verdict for one offering.

    ``match`` is the clinic's best registry facility among current plans (or None); ``ended`` lists
    (plan, how) pairs for plans of this clinic that ended: ``how`` is "gone" (missing from the latest complete
    crawl) or "jrct" (jRCT status ended or discontinued).
    """
    ja, en = therapy_label(therapy)
    scores = _match_scores(match)
    if not THERAPIES.get(therapy, THERAPIES["other"])["under_asrm"]:
        return Verdict(
            "outside_asrm",
            [],
            scores,
            f"{ja}は再生医療等安全性確保法の対象外のため、提供計画は存在しません。"
            "「厚労省に届出済み」などの表示は誤解を招きます。" + CAVEAT_JA,
            f"{en} is not covered by the Act on the Safety of Regenerative Medicine, so no provision plan can "
            "exist for it; a claim of MHLW registration for it is misleading. " + CAVEAT_EN,
        )
    current = match.facility.plans if match else []
    covering = _covering(current, therapy, offered_text)
    name_ja = (clinic_name or "").strip() or "この施設"  # matched by its address alone, a page may print no name
    name_en = (clinic_name or "").strip() or "this clinic"
    where = f"{match.facility.prefecture or ''}の{normalize_text(match.facility.name.printed)}" if match else ""
    where_en = f"{normalize_text(match.facility.name.printed)} ({match.facility.prefecture})" if match else ""
    if covering:
        refs = "、".join(_plan_ref(p) for p in covering)
        refs_en = ", ".join(_plan_ref_en(p) for p in covering)
        generic = " (the page does not say which cells are used)" if therapy == "other" else ""
        return Verdict(
            "registered",
            [p.get("id") for p in covering],
            scores,
            f"{where}に{ja}の提供計画{refs}が現在掲載されています（{_basis_ja(match)}で照合）。" + CAVEAT_JA,
            f"{where_en} has a current filed {refs_en} covering {en}{generic} "
            f"(matched on {_basis_en(match)}; scores in the scores column). " + CAVEAT_EN,
        )
    ended_cover = [(p, how) for p, how in (ended or []) if therapy_similarity(therapy, plan_therapy(p), offered_text) >= 1.0]
    if ended_cover:
        plan, how = ended_cover[0]
        why_ja = "最新の完全な登録簿クロールから消えています" if how == "gone" else "jRCTで終了・中止とされています"
        why_en = "is gone from the latest complete registry crawl" if how == "gone" else "is marked ended or discontinued on jRCT"
        return Verdict(
            "plan_ended",
            [p.get("id") for p, _ in ended_cover],
            scores,
            f"{name_ja}の{ja}を対象とした計画{_plan_ref(plan)}は{why_ja}。現在この治療を届け出た計画は見つかりません。" + CAVEAT_JA,
            f"The {_plan_ref_en(plan)} of {name_en} for {en} {why_en}; no current plan covers this therapy. "
            + CAVEAT_EN,
        )
    if current:
        filed = "、".join(sorted({normalize_text(p.get("therapy")) for p in current}))
        filed_en = ", ".join(sorted({therapy_label(plan_therapy(p))[1] for p in current}))
        return Verdict(
            "registered_other_therapy",
            [p.get("id") for p in current],
            scores,
            f"{where}には提供計画がありますが（{filed}）、{ja}を対象とした計画は見つかりません。" + CAVEAT_JA,
            f"{where_en} has filed plans ({filed_en}), but none for {en}. " + CAVEAT_EN,
        )
    near_ja, near_en = "", ""
    if near_misses:
        first = near_misses[0]
        near_ja = (f"名称の似た「{first['facility']}」（{first.get('prefecture') or ''}）の計画はありますが、"
                   f"{_why_ja(first['why'])}ため別の施設として扱っています。")
        near_en = (f"{first['facility']} ({first.get('prefecture') or 'prefecture unknown'}) has a similar name and "
                   f"filed plans, but is not taken as this clinic ({first['why']}). ")
    if not (clinic_name or "").strip() and not near_misses:
        # a page that prints no name (or whose name was not read) cannot be compared with the registry by name
        return Verdict(
            "not_found",
            [],
            scores,
            "このページからは施設名を読み取れず、所在地でも登録簿の施設と照合できませんでした。届出の有無は、"
            "施設名で改めて確認してください。" + CAVEAT_JA,
            "No clinic name could be read from this page and its address matched no facility, so it could not be "
            "compared with the plan lists; check the clinic by its name. " + CAVEAT_EN,
        )
    return Verdict(
        "not_found",
        [],
        {**scores, **({"near_misses": near_misses} if near_misses else {})},
        f"{name_ja}に一致する施設は、第二種・第三種の再生医療等提供計画の一覧に見つかりません。{near_ja}"
        "名称の表記揺れで見落とす可能性もあります。" + CAVEAT_JA,
        f"No facility matching {name_en} was found on the class-2 and class-3 plan lists. {near_en}Names are "
        "printed many ways, so a miss is not proof that no plan exists. " + CAVEAT_EN,
    )


def _name_only(match: Match) -> bool:
    return match.features[0].startswith("name ") and " with address" not in match.features[0]


def _basis_ja(match: Match) -> str:
    """The kind of evidence a match rests on, in words that stay the same while scores move a little (a
    reason that changed with every re-crawl would flood the change history)."""
    if match.scores.get("name") is None:
        return "所在地と都道府県（名称は照合できず）"
    if match.features[0].startswith("name read alike"):
        return "名称の読み（表記は異なる）と都道府県"
    return "名称と都道府県" if _name_only(match) else "名称・都道府県と所在地"


def _basis_en(match: Match) -> str:
    if match.scores.get("name") is None:
        return "the address and prefecture (the name could not be compared)"
    if match.features[0].startswith("name read alike"):
        return "the name's reading (written differently) and prefecture"
    return "the name and prefecture" if _name_only(match) else "the name, prefecture and address"


def _match_scores(match: Match | None) -> dict:
    return match.as_json() if match else {}


def number_flags(
    identifiers: list[dict],
    *,
    clinic_prefecture: str | None,
    therapies: list[str],
    own_plans: list[dict],
    doc_code_owner: dict[str, dict],
    claimed_elsewhere: dict[str, list[str]],
) -> list[Flag]:
    """Flags about the numbers a clinic prints (claims of kind "identifier").

    ``doc_code_owner`` maps a document code to the registry plan that carries it; ``claimed_elsewhere`` maps a
    canonical number to the names of other clinics printing the same number.
    """
    flags: list[Flag] = []
    own_codes = {code for p in own_plans for code in json.loads(p.get("doc_codes") or "[]")} | {
        p.get("doc_code") for p in own_plans
    }
    clinic_bureau = bureau_for_prefecture(clinic_prefecture)
    expected_classes = {c for t in therapies for c in THERAPIES.get(t, THERAPIES["other"])["expected_classes"]}
    for ident in identifiers:
        kind, canonical = ident.get("identifier_kind"), ident.get("canonical") or ""
        fields = ident.get("fields") or {}
        label = ident.get("label") or ""
        evidence = {"printed": ident.get("printed"), "canonical": canonical, "label": label or None,
                    "source_url": ident.get("source_url")}
        if kind == "committee_number":
            context = ident.get("context") or ""
            if any(word in label for word in REGISTRATION_LABELS) or (
                not label and any(word in context for word in ("登録", "受理", "届出", "計画番号"))
            ):
                flags.append(Flag(
                    "committee_number_as_registration",
                    f"{ident.get('printed')}は認定再生医療等委員会の認定番号ですが、「{label or '登録'}」として表示されています。"
                    "委員会の認定はクリニックの計画の届出ではありません。",
                    f"{ident.get('printed')} is a certified committee's number, printed as the clinic's "
                    f"{'“' + label + '”' if label else 'registration'}; a committee's certification is not the clinic's plan filing.",
                    evidence,
                ))
        if kind in ("plan_number", "doc_code"):
            problems_ja, problems_en = [], []
            bureau = fields.get("bureau")
            if bureau and clinic_bureau and bureau != clinic_bureau:
                problems_ja.append(f"番号の厚生局（{bureau_name(bureau)}）が所在地{clinic_prefecture}の厚生局（{bureau_name(clinic_bureau)}）と一致しません")
                problems_en.append(f"its bureau ({bureau}) is not the bureau of {clinic_prefecture} ({clinic_bureau})")
            plan_class = fields.get("plan_class")
            if plan_class and expected_classes and plan_class not in expected_classes:
                problems_ja.append(f"第{plan_class}種の番号ですが、提供している治療は通常この区分ではありません")
                problems_en.append(f"it is a class-{plan_class} number, which does not fit the therapies offered")
            if ident.get("lookalikes"):
                problems_ja.append("数字の代わりに似た文字が使われています（" + "、".join(ident["lookalikes"]) + "）")
                problems_en.append("it needed look-alike characters to read (" + ", ".join(ident["lookalikes"]) + ")")
            if problems_ja:
                flags.append(Flag("number_inconsistent", f"{ident.get('printed')}: " + "。".join(problems_ja) + "。",
                                  f"{ident.get('printed')}: " + "; ".join(problems_en) + ".", evidence))
        owner = doc_code_owner.get(canonical) if kind == "doc_code" else None
        if owner and canonical not in own_codes:
            flags.append(Flag(
                "number_claimed_by_other_clinic",
                f"文書番号{canonical}は登録簿上、{normalize_text(owner.get('facility'))}（{owner.get('prefecture')}）の計画のものです。",
                f"Document code {canonical} belongs on the registry to a plan of {normalize_text(owner.get('facility'))} "
                f"({owner.get('prefecture')}), not to this clinic.",
                {**evidence, "plan_id": owner.get("id")},
            ))
        elif canonical in claimed_elsewhere and kind in ("plan_number", "doc_code"):
            others = "、".join(claimed_elsewhere[canonical])
            flags.append(Flag(
                "number_claimed_by_other_clinic",
                f"同じ番号{canonical}を他のクリニック（{others}）も表示しています。",
                f"The same number {canonical} is also printed by another clinic ({', '.join(claimed_elsewhere[canonical])}).",
                {**evidence, "other_clinics": claimed_elsewhere[canonical]},
            ))
    return flags


def approval_flag(claims: list[dict]) -> Flag | None:
    wording = [c for c in claims if c.get("kind") == "approval_wording"]
    if not wording:
        return None
    printed = list(dict.fromkeys(normalize_text(c.get("printed") or c.get("value")) for c in wording))
    return Flag(
        "approval_wording",
        f"「{'」「'.join(printed)}」と表示していますが、提供計画は届出であり、厚生労働省の認可・承認ではありません。",
        f"The page says {', '.join(f'“{p}”' for p in printed)}, but a provision plan is a filing, not an approval or "
        "licence by MHLW.",
        {"printed": [c.get("printed") for c in wording], "source_url": wording[0].get("source_url")},
    )


def disclosure_flag(claims: list[dict]) -> Flag | None:
    """Self-pay regenerative medicine may be advertised only with the required disclosures."""
    for claim in claims:
        if claim.get("kind") != "ad_disclosures":
            continue
        value = claim.get("value")
        try:
            parsed = json.loads(value) if isinstance(value, str) else value
        except ValueError:
            parsed = value
        missing = parsed.get("missing") if isinstance(parsed, dict) else None
        if missing is None and isinstance(parsed, str) and parsed.startswith("missing"):
            missing = [parsed]
        if missing:
            listed = ", ".join(str(m) for m in missing)
            return Flag(
                "missing_ad_disclosures",
                f"自由診療の広告に必要な事項の記載が見当たりません（{listed}）。",
                f"The page lacks disclosures required in advertising self-pay regenerative medicine ({listed}).",
                {"missing": missing, "source_url": claim.get("source_url")},
            )
    return None


def similar_facility_flag(near_misses: list[dict]) -> Flag | None:
    """A registry facility whose name resembles the clinic's, ruled out by its place or by a thin name.

    Shown so a reader can judge for themselves (a clinic that moved, or another clinic of the same name), and
    never counted as the clinic's own plan.
    """
    if not near_misses:
        return None
    first = near_misses[0]
    where = "".join(filter(None, (first.get("prefecture"), first.get("address"))))
    return Flag(
        "similar_facility_elsewhere",
        f"名称の似た施設「{first['facility']}」（{where or '所在地不明'}）に提供計画がありますが、"
        f"{_why_ja(first['why'])}ため、このクリニックの計画とはみなしていません。",
        f"A facility with a similar name, {first['facility']} ({where or 'address unknown'}), has filed plans, but it "
        f"is not taken as this clinic's: {first['why']}.",
        {"near_misses": near_misses},
    )


_WHY_JA = {
    "another prefecture": "都道府県が異なる",
    "another city": "市区町村が異なる",
    "another address": "所在地が異なる",
    "generic name": "一般的な名称で所在地の一致が確認できない",
    "name shared by several facilities": "同じ名称の施設が複数あり所在地の一致が確認できない",
    "prefecture unknown": "所在地が確認できない",
    "several facilities fit equally": "同じ程度に当てはまる施設が複数あり一つに決められない",
    "the registry names a branch": "登録簿の名称は分院のもので、このクリニックと同じ施設か所在地で確認できない",
}

#: the flags read from a clinic's claims alone, in the order they are stored; a new one is a function here,
#: added to this tuple, and its code in verify/vocabulary.py
CLAIM_FLAGS = (approval_flag, disclosure_flag)


def price_filing_flag(advertised: list[dict], filed: list[dict]) -> Flag | None:
    """A yen price the clinic advertises for a therapy whose matched plan's document states other treatment prices.

    ``advertised`` are the clinic's ``prices`` rows, ``filed`` the ``plan_prices`` rows of kind ``treatment``
    with their plan's ``therapy``. A price agrees with the filing when it equals one of the filed amounts on
    either tax basis (8% or 10%) or falls in a filed range; otherwise the pair (the advertised price and the
    nearest filed one) is listed with both sources. Informational: either may be the newer figure.
    """
    pairs = []
    for price in advertised:
        amount = price.get("amount_min")
        same = [f for f in filed if f.get("therapy") == price.get("therapy") and f.get("amount_min")]
        if price.get("currency") != "JPY" or not amount or not same:
            continue
        if any(_agrees(price, f) for f in same):
            continue
        nearest = min(same, key=lambda f: abs(f["amount_min"] - amount))
        pairs.append({
            "therapy": price.get("therapy"), "advertised": amount, "advertised_tax": price.get("tax"),
            "advertised_source": price.get("source_url"), "advertised_excerpt": price.get("excerpt"),
            "filed": nearest["amount_min"], "filed_tax": nearest.get("tax"), "plan_id": nearest.get("plan_id"),
            "filed_source": nearest.get("document_url"), "filed_excerpt": nearest.get("excerpt"),
        })
    if not pairs:
        return None
    ja = "、".join(f"掲載{p['advertised']:,}円／提出書類{p['filed']:,}円" for p in pairs)
    en = "; ".join(f"advertised ¥{p['advertised']:,}, filed document ¥{p['filed']:,}" for p in pairs)
    return Flag(
        "price_differs_from_filing",
        f"クリニックの掲載価格が、提出された計画の説明文書に記載の治療費と異なります（{ja}）。どちらかが更新された可能性があります。"
        "提出書類の金額は書類の記載どおりで、実際の請求額を保証するものではありません。",
        f"The clinic's advertised price differs from the treatment price in its filed plan's document ({en}). "
        "Either may have been updated; a filed price is what the document says, not a guaranteed charge.",
        {"pairs": pairs},
    )


def _agrees(price: dict, filed: dict) -> bool:
    amounts = {a for a in (price.get("amount_min"), price.get("amount_excluding_tax")) if a}
    low, high = filed["amount_min"], filed.get("amount_max") or filed["amount_min"]
    targets = {low, high, filed.get("amount_excluding_tax")} - {None}
    for amount in amounts:
        if low <= amount <= high or any(abs(amount - t * r) <= 1 for t in targets for r in (1, 1.08, 1.1, 1 / 1.08, 1 / 1.1)):
            return True
    return False


def _why_ja(why: str) -> str:
    """The Japanese words for a near miss's reason (matching says it in English)."""
    return _WHY_JA.get(why.split(" (")[0], why)


def enforcement_flag(actions: list[dict]) -> Flag | None:
    if not actions:
        return None
    first = actions[0]
    return Flag(
        "enforcement_action",
        f"{first.get('date')}に{first.get('order_type') or '行政処分'}の対象として{normalize_text(first.get('institution'))}が公表されています。",
        f"{normalize_text(first.get('institution'))} was named in an enforcement action ({first.get('order_type')}) on "
        f"{first.get('date')}.",
        {"actions": [a.get("id") for a in actions], "source_url": first.get("source_url")},
    )
