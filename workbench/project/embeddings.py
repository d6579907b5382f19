"""Word embeddings kept inside the project file: the word2vec-pair space learnt while aligning.

Self-trained ABLEU learns a word2vec-pair model from each document (its sentences and their
machine translations) and aligns with it; keeping that model lets the review window shade
"similar" words with the very space that scored the pair, fill the Neighbours panel and start
retraining from it, without training again. A model is stored per scope: ``"doc:<id>"`` for
one document's self-trained model, ``"project"`` for one model over all documents (issue 19's
project-level model); :func:`load_embedding` looks for the document's model first, then the
project's.

Stored without pickle (a project file may come from someone else): the words, the float32
vectors and the per-side word counts in an ``.npz`` blob, read back with
``allow_pickle=False``. A FastText model is kept as its whole-word vectors. The table is
created on first use (``CREATE TABLE IF NOT EXISTS``): older project files gain it when a
model is first stored, and a workbench that does not know it ignores it.
"""

from __future__ import annotations

import io
import json
import time
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from workbench.project.project import Project


TABLE = """CREATE TABLE IF NOT EXISTS embeddings (
    scope TEXT PRIMARY KEY,
    created REAL NOT NULL,
    params TEXT NOT NULL,
    data BLOB NOT NULL
)"""
PROJECT_SCOPE = "project"


def doc_scope(doc_id: int) -> str:
    return f"doc:{int(doc_id)}"


def pack(vectors: Any) -> bytes:
    """KeyedVectors (or FastText vectors) → npz bytes (whole words only)."""
    words = list(vectors.index_to_key)
    arrays: dict[str, np.ndarray] = {
        "words": np.array(words, dtype=str),
        "vectors": np.asarray(vectors.vectors[: len(words)], dtype=np.float32),
    }
    expandos = getattr(vectors, "expandos", {}) or {}
    if "source_count" in expandos:
        arrays["source_count"] = np.asarray(expandos["source_count"], dtype=np.int64)
        arrays["target_count"] = np.asarray(expandos["target_count"], dtype=np.int64)
    names = getattr(vectors, "side_names", None)
    if names:
        arrays["side_names"] = np.array(list(names), dtype=str)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def unpack(data: bytes) -> Any:
    """npz bytes → gensim KeyedVectors with their side counts."""
    from gensim.models import KeyedVectors

    from workbench.embeddings.training import set_side_counts

    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        words = [str(w) for w in npz["words"]]
        matrix = npz["vectors"]
        vectors = KeyedVectors(matrix.shape[1] if matrix.ndim == 2 else 0)
        vectors.add_vectors(words, matrix)
        if "source_count" in npz.files:
            names = tuple(str(n) for n in npz["side_names"]) if "side_names" in npz.files else None
            set_side_counts(vectors, npz["source_count"], npz["target_count"], names)
    return vectors


def store_embedding(
    project: Project, vectors: Any, doc_id: int | None = None, params: dict | None = None
) -> None:
    """Keep ``vectors`` in the project, for document ``doc_id`` (None: the whole project),
    replacing the previous model of that scope."""
    scope = PROJECT_SCOPE if doc_id is None else doc_scope(doc_id)
    data = pack(vectors)
    with project._write() as conn:
        conn.execute(TABLE)
        conn.execute(
            "INSERT OR REPLACE INTO embeddings (scope, created, params, data) VALUES (?, ?, ?, ?)",
            (scope, time.time(), json.dumps(params or {}), data),
        )


def keep_embedding(project: Project, doc_id: int, vectors: Any | None) -> None:
    """After aligning document ``doc_id``: keep the embedding self-training learnt for it
    (nothing when none was learnt, e.g. BLEU or a given embedding)."""
    if vectors is not None:
        store_embedding(project, vectors, doc_id, {"origin": "self-trained while aligning"})


def drop_embedding(project: Project, doc_id: int) -> None:
    """Forget document ``doc_id``'s own model (after it was aligned with the project's, so that
    :func:`load_embedding` gives the space that scored it)."""
    if doc_scope(doc_id) not in embedding_scopes(project):
        return
    with project._write() as conn:
        conn.execute("DELETE FROM embeddings WHERE scope = ?", (doc_scope(doc_id),))


def embedding_params(project: Project, doc_id: int | None = None) -> dict | None:
    """The parameters stored with document ``doc_id``'s model (None: the project's); None
    when there is no such model."""
    scope = PROJECT_SCOPE if doc_id is None else doc_scope(doc_id)
    if scope not in embedding_scopes(project):
        return None
    with project._mutex:
        row = (
            project._db()
            .execute("SELECT params FROM embeddings WHERE scope = ?", (scope,))
            .fetchone()
        )
    try:
        params = json.loads(row[0]) if row else None
    except ValueError:  # a damaged entry: as if there were none (a model is retrained)
        return None
    return params if isinstance(params, dict) else None


def _read(project: Project, scope: str) -> bytes | None:
    with project._mutex:
        conn = project._db()
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'embeddings'"
        ).fetchone()
        if not found:
            return None
        row = conn.execute("SELECT data FROM embeddings WHERE scope = ?", (scope,)).fetchone()
    return None if row is None else bytes(row[0])


def embedding_scopes(project: Project) -> list[str]:
    """The scopes that have a stored model ("doc:1", "project"...)."""
    with project._mutex:
        conn = project._db()
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'embeddings'"
        ).fetchone()
        if not found:
            return []
        return [r[0] for r in conn.execute("SELECT scope FROM embeddings ORDER BY scope")]


def load_embedding(project: Project, doc_id: int | None = None) -> Any | None:
    """The model kept for document ``doc_id``, else the project's, else None."""
    scopes = ([doc_scope(doc_id)] if doc_id is not None else []) + [PROJECT_SCOPE]
    for scope in scopes:
        data = _read(project, scope)
        if data is not None:
            return unpack(data)
    return None
