"""The verdict and flag vocabulary: every code the verifier can give, with its words in Japanese and English.

Declared once and read everywhere: the verdict logic (:mod:`verify.verdicts`), the evaluation report, the
clinic page (:mod:`saisei.views` and ``templates/clinic.html``), the canned queries (:mod:`saisei.queries`),
the served metadata's column descriptions (:mod:`saisei.serve`) and the serving benchmark. A new verdict or
flag is one entry here plus the rule that gives it; ``tests/test_vocabulary.py`` checks that every code the
verifier can return is declared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VerdictTerm:
    """One verdict code and how each audience reads it."""

    code: str
    #: the patient's sentence on the clinic page
    ja: str
    en: str
    #: the label in lists (canned queries), English / Japanese
    short: str
    #: the page's colour: ok, warn or bad
    tone: str
    #: what it means, for analysts (docs and metadata)
    description: str
    #: the column header of the evaluation's confusion matrix
    abbrev: str
    #: the column name in the ``verdicts_by_therapy`` query
    column: str
    #: the heading above the plans a verdict rests on, English / Japanese
    plans_heading: tuple[str, str] = ("Plan(s) on file", "提出されている計画")
    #: the clinic advertises the therapy without a current plan for it (query ``advertised_without_plan``)
    without_plan: bool = False
    #: the badge on the patient's result cards and clinic page, Japanese / English: a few words, never the code
    badge: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class FlagTerm:
    """One flag code: a thing worth a second look on a clinic's pages."""

    code: str
    ja: str
    en: str
    description: str


VERDICTS: dict[str, VerdictTerm] = {
    v.code: v
    for v in (
        VerdictTerm(
            "registered",
            "この治療の再生医療等提供計画が提出されています。",
            "A provision plan for this therapy is on file.",
            "plan on file / 計画あり",
            "ok",
            "a current plan of the matched facility covers this therapy",
            "reg",
            "registered",
            badge=("計画あり", "Plan on file"),
        ),
        VerdictTerm(
            "registered_other_therapy",
            "このクリニックの計画はありますが、別の治療のものです。この治療の計画は見つかりません。",
            "The clinic has a plan on file, but for a different therapy; none was found for this one.",
            "plan for another therapy only / 別の治療の計画のみ",
            "warn",
            "the facility has current plans, none for this therapy",
            "other",
            "other_therapy",
            ("The plan(s) this clinic does have, for another therapy", "このクリニックにある計画（別の治療）"),
            without_plan=True,
            badge=("別の治療の計画のみ", "Plan for another therapy"),
        ),
        VerdictTerm(
            "not_found",
            "この治療の計画は公開リストに見つかりません。",
            "No plan for this therapy was found on the official lists.",
            "no plan found / 計画なし",
            "bad",
            "no facility in the registry matches the clinic",
            "none",
            "not_found",
            without_plan=True,
            badge=("計画なし", "No plan found"),
        ),
        VerdictTerm(
            "plan_ended",
            "この治療の計画は公開リストから消えています（終了した可能性があります）。",
            "The plan for this therapy is no longer on the official list: it may have ended.",
            "plan ended / 計画終了",
            "warn",
            "the plan is gone from a later complete crawl, or jRCT says ended",
            "ended",
            "plan_ended",
            ("The plan that is no longer listed", "掲載が終わった計画"),
            without_plan=True,
            badge=("計画終了", "Plan ended"),
        ),
        VerdictTerm(
            "outside_asrm",
            "この製品（培養上清液・エクソソームなど）は再生医療等安全性確保法の対象外で、提出する計画がありません。"
            "「厚生労働省に登録」などの表示は誤解を招きます。",
            "This product (culture supernatant, exosomes, …) is outside the Act: there is no plan to file, so a "
            "claim of MHLW registration for it is misleading.",
            "outside the Act: no plan exists / 法の対象外",
            "warn",
            "not covered by the Act, e.g. culture supernatant",
            "outside",
            "outside_asrm",
            badge=("法の対象外", "Outside the Act"),
        ),
    )
}
#: the clinic page's words for an offering the verifier has not judged yet
UNCHECKED = VerdictTerm(
    "", "まだ照合していません。", "Not checked against the registry yet.", "not checked yet / 未照合", "none", "", "", "",
    badge=("未照合", "Not checked yet"),
)

FLAGS: dict[str, FlagTerm] = {
    f.code: f
    for f in (
        FlagTerm("enforcement_action", "行政処分・命令の対象", "Subject of an enforcement order",
             "the clinic was named in an enforcement order"),
        FlagTerm("approval_wording", "「認可」「承認」などの誤った表示",
             "Says 'approved' or 'licensed': the law has no such approval",
             "'approved'/認可: a plan is a filing, not an approval"),
        FlagTerm("missing_ad_disclosures", "広告に必要な表示が見当たらない", "Required advertising disclosures not found",
             "the disclosures required in advertising self-pay regenerative medicine are missing"),
        FlagTerm("number_inconsistent", "番号と所在地・治療が合わない",
             "A number that does not fit its prefecture or therapy", "bureau or class that does not fit"),
        FlagTerm("committee_number_as_registration", "委員会の認定番号を登録番号として表示",
             "Shows a committee's number as if it were the clinic's registration",
             "a certified committee's number printed as the clinic's registration"),
        FlagTerm("number_claimed_by_other_clinic", "他院と同じ番号を表示", "Shows a number another clinic also claims",
             "a number that belongs to, or is also printed by, another clinic"),
        FlagTerm("similar_facility_elsewhere", "名称の似た別の施設に計画あり（同じ施設とは確認できない）",
             "A facility with a similar name has plans, but nothing shows it is this clinic",
             "a registry facility whose name resembles the clinic's, ruled out by its place or a thin name"),
        FlagTerm("price_differs_from_filing", "掲載価格と提出書類の治療費が異なる",
             "The advertised price differs from the price in the filed plan's document",
             "a yen price on the clinic's page that no treatment price in its matched plan's documents equals "
             "(either tax basis); informational, a clinic may have updated one of them"),
    )
}


def codes_in_words(codes) -> str:
    """``a, b or c``: how metadata column descriptions list the codes."""
    codes = list(codes)
    return ", ".join(codes[:-1]) + " or " + codes[-1] if len(codes) > 1 else "".join(codes)
