"""BLEU for sentence pairs (Papineni et al. 2002), as Bleualign uses it: clipped n-gram matches,
no smoothing, maximum order 2 by default.

All-pairs statistics come from sparse n-gram count matrices: for counts a, b ≥ 0,
min(a, b) = Σ_{l≥1} [a ≥ l]·[b ≥ l], so the clipped matches of every candidate with every
reference are a handful of sparse matrix products, one per count level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from workbench.scoring.base import (
    Scorer,
    Segments,
    Statistics,
    bleu_from_statistics,
    harmonic_mean,
    totals_for,
)

if TYPE_CHECKING:
    from scipy import sparse


def count_matrix(segments: Segments, k: int, width: int) -> sparse.csr_matrix:
    """Sentences × n-gram ids of order k+1, holding in-sentence counts (cached per width)."""
    from scipy import sparse  # imported when used: it is a fifth of the start-up

    cache = segments.__dict__.setdefault("_count_matrices", {})
    key = (k, width)
    if key not in cache:
        grams = segments.ngrams[k]
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        cols = np.concatenate([*grams, np.zeros(0, dtype=np.int64)])
        rows = np.repeat(np.arange(len(grams), dtype=np.int64), lengths)
        # Duplicates (an n-gram repeated in a sentence) are summed into its count.
        matrix = sparse.coo_matrix(
            (np.ones(len(cols)), (rows, cols)), shape=(len(segments), width)
        ).tocsr()
        matrix.sum_duplicates()
        cache[key] = matrix
    return cache[key]


# Up to this many pairs, clipped matches are counted with NumPy alone (see ``_few_matches``):
# aligning a short document then never imports scipy.sparse (a fifth of the start-up).
_FEW_PAIRS = 4096


def _count_table(segments: Segments, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Sorted keys (sentence · width + n-gram id) of each sentence's distinct (k+1)-grams, their
    counts, the index where each sentence's keys start, and the width (cached)."""
    cache = segments.__dict__.setdefault("_count_tables", {})
    keyed = segments.__dict__.get("_ngram_keys", {}).get(k)
    if k not in cache and keyed is not None:  # sorted already while the segments were made
        keys, counts, width = keyed
        starts = np.searchsorted(keys, np.arange(len(segments) + 1, dtype=np.int64) * width)
        cache[k] = (keys, counts.astype(np.float64), starts, width)
    if k not in cache:
        grams = segments.ngrams[k]
        lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        gids = np.concatenate([*grams, np.zeros(0, dtype=np.int64)])
        owner = np.repeat(np.arange(len(grams), dtype=np.int64), lengths)
        width = int(gids.max()) + 1 if len(gids) else 1
        keys, counts = np.unique(owner * width + gids, return_counts=True)
        starts = np.searchsorted(keys, np.arange(len(grams) + 1, dtype=np.int64) * width)
        cache[k] = (keys, counts.astype(np.float64), starts, width)
    return cache[k]


class CandidateCounts(NamedTuple):
    """The distinct n-grams of each pair's candidate: pair slot, n-gram id, count (by slot,
    then id)."""

    row: np.ndarray
    col: np.ndarray
    data: np.ndarray


def candidate_counts(
    table: tuple[np.ndarray, np.ndarray, np.ndarray, int], slots: np.ndarray
) -> CandidateCounts:
    """:class:`CandidateCounts` of candidates ``slots`` (one per pair) from a count table
    (:func:`_count_table`'s keys, counts, starts and width)."""
    keys, counts, starts, width = table
    sizes = starts[slots + 1] - starts[slots]
    total = int(sizes.sum())
    row = np.repeat(np.arange(len(slots), dtype=np.int64), sizes)
    at = np.repeat(starts[slots] - (np.cumsum(sizes) - sizes), sizes) + np.arange(total)
    return CandidateCounts(row, keys[at] % width, counts[at])


