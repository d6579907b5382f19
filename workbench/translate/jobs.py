"""Qt-free jobs for the GUI worker: translate a document, then align it with its target."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.align.pipeline import AlignSettings
from workbench.errors import CancelledError
from workbench.textio import Document
from workbench.translate.base import TranslationCache, Translator, open_translator
from workbench.translate.document import translate_document

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

    from workbench.align import AlignmentUnit
    from workbench.align.pipeline import SharedModel

JobProgress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]

TRANSLATING = "translating"
ALIGNING = "aligning"


@dataclass
class TranslateAlignResult:
    translation: Document
    units: list[AlignmentUnit]
    translator: str  # the translator's identity (what the project records)
    vectors: KeyedVectors | None = None  # the embedding self-trained ABLEU learnt (to keep)


def translate_and_align_job(
    source: Document,
    target: Document,
    model: str | Path | Translator,
    *,
    translator_options: dict[str, Any] | None = None,
    cache: TranslationCache | None = None,
    settings: AlignSettings | None = None,
    mt_reverse: Sequence[Document] = (),
) -> Callable[[JobProgress, Cancel], TranslateAlignResult]:
    """A job ``(progress, cancel) -> TranslateAlignResult`` for :class:`TaskWorker`.

    The model is opened inside the job (so a broken model fails on the worker thread and
    reaches the window as a message). Progress is reported per stage with the labels
    ``"translating"`` (sentences) and ``"aligning"`` (articles).

    For a project document pass ``project.source(doc_id)``, ``project.target(doc_id)`` and
    ``cache=project.translation_cache`` (and the stored reverse translation as
    ``mt_reverse``); the window then stores
    ``result.translation.sentences`` with ``result.translator`` (``set_translation``) and the
    units (``set_suggestions``) on the GUI thread.
    """
    align_settings = settings or AlignSettings()

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
        kept: list[object | None] = []
        units = align_with_settings(
            source, target, [translation], align_settings, progress, cancel, mt_reverse, kept.append
        )
        return TranslateAlignResult(
            translation, units, translator.identity, kept[-1] if kept else None
        )

    return job


def align_with_settings(
    source: Document,
    target: Document,
    mt: Sequence[Document],
    settings: AlignSettings,
    progress: JobProgress,
    cancel: Cancel,
    mt_reverse: Sequence[Document] = (),
    keep: Callable[[object | None], None] | None = None,
    shared: SharedModel | None = None,
) -> list[AlignmentUnit]:
    """Align through :mod:`workbench.align.pipeline` (as ``workbench align`` and
    ``Project.align`` do), reporting progress labelled ``"aligning"``. ``keep`` receives the
    embedding self-trained ABLEU learnt (None when none was), for the project to keep;
    ``shared``: the project's model, used instead of training one (see ``pipeline.align``)."""
    from workbench.align import pipeline

    docs = pipeline.Documents(source, target, mt, mt_reverse)
    result = pipeline.align(
        settings,
        docs,
        lambda done, total, _stage: progress(done, total, ALIGNING),
        cancel,
        shared,
    )
    if keep is not None:
        keep(result.vectors)
    return result.units
