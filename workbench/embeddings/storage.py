"""Loading and saving KeyedVectors: gensim's native ``.kv``, word2vec text and binary formats.

The native format keeps everything (FastText subword n-grams, the per-word side counts). The
word2vec formats hold only words and vectors, so the side counts travel in a small sidecar
``FILE.sides.tsv`` (``word``, source count, target count; the header names the two sides).
"""

from __future__ import annotations

import csv
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.embeddings.training import set_side_counts
from workbench.errors import InputError, ModelError
from workbench.textio import check_regular_file

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

SIDECAR_SUFFIX = ".sides.tsv"


def sidecar_path(path: str | Path) -> Path:
    p = Path(path)
    return p.with_name(p.name + SIDECAR_SUFFIX)


def load_keyed_vectors(path: str | Path) -> object:
    """Load gensim KeyedVectors: native ``.kv`` (also FastText), word2vec text or binary."""
    from gensim.models import KeyedVectors

    p = Path(path)
    check_regular_file(p, "a KeyedVectors file", ModelError, "no such embedding file")
    with p.open("rb") as fh:
        head = fh.read(64)
    if not head:
        raise ModelError(f"{p}: the embedding file is empty")
    try:
        if head.startswith(b"\x80"):  # a pickle: gensim's native format
            loaded = KeyedVectors.load(str(p), mmap=None)
            vectors = getattr(loaded, "wv", loaded)  # a whole Word2Vec/FastText model
        else:
            first_line = head.split(b"\n", 1)[0]
            binary = not all(32 <= b < 127 or b in (9,) for b in first_line) or (
                b"\n" in head and not _looks_textual(head.split(b"\n", 1)[1])
            )
            vectors = KeyedVectors.load_word2vec_format(
                str(p), binary=binary, unicode_errors="replace"
            )
    except Exception as exc:  # gensim raises many kinds on broken files
        raise ModelError(
            f"{p}: not a readable embedding (expected gensim .kv, or word2vec text/binary): "
            f"{type(exc).__name__}: {exc}"
        ) from None
    if not isinstance(vectors, KeyedVectors):
        raise ModelError(f"{p}: holds a {type(vectors).__name__}, not word vectors")
    if not len(vectors.index_to_key):
        raise ModelError(f"{p}: the embedding has no words")
    if "source_count" not in vectors.expandos and sidecar_path(p).exists():
        _read_sidecar(vectors, sidecar_path(p))
    return vectors


def _looks_textual(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 4  # a character cut at the end of the sniffed bytes
    return True


def save_keyed_vectors(vectors: KeyedVectors, path: str | Path) -> None:
    """Save as native ``.kv`` unless the name ends in ``.txt`` (word2vec text) or ``.bin``.

    The file is replaced atomically: a save that fails half-way (full disk, killed process)
    leaves the older model as it was. A ``.kv`` is pickled whole into one file (gensim would
    put arrays over 10 million numbers beside it, named after the file, which a rename breaks).
    """
    from workbench.safeio import atomic_output

    p = Path(path)
    if p.parent and not p.parent.exists():
        raise ModelError(f"{p.parent}: no such folder to save the embedding in")
    try:
        with atomic_output(p, "wb") as out:
            if p.suffix in (".txt", ".bin"):
                # gensim writes word2vec formats only to a path: write one aside, then copy.
                with tempfile.TemporaryDirectory(prefix="workbench-kv-") as scratch:
                    aside = Path(scratch) / p.name
                    vectors.save_word2vec_format(str(aside), binary=p.suffix == ".bin")
                    with open(aside, "rb") as written:
                        shutil.copyfileobj(written, out)
            else:
                vectors.save(out)
    except OSError as exc:
        raise ModelError(f"{p}: cannot save the embedding: {exc.strerror or exc}") from None
    except InputError as exc:
        raise ModelError(str(exc)) from None
    if p.suffix in (".txt", ".bin") and "source_count" in vectors.expandos:
        _write_sidecar(vectors, sidecar_path(p))


def _write_sidecar(vectors: KeyedVectors, path: Path) -> None:
    names = getattr(vectors, "side_names", ("source", "target"))
    from workbench.safeio import atomic_output

    with atomic_output(path) as fh:
        out = csv.writer(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
        out.writerow(["word", *names])
        src = vectors.expandos["source_count"]
        tgt = vectors.expandos["target_count"]
        for i, word in enumerate(vectors.index_to_key):
            out.writerow([word, int(src[i]), int(tgt[i])])


def _read_sidecar(vectors: KeyedVectors, path: Path) -> None:
    counts: dict[str, tuple[int, int]] = {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\")
            header = next(rows)
            for row in rows:
                counts[row[0]] = (int(row[1]), int(row[2]))
        names = (header[1], header[2])
    except (ValueError, IndexError, StopIteration, UnicodeDecodeError) as exc:
        raise ModelError(f"{path}: damaged side-count file: {exc}") from None
    keys = vectors.index_to_key
    set_side_counts(
        vectors,
        [counts.get(w, (0, 0))[0] for w in keys],
        [counts.get(w, (0, 0))[1] for w in keys],
        names,
    )
