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

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

DEFAULT_THRESHOLD = 0.5


class WordSimilarity:
    """Similarity blocks (vocabulary × vocabulary) from one embedding, with vectors cached."""

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
        self._vectors: dict[str, np.ndarray | None] = {}
        self._mutual: object | None = None  # sparse embedding-vocabulary mask, built on use
        self.dim = int(getattr(keyed_vectors, "vector_size", 0) or 0)

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

    def _mutual_mask(self) -> object:
        """Embedding-vocabulary pairs that are among each other's ``mutual`` nearest words.

        Why: an embedding learnt from a few hundred sentence pairs places every word of a pair
        close to every other (the whole pair is the context), so many unrelated words clear any
        cosine threshold; a word and its true variant or translation are each other's nearest.
        Costs a vocabulary × vocabulary product: meant for document-sized embeddings.
        """
        if self._mutual is None:
            from scipy import sparse

            vectors = np.asarray(self.kv.vectors, dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            unit = vectors / np.where(norms > 0, norms, 1)
            n, k = len(unit), min(self.mutual, max(len(unit) - 1, 1))
            top = np.zeros((n, k), dtype=np.int64)
            step = max(1, 4_000_000 // max(n, 1))
            for start in range(0, n, step):
                sims = unit[start : start + step] @ unit.T
                rows = np.arange(len(sims))
                sims[rows, rows + start] = -np.inf  # itself always matches, not a neighbour
                top[start : start + step] = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            near = sparse.csr_matrix(
                (np.ones(n * k, dtype=np.float32), (np.repeat(np.arange(n), k), top.ravel())),
                shape=(n, n),
            )
            self._mutual = near.multiply(near.T).tocsr()
        return self._mutual

    def _vector(self, word: str) -> np.ndarray | None:
        vec = self._vectors.get(word, False)
        if vec is False:
            vec = None
            kv = self.kv
            if kv is not None and word in kv:
                raw = np.asarray(kv.get_vector(word), dtype=np.float32)
                norm = float(np.linalg.norm(raw))
                if norm > 0:
                    vec = raw / norm
            self._vectors[word] = vec
        return vec

    def _matrix(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors of the known words and their positions in ``words``."""
        rows, known = [], []
        for i, w in enumerate(words):
            v = self._vector(w)
            if v is not None:
                rows.append(v)
                known.append(i)
        mat = np.vstack(rows) if rows else np.zeros((0, max(self.dim, 1)), dtype=np.float32)
        return mat, np.asarray(known, dtype=np.int64)

    def block(self, words_a: Sequence[str], words_b: Sequence[str]) -> np.ndarray:
        """sim(a, b) for all a in ``words_a``, b in ``words_b`` (float32, in [0, 1])."""
        out = np.zeros((len(words_a), len(words_b)), dtype=np.float32)
        if self.kv is not None and len(words_a) and len(words_b):
            va, ka = self._matrix(words_a)
            vb, kb = self._matrix(words_b)
            if len(ka) and len(kb):
                sims = va @ vb.T
                np.clip(sims, 0.0, 1.0, out=sims)
                sims[sims < self.threshold] = 0.0
                if self.mutual:
                    # words the model builds from subwords only (FastText) have no neighbours
                    index = self.kv.key_to_index
                    ia = np.array([index.get(words_a[i], -1) for i in ka])
                    ib = np.array([index.get(words_b[j], -1) for j in kb])
                    near = self._mutual_mask()[np.maximum(ia, 0)][:, np.maximum(ib, 0)]
                    sims *= (near.toarray() > 0) & (ia[:, None] >= 0) & (ib[None, :] >= 0)
                if self.exact_numbers:
                    # 1849 and 1850 sit close in a subword space, yet a year or a height that
                    # differs is evidence against a pair, not for it: digits match exactly only.
                    sims[np.array([_has_digit(words_a[i]) for i in ka], dtype=bool)] = 0.0
                    sims[:, np.array([_has_digit(words_b[j]) for j in kb], dtype=bool)] = 0.0
                out[np.ix_(ka, kb)] = sims
        index_b = {w: j for j, w in enumerate(words_b)}
        for i, w in enumerate(words_a):
            j = index_b.get(w)
            if j is not None:
                out[i, j] = 1.0
        return out

    def similarity(self, a: str, b: str) -> float:
        return float(self.block([a], [b])[0, 0])


def _has_digit(word: str) -> bool:
    return any(ch.isdigit() for ch in word)


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

    def block(self, words_a: Sequence[str], words_b: Sequence[str]) -> np.ndarray:
        out = self.parts[0].block(words_a, words_b)
        for part in self.parts[1:]:
            np.maximum(out, part.block(words_a, words_b), out=out)
        return out

    def similarity(self, a: str, b: str) -> float:
        return float(self.block([a], [b])[0, 0])
