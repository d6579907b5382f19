"""How often this document leaves a sentence without counterpart, estimated from the document.

Gale–Church's prior for a 1–0 / 0–1 bead (1 %) is right for a clean parallel text and far off
for a comparable one, where a third of each side may have no counterpart; a curator does not
know which one a crawl gave. The lattice can tell: forward–backward over it gives the expected
number of beads of each type, and re-estimating the share of deletions from them and summing
again (expectation–maximisation over that one parameter, the other beads keeping their
relative priors) converges to the rate this document's scores and lengths support. A pair of
sentences that score no better than random pairs then costs more than leaving both alone
exactly when the document has many sentences left alone elsewhere.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from workbench.align.banded_dp import BEADS, Lattice
from workbench.align.posterior import Posteriors, bead_posterior_arrays, posteriors

Ids = tuple[int, ...]

# Bounds of the estimated share of deletions among beads: never below Gale–Church's (a clean
# text keeps its prior), never above a half.
MIN_DELETION_RATE = 0.0099
MAX_DELETION_RATE = 0.5


def deletion_rate(post: Posteriors) -> float:
    """Expected share of 1–0 / 0–1 beads among all beads of the lattice's paths."""
    arrays = bead_posterior_arrays(post)
    counts = {k: float(a.sum()) for k, a in arrays.items()}
    total = sum(counts.values())
    if not total or not math.isfinite(total):
        return MIN_DELETION_RATE
    return (counts.get((1, 0), 0.0) + counts.get((0, 1), 0.0)) / total


def deletion_share(deletion_cost: float | None) -> float:
    """The share of deletions among beads that a flat 1–0 / 0–1 cost assumes (None: the
    lattice's default, Gale–Church's prior)."""
    return 2 * BEADS[(1, 0)] if deletion_cost is None else 2 * math.exp(-deletion_cost)


def with_deletion_rate(lattice: Lattice, old: float, new: float) -> Lattice:
    """The lattice with its deletion prior moved from ``old`` to ``new`` (the share of
    deletions among beads; 1–0 and 0–1 each get half), the other beads' priors scaled so that
    all still sum to one."""
    shift_del = -math.log(new / old)
    shift_pair = -math.log((1 - new) / (1 - old))
    cost = {
        k: c + (shift_pair if k[0] and k[1] else shift_del) for k, c in lattice.bead_cost.items()
    }
    return replace(lattice, bead_cost=cost)


def reestimate_deletions(
    lattice: Lattice, start: float, rounds: int = 5, tolerance: float = 0.005
) -> tuple[Lattice, float]:
    """The lattice with its deletion prior re-estimated by expectation–maximisation, and the
    rate found. ``start``: the share of deletions the lattice's costs assume now."""
    rate = start
    for _ in range(rounds):
        new = float(
            np.clip(deletion_rate(Posteriors(lattice)), MIN_DELETION_RATE, MAX_DELETION_RATE)
        )
        lattice = with_deletion_rate(lattice, rate, new)
        done = abs(new - rate) < tolerance
        rate = new
        if done:
            break
    return lattice, rate


def document_deletions(
    lattice: Lattice,
    assumed: float,
    start: float = 0.1,
    rounds: int = 10,
    min_gain: float = 0.15,
) -> tuple[Lattice, float, float]:
    """(lattice, deletion rate, gain): the lattice with the deletion rate re-estimated from
    ``start`` when that explains the document better than ``assumed`` (the rate its costs
    assume) by more than ``min_gain`` nats of log-likelihood per sentence; else the lattice as
    it was and ``assumed``. The gain is returned either way."""
    before = posteriors(lattice).log_z
    moved, rate = reestimate_deletions(with_deletion_rate(lattice, assumed, start), start, rounds)
    summed = posteriors(moved)
    gain = (summed.log_z - before) / max(lattice.n + lattice.m, 1)
    if math.isfinite(gain) and gain > min_gain:
        kept = replace(moved, deletion_rate=rate)
        kept.__dict__["_posteriors"] = summed.of(kept)  # the same cells and costs
        return kept, rate, gain
    return lattice, assumed, gain


