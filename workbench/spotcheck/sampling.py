"""Seeded random samples of alignment units, optionally stratified with proportional allocation.

A sample is reproducible: the same candidates (in any order) and the same seed give the same
sample, because candidates are put in a canonical order (by pair) before drawing.

Why proportional allocation keeps the plain accuracy unbiased: every unit then has exactly
the same chance n/N of being drawn (a stratum's share n·N_h/N is rarely whole; it is rounded
up or down at random, up with the probability of its fraction, so that each stratum's
expected count is its share: rounding it the same way for every seed gave units of one
stratum a chance of 0.15 and of another 0.24 where n/N was 0.2), so the sample's share of correct pairs estimates
the population's, and the sample restricted to any subset (e.g. the pairs one of two scorers
suggested) is again an equal-probability sample of that subset. That is what lets one sample,
judged once, serve several scorers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.errors import InputError

PairKey = tuple[int, tuple[int, ...], tuple[int, ...]]  # (document id, source ids, target ids)

# Score bands for stratifying and for accuracy per band: [0, .1), [.1, .2), [.2, .3), [.3, .5),
# [.5, ...). Sentence-level BLEU/ABLEU of order 2 rarely exceeds 0.5 for a correct pair, and
# pairs below 0.1 are where the wrong ones collect, so the bands are narrow at the low end.
DEFAULT_BANDS: tuple[float, ...] = (0.1, 0.2, 0.3, 0.5)
NO_SCORE = "no score"

STRATA = ("score", "document")


@dataclass(frozen=True)
class Candidate:
    """A unit that can be sampled: a pair of sentence-id groups in a document, and its score."""

    doc_id: int
    source_ids: tuple[int, ...]
    target_ids: tuple[int, ...]
    score: float | None = None

    @property
    def key(self) -> PairKey:
        return (self.doc_id, tuple(self.source_ids), tuple(self.target_ids))


def band_labels(edges: Sequence[float] = DEFAULT_BANDS) -> list[str]:
    """Names of the score bands, lowest first, then ``no score``."""
    labels = [f"< {edges[0]:g}"] if edges else []
    labels += [f"{lo:g}–{hi:g}" for lo, hi in itertools.pairwise(edges)]
    labels += [f"≥ {edges[-1]:g}"] if edges else ["all"]
    return [*labels, NO_SCORE]


def score_band(score: float | None, edges: Sequence[float] = DEFAULT_BANDS) -> str:
    """The band label of ``score`` (``no score`` for length-based units without one)."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return NO_SCORE
    labels = band_labels(edges)
    return labels[int(np.searchsorted(np.asarray(edges, dtype=float), score, side="right"))]


def proportional_allocation(sizes: Sequence[int], n: int) -> list[int]:
    """Split ``n`` draws over strata of ``sizes`` in proportion (largest remainder method)."""
    total = sum(sizes)
    if n > total:
        raise InputError(f"cannot draw {n} from {total} units")
    if total == 0:
        return [0] * len(sizes)
    quotas = [n * s / total for s in sizes]
    counts = [math.floor(q) for q in quotas]
    # Ties in the remainder go to the earlier stratum, so the result is deterministic.
    order = sorted(range(len(sizes)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def random_allocation(sizes: Sequence[int], n: int, rng: np.random.Generator) -> list[int]:
    """Split ``n`` draws over strata of ``sizes`` so that each stratum's *expected* count is
    exactly its share ``n·size/total``: every count is its share rounded down or up, up with
    the probability of the share's fraction (systematic sampling of the fractions from one
    random start), and the counts sum to ``n``."""
    total = sum(sizes)
    if n > total:
        raise InputError(f"cannot draw {n} from {total} units")
    if total == 0:
        return [0] * len(sizes)
    # Exact integer arithmetic: the fraction of stratum i is rem[i] / total.
    counts = [n * s // total for s in sizes]
    rem = [n * s % total for s in sizes]
    start = rng.random() * total  # one random start in [0, total)
    cum = 0
    for i, r in enumerate(rem):
        # stratum i gets one more when a point start + k·total falls in [cum, cum + r)
        lo, hi = cum, cum + r
        extra = math.floor((hi - start) / total) - math.floor((lo - start) / total)
        counts[i] += extra
        cum = hi
    return counts


def stratum_of(stratify: str | None, edges: Sequence[float]) -> Callable[[Candidate], Hashable]:
    if stratify is None:
        return lambda c: 0
    if stratify == "score":
        return lambda c: score_band(c.score, edges)
    if stratify == "document":
        return lambda c: c.doc_id
    raise InputError(f"unknown stratification {stratify!r}; choose one of {', '.join(STRATA)}")


def draw_sample(
    candidates: Iterable[Candidate],
    size: int,
    *,
    seed: int,
    stratify: str | None = None,
    bands: Sequence[float] = DEFAULT_BANDS,
) -> list[Candidate]:
    """A simple (or stratified, proportionally allocated) random sample without replacement.

    Duplicate pairs are counted once. The result is in random (seeded) order, which is the
    order to judge in: judging in document order would let one bad region colour the rest.
    """
    unique = {c.key: c for c in candidates}
    pool = [unique[k] for k in sorted(unique)]
    if size < 0:
        raise InputError(f"sample size must not be negative, got {size}")
    if size > len(pool):
        raise InputError(f"sample size {size} is larger than the {len(pool)} units to sample")
    rng = np.random.default_rng(seed)
    key = stratum_of(stratify, bands)
    strata: dict[Hashable, list[Candidate]] = {}
    for c in pool:
        strata.setdefault(key(c), []).append(c)
    names = sorted(strata, key=str)
    counts = random_allocation([len(strata[s]) for s in names], size, rng)
    chosen: list[Candidate] = []
    for name, count in zip(names, counts, strict=True):
        members = strata[name]
        picks = rng.choice(len(members), size=count, replace=False)
        chosen.extend(members[i] for i in sorted(picks))
    order = rng.permutation(len(chosen))
    return [chosen[i] for i in order]
