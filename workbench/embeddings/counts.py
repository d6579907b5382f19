"""A count-based word2vec-pair: positive PMI of words sharing a sentence pair, reduced by SVD.

word2vec-pair (spec §4) trains skip-gram on each (source, target) pair mixed into one sentence,
with a window spanning the whole mixed sentence: every word's context is every other word of
its pair. Skip-gram with negative sampling factorises a shifted pointwise mutual information
matrix of exactly those co-occurrences (Levy & Goldberg 2014), so the same space can be had
directly: count how often two words share a pair, take the positive PMI (context counts
raised to 0.75, as word2vec's negative sampling does), and keep the leading left singular
vectors (Levy, Goldberg & Dagan 2015).

It is deterministic (a seeded randomised SVD), needs NumPy and SciPy only (no gensim), and
takes a fraction of a second for a document where 50 epochs of skip-gram take a minute. On
textberg-dev self-trained ABLEU over it finds as many units exactly as over skip-gram (see
docs/speed.md for the figures and the commands).

The result is a :class:`CountVectors`: the part of gensim's ``KeyedVectors`` that alignment
reads, built without importing gensim. Anything else asked of it (saving, ``most_similar``,
...) is answered by a real ``KeyedVectors`` built from it on first use
(:meth:`CountVectors.keyed_vectors`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.errors import CancelledError, ModelError

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

TokenPair = tuple[Sequence[str], Sequence[str]]

#: Context counts are raised to this power before PMI (word2vec's negative-sampling smoothing).
CONTEXT_POWER = 0.75
#: Word vectors are U · Σ^EIGEN_POWER of the PMI matrix's SVD. 0 (the singular vectors
#: alone, as Levy, Goldberg & Dagan recommend for similarity) against 0.5 on textberg-dev,
#: self-trained ABLEU, seeds 1–3, strict F1 europarlfull / europarllight / google:
#: 0.860 / 0.840 / 0.868 against 0.853 / 0.839 / 0.868 on average (docs/speed.md).
EIGEN_POWER = 0.0
# Extra random directions and power iterations of the randomised SVD (Halko et al. 2011).
_OVERSAMPLE = 10
_POWER_ITERATIONS = 4


class CountVectors:
    """Word vectors with gensim ``KeyedVectors``' attributes that alignment uses
    (``index_to_key``, ``key_to_index``, ``vectors``, ``vector_size``, ``get_vector``,
    ``in``, per-word side counts in ``expandos``, ``side_names``); any other attribute is
    taken from :meth:`keyed_vectors`, a real ``KeyedVectors`` built once on first use."""

    def __init__(
        self,
        words: Sequence[str],
        vectors: np.ndarray,
        source_counts: Sequence[int] | None = None,
        target_counts: Sequence[int] | None = None,
        side_names: tuple[str, str] | None = None,
    ):
        self.index_to_key = list(words)
        self.key_to_index = {w: i for i, w in enumerate(self.index_to_key)}
        self.vectors = np.asarray(vectors, dtype=np.float32)
        self.vector_size = int(self.vectors.shape[1])
        n = len(self.index_to_key)
        self.expandos = {
            "source_count": np.asarray(
                source_counts if source_counts is not None else np.zeros(n), dtype=np.int64
            ),
            "target_count": np.asarray(
                target_counts if target_counts is not None else np.zeros(n), dtype=np.int64
            ),
        }
        self.side_names = tuple(side_names or ("source", "target"))
        self._kv: KeyedVectors | None = None

    def __contains__(self, word: object) -> bool:
        return word in self.key_to_index

    def __len__(self) -> int:
        return len(self.index_to_key)

    def get_index(self, key: str, default: int | None = None) -> int:
        index = self.key_to_index.get(key, default)
        if index is None:
            raise KeyError(f"Key '{key}' not present")
        return index

    def get_vector(self, key: str, norm: bool = False) -> np.ndarray:
        vector = self.vectors[self.get_index(key)]
        if norm:
            length = float(np.linalg.norm(vector))
            return vector / length if length > 0 else vector
        return vector

    def __getitem__(self, key: str) -> np.ndarray:
        return self.get_vector(key)

    def keyed_vectors(self) -> KeyedVectors:
        """The same vectors as a gensim ``KeyedVectors`` (with side counts), built once."""
        kv = self.__dict__.get("_kv")
        if kv is None:
            from gensim.models import KeyedVectors

            from workbench.embeddings.training import set_side_counts

            kv = KeyedVectors(self.vector_size, count=0)
            if self.index_to_key:
                kv.add_vectors(self.index_to_key, self.vectors)
            set_side_counts(
                kv,
                self.expandos["source_count"],
                self.expandos["target_count"],
                self.side_names,
            )
            self.__dict__["_kv"] = kv
        return kv

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not found above: gensim's other methods and attributes.
        if name.startswith("__") or name == "_kv":
            raise AttributeError(name)
        return getattr(self.keyed_vectors(), name)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_kv"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


def cooccurrence_ppmi(
    pairs: Sequence[TokenPair], context_power: float = CONTEXT_POWER
) -> tuple[list[str], Any, np.ndarray, np.ndarray]:
    """Words (most frequent first), the words × words positive PMI of their sharing a pair
    (sparse), and each word's source-side and target-side count.

    Two positions of one mixed pair co-occur once (as skip-gram over the whole mixed sentence
    sees them): a pair with word counts x gives x xᵀ − diag(x).
    """
    from scipy import sparse

    words, cols, lengths, source, target = _interned_tokens(pairs)
    n = len(words)
    rows = np.repeat(np.arange(len(pairs)), lengths)
    x = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(pairs), n))
    x.sum_duplicates()
    counts = (x.T @ x).tocsr() - sparse.diags(np.asarray(x.sum(axis=0)).ravel())
    counts.eliminate_zeros()
    counts = counts.tocoo()
    grand = counts.sum()
    row_sums = np.asarray(counts.sum(axis=1)).ravel()
    ppmi = sparse.csr_matrix((n, n))
    if grand > 0:
        context = row_sums**context_power
        context = context / context.sum()
        pmi = (
            np.log(counts.data / grand)
            - np.log(row_sums[counts.row] / grand)
            - np.log(context[counts.col])
        )
        keep = pmi > 0
        ppmi = sparse.csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=(n, n))
    return words, ppmi, source, target


def _interned_tokens(
    pairs: Sequence[TokenPair],
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The vocabulary, most frequent first, ties in order of first appearance (as gensim
    orders its vocabulary); each token's index in it (pair by pair, source then target);
    each pair's token count; each word's source-side and target-side count.

    The tokens are walked once, in C (``chain``, ``dict.fromkeys``, ``map``): each gets an id
    in order of first appearance, and the counts and the order are numpy's on those ids.
    """
    sides = np.fromiter(map(len, chain.from_iterable(pairs)), np.int64, 2 * len(pairs))
    flat = list(chain.from_iterable(chain.from_iterable(pairs)))
    seen = list(dict.fromkeys(flat))  # first appearance order
    ids = np.fromiter(
        map(dict(zip(seen, range(len(seen)), strict=True)).__getitem__, flat), np.int64, len(flat)
    )
    on_target = np.repeat(np.tile(np.array([False, True]), len(pairs)), sides)
    source = np.bincount(ids[~on_target], minlength=len(seen))
    target = np.bincount(ids[on_target], minlength=len(seen))
    order = np.argsort(-(source + target), kind="stable")  # ties: first appearance
    rank = np.empty(len(seen), dtype=np.int64)
    rank[order] = np.arange(len(seen))
    words = [seen[i] for i in order]
    lengths = sides[0::2] + sides[1::2]
    return words, rank[ids], lengths, source[order].astype(np.int64), target[order].astype(np.int64)


