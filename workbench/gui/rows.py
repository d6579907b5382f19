"""Row heights of the review table: every row as tall as its text, up to a limit.

A row is as tall as the longest of its source, MT and target cells, capped at
:attr:`RowFitter.max_lines` lines (one more when only one would be left out); a longer cell shows whole lines only and a small "… n more
lines" marker under them (see :meth:`UnitDelegate.visible_height`). The current row is never
capped below the viewport's height: moving onto a row shows all of it.

Heights are fitted lazily, for the rows on screen (and a few around them), so a
100,000-unit project costs no more than a short one: scrolling, a reset of the model, a change
of column width or of the current row schedules one pass. While a pass changes heights, the
current row (or, when it is off screen, the top row) keeps its place on screen, so that rows
growing above it never push it half out of view.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, QTimer, Slot
from PySide6.QtWidgets import QAbstractItemView, QTableView

from workbench.gui.model import TEXT_COLUMNS

DEFAULT_MAX_LINES = 4  # a longer cell shows 4 lines and a marker (5 when only one is left)
LOOKAHEAD = 3  # rows fitted beyond each edge of the viewport


class RowFitter(QObject):
    """Keeps the visible rows of ``view`` fitted to their text (see the module docstring)."""

    def __init__(self, view: QTableView, delegate: Any, max_lines: int = DEFAULT_MAX_LINES):
        super().__init__(view)
        self.view = view
        self.delegate = delegate
        self.max_lines = max_lines
        self._fitted: dict[int, int] = {}
        self._current = -1
        self._reveal = False  # the current row was just chosen: show all of it
        self._pending = False
        self._fitting = False
        self.passes = 0  # how many fitting passes ran (tests, benchmarks)
        view.verticalScrollBar().valueChanged.connect(self.schedule)
        view.horizontalHeader().sectionResized.connect(self._on_width)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        self._model: Any = None
        self._selection: Any = None
        self.attach()

    # -- wiring ---------------------------------------------------------------------------------
    def attach(self) -> None:
        """Follow the view's (new) model and selection model."""
        model = self.view.model()
        if model is not self._model and model is not None:
            self._model = model
            for signal in (
                model.modelReset,
                model.layoutChanged,
                model.rowsInserted,
                model.rowsRemoved,
                model.dataChanged,
            ):
                signal.connect(self.invalidate)
        # Once per selection model: the window calls this after every reset of the model (a
        # filter, another document, a merge), and each call used to add a connection, so that
        # after n resets every move of the cursor fitted the rows n times over.
        selection = self.view.selectionModel()
        if selection is not None and selection is not self._selection:
            self._selection = selection
            selection.currentRowChanged.connect(self._on_current)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.invalidate()
        return False

    @Slot()
    def invalidate(self, *_args: Any) -> None:
        """Heights may be stale (texts, widths or rows changed): refit what is on screen."""
        self._fitted.clear()
        if self._model is not None and self._current >= self._model.rowCount():
            self._current = -1
        self.schedule()

    @Slot(int, int, int)
    def _on_width(self, *_args: Any) -> None:
        self.delegate.clear_cache()
        self.invalidate()

    @Slot(QModelIndex, QModelIndex)
    def _on_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        old = self._current
        self._current = current.row() if current.isValid() else -1
        self._fitted.pop(old, None)
        self._fitted.pop(self._current, None)
        self._reveal = True
        self.fit()  # now, so that the caller's scrollTo sees the row's full height

    @Slot()
    def schedule(self, *_args: Any) -> None:
        if not self._pending and not self._fitting:
            self._pending = True
            QTimer.singleShot(0, self.fit)

    # -- heights --------------------------------------------------------------------------------
    def wanted_height(self, row: int) -> int:
        """The height row ``row`` should have now (capped unless it is the current row)."""
        model = self.view.model()
        unit = model.unit_at(row) if hasattr(model, "unit_at") else None
        if unit is None:
            return self.delegate.min_row_height(self.view.font())
        # A cell is its column's width (and its row's height) less the grid line.
        grid = 1 if self.view.showGrid() else 0
        columns = [c for c in TEXT_COLUMNS if not self.view.isColumnHidden(c)]
        widths = {c: self.view.columnWidth(c) - grid for c in columns}
        limit = None
        if row != self._current:
            limit = self.max_lines
        height = self.delegate.row_height(
            unit, widths, self.view.font(), self.view.palette(), max_lines=limit
        )
        if row == self._current:
            height = min(height, max(self.view.viewport().height() - 4, 1))
        return height + grid

    def fit(self) -> None:
        """Fit the rows on screen; keep the anchor row (current, else top) in place."""
        self._pending = False
        if self._fitting or self._model is None or not shiboken6.isValid(self.view):
            return
        if not self.view.isVisible():
            # Not on screen yet (a window being built and its project opened): its columns
            # have no width yet and every height would be fitted again when it is shown (its
            # viewport's Show and Resize events refit it), so fitting now only cost time.
            return
        view = self.view
        n = self._model.rowCount()
        if not n:
            return
        self._fitting = True
        self.passes += 1
        try:
            vheader = view.verticalHeader()
            bar = view.verticalScrollBar()
            for _ in range(4):  # fitting can bring more rows on screen; a few rounds settle it
                top = view.rowAt(0)
                top = 0 if top < 0 else top
                bottom = view.rowAt(view.viewport().height() - 1)
                bottom = n - 1 if bottom < 0 else bottom
                rows = set(range(max(0, top - LOOKAHEAD), min(n, bottom + LOOKAHEAD + 1)))
                if 0 <= self._current < n:
                    rows.add(self._current)
                todo = [r for r in sorted(rows) if r not in self._fitted]
                if not todo:
                    break
                current_y = view.rowViewportPosition(self._current) if self._current >= 0 else -1
                visible_current = 0 <= current_y < view.viewport().height()
                anchor = self._current if visible_current else top
                anchor_y = view.rowViewportPosition(anchor)
                for row in todo:
                    height = self.wanted_height(row)
                    self._fitted[row] = height
                    if vheader.sectionSize(row) != height:
                        vheader.resizeSection(row, height)
                shift = view.rowViewportPosition(anchor) - anchor_y
                if shift and not self._reveal:
                    bar.setValue(bar.value() + shift)
            if self._reveal and 0 <= self._current < n:
                self._reveal = False
                view.scrollTo(
                    self._model.index(self._current, 0),
                    QAbstractItemView.ScrollHint.EnsureVisible,
                )
        finally:
            self._fitting = False

    def fully_visible(self, row: int) -> bool:
        """Whether row ``row`` lies wholly inside the viewport."""
        y = self.view.rowViewportPosition(row)
        return y >= 0 and y + self.view.rowHeight(row) <= self.view.viewport().height()
