"""Embedding-neighbour views: what the similarity behind ABLEU believes (issue 8).

Standalone widgets the main window docks:

* :class:`NeighbourPanel` — type a word (or call its slot ``show_word(word)`` when a word is
  clicked in the review table) to see its k nearest words with cosine similarity and language,
  from the project's word2vec-pair model and, when given, a plain word2vec model side by side;
  buttons export the neighbour table (TSV) and projector files; it embeds a
  :class:`NeighbourMap` of the query's neighbourhood.
* :class:`NeighbourMap` — a 2-D PCA map of a word's neighbourhood drawn with matplotlib
  (labels, zoom/pan toolbar, hover tooltips), exportable as PNG or SVG.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg, NavigationToolbar2QT
from matplotlib.figure import Figure
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.embeddings import (
    Neighbour,
    NeighbourRow,
    export_projector,
    in_vocabulary,
    neighbours_with_language,
    projector_words,
    write_neighbour_table,
)
from workbench.embeddings.mapping import MapPoint, neighbourhood_points
from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

# Colours per side of the training corpus (source, target, both), then the query word.
SIDE_COLOURS = ("#1f77b4", "#d62728", "#7f7f7f")
QUERY_COLOUR = "#2ca02c"


@functools.cache
def cjk_font_family() -> tuple[str, ...]:
    """A matplotlib font family list that renders Korean/Chinese/Japanese labels.

    Noto Sans CJK (fonts-noto-cjk) when installed, with DejaVu Sans as fallback for anything
    else (matplotlib ≥ 3.6 falls back glyph by glyph through the list).
    """
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    preferred = ["Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans KR"]
    cjk = [n for n in preferred if n in names]
    if not cjk:
        cjk = sorted(n for n in names if "CJK" in n or "Nanum" in n or "Gothic" in n)[:1]
    return (*cjk, "DejaVu Sans")


class NeighbourTableModel(QAbstractTableModel):
    """Rows of (rank, word, cosine similarity, language) for one model's neighbours."""

    HEADERS = ("#", "word", "cosine", "language")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Neighbour] = []

    def set_neighbours(self, rows: Sequence[Neighbour]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def neighbours(self) -> list[Neighbour]:
        return list(self._rows)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        n = self._rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            return (str(index.row() + 1), n.word, f"{n.similarity:.3f}", n.language)[col]
        if role == Qt.TextAlignmentRole and col in (0, 2):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            return f"{n.word} — cosine {n.similarity:.4f}" + (
                f" ({n.language})" if n.language else ""
            )
        if role == Qt.UserRole:
            return n.word
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole
    ) -> object:
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        return None


