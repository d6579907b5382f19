"""Export for the TensorFlow embedding projector: ``vectors.tsv`` + ``metadata.tsv``.

``vectors.tsv`` has one tab-separated vector per line, no header; ``metadata.tsv`` has a header
(``word``, ``language``, ``count``) and one row per vector, which is the projector's layout for
several metadata columns. Vectors are written with 9 significant digits, enough to read float32
values back exactly.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from workbench.embeddings.neighbourhood import (
    most_frequent,
    neighbours,
    side_counts,
    word_language,
)
from workbench.errors import InputError
from workbench.safeio import atomic_output

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

VECTORS_FILE = "vectors.tsv"
METADATA_FILE = "metadata.tsv"
METADATA_COLUMNS = ("word", "language", "count")


def projector_words(
    vectors: KeyedVectors, *, top: int | None = None, around: str | None = None, k: int = 100
) -> list[str]:
    """Which words to export: all, the ``top`` most frequent, or ``around`` and its k nearest."""
    if around is not None:
        return [around.strip(), *(w for w, _ in neighbours(vectors, around, k))]
    if top is not None:
        if top < 1:
            raise InputError(f"--top must be at least 1 (got {top})")
        return most_frequent(vectors, top)
    return list(vectors.index_to_key)


def export_projector(
    vectors: KeyedVectors, outdir: str | Path, words: Sequence[str] | None = None
) -> tuple[Path, Path]:
    """Write the two projector files for ``words`` (default: the whole vocabulary)."""
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder")
    words = list(vectors.index_to_key if words is None else words)
    if not words:
        raise InputError("no words to export")
    try:
        out.mkdir(parents=True, exist_ok=True)
        matrix = np.vstack([vectors.get_vector(w) for w in words]).astype(np.float32)
        with atomic_output(out / VECTORS_FILE) as fh:
            np.savetxt(fh, matrix, fmt="%.9g", delimiter="\t")
        with atomic_output(out / METADATA_FILE) as fh:
            # No quoting at all: the projector splits lines at tabs, so a token such as `"`
            # is written as it is (QUOTE_NONE with a quote character refused to write it).
            meta = csv.writer(
                fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, quotechar=None
            )
            meta.writerow(METADATA_COLUMNS)
            for w in words:
                counts = side_counts(vectors, w)
                meta.writerow([w, word_language(vectors, w), sum(counts) if counts else ""])
    except OSError as exc:
        raise InputError(f"{out}: cannot write projector files: {exc.strerror or exc}") from None
    return out / VECTORS_FILE, out / METADATA_FILE


def read_projector(outdir: str | Path) -> object:
    """Load projector files back into gensim KeyedVectors (words from ``metadata.tsv``)."""
    from gensim.models import KeyedVectors

    folder = Path(outdir)
    vec_path, meta_path = folder / VECTORS_FILE, folder / METADATA_FILE
    for p in (vec_path, meta_path):
        if not p.is_file():
            raise InputError(f"{p}: no such projector file")
    matrix = np.loadtxt(vec_path, dtype=np.float32, delimiter="\t", ndmin=2, encoding="utf-8")
    with meta_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE, quotechar=None))
    words = [r[0] for r in rows[1:]] if rows and rows[0][:1] == ["word"] else [r[0] for r in rows]
    if len(words) != len(matrix):
        raise InputError(
            f"{folder}: {len(words)} metadata rows but {len(matrix)} vectors; not a projector pair"
        )
    kv = KeyedVectors(vector_size=matrix.shape[1])
    kv.add_vectors(words, matrix)
    return kv
