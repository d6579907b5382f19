"""The review window's state without Qt: the open project, the current document, the settings
and the way to start a background task — what the window's tools (the Neighbours dock, the
Spot-check and Power menus, the align and translate jobs) receive instead of the window.

:class:`ReviewState` asks whatever presents it (a :class:`Presenter`: the review window, or a
test's stand-in) for the few things only a view knows (which document it shows) and tells it
when the store changed under it. Importing this module loads no Qt (``tests/test_gui_state.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from workbench.align.pipeline import AlignSettings

if TYPE_CHECKING:
    from workbench.project import Project

# The settings dialog's threshold when left alone: it stands for each scorer's own default
# (ABLEU over a given embedding: 0.5; self-training: its own thresholds).
DEFAULT_THRESHOLD = 0.5

Progress = Callable[[int, int, str], None]
Cancel = Callable[[], bool]
Job = Callable[[Progress, Cancel], Any]
# Called on the GUI thread with the job's result; may return its own one-line summary.
OnDone = Callable[[Any], Any]


class TaskStarter(Protocol):
    def __call__(self, job: Job, label: str, on_done: OnDone) -> bool:
        """Run ``job(progress, cancel)`` in the background (one at a time), then
        ``on_done(result)``; False (with a message) when it cannot start."""
        ...


class Presenter(Protocol):
    """What the state asks of the view presenting it."""

    def show_message(self, text: str) -> None:
        """A one-line status message."""
        ...

    def show_error(self, title: str, text: str) -> object:
        """An error the user has to see (a message box in the window)."""
        ...

    def chosen_doc_id(self) -> int | None:
        """The document the view points at (its document filter, else the current unit's)."""
        ...

    def apply_settings(self, values: dict[str, Any]) -> None:
        """Keep ``values`` as the settings (the user's defaults and the project's) and re-read
        them into the state."""
        ...

    def after_alignment(self, result: Any = None) -> str | None:
        """A new suggestion run replaced a document's units: re-read every row (their ids and
        the review history changed); may return a one-line summary (what undo lost)."""
        ...

    def rows_changed(self) -> None:
        """The store changed the rows' scores or texts in place: re-read and re-fit them."""
        ...


def settings_for_alignment(values: Mapping[str, Any], translated: bool = True) -> AlignSettings:
    """:class:`AlignSettings` from the settings dialog's values (``load_settings``).

    The dialog's n-gram order is the order against a translation; a document without one is
    aligned on unigrams (word order differs between languages), as ``workbench align`` does.
    A threshold other than the default reaches ABLEU's self-training too, as ``--threshold``
    does on the command line."""
    scorer = str(values["scorer"])
    threshold = float(values["threshold"])
    return AlignSettings(
        scorer=scorer,
        embeddings=(values["embeddings"] or None) if scorer == "ableu" else None,
        threshold=None if threshold == DEFAULT_THRESHOLD else threshold,
        order=int(values["order"]) if translated else 1,
    )


class ReviewState:
    """The open project, its settings and the background-task starter of one review window."""

    def __init__(
        self,
        presenter: Presenter,
        start_task: TaskStarter,
        settings: Mapping[str, Any] | None = None,
        project: Project | None = None,
    ) -> None:
        self.presenter = presenter
        self.start_task = start_task
        self.project: Project | None = project
        # The settings dialog's values (``gui.settings.load_settings``): scorer, embeddings,
        # order, threshold, translator model, reviewer.
        self.settings: dict[str, Any] = dict(settings or {})

    # -- what the view shows --------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.presenter.show_message(text)

    def show_error(self, title: str, text: str) -> object:
        return self.presenter.show_error(title, text)

    def current_doc_id(self) -> int | None:
        """The current document: the view's choice, else the project's first document."""
        doc_id = self.presenter.chosen_doc_id()
        if doc_id is None and self.project is not None:
            docs = self.project.documents()
            doc_id = docs[0].id if docs else None
        return doc_id

    # -- settings -------------------------------------------------------------------------------
    def align_settings(self, doc_id: int) -> AlignSettings:
        """How document ``doc_id`` is aligned with the dialog's settings."""
        if self.project is None:
            raise ValueError("no project is open")
        translated = any(self.project.translation(doc_id, side) for side in ("source", "target"))
        return settings_for_alignment(self.settings, translated)

    def apply_settings(self, values: Mapping[str, Any]) -> None:
        """Keep new settings (through the view, which stores them and rebuilds its shading)."""
        self.presenter.apply_settings(dict(values))

    # -- the store changed under the view -------------------------------------------------------
    def after_alignment(self, result: Any = None) -> str | None:
        """Tell the view that new suggestions replaced a document's units (an ``on_done`` for
        :meth:`start_task`: its summary line, if any, is the task's)."""
        return self.presenter.after_alignment(result)

    def rows_changed(self) -> None:
        """Tell the view that scores or texts of its rows changed in place."""
        self.presenter.rows_changed()
