"""Word similarity for ABLEU: cosine of word vectors from a gensim KeyedVectors.

Negative cosines are clipped to 0, a word always matches itself with 1, and a word the
embedding does not know matches only itself. Similarities below ``threshold`` count as 0.

Why a threshold (default :data:`DEFAULT_THRESHOLD`): in a word2vec space almost every pair of
words has a small positive cosine (0.1–0.3 for unrelated words). Without a cut-off every
candidate word soft-matches something in every reference, which lifts all scores alike and
blurs the difference between the right target sentence and its neighbours. Near-synonyms and
translations in a word2vec-pair space sit well above the cut-off.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

DEFAULT_THRESHOLD = 0.5


class WordSimilarity:
    """Similarity blocks (vocabulary × vocabulary) from one embedding, with vectors cached.

    Each word met is looked up once (its unit vector, its row in the embedding, whether it has
    a digit) and kept in arrays, so that a block is a few array operations whatever its size.
    """

    def __init__(
        self,
        keyed_vectors: KeyedVectors | None,
        threshold: float | None = None,
        mutual: int | None = None,
        exact_numbers: bool = False,
    ):
        self.kv = keyed_vectors
        self.threshold = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        self.mutual = mutual
        self.exact_numbers = exact_numbers
        self.dim = int(getattr(keyed_vectors, "vector_size", 0) or 0)
        # Per word met so far: its row in the arrays below.
        self._rows: dict[str, int] = {}
        self._unit = np.zeros((0, max(self.dim, 1)), dtype=np.float32)  # unit vector (or 0)
        self._known = np.zeros(0, dtype=bool)  # the embedding gives it a nonzero vector
        self._index = np.zeros(0, dtype=np.int64)  # its row in the embedding (-1: none)
        self._digit = np.zeros(0, dtype=bool)  # has a digit

    @classmethod
    def load(
        cls, source: str | Path | object | None, threshold: float | None = None
    ) -> WordSimilarity:
        """From a KeyedVectors object, a file path (.kv, word2vec text/binary) or None (exact only)."""
        if source is None or hasattr(source, "get_vector"):
            return cls(source, threshold)
        from workbench.embeddings import load_keyed_vectors

        return cls(load_keyed_vectors(source), threshold)

    @property
    def identity(self) -> str:
        """A short description for signatures: which embedding, which threshold."""
        if self.kv is None:
            return "exact"
        n = len(getattr(self.kv, "index_to_key", ()))
        mutual = f"mnn{self.mutual}" if self.mutual else ""
        numbers = "num" if self.exact_numbers else ""
        return f"w2v{n}x{self.dim}@{self.threshold:g}{mutual}{numbers}"

    def _mutual_lists(self) -> np.ndarray:
        """Each embedding word's mutual nearest words: embedding rows × ``mutual``, −1 where
        a place is empty (shared by every similarity over the same embedding and floor).

        Why: an embedding learnt from a few hundred sentence pairs places every word of a pair
        close to every other (the whole pair is the context), so many unrelated words clear any
        cosine threshold; a word and its true variant or translation are each other's nearest.
        Costs a vocabulary × vocabulary product: meant for document-sized embeddings.

        The lists are read only for pairs at or above the threshold, so only words within
        :data:`_LIST_MARGIN` of it are ranked (see :func:`_top_k_above`): a word's place among
        them is its place among all words for every pair that can count.
        """
        k_asked = int(self.mutual or 0)
        # Ranked from the default threshold down at least: one computation then serves the
        # self-trained MT-vs-target (0.97) and source-vs-target (0.5) similarities alike.
        lowest = min(self.threshold, DEFAULT_THRESHOLD)
        floor = lowest - _LIST_MARGIN if lowest > _LIST_MARGIN else None
        per_kv = _MUTUAL.setdefault(id(self.kv), (self.kv, {}))[1]
        # Lists ranked above a lower floor (or among all words) serve a higher threshold too.
        for k_held, floor_held in per_kv:
            if k_held == k_asked and (floor_held is None or (floor and floor_held <= floor)):
                return per_kv[(k_held, floor_held)]
        vectors = np.asarray(self.kv.vectors, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = vectors / np.where(norms > 0, norms, 1)
        n, k = len(unit), min(k_asked, max(len(unit) - 1, 1))
        top = np.zeros((n, k), dtype=np.int64)
        step = max(1, 4_000_000 // max(n, 1))
        for start in range(0, n, step):
            sims = unit[start : start + step] @ unit.T
            rows = np.arange(len(sims))
            sims[rows, rows + start] = -np.inf  # itself always matches, not a neighbour
            chunk = _top_k_above(sims, k, floor) if floor is not None else None
            top[start : start + step] = _top_k(sims, k) if chunk is None else chunk
        # j is kept in i's list when i is in j's list too
        listed = top >= 0
        back = listed & (top[np.where(listed, top, 0)] == np.arange(n)[:, None, None]).any(2)
        per_kv[(k_asked, floor)] = np.where(back, top, -1)
        while len(_MUTUAL) > _MUTUAL_KEEP:
            _MUTUAL.pop(next(iter(_MUTUAL)))
        return per_kv[(k_asked, floor)]

    def _lookup(self, words: Sequence[str]) -> np.ndarray:
        """Rows of ``words`` in the per-word arrays, adding the words not met before."""
        rows = self._rows
        new = [w for w in dict.fromkeys(words) if w not in rows]
        if new:
            kv = self.kv
            index = getattr(kv, "key_to_index", {}) if kv is not None else {}
            positions = np.fromiter((index.get(w, -1) for w in new), np.int64, len(new))
            raw = np.zeros((len(new), self._unit.shape[1]), dtype=np.float32)
            if kv is not None:
                have = np.flatnonzero(positions >= 0)
                if len(have):
                    raw[have] = np.asarray(kv.vectors, dtype=np.float32)[positions[have]]
                for i in np.flatnonzero(positions < 0).tolist():
                    if new[i] in kv:  # FastText builds a vector from the word's n-grams
                        raw[i] = np.asarray(kv.get_vector(new[i]), dtype=np.float32)
            norms = np.sqrt(np.einsum("ij,ij->i", raw, raw))
            known = norms > 0
            raw[known] /= norms[known, None]
            rows.update(zip(new, range(len(rows), len(rows) + len(new)), strict=True))
            self._unit = np.concatenate([self._unit, raw])
            self._known = np.concatenate([self._known, known])
            self._index = np.concatenate([self._index, positions])
            self._digit = np.concatenate(
                [self._digit, np.fromiter(map(_has_digit, new), bool, len(new))]
            )
        return np.fromiter(map(rows.__getitem__, words), np.int64, len(words))

    def _near(self, ia: np.ndarray, ib: np.ndarray) -> np.ndarray:
        """Whether embedding rows ``ia[i]`` and ``ib[j]`` are mutual nearest words (bool
        block); a row −1 (a word the model builds from subwords only) has no neighbours."""
        lists = self._mutual_lists()
        near = np.zeros((len(ia), len(ib)), dtype=bool)
        valid_b = np.flatnonzero(ib >= 0)
        if not len(valid_b) or not lists.shape[1]:
            return near
        order = valid_b[np.argsort(ib[valid_b], kind="stable")]
        sorted_b = ib[order]
        valid_a = np.flatnonzero(ia >= 0)
        cand = lists[ia[valid_a]]  # (a, k) neighbour rows
        pos = np.minimum(np.searchsorted(sorted_b, cand), len(sorted_b) - 1)
        hit = (cand >= 0) & (sorted_b[pos] == cand)
        r, c = np.nonzero(hit)
        near[valid_a[r], order[pos[r, c]]] = True
        # a word listed twice in ``words_b`` (never by the scorers) gets all its places
        if len(sorted_b) > 1 and np.any(sorted_b[1:] == sorted_b[:-1]):
            _, first, counts = np.unique(sorted_b, return_index=True, return_counts=True)
            for f, cnt in zip(first[counts > 1].tolist(), counts[counts > 1].tolist(), strict=True):
                near[:, order[f : f + cnt]] = near[:, order[f : f + cnt]].any(1, keepdims=True)
        return near

    def block(self, words_a: Sequence[str], words_b: Sequence[str]) -> np.ndarray:
        """sim(a, b) for all a in ``words_a``, b in ``words_b`` (float32, in [0, 1])."""
        out = np.zeros((len(words_a), len(words_b)), dtype=np.float32)
        if not len(words_a) or not len(words_b):
            return out
        ra, rb = self._lookup(words_a), self._lookup(words_b)
        if self.kv is not None and self._known[ra].any() and self._known[rb].any():
            # unknown words have zero vectors here: their cosines come out 0
            out = self._unit[ra] @ self._unit[rb].T
            np.clip(out, 0.0, 1.0, out=out)
            np.multiply(out, out >= self.threshold, out=out)
            if self.mutual:
                out *= self._near(self._index[ra], self._index[rb])
            if self.exact_numbers:
                # 1849 and 1850 sit close in a subword space, yet a year or a height that
                # differs is evidence against a pair, not for it: digits match exactly only.
                out[self._digit[ra]] = 0.0
                out[:, self._digit[rb]] = 0.0
        # a word matches itself (the last of its places in words_b, as a dict would keep)
        last = len(rb) - 1 - np.unique(rb[::-1], return_index=True)[1]
        sorted_b = rb[last]  # np.unique sorts: rows ascending
        pos = np.minimum(np.searchsorted(sorted_b, ra), len(sorted_b) - 1)
        same = np.flatnonzero(sorted_b[pos] == ra)
        out[same, last[pos[same]]] = 1.0
        return out

    def word_rows(self, words: Sequence[str]) -> np.ndarray:
        """Each word's row in the per-word arrays (for :meth:`pair_blocks`)."""
        return self._lookup(words)

    @property
    def pair_blocks(self):  # noqa: ANN201
        """:meth:`_pair_blocks`, or None with mutual nearest words (which need the whole
        vocabulary)."""
        return None if self.mutual else self._pair_blocks

    def _pair_blocks(self, rows_a: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
        """sim for many pairs at once: ``rows_a`` (pairs × La) and ``rows_b`` (pairs × Lb)
        are words' rows (:meth:`word_rows`); pairs × La × Lb, as :meth:`block` of each pair's
        words gives them."""
        out = np.matmul(self._unit[rows_a], self._unit[rows_b].transpose(0, 2, 1))
        np.clip(out, 0.0, 1.0, out=out)
        np.multiply(out, out >= self.threshold, out=out)
        if self.exact_numbers:
            out *= ~self._digit[rows_a][:, :, None]
            out *= ~self._digit[rows_b][:, None, :]
        out[rows_a[:, :, None] == rows_b[:, None, :]] = 1.0
        return out

    def neighbours(self, words: Sequence[str], start: int = 0) -> tuple[np.ndarray, ...]:
        """(rows, cols, sims) of the nonzero similarities of ``words[start:]`` with all of
        ``words`` (distinct words): what :meth:`block` gives, without the dense block where
        mutual nearest words make it sparse."""
        if not self.mutual or self.kv is None:
            return _block_links(self, words, start)
        rw = self._lookup(words)
        rows = rw[start:]
        new = np.arange(start, len(words))
        # each embedding row's place in ``words`` (distinct words: one place each)
        index = self._index[rw]
        has = np.flatnonzero(index >= 0)
        order = has[np.argsort(index[has], kind="stable")]
        sorted_idx = index[order]
        ok = self._known[rows] & (self._index[rows] >= 0)
        if self.exact_numbers:
            ok &= ~self._digit[rows]
        a = np.flatnonzero(ok)
        r_out, c_out, v_out = [new, np.zeros(0, np.int64)], [new, np.zeros(0, np.int64)], []
        v_out.append(np.ones(len(new), dtype=np.float32))
        if len(a) and len(sorted_idx):
            cand = self._mutual_lists()[self._index[rows[a]]]
            pos = np.minimum(np.searchsorted(sorted_idx, cand), len(sorted_idx) - 1)
            hit = (cand >= 0) & (sorted_idx[pos] == cand)
            r, c = np.nonzero(hit)
            i, j = a[r] + start, order[pos[r, c]]
            keep = self._known[rw[j]]
            if self.exact_numbers:
                keep &= ~self._digit[rw[j]]
            i, j = i[keep], j[keep]
            sims = np.einsum("ij,ij->i", self._unit[rw[i]], self._unit[rw[j]])
            np.clip(sims, 0.0, 1.0, out=sims)
            keep = (sims >= self.threshold) & (sims > 0) & (i != j)
            r_out[1], c_out[1] = i[keep], j[keep]
            v_out.append(sims[keep])
        return np.concatenate(r_out), np.concatenate(c_out), np.concatenate(v_out)

    def similarity(self, a: str, b: str) -> float:
        return float(self.block([a], [b])[0, 0])


def _top_k_above(sims: np.ndarray, k: int, floor: float) -> np.ndarray | None:
    """:func:`_top_k` among each row's entries at or above ``floor`` (−1 for places left
    empty), or None when too many entries clear it for this to be the cheaper way.

    For an entry within reach of the threshold (≥ floor + 1e-5) every entry ranked above it
    in :func:`_top_k`'s order (values rounded to 1e-6, then lower column) is ≥ floor too, so
    its rank is the same in both lists; with a count-based embedding and the default
    threshold 0.97 a row keeps ~10 of 5,000 entries, and one comparison per entry replaces a
    partition of each row."""
    rows, cols = np.nonzero(sims >= floor)
    if len(rows) > _MAX_ABOVE_PER_ROW * len(sims):
        return None
    key = np.round(sims[rows, cols], 6)
    order = np.lexsort((cols, -key, rows))  # by row, largest first, lower column
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(len(sims)))
    rank = np.arange(len(rows)) - starts[rows]
    out = np.full((len(sims), k), -1, dtype=np.int64)
    keep = rank < k
    out[rows[keep], rank[keep]] = cols[keep]
    return out


