"""One alignment pipeline: settings + documents -> units, for every entry point; Qt-free.

``workbench align``, ``workbench batch``, ``workbench project align``/``realign``, the window's
align and translate jobs and the spot-check all decide here which aligner a document gets:

- the scorer (BLEU, ABLEU over a given embedding, a plugin's scorer),
- the n-gram order (``None``: 2 against a translation, 1 without one, since word order differs
  between languages),
- ABLEU self-training (``iterations``; default: one round when no embedding is given, none
  with one), with ``threshold`` reaching the self-trained scorers too,
- the search (``method``, ``dp_weight``) and the tokenizer and case.

:func:`align` turns :class:`AlignSettings` and :class:`Documents` into an :class:`Alignment`
(units, the scorer's signature, a self-trained embedding); :func:`build_aligner` gives the
aligner itself, for aligning around fixed pairs (``Project.realign``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.align.bleualign import Aligner, AlignerOptions
from workbench.scoring.tokenize import DEFAULT_TOKENIZER
from workbench.textio import Document, check_parallel, check_same_articles

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

    from workbench.align.selftrain import SelfTrainingOptions
    from workbench.align.units import AlignmentUnit
    from workbench.project import Project

#: ``(done, total, stage)``: the aligner reports articles (stage ``"aligning"``); self-training
#: reports its stages as percentages (``total == 100``).
Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

ALIGNING = "aligning"


@dataclass(frozen=True)
class AlignSettings:
    """How a document is aligned (the options of ``workbench align``)."""

    scorer: str = "bleu"
    # ABLEU: a path (.kv or word2vec format) or loaded KeyedVectors; None: self-train.
    embeddings: str | Path | object | None = None
    threshold: float | None = None  # None: the scorer's default (self-training: its own)
    order: int | None = None  # None: 2 with a translation, 1 without
    tokenize: str = DEFAULT_TOKENIZER
    lowercase: bool = True
    method: str | None = None  # None: dp (see AlignerOptions.method)
    dp_weight: float = AlignerOptions.dp_weight
    iterations: int | None = None  # ABLEU self-training rounds; None: 1 without embeddings
    seed: int = 1  # self-training's word2vec seed

    def order_for(self, translated: bool) -> int:
        """The n-gram order used: the given one, else 2 against a translation, else 1."""
        return self.order or (2 if translated else 1)

    @property
    def rounds(self) -> int:
        """Self-training rounds: ``iterations``, else 1 for ABLEU without an embedding."""
        if self.iterations is not None:
            return self.iterations
        return 1 if self.scorer == "ableu" and self.embeddings is None else 0

    @property
    def self_trains(self) -> bool:
        return self.scorer == "ableu" and self.rounds > 0

    def aligner_options(self) -> AlignerOptions:
        return AlignerOptions(method=self.method, dp_weight=self.dp_weight)

    def self_training_options(self) -> SelfTrainingOptions:
        from workbench.align.selftrain import SelfTrainingOptions

        options = SelfTrainingOptions(iterations=self.rounds, seed=self.seed)
        if self.threshold is not None:  # the main scorer's threshold, with or without MT
            options.threshold = options.no_mt_threshold = self.threshold
        return options


@dataclass
class Documents:
    """A document pair with translations of the source (``mt``, into the target language) and
    of the target (``mt_reverse``, into the source language)."""

    source: Document
    target: Document
    mt: Sequence[Document] = ()
    mt_reverse: Sequence[Document] = ()

    def __post_init__(self) -> None:
        # Checked here, before anything reads them: self-training pairs source and MT lines
        # before the aligner (which checks too) ever sees them.
        check_same_articles(self.source, self.target)
        for doc in self.mt:
            check_parallel(self.source, doc)
        for doc in self.mt_reverse:
            check_parallel(self.target, doc, what="reverse translation")

    @property
    def translated(self) -> bool:
        return bool(self.mt or self.mt_reverse)


@dataclass
class SharedModel:
    """A self-trained model shared by many documents (a project's, a batch's): ``vectors``
    (None: too little text to learn from, the documents align with BLEU) and the ``digest``
    of what it was trained on (:func:`workbench.align.shared_model.corpus_digest`)."""

    vectors: KeyedVectors | None = field(repr=False)
    digest: str = ""


@dataclass
class Alignment:
    units: list[AlignmentUnit]
    signature: str  # the scorer's sacrebleu-style signature (a plugin's class name)
    vectors: KeyedVectors | None = field(default=None, repr=False)  # self-trained embedding


def project_documents(project: Project, doc_id: int) -> Documents:
    """A stored document with its stored translations (both directions)."""
    mt = project.translation(doc_id, "source")
    mt_reverse = project.translation(doc_id, "target")
    return Documents(
        project.source(doc_id),
        project.target(doc_id),
        [mt] if mt is not None else [],
        [mt_reverse] if mt_reverse is not None else [],
    )


def build_aligner(
    settings: AlignSettings,
    docs: Documents,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    shared: SharedModel | None = None,
) -> tuple[Aligner, object | None]:
    """The aligner for these documents, and the embedding self-training learnt (or None).

    Self-training learns from ``docs``: use the aligner on them (whole, or around fixed pairs
    with :func:`workbench.align.anchored.align_around`). ``shared`` (a project's or a batch's
    model, see :mod:`workbench.align.shared_model`) stands in for that training when the
    settings train one round on translated documents: nothing is trained here then, and no
    embedding is returned (the shared one is kept by its owner)."""
    order = settings.order_for(docs.translated)
    options = settings.aligner_options()
    if _shares(settings, docs, shared):
        from workbench.align.shared_model import shared_aligner

        assert shared is not None
        return shared_aligner(settings, docs, shared.vectors), None
    if settings.self_trains:
        from workbench.align import selftrain

        aligner, vectors = selftrain.self_trained_aligner(
            docs.source,
            docs.target,
            docs.mt,
            docs.mt_reverse,
            embeddings=_keyed_vectors(settings.embeddings),
            options=settings.self_training_options(),
            aligner_options=options,
            order=order,
            tokenize=settings.tokenize,
            lowercase=settings.lowercase,
            progress=_stages(progress),
            cancel=cancel,
        )
        return aligner, vectors
    from workbench.scoring import make_scorer

    scorer = make_scorer(
        settings.scorer,
        settings.embeddings,
        order,
        settings.tokenize,
        settings.lowercase,
        settings.threshold,
    )
    return Aligner(scorer, options), None


def align(
    settings: AlignSettings,
    docs: Documents,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    shared: SharedModel | None = None,
) -> Alignment:
    """Align ``docs`` as ``settings`` say; ``cancel()`` returning True stops with
    :class:`workbench.errors.CancelledError`. ``shared``: see :func:`build_aligner`."""
    aligner, vectors = build_aligner(settings, docs, progress, cancel, shared)
    trained = settings.self_trains and not _shares(settings, docs, shared)
    articles: Callable[[int, int], None] | None = None
    if progress and trained:
        # Self-training reported its stages up to 90 %; the alignment is the last 10 %.
        def articles(done: int, total: int) -> None:
            progress(90 + (10 * done) // max(total, 1), 100, "aligning with ABLEU")

        progress(90, 100, "aligning with ABLEU")
    elif progress:

        def articles(done: int, total: int) -> None:
            progress(done, total, ALIGNING)

    units = aligner.align(
        docs.source, docs.target, docs.mt, docs.mt_reverse, progress=articles, cancel=cancel
    )
    if progress and trained:
        progress(100, 100, "done")
    return Alignment(units, signature(aligner.scorer), vectors)


def _shares(settings: AlignSettings, docs: Documents, shared: SharedModel | None) -> bool:
    if shared is None or not settings.self_trains:
        return False
    from workbench.align.shared_model import uses_shared_model

    return uses_shared_model(settings, docs)


def signature(scorer: Any) -> str:
    try:
        return str(scorer.signature())
    except Exception:  # a plugin scorer without a signature
        return type(scorer).__name__


def _keyed_vectors(embeddings: str | Path | object | None) -> object | None:
    if embeddings is None or not isinstance(embeddings, str | Path):
        return embeddings
    from workbench.embeddings import load_keyed_vectors

    return load_keyed_vectors(embeddings)


def _stages(progress: Progress | None) -> Callable[[str, float], None] | None:
    if progress is None:
        return None
    return lambda stage, fraction: progress(round(100 * fraction), 100, stage)
