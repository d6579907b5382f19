"""The audit summary view: per reviewer, pairs per minute, accept/reject ratio, reversals.

The figures are the store's ``Project.audit_summary()`` (computed from the journal); "Export
CSV…" writes them with ``Project.export_audit``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.project import Project

HEADERS = {
    "reviewer": "Reviewer",
    "decided": "Decided",
    "accepted": "Accepted",
    "rejected": "Rejected",
    "accept_ratio": "Accept ratio",
    "active_minutes": "Active minutes",
    "pairs_per_minute": "Pairs / minute",
    "reversed": "Later reversed",
    "first": "First decision",
    "last": "Last decision",
}


def _cell(value: Any, column: str) -> str:
    if value is None or (isinstance(value, float) and value != value):  # NaN: no figure
        return "—"
    if column == "accept_ratio":
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:.2f}"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


class AuditDialog(QDialog):
    """A table of the audit summary with an idle cap and CSV export."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit summary")
        self.project = project
        self.idle = QDoubleSpinBox()
        self.idle.setRange(10, 3600)
        self.idle.setValue(300)
        self.idle.setSuffix(" s")
        self.idle.setToolTip("a pause between decisions longer than this counts as this long")
        self.idle.valueChanged.connect(self.refresh)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS.values()))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        export = QPushButton("Export &CSV…")
        export.clicked.connect(self.export_dialog)
        self.message = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("Idle cap:"))
        top.addWidget(self.idle)
        top.addStretch(1)
        top.addWidget(export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 320)
        self.refresh()

    def refresh(self) -> None:
        summary = self.project.audit_summary(self.idle.value())
        self.summary = summary
        self.table.setRowCount(len(summary))
        for r, row in enumerate(summary.to_dict("records")):
            for c, column in enumerate(HEADERS):
                self.table.setItem(r, c, QTableWidgetItem(_cell(row.get(column), column)))
        self.message.setText(
            f"{len(summary)} reviewer(s); pairs per minute counts only active time "
            f"(pauses capped at {self.idle.value():.0f} s)"
        )

    def cell(self, row: int, column: str) -> str:
        return self.table.item(row, list(HEADERS).index(column)).text()

    def export_to(self, path: str | Path) -> int:
        try:
            n = self.project.export_audit(path, self.idle.value())
        except WorkbenchError as exc:
            self.message.setText(str(exc))
            return 0
        self.message.setText(f"wrote {path}")
        return n

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export audit summary", "audit.csv", "CSV (*.csv)"
        )
        if path:
            self.export_to(path)
