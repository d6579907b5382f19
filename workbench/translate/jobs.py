"""Qt-free jobs for the GUI worker: translate a document, then align it with its target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import CancelledError
from workbench.textio import Document
from workbench.translate.base import TranslationCache, Translator, open_translator
from workbench.translate.document import translate_document

if TYPE_CHECKING:
    from workbench.align import AlignmentUnit

JobProgress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

TRANSLATING = "translating"
ALIGNING = "aligning"


@dataclass
class TranslateAlignResult:
    translation: Document
    units: list[AlignmentUnit]
    translator: str  # the translator's identity (what the project records)


@dataclass
class ScorerSettings:
    """What :func:`workbench.scoring.make_scorer` needs to build the alignment scorer.

    ``name="ableu"`` without ``embeddings`` self-trains word2vec-pair on the document."""

    name: str = "bleu"
    embeddings: str | Path | object | None = None
    order: int = 2
    tokenize: str | None = None
    lowercase: bool = True
    threshold: float | None = None


def translate_and_align_job(
    source: Document,
    target: Document,
    model: str | Path | Translator,
    *,
    translator_options: dict[str, Any] | None = None,
    cache: TranslationCache | None = None,
    scorer: ScorerSettings | None = None,
    aligner_options: Any = None,
) -> Callable[[JobProgress, Cancel], TranslateAlignResult]:
    """A job ``(progress, cancel) -> TranslateAlignResult`` for :class:`TaskWorker`.

    The model is opened inside the job (so a broken model fails on the worker thread and
    reaches the window as a message). Progress is reported per stage with the labels
    ``"translating"`` (sentences) and ``"aligning"`` (articles).

    For a project document pass ``project.source(doc_id)``, ``project.target(doc_id)`` and
    ``cache=project.translation_cache``; the window then stores
    ``result.translation.sentences`` with ``result.translator`` (``set_translation``) and the
    units (``set_suggestions``) on the GUI thread.
    """
    settings = scorer or ScorerSettings()

    def job(progress: JobProgress, cancel: Cancel) -> TranslateAlignResult:
        translator = (
            model
            if isinstance(model, Translator)
            else open_translator(model, **(translator_options or {}))
        )
        translation = translate_document(
            source,
            translator,
            cache=cache,
            progress=lambda done, total: progress(done, total, TRANSLATING),
            cancel=cancel,
        )
        if cancel():
            raise CancelledError("cancelled before alignment")
        units = align_with_settings(
            source, target, [translation], settings, aligner_options, progress, cancel
        )
        return TranslateAlignResult(translation, units, translator.identity)

    return job


def align_with_settings(
    source: Document,
    target: Document,
    mt: list[Document],
    settings: ScorerSettings,
    aligner_options: Any,
    progress: JobProgress,
    cancel: Cancel,
) -> list[AlignmentUnit]:
    """Align as the window's jobs do, reporting progress labelled ``"aligning"``.

    ABLEU without an embedding learns one from the documents, as ``workbench align --scorer
    ableu`` does (:mod:`workbench.align.selftrain`); its thresholds are its own, since
    ``settings.threshold`` is meant for a given embedding."""
    from workbench.align import Aligner
    from workbench.scoring import make_scorer
    from workbench.scoring.tokenize import DEFAULT_TOKENIZER

    tokenize = settings.tokenize or DEFAULT_TOKENIZER
    if settings.name == "ableu" and settings.embeddings is None:
        from workbench.align.selftrain import self_trained_align

        units, _ = self_trained_align(
            source,
            target,
            mt,
            aligner_options=aligner_options,
            order=settings.order,
            tokenize=tokenize,
            lowercase=settings.lowercase,
            progress=lambda _stage, fraction: progress(round(100 * fraction), 100, ALIGNING),
            cancel=cancel,
        )
        return units
    built = make_scorer(
        settings.name,
        settings.embeddings,
        settings.order,
        tokenize,
        settings.lowercase,
        settings.threshold,
    )
    return Aligner(built, aligner_options).align(
        source,
        target,
        mt,
        progress=lambda done, total: progress(done, total, ALIGNING),
        cancel=cancel,
    )