def _top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """Each row's ``k`` largest columns, ties broken by the lower column.

    Similarities are compared rounded to 1e-6: words with the same vector (in a count-based
    embedding, words seen once and in the same pair) have cosines that differ in the last bits
    only, depending on how the matrix product was blocked; the rounding and the tie-break make
    the choice among them the same on every machine.

    Only the few entries that can be among a row's ``k`` largest after rounding are rounded
    and sorted: rounding is monotone, so the k-th largest rounded value is the k-th largest
    value rounded, and every entry reaching it lies within 1e-5 of the k-th largest value.
    (This is the vocabulary × vocabulary part of :meth:`WordSimilarity._mutual_lists`: one
    partition and one comparison per entry, where rounding the whole block took as long
    again; tests/test_speed_identity.py checks the lists equal to rounding everything.)
    """
    n = sims.shape[1]
    kth = np.partition(sims, n - k, axis=1)[:, n - k : n - k + 1]
    rows, cols = np.nonzero(sims >= kth - 1e-5)
    key = np.round(sims[rows, cols], 6)
    keep = key >= np.round(kth, 6)[rows, 0]
    rows, cols, key = rows[keep], cols[keep], key[keep]
    order = np.lexsort((cols, -key, rows))  # by row, largest first, lower column
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(len(sims)))
    rank = np.arange(len(rows)) - starts[rows]
    out = np.empty((len(sims), k), dtype=np.int64)
    keep = rank < k
    out[rows[keep], rank[keep]] = cols[keep]
    return out


