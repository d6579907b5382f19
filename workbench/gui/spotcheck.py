"""Spot-check widgets: judge a sample one pair at a time, and the comparison report view.

Standalone widgets (the main window opens them): :class:`JudgingView` stores each verdict in
the project the moment it is given (a crash loses nothing; reopening resumes at the first pair
not judged yet); :class:`ReportView` shows a :class:`~workbench.spotcheck.report.ComparisonReport`
as a table and the same matplotlib charts as the HTML export; :class:`SampleDialog` draws a
new sample.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.spotcheck.measures import accuracy
from workbench.spotcheck.report import ComparisonReport, format_accuracy
from workbench.spotcheck.stats import interval_name
from workbench.textio import join_sentences

if TYPE_CHECKING:
    from workbench.project import Project

VERDICT_KEYS = {Qt.Key.Key_C: "correct", Qt.Key.Key_I: "incorrect", Qt.Key.Key_U: "unsure"}
VERDICT_STYLE = {
    "correct": ("✔ correct", "#1b7837"),
    "incorrect": ("✘ incorrect", "#b2182b"),
    "unsure": ("? unsure", "#8c6d00"),
    None: ("not judged yet", "#666666"),
}


def _text(item: Any, side: str) -> str:
    """An item's source or target text."""
    return getattr(item, f"{side}_text", "") or ""


class JudgingView(QWidget):
    """One pair at a time: C correct, I incorrect, U unsure, Backspace/Left back,
    Right forward, Ctrl+Z undo, Escape closes. Verdicts go straight to ``project.judge``."""

    judged = Signal(int, str)  # item index, verdict ("" when cleared by undo)
    finished = Signal()

    def __init__(self, project: Project, sample_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.sample_id = sample_id
        info = next((s for s in project.samples() if s.id == sample_id), None)
        self.setWindowTitle(f"Spot-check — {info.name if info else sample_id}")
        self.items = list(project.sample_items(sample_id))
        self.verdicts: list[str | None] = [it.verdict for it in self.items]
        self._undo: list[tuple[int, str | None]] = []
        self._translations: dict[int, Any] = {}
        self._doc_names = {d.id: d.name or str(d.id) for d in project.documents()}
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.progress_label = QLabel()
        self.progress_label.setObjectName("progress")
        self.bar = QProgressBar()
        self.bar.setRange(0, max(1, len(self.items)))
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.verdict_label = QLabel()
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        top = QHBoxLayout()
        top.addWidget(self.progress_label, 1)
        top.addWidget(self.verdict_label)

        big = QFont(self.font())
        big.setPointSizeF(max(15.0, big.pointSizeF() * 1.5))
        self.panes: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        body = QVBoxLayout()
        for side, title in (
            ("source", "Source"),
            ("mt", "Machine translation"),
            ("target", "Target"),
        ):
            caption = QLabel(title)
            caption.setStyleSheet("color: #555; font-weight: bold;")
            pane = QLabel()
            pane.setWordWrap(True)
            pane.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            pane.setFont(big)
            pane.setFrameShape(QFrame.Shape.StyledPanel)
            pane.setMinimumHeight(70)
            pane.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            pane.setStyleSheet(
                "QLabel { background: %s; padding: 10px; color: #111; }"
                % ("#f4f4f4" if side == "mt" else "white")
            )
            pane.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.panes[side] = pane
            self.captions[side] = caption
            body.addWidget(caption)
            body.addWidget(pane, 1)

        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for text, slot in (
            ("← Back", self.back),
            ("Correct (C)", lambda: self.give("correct")),
            ("Incorrect (I)", lambda: self.give("incorrect")),
            ("Unsure (U)", lambda: self.give("unsure")),
            ("Undo (Ctrl+Z)", self.undo),
        ):
            b = QPushButton(text)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the view
            b.clicked.connect(slot)
            buttons.addWidget(b)
            self.buttons[text.split()[0].lower()] = b
        hint = QLabel(
            "Keys: C correct · I incorrect · U unsure · Backspace/← back · → skip · "
            "Ctrl+Z undo · Esc closes. Every verdict is saved at once."
        )
        hint.setStyleSheet("color: #666;")
        hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        layout.addWidget(hint)
        self.resize(900, 620)

        first = next((k for k, v in enumerate(self.verdicts) if v is None), None)
        self.index = first if first is not None else len(self.items)
        self.refresh()

    # -- state ---------------------------------------------------------------------------

    @property
    def judged_count(self) -> int:
        return sum(v is not None for v in self.verdicts)

    def refresh(self) -> None:
        n = len(self.items)
        done = self.judged_count
        self.bar.setValue(done)
        if self.index >= n:
            acc = accuracy(self.verdicts)
            self.progress_label.setText(
                f"All {n} pairs judged — {format_accuracy(acc)}"
                if done == n
                else f"End of sample — {done} of {n} judged"
            )
            for pane in self.panes.values():
                pane.setText("")
            self.panes["source"].setText(
                f"{done} of {n} judged. Accuracy so far: {format_accuracy(acc)}.\n"
                "Backspace goes back to change a verdict; Esc closes this window "
                "(the report: Spot-check ▸ Report…, Ctrl+Shift+J)."
            )
            self.verdict_label.setText("")
            return
        item = self.items[self.index]
        self.progress_label.setText(
            f"<b>{self.index + 1} of {n}</b> · {done} judged · document "
            f"{html.escape(self._doc_names.get(item.doc_id, str(item.doc_id)))}"
        )
        mt = self.mt_text(item)
        for side, pane in self.panes.items():
            pane.setText((mt if side == "mt" else _text(item, side)) or "—")
        self.panes["mt"].setVisible(bool(mt))
        self.captions["mt"].setVisible(bool(mt))
        text, colour = VERDICT_STYLE[self.verdicts[self.index]]
        self.verdict_label.setText(f'<span style="color:{colour}; font-weight:bold">{text}</span>')

    def mt_text(self, item: Any) -> str:
        """The source sentences' machine translation, from the project ("" without one)."""
        if item.doc_id not in self._translations:
            self._translations[item.doc_id] = self.project.translation(item.doc_id, "source")
        doc = self._translations[item.doc_id]
        if doc is None:
            return ""
        return join_sentences(doc.sentences[i] for i in item.source_ids if i < len(doc.sentences))

    # -- actions ---------------------------------------------------------------------------

    def give(self, verdict: str | None) -> None:
        """Judge the current pair (stored at once) and move to the next one."""
        if self.index >= len(self.items):
            return
        self._set(self.index, verdict, record=True)
        self.index += 1
        if self.index >= len(self.items):
            self.finished.emit()
        self.refresh()

    def _set(self, index: int, verdict: str | None, record: bool) -> None:
        item = self.items[index]
        if record:
            self._undo.append((index, self.verdicts[index]))
        self.project.judge(item.doc_id, tuple(item.source_ids), tuple(item.target_ids), verdict)
        self.verdicts[index] = verdict
        self.judged.emit(index, verdict or "")

    def back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.refresh()

    def forward(self) -> None:
        if self.index < len(self.items):
            self.index += 1
            self.refresh()

    def undo(self) -> None:
        """Take back the last verdict given in this view and show that pair again."""
        if not self._undo:
            return
        index, previous = self._undo.pop()
        self._set(index, previous, record=False)
        self.index = index
        self.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        elif event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.close()  # a separate window: the keys had no way back to the review window
        elif event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
        elif event.key() in VERDICT_KEYS:
            self.give(VERDICT_KEYS[event.key()])
        elif event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Left):
            self.back()
        elif event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Space):
            self.forward()
        else:
            super().keyPressEvent(event)


