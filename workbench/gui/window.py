"""The review window: the unit table, filters, search, menus with shortcuts, status bar and
background tasks (translate + align on a :class:`~workbench.gui.worker.TaskWorker`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import (
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError
from workbench.gui.controller import ReviewController
from workbench.gui.delegate import UnitDelegate
from workbench.gui.help_overlay import HelpOverlay
from workbench.gui.model import (
    COL_CONFIDENCE,
    COL_IDS,
    COL_MT,
    COL_SOURCE,
    COL_STATUS,
    COL_TARGET,
    UnitFilter,
    UnitTableModel,
)
from workbench.gui.rows import RowFitter
from workbench.gui.settings import SettingsDialog, load_settings, qsettings, save_settings
from workbench.gui.shading import Explainer, ProjectShading
from workbench.project.embeddings import keep_embedding
from workbench.review import confidence

if TYPE_CHECKING:
    from workbench.align.pipeline import AlignSettings
    from workbench.project import Project

PROJECT_SUFFIX = ".wbproj"
MAX_RECENT = 8
ORDERS = (
    ("In document order", "position"),
    ("Least confident first", "confidence"),
    ("Lowest score first", "score"),
    ("Highest score first", "-score"),
)


class MainWindow(QMainWindow):
    """The review window over one open project at a time."""

    project_changed = Signal()
    task_done = Signal(str)  # "finished", "failed" or "cancelled"

    def __init__(self, data_dir: Path | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.project: Project | None = None
        self.settings: dict[str, Any] = load_settings()
        self.worker: Any = None
        self._task_thread: Any = None
        self._finishing: dict[int, tuple[Any, Any]] = {}
        self.model = UnitTableModel(None)
        self.setAcceptDrops(True)
        self.resize(1280, 720)
        self._build_view()
        self.controller = ReviewController(self.model, self.view)
        self.controller.message.connect(self.show_message)
        self.controller.changed.connect(self.update_status)
        self._build_filters()
        self._build_search()
        self._build_status_bar()
        self._build_actions()
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

    def _build_filters(self) -> None:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        self.doc_combo = QComboBox()
        self.doc_combo.setMinimumContentsLength(8)
        self.status_combo = QComboBox()
        self.status_combo.addItem("All statuses", None)
        for status in ("pending", "accepted", "rejected"):
            self.status_combo.addItem(status.capitalize(), status)
        self.band_combo = QComboBox()
        self._fill_bands()
        self.order_combo = QComboBox()
        for label, order in ORDERS:
            self.order_combo.addItem(label, order)
        for label, combo in (
            ("Document", self.doc_combo),
            ("Status", self.status_combo),
            ("Confidence", self.band_combo),
            ("Order", self.order_combo),
        ):
            # The items say what they filter ("All statuses"); the label is the tooltip, so
            # that the bar fits a half-screen window.
            combo.setToolTip(label)
            row.addWidget(combo)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(max(combo.minimumContentsLength(), 8))
            combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            combo.currentIndexChanged.connect(self.apply_filter)
        self.order_combo.setMinimumContentsLength(12)
        self.legend = QLabel(
            "<span style='background:#8fd19e;color:black'>&nbsp;exact&nbsp;</span> "
            "<span style='background:#f3cf75;color:black'>&nbsp;similar&nbsp;</span> "
            "match · darker: rarer word · F1: keys"
        )
        self.legend.setToolTip(
            "Words are shaded by their best match on the other side: green the same word, "
            "yellow a similar one (ABLEU's embedding). The rarer a word in the document, the "
            "more its match tells and the darker its shade; words in most sentences (the, de, "
            "la…) stay unshaded. Hover a word to see its match."
        )
        # The legend gives way first on a narrow window (it is repeated in its tooltip).
        self.legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.legend.setMinimumWidth(0)
        row.addWidget(self.legend, 1)
        self.filter_bar = bar

    def _build_search(self) -> None:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Find"))
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("text to find (Enter: next, Shift+Enter: previous)")
        self.search_edit.returnPressed.connect(lambda: self.find_next(False))
        self.search_edit.installEventFilter(self)
        row.addWidget(self.search_edit, 1)
        self.search_pane = QComboBox()
        for label, pane in (
            ("in any pane", "any"),
            ("in source", "source"),
            ("in MT", "mt"),
            ("in target", "target"),
        ):
            self.search_pane.addItem(label, pane)
        row.addWidget(self.search_pane)
        for text, backwards in (("Previous", True), ("Next", False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, b=backwards: self.find_next(b))
            row.addWidget(button)
        close = QToolButton()
        close.setText("✕")
        close.clicked.connect(self.close_search)
        row.addWidget(close)
        bar.hide()
        self.search_bar = bar

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search_edit
            and event.type() == QEvent.Type.ShortcutOverride
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
        ):
            # These keys belong to the search field, not to Accept / Close overlay.
            event.accept()
            return True
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Escape:
                self.close_search()
                return True
            if (
                key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):  # type: ignore[attr-defined]
                self.find_next(True)
                return True
        return super().eventFilter(watched, event)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.stats_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_task)
        self.progress.hide()
        self.cancel_button.hide()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.stats_label)

    def _build_actions(self) -> None:
        from workbench.gui.actions import build_actions

        build_actions(self)

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
        self._fill_documents()
        if old is not None and old is not project:
            old.close()
        if project is not None and getattr(project, "path", None):
            self._remember_recent(Path(project.path))
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

    def _fill_bands(self) -> None:
        """The confidence filter: all, the three bands (the project's edges), no confidence."""
        combo = self.band_combo
        combo.blockSignals(True)
        combo.clear()
        project = getattr(self, "project", None)
        for label, bounds in confidence.band_filters(*confidence.edges(project)):
            combo.addItem(label, bounds)
        combo.blockSignals(False)

    def _fill_documents(self) -> None:
        self._fill_bands()
        combo = self.doc_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All documents", None)
        if self.project is not None:
            for doc in self.project.documents():
                combo.addItem(doc.name or f"document {doc.id}", doc.id)
        combo.blockSignals(False)

    def apply_filter(self) -> None:
        unit_filter = UnitFilter(
            doc_id=self.doc_combo.currentData(),
            status=self.status_combo.currentData(),
            order=self.order_combo.currentData() or "position",
            confidence=tuple(sorted((self.band_combo.currentData() or {}).items())),
        )
        self.model.set_filter(unit_filter)
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
        s = self.project.stats()
        aligned = s.aligned_source + s.aligned_target
        total = s.total_source + s.total_target
        share = f"{100 * aligned / total:.0f}%" if total else "—"
        self.stats_label.setText(
            f"✓ {s.accepted} accepted   ✗ {s.rejected} rejected   • {s.pending} pending   "
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

    def open_project(self, path: str | Path) -> bool:
        from workbench.project import Project

        try:
            project = Project.open(path)
        except WorkbenchError as exc:
            self.show_error("Cannot open the project", str(exc))
            return False
        self.set_project(project)
        return True

    def create_project(self, path: str | Path) -> bool:
        from workbench.project import Project

        path = Path(path)
        if path.suffix != PROJECT_SUFFIX:
            path = path.with_suffix(PROJECT_SUFFIX)
        try:
            project = Project.create(path)
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
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", "", f"Workbench project (*{PROJECT_SUFFIX})"
        )
        if path:
            self.create_project(path)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open project", "", f"Workbench project (*{PROJECT_SUFFIX})"
        )
        if path:
            self.open_project(path)

    def recent_projects(self) -> list[str]:
        value = qsettings().value("recent_projects", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _remember_recent(self, path: Path) -> None:
        entry = str(path.resolve())
        recent = [entry] + [p for p in self.recent_projects() if p != entry]
        store = qsettings()
        store.setValue("recent_projects", recent[:MAX_RECENT])
        store.sync()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_projects():
            action = self.recent_menu.addAction(path)
            action.setEnabled(Path(path).exists())
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def add_documents_dialog(self) -> None:
        if self.project is None:
            self.show_message("open or create a project first")
            return
        source, _ = QFileDialog.getOpenFileName(self, "Source document (one sentence per line)")
        if not source:
            return
        target, _ = QFileDialog.getOpenFileName(self, "Target document (one sentence per line)")
        if not target:
            return
        mt, _ = QFileDialog.getOpenFileName(
            self, "Machine translation of the source (optional: Cancel to skip)"
        )
        self.add_documents(source, target, mt or None)

    def add_documents(
        self, source: str | Path, target: str | Path, mt: str | Path | None = None
    ) -> int | None:
        """Add a document pair (and its translation) to the project and align it in the
        background; returns the new document id."""
        from workbench.textio import check_parallel, read_document

        if self.project is None:
            self.show_message("open or create a project first")
            return None
        try:
            src_doc = read_document(source)
            tgt_doc = read_document(target)
            mt_doc = read_document(mt) if mt else None
            if mt_doc is not None:  # before anything is stored: a bad MT file adds nothing
                check_parallel(src_doc, mt_doc)
            doc_id = self.project.add_document(src_doc, tgt_doc, name=Path(source).stem)
            if mt_doc is not None:
                self.project.set_translation(
                    doc_id, mt_doc.sentences, translator=f"file:{Path(mt).name}"
                )
        except WorkbenchError as exc:
            self.show_error("Cannot add the documents", str(exc))
            return None
        self._fill_documents()
        self.align_document(doc_id)
        return doc_id

    def settings_dialog(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.apply_settings(dialog.values())

    def apply_settings(self, values: dict[str, Any]) -> None:
        save_settings(values, self.project)
        self.settings = load_settings(self.project)
        self._update_explainer()

    # -- background tasks -----------------------------------------------------------------------
    def current_doc_id(self) -> int | None:
        doc_id = self.doc_combo.currentData()
        if doc_id is None:
            unit = self.controller.current_unit()
            doc_id = unit.doc_id if unit is not None else None
        if doc_id is None and self.project is not None:
            docs = self.project.documents()
            doc_id = docs[0].id if docs else None
        return doc_id

    def align_settings(self, doc_id: int) -> AlignSettings:
        """How document ``doc_id`` is aligned with the dialog's settings."""
        from workbench.gui.state import settings_for_alignment

        translated = any(self.project.translation(doc_id, side) for side in ("source", "target"))
        return settings_for_alignment(self.settings, translated)

    def start_task(
        self, job: Callable[..., Any], label: str, on_done: Callable[[Any], None]
    ) -> bool:
        from workbench.gui.worker import TaskWorker

        if self.worker is not None:
            self.show_message("a background task is already running")
            return False
        worker = TaskWorker(job)
        self.worker = worker
        self.progress.setRange(0, 0)
        self.progress.setFormat(label)
        self.progress.show()
        self.cancel_button.show()
        self._task = (label, on_done)
        # Bound methods of this window, so that Qt queues the calls onto the GUI thread.
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_task_finished)
        worker.error.connect(self._on_task_failed)
        worker.cancelled.connect(self._on_task_cancelled)
        self._task_thread = worker.start()
        return True

    @Slot(object)
    def _on_task_finished(self, result: Any) -> None:
        label, on_done = self._task
        self._task_over()
        try:
            summary = on_done(result)  # a handler may return its own one-line summary
        except WorkbenchError as exc:
            self.show_error(f"{label.capitalize()} failed", str(exc))
            self.task_done.emit("failed")
            return
        self.show_message(summary if isinstance(summary, str) else f"{label}: done")
        self.task_done.emit("finished")

    @Slot(object)
    def _on_task_failed(self, exc: BaseException) -> None:
        from workbench.gui.worker import failure_details, failure_message

        label, _ = self._task
        self._task_over()
        box = self.show_error(f"{label.capitalize()} failed", failure_message(exc))
        if not isinstance(exc, WorkbenchError):  # a bug: the traceback under "Show Details…"
            box.setDetailedText(failure_details(exc))
        self.task_done.emit("failed")

    @Slot()
    def _on_task_cancelled(self) -> None:
        label, _ = self._task
        self._task_over()
        self.show_message(f"{label}: cancelled")
        self.task_done.emit("cancelled")

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, label: str) -> None:
        if total <= 0:  # a step of unknown length: a busy indicator
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{label} %v/%m" if total else label)

    def _task_over(self) -> None:
        # The worker's thread quits through a queued call on this (GUI) thread, after this
        # slot returns; keep the worker and its QThread alive until the thread has finished.
        worker, self.worker = self.worker, None
        if worker is not None and self._task_thread is not None:
            thread = self._task_thread
            self._finishing = {k: v for k, v in self._finishing.items() if not v[1].isFinished()}
            self._finishing[id(thread)] = (worker, thread)
        self._task_thread = None
        self.progress.hide()
        self.cancel_button.hide()

    def cancel_task(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.show_message("cancelling…")

    def _after_alignment(self, _result: Any = None) -> None:
        """On the GUI thread once the worker stored new suggestions: re-read the rows."""
        self.controller.undo_stack.clear()  # re-alignment is not a review step
        self._update_explainer()  # new sentences, or a new embedding kept with the project
        self.model.refresh()
        self.controller.go_to_row(self.controller.current_row())
        self.update_status()

    def _storing(self, job: Callable[..., Any], store: Callable[[Any], None]) -> Callable[..., Any]:
        """``job`` followed by ``store(result)`` on the worker thread: writing thousands of
        suggestions takes tens of milliseconds, which would stall the window on its thread
        (the project serialises its connection with a lock, so this is safe)."""

        def run(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            result = job(progress, cancel)
            if cancel():
                from workbench.errors import CancelledError

                raise CancelledError("cancelled")
            progress(0, 0, "storing")
            store(result)
            return result

        return run

    def align_job(
        self, doc_id: int, keep: Callable[[object | None], None] | None = None
    ) -> Callable[..., Any]:
        """A job aligning document ``doc_id`` with its stored translations, as
        ``Project.align`` does — the texts are read here on the GUI thread, the job itself
        touches no store and no widget."""
        from workbench.align import pipeline
        from workbench.translate.jobs import align_with_settings

        docs = pipeline.project_documents(self.project, doc_id)
        settings = self.align_settings(doc_id)

        def job(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> list:
            return align_with_settings(
                docs.source, docs.target, docs.mt, settings, progress, cancel, docs.mt_reverse, keep
            )

        return job

    def align_document(self, doc_id: int) -> bool:
        scorer = self.settings["scorer"]
        project = self.project
        kept: list[object | None] = []

        def store(units: list) -> None:
            project.set_suggestions(doc_id, units, scorer)
            keep_embedding(project, doc_id, kept[-1] if kept else None)

        job = self._storing(self.align_job(doc_id, kept.append), store)
        return self.start_task(job, "aligning", self._after_alignment)

    def align_current_document(self) -> None:
        doc_id = self.current_doc_id()
        if doc_id is None:
            self.show_message("no document to align")
            return
        self.align_document(doc_id)

    def translate_with_model(self, model: str | Path | Any | None = None) -> bool:
        """Translate the current document with the configured model, then re-align it."""
        from workbench.gui.state import settings_for_alignment
        from workbench.translate.jobs import translate_and_align_job

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
        job = translate_and_align_job(
            self.project.source(doc_id),
            self.project.target(doc_id),
            model,
            # Kept in the project file: translating again (or re-opening and re-aligning)
            # asks the model only for sentences it has not translated before.
            cache=self.project.translation_cache,
            settings=settings_for_alignment(self.settings, translated=True),
            mt_reverse=[d for d in [self.project.translation(doc_id, "target")] if d],
            # The document's languages check the model's direction and pick NLLB tokens or
            # the package of a folder of Argos packages (docs/formats.md).
            translator_options=_languages_of(self.project.document(doc_id)),
        )
        scorer = self.settings["scorer"]
        project = self.project

        def store(result: Any) -> None:
            project.set_translation(doc_id, result.translation.sentences, result.translator)
            project.set_suggestions(doc_id, result.units, scorer)
            keep_embedding(project, doc_id, result.vectors)

        return self.start_task(self._storing(job, store), "translating", self._after_alignment)

    # -- search, help, shading ------------------------------------------------------------------
    def open_search(self) -> None:
        self.search_bar.show()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def close_search(self) -> None:
        self.search_bar.hide()
        self.view.setFocus()

    def find_next(self, backwards: bool = False) -> bool:
        text = self.search_edit.text()
        if not text:
            self.open_search()
            return False
        return self.controller.find(text, self.search_pane.currentData(), backwards)

    def toggle_help(self) -> None:
        if self.help_overlay.isVisible():
            self.help_overlay.hide()
        else:
            self.help_overlay.show()

    def help_overlay_hide(self) -> None:
        if self.help_overlay.isVisible():
            self.help_overlay.hide()
        elif self.search_bar.isVisible():
            self.close_search()

    def toggle_mt_column(self) -> None:
        self.view.setColumnHidden(COL_MT, not self.mt_column_action.isChecked())
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
        projects = [p for p in paths if p.suffix == PROJECT_SUFFIX]
        if projects:
            self.open_project(projects[0])
        elif len(paths) in (2, 3):
            self.add_documents(*paths)
        else:
            self.show_message("drop a .wbproj project, or two text files (source, target)")

    def stop_tasks(self, timeout_ms: int = 10000) -> None:
        """Cancel a running task and let its thread end (events keep flowing meanwhile, since
        the thread's quit is delivered on this thread)."""
        from PySide6.QtCore import QDeadlineTimer
        from PySide6.QtWidgets import QApplication

        if self.worker is not None:
            self.worker.cancel()
        deadline = QDeadlineTimer(timeout_ms)
        while (self.worker is not None or self._finishing) and not deadline.hasExpired():
            QApplication.processEvents()
            for key, (_, thread) in list(self._finishing.items()):
                if thread.wait(10):
                    del self._finishing[key]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_tasks()
        if self.project is not None:
            self.project.close()
            self.project = None
        super().closeEvent(event)


def _languages_of(document: Any) -> dict[str, str]:
    return {"source_lang": document.source_lang, "target_lang": document.target_lang}