# Mutual nearest-word lists per embedding (by id, the object kept alive with them): the
# MT-vs-target and source-vs-target scorers share one embedding.
_MUTUAL: dict[int, tuple[object, dict[tuple[int, float | None], np.ndarray]]] = {}
# Words ranked for the mutual lists: those within this of the threshold (far more than the
# float32 rounding between two ways of computing one cosine, ~1e-6).
_LIST_MARGIN = 1e-3
# Above this mean number of entries per row clearing the floor, ranking them all costs more
# than partitioning the rows.
_MAX_ABOVE_PER_ROW = 64
_MUTUAL_KEEP = 4


def _block_links(sim: object, words: Sequence[str], start: int) -> tuple[np.ndarray, ...]:
    """(rows, cols, sims) of the nonzero entries of ``sim.block(words[start:], words)``,
    computed in blocks of rows (~8 MB float32 each)."""
    size = len(words)
    rows, cols, vals = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.float32)]
    step = max(1, 2_000_000 // max(size, 1))
    for first in range(start, size, step):
        block = sim.block(words[first : min(first + step, size)], words)
        r, c = np.nonzero(block)
        rows.append(r + first)
        cols.append(c)
        vals.append(block[r, c])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def one_blas_thread() -> contextlib.AbstractContextManager:
    """BLAS on one thread (threadpoolctl, which scikit-learn brings, when present) for the
    dense route's many small products (pairs × Lc × dim by pairs × dim × Lr): threads gain
    nothing on them, and on a busy machine OpenBLAS's threads waiting for each other made
    them 40× slower (`workbench score`, 12,000 pairs on 2 shared cores: 1.6 s instead of
    0.04 s)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn depends on it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _has_digit(word: str) -> bool:
    return any(map(str.isdigit, word))


class MaxSimilarity:
    """The larger of several similarities per word pair: a given embedding refined by one
    trained on the document's own confident pairs keeps what either of them knows."""

    def __init__(self, parts: Sequence[WordSimilarity]):
        if not parts:
            raise ValueError("MaxSimilarity needs at least one similarity")
        self.parts = list(parts)
        self.threshold = min(p.threshold for p in self.parts)

    @property
    def identity(self) -> str:
        return "max(" + ",".join(p.identity for p in self.parts) + ")"

    def neighbours(self, words: Sequence[str], start: int = 0) -> tuple[np.ndarray, ...]:
        """(rows, cols, sims) of the nonzero similarities of ``words[start:]`` with all of
        ``words``: the largest of the parts' where several link the same pair."""
        links = [part.neighbours(words, start) for part in self.parts]
        if len(links) == 1:
            return links[0]
        rows, cols, sims = (np.concatenate(x) for x in zip(*links, strict=True))
        key = rows * max(len(words), 1) + cols
        order = np.lexsort((-sims, key))  # per pair, the largest first
        first = order[np.r_[True, key[order][1:] != key[order][:-1]]] if len(order) else order
        return rows[first], cols[first], sims[first]

    def block(self, words_a: Sequence[str], words_b: Sequence[str]) -> np.ndarray:
        out = self.parts[0].block(words_a, words_b)
        for part in self.parts[1:]:
            np.maximum(out, part.block(words_a, words_b), out=out)
        return out

    def similarity(self, a: str, b: str) -> float:
        return float(self.block([a], [b])[0, 0])
