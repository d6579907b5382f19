"""A simulated judge that consults a gold alignment (for measuring the report without people).

Verdicts: ``correct`` when the pair is exactly a gold alignment; ``unsure`` when it shares at
least one source–target link with gold (a partial pair: part of a 1–2 judged alone, or one
sentence too many), which a human judge might call either way; ``incorrect`` otherwise. It is a
stand-in for a person, stated as such wherever its figures are shown.
"""

from __future__ import annotations

from collections.abc import Sequence

Pair = tuple[tuple[int, ...], tuple[int, ...]]


class GoldJudge:
    def __init__(self, gold: Sequence[Pair]) -> None:
        self.exact = {(tuple(s), tuple(t)) for s, t in gold}
        self.links = {(i, j) for s, t in gold for i in s for j in t}

    def verdict(self, source_ids: Sequence[int], target_ids: Sequence[int]) -> str:
        pair = (tuple(source_ids), tuple(target_ids))
        if pair in self.exact:
            return "correct"
        if any((i, j) in self.links for i in pair[0] for j in pair[1]):
            return "unsure"
        return "incorrect"
