"""The bulk decisions dialog: four actions, how many pairs each touches, a histogram.

The thresholds bound the aligner's confidence (shown in %) when the pending units have one,
and the score otherwise (projects aligned before confidences were stored; the dialog says
so). With confidences, the preview also says how many wrong pairs to expect among those an
action would decide: the sum of 1 − confidence over them.

The histogram of the pending units' confidences or scores (matplotlib on a FigureCanvasQTAgg)
shows the accept threshold X (green) and the reject threshold Y (red); both lines follow their
spin boxes, and the counts beside each action are re-counted as the thresholds move. "Apply" runs the
chosen action through ``perform`` (the window's undo stack, so it is one undo step there and in
the store), or directly on the project when no ``perform`` is given.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError
from workbench.review import bulk, confidence

if TYPE_CHECKING:
    from workbench.project import Project

Perform = Callable[[str, Callable[[], Any]], tuple[Any, str | None]]


def direct_perform(text: str, action: Callable[[], Any]) -> tuple[Any, str | None]:
    """Run an action on the store, turning a store error into a message (like the window's
    ``ReviewUndoStack.perform``, without a QUndoStack)."""
    try:
        return action(), None
    except WorkbenchError as exc:
        return None, str(exc)


class BulkDialog(QDialog):
    """Preview and apply one bulk decision on a project (one document, or all with None)."""

    def __init__(
        self,
        project: Project,
        doc_id: int | None = None,
        *,
        cursor_unit: int | None = None,
        visible_units: Sequence[int] = (),
        perform: Perform | None = None,
        accept_at: float | None = None,
        reject_below: float | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bulk decisions")
        self.project, self.doc_id = project, doc_id
        self.cursor_unit, self.visible_units = cursor_unit, list(visible_units)
        self.perform = perform or direct_perform
        self.applied: int | None = None
        self.error: str | None = None
        self.basis = bulk.basis(project, doc_id)
        by_confidence = self.basis == "confidence"
        # thresholds in the spin boxes: % of confidence, or the raw score
        self.scale = 100.0 if by_confidence else 1.0
        if by_confidence:
            self.confidences = project.confidences(doc_id, status="pending")
            counts, edges = bulk.histogram(self.confidences, 25, (0.0, 1.0))
            accept_at = 0.95 if accept_at is None else accept_at
            reject_below = 0.1 if reject_below is None else reject_below
        else:
            self.confidences = []
            counts, edges = bulk.score_histogram(project, doc_id, bins=25)
            accept_at = 0.5 if accept_at is None else accept_at
            reject_below = 0.1 if reject_below is None else reject_below
        lo, hi = edges[0], edges[-1]
        edges = [e * self.scale for e in edges]  # the axis in the spin boxes' unit
        self.accept_spin = self._spin(accept_at, lo, hi, self.scale)
        self.reject_spin = self._spin(reject_below, lo, hi, self.scale)
        self.choices = QButtonGroup(self)
        self.count_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        what = "with confidence" if by_confidence else "scoring"
        rows = [
            ("accept_at_least", f"Accept all pending {what} at least", self.accept_spin),
            ("reject_below", f"Reject all pending {what} below", self.reject_spin),
            ("accept_above", "Accept all pending above the cursor", None),
            ("confirm_page", "Confirm this page (pending rows on screen)", None),
        ]
        for r, (action, text, spin) in enumerate(rows):
            radio = QRadioButton(text)
            radio.setProperty("action", action)
            self.choices.addButton(radio, r)
            grid.addWidget(radio, r, 0)
            if spin is not None:
                grid.addWidget(spin, r, 1)
            label = QLabel()
            self.count_labels[action] = label
            grid.addWidget(label, r, 2)
        self.choices.button(0).setChecked(True)
        if cursor_unit is None:
            self.choices.button(2).setEnabled(False)
        if not self.visible_units:
            self.choices.button(3).setEnabled(False)
        self.figure = Figure(figsize=(6, 2.6), tight_layout=True)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.axes = self.figure.add_subplot(111)
        widths = [b - a for a, b in itertools.pairwise(edges)]
        self.axes.bar(edges[:-1], counts, width=widths, align="edge", color="#90a4ae")
        self.axes.set_xlabel(
            "confidence of pending units (%)" if by_confidence else "score of pending units"
        )
        self.axes.set_ylabel("units")
        self.accept_line = self.axes.axvline(accept_at * self.scale, color="#2e7d32", linewidth=2)
        self.reject_line = self.axes.axvline(
            reject_below * self.scale, color="#c62828", linewidth=2
        )
        self.accept_spin.valueChanged.connect(self.update_preview)
        self.reject_spin.valueChanged.connect(self.update_preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close
        )
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.message = QLabel()
        self.expected = QLabel()  # expected wrong pairs among those the action decides
        self.expected.setWordWrap(True)
        self.basis_note = QLabel(self._basis_note())
        self.basis_note.setWordWrap(True)
        self.basis_note.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.expected)
        layout.addWidget(self.basis_note)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 520)
        self.update_preview()

    @staticmethod
    def _spin(value: float, lo: float, hi: float, scale: float = 1.0) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        if scale == 1.0:
            spin.setDecimals(3)
            spin.setSingleStep(0.01)
        else:  # a confidence, in %
            spin.setDecimals(1)
            spin.setSingleStep(1.0)
            spin.setSuffix(" %")
        spin.setRange(min(lo, value, 0.0) * scale, max(hi, value, 1.0) * scale)
        spin.setValue(value * scale)
        return spin

    def _basis_note(self) -> str:
        if self.basis == "score":
            return (
                "No pending unit has a confidence (aligned before confidences were stored): "
                "the thresholds apply to the score. Re-align to estimate confidences."
            )
        missing = self.project.count_units(self.doc_id, status="pending", has_confidence=False)
        if not missing:
            return ""
        return f"{missing} pending units have no confidence: the thresholds leave them alone."

    def thresholds(self) -> tuple[float, float]:
        """(accept at least, reject below) as the store compares them (a confidence 0–1)."""
        return self.accept_spin.value() / self.scale, self.reject_spin.value() / self.scale

    def plan(self, action: str) -> bulk.BulkPlan:
        accept_at, reject_below = self.thresholds()
        threshold = {"accept_at_least": accept_at, "reject_below": reject_below}.get(action)
        return bulk.plan(
            self.project,
            action,
            doc_id=self.doc_id,
            threshold=threshold,
            cursor_unit=self.cursor_unit,
            visible_units=self.visible_units,
            basis=self.basis,
        )

    def expected_text(self) -> str:
        """The preview of the confidence thresholds: how many wrong pairs to expect."""
        if self.basis != "confidence":
            return ""
        accept_at, reject_below = self.thresholds()
        n, wrong = bulk.expected_wrong(self.confidences, accept_at)
        below = [c for c in self.confidences if c < reject_below]
        right = sum(below)
        return (
            f"Accepting the {n} pairs at or above {100 * accept_at:.1f} %: about "
            f"{confidence.count_text(wrong)} of them are expected to be wrong "
            f"({100 * wrong / n if n else 0:.1f} %; the sum of 1 − confidence). Rejecting the "
            f"{len(below)} below {100 * reject_below:.1f} %: about "
            f"{confidence.count_text(right)} right ones among them."
        )

    def update_preview(self) -> None:
        accept_at, reject_below = self.thresholds()
        self.accept_line.set_xdata([accept_at * self.scale] * 2)
        self.reject_line.set_xdata([reject_below * self.scale] * 2)
        self.canvas.draw_idle()
        for action, label in self.count_labels.items():
            enabled = self.choices.button(list(self.count_labels).index(action)).isEnabled()
            label.setText(f"{len(self.plan(action))} pairs" if enabled else "—")
        if self.basis == "confidence":
            n, wrong = bulk.expected_wrong(self.confidences, accept_at)
            self.count_labels["accept_at_least"].setText(
                f"{n} pairs, ≈ {confidence.count_text(wrong)} wrong"
            )
        self.expected.setText(self.expected_text())

    def selected_action(self) -> str:
        return str(self.choices.checkedButton().property("action"))

    def select(self, action: str) -> None:
        self.choices.button(list(self.count_labels).index(action)).setChecked(True)

    def apply(self) -> int:
        """Apply the chosen action (one undo step); returns how many units changed."""
        chosen = self.plan(self.selected_action())
        if not chosen.unit_ids:
            self.message.setText("nothing to change")
            return 0
        label = f"{chosen.label} ({len(chosen)} pairs)"
        result, error = self.perform(label, lambda: bulk.apply(self.project, chosen))
        self.error = error
        self.applied = 0 if error else int(result or 0)
        self.message.setText(error or f"{self.applied} pairs {chosen.status}")
        self.update_preview()
        return self.applied
