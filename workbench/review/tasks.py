"""A project document aligned or translated in the background of a review session (Qt-free).

The texts and settings are read on the calling (GUI) thread; the job aligns (or translates,
then aligns) through :mod:`workbench.align.pipeline` and stores the result on the worker
thread, and the view re-reads its rows when it is done (:meth:`ReviewState.after_alignment`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import CancelledError
from workbench.project.embeddings import keep_embedding

if TYPE_CHECKING:
    from workbench.align import AlignmentUnit
    from workbench.project.model import DocumentInfo
    from workbench.project.project_model import ProjectModel
    from workbench.review.state import Cancel, Job, Progress, ReviewState
    from workbench.translate.base import Translator
    from workbench.translate.jobs import TranslateAlignResult


def storing(job: Job, store: Callable[[Any], None]) -> Job:
    """``job`` followed by ``store(result)`` on the worker thread: writing thousands of
    suggestions takes tens of milliseconds, which would stall the window on its thread
    (the project serialises its connection with a lock, so this is safe)."""

    def run(progress: Progress, cancel: Cancel) -> Any:
        result = job(progress, cancel)
        if cancel():
            raise CancelledError("cancelled")
        progress(0, 0, "storing")
        store(result)
        return result

    return run


def align_job(
    state: ReviewState,
    doc_id: int,
    keep: Callable[[object | None], None] | None = None,
    model: ProjectModel | None = None,
) -> Callable[[Progress, Cancel], list[AlignmentUnit]]:
    """A job aligning document ``doc_id`` with its stored translations, as ``Project.align``
    does — the texts are read here on the calling thread, the job itself touches no store.
    ``model``: the project's self-trained ABLEU model (:mod:`workbench.project.project_model`),
    trained in the job when none is stored for the project's text."""
    from workbench.align import pipeline
    from workbench.translate.jobs import align_with_settings

    if state.project is None:
        raise ValueError("no project is open")
    docs = pipeline.project_documents(state.project, doc_id)
    settings = state.align_settings(doc_id)

    def job(progress: Progress, cancel: Cancel) -> list[AlignmentUnit]:
        shared = model and model.get(lambda f: progress(round(100 * f), 100, "training"), cancel)
        return align_with_settings(
            docs.source,
            docs.target,
            docs.mt,
            settings,
            progress,
            cancel,
            docs.mt_reverse,
            keep,
            shared,
        )

    return job


def align_document(state: ReviewState, doc_id: int) -> bool:
    """Align document ``doc_id`` in the background and store its suggestions (and the
    embedding self-trained ABLEU learnt); False if the task could not start."""
    project = state.project
    if project is None:
        state.show_message("open or create a project first")
        return False
    scorer = state.settings["scorer"]
    kept: list[object | None] = []
    from workbench.project.project_model import after_alignment, prepare

    model = prepare(project, state.align_settings(doc_id), doc_id)
    # What the job aligns: edits the curator makes meanwhile are kept, or (a changed text)
    # stop the result from being stored (Project.set_suggestions).
    basis = project.alignment_basis(doc_id)

    def store(units: list[AlignmentUnit]) -> None:
        with project.transaction():  # the suggestions and the models that made them, or none
            project.set_suggestions(doc_id, units, scorer, basis=basis)
            if model is not None:
                model.save(project)  # when trained in the job
            after_alignment(project, doc_id, model and model.shared, kept[-1] if kept else None)

    job = storing(align_job(state, doc_id, kept.append, model), store)
    return state.start_task(job, "aligning", state.after_alignment)


def translate_document(state: ReviewState, doc_id: int, model: str | Path | Translator) -> bool:
    """Translate document ``doc_id`` with ``model`` (a CTranslate2 or Argos folder, or a
    translator), then re-align it, in the background; False if the task could not start."""
    from workbench.review.state import settings_for_alignment
    from workbench.translate.jobs import translate_and_align_job

    project = state.project
    if project is None:
        state.show_message("open or create a project first")
        return False
    job = translate_and_align_job(
        project.source(doc_id),
        project.target(doc_id),
        model,
        # Kept in the project file: translating again (or re-opening and re-aligning)
        # asks the model only for sentences it has not translated before.
        cache=project.translation_cache,
        settings=settings_for_alignment(state.settings, translated=True),
        mt_reverse=[d for d in [project.translation(doc_id, "target")] if d],
        # The document's languages check the model's direction and pick NLLB tokens or
        # the package of a folder of Argos packages (docs/formats.md).
        translator_options=languages_of(project.document(doc_id)),
    )
    scorer = state.settings["scorer"]
    basis = project.alignment_basis(doc_id)

    def store(result: TranslateAlignResult) -> None:
        with project.transaction():  # no edit in between: all are stored, or none
            project.check_basis(basis)
            project.set_translation(doc_id, result.translation.sentences, result.translator)
            project.set_suggestions(doc_id, result.units, scorer, basis=basis)
            keep_embedding(project, doc_id, result.vectors)

    return state.start_task(storing(job, store), "translating", state.after_alignment)


def languages_of(document: DocumentInfo) -> dict[str, str]:
    return {"source_lang": document.source_lang, "target_lang": document.target_lang}


def realign_range(
    state: ReviewState,
    doc_id: int,
    start: int | None,
    end: int | None,
    perform: Callable[[str, Callable[[], Any]], tuple[Any, str | None]],
    label: str,
) -> bool:
    """Re-align the pending units of document ``doc_id`` between two positions in the
    background (the aligner built, self-trained ABLEU trained, each run aligned on the
    worker), then store them on the calling thread through ``perform`` (the window's undo
    stack: one undo step). False if it did not start."""
    from workbench.align import pipeline
    from workbench.errors import ProjectError
    from workbench.project import realign
    from workbench.project.project_model import after_alignment, prepare

    project = state.project
    if project is None:
        state.show_message("open or create a project first")
        return False
    runs = project.pending_runs(doc_id, start, end)
    if not runs:
        state.show_message(
            "nothing to re-align there: decided units and your edits are kept as they are"
        )
        return False
    settings = state.align_settings(doc_id)
    docs = pipeline.project_documents(project, doc_id)
    basis = project.alignment_basis(doc_id)
    model = prepare(project, settings, doc_id)
    mt = docs.mt[0] if docs.mt else None
    mt_reverse = docs.mt_reverse[0] if docs.mt_reverse else None

    def job(progress: Progress, cancel: Cancel) -> tuple[list[list[AlignmentUnit]], Any]:
        shared = model and model.get(lambda f: progress(round(100 * f), 100, "training"), cancel)
        aligner, vectors = pipeline.build_aligner(settings, docs, shared=shared)
        aligned = realign.align_runs(
            aligner, runs, docs.source, docs.target, mt, mt_reverse, progress, cancel
        )
        return aligned, vectors

    def done(result: tuple[list[list[AlignmentUnit]], Any]) -> str:
        aligned, vectors = result
        # One transaction: the new units and the models that made them, or (refused: a text
        # fixed meanwhile) none of them.
        with project.transaction():
            if model is not None:
                model.save(project)  # when trained in the job
            after_alignment(project, doc_id, model and model.shared, vectors)
            summary, error = perform(
                label,
                lambda: project.store_realigned(doc_id, runs, aligned, settings.scorer, basis),
            )
            if error:
                raise ProjectError(error)
        return str(summary)

    return state.start_task(job, "re-aligning", done)
