"""``workbench batch --shared-model``: one self-trained ABLEU model for the whole batch; Qt-free.

Without it, self-trained ABLEU (``--scorer ableu`` without ``--embeddings``) trains a
word2vec-pair model on every document's own (source, MT) pairs, on whichever worker aligns it.
With it, the batch's client trains one model over every translated document's pairs
(:mod:`workbench.align.shared_model`, the same model a project trains), once, and the workers
align every document over it: on a Dask cluster the model travels to each worker once
(``Client.scatter``) and is unpacked once per worker process.

It is an option, not the default, because it changes the units against per-document training
(a model learnt from more text; see docs/speed.md for the measured quality). A document's result
then depends on the whole batch, so each document's resume digest includes the model's digest
(:func:`workbench.align.shared_model.corpus_digest` over the batch): adding a translated
document, or changing one, redoes the batch; documents without MT are aligned as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from workbench.align import pipeline
from workbench.errors import WorkbenchError
from workbench.textio import document_from_bytes, read_bytes

if TYPE_CHECKING:
    from workbench.batch import BatchItem, BatchSettings

#: What travels to the workers: (the corpus digest, the packed model, or None: too little text).
Payload = tuple[str, bytes | None]


def _corpus(items: Sequence[BatchItem], settings: BatchSettings) -> Iterator[pipeline.Documents]:
    """The batch's translated documents, read one at a time (an unreadable one is left out
    here: aligning it reports the error)."""
    enc = settings.encoding
    for item in items:
        if not (item.mt or item.mt_reverse):
            continue
        try:
            docs = [document_from_bytes(read_bytes(p), item.name, enc) for p in item.paths]
        except WorkbenchError:
            continue
        n_mt = len(item.mt)
        yield pipeline.Documents(docs[0], docs[1], docs[2 : 2 + n_mt], docs[2 + n_mt :])


class BatchModel:
    """The batch's shared model: its digest at once, the model itself on first use."""

    def __init__(self, items: Sequence[BatchItem], settings: BatchSettings):
        from workbench.align.shared_model import corpus_digest

        self.items = items
        self.settings = settings
        self.digest = corpus_digest(_corpus(items, settings), settings)
        self._payload: Payload | None = None

    @classmethod
    def for_batch(cls, items: Sequence[BatchItem], settings: BatchSettings) -> BatchModel | None:
        """The shared model when ``--shared-model`` is set and the settings self-train one
        round of ABLEU; None otherwise (every document aligned on its own, as before)."""
        from workbench.align.shared_model import uses_shared_model

        if not settings.shared_model or not uses_shared_model(settings):
            return None
        return cls(items, settings)

    def job_digest(self, digest: str) -> str:
        """A document's resume digest, made to depend on the batch's model too."""
        return hashlib.sha1(f"{digest}:{self.digest}".encode()).hexdigest()

    def payload(self) -> Payload:
        """(digest, packed model): trained here on first call."""
        if self._payload is None:
            from workbench.align.shared_model import train_shared
            from workbench.project.embeddings import pack

            vectors = train_shared(list(_corpus(self.items, self.settings)), self.settings)
            self._payload = (self.digest, None if vectors is None else pack(vectors))
        return self._payload


_UNPACKED: dict[str, pipeline.SharedModel] = {}


def shared_model(payload: Payload | None) -> pipeline.SharedModel | None:
    """The model a worker aligns with, unpacked once per process and digest."""
    if payload is None:
        return None
    digest, data = payload
    if digest not in _UNPACKED:
        from workbench.project.embeddings import unpack

        _UNPACKED.clear()  # one batch at a time
        _UNPACKED[digest] = pipeline.SharedModel(None if data is None else unpack(data), digest)
    return _UNPACKED[digest]


def scattered(client: Any, model: BatchModel | None) -> Any:
    """The payload as a Dask future on every worker (None without a shared model)."""
    if model is None:
        return None
    return client.scatter(model.payload(), broadcast=True)
