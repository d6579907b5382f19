"""A straightforward ABLEU, written to read like the formula in the spec (§2–3).

It loops over distinct candidate n-grams and reference n-grams in pure Python: quadratic per
pair and slow, which is why the scorers do not use it. It exists to check the vectorised
:class:`~workbench.scoring.ableu.AbleuScorer` against, and as the baseline of the speed
benchmark.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence


def ngram_counts(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def reference_ableu(
    candidate: Sequence[str],
    references: Sequence[Sequence[str]],
    sim: Callable[[str, str], float],
    order: int = 2,
) -> float:
    """ABLEU of tokenised ``candidate`` against tokenised ``references`` (no smoothing)."""
    if not candidate or not references:
        return 0.0
    log_precision = 0.0
    for n in range(1, order + 1):
        cand = ngram_counts(candidate, n)
        total = sum(cand.values())
        if total == 0:
            return 0.0
        clipped = 0.0
        for g, count in cand.items():
            best = 0.0
            for ref in references:
                for h, ref_count in ngram_counts(ref, n).items():
                    s = math.prod(sim(a, b) for a, b in zip(g, h, strict=True)) ** (1.0 / n)
                    best = max(best, ref_count * s)
            clipped += min(count, best)
        if clipped <= 0:
            return 0.0
        log_precision += math.log(clipped / total)
    c = len(candidate)
    r = min((len(ref) for ref in references), key=lambda length: (abs(length - c), length))
    bp = 0.0 if c > r else 1.0 - r / c
    return math.exp(log_precision / order + bp)


def exact_similarity(a: str, b: str) -> float:
    return 1.0 if a == b else 0.0
