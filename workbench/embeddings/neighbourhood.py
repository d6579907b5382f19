"""Nearest neighbours by cosine similarity, with each neighbour's language, and their tables.

A word2vec-pair model places both languages in one space; the side counts recorded at training
time (see :mod:`workbench.embeddings.training`) say which language each neighbour comes from.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import InputError, ModelError

if TYPE_CHECKING:
    from gensim.models import KeyedVectors


@dataclass(frozen=True)
class Neighbour:
    word: str
    similarity: float  # cosine
    language: str = ""  # side name(s) the word occurred on at training time; "" if unknown


@dataclass(frozen=True)
class NeighbourRow:
    """One row of a neighbour table: ``query``'s ``rank``-th nearest word."""

    query: str
    rank: int
    word: str
    similarity: float
    language: str = ""
    model: str = ""


def in_vocabulary(vectors: KeyedVectors, word: str) -> bool:
    """Whether the word was seen in training (FastText can still build vectors for others)."""
    return word in vectors.key_to_index


def has_subwords(vectors: KeyedVectors) -> bool:
    """Whether the model builds vectors for unseen words from character n-grams (FastText)."""
    return getattr(vectors, "bucket", 0) > 0 and hasattr(vectors, "vectors_ngrams")


def side_names(vectors: KeyedVectors) -> tuple[str, str]:
    return tuple(getattr(vectors, "side_names", ("source", "target")))


def side_counts(vectors: KeyedVectors, word: str) -> tuple[int, int] | None:
    """How often ``word`` occurred on the source and the target side; None if not recorded."""
    if "source_count" not in vectors.expandos or word not in vectors.key_to_index:
        return None
    i = vectors.key_to_index[word]
    return int(vectors.expandos["source_count"][i]), int(vectors.expandos["target_count"][i])


def word_language(vectors: KeyedVectors, word: str) -> str:
    """The side name the word comes from (``"ko"``), both (``"ko+en"``), or ``""`` if unknown."""
    counts = side_counts(vectors, word)
    if counts is None:
        return ""
    names = side_names(vectors)
    return "+".join(name for name, n in zip(names, counts, strict=True) if n > 0)


def neighbours(vectors: KeyedVectors, word: str, k: int = 20) -> list[tuple[str, float]]:
    """The ``k`` nearest words by cosine similarity.

    An empty query is an :class:`InputError`; a word the model cannot place is a
    :class:`ModelError` (a FastText model places unseen words from their character n-grams).
    """
    word = word.strip()
    if not word:
        raise InputError("type a word to see its neighbours")
    if k < 1:
        raise InputError(f"the number of neighbours must be at least 1 (got {k})")
    if not in_vocabulary(vectors, word) and not has_subwords(vectors):
        raise ModelError(f"{word!r} is not in the embedding's vocabulary")
    try:
        found = vectors.most_similar(word, topn=k)
    except KeyError:  # FastText with no n-gram of the word in its buckets
        raise ModelError(f"{word!r} is not in the embedding's vocabulary") from None
    return [(w, float(s)) for w, s in found]


def neighbours_with_language(vectors: KeyedVectors, word: str, k: int = 20) -> list[Neighbour]:
    return [Neighbour(w, s, word_language(vectors, w)) for w, s in neighbours(vectors, word, k)]


def neighbour_table(
    vectors: KeyedVectors, words: Iterable[str], k: int = 20, model: str = ""
) -> list[NeighbourRow]:
    """Rows for every query word; an unknown word is an error naming it."""
    rows = []
    for query in words:
        for rank, n in enumerate(neighbours_with_language(vectors, query, k), 1):
            rows.append(NeighbourRow(query, rank, n.word, n.similarity, n.language, model))
    return rows


TABLE_COLUMNS = ("model", "query", "rank", "neighbour", "similarity", "language")


def format_neighbour_table(rows: Sequence[NeighbourRow]) -> str:
    """Rows as TSV text with a header (columns :data:`TABLE_COLUMNS`)."""
    buf = io.StringIO()
    out = csv.writer(buf, delimiter="\t", lineterminator="\n")
    out.writerow(TABLE_COLUMNS)
    for r in rows:
        out.writerow([r.model, r.query, r.rank, r.word, f"{r.similarity:.4f}", r.language])
    return buf.getvalue()


def write_neighbour_table(rows: Sequence[NeighbourRow], path: str | Path) -> int:
    """Write rows as a TSV file (see :func:`format_neighbour_table`); returns rows written."""
    from workbench.safeio import write_text_atomic

    write_text_atomic(path, format_neighbour_table(rows))
    return len(rows)


def most_frequent(vectors: KeyedVectors, n: int) -> list[str]:
    """The ``n`` most frequent words (gensim keeps the vocabulary sorted by frequency)."""
    return list(vectors.index_to_key[: max(n, 0)])
