"""Amount kinds in plan documents: invented text in the shapes real documents print, and the labelled real set."""

from __future__ import annotations

import pytest

from saisei.document_scores import LABELS, TEXTS, baseline, load, score_split
from scrapers.parsers.document_amounts import DOCUMENT_KINDS, read_amounts
from scrapers.parsers.offer_context import AMOUNT_KINDS


def kinds(text: str) -> list[tuple[int, str]]:
    return [(a["amount_min"], a["kind"]) for a in read_amounts(text)]


def test_document_kinds_are_the_clinic_kinds_folded():
    assert set(DOCUMENT_KINDS) <= set(AMOUNT_KINDS)


def test_a_cancellation_passage_makes_its_rows_cancellation_charges_whatever_they_name():
    text = ("当院所定の施術料として66,000円(税込)をお支払いいただきます。"
            "ただし下記のキャンセル料は申し受けます 採血後~加工前 6,600 円(税込) 加工後~投与前 44,000 円(税込)")
    assert kinds(text) == [(66_000, "treatment"), (6_600, "cancellation"), (44_000, "cancellation")]


def test_withdrawal_after_harvest_is_not_the_price():
    text = "本治療の費用は1回 1,210,000円(税込)です。脂肪採取後に同意を撤回された場合は 1,000,000 円をご負担いただきます。"
    assert kinds(text) == [(1_210_000, "treatment"), (1_000_000, "cancellation")]


def test_fees_in_one_table_with_the_treatment():
    text = ("費用(税別) 初診料 4,000 円 感染症検査 12,000 円 幹細胞投与(1 回) 1,800,000 円 "
            "細胞保管料(年間) 90,000 円 書類作成料 2,000 円")
    found = read_amounts(text)
    assert [(a["amount_min"], a["kind"]) for a in found] == [
        (4_000, "test"), (12_000, "test"), (1_800_000, "treatment"), (90_000, "storage"), (2_000, "other")]
    assert {a["tax"] for a in found} == {"excluded"}  # the column header says it once
    assert found[2]["unit"] == "session"


def test_insurance_and_other_facilities_are_comparisons_but_not_covered_is_the_price():
    text = ("本治療は保険適用外のため全額自己負担です。施術料 88,000円(税込)。"
            "ヒアルロン酸注射 保険適用:1,500 円前後/回 人工関節置換術 約 300,000-450,000円(3割負担の場合)")
    assert kinds(text) == [(88_000, "treatment"), (1_500, "comparison"), (300_000, "comparison")]


def test_a_tax_pair_is_one_price_with_both_amounts():
    found = read_amounts("自家PRPの施術料 40,000 円(税込 44,000 円)")
    assert len(found) == 1
    assert (found[0]["amount_min"], found[0]["amount_excluding_tax"], found[0]["tax"]) == (44_000, 40_000, "included")


def test_variants_name_the_kit_the_knees_and_the_session():
    text = "費用(税込) PRP 片側 ACP 44,000 円 ACP MAX 176,000 円 PRP 両側 ACP MAX 330,000 円。幹細胞 初回 1,100,000円、2回目以降 770,000円"
    found = read_amounts(text)
    assert [(a["product"], a["unit"]) for a in found[:3]] == [("ACP", "knee"), ("ACP MAX", "knee"), ("ACP MAX", "both_knees")]
    assert [a["session"] for a in found[3:]] == ["first", "repeat"]
    assert all(a["tax"] == "included" for a in found)


def test_a_document_without_amounts_has_none():
    assert read_amounts("細胞の提供に際して費用は発生しません。") == []


@pytest.mark.skipif(not TEXTS.exists(), reason="../shared/data/plan_doc_texts.jsonl is absent")
@pytest.mark.parametrize("split", ["dev", "test"])
def test_treatment_prices_on_the_labelled_real_documents(split):
    documents, text_of = load(LABELS, TEXTS)
    chosen = [d for d in documents if d["split"] == split]
    ours, old = score_split(chosen, text_of, read_amounts), score_split(chosen, text_of, baseline)
    treatment = ours["kinds"]["treatment"]
    assert treatment.precision >= 0.9 and treatment.recall >= 0.9
    assert treatment.precision > old["kinds"]["treatment"].precision
    assert ours["kinds"]["cancellation"].recall >= 0.9
