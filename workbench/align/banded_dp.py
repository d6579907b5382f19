"""The banded dynamic programme (the default ``dp`` method): Gale–Church's length-based
alignment with a score bonus per bead, searched in a band around the anchors.

Bleualign trusts anchors from MT scores alone; when the scores are weak (no MT at all, the
source scored against the target in a bilingual word2vec-pair space) they cannot carry the
alignment by themselves, but they still tell a right bead from a wrong one of similar length.
Here every bead (Gale–Church's 1–1, 1–0, 0–1, 2–1, 1–2, 2–2, and with ``max_merge`` > 2 every
a–b up to max_merge on each side) costs −log prior + Gale–Church length cost − ``weight`` ·
score(bead), the score taken on the bead's sentences concatenated, and the cheapest monotone
path is found in a band around the anchor path (or the diagonal), so the scored beads number
O(n · band · beads), not O(n · m). Beads that the length cost alone rules out are not scored.
The programme runs one row at a time, vectorised over the row's columns.

Gale–Church's variance (6.8) is kept; the expected length ratio is estimated per article
(total target / total source characters), and 1–0 / 0–1 beads cost their prior only. With a
translation, beads up to 4–4 gain 5–7 points of strict F1 on textberg-dev over 2–2; the flat
deletions and the estimated ratio gain about 1 more point there and lift the Korean–English
no-MT test document from below the length-only baseline to far above it (docs/evaluation.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from workbench.align.galechurch import MEAN_RATIO, VARIANCE
from workbench.scoring.base import Scorer, Segments

BEADS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
    (2, 2): 0.011,
}
# Beads beyond Gale–Church's, for ``max_merge`` > 2: prior 0.011 (Gale–Church's 2–2) for four
# sentences in all, and a quarter of that for each sentence more. Real documents split and join
# sentences freely (textberg-dev's gold has 1–3 … 1–5, 2–3, 3–2 units), which 2–2 beads can
# only approximate with several wrong units.
LARGE_BEAD_PRIOR = 0.011
LARGE_BEAD_DECAY = 0.25
# Beads whose length cost exceeds this (|z| ≈ 4.4) are never scored: they cannot win anyway.
MAX_LENGTH_COST = 10.0


def bead_priors(max_merge: int = 2) -> dict[tuple[int, int], float]:
    """Prior probability of each bead type with up to ``max_merge`` sentences on a side."""
    beads = dict(BEADS)
    for a in range(1, max_merge + 1):
        for b in range(1, max_merge + 1):
            if (a, b) not in beads:
                beads[(a, b)] = LARGE_BEAD_PRIOR * LARGE_BEAD_DECAY ** (a + b - 4)
    return beads


# Beyond this |z| the length cost exceeds 20 (> MAX_LENGTH_COST): such beads are never used,
# so their cost is left infinite without evaluating it.
_Z_MAX = 6.0


def _length_cost(src: np.ndarray, tgt: np.ndarray, ratio: float) -> np.ndarray:
    """−log of Gale–Church's two-sided tail probability 2·(1 − Φ(|z|)) = erfc(|z|/√2),
    vectorised; inf where it exceeds 20 (|z| > 6). The standard library's erfc, on the few
    plausible cells only, spares importing scipy.special (a fifth of a second at start-up)."""
    mean = np.maximum((src + tgt / ratio) / 2, 1e-6)
    z = np.abs(ratio * src - tgt) / np.sqrt(VARIANCE * ratio * mean)
    out = np.full(np.shape(z), np.inf)
    near = z <= _Z_MAX
    if near.any():
        scaled = (z[near] / math.sqrt(2)).tolist()
        out[near] = -np.log(np.fromiter(map(math.erfc, scaled), np.float64, len(scaled)))
    return out


@dataclass
class Lattice:
    """The banded dynamic programme's cells and bead costs (see :func:`build_lattice`).

    Cells are stored row by row: row ``i`` holds columns ``lo[i]..hi[i]`` at flat indices
    ``offset[i]..offset[i+1]``; ``bead_cost[(di, dj)][x]`` is the cost of the bead of that type
    ending at cell ``x`` (infinite where it is not allowed), ``bead_scores`` its score.
    """

    n: int
    m: int
    lo: np.ndarray
    hi: np.ndarray
    offset: np.ndarray
    bead_cost: dict[tuple[int, int], np.ndarray]
    bead_scores: dict[tuple[int, int], np.ndarray]
    # The cross view's score of each bead (original sentences against target ones), where a
    # cross scorer was given; empty otherwise.
    cross_scores: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)
    # The weights the costs give the scores (a bead earns weight × score + weight ×
    # cross_weight × cross score), and the share of 1–0 / 0–1 beads the costs assume when it
    # was re-estimated from the document (workbench.align.evidence; None: Gale–Church's prior).
    weight: float = 0.0
    cross_weight: float = 0.0
    deletion_rate: float | None = None
    # The share of its sentences' background subtracted from each pair bead's cross score
    # (workbench.align.evidence.with_cross_margin; 0: none).
    cross_margin: float = 0.0

    def bonus(self, src: tuple[int, ...], tgt: tuple[int, ...]) -> float | None:
        """What the scores take off the cost of the bead joining these consecutive ids (its
        weighted score and cross score); None where the lattice has no such bead (outside the
        band, or ruled out by length and never scored)."""
        key = (len(src), len(tgt))
        if not src or not tgt or key not in self.bead_cost:
            return None
        x = self.cell(src[-1] + 1, tgt[-1] + 1)
        if x < 0 or not np.isfinite(self.bead_cost[key][x]):
            return None
        bonus = self.weight * float(self.bead_scores[key][x])
        if key in self.cross_scores:
            bonus += self.weight * self.cross_weight * float(self.cross_scores[key][x])
        return bonus

    def cell(self, i: int, j: int) -> int:
        """Flat index of cell (i, j), or −1 outside the band."""
        if 0 <= i <= self.n and self.lo[i] <= j <= self.hi[i]:
            return int(self.offset[i] + j - self.lo[i])
        return -1


def banded_dp_align(
    scorer: Scorer,
    source: Sequence[str],
    target: Sequence[str],
    original: Sequence[str] | None = None,
    weight: float = 8.0,
    band: int | None = None,
    anchors: Sequence[tuple[int, int]] = (),
    max_merge: int = 2,
    cross_scorer: Scorer | None = None,
    cross_weight: float = 0.0,
    source_segments: Segments | None = None,
    target_segments: Segments | None = None,
    deletion_cost: float | None = None,
    background: float | None = None,
) -> list[tuple[tuple[int, ...], tuple[int, ...], float | None]]:
    """Align ``source`` (or its translation) with ``target``; returns (src ids, tgt ids, score).

    See :func:`build_lattice` for the arguments.
    """
    lattice = build_lattice(
        scorer,
        source,
        target,
        original,
        weight,
        band,
        anchors,
        max_merge,
        cross_scorer,
        cross_weight,
        source_segments=source_segments,
        target_segments=target_segments,
        deletion_cost=deletion_cost,
        background=background,
    )
    return viterbi(lattice)


def build_lattice(
    scorer: Scorer,
    source: Sequence[str],
    target: Sequence[str],
    original: Sequence[str] | None = None,
    weight: float = 8.0,
    band: int | None = None,
    anchors: Sequence[tuple[int, int]] = (),
    max_merge: int = 2,
    cross_scorer: Scorer | None = None,
    cross_weight: float = 0.0,
    source_segments: Segments | None = None,
    target_segments: Segments | None = None,
    deletion_cost: float | None = None,
    background: float | None = None,
) -> Lattice:
    """Every bead's cost over the band in which ``source`` (or its translation) is aligned
    with ``target``.

    ``original``: the source sentences whose lengths are compared with the target's when
    ``source`` is a translation (lengths of the language pair at hand, ratio estimated).
    ``max_merge``: largest number of sentences on one side of a bead.
    ``cross_scorer`` / ``cross_weight``: with ``original`` given, a bead also earns
    ``weight × cross_weight ×`` the cross scorer's score of its original sentences against its
    target sentences (a second view of the pair, e.g. shared names and numbers).
    ``source_segments`` / ``target_segments``: ``source`` and ``target`` already prepared by
    ``scorer`` (they are not tokenised again).
    ``deletion_cost``: cost of leaving one sentence unaligned (None: −log of its prior).
    ``background``: subtract from every score of a bead type (and from the cross view's) this
    quantile of the scores the same bead type gets over the whole band. Most of the band's
    cells pair sentences that are not translations of each other, so the quantile is what a
    random pair of this document scores: a bead earns a bonus only for beating it, not merely
    for scoring above zero (Vecalign's normalisation, in spirit).
    """
    n, m = len(source), len(target)
    lengths_from = original if original is not None else source
    s_chars = np.array([len(s) for s in lengths_from], dtype=np.float64)
    t_chars = np.array([len(t) for t in target], dtype=np.float64)
    # Expected target characters per source character, from the texts themselves: deletions
    # cost a flat prior, so a length model off by the language pair's ratio (Korean has about
    # half the characters of English) would turn true 1–1 beads into deletions.
    ratio = float(t_chars.sum() / s_chars.sum()) if s_chars.sum() and t_chars.sum() else MEAN_RATIO
    if band is None:
        band = 12 if anchors else max(25, int(0.08 * max(n, m)))
    s_cum = np.concatenate([[0.0], np.cumsum(s_chars)])
    t_cum = np.concatenate([[0.0], np.cumsum(t_chars)])
    beads = bead_priors(max_merge)

    # The band follows the anchors (1–1 pairs found by their scores) where there are some,
    # so an inserted paragraph shifts it instead of pushing the path out of a diagonal band.
    knots_i = [0.0] + [a + 0.5 for a, _ in anchors] + [float(n)]
    knots_j = [0.0] + [b + 0.5 for _, b in anchors] + [float(m)]
    rows = np.interp(np.arange(n + 1), knots_i, knots_j)  # path's j at each i
    cols = np.interp(np.arange(m + 1), knots_j, knots_i)  # path's i at each j
    # Per row, one column range covering the cells near the path in either direction (so
    # that steep and flat stretches stay connected).
    lo = np.floor(rows - band).astype(np.int64)
    hi = np.ceil(rows + band).astype(np.int64)
    for j in range(m + 1):
        i0 = max(math.floor(cols[j] - band), 0)
        i1 = min(math.ceil(cols[j] + band), n)
        lo[i0 : i1 + 1] = np.minimum(lo[i0 : i1 + 1], j)
        hi[i0 : i1 + 1] = np.maximum(hi[i0 : i1 + 1], j)
    lo = np.clip(lo, 0, m)
    hi = np.clip(hi, 0, m)
    lo[0], hi[n] = 0, m
    # Rows must overlap their predecessors so that every cell can be reached.
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])
    for i in range(n - 1, -1, -1):
        hi[i] = max(hi[i], lo[i + 1])
    offset = np.concatenate([[0], np.cumsum(hi - lo + 1)])
    ci = np.repeat(np.arange(n + 1), hi - lo + 1)
    cj = np.arange(offset[-1]) - offset[ci] + lo[ci]

    # Segments: source groups ending at i (sizes 1..max_merge), target groups ending at j,
    # built from each side's sentences prepared once.
    sizes = sorted({d for b in beads for d in b if d})
    s_keys = [(i, d) for d in sizes for i in range(d, n + 1)]
    t_keys = [(j, d) for d in sizes for j in range(d, m + 1)]
    s_index = np.full((n + 1, max(sizes) + 1), -1, dtype=np.int64)
    t_index = np.full((m + 1, max(sizes) + 1), -1, dtype=np.int64)
    for x, (i, d) in enumerate(s_keys):
        s_index[i, d] = x
    for x, (j, d) in enumerate(t_keys):
        t_index[j, d] = x
    s_spans = np.array([(i - d, i) for i, d in s_keys], dtype=np.int64).reshape(-1, 2)
    t_spans = np.array([(j - d, j) for j, d in t_keys], dtype=np.int64).reshape(-1, 2)
    if source_segments is None:
        source_segments = scorer.prepare(source)
    if target_segments is None:
        target_segments = scorer.prepare(target)
    s_seg = scorer.prepare_spans(source_segments, s_spans)
    t_seg = scorer.prepare_spans(target_segments, t_spans)
    cross = cross_scorer is not None and cross_weight and original is not None
    if cross:
        o_seg = cross_scorer.prepare_spans(cross_scorer.prepare(original), s_spans)
        u_seg = cross_scorer.prepare_spans(cross_scorer.prepare(target), t_spans)

    # Every bead's cost ending at every cell, vectorised: prior + length − bonus · score.
    # Beads too unlikely by length alone are left at infinity without being scored.
    bead_cost: dict[tuple[int, int], np.ndarray] = {}
    bead_scores: dict[tuple[int, int], np.ndarray] = {}
    cross_scores: dict[tuple[int, int], np.ndarray] = {}
    for (di, dj), p in beads.items():
        ok = (ci >= di) & (cj >= dj)
        ls = s_cum[ci] - s_cum[np.maximum(ci - di, 0)]
        lt = t_cum[cj] - t_cum[np.maximum(cj - dj, 0)]
        if di and dj:
            length_cost = _length_cost(ls, lt, ratio)
            c = -math.log(p) + length_cost
        else:
            # A deleted sentence has no partner whose length it could be compared with: its
            # cost is the prior alone. (Gale–Church's length cost grows with the sentence's
            # length, which made merging a stray caption into a neighbour cheaper than
            # leaving it out; flat costs gained ~1 point of strict F1 on textberg-dev.)
            c = np.full(len(ci), -math.log(p) if deletion_cost is None else deletion_cost)
        sc = np.zeros(len(ci))
        if di and dj:
            ok &= length_cost <= MAX_LENGTH_COST
            where = np.flatnonzero(ok)
            if len(where):
                pairs = np.stack([s_index[ci[where], di], t_index[cj[where], dj]], axis=1)
                sc[where] = scorer.pair_scores(s_seg, t_seg, pairs)
                if cross:
                    extra = cross_scorer.pair_scores(o_seg, u_seg, pairs)
                    cross_scores[(di, dj)] = np.zeros(len(ci))
                    cross_scores[(di, dj)][where] = extra
                    if background is not None:
                        extra = extra - np.quantile(extra, background)
                    c = c.copy()
                    c[where] -= weight * cross_weight * extra
            bonus = sc
            if background is not None and len(where):
                bonus = sc.copy()
                bonus[where] -= np.quantile(sc[where], background)
            c = c - weight * bonus
        bead_cost[(di, dj)] = np.where(ok, c, np.inf)
        bead_scores[(di, dj)] = sc
    return Lattice(
        n,
        m,
        lo,
        hi,
        offset,
        bead_cost,
        bead_scores,
        cross_scores,
        weight=weight,
        cross_weight=cross_weight if cross else 0.0,
    )


def viterbi(lattice: Lattice) -> list[tuple[tuple[int, ...], tuple[int, ...], float | None]]:
    """The cheapest monotone path through the lattice: (src ids, tgt ids, score) per bead."""
    n, m, lo, hi, offset = lattice.n, lattice.m, lattice.lo, lattice.hi, lattice.offset
    bead_cost, bead_scores = lattice.bead_cost, lattice.bead_scores
    bead_list = list(bead_cost)
    cost, back = band_path(offset, lo, hi, bead_list, [bead_cost[b] for b in bead_list])
    if not np.isfinite(cost[-1]):
        raise RuntimeError("alignment band too narrow for these documents")
    out = []
    i, j = n, m
    while i or j:
        x = offset[i] + j - lo[i]
        di, dj = bead_list[back[x]]
        score = float(bead_scores[(di, dj)][x]) if di and dj else None
        out.append((tuple(range(i - di, i)), tuple(range(j - dj, j)), score))
        i, j = i - di, j - dj
    out.reverse()
    return out


def band_path(
    offset: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    bead_list: Sequence[tuple[int, int]],
    bead_cost: Sequence[np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest monotone path's cost to every cell of the band and the bead that reaches
    each cell (an index into ``bead_list``, −1 where none does).

    Row i holds columns ``lo[i]..hi[i]``, stored from ``offset[i]``; ``bead_cost[k]`` is bead
    ``bead_list[k]``'s cost ending at each cell (inf where not allowed). Cell (0, 0) costs 0.

    One row at a time. Beads from earlier rows: every cell's predecessor through every such
    bead is located once, before the loop (an index into ``cost`` whose last slot stays
    infinite for predecessors outside the band), so a row is one gather, one addition and one
    argmin over beads × columns; the first of equal candidates wins, in bead order. 0–1 beads
    (within the row) are a running minimum over a cumsum.
    """
    n = len(offset) - 2
    inf = float("inf")
    cells = int(offset[-1])
    rows = np.repeat(np.arange(n + 1), np.diff(offset))
    cols = np.arange(cells) - offset[rows] + lo[rows]
    cost = np.full(cells + 1, inf)  # cost[cells]: the out-of-band predecessor
    back = np.full(cells, -1, dtype=np.int64)
    cross = [k for k, (di, _) in enumerate(bead_list) if di]
    within = [k for k, (di, _) in enumerate(bead_list) if di == 0]
    pred = np.full((len(cross), cells), cells, dtype=np.int64)
    for x, k in enumerate(cross):
        di, dj = bead_list[k]
        pi, pj = rows - di, cols - dj
        ok = pi >= 0
        ok[ok] &= (pj[ok] >= lo[pi[ok]]) & (pj[ok] <= hi[pi[ok]])
        pred[x, ok] = offset[pi[ok]] + pj[ok] - lo[pi[ok]]
    cross_cost = np.stack([bead_cost[k] for k in cross]) if cross else None
    cross_ids = np.asarray(cross, dtype=np.int64)
    for i in range(n + 1):
        a, b = offset[i], offset[i + 1]
        if i == 0 or cross_cost is None:
            best = np.full(b - a, inf)
            arg = np.full(b - a, -1, dtype=np.int64)
            if i == 0:
                best[0] = 0.0
        else:
            cand = cost[pred[:, a:b]] + cross_cost[:, a:b]
            pick = np.argmin(cand, axis=0)
            best = cand[pick, np.arange(b - a)]
            arg = np.where(best < inf, cross_ids[pick], -1)
        for k in within:  # (0, 1): cost[j] = min(best[j], cost[j−1] + c01[j])
            c01 = bead_cost[k][a:b].copy()
            c01[0] = 0.0
            run = np.cumsum(c01)
            direct = best - run
            running = np.minimum.accumulate(direct)
            better = running < direct  # compared before adding back: no rounding ties
            best[better] = running[better] + run[better]
            arg[better] = k
        cost[a:b], back[a:b] = best, arg
    return cost[:cells], back
