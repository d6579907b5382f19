"""Curator power tools: bulk decisions with a score histogram, sentence text fixes, shortcut
remapping with conflicts refused, and the audit summary (issue 10's window parts).

The dialogs only gather choices and show previews; every change is made by the project store
through the window's undo stack (one undo step per dialog action).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError

# -- bulk decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BulkAction:
    """One bulk decision the dialog offers: which pending units it touches and how."""

    key: str
    label: str
    status: str
    uses_threshold: bool


BULK_ACTIONS = (
    BulkAction("accept_at_least", "Accept pending units scoring at least X", "accepted", True),
    BulkAction("reject_below", "Reject pending units scoring below X", "rejected", True),
    BulkAction(
        "accept_above_cursor", "Accept every pending unit above the cursor", "accepted", False
    ),
    BulkAction("confirm_page", "Accept the pending units on this page", "accepted", False),
)


def bulk_unit_ids(
    project: Any,
    action: str,
    threshold: float,
    doc_id: int | None = None,
    cursor_position: int | None = None,
    page_ids: Sequence[int] = (),
) -> list[int]:
    """Ids of the pending units a bulk action touches (the dialog's preview and its effect)."""
    if action == "accept_at_least":
        return project.unit_ids(doc_id, status="pending", min_score=threshold)
    if action == "reject_below":
        # the store's max_score is inclusive; "below X" excludes X itself
        return project.unit_ids(
            doc_id, status="pending", max_score=math.nextafter(threshold, -math.inf)
        )
    if action == "accept_above_cursor":
        if cursor_position is None:
            return []
        return project.unit_ids(doc_id, status="pending", end_position=cursor_position - 1)
    if action == "confirm_page":
        pending = set(project.unit_ids(doc_id, status="pending"))
        return [i for i in page_ids if i in pending]
    raise WorkbenchError(f"unknown bulk action {action!r}")


class Histogram(QWidget):
    """Bars of a score distribution with a movable threshold line (drawn, no plotting library
    needed at this size)."""

    def __init__(self, scores: Sequence[float], bins: int = 20, parent: QWidget | None = None):
        super().__init__(parent)
        self.counts, self.edges = np.histogram(
            np.asarray(scores, dtype=float), bins=bins, range=(0.0, 1.0)
        )
        self.threshold = 0.5
        self.setMinimumSize(QSize(420, 150))

    def set_threshold(self, value: float) -> None:
        self.threshold = float(value)
        self.update()

    def paintEvent(self, event: Any) -> None:
        p = QPainter(self)
        pal = self.palette()
        rect = QRectF(self.rect()).adjusted(30, 8, -8, -20)
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        top = max(int(self.counts.max()) if len(self.counts) else 0, 1)
        width = rect.width() / max(len(self.counts), 1)
        for k, count in enumerate(self.counts):
            height = rect.height() * count / top
            left = float(self.edges[k])
            colour = QColor(46, 160, 67) if left >= self.threshold else QColor(218, 54, 51)
            p.fillRect(
                QRectF(rect.left() + k * width + 1, rect.bottom() - height, width - 2, height),
                colour,
            )
        p.setPen(pal.color(QPalette.ColorRole.Text))
        p.drawText(QRectF(0, rect.top() - 4, 28, 14), int(Qt.AlignmentFlag.AlignRight), str(top))
        for value in (0.0, 0.5, 1.0):
            x = rect.left() + rect.width() * value
            p.drawText(
                QRectF(x - 15, rect.bottom() + 2, 30, 16),
                int(Qt.AlignmentFlag.AlignCenter),
                f"{value:g}",
            )
        x = rect.left() + rect.width() * self.threshold
        p.setPen(pal.color(QPalette.ColorRole.Highlight))
        p.drawLine(int(x), int(rect.top()), int(x), int(rect.bottom()))
        p.end()


class BulkDecisionDialog(QDialog):
    """Pick a bulk action and threshold; shows how many pending units each action touches."""

    def __init__(
        self,
        project: Any,
        doc_id: int | None,
        cursor_position: int | None,
        page_ids: Sequence[int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bulk decisions")
        self.project, self.doc_id = project, doc_id
        self.cursor_position, self.page_ids = cursor_position, list(page_ids)
        layout = QVBoxLayout(self)
        scores = project.scores(doc_id, status="pending")
        self.histogram = Histogram(scores)
        layout.addWidget(QLabel(f"Scores of the {len(scores)} pending scored units"))
        layout.addWidget(self.histogram)
        form = QFormLayout()
        self.action = QComboBox()
        for bulk in BULK_ACTIONS:
            self.action.addItem(bulk.label, bulk.key)
        form.addRow("Action", self.action)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setValue(0.5)
        form.addRow("X (score)", self.threshold)
        layout.addLayout(form)
        self.preview = QLabel()
        layout.addWidget(self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.action.currentIndexChanged.connect(self.update_preview)
        self.threshold.valueChanged.connect(self.update_preview)
        self.update_preview()

    def chosen(self) -> BulkAction:
        return next(b for b in BULK_ACTIONS if b.key == self.action.currentData())

    def unit_ids(self) -> list[int]:
        return bulk_unit_ids(
            self.project,
            self.chosen().key,
            self.threshold.value(),
            self.doc_id,
            self.cursor_position,
            self.page_ids,
        )

    def update_preview(self) -> None:
        bulk = self.chosen()
        self.threshold.setEnabled(bulk.uses_threshold)
        self.histogram.set_threshold(self.threshold.value())
        counts = [
            f"{b.label.replace('X', f'{self.threshold.value():.2f}')}: "
            f"{len(bulk_unit_ids(self.project, b.key, self.threshold.value(), self.doc_id, self.cursor_position, self.page_ids))}"
            for b in BULK_ACTIONS
        ]
        self.preview.setText("Units each action touches (one undo step):<br>" + "<br>".join(counts))


# -- text fixes -----------------------------------------------------------------------------------


class EditSentenceDialog(QDialog):
    """Fix the text of one sentence of the current unit (the original stays in the history)."""

    def __init__(self, project: Any, unit: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit sentence")
        self.project, self.unit = project, unit
        layout = QVBoxLayout(self)
        self.choice = QComboBox()
        self.texts: dict[tuple[str, int], str] = {}
        self.keys: list[tuple[str, int]] = []  # combo item i edits keys[i]
        for side, ids in (("source", unit.source_ids), ("target", unit.target_ids)):
            doc = project.source(unit.doc_id) if side == "source" else project.target(unit.doc_id)
            for sid in ids:
                self.texts[(side, sid)] = doc.sentences[sid]
                self.keys.append((side, sid))
                self.choice.addItem(f"{side} sentence {sid}")
        layout.addWidget(self.choice)
        self.editor = QPlainTextEdit()
        layout.addWidget(self.editor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.choice.currentIndexChanged.connect(self._load)
        self._load()
        self.resize(560, 200)

    def select(self, side: str, sentence_id: int) -> None:
        self.choice.setCurrentIndex(self.keys.index((side, sentence_id)))

    def _current(self) -> tuple[str, int] | None:
        i = self.choice.currentIndex()
        return self.keys[i] if 0 <= i < len(self.keys) else None

    def _load(self) -> None:
        key = self._current()
        self.editor.setPlainText(self.texts[key] if key else "")

    def edit(self) -> tuple[str, int, str] | None:
        """(side, sentence id, new text) or None when nothing changed."""
        key = self._current()
        if key is None:
            return None
        text = " ".join(self.editor.toPlainText().split())
        if text == self.texts[key]:
            return None
        return key[0], key[1], text


# -- shortcuts ------------------------------------------------------------------------------------


def shortcut_conflicts(mapping: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    """(key, action a, action b) for every key sequence bound to two actions."""
    owner: dict[str, str] = {}
    conflicts = []
    for action_id, keys in mapping.items():
        for key in keys:
            normal = QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
            if not normal:
                continue
            if normal in owner and owner[normal] != action_id:
                conflicts.append((normal, owner[normal], action_id))
            owner.setdefault(normal, action_id)
    return conflicts


class ShortcutsDialog(QDialog):
    """Every action and its key; click a key cell and press the new key."""

    def __init__(
        self,
        names: dict[str, str],
        mapping: dict[str, list[str]],
        apply: Callable[[dict[str, list[str]]], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self._apply = apply
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(names), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Key"])
        self.edits: dict[str, QKeySequenceEdit] = {}
        for row, (action_id, name) in enumerate(names.items()):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            edit = QKeySequenceEdit(QKeySequence(", ".join(mapping.get(action_id, [])[:1])))
            self.edits[action_id] = edit
            self.table.setCellWidget(row, 1, edit)
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d73a49")
        layout.addWidget(self.error)
        self.mapping = {k: list(v) for k, v in mapping.items()}
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 560)

    def edited_mapping(self) -> dict[str, list[str]]:
        """The first key of each action from the editors; extra default keys are kept."""
        out = {}
        for action_id, edit in self.edits.items():
            first = edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
            rest = self.mapping.get(action_id, [])[1:]
            out[action_id] = [first, *rest] if first else list(rest)
        return out

    def try_accept(self) -> None:
        error = self._apply(self.edited_mapping())
        if error:
            self.error.setText(error)
            return
        self.accept()


# -- audit ----------------------------------------------------------------------------------------


class AuditDialog(QDialog):
    """The per-reviewer audit summary computed by the store, exportable as CSV."""

    def __init__(self, project: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit summary")
        self.project = project
        frame = project.audit_summary()
        layout = QVBoxLayout(self)
        self.table = QTableWidget(len(frame), len(frame.columns))
        self.table.setHorizontalHeaderLabels([str(c) for c in frame.columns])
        for r, row in enumerate(frame.itertuples(index=False)):
            for c, value in enumerate(row):
                text = f"{value:.2f}" if isinstance(value, float) else str(value)
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        layout.addWidget(self.table)
        row = QHBoxLayout()
        export = QPushButton("Export CSV…")
        export.clicked.connect(self.export_dialog)
        row.addStretch(1)
        row.addWidget(export)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        self.resize(760, 300)

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export audit", "audit.csv", "CSV (*.csv)")
        if path:
            try:
                self.project.export_audit(path)
            except (WorkbenchError, OSError) as exc:
                QMessageBox.warning(self, "Export failed", str(exc))
