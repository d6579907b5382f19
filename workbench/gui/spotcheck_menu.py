"""The Spot-check menu of the review window: new sample, judge a sample, the report (issue 7).

Drawing a sample or gathering the report may align a document with a scorer that has no stored
suggestions yet (ABLEU self-trains an embedding for that), so both run on the window's task
worker with progress and cancel; the project store serialises its connection, so the job may
use it from the worker thread. Judging and the report open as their own windows.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QWidget

if TYPE_CHECKING:
    # The spot-check widgets (and the statistics behind them) are imported when first opened,
    # not while the review window starts.
    from workbench.gui.spotcheck import JudgingView, ReportView
    from workbench.gui.window import MainWindow
    from workbench.project import Project
    from workbench.review.state import ReviewState
    from workbench.spotcheck.report import ComparisonReport

BASE_SCORERS = ("bleu", "ableu")


@cache
def _background_sample_dialog() -> type[QDialog]:
    """The sample dialog whose OK only closes it: the window draws the sample in the
    background from its ``options()``."""
    from workbench.gui.spotcheck import SampleDialog

    class BackgroundSampleDialog(SampleDialog):
        def create(self) -> None:
            self.accept()

    return BackgroundSampleDialog


def project_scorers(project: Project) -> list[str]:
    """BLEU and ABLEU, then every other scorer with stored suggestions (e.g. a plugin's)."""
    names = list(BASE_SCORERS)
    for doc in project.documents():
        for run in project.suggestion_runs(doc.id):
            if run.scorer not in names:
                names.append(run.scorer)
    return names


class SpotCheckTools(QObject):
    """The spot-check actions of one review window (its ``state``) and the windows they
    opened (over ``host``, the review window; their own top-level windows without one)."""

    def __init__(self, state: ReviewState, host: QWidget | None = None) -> None:
        super().__init__(host)
        self.state = state
        self.host = host
        self.actions: dict[str, QAction] = {}
        self.judging: JudgingView | None = None
        self.report_view: ReportView | None = None
        self.last_sample_id: int | None = None

    def _project(self) -> Project | None:
        if self.state.project is None:
            self.state.show_message("open a project first")
        return self.state.project

    def _embeddings(self) -> str | None:
        return self.state.settings.get("embeddings") or None

    def _after_store_changed(self) -> None:
        # Computing a scorer's suggestions stores a run (and restores the reviewed one):
        # the rows have new ids and the store's undo history was reset.
        summary = self.state.after_alignment()
        if summary:
            self.state.show_message(summary)

    # -- new sample -----------------------------------------------------------------------------
    def new_sample_dialog(self) -> bool:
        project = self._project()
        if project is None:
            return False
        dialog: Any = _background_sample_dialog()(project, project_scorers(project), self.host)
        if not dialog.exec():
            return False
        return self.new_sample(dialog.options())

    def new_sample(self, options: dict[str, Any]) -> bool:
        """Draw a sample with ``options`` (SampleDialog.options) on the worker, then offer to
        judge it."""
        from workbench.spotcheck.project_data import create_sample

        project = self._project()
        if project is None:
            return False
        embeddings = self._embeddings()

        def job(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            return create_sample(
                project,
                embeddings=embeddings,
                progress=lambda label: progress(0, 0, label),
                **options,
            )

        return self.state.start_task(job, "drawing a sample", self._sample_drawn)

    def _sample_drawn(self, result: tuple[int, int, int]) -> str:
        sample_id, size, population = result
        self.last_sample_id = sample_id
        self._after_store_changed()
        return f"sample {sample_id}: {size} of {population} pairs — Spot-check ▸ Judge sample…"

    # -- judging --------------------------------------------------------------------------------
    def choose_sample(self) -> int | None:
        """Ask which sample to judge (the latest first); None if there is none or on Cancel."""
        project = self._project()
        if project is None:
            return None
        samples = sorted(project.samples(), key=lambda s: s.id, reverse=True)
        if not samples:
            self.state.show_message("no sample yet: Spot-check ▸ New sample…")
            return None
        if len(samples) == 1:
            return samples[0].id
        labels = [f"{s.id}: {s.name}" for s in samples]
        label, ok = QInputDialog.getItem(self.host, "Judge a sample", "Sample", labels, 0, False)
        return samples[labels.index(label)].id if ok and label in labels else None

    def judge_sample(self, sample_id: int | None = None) -> JudgingView | None:
        """Open the judging view (its own window) on ``sample_id`` or a chosen sample."""
        project = self._project()
        if project is None:
            return None
        if sample_id is None:
            sample_id = self.choose_sample()
            if sample_id is None:
                return None
        if self.judging is not None:
            self.judging.close()
        from workbench.gui.spotcheck import JudgingView

        view = JudgingView(project, sample_id)
        view.setParent(self.host, Qt.WindowType.Window)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.destroyed.connect(lambda _=None: self._forget_judging(view))
        view.finished.connect(
            lambda: self.state.show_message("sample judged: Spot-check ▸ Report…")
        )
        self.judging = view
        view.show()
        view.activateWindow()
        view.setFocus()
        return view

    def _forget_judging(self, view: QWidget) -> None:
        if self.judging is view:
            self.judging = None

    # -- the report -----------------------------------------------------------------------------
    def report(self, scorers: list[str] | None = None) -> bool:
        """Gather the comparison report of ``scorers`` (BLEU, ABLEU and every scorer with
        stored suggestions) on the worker, then show it in its own window."""
        from workbench.spotcheck.project_data import gather_report

        project = self._project()
        if project is None:
            return False
        scorers = scorers or project_scorers(project)
        embeddings = self._embeddings()

        def job(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            return gather_report(
                project,
                scorers,
                embeddings=embeddings,
                progress=lambda label: progress(0, 0, label),
            )

        return self.state.start_task(job, "gathering the report", self._show_report)

    def _show_report(self, report: ComparisonReport) -> None:
        self._after_store_changed()
        if self.report_view is None:
            from workbench.gui.spotcheck import ReportView

            view = ReportView(None)
            view.setParent(self.host, Qt.WindowType.Window)
            self.report_view = view
        self.report_view.set_report(report)
        self.report_view.show()
        self.report_view.raise_()


def install_spotcheck_menu(window: MainWindow, menu: QMenu) -> SpotCheckTools:
    """Fill the review window's Spot-check menu."""
    tools = SpotCheckTools(window.state, window)
    for key, text, keys, slot in (
        ("new", "&New sample…", "Ctrl+Alt+S", tools.new_sample_dialog),
        ("judge", "&Judge sample…", "Ctrl+J", tools.judge_sample),
        ("report", "&Report…", "Ctrl+Shift+J", tools.report),
    ):
        action = QAction(text, window)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False, slot=slot: slot())
        menu.addAction(action)
        window.addAction(action)
        tools.actions[key] = action
    return tools
