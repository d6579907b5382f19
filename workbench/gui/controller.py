"""The review actions behind the keys: decide, move the cursor, merge, split, move sentences.

The controller owns the project, the table model, the view's cursor and the undo stack; the
window only maps keys and menus onto these methods (so tests and remapped keys reach the same
code). Store errors (e.g. "cannot merge the last unit") come back as a status message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QObject, Signal
from PySide6.QtWidgets import QTableView

from workbench.gui.commands import ProjectCommand, ReviewUndoStack
from workbench.gui.model import COL_SOURCE, UnitTableModel

if TYPE_CHECKING:
    from workbench.project import Project

SEARCH_PANES = {
    "any": ("source_text", "mt_text", "target_text"),
    "source": ("source_text",),
    "mt": ("mt_text",),
    "target": ("target_text",),
}
_VERBS = {"accepted": "Accept", "rejected": "Reject", "pending": "Reset"}


def in_rows(error: str, unit_id: int, row: int) -> str:
    """A store message about unit ``unit_id`` ("unit 5123 is the last of its document") in
    the table's numbers: the unit's row, counted from 1 (the store id means nothing here)."""
    return re.sub(rf"\bunit {unit_id}\b", f"unit {row + 1}", error)


class ReviewController(QObject):
    """Keyboard-first review of one project's units shown in ``view`` through ``model``."""

    message = Signal(str)  # a one-line status message (errors included)
    changed = Signal()  # the store changed (statistics, titles need refreshing)

    def __init__(self, model: UnitTableModel, view: QTableView) -> None:
        super().__init__(view)  # owned by the view, so it goes when the window goes
        self.model = model
        self.view = view
        self.undo_stack = ReviewUndoStack(model.project, self._after_history, parent=self)

    @property
    def project(self) -> Any:
        return self.model.project

    def set_project(self, project: Project) -> None:
        self.model.set_project(project)
        self.undo_stack.clear()
        self.undo_stack.project = project
        self.go_to_row(0)
        self.changed.emit()

    # -- cursor ---------------------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else -1

    def current_unit(self) -> Any | None:
        return self.model.unit_at(self.current_row())

    def go_to_row(self, row: int) -> None:
        n = self.model.rowCount()
        if not n:
            return
        row = max(0, min(row, n - 1))
        column = self.view.currentIndex().column() if self.view.currentIndex().isValid() else -1
        index = self.model.index(row, column if column >= 0 else COL_SOURCE)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def next_unit(self) -> None:
        self.go_to_row(self.current_row() + 1)

    def previous_unit(self) -> None:
        self.go_to_row(self.current_row() - 1)

    def _jump(self, predicate: Callable[[Any], bool], what: str) -> bool:
        row = self.model.find_row(predicate, self.current_row() + 1, wrap=True)
        if row < 0:
            self.message.emit(f"no {what} unit")
            return False
        self.go_to_row(row)
        return True

    def next_pending(self) -> bool:
        return self._jump(lambda u: u.status == "pending", "pending")

    def find(self, text: str, pane: str = "any", backwards: bool = False) -> bool:
        """Next (or previous) unit whose text in ``pane`` contains ``text`` (case-insensitive)."""
        needle = text.casefold()
        if not needle:
            return False
        fields = SEARCH_PANES[pane]

        def hit(unit: Any) -> bool:
            return any(needle in (getattr(unit, f) or "").casefold() for f in fields)

        step = -1 if backwards else 1
        start = self.current_row() + step
        if backwards and start < 0:
            start = self.model.rowCount() - 1
        row = self.model.find_row(hit, start, step, wrap=True)
        if row < 0:
            self.message.emit(f"“{text}” not found")
            return False
        self.go_to_row(row)
        return True

    # -- edits ----------------------------------------------------------------------------------
    def _perform(
        self,
        text: str,
        action: Callable[[], Any],
        focus_unit: int | None = None,
        *,
        structural: bool = False,
    ) -> Any:
        """Run ``action`` as one undo step; a refusal is the status line. ``structural``
        (a merge, a split, a moved sentence): a decided unit whose sentences it changed
        becomes pending, which the status line now says (the Status column changed alone)."""
        if self.project is None:
            return None
        unit, row = self.current_unit(), self.current_row()
        decided = self._decided(unit.doc_id) if structural and unit is not None else 0
        result, error = self.undo_stack.perform(text, action, focus_unit)
        if error:
            self.message.emit(in_rows(error, unit.id, row) if unit is not None else error)
        elif structural and unit is not None:
            reset = decided - self._decided(unit.doc_id)
            if reset > 0:
                what = (
                    "a decided unit is pending again: its sentences"
                    if reset == 1
                    else f"{reset} decided units are pending again: their sentences"
                )
                self.message.emit(f"{what} changed (Ctrl+Z takes it back)")
        return result

    def _decided(self, doc_id: int) -> int:
        stats = self.project.stats(doc_id)
        return stats.accepted + stats.rejected

    def decide(self, status: str) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        row = self.current_row()
        before = self.model.rowCount()
        self._perform(
            f"{_VERBS.get(status, status)} unit {row + 1}",
            lambda: self.project.decide(unit.id, status),
        )
        # With a status filter the decided row leaves the table and the next one takes its place.
        self.go_to_row(row if self.model.rowCount() < before else row + 1)

    def accept(self) -> None:
        self.decide("accepted")

    def reject(self) -> None:
        self.decide("rejected")

    def merge_with_next(self) -> None:
        unit = self.current_unit()
        if unit is None:
            return
        row = self.current_row()
        self._perform(
            f"Merge unit {row + 1} with the next",
            lambda: self.project.merge_with_next(unit.id),
            structural=True,
        )
        self.go_to_row(row)

    def split(self) -> None:
        """Split the current unit in two: the first half of each side's sentences stays, the
        rest forms a new unit after it (a 1–1 unit becomes 1–0 + 0–1)."""
        unit = self.current_unit()
        if unit is None:
            return
        n_src, n_tgt = len(unit.source_ids), len(unit.target_ids)
        if n_src + n_tgt < 2:
            self.message.emit("a unit with one sentence cannot be split")
            return
        source_at = (n_src + 1) // 2
        target_at = n_tgt // 2 if n_src == 1 and n_tgt <= 1 else (n_tgt + 1) // 2
        if n_src == 0:
            source_at, target_at = 0, (n_tgt + 1) // 2
        row = self.current_row()
        self._perform(
            f"Split unit {row + 1}",
            lambda: self.project.split_unit(unit.id, source_at, target_at),
            structural=True,
        )
        self.go_to_row(row)

    def move_sentence(self, side: str, direction: str) -> None:
        """Move the unit's first (``up``) or last (``down``) sentence on ``side`` into the
        previous or next unit."""
        unit = self.current_unit()
        if unit is None:
            return
        row = self.current_row()
        self._perform(
            f"Move {side} sentence {direction} (unit {row + 1})",
            lambda: self.project.move_sentence(unit.id, side, direction),
            structural=True,
        )
        self.go_to_row(row)

    def undo(self) -> None:
        if self.undo_stack.canUndo():
            self.undo_stack.undo()
        else:
            self.message.emit("nothing to undo")

    def redo(self) -> None:
        if self.undo_stack.canRedo():
            self.undo_stack.redo()
        else:
            self.message.emit("nothing to redo")

    def _after_history(self, command: ProjectCommand | None) -> None:
        row = self.current_row()
        self.model.refresh()
        if command is not None:
            self.go_to_row(row)
        self.changed.emit()