class ReportView(QWidget):
    """The comparison report: the per-scorer table, notes, and the charts in tabs."""

    def __init__(
        self, report: ComparisonReport | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Spot-check and yield report")
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #555;")
        self.tabs = QTabWidget()
        self.per_document = QTableWidget()
        self.per_document.setObjectName("per-document")
        self.per_document.verticalHeader().setVisible(False)
        self.per_document.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for table in (self.table, self.per_document):
            compact_rows(table)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.notes)
        caption = QLabel("Per document")
        caption.setStyleSheet("color: #555; font-weight: bold;")
        layout.addWidget(caption)
        layout.addWidget(self.per_document)
        layout.addWidget(self.tabs, 1)
        self.resize(1000, 720)
        if report is not None:
            self.set_report(report)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            self.close()
        else:
            super().keyPressEvent(event)

    def set_report(self, report: ComparisonReport) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from workbench.spotcheck.charts import report_figures

        has_gold = any(r.gold for r in report.rows)
        head = ["scorer", "yield", "yield src / tgt", "pairs", "agreement", "sampled accuracy"]
        if has_gold:
            head += ["strict P / R / F1", "lax P / R / F1"]
        self.table.clear()
        self.table.setColumnCount(len(head))
        self.table.setRowCount(len(report.rows))
        self.table.setHorizontalHeaderLabels(head)
        for r, row in enumerate(report.rows):
            cells = [
                row.scorer,
                f"{100 * row.yield_.overall:.2f} %",
                f"{100 * row.yield_.source:.1f} / {100 * row.yield_.target:.1f} %",
                str(row.pairs),
                report.agreement_text(row.scorer),
                format_accuracy(row.accuracy),
            ]
            if has_gold:
                g = row.gold
                cells += [
                    f"{g.strict_precision:.3f} / {g.strict_recall:.3f} / {g.strict_f1:.3f}"
                    if g
                    else "—",
                    f"{g.lax_precision:.3f} / {g.lax_recall:.3f} / {g.lax_f1:.3f}" if g else "—",
                ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.table.setFixedHeight(
            header.height() + sum(self.table.rowHeight(i) for i in range(len(report.rows))) + 6
        )
        self.notes.setText(
            f"Agreement = pairs suggested by every scorer / by any "
            f"({report.agreement.both} / {report.agreement.either}). Accuracy: correct / "
            "(correct + incorrect) of the judged sample pairs each scorer suggested, "
            f"{interval_name(report.confidence)} interval; unsure pairs left out. "
            + " · ".join(report.notes)
        )
        # The per-document figures were only in the CSV: a curator comparing BLEU and ABLEU on
        # one document of many had to export to see them.
        _fill_per_document(self.per_document, report)
        self.tabs.clear()
        self.canvases = []
        for name, fig in report_figures(report):
            canvas = FigureCanvasQTAgg(fig)
            self.canvases.append(canvas)
            self.tabs.addTab(canvas, name)
        reliability = report.reliability_rows()
        if reliability:
            self.tabs.addTab(_reliability_table(reliability), "Reliability table")


def compact_rows(table: QTableWidget) -> None:
    """Rows as tall as a line of text: the style's default (about 30 px) showed six of the
    per-document rows before scrolling."""
    height = table.fontMetrics().height() + 6
    header = table.verticalHeader()
    header.setMinimumSectionSize(height)
    header.setDefaultSectionSize(height)


def _fill_per_document(table: QTableWidget, report: ComparisonReport) -> None:
    """Yield, pairs and sampled accuracy per scorer and document (the CSV's document rows)."""
    head = ["scorer", "document", "yield", "yield src / tgt", "pairs", "sampled accuracy"]
    rows = [
        [
            row.scorer,
            report.documents[doc_id].name or str(doc_id),
            f"{100 * y.overall:.2f} %",
            f"{100 * y.source:.1f} / {100 * y.target:.1f} %",
            str(row.per_document_pairs.get(doc_id, 0)),
            format_accuracy(row.per_document_accuracy.get(doc_id)),
        ]
        for row in report.rows
        for doc_id, y in row.per_document.items()
    ]
    table.clear()
    table.setColumnCount(len(head))
    table.setRowCount(len(rows))
    table.setHorizontalHeaderLabels(head)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c > 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    # no taller than its rows (one document left an empty box the charts could use), 190 px
    # at most (about eight rows, then it scrolls)
    rows_height = sum(table.rowHeight(i) for i in range(len(rows)))
    table.setMaximumHeight(min(190, header.sizeHint().height() + rows_height + 6))


def _reliability_table(rows: list[list[str]]) -> QTableWidget:
    """Sampled vs predicted accuracy per confidence band (the reliability diagram's table)."""
    head = ["scorer", "confidence", "pairs", "judged", "predicted", "sampled accuracy"]
    table = QTableWidget(len(rows), len(head))
    table.setHorizontalHeaderLabels(head)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    compact_rows(table)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class SampleDialog(QDialog):
    """Draw a new sample: size or margin, seed, stratification, source, scorers."""

    def __init__(
        self, project: Project, scorers: list[str] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.sample_id: int | None = None
        self.setWindowTitle("New spot-check sample")
        form = QFormLayout(self)
        self.by_size = QRadioButton("pairs")
        self.by_margin = QRadioButton("± margin at 95 %")
        self.by_margin.setChecked(True)
        self.size = QSpinBox()
        self.size.setRange(1, 1_000_000)
        self.size.setValue(200)
        self.margin = QDoubleSpinBox()
        self.margin.setRange(0.005, 0.5)
        self.margin.setSingleStep(0.01)
        self.margin.setDecimals(3)
        self.margin.setValue(0.05)
        size_row = QHBoxLayout()
        for w in (self.by_size, self.size, self.by_margin, self.margin):
            size_row.addWidget(w)
        form.addRow("Sample size", size_row)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(1)
        form.addRow("Seed", self.seed)
        self.stratify = QComboBox()
        self.stratify.addItems(["none", "score", "document"])
        form.addRow("Stratify by", self.stratify)
        self.source = QComboBox()
        self.source.addItems(["suggestions", "accepted"])
        form.addRow("Sample from", self.source)
        self.scorers = QLineEdit(" ".join(scorers or ["bleu", "ableu"]))
        self.scorers.setToolTip(
            "scorers whose suggestions to sample (one sample serves all); empty: the review rows"
        )
        form.addRow("Scorers", self.scorers)
        self.name = QLineEdit()
        form.addRow("Name", self.name)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.create)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`~workbench.spotcheck.project_data.create_sample`
        (besides the project) that the dialog's fields say."""
        stratify = self.stratify.currentText()
        return {
            "size": self.size.value() if self.by_size.isChecked() else None,
            "margin": self.margin.value() if self.by_margin.isChecked() else None,
            "seed": self.seed.value(),
            "stratify": None if stratify == "none" else stratify,
            "source": self.source.currentText(),
            "scorers": self.scorers.text().split()
            if self.source.currentText() == "suggestions"
            else [],
            "name": self.name.text(),
        }

    def create(self) -> None:
        from workbench.errors import WorkbenchError
        from workbench.spotcheck.project_data import create_sample

        try:
            self.sample_id, _, _ = create_sample(self.project, **self.options())
        except WorkbenchError as exc:
            QMessageBox.warning(self, "Spot-check", str(exc))
            return
        self.accept()
