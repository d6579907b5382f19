"""N-gram ids of a scorer, kept in sorted NumPy arrays instead of a dict of tuples.

A (k+1)-gram (k ≥ 1) is keyed by one int64: the id of its first k words as a k-gram (for a
bigram, the first word's id) times 2**32 plus the id of its last word. Its prefix is always
interned first (it is the k-gram starting at the same position of the same sentence), so a
whole batch of n-grams is interned with a few array operations and no Python object per
n-gram: the cost of interning the sentences of `workbench score` was half of its time.

Ids are given in order of first appearance, exactly as ``dict.setdefault(gram, len(table))``
one n-gram at a time would give them; the table also reads like that dict (a ``Mapping`` from
tuples of word ids to ids) for code and tests that look single n-grams up.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np

_SHIFT = np.int64(1 << 32)


class NgramTable(Mapping):
    """(k+1)-grams of word ids → ids 0, 1, 2, … in order of first appearance.

    ``prefix`` is the table of k-grams (None for bigrams, whose prefix is a word id).
    """

    def __init__(self, size: int, prefix: NgramTable | None = None):
        if size < 2 or (prefix is None) != (size == 2):
            raise ValueError("an n-gram table holds bigrams or longer, over its prefix's table")
        self.size = size
        self.prefix = prefix
        self._keys = np.zeros(0, dtype=np.int64)  # sorted keys
        self._ids = np.zeros(0, dtype=np.int64)  # the id of each sorted key
        self._grams = np.zeros((0, size), dtype=np.int64)  # words of each id, by id

    # -- keys ---------------------------------------------------------------------------------
    def keys_of(self, grams: np.ndarray) -> np.ndarray:
        """Keys of the rows of ``grams`` (n-grams as word ids); −1 where the row's prefix is
        not in the prefix table (then the row is not in this table either)."""
        grams = np.asarray(grams, dtype=np.int64).reshape(-1, self.size)
        if self.prefix is None:
            head = grams[:, 0]
        else:
            head = self.prefix.find(self.prefix.keys_of(grams[:, :-1]))
        return np.where(head >= 0, head * _SHIFT + grams[:, -1], -1)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Ids of ``keys``; −1 for a key not in the table."""
        keys = np.asarray(keys, dtype=np.int64)
        if not len(self._keys):
            return np.full(keys.shape, -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        return np.where((self._keys[pos] == keys) & (keys >= 0), self._ids[pos], -1)

    def lookup(self, grams: np.ndarray) -> np.ndarray:
        """Ids of the rows of ``grams``; −1 for an n-gram not in the table."""
        return self.find(self.keys_of(grams))

    def add(self, keys: np.ndarray, grams: np.ndarray) -> np.ndarray:
        """Ids of ``keys`` (rows of ``grams``, in the order met), the new ones added in order
        of first appearance. ``grams`` may be a callable giving the rows at given indices."""
        keys = np.asarray(keys, dtype=np.int64)
        if not len(keys):
            return np.zeros(0, dtype=np.int64)
        if np.any(keys < 0):
            raise ValueError("an n-gram's prefix must be interned before the n-gram")
        unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        ids = self.find(unique)
        new = np.flatnonzero(ids < 0)
        if len(new):
            new = new[np.argsort(first[new], kind="stable")]
            ids[new] = np.arange(len(self), len(self) + len(new), dtype=np.int64)
            rows = grams(first[new]) if callable(grams) else np.asarray(grams)[first[new]]
            at = np.searchsorted(self._keys, unique[new])
            order = np.argsort(unique[new], kind="stable")
            self._keys = np.insert(self._keys, at[order], unique[new][order])
            self._ids = np.insert(self._ids, at[order], ids[new][order])
            self._grams = np.concatenate([self._grams, np.asarray(rows, dtype=np.int64)])
        return ids[inverse.ravel()]

    def grams(self, start: int = 0) -> np.ndarray:
        """Words of the n-grams with ids ``start``, ``start + 1``, … (rows)."""
        return self._grams[start:]

    # -- the dict it replaces ------------------------------------------------------------------
    def __getitem__(self, gram: tuple[int, ...]) -> int:
        if len(gram) != self.size:
            raise KeyError(gram)
        found = int(self.lookup(np.asarray([gram], dtype=np.int64))[0])
        if found < 0:
            raise KeyError(gram)
        return found

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        return iter(map(tuple, self._grams.tolist()))

    def __len__(self) -> int:
        return len(self._grams)

    def setdefault(self, gram: tuple[int, ...], default: int) -> int:
        """As ``dict.setdefault`` for a new n-gram numbered ``len(self)``."""
        found = self.get(gram)
        if found is not None:
            return found
        if default != len(self):
            raise ValueError("new n-grams are numbered in order: the next id is len(table)")
        grams = np.asarray([gram], dtype=np.int64)
        return int(self.add(self.keys_of(grams), grams)[0])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NgramTable):
            return self.size == other.size and np.array_equal(self._grams, other._grams)
        return Mapping.__eq__(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<NgramTable of {len(self)} {self.size}-grams>"


def ngram_tables(order: int) -> list[Mapping]:
    """One table per order: index 0 (words: their ids are the word ids) is an empty dict."""
    tables: list[Mapping] = [{}]
    for k in range(1, order):
        tables.append(NgramTable(k + 1, tables[-1] if k > 1 else None))
    return tables
