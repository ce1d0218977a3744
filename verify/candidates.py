"""Which registry names could reach a given rapidfuzz ratio, found without scoring the whole registry.

A clinic with no match has its near misses looked for across every facility (not only its prefecture's); with
20,000 plans that was one rapidfuzz scan of 20,000 names a clinic, the largest cost of verifying 100,000 clinics
(issue 14). ``fuzz.ratio`` is 200·LCS / (len(a) + len(b)), so a name reaching ``score`` shares at least
score / (200 − score) of the query's characters with it (LCS ≤ the shorter length bounds the other length).
Of any ``len − that + 1`` positions of the query, one is then among the shared characters: the names holding
one of the query's rarest such characters are a superset of the names that can reach the score, and scoring
only those gives rapidfuzz's own answer.
"""

from __future__ import annotations

import math
from collections import defaultdict


class CharacterIndex:
    """Strings by the characters they contain, to hand :func:`rapidfuzz.process.extract` only the candidates."""

    def __init__(self, strings: list[str]):
        self.strings = strings
        self.postings: dict[str, list[int]] = defaultdict(list)  # char -> indexes, ascending
        for index, text in enumerate(strings):
            for char in set(text):
                self.postings[char].append(index)

    def __len__(self) -> int:
        return len(self.strings)

    def candidates(self, query: str, score: float) -> dict[int, str] | list[str]:
        """Index -> string of every string whose ``fuzz.ratio`` with ``query`` can reach ``score``, in index
        order (rapidfuzz breaks ties by order, so the answer is the same as over the whole list); the whole
        list when the bound prunes too little to be worth it."""
        shared = math.floor(len(query) * score / (200 - score) * 0.98)  # 2% under the bound: never too few
        positions = len(query) - shared + 1
        if shared < 1 or positions > len(query):
            return self.strings
        rarest = sorted(query, key=lambda char: len(self.postings.get(char, ())))[:positions]
        found = set().union(*(self.postings.get(char, ()) for char in rarest))
        if len(found) > len(self.strings) // 2:
            return self.strings
        return {index: self.strings[index] for index in sorted(found)}
