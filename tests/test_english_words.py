"""readers.names reads a Latin-letter name's English words through e2k's model once per word, not once per name
(issue 14: names share their words, and the model takes milliseconds a word)."""

from __future__ import annotations

import pytest

from readers import names


@pytest.fixture
def cold_caches():
    names.english_katakana.cache_clear()
    names._english_word.cache_clear()
    yield
    names.english_katakana.cache_clear()
    names._english_word.cache_clear()


def test_each_word_goes_through_the_model_once(cold_caches, monkeypatch):
    asked = []

    def speller(word):
        asked.append(word)
        return word.upper()

    monkeypatch.setattr(names, "_english_speller", lambda: speller)
    assert names.english_katakana("Repair Cell Clinic 1") == "REPAIRCELLクリニック"
    assert names.english_katakana("Repair Cell Clinic 2") == "REPAIRCELLクリニック"
    assert names.english_katakana("CELL repair") == "CELLREPAIR"
    assert asked == ["repair", "cell"]


def test_a_kept_word_reads_as_the_model_reads_it(cold_caches):
    """The model decodes greedily: a word read from what was kept is the word the model gives."""
    first = names.english_katakana("Repair Cell Clinic Sapporo")
    names.english_katakana.cache_clear()
    assert names.english_katakana("Repair Cell Clinic Sapporo") == first
    assert first.startswith("リペアセルクリニック")
    assert names._english_word("trinity") == names._english_speller()("trinity")