class NeighbourMap(QWidget):
    """A 2-D PCA map of a word's neighbourhood, with zoom/pan toolbar and hover tooltips."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.figure = Figure(figsize=(5, 4), dpi=100, layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.toolbar = NavigationToolbar2QT(self.canvas, self)
        self.axes = self.figure.add_subplot()
        self.points: list[MapPoint] = []
        self._scatter = None
        self._tooltip = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        self.canvas.mpl_connect("motion_notify_event", self._on_hover)
        self.clear("no word chosen")

    def clear(self, message: str = "") -> None:
        self.points = []
        self._scatter = None
        self.axes.clear()
        self.axes.set_axis_off()
        if message:
            self.axes.text(
                0.5, 0.5, message, ha="center", va="center", fontfamily=cjk_font_family()
            )
        self.canvas.draw_idle()

    def plot_word(self, vectors: KeyedVectors, word: str, k: int = 20) -> None:
        """Map ``word`` and its ``k`` nearest words (errors propagate as WorkbenchError)."""
        self.plot_points(
            neighbourhood_points(vectors, word, k), getattr(vectors, "side_names", None)
        )

    def plot_points(
        self, points: Sequence[MapPoint], side_names: Sequence[str] | None = None
    ) -> None:
        family = cjk_font_family()
        self.points = list(points)
        ax = self.axes
        ax.clear()
        ax.set_axis_on()
        names = tuple(side_names or ("source", "target"))
        colours = [self._colour(p, names) for p in self.points]
        sizes = [90 if p.is_query else 30 for p in self.points]
        self._scatter = ax.scatter(
            [p.x for p in self.points], [p.y for p in self.points], c=colours, s=sizes, zorder=2
        )
        labels = [
            ax.annotate(
                p.word,
                (p.x, p.y),
                xytext=(4, 3),
                textcoords="offset points",
                fontsize=11 if p.is_query else 9,
                fontweight="bold" if p.is_query else "normal",
                fontfamily=family,
            )
            for p in self.points
        ]
        query = next((p.word for p in self.points if p.is_query), "")
        ax.set_title(
            f"neighbourhood of {query!r} (PCA of {len(self.points)} vectors)", fontfamily=family
        )
        ax.set_xlabel("PC 1")
        ax.set_ylabel("PC 2")
        ax.grid(alpha=0.3)
        ax.margins(0.12)
        self._add_legend(names)
        self._spread_labels(labels)
        self._tooltip = ax.annotate(
            "",
            (0, 0),
            xytext=(12, 12),
            textcoords="offset points",
            bbox={"boxstyle": "round", "fc": "#ffffe0", "alpha": 0.95},
            fontfamily=family,
            zorder=5,
            visible=False,
        )
        self.canvas.draw_idle()

    def _spread_labels(self, labels: list) -> None:
        """Nudge labels up or down until they stop overlapping (neighbours cluster tightly)."""
        self.figure.canvas.draw()  # lay out once so label extents are known
        renderer = self.figure.canvas.get_renderer()
        placed = []
        for label in labels:
            for step in (0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5):
                label.set_position((4, 3 + 11 * step))
                box = label.get_window_extent(renderer)
                if not any(box.overlaps(other) for other in placed):
                    break
            placed.append(box)

    def _colour(self, point: MapPoint, names: tuple[str, ...]) -> str:
        if point.is_query:
            return QUERY_COLOUR
        if point.language in names:
            return SIDE_COLOURS[names.index(point.language)]
        return SIDE_COLOURS[2]

    def _add_legend(self, names: tuple[str, ...]) -> None:
        from matplotlib.lines import Line2D

        present = {p.language for p in self.points if not p.is_query}
        labels = [(QUERY_COLOUR, "query")]
        labels += [(SIDE_COLOURS[i], n) for i, n in enumerate(names[:2]) if n in present]
        if present - set(names[:2]):
            labels.append((SIDE_COLOURS[2], "both / unknown"))
        handles = [Line2D([], [], marker="o", ls="", color=c, label=t) for c, t in labels]
        # Below the plot, in one row: inside it, the legend hid word labels (often the query's).
        self.axes.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.14),
            ncol=len(handles),
            fontsize=8,
            prop={"family": cjk_font_family()},
            frameon=False,
        )

    def _on_hover(self, event: object) -> None:
        if self._scatter is None or self._tooltip is None or event.inaxes is not self.axes:
            return
        hit, info = self._scatter.contains(event)
        if hit and len(info.get("ind", ())):
            p = self.points[int(info["ind"][0])]
            lang = f" ({p.language})" if p.language else ""
            self._tooltip.xy = (p.x, p.y)
            self._tooltip.set_text(f"{p.word}{lang}\ncosine {p.similarity:.3f}")
            self._tooltip.set_visible(True)
            self.canvas.draw_idle()
        elif self._tooltip.get_visible():
            self._tooltip.set_visible(False)
            self.canvas.draw_idle()

    def tooltip_text(self) -> str:
        """The hover tooltip's text while it is shown, else ``""``."""
        return self._tooltip.get_text() if self._tooltip and self._tooltip.get_visible() else ""

    def export(self, path: str | Path) -> Path:
        """Save the map; the format follows the suffix (``.png``, ``.svg``, ``.pdf``)."""
        p = Path(path)
        if p.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise WorkbenchError(f"{p}: choose a .png, .svg or .pdf file name")
        try:
            self.figure.savefig(p, dpi=150)
        except OSError as exc:
            raise WorkbenchError(f"{p}: cannot save the map: {exc.strerror or exc}") from None
        return p

    @Slot()
    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export map", "neighbourhood.png", "PNG image (*.png);;SVG image (*.svg)"
        )
        if path:
            try:
                self.export(path)
            except WorkbenchError as exc:
                self.toolbar.set_message(str(exc))


