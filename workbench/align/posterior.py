"""Bead posteriors over the dynamic programme's lattice (forward–backward), and confidences.

The banded dynamic programme (:mod:`workbench.align.banded_dp`) gives every bead a cost; read as
−log of an unnormalised probability at a temperature ``T`` (probability ∝ exp(−cost / T)),
the lattice is a distribution over monotone paths. Forward–backward sums it: the posterior of
a bead is the probability mass of all paths through it, i.e. the model's own probability that
the unit is exactly right, rivals (a neighbour merged in, the boundary shifted by one) taking
their share. The same lattice gives each sentence's probability of being left unaligned (the
mass of the 1–0 / 0–1 beads that cover it).

A posterior is not yet a calibrated probability (the DP's costs are not log-probabilities,
and a unit between unsure neighbours is often part of a larger true unit):
:func:`with_deletions` maps the posterior and what surrounds the unit through a fixed
logistic curve (:mod:`workbench.align.calibration`), fitted once on other documents
(benchmarks/confidence.py --fit; docs/confidence.md). Nothing here reads a gold alignment.
"""

from __future__ import annotations

import copy
import math
import operator

import numpy as np

from workbench.align.banded_dp import Lattice
from workbench.align.calibration import (
    UnitTexts,
    confidence,
    deletion_confidence,
    unit_features,
)
from workbench.align.units import AlignmentUnit

Ids = tuple[int, ...]
Pair = tuple[Ids, Ids]

# Temperature of the bead costs (in the DP's own units: −log prior, length cost, weight ×
# score): 1 (2, 3, 5, 8 ranked units no better on textberg-dev; docs/confidence.md).
TEMPERATURE = 1.0

_NEG = -np.inf


# The last lattice's cell layout (:func:`_layout`): the evidence EM sums several lattices of one
# article, which share their cells (the same lo, hi and offset arrays) and differ in costs.
_LAYOUT: list[tuple] = []


def _layout(lattice: Lattice, cross: list[tuple[int, int]]) -> tuple[np.ndarray, ...]:
    """Every cell's predecessor through every bead from an earlier row, located once (the slot
    ``size`` stays −inf: outside the band), and the successor it is reached from in the
    backward pass, as four index tables over beads × cells laid out row by row (each row's
    block of beads × its columns contiguous): the predecessors, the successors, and where in
    the (beads × cells + 1) weights each slot's bead weight and its successor's bead weight
    are. A row is then one gather, one addition and one log-sum-exp over beads × columns,
    taken in bead order as the straightforward loop over beads took it
    (tests/test_speed_identity.py checks alpha and beta equal to the bit). Kept for the next
    lattice with the same cells."""
    n, lo, hi, offset = lattice.n, lattice.lo, lattice.hi, lattice.offset
    key = (tuple(cross), n)
    held = _LAYOUT[0] if _LAYOUT else None  # read once: another thread may replace it
    if held and held[0] == key and all(map(operator.is_, held[1], (lo, hi, offset))):
        return held[2]
    size = int(offset[-1])
    beads = len(cross)
    rows = np.repeat(np.arange(n + 1), np.diff(offset))
    cols = np.arange(size) - offset[rows] + lo[rows]
    pred = np.full((beads, size), size, dtype=np.int64)
    succ = np.full((beads, size + 1), size, dtype=np.int64)
    for x, (di, dj) in enumerate(cross):
        pi, pj = rows - di, cols - dj
        ok = pi >= 0
        ok[ok] &= (pj[ok] >= lo[pi[ok]]) & (pj[ok] <= hi[pi[ok]])
        ends = np.flatnonzero(ok)
        pred[x, ends] = offset[pi[ends]] + pj[ends] - lo[pi[ends]]
        succ[x, pred[x, ends]] = ends
    slot = np.arange(size)
    place = (beads * offset[rows] + slot - offset[rows])[None, :] + (
        np.arange(beads)[:, None] * np.diff(offset)[rows][None, :]
    )
    bead = np.arange(beads)[:, None] * (size + 1)
    tables = []
    for table in (pred, succ[:, :size], bead + slot[None, :], bead + succ[:, :size]):
        flat = np.empty(beads * size, dtype=np.int64)
        flat[place.ravel()] = table.ravel()
        tables.append(flat)
    layout = tuple(tables)
    _LAYOUT[:] = [(key, (lo, hi, offset), layout)]
    return layout


