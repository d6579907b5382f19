"""A synthetic two-language parallel corpus generated from a bilingual lexicon (test helper).

Language A uses words ``aNN``, language B ``bNN`` translating them. Each sentence is about one
of a few topics, and each topic prefers its own words (sparse Dirichlet weights), so every
word gets its own context distribution, as in real text. B sentences reverse A's word order and
add a B-only function word, so positions differ as in real language pairs.
"""

from __future__ import annotations

import numpy as np

CONCEPTS = 40
TOPICS = 10


def lexicon(n: int = CONCEPTS) -> dict[str, str]:
    return {f"a{i:02d}": f"b{i:02d}" for i in range(n)}


def synthetic_pairs(
    sentences: int = 800, seed: int = 7, n: int = CONCEPTS, topics: int = TOPICS
) -> list[tuple[list[str], list[str]]]:
    rng = np.random.default_rng(seed)
    lex = lexicon(n)
    words = sorted(lex)
    weights = rng.dirichlet(np.full(n, 0.3), size=topics)
    # no word without a topic that uses it
    weights = (weights + 0.002) / (weights + 0.002).sum(axis=1, keepdims=True)
    pairs = []
    for _ in range(sentences):
        topic = weights[rng.integers(topics)]
        size = int(rng.integers(4, 9))
        src = [words[i] for i in rng.choice(n, size=size, replace=False, p=topic)]
        tgt = [lex[w] for w in reversed(src)]
        tgt.insert(int(rng.integers(len(tgt) + 1)), ["bx", "by", "bz"][int(rng.integers(3))])
        pairs.append((src, tgt))
    return pairs
