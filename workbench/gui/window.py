"""The review window: the unit table under its filter and Find bars, the menus, the status bar,
and the project it presents.

Its state (project, settings, current document, background tasks) is a Qt-free
:class:`~workbench.review.state.ReviewState` that the tools receive instead of the window; the
window is its :class:`~workbench.review.state.Presenter`. The parts live in their own modules:
``actions`` (menus and keys), ``filters``, ``search``, ``tasks`` (the background task and its
progress bar), ``files`` (projects and documents to open), ``help_overlay``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError
from workbench.gui import files
from workbench.gui.controller import ReviewController
from workbench.gui.delegate import UnitDelegate
from workbench.gui.filters import FilterBar
from workbench.gui.help_overlay import HelpOverlay
from workbench.gui.model import (
    COL_CONFIDENCE,
    COL_IDS,
    COL_MT,
    COL_SOURCE,
    COL_STATUS,
    COL_TARGET,
    UnitTableModel,
)
from workbench.gui.rows import RowFitter
from workbench.gui.search import SearchBar
from workbench.gui.settings import SettingsDialog, load_settings, save_settings
from workbench.gui.shading import Explainer, ProjectShading
from workbench.gui.tasks import TaskRunner
from workbench.review import confidence, tasks
from workbench.review.state import ReviewState

if TYPE_CHECKING:
    from workbench.gui.worker import TaskWorker
    from workbench.project import Project
    from workbench.review.state import Job, OnDone
    from workbench.translate.base import Translator

PROJECT_SUFFIX = files.PROJECT_SUFFIX


class MainWindow(QMainWindow):
    """The review window over one open project at a time."""

    project_changed = Signal()
    task_done = Signal(str)  # "finished", "failed" or "cancelled"
    last_error: QMessageBox | None = None  # the latest error shown (offscreen runs read it)
    font_warning: QWidget | None = None  # the missing-font line (gui/fonts.py), once shown

    def __init__(self, data_dir: Path | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.tasks = TaskRunner(self.statusBar(), self.show_message, self.show_error)
        self.tasks.done.connect(self.task_done)
        self.state = ReviewState(self, self.tasks.start, load_settings())
        self.model = UnitTableModel(None)
        # Set once the curator shows or hides the MT column; until then the project decides.
        self.mt_column_chosen = False
        self.setAcceptDrops(True)
        self.resize(1280, 720)
        self._build_view()
        self.controller = ReviewController(self.model, self.view)
        self.controller.message.connect(self.show_message)
        self.controller.changed.connect(self.update_status)
        stack = self.controller.undo_stack
        stack.not_saved.connect(lambda text: self.show_error("Not saved", text))
        stack.failed.connect(self.show_message)
        self.filter_bar = FilterBar()
        self.filter_bar.changed.connect(self.apply_filter)
        self.filter_bar.done.connect(lambda: self.view.setFocus())
        self.doc_combo = self.filter_bar.doc_combo
        self.status_combo = self.filter_bar.status_combo
        self.band_combo = self.filter_bar.band_combo
        self.shape_combo = self.filter_bar.shape_combo
        self.order_combo = self.filter_bar.order_combo
        self.search_bar = SearchBar(self.controller, self.view)
        self.search_edit = self.search_bar.edit
        self.search_pane = self.search_bar.pane
        self.progress = self.tasks.progress
        self.cancel_button = self.tasks.cancel_button
        self.stats_label = QLabel()
        self.statusBar().addPermanentWidget(self.stats_label)
        from workbench.gui.actions import build_actions

        build_actions(self)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.search_bar)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.help_overlay = HelpOverlay(central)
        # Issue 10's curator tools (Power menu, InterText keys, remappable keymap).
        from workbench.gui.power import install_power_tools

        self.power_tools = install_power_tools(self)
        # Issues 8 and 7 inside the window: the Neighbours dock with the retraining loop, and
        # the spot-check menu.
        from workbench.gui.embedding_tools import install_embedding_tools
        from workbench.gui.spotcheck_menu import install_spotcheck_menu

        self.embedding_tools = install_embedding_tools(self, self.tools_menu, self.view_menu)
        self.spotcheck_tools = install_spotcheck_menu(self, self.spotcheck_menu)
        # The stored keymap again, now that every menu exists: all shortcuts are remappable.
        self.power_tools.apply_keys()
        self.action_groups.append(
            (
                "Neighbours & spot-checks",
                [
                    *self.embedding_tools.actions.values(),
                    *self.spotcheck_tools.actions.values(),
                ],
            )
        )
        self.action_groups.append(("Power tools", list(self.power_tools.actions.values())))
        self.help_overlay.set_actions(self.action_groups)
        self.update_title()

    # -- the state ------------------------------------------------------------------------------
    @property
    def project(self) -> Project | None:
        return self.state.project

    @project.setter
    def project(self, project: Project | None) -> None:
        self.state.project = project

    @property
    def settings(self) -> dict[str, Any]:
        return self.state.settings

    @settings.setter
    def settings(self, values: dict[str, Any]) -> None:
        self.state.settings = values

    @property
    def worker(self) -> TaskWorker | None:
        return self.tasks.worker

    # -- construction ---------------------------------------------------------------------------
    def _build_view(self) -> None:
        view = QTableView()
        view.setModel(self.model)
        self.delegate = UnitDelegate(view)
        view.setItemDelegate(self.delegate)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(True)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setAlternatingRowColors(False)
        view.setTabKeyNavigation(False)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # A narrow window showed "Machine translatior": elided, whole in the tooltip.
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        for col in (COL_SOURCE, COL_MT, COL_TARGET):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        # the Confidence column as wide as its header ("100 %" is narrower)
        confidence_width = header.fontMetrics().horizontalAdvance("Confidence") + 14
        for col, width in ((COL_IDS, 40), (COL_CONFIDENCE, confidence_width), (COL_STATUS, 86)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            view.setColumnWidth(col, width)
        vheader = view.verticalHeader()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        vheader.setMinimumWidth(40)
        self.view = view
        self.model.modelReset.connect(self._after_reset)
        # Rows as tall as their text (capped; the current row in full): see gui/rows.py.
        self.row_fitter = RowFitter(view, self.delegate)
        self.delegate.max_lines = self.row_fitter.max_lines

    def _after_reset(self) -> None:
        self.delegate.clear_cache()
        self.row_fitter.attach()

    def refit_current_row(self) -> None:
        """Re-fit the rows on screen (after column widths or texts changed)."""
        self.delegate.clear_cache()
        self.row_fitter.invalidate()
        self.row_fitter.fit()

    @Slot(str)
    def _undo_text(self, text: str) -> None:
        self.undo_action.setText(f"&Undo {text}".strip())

    @Slot(str)
    def _redo_text(self, text: str) -> None:
        self.redo_action.setText(f"&Redo {text}".strip())

    # -- project --------------------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        old = self.project
        self.project = project
        self.settings = load_settings(project)
        if project is not None and self.settings["reviewer"]:
            project.set_setting("reviewer", self.settings["reviewer"])
        self._update_explainer()
        self.controller.set_project(project)
        # Resume where the review stopped: the first pending unit.
        first_pending = self.model.find_row(lambda u: u.status == "pending", 0)
        self.controller.go_to_row(max(first_pending, 0))
        self.filter_bar.reset()  # the table of a project just opened is unfiltered
        self._fill_documents()
        self._fit_mt_column()
        if old is not None and old is not project:
            old.close()
        if project is not None and getattr(project, "path", None):
            files.remember_recent(Path(project.path))
        self.update_title()
        self.update_status()
        self.view.setFocus()
        self.project_changed.emit()

    def _update_explainer(self) -> None:
        from workbench.scoring import make_scorer

        settings = self.settings
        embeddings = settings["embeddings"] or None if settings["scorer"] == "ableu" else None
        try:
            scorer = make_scorer(
                settings["scorer"],
                embeddings,
                int(settings["order"]),
                lowercase=True,
                threshold=float(settings["threshold"]),
            )
        except (WorkbenchError, OSError, ValueError) as exc:
            self.show_message(f"word shading without embeddings: {exc}")
            scorer = make_scorer("bleu", lowercase=True)
        similarity = getattr(scorer, "similarity", None)
        # Per document: word weights (how much a match tells) and, for self-trained ABLEU,
        # the word2vec-pair model kept with the project (gui/shading.py).
        contexts = ProjectShading(
            self.project,
            scorer.tokenize,
            use_stored_model=settings["scorer"] == "ableu" and not embeddings,
        )
        self.delegate.set_explainer(Explainer(scorer.tokenize, similarity, context=contexts))
        self.refit_current_row()
        self.view.viewport().update()

    def _fill_documents(self) -> None:
        self.filter_bar.fill_documents(self.project)

    def apply_filter(self) -> None:
        unit_filter = self.filter_bar.unit_filter()
        self.model.set_filter(unit_filter)
        self.update_status()
        self.controller.go_to_row(0)
        note = confidence.missing_note(self.project, unit_filter)
        if note:
            self.show_message(note)

    def update_title(self) -> None:
        name = Path(self.project.path).name if self.project is not None else "no project"
        self.setWindowTitle(f"{name} — workbench")

    def update_status(self) -> None:
        if self.project is None:
            self.stats_label.setText("no project open — File ▸ Open, or drop a .wbproj here")
            return
        # The counts of what the table shows: the document chosen in the filter bar, named, or
        # every document (they were the project's while the table showed one document).
        doc_id = self.filter_bar.doc_combo.currentData()
        if doc_id is not None and doc_id not in {d.id for d in self.project.documents()}:
            doc_id = None  # a project just opened: the combo still names the last one's
        s = self.project.stats(doc_id)
        aligned = s.aligned_source + s.aligned_target
        total = s.total_source + s.total_target
        share = f"{100 * aligned / total:.0f}%" if total else "—"
        name = self.filter_bar.doc_combo.currentText() if doc_id is not None else ""
        # A long document name is shortened (whole in the tooltip): the counts come first.
        self.stats_label.setToolTip(f"counts of {name}" if name else "counts of every document")
        name = f"{name[:19]}…:   " if len(name) > 20 else f"{name}:   " if name else ""
        self.stats_label.setText(
            f"{name}✓ {s.accepted} accepted   ✗ {s.rejected} rejected   • {s.pending} pending   "
            f"yield {share} ({aligned}/{total} sentences)"
        )

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def show_error(self, title: str, text: str) -> QMessageBox:
        """A message box (window-modal, not blocking the event loop) instead of a traceback."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self
        )
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.last_error = box
        return box

    # -- opening --------------------------------------------------------------------------------
    def open_project(self, path: str | Path) -> bool:
        from workbench.project import Project
        from workbench.safeio import same_file

        if self.project is not None and Path(path).exists() and same_file(self.project.path, path):
            # Opening the project this window shows (Recent, a drop): it held the lock itself
            # and was told the project was "in use by another process". Open it afresh.
            if self.worker is not None:
                self.show_message("a background task is working on this project: wait for it")
                return False
            self._let_go()
        try:
            project = Project.open(path)
        except WorkbenchError as exc:
            self.update_title()
            self.update_status()
            self.show_error("Cannot open the project", str(exc))
            return False
        self.set_project(project)
        return True

    def create_project(self, path: str | Path) -> bool:
        from workbench.project import Project

        try:
            project = Project.create(files.project_path(path))
        except WorkbenchError as exc:
            self.show_error("Cannot create the project", str(exc))
            return False
        self.set_project(project)
        return True

    def open_demo(self) -> None:
        from workbench.gui.app import user_data_dir
        from workbench.gui.demo import open_demo_project

        try:
            project = open_demo_project(self.data_dir or user_data_dir())
        except WorkbenchError as exc:
            self.show_error("Cannot open the demo", str(exc))
            return
        self.set_project(project)

    def new_project_dialog(self) -> None:
        path = files.ask_new_project(self)
        if path:
            self.create_project(path)

    def open_project_dialog(self) -> None:
        path = files.ask_project(self)
        if path:
            self.open_project(path)

    def recent_projects(self) -> list[str]:
        return files.recent_projects()

    def _fill_recent_menu(self) -> None:
        files.fill_recent_menu(self.recent_menu, self.open_project)

    def add_documents_dialog(self) -> None:
        if self.project is None:
            self.show_message("open or create a project first")
            return
        chosen = files.ask_documents(self)
        if chosen is not None:
            self.add_documents(*chosen)

    def add_documents(
        self, source: str | Path, target: str | Path, mt: str | Path | None = None
    ) -> int | None:
        """Add a document pair (and its translation) to the project and align it in the
        background; returns the new document id."""
        if self.project is None:
            self.show_message("open or create a project first")
            return None
        try:
            doc_id = files.add_document_files(self.project, source, target, mt)
        except WorkbenchError as exc:
            self.show_error("Cannot add the documents", str(exc))
            return None
        self._fill_documents()
        self.align_document(doc_id)
        return doc_id

    def export_dialog(self) -> None:
        if self.project is None:
            self.show_message("open a project first")
            return
        path, fmt = files.ask_export_path(self)
        if path:
            self.export_pairs(path, fmt)

    def export_pairs(
        self, path: str | Path, fmt: str | None = None, languages: tuple[str, str] | None = None
    ) -> bool:
        """File ▸ Export pairs: the accepted pairs of every document's, as ``workbench project export``
        writes them (the curator had to close the window and use the command line). A Moses
        export of documents without languages asks for them (``languages`` gives them)."""
        if self.project is None:
            self.show_message("open a project first")
            return False
        if languages is None and (known := files.languages_to_ask(self.project, path, fmt)):
            languages = files.ask_languages(self, *known)
            if languages is None:
                self.show_message("nothing exported")
                return False
        try:
            self.show_message(files.export_accepted(self.project, path, fmt, languages))
        except WorkbenchError as exc:
            self.show_error("Nothing exported", str(exc))
            return False
        return True

    def settings_dialog(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.apply_settings(dialog.values())

    def apply_settings(self, values: dict[str, Any]) -> None:
        save_settings(values, self.project)
        self.settings = load_settings(self.project)
        self._update_explainer()

    # -- the presenter of the state, background tasks -------------------------------------------
    def chosen_doc_id(self) -> int | None:
        doc_id = self.doc_combo.currentData()
        if doc_id is None:
            unit = self.controller.current_unit()
            doc_id = unit.doc_id if unit is not None else None
        return doc_id

    def current_doc_id(self) -> int | None:
        return self.state.current_doc_id()

    def after_alignment(self, _result: Any = None) -> str | None:
        """On the GUI thread once the worker stored new suggestions: re-read the rows. The
        store dropped the re-aligned document's undo steps (its units were rebuilt); Ctrl+Z
        keeps those on other documents, and the returned status line says what it lost."""
        dropped = self.controller.undo_stack.keep_surviving()
        self._update_explainer()  # new sentences, or a new embedding kept with the project
        self._fit_mt_column()  # a first translation brings the MT column
        self.model.refresh()
        self.controller.go_to_row(self.controller.current_row())
        self.update_status()
        if not dropped:
            return None
        steps = "1 undo step" if dropped == 1 else f"{dropped} undo steps"
        return f"aligned; {steps} can no longer be undone (re-aligned document; changes kept)"

    def rows_changed(self) -> None:
        self.model.refresh()
        self.refit_current_row()
        self.update_status()

    def start_task(self, job: Job, label: str, on_done: OnDone) -> bool:
        return self.tasks.start(job, label, on_done)

    def cancel_task(self) -> None:
        self.tasks.cancel()

    def stop_tasks(self, timeout_ms: int = 10000) -> None:
        self.tasks.stop(timeout_ms)

    def align_document(self, doc_id: int) -> bool:
        return tasks.align_document(self.state, doc_id)

    def align_current_document(self) -> None:
        doc_id = self.current_doc_id()
        if doc_id is None:
            self.show_message("no document to align")
            return
        self.align_document(doc_id)

    def translate_with_model(self, model: str | Path | Translator | None = None) -> bool:
        """Translate the current document with the configured model, then re-align it."""
        doc_id = self.current_doc_id()
        if doc_id is None:
            self.show_message("no document to translate")
            return False
        if model is None:
            model = self.settings["translator_model"] or QFileDialog.getExistingDirectory(
                self, "CTranslate2 model folder"
            )
            if not model:
                return False
        return tasks.translate_document(self.state, doc_id, model)

    # -- help, columns, shading -----------------------------------------------------------------
    def toggle_help(self) -> None:
        if self.help_overlay.isVisible():
            self.help_overlay.hide()
        else:
            self.help_overlay.show()

    def help_overlay_hide(self) -> None:
        if self.help_overlay.isVisible():
            self.help_overlay.hide()
        elif self.search_bar.isVisible():
            self.search_bar.close_search()

    def toggle_mt_column(self) -> None:
        self.mt_column_chosen = True  # the curator's choice; the window no longer decides
        self.view.setColumnHidden(COL_MT, not self.mt_column_action.isChecked())
        self.refit_current_row()

    def _fit_mt_column(self) -> None:
        """Show the MT column only when the project holds a translation (a project aligned
        without MT would give a third of the width to "(no machine translation)"), until the
        curator shows or hides it from the View menu."""
        if self.mt_column_chosen:
            return
        shown = self.project is not None and self.project.has_translation()
        if shown == self.view.isColumnHidden(COL_MT):
            self.mt_column_action.setChecked(shown)
            self.view.setColumnHidden(COL_MT, not shown)
            self.refit_current_row()

    def toggle_shading(self) -> None:
        self.delegate.shading = self.shading_action.isChecked()
        self.delegate.clear_cache()
        self.view.viewport().update()

    # -- drag and drop, closing -----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.open_dropped(paths)

    def open_dropped(self, paths: list[Path]) -> None:
        """A dropped .wbproj opens; two text files become a document pair (source first)."""
        project = files.dropped_project(paths)
        if project is not None:
            self.open_project(project)
        elif len(paths) in (2, 3):
            self.add_documents(*paths)
        else:
            self.show_message("drop a .wbproj project, or two text files (source, target)")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_tasks()
        self._let_go()
        super().closeEvent(event)

    def _let_go(self) -> None:
        """Close the project; the table lets go first: a row fitting or repaint still queued
        must not read a closed project (it raised "project is closed" in the event loop)."""
        if self.project is not None:
            project, self.project = self.project, None
            self.controller.undo_stack.clear()
            self.model.set_project(None)
            project.close()
