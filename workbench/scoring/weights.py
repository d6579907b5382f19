"""How much a word match tells: inverse document frequency over a document's sentences.

Qt-free and language-independent: no stop list. A word found in most sentences of the
document ("de", "la", "the", "는") says little when it also occurs on the other side of a pair;
a word found in one or two sentences (a name, a number, a content word) says a lot. The review
window shades each matched word by :meth:`WordWeights.weight`: 0 (unshaded) for words in a
eighth of the sentences or more, 1 (full shade) for words in at most ``max(2 %, one)`` of them,
and in between on a log scale. Punctuation always weighs 0.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable

COMMON_SHARE = 0.12  # a word in this share of the sentences or more tells nothing
RARE_SHARE = 0.02  # a word in this share or less (or in one sentence) tells everything


def is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


class WordWeights:
    """Document frequencies of tokens over ``n`` sentences, and the shade weight they give."""

    def __init__(self, df: dict[str, int], n: int) -> None:
        self.df = df
        self.n = n
        rare = max(RARE_SHARE, 1.0 / n) if n else 1.0
        common = max(COMMON_SHARE, 2 * rare)
        self._lo = math.log(1.0 / common)  # idf at and below which the weight is 0
        self._hi = math.log(1.0 / rare)  # idf at and above which it is 1

    @classmethod
    def from_sentences(
        cls, sentences: Iterable[str], tokenize: Callable[[str], list[str]]
    ) -> WordWeights:
        df: Counter[str] = Counter()
        n = 0
        for sentence in sentences:
            if not sentence:
                continue
            n += 1
            df.update(set(tokenize(sentence)))
        return cls(dict(df), n)

    def share(self, token: str) -> float:
        """The share of sentences containing ``token`` (a token never seen counts as one)."""
        if not self.n:
            return 0.0
        return max(self.df.get(token, 1), 1) / self.n

    def idf(self, token: str) -> float:
        return math.log(self.n / max(self.df.get(token, 1), 1)) if self.n else 0.0

    def weight(self, token: str) -> float:
        """How much a match of ``token`` tells, in [0, 1] (see the module docstring)."""
        if not is_word(token):
            return 0.0
        if not self.n:
            return 1.0
        idf = self.idf(token)
        return min(1.0, max(0.0, (idf - self._lo) / (self._hi - self._lo)))

    def describe(self, token: str) -> str:
        """ "in 3 of 468 sentences" for tooltips."""
        df = self.df.get(token, 0)
        return f"in {df} of {self.n} sentences" if self.n else ""