def truncated_svd(matrix: Any, rank: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The ``rank`` leading left singular vectors and values of a sparse matrix: a seeded
    randomised SVD (deterministic for a seed), signs fixed so that each vector's largest
    component is positive."""
    n = matrix.shape[0]
    k = min(rank + _OVERSAMPLE, n, matrix.shape[1])
    if k < 1:
        return np.zeros((n, 0)), np.zeros(0)
    with _one_blas_thread():
        return _randomised_svd(matrix, rank, k, seed)


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """BLAS on one thread (threadpoolctl, which scikit-learn brings, when present).

    The factorisations here are small (vocabulary × 60): threads gain nothing on them, and on a
    busy machine OpenBLAS's threads waiting for each other made them 10× slower (textberg-dev
    on 2 shared cores: the QRs took 7.3 s, on one thread 0.7 s).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - scikit-learn depends on it
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _randomised_svd(matrix: Any, rank: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    q = np.random.default_rng(seed).standard_normal((matrix.shape[1], k))
    q, _ = np.linalg.qr(matrix @ q)
    for _ in range(_POWER_ITERATIONS):
        q, _ = np.linalg.qr(matrix.T @ q)
        q, _ = np.linalg.qr(matrix @ q)
    small = np.asarray((matrix.T @ q).T)  # k × columns
    u_small, values, _ = np.linalg.svd(small, full_matrices=False)
    u = (q @ u_small)[:, :rank]
    values = values[:rank]
    if u.size:
        sign = np.sign(u[np.abs(u).argmax(axis=0), np.arange(u.shape[1])])
        u = u * np.where(sign == 0, 1.0, sign)
    return u, values


def train_count_embeddings(
    pairs: Sequence[TokenPair],
    vector_size: int = 50,
    seed: int = 1,
    *,
    side_names: tuple[str, str] | None = None,
    context_power: float = CONTEXT_POWER,
    eigen_power: float = EIGEN_POWER,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> CountVectors:
    """word2vec-pair's space from counts (see the module docstring): positive PMI of words
    sharing a (source, target) pair, reduced to ``vector_size`` dimensions by a seeded
    truncated SVD. Returns :class:`CountVectors` (side counts recorded as
    :func:`workbench.embeddings.train_embeddings` records them)."""
    pairs = [(list(s), list(t)) for s, t in pairs]
    if not any(s or t for s, t in pairs):
        raise ModelError("no training sentences: the parallel corpus is empty")
    if vector_size < 1:
        raise ModelError("vector size must be at least 1")
    if cancel and cancel():
        raise CancelledError("embedding training cancelled")
    words, ppmi, source, target = cooccurrence_ppmi(pairs, context_power)
    if cancel and cancel():
        raise CancelledError("embedding training cancelled")
    u, values = truncated_svd(ppmi, vector_size, seed)
    vectors = np.zeros((len(words), vector_size), dtype=np.float32)
    # directions with no singular value (a rank-deficient matrix: a tiny corpus) carry nothing
    scale = np.where(values > values.max(initial=0.0) * 1e-9, values**eigen_power, 0.0)
    vectors[:, : u.shape[1]] = u * scale
    if progress:
        progress(1.0)
    return CountVectors(words, vectors, source, target, side_names)