def reference_counts(refs: Segments, k: int, sentence: np.ndarray, gram: np.ndarray) -> np.ndarray:
    """count_r(gram) in reference ``sentence`` for each (sentence, gram), 0 where absent."""
    keys, counts, _, width = _count_table(refs, k)
    out = np.zeros(len(gram))
    if not len(keys) or not len(gram):
        return out
    query = sentence * np.int64(width) + gram
    # Most look-ups miss (3 in 4 of ABLEU's soft links on textberg-dev): a hashed bitmap of the
    # keys turns them away with one look-up each, and only the rest are searched for (a binary
    # search costs 3× a look-up).
    table, shift = _key_filter(refs, k, keys)
    maybe = np.flatnonzero(table[_key_hash(query, shift)] & (gram < width))
    pos = np.minimum(np.searchsorted(keys, query[maybe]), len(keys) - 1)
    out[maybe] = np.where(keys[pos] == query[maybe], counts[pos], 0.0)
    return out


def _key_hash(keys: np.ndarray, shift: int) -> np.ndarray:
    """Fibonacci hashing of int64 keys into 64 − ``shift`` bits."""
    with np.errstate(over="ignore"):
        return (keys.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(shift)


def _key_filter(refs: Segments, k: int, keys: np.ndarray) -> tuple[np.ndarray, int]:
    """A bitmap (bools) over hashed keys, at least 16 slots per key: few false hits (cached)."""
    cache = refs.__dict__.setdefault("_key_filters", {})
    if k not in cache:
        bits = max(16, int(len(keys) * 16).bit_length())
        table = np.zeros(1 << bits, dtype=bool)
        table[_key_hash(keys, 64 - bits)] = True
        cache[k] = (table, 64 - bits)
    return cache[k]


def _few_matches(cands: Segments, refs: Segments, pairs: np.ndarray, order: int) -> np.ndarray:
    """Clipped matches (pairs × order) without scipy: each candidate's distinct n-grams that
    some reference holds, looked up among its reference's (:func:`_shared_counts`). Equal to
    the sparse route (tested)."""
    out = np.zeros((len(pairs), order))
    for k in range(order):
        table, dense, grams = _shared_counts(cands, refs, k)
        cand = candidate_counts(table, pairs[:, 0])
        ref_rows = pairs[cand.row, 1]
        if dense is not None:
            width = np.int64(dense.shape[1])
            counts = dense.reshape(-1)[ref_rows * width + cand.col]
        else:
            counts = reference_counts(refs, k, ref_rows, grams[cand.col])
        found = np.minimum(cand.data, counts)
        # Whole numbers: the sum is the same without the n-grams no reference holds (zeros).
        out[:, k] = np.bincount(cand.row, weights=found, minlength=len(pairs))
    return out


# Largest dense table of reference counts (:func:`_shared_counts`): sentences × shared n-grams.
_DENSE_CELLS = 1 << 24


def _shared_counts(
    cands: Segments, refs: Segments, k: int
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray, int], np.ndarray | None, np.ndarray]:
    """The count table of ``cands`` (:func:`_count_table`) less the (k+1)-grams no sentence of
    ``refs`` holds (they match nothing there: about half of them on textberg-dev), its n-grams
    renumbered 0.. by their rank among the shared ones (``grams``: their ids, sorted); and
    each reference sentence's count of every shared n-gram as one dense table (sentences ×
    shared n-grams; None when it would be too large). Cached with ``cands``."""
    cache = cands.__dict__.setdefault("_shared_counts", {})
    held = cache.get(k)
    if held is None or held[0] is not refs:
        c_keys, c_counts, c_starts, c_width = _count_table(cands, k)
        r_keys, _, _, r_width = _count_table(refs, k)
        c_gram, r_gram = c_keys % c_width, r_keys % r_width
        size = max(c_width, r_width) + 1
        in_c, in_r = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
        in_c[c_gram] = True
        in_r[r_gram] = True
        grams = np.flatnonzero(in_c & in_r)
        rank = np.full(size, -1, dtype=np.int64)
        rank[grams] = np.arange(len(grams), dtype=np.int64)
        local = rank[c_gram]
        keep = np.flatnonzero(local >= 0)
        shared = len(grams) or 1
        kept = (c_keys[keep] // c_width) * shared + local[keep]
        bounds = np.arange(len(c_starts), dtype=np.int64) * shared
        table = (kept, c_counts[keep], np.searchsorted(kept, bounds), shared)
        held = cache[k] = (refs, table, dense_counts(refs, k, rank, len(grams)), grams)
    return held[1], held[2], held[3]


def dense_counts(refs: Segments, k: int, rank: np.ndarray, columns: int) -> np.ndarray | None:
    """Each sentence of ``refs``'s count of the (k+1)-grams that ``rank`` numbers 0 ..
    ``columns`` − 1 (−1: the n-grams left out; ``rank`` covers every id ``refs`` holds), as
    one dense table (sentences × columns, one byte a cell where the counts allow); None when
    it would pass ``_DENSE_CELLS`` cells."""
    columns = max(columns, 1)
    if len(refs) * columns > _DENSE_CELLS:
        return None
    keys, counts, _, width = _count_table(refs, k)
    top = int(counts.max()) if len(counts) else 0
    small = np.uint8 if top < 256 else np.uint16 if top < 65536 else np.float64
    dense = np.zeros((len(refs), columns), dtype=small)
    local = rank[keys % width]
    hit = np.flatnonzero(local >= 0)
    dense[keys[hit] // width, local[hit]] = counts[hit]
    return dense


def _all_matches_by_ngram(
    cands: Segments, refs: Segments, order: int, budget: int = 1 << 22
) -> np.ndarray:
    """Clipped matches of every candidate with every reference, (order, n, m), from an index of
    the sentences holding each n-gram (:func:`add_clipped_matches`). As fast as the sparse
    products it replaced on a textberg article, and it spares the alignment importing
    scipy.sparse (0.3 s of a 2,000-sentence BLEU alignment)."""
    n, m = len(cands), len(refs)
    out = np.zeros((order, n, m))
    for k in range(order):
        c_keys, c_counts, c_starts, c_width = _count_table(cands, k)
        r_keys, r_counts, _, r_width = _count_table(refs, k)
        add_clipped_matches(
            out[k],
            (c_keys // c_width, c_keys % c_width, c_counts, c_starts),
            (r_keys % r_width, r_keys // r_width, r_counts),
            budget,
        )
    return out


def add_clipped_matches(
    out: np.ndarray,
    cand: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    index: tuple[np.ndarray, np.ndarray, np.ndarray],
    budget: int = 1 << 22,
) -> None:
    """out[i, j] += Σ_g min(count_i(g), value_j(g)) over the n-grams g that candidate i and
    column j share: every candidate n-gram meets each column holding it once.

    ``cand``: (sentence, n-gram, count, starts) of the candidates' distinct n-grams, sorted by
    sentence, ``starts[i]`` where sentence i's begin (n + 1 of them); ``index``: (n-gram,
    column, value) entries, a column holding an n-gram once. Candidates go in blocks of about
    ``budget`` contributions, so memory stays bounded on long articles."""
    n, m = out.shape
    c_sent, c_gram, c_count, c_starts = cand
    i_gram, i_col, i_value = index
    if not len(c_gram) or not len(i_gram):
        return
    width = int(max(c_gram.max(), i_gram.max())) + 1
    by_gram = np.argsort(i_gram, kind="stable")
    col, value = i_col[by_gram], i_value[by_gram]
    start = np.searchsorted(i_gram[by_gram], np.arange(width + 1))
    reps = np.diff(start)[c_gram]  # each candidate n-gram meets this many columns
    load = np.concatenate([[0], np.cumsum(reps)])
    flat = out.reshape(-1)
    assert np.shares_memory(flat, out)  # added to in place
    row = 0
    while row < n:  # blocks of candidate sentences, about `budget` contributions each
        a = int(c_starts[row])
        stop = int(np.searchsorted(load, load[a] + budget, side="right")) - 1
        end = max(row + 1, int(np.searchsorted(c_starts, stop, side="right")) - 1)
        end = min(end, n)
        lo, hi = a, int(c_starts[end])
        rep = reps[lo:hi]
        total = int(rep.sum())
        if total:
            at = np.repeat(np.arange(lo, hi), rep)
            offset = np.arange(total) - np.repeat(np.cumsum(rep) - rep, rep)
            at_index = np.repeat(start[c_gram[lo:hi]], rep) + offset
            found = np.minimum(c_count[at], value[at_index])
            flat += np.bincount(c_sent[at] * m + col[at_index], weights=found, minlength=n * m)
        row = end


class BleuScorer(Scorer):
    """Exact-match BLEU; equal to sacrebleu's sentence BLEU with the same tokenizer, order and
    ``smooth_method='none'`` (tested)."""

    name = "bleu"

    def _width(self, k: int) -> int:
        return len(self._word_list) if k == 0 else len(self._ngram_ids[k])

    def statistics(self, cands: Segments, refs: Segments, pairs: np.ndarray) -> Statistics:
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        matches = self.matches(cands, refs, pairs)
        cand_len = cands.lengths[pairs[:, 0]]
        return Statistics(
            cand_len=cand_len,
            ref_len=refs.lengths[pairs[:, 1]],
            matches=matches,
            totals=totals_for(cand_len, self.order),
        )

    def matches(self, cands: Segments, refs: Segments, pairs: np.ndarray) -> np.ndarray:
        """Clipped n-gram matches of candidate ``pairs[:, 0]`` with reference ``pairs[:, 1]``
        (pairs × order); symmetric: min(a, b) = min(b, a)."""
        if len(pairs) <= _FEW_PAIRS:
            return _few_matches(cands, refs, pairs, self.order)
        matches = np.zeros((len(pairs), self.order))
        for k in range(self.order):
            w = self._width(k)
            c = count_matrix(cands, k, w)[pairs[:, 0]]
            r = count_matrix(refs, k, w)[pairs[:, 1]]
            matches[:, k] = np.asarray(c.minimum(r).sum(axis=1)).ravel()
        return matches

    def score_pairs(
        self, cands: Segments, refs: Segments, pairs: np.ndarray, symmetric: bool
    ) -> np.ndarray:
        if (
            not symmetric
            or type(self).statistics is not BleuScorer.statistics
            or type(self).score_statistics is not Scorer.score_statistics
        ):
            return super().score_pairs(cands, refs, pairs, symmetric)
        # Clipped matches are the same in both directions: computed once, not twice.
        matches = self.matches(cands, refs, pairs)
        cand_len, ref_len = cands.lengths[pairs[:, 0]], refs.lengths[pairs[:, 1]]
        forward = bleu_from_statistics(
            Statistics(cand_len, ref_len, matches, totals_for(cand_len, self.order))
        )
        backward = bleu_from_statistics(
            Statistics(ref_len, cand_len, matches, totals_for(ref_len, self.order))
        )
        return harmonic_mean(forward, backward)

    def all_matches(self, cands: Segments, refs: Segments) -> np.ndarray:
        """Clipped matches of every candidate with every reference: (order, n, m)."""
        n, m = len(cands), len(refs)
        if n * m <= _FEW_PAIRS:
            grid = np.stack(np.meshgrid(np.arange(n), np.arange(m), indexing="ij"), -1)
            few = _few_matches(cands, refs, grid.reshape(-1, 2), self.order)
            return np.moveaxis(few.reshape(n, m, self.order), -1, 0).copy()
        return _all_matches_by_ngram(cands, refs, self.order)

    def matrix(
        self, cands: Segments, refs: Segments, symmetric: bool = True, keep: int | None = None
    ) -> np.ndarray:
        matches = np.moveaxis(self.all_matches(cands, refs), 0, -1)  # n × m × order
        n, m = len(cands), len(refs)
        cl = np.broadcast_to(cands.lengths[:, None], (n, m))
        rl = np.broadcast_to(refs.lengths[None, :], (n, m))
        forward = bleu_from_statistics(
            Statistics(
                cl,
                rl,
                matches,
                np.broadcast_to(totals_for(cands.lengths, self.order)[:, None, :], matches.shape),
            )
        )
        if not symmetric:
            return forward
        backward = bleu_from_statistics(
            Statistics(
                rl,
                cl,
                matches,
                np.broadcast_to(totals_for(refs.lengths, self.order)[None, :, :], matches.shape),
            )
        )
        return harmonic_mean(forward, backward)

    def combine_references(self, cands, streams, pairs, per_ref):  # noqa: ANN001, ANN201
        # Clip each candidate n-gram by its largest count in any one reference.
        matches = np.zeros((len(pairs), self.order))
        for k in range(self.order):
            w = self._width(k)
            c = count_matrix(cands, k, w)[pairs[:, 0]]
            r = count_matrix(streams[0], k, w)[pairs[:, 1]]
            for s in streams[1:]:
                r = r.maximum(count_matrix(s, k, w)[pairs[:, 1]])
            matches[:, k] = np.asarray(c.minimum(r).sum(axis=1)).ravel()
        return matches
