"""The project's embedding inside the review window: the Neighbours dock and the retraining loop.

Installed by the main window (like the Power menu): a dockable :class:`NeighbourPanel` over the
embedding ABLEU uses (the ``embeddings`` setting, loaded lazily and again when the file
changes), Alt+click or the context menu on a word in any text cell to show its neighbours, and
"Retrain embedding from accepted pairs", which runs
:func:`~workbench.embeddings.retrain.retrain_and_rescore` on the window's task worker, saves
the vectors next to the project, stores the new ABLEU scores of the pending suggestions and
switches the window's shading to the new embedding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError
from workbench.gui.model import UNIT_ROLE

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

    from workbench.gui.delegate import UnitDelegate
    from workbench.gui.neighbours import NeighbourPanel
    from workbench.gui.window import MainWindow
    from workbench.project import Project
    from workbench.project.model import Unit
    from workbench.review.state import ReviewState

EMBEDDING_SUFFIX = ".kv"  # <project>.wbproj.kv: beside <project>.wbproj.lock, never on it
PLAIN_SUFFIX = ".plain.kv"
NO_EMBEDDING = (
    "This project has no embedding yet. Accept some pairs, then "
    "Tools ▸ Retrain embedding from accepted pairs (or set one in Settings)."
)


def embedding_path(project_path: str | Path) -> Path:
    """Where the retrained word2vec-pair vectors of a project are kept."""
    p = Path(project_path)
    return p.with_name(p.name + EMBEDDING_SUFFIX)


def plain_path(project_path: str | Path) -> Path:
    """Where the plain word2vec model trained on the same pairs is kept (for comparison)."""
    p = Path(project_path)
    return p.with_name(p.name + PLAIN_SUFFIX)


def training_pairs(units: list[Unit]) -> list[tuple[str, str]]:
    """Text pairs to train on from accepted review units.

    ABLEU compares the machine translation with the target, so (MT, target) pairs teach it
    which words the MT system and the translator use for the same thing (as the self-training
    path does); the (source, target) pairs put the source language in the same space, so its
    words have neighbours too (the dock shows both languages).
    """
    pairs = []
    for u in units:
        if not (u.source_text or u.mt_text) or not u.target_text:
            continue
        if u.mt_text:
            pairs.append((u.mt_text, u.target_text))
        if u.source_text:
            pairs.append((u.source_text, u.target_text))
    return pairs


@dataclass(frozen=True)
class RetrainReport:
    """What a finished retraining did (built on the worker thread)."""

    path: Path
    plain: Path | None
    accepted: int
    pending: int
    changed: int
    crossed: int
    threshold: float
    stored: int

    def message(self) -> str:
        return (
            f"Retrained the embedding on {self.accepted} accepted pairs: {self.changed} of "
            f"{self.pending} pending suggestions changed score, {self.crossed} crossed the "
            f"{self.threshold:g} threshold."
        )


def retrain_job(
    project: Project,
    *,
    base: KeyedVectors | None = None,
    extra_pairs: list[Any] | None = None,
    threshold: float | None,
    order: int,
    low_score: float,
    side_names: tuple[str, str],
    train_plain: bool = True,
    train_options: dict[str, Any] | None = None,
) -> Callable[..., RetrainReport]:
    """A worker job: train on the accepted units, re-score and store the pending ones, save
    the vectors beside the project. The units are read here, on the calling (GUI) thread."""
    from workbench.embeddings.retrain import retrain_and_rescore, retrain_from_pairs

    accepted = project.units(status="accepted")
    pending = [u for u in project.units(status="pending") if u.source_ids and u.target_ids]
    pairs = training_pairs(accepted)
    extra = list(extra_pairs or [])
    options = dict(train_options or {})
    vectors_path = embedding_path(project.path)
    plain_vectors_path = plain_path(project.path)

    def job(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
        from workbench.embeddings import save_keyed_vectors
        from workbench.errors import CancelledError

        outcome = retrain_and_rescore(
            pairs,
            pending,
            extra_pairs=extra,
            base=base,
            order=order,
            threshold=threshold,
            side_names=side_names,
            progress=progress,
            cancel=cancel,
            **options,
        )
        plain = None
        if train_plain:
            progress(0, 0, "training plain word2vec for comparison")
            plain = retrain_from_pairs(
                pairs, extra, mode="plain", side_names=side_names, cancel=cancel, **options
            )
        if cancel():
            raise CancelledError("retraining cancelled")
        progress(0, 0, "saving the embedding and the new scores")
        save_keyed_vectors(outcome.vectors, vectors_path)
        if plain is not None:
            save_keyed_vectors(plain, plain_vectors_path)
        # Only units still as they were read: one merged or split meanwhile is another pair.
        stored = project.update_scores(
            [u.id for u in pending],
            outcome.result.new,
            "ableu",
            layouts=[(u.source_ids, u.target_ids) for u in pending],
        )
        return RetrainReport(
            vectors_path,
            plain_vectors_path if plain is not None else None,
            len(accepted),
            len(pending),
            outcome.result.changed,
            outcome.result.crossed(low_score),
            low_score,
            stored,
        )

    return job


class EmbeddingTools(QObject):
    """The Neighbours dock and the retrain actions of one review window: they read and start
    work through the window's ``state``, dock into ``host`` and find words in ``view`` through
    its ``delegate``."""

    def __init__(
        self, state: ReviewState, host: QMainWindow, view: QTableView, delegate: UnitDelegate
    ) -> None:
        super().__init__(host)
        self.state = state
        self.host = host
        self.view = view
        self.delegate = delegate
        self.dock: QDockWidget | None = None
        self.panel: NeighbourPanel | None = None
        self._loaded: tuple[Any, ...] | None = None  # (path, mtime, plain mtime)
        self.vectors: KeyedVectors | None = None
        self.plain: KeyedVectors | None = None
        self.last_report: RetrainReport | None = None
        self.note_text = NO_EMBEDDING
        # retrain_from_pairs options (epochs, vector_size, …); its defaults when empty.
        self.train_options: dict[str, Any] = {}
        self.actions: dict[str, QAction] = {}
        view.viewport().installEventFilter(self)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)

    # -- the dock -------------------------------------------------------------------------------
    def ensure_dock(self) -> QDockWidget:
        """The Neighbours dock, built on first use (matplotlib is not loaded before)."""
        if self.dock is not None:
            return self.dock
        from workbench.gui.neighbours import NeighbourPanel

        dock = QDockWidget("Neighbours", self.host)
        dock.setObjectName("neighbours-dock")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.retrain_button = QPushButton("Retrain embedding from accepted pairs")
        self.retrain_button.clicked.connect(lambda _=False: self.retrain())
        row = QHBoxLayout()
        row.addWidget(self.retrain_button)
        row.addStretch(1)
        layout.addWidget(self.note)
        layout.addLayout(row)
        panel = self.panel = NeighbourPanel(None, None, body, k=15)
        for table in (panel.pair_view, panel.plain_view):
            header = table.horizontalHeader()
            for column in (0, 2, 3):  # rank, cosine, language: as wide as their text
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        panel.message.connect(self.state.show_message)
        layout.addWidget(panel, 1)
        dock.setWidget(body)
        dock.setMinimumWidth(480)
        self.host.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        toggle = self.actions.get("neighbours")
        if toggle is not None:
            dock.visibilityChanged.connect(toggle.setChecked)
        self.dock = dock
        self.reload()
        self._show_state()
        return dock

    def set_dock_visible(self, visible: bool) -> None:
        if visible:
            dock = self.ensure_dock()
            self.reload()
            dock.show()
            dock.raise_()
        elif self.dock is not None:
            self.dock.hide()

    def reload(self, force: bool = False) -> None:
        """(Re)load the project's embedding if its file changed; tell the panel."""
        path = self.embedding_file()
        key: tuple[Any, ...] | None = None
        if path is not None and path.is_file():
            plain = self._plain_file(path)
            key = (
                str(path),
                path.stat().st_mtime_ns,
                plain.stat().st_mtime_ns if plain is not None else None,
            )
        stored = None
        if path is None:  # no embedding set: the model self-trained ABLEU kept, if any
            stored = self.stored_model()
            key = None
            if stored is not None:  # a re-alignment keeps a new model under the same scope
                key = (
                    "kept",
                    stored[0],
                    len(stored[1].index_to_key),
                    float(stored[1].vectors.sum()),
                )
        if key == self._loaded and not force:
            return
        self.vectors = self.plain = None
        self._loaded = key
        note = ""
        if stored is not None:
            self.vectors = stored[1]
            note = (
                f"Embedding: word2vec-pair self-trained while aligning ({stored[0]}, "
                f"{len(self.vectors.index_to_key)} words)"
            )
        elif path is None:
            note = NO_EMBEDDING
        elif key is None:
            note = f"The embedding file {path} is missing. {NO_EMBEDDING}"
        else:
            from workbench.embeddings import load_keyed_vectors

            try:
                self.vectors = load_keyed_vectors(path)
                plain = self._plain_file(path)
                self.plain = load_keyed_vectors(plain) if plain is not None else None
                note = f"Embedding: {path.name} ({len(self.vectors.index_to_key)} words)"
            except WorkbenchError as exc:
                self._loaded = None
                note = f"Cannot load the embedding: {exc}"
        self.note_text = note
        self._show_state()

    def stored_model(self) -> tuple[str, KeyedVectors] | None:
        """(scope, vectors) of the model kept in the project for the current document (or
        the whole project), when ABLEU self-trained one; None otherwise."""
        from workbench.project.embeddings import doc_scope, embedding_scopes, load_embedding

        project = self.state.project
        if project is None:
            return None
        scopes = embedding_scopes(project)
        if not scopes:
            return None
        doc_id = self.state.current_doc_id()
        scope = doc_scope(doc_id) if doc_id is not None else ""
        scope = scope if scope in scopes else "project" if "project" in scopes else ""
        if not scope:
            return None
        return scope, load_embedding(project, doc_id)

    def _show_state(self) -> None:
        if self.panel is not None:
            self.note.setText(self.note_text)
            self.panel.set_vectors(self.vectors, self.plain)

    def embedding_file(self) -> Path | None:
        value = (self.state.settings or {}).get("embeddings") or ""
        return Path(value) if value else None

    def _plain_file(self, path: Path) -> Path | None:
        # The plain model is only trusted beside a retrained one of the same project.
        project = self.state.project
        if project is None or path != embedding_path(project.path):
            return None
        plain = plain_path(project.path)
        return plain if plain.is_file() else None

    def show_word(self, word: str) -> bool:
        """Open the dock on ``word``'s neighbours (lowercased, as the embedding is trained)."""
        self.set_dock_visible(True)  # also reloads the embedding if its file changed
        if self.vectors is None or self.panel is None:
            self.state.show_message(NO_EMBEDDING)
            return False
        return bool(self.panel.show_word(word.lower()))

    # -- words under the mouse ------------------------------------------------------------------
    def word_at(self, pos: QPoint) -> str:
        """The word under ``pos`` (viewport coordinates) in a source/MT/target cell."""
        index = self.view.indexAt(pos)
        if not index.isValid():
            return ""
        unit = index.data(UNIT_ROLE)
        if unit is None:
            return ""
        option = self._option(index)
        return self.delegate.word_at(unit, index.column(), option, pos)

    def _option(self, index: QModelIndex) -> QStyleOptionViewItem:
        view = self.view
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = view.visualRect(index)
        option.font = view.font()
        return option

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonPress
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            word = self.word_at(event.position().toPoint())
            if word:
                self.show_word(word)
                return True
        return super().eventFilter(watched, event)

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu(pos)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def context_menu(self, pos: QPoint) -> QMenu:
        """The table's context menu at ``pos``: neighbours of the word there, retraining."""
        menu = QMenu(self.host)
        word = self.word_at(pos)
        if word:
            action = menu.addAction(f"Show neighbours of “{word}”")
            action.triggered.connect(lambda _=False, w=word: self.show_word(w))
        else:
            menu.addAction("(no word here)").setEnabled(False)
        menu.addSeparator()
        for key in ("neighbours", "retrain"):
            if key in self.actions:
                menu.addAction(self.actions[key])
        return menu

    # -- retraining -----------------------------------------------------------------------------
    def retrain(self, extra_corpus: str | Path | None = None) -> bool:
        """Start retraining on the worker; False if it could not start (a message says why)."""
        state = self.state
        project = state.project
        if project is None:
            state.show_message("open a project first")
            return False
        if not project.count_units(status="accepted"):
            state.show_message("no accepted pairs to train on: accept some suggestions first")
            return False
        extra: list[Any] = []
        if extra_corpus:
            from workbench.corpus import read_pairs

            try:
                extra = read_pairs(extra_corpus)
            except WorkbenchError as exc:
                state.show_error("Cannot read the extra corpus", str(exc))
                return False
        settings = state.settings
        docs = project.documents()
        has_mt = any(project.translation(d.id) is not None for d in docs)
        source_lang = next((d.source_lang for d in docs if d.source_lang), "") or "source"
        target_lang = next((d.target_lang for d in docs if d.target_lang), "") or "target"
        # Without an embedding set, retraining starts from the model self-training kept.
        stored = self.stored_model() if not settings.get("embeddings") else None
        job = retrain_job(
            project,
            base=stored[1] if stored is not None else None,
            extra_pairs=extra,
            threshold=float(settings["threshold"]),
            order=int(settings["order"]) if has_mt else 1,
            low_score=float(project.get_setting("low_score", 0.2)),
            side_names=(f"{source_lang}/MT" if has_mt else source_lang, target_lang),
            train_options=self.train_options,
        )
        return state.start_task(job, "retraining", self._after_retrain)

    def retrain_with_corpus(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(
            self.host,
            "Extra parallel corpus to train on (TSV, TMX, JSONL, …)",
            "",
            "Parallel corpora (*.tsv *.tmx *.jsonl *.txt);;All files (*)",
        )
        return self.retrain(path) if path else False

    def _after_retrain(self, report: RetrainReport) -> str:
        """On the GUI thread: use the new embedding for ABLEU, shading and the dock."""
        self.last_report = report
        values = dict(self.state.settings)
        values["embeddings"] = str(report.path)
        values["scorer"] = "ableu"  # the review rows now carry ABLEU scores over it
        self.state.apply_settings(values)
        self.state.rows_changed()
        self.reload(force=True)
        self.note_text = report.message()
        self._show_state()
        return report.message()  # the window shows it in the status bar


def install_embedding_tools(window: MainWindow, menu: QMenu, view_menu: QMenu) -> EmbeddingTools:
    """Add the Neighbours dock toggle (View menu) and the retrain actions (``menu``) to the
    review window."""
    tools = EmbeddingTools(window.state, window, window.view, window.delegate)
    window.project_changed.connect(lambda: tools.dock is not None and tools.reload())

    def add(key: str, text: str, keys: str, slot: Callable[[], Any], where: QMenu) -> QAction:
        action = QAction(text, window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False: slot())
        where.addAction(action)
        window.addAction(action)
        tools.actions[key] = action
        return action

    toggle = add(
        "neighbours",
        "&Neighbours panel",
        "Ctrl+Shift+N",
        lambda: tools.set_dock_visible(tools.actions["neighbours"].isChecked()),
        view_menu,
    )
    toggle.setCheckable(True)
    menu.addSeparator()
    add(
        "retrain",
        "R&etrain embedding from accepted pairs",
        "Ctrl+Shift+E",
        tools.retrain,
        menu,
    )
    add("retrain_corpus", "Retrain with an extra &corpus…", "", tools.retrain_with_corpus, menu)
    return tools