class NeighbourPanel(QWidget):
    """Nearest words of a query in the pair model and, if given, a plain model side by side.

    Signals: ``wordShown(str)`` after a successful query; ``wordActivated(str)`` when the user
    double-clicks a neighbour (the panel then shows that word); ``message(str)`` with every
    status line (also shown in the panel). Slots: ``show_word(str)``, ``set_vectors(pair,
    plain)``, ``export_table(path)``, ``export_projector(folder)``.
    """

    wordShown = Signal(str)
    wordActivated = Signal(str)
    message = Signal(str)

    def __init__(
        self,
        vectors: KeyedVectors | None = None,
        plain: object | None = None,
        parent: QWidget | None = None,
        *,
        k: int = 20,
        with_map: bool = True,
    ) -> None:
        super().__init__(parent)
        self.vectors = vectors
        self.plain = plain
        self.word = ""

        self.query = QLineEdit()
        self.query.setPlaceholderText("word (any language)")
        self.query.setClearButtonEnabled(True)
        self.k_box = QSpinBox()
        self.k_box.setRange(1, 500)
        self.k_box.setValue(k)
        self.k_box.setPrefix("k = ")
        self.show_button = QPushButton("Show")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.pair_model = NeighbourTableModel(self)
        self.plain_model = NeighbourTableModel(self)
        self.pair_label = QLabel("word2vec-pair")
        self.plain_label = QLabel("plain word2vec")
        self.pair_view = self._table(self.pair_model)
        self.plain_view = self._table(self.plain_model)

        self.export_table_button = QPushButton("Export table…")
        self.export_projector_button = QPushButton("Export for projector…")
        self.export_map_button = QPushButton("Export map…")
        self.map = NeighbourMap(self) if with_map else None

        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.k_box)
        top.addWidget(self.show_button)
        tables = QSplitter(Qt.Horizontal)
        for label, view in ((self.pair_label, self.pair_view), (self.plain_label, self.plain_view)):
            box = QWidget()
            col = QVBoxLayout(box)
            col.setContentsMargins(0, 0, 0, 0)
            col.addWidget(label)
            col.addWidget(view)
            tables.addWidget(box)
        self.plain_box = tables.widget(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_table_button)
        buttons.addWidget(self.export_projector_button)
        if self.map is not None:
            buttons.addWidget(self.export_map_button)
        buttons.addStretch(1)
        body = QSplitter(Qt.Vertical)
        body.addWidget(tables)
        if self.map is not None:
            body.addWidget(self.map)
            body.setSizes([300, 500])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)

        self.query.returnPressed.connect(self._query_typed)
        self.show_button.clicked.connect(self._query_typed)
        self.k_box.valueChanged.connect(lambda _k: self.word and self.show_word(self.word))
        self.pair_view.doubleClicked.connect(self._activated)
        self.plain_view.doubleClicked.connect(self._activated)
        self.export_table_button.clicked.connect(self._export_table_dialog)
        self.export_projector_button.clicked.connect(self._export_projector_dialog)
        if self.map is not None:
            self.export_map_button.clicked.connect(self.map.export_dialog)
        self.set_vectors(vectors, plain)

    def _table(self, model: NeighbourTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QTableView.SelectRows)
        view.setEditTriggers(QTableView.NoEditTriggers)
        view.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        view.setAlternatingRowColors(True)
        return view

    # -- slots -------------------------------------------------------------------------------
    @Slot(object, object)
    def set_vectors(self, vectors: KeyedVectors | None, plain: object | None = None) -> None:
        """Use these models (KeyedVectors, or None); the current word is shown again."""
        self.vectors, self.plain = vectors, plain
        self.plain_box.setVisible(plain is not None)
        names = getattr(vectors, "side_names", None)
        self.pair_label.setText("word2vec-pair" + (f" ({' + '.join(names)})" if names else ""))
        if vectors is None:
            self._clear("No embedding loaded: train one or open a .kv file.")
        elif self.word:
            self.show_word(self.word)
        else:
            self._clear("Type a word, or click one in the review table.")

    @Slot(str)
    def show_word(self, word: str) -> bool:
        """Show ``word``'s neighbours; returns whether any were found (messages say why not)."""
        word = (word or "").strip()
        if self.query.text().strip() != word:
            self.query.setText(word)
        if self.vectors is None:
            self._clear("No embedding loaded: train one or open a .kv file.")
            return False
        if not word:
            self._clear("Type a word to see its neighbours.")
            return False
        k = self.k_box.value()
        try:
            pair_rows = neighbours_with_language(self.vectors, word, k)
        except WorkbenchError as exc:
            self._clear(f"{exc}.")
            return False
        self.word = word
        self.pair_model.set_neighbours(pair_rows)
        notes = []
        if not in_vocabulary(self.vectors, word):
            notes.append(
                f"{word!r} was not seen in training; its vector comes from character n-grams"
            )
        if self.plain is not None:
            try:
                self.plain_model.set_neighbours(neighbours_with_language(self.plain, word, k))
            except WorkbenchError as exc:
                self.plain_model.set_neighbours([])
                notes.append(f"plain model: {exc}")
        if self.map is not None:
            self.map.plot_word(self.vectors, word, k)
        self._say(
            f"{len(pair_rows)} nearest words to {word!r}" + "".join(f"; {n}" for n in notes) + "."
        )
        self.wordShown.emit(word)
        return True

    @Slot(str)
    def export_table(self, path: str | Path) -> int:
        """Write the shown neighbours (both models) as TSV; returns rows written."""
        if not self.word:
            raise WorkbenchError("no word shown: nothing to export")
        rows = [self._row(n, r, "pair") for r, n in enumerate(self.pair_model.neighbours(), 1)]
        if self.plain is not None:
            rows += [
                self._row(n, r, "plain") for r, n in enumerate(self.plain_model.neighbours(), 1)
            ]
        n = write_neighbour_table(rows, path)
        self._say(f"wrote {n} rows to {path}")
        return n

    @Slot(str)
    def export_projector(self, folder: str | Path) -> tuple[Path, Path]:
        """Projector files for the shown word's neighbourhood (else the 10,000 commonest words)."""
        if self.vectors is None:
            raise WorkbenchError("no embedding loaded: nothing to export")
        if self.word:
            words = projector_words(self.vectors, around=self.word, k=self.k_box.value())
        else:
            words = projector_words(self.vectors, top=10_000)
        paths = export_projector(self.vectors, folder, words)
        self._say(f"wrote {len(words)} vectors to {paths[0]} and {paths[1].name}")
        return paths

    # -- helpers -----------------------------------------------------------------------------
    def _row(self, n: Neighbour, rank: int, model: str) -> NeighbourRow:
        return NeighbourRow(self.word, rank, n.word, n.similarity, n.language, model)

    def _query_typed(self) -> None:
        self.show_word(self.query.text())

    def _activated(self, index: QModelIndex) -> None:
        word = index.data(Qt.UserRole)
        if word:
            self.wordActivated.emit(word)
            self.show_word(word)

    def _clear(self, text: str) -> None:
        self.word = ""
        self.pair_model.set_neighbours([])
        self.plain_model.set_neighbours([])
        if self.map is not None:
            self.map.clear()
        self._say(text)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.message.emit(text)

    def _export_table_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export neighbour table", f"neighbours-{self.word or 'table'}.tsv", "TSV (*.tsv)"
        )
        if path:
            self._guard(self.export_table, path)

    def _export_projector_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder for vectors.tsv and metadata.tsv")
        if folder:
            self._guard(self.export_projector, folder)

    def _guard(self, action: object, *args: object) -> None:
        try:
            action(*args)
        except WorkbenchError as exc:
            self._say(str(exc))