class Posteriors:
    """Forward–backward sums over one lattice at temperature ``temperature``."""

    def __init__(self, lattice: Lattice, temperature: float = TEMPERATURE):
        self.lattice = lattice
        self.temperature = temperature
        n, offset = lattice.n, lattice.offset
        t = float(temperature)
        # Log-weights of each bead type ending at each cell.
        self.logw = {k: -c / t for k, c in lattice.bead_cost.items()}
        cross = [(di, dj) for (di, dj) in self.logw if di]
        w01 = self.logw.get((0, 1))
        size = int(offset[-1])
        beads = len(cross)
        pred_r, succ_r, w_at, succ_w_at = _layout(lattice, cross)
        if beads:
            weights = np.full((beads, size + 1), _NEG)
            for x, key in enumerate(cross):
                weights[x, :size] = self.logw[key]
            flat_w = weights.reshape(-1)
            weights_r, succ_w_r = flat_w[w_at], flat_w[succ_w_at]
        bounds = offset.tolist()
        # Per row, the prefix sums of its 0–1 beads' weights (the same in both passes).
        prefs: list[np.ndarray | None] = [None] * (n + 1)
        if w01 is not None:
            for i in range(n + 1):
                a, b = bounds[i], bounds[i + 1]
                if b - a > 1:
                    prefs[i] = np.concatenate([[0.0], np.cumsum(w01[a + 1 : b])])
        alpha = np.full(size + 1, _NEG)
        beta = np.full(size + 1, _NEG)
        accumulate, reduce = np.logaddexp.accumulate, np.logaddexp.reduce
        with np.errstate(invalid="ignore", over="ignore"):
            # Forward, one row at a time (as the Viterbi pass).
            for i in range(n + 1):
                a, b = bounds[i], bounds[i + 1]
                if i == 0 or not beads:
                    acc = np.full(b - a, _NEG)
                    if i == 0:
                        acc[0] = 0.0
                else:
                    block = slice(beads * a, beads * b)
                    acc = alpha[pred_r[block]]
                    acc += weights_r[block]
                    acc = reduce(acc.reshape(beads, b - a), axis=0)
                pref = prefs[i]
                if pref is not None:
                    # alpha[j] = logaddexp(acc[j], alpha[j−1] + w01[j]): a linear recurrence,
                    # solved with prefix sums P[j] = Σ_{l ≤ j} w01[l] (l > lo).
                    acc = pref + accumulate(acc - pref)
                alpha[a:b] = acc
            # Backward, from the last row up.
            for i in range(n, -1, -1):
                a, b = bounds[i], bounds[i + 1]
                if i == n or not beads:
                    acc = np.full(b - a, _NEG)
                    if i == n:
                        acc[-1] = 0.0  # cell (n, m)
                else:
                    block = slice(beads * a, beads * b)
                    acc = beta[succ_r[block]]
                    acc += succ_w_r[block]
                    acc = reduce(acc.reshape(beads, b - a), axis=0)
                pref = prefs[i]
                if pref is not None:
                    # beta[j] = logaddexp(acc[j], beta[j+1] + w01[j+1]).
                    acc = -pref + accumulate((acc + pref)[::-1])[::-1]
                beta[a:b] = acc
        alpha, beta = alpha[:size], beta[:size]
        self.alpha, self.beta = alpha, beta
        self.log_z = float(alpha[-1])

    def of(self, lattice: Lattice) -> Posteriors:
        """These sums as ``lattice``'s, a copy of this lattice with other metadata (the same
        cells and bead costs: the sums are the same)."""
        assert lattice.bead_cost is self.lattice.bead_cost and lattice.offset is self.lattice.offset
        other = copy.copy(self)
        other.lattice = lattice
        return other

    def bead(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> float:
        """Posterior probability of the bead joining exactly these consecutive local ids."""
        lat = self.lattice
        if not src or not tgt:
            if src and len(src) == 1:
                return float(self.unaligned_source()[src[0]])
            if tgt and len(tgt) == 1:
                return float(self.unaligned_target()[tgt[0]])
            return 0.0
        key = (len(src), len(tgt))
        if key not in self.logw:
            return 0.0
        end = lat.cell(src[-1] + 1, tgt[-1] + 1)
        start = lat.cell(src[0], tgt[0])
        if end < 0 or start < 0 or not math.isfinite(self.log_z):
            return 0.0
        value = self.alpha[start] + self.logw[key][end] + self.beta[end] - self.log_z
        return float(min(1.0, math.exp(value))) if math.isfinite(value) else 0.0

    def unaligned_source(self) -> np.ndarray:
        """Per source sentence: posterior probability that a 1–0 bead leaves it unaligned."""
        if not hasattr(self, "_del_src"):
            self._del_src = self._deletions((1, 0))
        return self._del_src

    def unaligned_target(self) -> np.ndarray:
        """Per target sentence: posterior probability that a 0–1 bead leaves it unaligned."""
        if not hasattr(self, "_del_tgt"):
            self._del_tgt = self._deletions((0, 1))
        return self._del_tgt

    def _deletions(self, key: tuple[int, int]) -> np.ndarray:
        lat = self.lattice
        size = lat.n if key == (1, 0) else lat.m
        out = np.zeros(size)
        w = self.logw.get(key)
        if w is None or not math.isfinite(self.log_z):
            return out
        di, dj = key
        ci = np.repeat(np.arange(lat.n + 1), lat.hi - lat.lo + 1)
        cj = np.arange(int(lat.offset[-1])) - lat.offset[ci] + lat.lo[ci]
        pi, pj = ci - di, cj - dj
        ok = (pi >= 0) & (pj >= 0)
        ok[ok] &= (pj[ok] >= lat.lo[pi[ok]]) & (pj[ok] <= lat.hi[pi[ok]])
        ends = np.flatnonzero(ok)
        starts = lat.offset[pi[ends]] + pj[ends] - lat.lo[pi[ends]]
        with np.errstate(invalid="ignore", over="ignore"):
            mass = np.exp(self.alpha[starts] + w[ends] + self.beta[ends] - self.log_z)
        mass = np.nan_to_num(mass)
        which = (ci[ends] - 1) if key == (1, 0) else (cj[ends] - 1)
        np.add.at(out, which, mass)
        return np.clip(out, 0.0, 1.0)


def posteriors(lattice: Lattice) -> Posteriors:
    """``Posteriors(lattice)`` at the default temperature, computed once per lattice (kept
    with it: the evidence EM sums the lattice it may return as it is, and the aligner then
    needs the same sums)."""
    held = lattice.__dict__.get("_posteriors")
    if held is None:
        held = lattice.__dict__["_posteriors"] = Posteriors(lattice)
    return held


def bead_posterior_arrays(post: Posteriors) -> dict[tuple[int, int], np.ndarray]:
    """Per bead type, the posterior of that bead ending at each cell (0 where impossible)."""
    lat = post.lattice
    out = {}
    cells = _bead_cells(lat, tuple(post.logw))
    for ((di, dj), w), (ends, starts) in zip(post.logw.items(), cells, strict=True):
        arr = np.zeros(int(lat.offset[-1]))
        with np.errstate(invalid="ignore", over="ignore"):
            arr[ends] = np.nan_to_num(
                np.exp(post.alpha[starts] + w[ends] + post.beta[ends] - post.log_z)
            )
        out[(di, dj)] = arr
    return out


_BEAD_CELLS: list[tuple] = []  # the last lattice's (as _LAYOUT)


def _bead_cells(
    lat: Lattice, keys: tuple[tuple[int, int], ...]
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per bead type, the cells a bead of that type can end at and the cells it then starts
    at; kept for the next lattice with the same cells (the evidence EM's)."""
    held = _BEAD_CELLS[0] if _BEAD_CELLS else None  # read once: another thread may replace it
    if held and held[0] == keys and all(map(operator.is_, held[1], (lat.lo, lat.hi, lat.offset))):
        return held[2]
    ci = np.repeat(np.arange(lat.n + 1), lat.hi - lat.lo + 1)
    cj = np.arange(int(lat.offset[-1])) - lat.offset[ci] + lat.lo[ci]
    cells = []
    for di, dj in keys:
        pi, pj = ci - di, cj - dj
        ok = (pi >= 0) & (pj >= 0)
        ok[ok] &= (pj[ok] >= lat.lo[pi[ok]]) & (pj[ok] <= lat.hi[pi[ok]])
        ends = np.flatnonzero(ok)
        cells.append((ends, lat.offset[pi[ends]] + pj[ends] - lat.lo[pi[ends]]))
    _BEAD_CELLS[:] = [(keys, (lat.lo, lat.hi, lat.offset), cells)]
    return cells


def mea_lattice(post: Posteriors, gain: float = 0.0) -> Lattice:
    """A lattice whose cheapest path maximises the summed posterior (minus ``gain`` per pair
    bead): maximum expected accuracy decoding."""
    from dataclasses import replace

    arrays = bead_posterior_arrays(post)
    cost = {}
    for k, arr in arrays.items():
        c = -(arr - (gain if k[0] and k[1] else 0.0))
        cost[k] = np.where(np.isfinite(post.lattice.bead_cost[k]), c, np.inf)
    return replace(post.lattice, bead_cost=cost)


def with_deletions(
    kept: dict[Pair, tuple[float | None, str, float]],
    n_source: int,
    n_target: int,
    unaligned_source: np.ndarray,
    unaligned_target: np.ndarray,
    texts: UnitTexts | None = None,
    key: str = "bleu-mt",
) -> list[AlignmentUnit]:
    """Units in document order, with every sentence no unit covers as a 1–0 or 0–1 unit.

    Confidences: each pair's posterior from the lattice, calibrated together with its
    neighbours' and the words it shares with them (``texts``; map ``key``, see
    :mod:`workbench.align.calibration`); a sentence left unaligned: the lattice's posterior
    that it is unaligned."""
    units = sorted(kept.items(), key=lambda kv: (kv[0][0][0], kv[0][1][0]))
    used_s = {i for (s, _), _v in units for i in s}
    used_t = {j for (_, t), _v in units for j in t}
    raw: list[tuple[Pair, float | None, str, float]] = []
    next_s = next_t = 0

    def flush(upto_s: int, upto_t: int) -> None:
        nonlocal next_s, next_t
        while next_s < upto_s:
            if next_s not in used_s:
                raw.append((((next_s,), ()), None, "unaligned", float(unaligned_source[next_s])))
            next_s += 1
        while next_t < upto_t:
            if next_t not in used_t:
                raw.append((((), (next_t,)), None, "unaligned", float(unaligned_target[next_t])))
            next_t += 1

    for (s, t), (score, method, posterior) in units:
        flush(min(s), min(t))
        raw.append(((s, t), score, method, posterior))
        next_s, next_t = max(next_s, max(s) + 1), max(next_t, max(t) + 1)
    flush(n_source, n_target)

    def unaligned(ids: Ids, side: np.ndarray) -> float:
        near = [side[k] for k in (ids[0] - 1, ids[-1] + 1) if 0 <= k < len(side)] if ids else []
        return float(max(near, default=0.0))

    rows = [(s, t, score, posterior) for (s, t), score, _method, posterior in raw]
    scores = [score or 0.0 for s, t, score, _p in rows if s and t]
    mean_score = float(np.mean(scores)) if scores else 0.0
    out: list[AlignmentUnit] = []
    for k, ((s, t), score, method, posterior) in enumerate(raw):
        if s and t:
            adjacent = max(unaligned(s, unaligned_source), unaligned(t, unaligned_target))
            features = unit_features(rows, k, adjacent, texts, mean_score)
            conf = confidence(features, key)
        else:
            conf = deletion_confidence(posterior)
        out.append(AlignmentUnit(s, t, score, method, conf))
    return out
