"""ABLEU: BLEU whose n-gram matches are similarity-weighted (spec §3), vectorised with NumPy.

For a candidate n-gram g and reference r, m(g) = max_h count_r(h) · sim_n(g, h) with
sim_n(g, h) = (Π_k sim(g_k, h_k))^(1/n); clipped(g) = min(count_c(g), m(g)). Per pair we gather
the word-similarity matrix S (candidate positions × reference positions) from a per-document
block, form sim_n for all aligned position pairs with shifted products of S, weight by the
reference n-gram's count and take the max over reference positions. Summing
min(count, m)/count over candidate positions counts each distinct n-gram once, as the formula
does. Many pairs are processed at once as a padded (pairs × Lc × Lr) tensor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.scoring.base import (
    Scorer,
    Segments,
    Statistics,
    bleu_from_statistics,
    harmonic_mean,
    totals_for,
)
from workbench.scoring.similarity import WordSimilarity
from workbench.scoring.tokenize import DEFAULT_TOKENIZER

# Upper bound on elements of one padded similarity tensor (pairs × Lc × Lr), ~16 MB float32.
_CHUNK_ELEMENTS = 4_000_000
# Pairs per chunk: enough to amortise NumPy call overhead, few enough to keep padding low.
_CHUNK_PAIRS = 48


@dataclass
class _Block:
    """Word-similarity block for a candidate vocabulary × reference vocabulary (global ids)."""

    rows: np.ndarray  # sorted global word ids of the candidate side
    cols: np.ndarray  # sorted global word ids of the reference side
    sims: np.ndarray  # (len(rows)+1) × (len(cols)+1); the last row/column is padding (0)

    def covers(self, rows: np.ndarray, cols: np.ndarray) -> bool:
        return _subset(rows, self.rows) and _subset(cols, self.cols)

    def row_index(self, ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.rows, ids)

    def col_index(self, ids: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.cols, ids)

    @property
    def transposed(self) -> _Block:
        return _Block(self.cols, self.rows, self.sims.T)


def _subset(a: np.ndarray, b: np.ndarray) -> bool:
    if not len(a):
        return True
    if not len(b):
        return False
    pos = np.searchsorted(b, a)
    return bool(np.all(pos < len(b)) and np.all(b[np.minimum(pos, len(b) - 1)] == a))


def _vocab(segments: Segments) -> np.ndarray:
    if not len(segments):
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate([*segments.word_ids, np.zeros(0, dtype=np.int64)]))


def _padded(arrays: list[np.ndarray], width: int, fill: float | int) -> np.ndarray:
    """Stack 1-D arrays into rows of ``width``, padding with ``fill``."""
    out = np.full(
        (len(arrays), width), fill, dtype=np.result_type(fill, *arrays) if arrays else float
    )
    lens = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    if lens.sum():
        rows = np.repeat(np.arange(len(arrays)), lens)
        cols = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
        out[rows, cols] = np.concatenate(arrays)
    return out


class AbleuScorer(Scorer):
    """Soft BLEU with word similarities from a :class:`WordSimilarity` (spec §3).

    ``prefilter``: when the aligner only keeps each candidate's best few references, pairs are
    first ranked by their soft unigram score (cheap for all pairs) and only the best
    ``prefilter`` references per candidate get the full n-gram computation.
    """

    name = "ableu"

    def __init__(
        self,
        similarity: WordSimilarity | None = None,
        order: int = 2,
        tokenize: str = DEFAULT_TOKENIZER,
        lowercase: bool = False,
        prefilter: int = 12,
    ):
        super().__init__(order=order, tokenize=tokenize, lowercase=lowercase)
        self.similarity = similarity or WordSimilarity(None)
        self.prefilter = prefilter
        self._block: _Block | None = None

    def signature(self) -> str:
        return super().signature() + f"|sim:{self.similarity.identity}"

    # -- similarity blocks, computed once per document and reused for every pair -------------
    def block(self, cands: Segments, refs: Segments) -> _Block:
        rows, cols = _vocab(cands), _vocab(refs)
        cached = self._block
        if cached is not None:
            if cached.covers(rows, cols):
                return cached
            if cached.transposed.covers(rows, cols):
                return cached.transposed
        words = self.vocabulary
        sims = np.zeros((len(rows) + 1, len(cols) + 1), dtype=np.float32)
        sims[:-1, :-1] = self.similarity.block([words[i] for i in rows], [words[j] for j in cols])
        block = _Block(rows, cols, sims)
        if cached is None or len(rows) * len(cols) >= len(cached.rows) * len(cached.cols):
            self._block = block
        return block

    # -- statistics ---------------------------------------------------------------------------
    def _chunks(self, cands: Segments, refs: Segments, pairs: np.ndarray, both: bool = False):
        """Yield (pair slots, (m per order for candidate positions, and with ``both`` for
        reference positions too)) in length-sorted chunks."""
        block = self.block(cands, refs)
        pad_r, pad_c = len(block.rows), len(block.cols)
        clen = cands.lengths[pairs[:, 0]]
        rlen = refs.lengths[pairs[:, 1]]
        # Bucket by candidate length, then sort by reference length, so that a chunk's padding
        # (everything is padded to the chunk's longest sentences) stays small.
        order = np.lexsort((rlen, clen // 6))
        start = 0
        while start < len(order):
            # Grow the chunk while the padded tensor stays within budget and the chunk small.
            lc = max(int(clen[order[start]]), 1)
            lr = max(int(rlen[order[start]]), 1)
            stop = start + 1
            while stop < len(order):
                lc2, lr2 = max(lc, int(clen[order[stop]])), max(lr, int(rlen[order[stop]]))
                size = stop + 1 - start
                if size * lc2 * lr2 > _CHUNK_ELEMENTS or size > _CHUNK_PAIRS:
                    break
                lc, lr, stop = lc2, lr2, stop + 1
            slots = order[start:stop]
            yield (
                slots,
                self._chunk_max_counts(cands, refs, pairs[slots], block, pad_r, pad_c, both),
            )
            start = stop

    def _chunk_max_counts(
        self,
        cands: Segments,
        refs: Segments,
        pairs: np.ndarray,
        block: _Block,
        pad_r: int,
        pad_c: int,
        both: bool = False,
    ) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
        c_ids = [block.row_index(cands.word_ids[i]) for i in pairs[:, 0]]
        r_ids = [block.col_index(refs.word_ids[j]) for j in pairs[:, 1]]
        lc = max((len(a) for a in c_ids), default=0)
        lr = max((len(a) for a in r_ids), default=0)
        tc = _padded(c_ids, lc, pad_r)
        tr = _padded(r_ids, lr, pad_c)
        sim = block.sims[tc[:, :, None], tr[:, None, :]]  # pairs × Lc × Lr
        out, back = [], []
        for k in range(self.order):
            if lc <= k or lr <= k:
                out.append(np.zeros((len(pairs), max(lc - k, 0)), dtype=np.float32))
                back.append(np.zeros((len(pairs), max(lr - k, 0)), dtype=np.float32))
                continue
            if k == 0:
                prod = sim
            else:
                # sim_n over aligned positions: product of shifted slices, then the n-th root.
                prod = sim[:, : lc - k, : lr - k] * sim[:, 1 : lc - k + 1, 1 : lr - k + 1]
                for t in range(2, k + 1):
                    prod *= sim[:, t : lc - k + t, t : lr - k + t]
                if k == 1:
                    np.sqrt(prod, out=prod)
                else:
                    np.power(prod, 1.0 / (k + 1), out=prod)
            ref_counts = _padded([refs.counts[k][j] for j in pairs[:, 1]], lr - k, 0)
            out.append((prod * ref_counts[:, None, :].astype(np.float32)).max(axis=2))
            if both:
                # Word similarity is symmetric, so the reverse direction (reference n-grams
                # matched in the candidate) reuses the same tensor.
                cand_counts = _padded([cands.counts[k][i] for i in pairs[:, 0]], lc - k, 0)
                back.append((prod * cand_counts[:, :, None].astype(np.float32)).max(axis=1))
        return out, (back if both else None)

    def _clip(self, cands: Segments, pairs: np.ndarray, best: list[np.ndarray]) -> np.ndarray:
        """Σ over candidate positions of min(count, m)/count: each distinct n-gram once."""
        matches = np.zeros((len(pairs), self.order))
        for k in range(self.order):
            width = best[k].shape[1]
            cnt = _padded([cands.counts[k][i] for i in pairs[:, 0]], width, 0).astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                part = np.where(cnt > 0, np.minimum(cnt, best[k]) / cnt, 0.0)
            matches[:, k] = part.sum(axis=1)
        return matches

    def statistics(self, cands: Segments, refs: Segments, pairs: np.ndarray) -> Statistics:
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        matches = np.zeros((len(pairs), self.order))
        for slots, (best, _) in self._chunks(cands, refs, pairs):
            matches[slots] = self._clip(cands, pairs[slots], best)
        cand_len = cands.lengths[pairs[:, 0]]
        return Statistics(
            cand_len=cand_len,
            ref_len=refs.lengths[pairs[:, 1]],
            matches=matches,
            totals=totals_for(cand_len, self.order),
        )

    def combine_references(self, cands, streams, pairs, per_ref):  # noqa: ANN001, ANN201
        # m(g) is a max over references too (spec §3): take it before clipping.
        width = [int(cands.lengths.max(initial=0)) - k for k in range(self.order)]
        combined = [np.zeros((len(pairs), max(w, 0))) for w in width]
        for stream in streams:
            for slots, (best, _) in self._chunks(cands, stream, pairs):
                for k in range(self.order):
                    w = best[k].shape[1]
                    combined[k][slots, :w] = np.maximum(combined[k][slots, :w], best[k])
        return self._clip(cands, pairs, combined)

    def pair_scores(
        self, cands: Segments, refs: Segments, pairs: np.ndarray, symmetric: bool = True
    ) -> np.ndarray:
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        if not symmetric or not len(pairs):
            return super().pair_scores(cands, refs, pairs, symmetric)
        fwd = np.zeros((len(pairs), self.order))
        bwd = np.zeros((len(pairs), self.order))
        for slots, (best, back) in self._chunks(cands, refs, pairs, both=True):
            fwd[slots] = self._clip(cands, pairs[slots], best)
            bwd[slots] = self._clip(refs, pairs[slots][:, ::-1], back)
        cl, rl = cands.lengths[pairs[:, 0]], refs.lengths[pairs[:, 1]]
        forward = bleu_from_statistics(Statistics(cl, rl, fwd, totals_for(cl, self.order)))
        backward = bleu_from_statistics(Statistics(rl, cl, bwd, totals_for(rl, self.order)))
        return harmonic_mean(forward, backward)

    # -- all pairs, with a cheap soft-unigram pre-ranking ------------------------------------
    def unigram_matches(self, cands: Segments, refs: Segments) -> np.ndarray:
        """Soft unigram matches of every candidate against every reference (n × m)."""
        block = self.block(cands, refs)
        sims = block.sims[:-1, :-1]
        best = np.zeros((sims.shape[0], len(refs)), dtype=np.float32)
        for j, ids in enumerate(refs.word_ids):
            if len(ids):
                cols, cnt = np.unique(block.col_index(ids), return_counts=True)
                best[:, j] = (sims[:, cols] * cnt).max(axis=1)
        out = np.zeros((len(cands), len(refs)))
        for i, ids in enumerate(cands.word_ids):
            if len(ids):
                rows, cnt = np.unique(block.row_index(ids), return_counts=True)
                out[i] = np.minimum(cnt[:, None], best[rows]).sum(0)
        return out

    def matrix(
        self, cands: Segments, refs: Segments, symmetric: bool = True, keep: int | None = None
    ) -> np.ndarray:
        n, m = len(cands), len(refs)
        if keep is None or m <= max(self.prefilter, keep):
            return super().matrix(cands, refs, symmetric, keep)
        fwd = self.unigram_matches(cands, refs)
        cl = cands.lengths.astype(np.float64)
        rl = refs.lengths.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            p_fwd = np.where(cl[:, None] > 0, fwd / cl[:, None], 0.0)
            bp = np.exp(np.minimum(0.0, 1.0 - rl[None, :] / np.maximum(cl[:, None], 1)))
            proxy = p_fwd * bp
            if symmetric:
                bwd = self.unigram_matches(refs, cands).T
                p_bwd = np.where(rl[None, :] > 0, bwd / rl[None, :], 0.0)
                bp_b = np.exp(np.minimum(0.0, 1.0 - cl[:, None] / np.maximum(rl[None, :], 1)))
                proxy = harmonic_mean(proxy, p_bwd * bp_b)
        width = max(self.prefilter, keep)
        top = np.argpartition(-proxy, width - 1, axis=1)[:, :width]
        rows = np.repeat(np.arange(n), width)
        cols = top.ravel()
        alive = proxy[rows, cols] > 0
        pairs = np.stack([rows[alive], cols[alive]], 1)
        out = np.zeros((n, m))
        out[pairs[:, 0], pairs[:, 1]] = self.pair_scores(cands, refs, pairs, symmetric)
        return out


def bleu_equivalent_ableu(order: int = 2, tokenize: str = DEFAULT_TOKENIZER) -> AbleuScorer:
    """ABLEU with exact-match similarity: equal to BLEU by construction (spec §3)."""
    return AbleuScorer(WordSimilarity(None), order=order, tokenize=tokenize)


__all__ = ["AbleuScorer", "bleu_equivalent_ableu", "bleu_from_statistics"]
