"""The project's word2vec-pair model: trained once over every translated document, kept in the
project file and reused by every self-trained ABLEU alignment (issue 19).

``project align --scorer ableu`` (no ``--embeddings``), ``project realign`` and the window's
align job used to train a model per document, every time. Now the first such alignment trains
one model over all the project's documents' (source, MT) and (reverse MT, target) pairs
(:mod:`workbench.align.shared_model`) and stores it under the ``"project"`` scope with the
digest of what it learnt from; later alignments, re-alignments, the neighbours panel and the
window's shading load it. It is retrained only when that digest changes: a translated document
added or removed, a source or target text edited, a translation replaced. Projects stored
before keep working: their per-document models stay until the document is aligned again (then
the document's own model is dropped, so that shading and the neighbours panel show the space
that scored it), and the project model is trained on their first ABLEU alignment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.align.pipeline import SharedModel

if TYPE_CHECKING:
    from workbench.align.pipeline import AlignSettings, Documents
    from workbench.project.project import Project

ORIGIN = "project model: self-trained on every translated document"


def project_corpus(project: Project) -> list[Documents]:
    """Every document with a stored translation (either direction), in id order."""
    from workbench.align.pipeline import project_documents

    corpus = []
    for info in project.documents():
        docs = project_documents(project, info.id)
        if docs.translated:
            corpus.append(docs)
    return corpus


@dataclass
class ProjectModel:
    """The project model for some settings: the stored one when it is still valid, else
    trained on :meth:`get`; :meth:`save` keeps a newly trained one in the project."""

    settings: AlignSettings = field(repr=False)
    corpus: list[Documents] = field(repr=False)
    digest: str
    shared: SharedModel | None = None  # the stored model, when its digest matches
    trained: bool = False

    def get(
        self,
        progress: Callable[[float], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> SharedModel:
        """The model, trained now when none is stored for this text (touches no store)."""
        if self.shared is None:
            from workbench.align.shared_model import train_shared

            vectors = train_shared(self.corpus, self.settings, progress, cancel)
            self.shared = SharedModel(vectors, self.digest)
            self.trained = True
        return self.shared

    def save(self, project: Project) -> None:
        """Store a model trained by :meth:`get` (nothing when it was loaded, or none learnt)."""
        if not self.trained or self.shared is None or self.shared.vectors is None:
            return
        from workbench.align.shared_model import training_params
        from workbench.project.embeddings import store_embedding

        params = {
            "origin": ORIGIN,
            "digest": self.digest,
            "documents": len(self.corpus),
            "training": training_params(self.settings),
        }
        store_embedding(project, self.shared.vectors, None, params)
        self.trained = False


def prepare(
    project: Project, settings: AlignSettings, doc_id: int | None = None
) -> ProjectModel | None:
    """The project model for aligning with ``settings`` (document ``doc_id``: None when it has
    no translation), or None when these settings do not self-train one round of ABLEU.

    Reads the documents' texts and, when the stored model's digest matches, the model; trains
    nothing (see :meth:`ProjectModel.get`)."""
    from workbench.align.pipeline import project_documents
    from workbench.align.shared_model import corpus_digest, uses_shared_model
    from workbench.project.embeddings import embedding_params, load_embedding

    if not uses_shared_model(settings):
        return None
    if doc_id is not None and not project_documents(project, doc_id).translated:
        return None
    corpus = project_corpus(project)
    if not corpus:
        return None
    digest = corpus_digest(corpus, settings)
    model = ProjectModel(settings, corpus, digest)
    stored = embedding_params(project)
    if stored is not None and stored.get("digest") == digest:
        vectors: Any = load_embedding(project)
        if vectors is not None:
            model.shared = SharedModel(vectors, digest)
    return model


def project_model(
    project: Project,
    settings: AlignSettings,
    doc_id: int | None = None,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> SharedModel | None:
    """The valid project model (loaded, or trained and stored now), or None when ``settings``
    (and document ``doc_id``) do not use one."""
    model = prepare(project, settings, doc_id)
    if model is None:
        return None
    shared = model.get(progress, cancel)
    model.save(project)
    return shared


def after_alignment(
    project: Project, doc_id: int, shared: SharedModel | None, vectors: Any
) -> None:
    """Keep what an alignment of ``doc_id`` learnt: its own model (per-document self-training)
    or, when it used the project model, drop the document's own older model."""
    from workbench.project.embeddings import drop_embedding, keep_embedding

    if shared is not None and vectors is None:
        drop_embedding(project, doc_id)
    else:
        keep_embedding(project, doc_id, vectors)
