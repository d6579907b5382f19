"""Gale & Church (1993) length-based sentence alignment, for what MT scores cannot decide."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

# Prior probabilities of alignment types (source count, target count), from the paper.
PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
    (2, 2): 0.011,
}
MEAN_RATIO = 1.0  # expected target characters per source character
VARIANCE = 6.8  # variance of that ratio per source character


def _norm_logsf(z: float) -> float:
    """log of the two-sided tail 2·(1 − Φ(|z|)), floored to stay finite."""
    p = math.erfc(abs(z) / math.sqrt(2))
    return math.log(max(p, 1e-300))


def length_cost(src_len: int, tgt_len: int) -> float:
    if src_len == 0 and tgt_len == 0:
        return 0.0
    mean = (src_len + tgt_len / MEAN_RATIO) / 2
    z = (MEAN_RATIO * src_len - tgt_len) / math.sqrt(VARIANCE * max(mean, 1e-6))
    return -_norm_logsf(z)


def length_probability(
    source_lengths: np.ndarray, target_lengths: np.ndarray, ratio: float = MEAN_RATIO
) -> np.ndarray:
    """Gale–Church probability that texts of these character lengths translate each other.

    Broadcasts: pass column and row vectors for a whole matrix. ``ratio`` is the expected
    target/source length ratio (about 1 for the same language, far from 1 for e.g. ko–en).
    """
    src = np.asarray(source_lengths, dtype=np.float64)
    tgt = np.asarray(target_lengths, dtype=np.float64)
    mean = np.maximum((src + tgt / ratio) / 2, 1e-6)
    z = (ratio * src - tgt) / np.sqrt(VARIANCE * ratio * mean)
    from scipy.special import erfc  # imported when used: 0.15 s at start-up

    return erfc(np.abs(z) / math.sqrt(2))


def gale_church(
    source_lengths: Sequence[int], target_lengths: Sequence[int]
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Align two sequences of lengths (characters); returns index groups, in order."""
    n, m = len(source_lengths), len(target_lengths)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    prior_cost = {k: -math.log(v) for k, v in PRIORS.items()}
    for i in range(n + 1):
        for j in range(m + 1):
            if i == j == 0:
                continue
            best, arg = inf, None
            for (di, dj), pc in prior_cost.items():
                if di > i or dj > j:
                    continue
                prev = cost[i - di][j - dj]
                if prev == inf:
                    continue
                c = (
                    prev
                    + pc
                    + length_cost(sum(source_lengths[i - di : i]), sum(target_lengths[j - dj : j]))
                )
                if c < best:
                    best, arg = c, (di, dj)
            cost[i][j], back[i][j] = best, arg
    out = []
    i, j = n, m
    while i or j:
        step = back[i][j]
        assert step is not None
        di, dj = step
        out.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    out.reverse()
    return out
