"""Per-sentence arrays for ABLEU's dense route: padded word ids and n-gram counts, and the
word-similarity block of a candidate vocabulary × a reference vocabulary."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from workbench.scoring.base import Segments
from workbench.scoring.bleu import _count_table, dense_counts, reference_counts


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


def _vocab_size(segments: Segments) -> int:
    """``len(_vocab(segments))``, counted without sorting."""
    flat = segments.__dict__.get("_flat_ids")
    if flat is None:
        flat = np.concatenate([*segments.word_ids, np.zeros(0, dtype=np.int64)])
    return int(np.count_nonzero(np.bincount(flat))) if len(flat) else 0


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


def _rows(segments: Segments, k: int) -> np.ndarray:
    """Sentences × positions, padded (cached): word ids (``k`` = −1, padding −1) or the
    in-sentence counts of the (k+1)-gram starting at each position (padding 0)."""
    cache = segments.__dict__.setdefault("_ableu_rows", {})
    if k not in cache:
        arrays = segments.word_ids if k < 0 else segments.counts[k]
        width = max(int(segments.lengths.max(initial=0)) - max(k, 0), 0)
        cache[k] = _padded(list(arrays), width, -1 if k < 0 else 0)
    return cache[k]


def _block_ids(ids: np.ndarray, sorted_ids: np.ndarray, pad: int) -> np.ndarray:
    """Positions of global word ids among a block's sorted ids; −1 (padding) → ``pad``."""
    out = np.searchsorted(sorted_ids, ids)
    out[ids < 0] = pad
    return out