def prune_merges(lattice: Lattice, pairs: list[tuple[Ids, Ids]]) -> list[tuple[Ids, Ids]]:
    """The pairs with each end sentence of a merged unit left out while its unit scores as
    well without it: a merge must raise the match, not just fix the lengths.

    On a comparable document a sentence with no counterpart is often glued onto a neighbouring
    pair whose lengths it evens out (a unit that lost part of one side has the wrong length
    ratio), at no gain in score. Beads without a score (outside the band, or ruled out by
    length) are not considered."""
    out = []
    for src, tgt in pairs:
        while len(src) + len(tgt) > 2:
            whole = lattice.bonus(src, tgt)
            if whole is None:
                break
            subs = ([(src[1:], tgt), (src[:-1], tgt)] if len(src) > 1 else []) + (
                [(src, tgt[1:]), (src, tgt[:-1])] if len(tgt) > 1 else []
            )
            scored = [(b, sub) for sub in subs if (b := lattice.bonus(*sub)) is not None]
            if not scored:
                break
            best, sub = max(scored, key=lambda x: x[0])
            if best < whole:
                break
            src, tgt = sub
        out.append((src, tgt))
    return out


def sentence_backgrounds(
    lattice: Lattice, scores: np.ndarray, neighbours: int = 3
) -> tuple[np.ndarray, np.ndarray]:
    """(per source sentence, per target sentence): the mean of the ``neighbours`` best 1–1
    scores each sentence gets anywhere in the band (``scores``: a 1–1 score per cell; only
    cells whose 1–1 bead is allowed count), 0 where it has none."""
    n, m = lattice.n, lattice.m
    rows = np.repeat(np.arange(n + 1), np.diff(lattice.offset))
    cols = np.arange(lattice.offset[-1]) - lattice.offset[rows] + lattice.lo[rows]
    ok = np.isfinite(lattice.bead_cost[(1, 1)]) & (rows >= 1) & (cols >= 1)
    out = []
    for ids, size in ((rows[ok] - 1, n), (cols[ok] - 1, m)):
        vals = scores[ok]
        # Per sentence, its scores in descending order: sort by (sentence, −score).
        order = np.lexsort((-vals, ids))
        ids, vals = ids[order], vals[order]
        first = np.searchsorted(ids, ids)  # index of each sentence's first (best) score
        top = np.arange(len(ids)) - first < neighbours
        total = np.bincount(ids[top], vals[top], minlength=size)
        count = np.bincount(ids[top], minlength=size)
        out.append(np.where(count > 0, total / np.maximum(count, 1), 0.0))
    return out[0], out[1]


def with_cross_margin(lattice: Lattice, share: float, neighbours: int = 3) -> Lattice:
    """The lattice with each pair bead's cross-view score counted as a margin: minus ``share``
    × the mean background of its sentences (:func:`sentence_backgrounds` of the cross view's
    1–1 scores; a bead's background is the mean of its source sentences' and of its target
    sentences' backgrounds, averaged), so a pair earns the cross view's bonus for beating
    what its own sentences score against their neighbours, not for scoring above zero (the
    margin of Vecalign / LASER mining, per sentence). Without a cross view: unchanged."""
    cross = lattice.cross_scores.get((1, 1))
    if cross is None or not share or not lattice.cross_weight:
        return lattice
    bg_s, bg_t = sentence_backgrounds(lattice, cross, neighbours)
    cum_s = np.concatenate([[0.0], np.cumsum(bg_s)])
    cum_t = np.concatenate([[0.0], np.cumsum(bg_t)])
    rows = np.repeat(np.arange(lattice.n + 1), np.diff(lattice.offset))
    cols = np.arange(lattice.offset[-1]) - lattice.offset[rows] + lattice.lo[rows]
    penalty = lattice.weight * lattice.cross_weight * share
    cost = {}
    for (di, dj), c in lattice.bead_cost.items():
        if di and dj and (di, dj) in lattice.cross_scores:
            back = 0.5 * (
                (cum_s[rows] - cum_s[np.maximum(rows - di, 0)]) / di
                + (cum_t[cols] - cum_t[np.maximum(cols - dj, 0)]) / dj
            )
            c = c + penalty * back
        cost[(di, dj)] = c
    return replace(lattice, bead_cost=cost, cross_margin=share)
