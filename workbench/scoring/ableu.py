"""ABLEU: BLEU whose n-gram matches are similarity-weighted (spec §3), vectorised with NumPy.

For a candidate n-gram g and reference r, m(g) = max_h count_r(h) · sim_n(g, h) with
sim_n(g, h) = (Π_k sim(g_k, h_k))^(1/n); clipped(g) = min(count_c(g), m(g)). Per pair we gather
the word-similarity matrix S (candidate positions × reference positions) from a per-document
block, form sim_n for all aligned position pairs with shifted products of S, weight by the
reference n-gram's count and take the max over reference positions. Summing
min(count, m)/count over candidate positions counts each distinct n-gram once, as the formula
does. Many pairs are processed at once as a padded (pairs × Lc × Lr) tensor.

Sentence-pair statistics (what alignment asks for, hundreds of thousands of pairs) take a
sparse route instead, exact as well: sim_n(g, h) > 0 only when every word of h is a neighbour
of the word of g at its position (similarity at or above the threshold, or the word itself).
The document's n-grams are linked once to their soft partners (a sparse n-gram × n-gram matrix
of sim_n), and m(g) for a pair is the largest partner similarity × the partner's count in the
reference, looked up in the reference's sparse count matrix — the cost of BLEU times the few
partners a word has, with no per-pair tensor.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from workbench.scoring.ableu_arrays import (
    _Block,
    _block_ids,
    _rows,
    _vocab,
    _vocab_size,
    chunk_slots,
    forward_matches,
    linked_counts,
    table_links,
)
from workbench.scoring.base import (
    Scorer,
    Segments,
    Statistics,
    bleu_from_statistics,
    harmonic_mean,
    totals_for,
)
from workbench.scoring.bleu import (
    _count_table,
    add_clipped_matches,
    candidate_counts,
)
from workbench.scoring.similarity import WordSimilarity, _block_links, one_blas_thread
from workbench.scoring.tokenize import DEFAULT_TOKENIZER

# Upper bound on elements of one padded similarity tensor (pairs × Lc × Lr), ~16 MB float32.
_CHUNK_ELEMENTS = 4_000_000
# Above this mean number of neighbours per word (itself included) the dense route is used.
_MAX_MEAN_NEIGHBOURS = 8.0
# Pairs per chunk: enough to amortise NumPy call overhead, few enough to keep padding low.
_CHUNK_PAIRS = 48
# Pairs whose chunks' maxima are clipped together.
_CLIP_PAIRS = 4096


class Links(NamedTuple):
    """A square matrix of n-gram links in compressed-row form, as scipy's CSR holds one (row
    r's columns ``indices[indptr[r]:indptr[r + 1]]``, ascending, with their ``data``), built
    with NumPy alone: scoring with ABLEU then never imports scipy.sparse (0.3 s here)."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray

    @classmethod
    def from_triples(cls, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, size: int):
        """(row, column, value) triples in any order; a repeated (row, column) is summed."""
        key = rows.astype(np.int64) * np.int64(size) + cols.astype(np.int64)
        order = np.argsort(key, kind="stable")
        key, vals = key[order], np.asarray(vals, dtype=np.float64)[order]
        if len(key):
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            key, vals = key[starts], np.add.reduceat(vals, starts)
        indptr = np.searchsorted(key, np.arange(size + 1, dtype=np.int64) * np.int64(size))
        return cls(indptr, key % np.int64(max(size, 1)), vals)

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = np.repeat(np.arange(len(self.indptr) - 1, dtype=np.int64), np.diff(self.indptr))
        return rows, self.indices, self.data


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
        self._partners: dict[int, Links] = {}  # order k → n-gram soft partners
        self._partners_size: dict[int, int] = {}
        self._route: tuple[int, bool] = (-1, True)  # (vocabulary size, sparse route?)

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
        # one more row and column for padding: two strings no token equals (tokens have no
        # NUL), unknown to any embedding, so their similarities are 0
        sims = self.similarity.block(
            [*(words[i] for i in rows), "\x00pad-a"], [*(words[j] for j in cols), "\x00pad-b"]
        )
        block = _Block(rows, cols, sims)
        if cached is None or len(rows) * len(cols) >= len(cached.rows) * len(cached.cols):
            self._block = block
        return block

    def _per_chunk(self, cands: Segments, refs: Segments, cells: int) -> bool:
        """Whether the dense route computes each chunk's word similarities itself rather than
        one block over both vocabularies: when the similarity can (one embedding, no mutual
        nearest words), no block already covers them, and the pairs need fewer cosines
        (``cells``: Σ candidate length × reference length) than the block would hold — as
        when `workbench score` scores line-aligned pairs: 12,000 pairs need ~7 million
        cosines where the block over their 11,000 words holds 117 million."""
        if getattr(self.similarity, "pair_blocks", None) is None:
            return False
        cached = self._block
        if cached is None:  # only the vocabularies' sizes matter
            return cells < _vocab_size(cands) * _vocab_size(refs)
        rows, cols = _vocab(cands), _vocab(refs)
        if cached.covers(rows, cols) or cached.transposed.covers(rows, cols):
            return False
        return cells < len(rows) * len(cols)

    def _similarity_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """Each vocabulary word's row in the similarity's per-word arrays, with a padding row
        last (−1, a padding id, picks it): one for candidates, one for references (two
        strings no token equals, unknown to any embedding)."""
        size = len(self._word_list)
        rows = self.__dict__.get("_sim_rows")
        if rows is None or len(rows) - 2 != size:
            old = 0 if rows is None else len(rows) - 2
            new = self.similarity.word_rows(self._word_list[old:])
            pads = self.similarity.word_rows(["\x00pad-a", "\x00pad-b"])
            rows = np.concatenate([[] if old == 0 else rows[:-2], new, pads]).astype(np.int64)
            self.__dict__["_sim_rows"] = rows
            # the two views, made once (not once per chunk: each is a vocabulary-sized copy)
            self.__dict__["_sim_rows_split"] = (np.delete(rows, -1), np.delete(rows, -2))
        return self.__dict__["_sim_rows_split"]

    # -- statistics ---------------------------------------------------------------------------
    def _chunks(self, cands: Segments, refs: Segments, pairs: np.ndarray, both: bool = False):
        """Yield (pair slots, (m per order for candidate positions, and with ``both`` for
        reference positions too)) in length-sorted chunks."""
        clen = cands.lengths[pairs[:, 0]]
        rlen = refs.lengths[pairs[:, 1]]
        block, pad_r, pad_c = None, 0, 0
        if not self._per_chunk(cands, refs, int((clen * rlen).sum())):
            block = self.block(cands, refs)
            pad_r, pad_c = len(block.rows), len(block.cols)
        for slots in chunk_slots(clen, rlen, _CHUNK_PAIRS, _CHUNK_ELEMENTS):
            yield (
                slots,
                self._chunk_max_counts(cands, refs, pairs[slots], block, pad_r, pad_c, both),
            )

    def _chunk_max_counts(
        self,
        cands: Segments,
        refs: Segments,
        pairs: np.ndarray,
        block: _Block | None,
        pad_r: int,
        pad_c: int,
        both: bool = False,
    ) -> tuple[list[np.ndarray], list[np.ndarray] | None]:
        lc = int(cands.lengths[pairs[:, 0]].max(initial=0))
        lr = int(refs.lengths[pairs[:, 1]].max(initial=0))
        ids_c = _rows(cands, -1)[pairs[:, 0], :lc]
        ids_r = _rows(refs, -1)[pairs[:, 1], :lr]
        if block is None:  # the chunk's own similarities (see _per_chunk)
            rows_c, rows_r = self._similarity_rows()
            sim = self.similarity.pair_blocks(rows_c[ids_c], rows_r[ids_r])
        else:
            tc = _block_ids(ids_c, block.rows, pad_r)
            tr = _block_ids(ids_r, block.cols, pad_c)
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
            ref_counts = _rows(refs, k)[pairs[:, 1], : lr - k]
            out.append((prod * ref_counts[:, None, :].astype(np.float32)).max(axis=2))
            if both:
                # Word similarity is symmetric, so the reverse direction (reference n-grams
                # matched in the candidate) reuses the same tensor.
                cand_counts = _rows(cands, k)[pairs[:, 0], : lc - k]
                back.append((prod * cand_counts[:, :, None].astype(np.float32)).max(axis=1))
        return out, (back if both else None)

    def _clip(self, cands: Segments, pairs: np.ndarray, best: list[np.ndarray]) -> np.ndarray:
        """Σ over candidate positions of min(count, m)/count: each distinct n-gram once."""
        matches = np.zeros((len(pairs), self.order))
        for k in range(self.order):
            width = best[k].shape[1]
            cnt = _rows(cands, k)[pairs[:, 0], :width].astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                part = np.where(cnt > 0, np.minimum(cnt, best[k]) / cnt, 0.0)
            matches[:, k] = part.sum(axis=1)
        return matches

    # -- sparse soft partners: exact statistics for many sentence pairs ----------------------
    def _width(self, k: int) -> int:
        return len(self._word_list) if k == 0 else len(self._ngram_ids[k])

    def _grow(self, k: int, size: int, rows: list, cols: list, vals: list) -> Links:
        """The order-k partner matrix grown to ``size`` with links of the new n-grams (given
        from the new side; similarity is symmetric, so each is added both ways)."""
        old = self._partners.get(k)
        old_size = self._partners_size.get(k, 0)
        r, c, v = (np.concatenate(x) if x else np.zeros(0) for x in (rows, cols, vals))
        r, c = r.astype(np.int64), c.astype(np.int64)
        back = c < old_size  # a new n-gram's link to an old one, stored from the old side too
        r, c, v = (
            np.concatenate([r, c[back]]),
            np.concatenate([c, r[back]]),
            np.concatenate([v, v[back]]).astype(np.float64),
        )
        if old is not None and old_size:
            old_r, old_c, old_v = old.triples()
            r, c, v = np.r_[r, old_r], np.r_[c, old_c], np.r_[v, old_v]
        grown = Links.from_triples(r, c, v, size)
        self._partners[k], self._partners_size[k] = grown, size
        return grown

    def _word_neighbours(self) -> Links:
        """Words × words of the vocabulary so far: similarity where it counts (≥ threshold).
        Grown incrementally as new words are prepared."""
        size = len(self._word_list)
        old_size = self._partners_size.get(0, 0)
        if old_size == size and 0 in self._partners:
            return self._partners[0]
        words = self._word_list
        links = getattr(self.similarity, "neighbours", None)
        if links is not None:
            r, c, v = links(words, old_size)
        else:  # a similarity with blocks only
            r, c, v = _block_links(self.similarity, words, old_size)
        rows, cols, vals = [r], [c], [np.asarray(v, dtype=np.float64)]
        return self._grow(0, size, rows, cols, vals)

    def partners(self, k: int) -> Links:
        """(k+1)-gram ids × (k+1)-gram ids: sim_n(g, h) for every pair with sim_n > 0.

        Grown incrementally: a new link always involves a new n-gram (old n-grams hold old
        words only, and a new word's neighbours were linked from the new word's side), so
        enumerating the new n-grams' partners and adding each link both ways is complete.
        """
        words = self._word_neighbours()
        if k == 0:
            return words
        table = self._ngram_ids[k]
        size = len(table)
        old_size = self._partners_size.get(k, 0)
        if old_size == size and k in self._partners:
            return self._partners[k]
        keys = table.grams(old_size)
        degree = np.diff(words.indptr)
        # Most n-grams' words have no neighbour but themselves: their only partner is g.
        alone = np.all(degree[keys] == 1, axis=1)
        rows = [old_size + np.flatnonzero(alone)]
        cols = [rows[0]]
        vals = [np.ones(len(rows[0]))]
        # Every combination of the words' neighbours, position by position (the order of
        # itertools.product over them), with the product of their similarities.
        owner = np.flatnonzero(~alone)
        combos = np.zeros((len(owner), 0), dtype=np.int64)
        products = np.ones(len(owner))
        for position in range(k + 1):
            w = keys[owner, position]
            fan = degree[w]
            parent = np.repeat(np.arange(len(owner)), fan)
            at = np.repeat(words.indptr[w] - (np.cumsum(fan) - fan), fan) + np.arange(fan.sum())
            owner, products = owner[parent], products[parent] * words.data[at]
            combos = np.column_stack([combos[parent], words.indices[at]])
        owner = old_size + owner
        # the candidate partners' ids, looked up in one go (−1: no such n-gram)
        h = table.lookup(combos.astype(np.int64).reshape(-1, k + 1))
        found = h >= 0
        rows.append(owner[found])
        cols.append(h[found])
        vals.append(products[found] ** (1.0 / (k + 1)))
        return self._grow(k, size, rows, cols, vals)

    def _expansion(self, k: int) -> float:
        """Mean number of partner candidates per n-gram (product of its words' degrees)."""
        words = self._word_neighbours()
        table = self._ngram_ids[k]
        if not table:
            return 1.0
        keys = table.grams()
        return float(np.prod(np.diff(words.indptr)[keys].astype(np.float64), axis=1).mean())

    def _partners_in(self, refs: Segments, k: int) -> Links:
        """:meth:`partners` less the links to n-grams no sentence of ``refs`` holds: they can
        match nothing there (half the links on textberg-dev). Cached with ``refs``."""
        partners = self.partners(k)  # a new object whenever it grows
        cache = refs.__dict__.setdefault("_partners_in", {})
        if cache.get(k, (None,))[0] is not partners:
            size = len(partners.indptr) - 1
            keys, _, _, width = _count_table(refs, k)
            present = np.zeros(size + 1, dtype=bool)  # + 1: the n-gram ids refs holds < size
            present[np.minimum(keys % width, size)] = True
            keep = present[partners.indices]
            indptr = np.r_[0, np.cumsum(keep)][partners.indptr]
            cache[k] = (partners, Links(indptr, partners.indices[keep], partners.data[keep]))
        return cache[k][1]

    def _linked_table(
        self, cands: Segments, refs: Segments, k: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """The count table of ``cands`` (:func:`workbench.scoring.bleu._count_table`) less
        the n-grams with no partner in ``refs``: they match nothing there (two in five on
        textberg-dev), and the sums they would add to are the same without their zeros.
        Cached with ``cands``."""
        partners = self._partners_in(refs, k)
        cache = cands.__dict__.setdefault("_linked_tables", {})
        held = cache.get(k)
        if held is None or held[0] is not refs or held[1] is not partners:
            keys, counts, starts, width = _count_table(cands, k)
            linked = np.diff(partners.indptr) > 0
            gram = keys % width
            keep = linked[np.minimum(gram, len(linked) - 1)] & (gram < len(linked))
            kept = keys[keep]
            bounds = np.arange(len(starts), dtype=np.int64) * np.int64(width)
            held = (refs, partners, (kept, counts[keep], np.searchsorted(kept, bounds), width))
            cache[k] = held
        return held[2]

    def _links(self, cands: Segments, refs: Segments, pairs: np.ndarray, k: int):
        """Every (pair, candidate (k+1)-gram g) with each soft partner h of g: the candidate
        counts (:class:`CandidateCounts`), for each link its entry in them, where each entry's
        links start, h, sim_n(g, h) and count_r(h) in the pair's reference; None without
        candidate n-grams."""
        partners = self._partners_in(refs, k)
        table = self._linked_table(cands, refs, k)
        links = table_links(cands, table, partners, k)
        cand = candidate_counts(table, pairs[:, 0])
        if not len(cand.data):
            return None
        degree = np.diff(partners.indptr)[cand.col]
        first = np.cumsum(degree) - degree
        entry = np.repeat(np.arange(len(cand.data)), degree)
        # each pair's links are its candidate's, one run of the cached table's links
        own = links.starts[pairs[:, 0] + 1] - links.starts[pairs[:, 0]]
        at = np.repeat(links.starts[pairs[:, 0]] - (np.cumsum(own) - own), own)
        at += np.arange(len(at))
        h, sim = links.h[at], links.sim[at]
        ref_counts = linked_counts(table, partners, refs, k, np.repeat(pairs[:, 1], own), h)
        return cand, entry, first, h, sim, ref_counts

    def soft_matches(
        self, cands: Segments, refs: Segments, pairs: np.ndarray, both: bool = False
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Σ_g min(count_c(g), m(g)) per pair and order (pairs × order), spec §3, exactly.

        ``both``: also the reverse direction's (the reference's n-grams matched in the
        candidate), from the same links: similarity is symmetric, so h is g's partner
        exactly when g is h's. Returns (forward, backward) then.
        """
        matches = np.zeros((len(pairs), self.order))
        back = np.zeros((len(pairs), self.order))
        for k in range(self.order if len(pairs) else 0):
            links = self._links(cands, refs, pairs, k)
            if links is None:
                continue
            cand, entry, first, h, sim, ref_counts = links
            hit = np.flatnonzero(ref_counts > 0)
            matches[:, k] = forward_matches(cand, entry, first, sim, ref_counts, hit, len(pairs))
            if both:
                # m'(h) = max over the candidate's partners g of count_c(g) · sim_n(g, h)
                slot = cand.row[entry[hit]]
                key = slot * np.int64(self._width(k)) + h[hit]
                order = np.argsort(key, kind="stable")
                key = key[order]
                value = (sim[hit] * cand.data[entry[hit]])[order]
                starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
                m_h = np.maximum.reduceat(value, starts) if len(key) else value
                clipped_h = np.minimum(ref_counts[hit][order][starts], m_h)
                back[:, k] = np.bincount(
                    slot[order][starts], weights=clipped_h, minlength=len(pairs)
                )
        return (matches, back) if both else matches

    def score_pairs(
        self, cands: Segments, refs: Segments, pairs: np.ndarray, symmetric: bool
    ) -> np.ndarray:
        if (
            not symmetric
            or type(self).statistics is not AbleuScorer.statistics
            or type(self).score_statistics is not Scorer.score_statistics
            or not self.sparse_route()
        ):
            return super().score_pairs(cands, refs, pairs, symmetric)
        # Both directions from one enumeration of the soft links (see soft_matches).
        forward, backward = self.soft_matches(cands, refs, pairs, both=True)
        cand_len, ref_len = cands.lengths[pairs[:, 0]], refs.lengths[pairs[:, 1]]
        fwd = bleu_from_statistics(
            Statistics(cand_len, ref_len, forward, totals_for(cand_len, self.order))
        )
        bwd = bleu_from_statistics(
            Statistics(ref_len, cand_len, backward, totals_for(ref_len, self.order))
        )
        return harmonic_mean(fwd, bwd)

    def sparse_route(self) -> bool:
        """Whether words have few enough neighbours for :meth:`soft_matches` (decided on a
        sample of the vocabulary; a low threshold makes every word a neighbour of every
        other, where the dense tensors are cheaper)."""
        size = len(self._word_list)
        if self._route[0] != size:
            sample = self._word_list[:: max(1, size // 256)][:256]
            with one_blas_thread():
                block = self.similarity.block(sample, self._word_list) if sample else None
            degree = np.count_nonzero(block) / len(sample) if sample else 1.0
            sparse_ok = degree <= _MAX_MEAN_NEIGHBOURS
            if sparse_ok and self.order > 1:
                sparse_ok = self._expansion(self.order - 1) <= _MAX_MEAN_NEIGHBOURS
            self._route = (size, sparse_ok)
        return self._route[1]

    def _dense_matches(self, cands: Segments, refs: Segments, pairs: np.ndarray) -> np.ndarray:
        matches = np.zeros((len(pairs), self.order))
        group: list[tuple[np.ndarray, list[np.ndarray]]] = []

        def clip_group() -> None:
            # one _clip for several chunks (a few array operations each, not a dozen)
            slots = np.concatenate([s for s, _ in group])
            best = []
            for k in range(self.order):
                part = np.zeros((len(slots), max(b[k].shape[1] for _, b in group)), np.float32)
                at = 0
                for s, b in group:
                    part[at : at + len(s), : b[k].shape[1]] = b[k]
                    at += len(s)
                best.append(part)
            matches[slots] = self._clip(cands, pairs[slots], best)
            group.clear()

        with one_blas_thread():
            for slots, (best, _) in self._chunks(cands, refs, pairs):
                group.append((slots, best))
                if len(group) * _CHUNK_PAIRS >= _CLIP_PAIRS:
                    clip_group()
            if group:
                clip_group()
        return matches

    def statistics(self, cands: Segments, refs: Segments, pairs: np.ndarray) -> Statistics:
        pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        cand_len = cands.lengths[pairs[:, 0]]
        if self.sparse_route():
            matches = self.soft_matches(cands, refs, pairs)
        else:
            matches = self._dense_matches(cands, refs, pairs)
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
        with one_blas_thread():
            for stream in streams:
                for slots, (best, _) in self._chunks(cands, stream, pairs):
                    for k in range(self.order):
                        w = best[k].shape[1]
                        combined[k][slots, :w] = np.maximum(combined[k][slots, :w], best[k])
        return self._clip(cands, pairs, combined)

    # -- all pairs, with a cheap soft-unigram pre-ranking ------------------------------------
    def unigram_matches(self, cands: Segments, refs: Segments) -> np.ndarray:
        """Soft unigram matches of every candidate against every reference (n × m)."""
        if self.sparse_route():
            return self._sparse_unigram_matches(cands, refs)
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

    def _sparse_unigram_matches(self, cands: Segments, refs: Segments) -> np.ndarray:
        """:meth:`unigram_matches` from the words' soft partners, without dense blocks.

        best[v, j] = max over reference j's words w of count_j(w) · sim(v, w) is sparse (a
        word has few partners); then each candidate word v adds min(count_i(v), best[v, j]) to
        every reference j holding a partner of v (an index from v to those j).
        """
        words = self._word_neighbours()
        ref_keys, ref_counts, _, ref_width = _count_table(refs, 0)
        ref_row, ref_col = ref_keys // ref_width, ref_keys % ref_width
        degree = np.diff(words.indptr)[ref_col]
        first = np.cumsum(degree) - degree
        entry = np.repeat(np.arange(len(ref_keys)), degree)
        at = np.repeat(words.indptr[ref_col] - first, degree) + np.arange(int(degree.sum()))
        v = words.indices[at]
        value = words.data[at] * ref_counts[entry]
        key = v * np.int64(len(refs)) + ref_row[entry]
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else key
        best_values = np.maximum.reduceat(value[order], starts) if len(key) else value
        best_values = best_values.astype(np.float32).astype(np.float64)
        out = np.zeros((len(cands), len(refs)))
        cand_keys, cand_counts, cand_starts, cand_width = _count_table(cands, 0)
        add_clipped_matches(
            out,
            (cand_keys // cand_width, cand_keys % cand_width, cand_counts, cand_starts),
            (key[starts] // len(refs), key[starts] % len(refs), best_values),
        )
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