def chunk_slots(
    clen: np.ndarray, rlen: np.ndarray, most_pairs: int, most_elements: int
) -> Iterator[np.ndarray]:
    """Pairs (by their candidate and reference lengths) in length-sorted chunks: bucketed by
    candidate length, then sorted by reference length, so that a chunk's padding (everything
    is padded to the chunk's longest sentences) stays small; a chunk grows while it holds at
    most ``most_pairs`` pairs and its padded tensor at most ``most_elements`` elements."""
    order = np.lexsort((rlen, clen // 6))
    longest = max(int(clen.max(initial=1)), 1) * max(int(rlen.max(initial=1)), 1)
    if most_pairs * longest <= most_elements:  # no chunk reaches the budget: fixed slices
        for start in range(0, len(order), most_pairs):
            yield order[start : start + most_pairs]
        return
    start = 0
    while start < len(order):
        lc = max(int(clen[order[start]]), 1)
        lr = max(int(rlen[order[start]]), 1)
        stop = start + 1
        while stop < len(order):
            lc2, lr2 = max(lc, int(clen[order[stop]])), max(lr, int(rlen[order[stop]]))
            size = stop + 1 - start
            if size * lc2 * lr2 > most_elements or size > most_pairs:
                break
            lc, lr, stop = lc2, lr2, stop + 1
        yield order[start:stop]
        start = stop


def reachable_counts(
    table: tuple[np.ndarray, np.ndarray, np.ndarray, int],
    partners: Any,
    refs: Segments,
    k: int,
) -> tuple[np.ndarray, np.ndarray] | None:
    """(column of each n-gram id, dense table): each sentence of ``refs``'s count of every
    n-gram that a link (``partners``, :class:`workbench.scoring.ableu.Links`) from the
    candidates' linked count ``table`` reaches, for one look-up per link
    (:func:`workbench.scoring.bleu.dense_counts`); None when too large. Cached with
    ``refs`` for that table."""
    held = refs.__dict__.setdefault("_reachable", {}).get(k)
    if held is None or held[0] is not table:
        keys, _, _, width = table
        grams = np.unique(keys % width)
        degree = np.diff(partners.indptr)[grams]
        first = np.cumsum(degree) - degree
        at = np.repeat(partners.indptr[grams] - first, degree) + np.arange(int(degree.sum()))
        reach = np.unique(partners.indices[at])
        rank = np.full(max(len(partners.indptr), _count_table(refs, k)[3]) + 1, -1)
        rank[reach] = np.arange(len(reach))
        dense = dense_counts(refs, k, rank, len(reach))
        held = (table, None if dense is None else (rank, dense))
        refs.__dict__["_reachable"][k] = held
    return held[1]


def linked_counts(
    table: tuple[np.ndarray, np.ndarray, np.ndarray, int],
    partners: Any,
    refs: Segments,
    k: int,
    sentence: np.ndarray,
    gram: np.ndarray,
) -> np.ndarray:
    """count_r(gram) in reference ``sentence`` for each link's (sentence, gram), ``gram`` one
    of ``partners``' n-grams that the linked count ``table`` reaches: one look-up in the dense
    table of :func:`reachable_counts` where there is one, else
    :func:`workbench.scoring.bleu.reference_counts` (the same counts)."""
    reach = reachable_counts(table, partners, refs, k)
    if reach is None:
        return reference_counts(refs, k, sentence, gram)
    rank, dense = reach
    return dense.reshape(-1)[sentence * np.int64(dense.shape[1]) + rank[gram]].astype(np.float64)


def forward_matches(
    cand: Any,
    entry: np.ndarray,
    first: np.ndarray,
    sim: np.ndarray,
    ref_counts: np.ndarray,
    hit: np.ndarray,
    pairs: int,
) -> np.ndarray:
    """Σ_g min(count_c(g), m(g)) per pair, m(g) the largest sim · count_r over the links of g
    (:meth:`workbench.scoring.ableu.AbleuScorer.soft_matches`; ``hit``: the links whose
    count_r > 0). With positive similarities the links the reference lacks give 0, so m(g)
    is taken over the hits alone and the entries without one add 0 to the sums, which leaves
    them as they are: the same sums, from a third of the links on textberg-dev."""
    if len(sim) and sim.min() > 0:
        out = np.zeros(pairs)
        at = entry[hit]
        if len(at):
            starts = np.flatnonzero(np.r_[True, at[1:] != at[:-1]])
            best = np.maximum.reduceat(sim[hit] * ref_counts[hit], starts)
            at = at[starts]
            out = np.bincount(cand.row[at], np.minimum(cand.data[at], best), minlength=pairs)
        return out
    # m(g); an n-gram with no partner in the references (not even itself) has m = 0
    linked = np.flatnonzero(np.diff(np.r_[first, len(entry)]))
    best = np.zeros(len(cand.data))
    if len(linked):
        best[linked] = np.maximum.reduceat(sim * ref_counts, first[linked])
    clipped = np.minimum(cand.data, best)
    return np.bincount(cand.row, weights=clipped, minlength=pairs)


@dataclass
class TableLinks:
    """Every soft link (g, h) of every entry (sentence, g) of a linked count table, in the
    table's order (:meth:`workbench.scoring.ableu.AbleuScorer._links` enumerates each pair's
    links in that order): h, sim_n(g, h), and where each sentence's links start."""

    h: np.ndarray
    sim: np.ndarray
    starts: np.ndarray


def table_links(
    cands: Segments, table: tuple[np.ndarray, np.ndarray, np.ndarray, int], partners: Any, k: int
) -> TableLinks:
    """:class:`TableLinks` of ``cands``'s linked count ``table`` by ``partners``
    (:class:`workbench.scoring.ableu.Links`). Cached with ``cands``: a band's calls gather
    their pairs' runs of it instead of expanding each entry again."""
    cache = cands.__dict__.setdefault("_table_links", {})
    held = cache.get(k)
    if held is None or held[0] is not table or held[1] is not partners:
        keys, _, starts, width = table
        gram = keys % width
        degree = np.diff(partners.indptr)[gram]
        first = np.cumsum(degree) - degree
        at = np.repeat(partners.indptr[gram] - first, degree) + np.arange(int(degree.sum()))
        links = TableLinks(
            partners.indices[at], partners.data[at], np.r_[0, np.cumsum(degree)][starts]
        )
        held = cache[k] = (table, partners, links)
    return held[2]
