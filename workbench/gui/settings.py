"""Settings: translator model, scorer, n-gram order, similarity threshold, reviewer name, and a
read-only page listing the plugins found at start-up (issue 9).

Kept in QSettings (the user's defaults for new projects) and in the open project
(``Project.set_setting``), which wins when both have a value, so a project re-opened elsewhere
aligns the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from workbench.project import Project

DEFAULTS: dict[str, Any] = {
    "translator_model": "",
    "embeddings": "",
    "scorer": "bleu",
    "order": 2,
    "threshold": 0.5,
    "reviewer": "",
}
SCORERS = ("bleu", "ableu")  # built in; plugin scorers come from scorer_names()
PLUGIN_COLUMNS = ("group", "name", "distribution", "version", "status", "detail")
BROKEN_COLOUR = "#f4c7c3"


def scorer_names() -> list[str]:
    """Every scorer the settings can choose: the built-ins, then registered plugin scorers."""
    from workbench.scoring.registry import available_scorers

    names = list(SCORERS)
    names += [n for n in available_scorers() if n not in names]
    return names


def qsettings() -> QSettings:
    return QSettings("workbench", "workbench")


def _coerce(key: str, value: Any) -> Any:
    default = DEFAULTS[key]
    try:
        if isinstance(default, bool):
            return value in (True, "true", "1", 1)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
    except (TypeError, ValueError):
        return default
    return "" if value is None else str(value)


def load_settings(project: Project | None = None, store: QSettings | None = None) -> dict[str, Any]:
    """Defaults, overridden by QSettings, overridden by the project's own settings."""
    store = store or qsettings()
    out = dict(DEFAULTS)
    for key in DEFAULTS:
        if store.contains(key):
            out[key] = _coerce(key, store.value(key))
        if project is not None:
            value = project.get_setting(key, None)
            if value is not None:
                out[key] = _coerce(key, value)
    if out["scorer"] not in SCORERS and out["scorer"] not in scorer_names():
        out["scorer"] = "bleu"
    return out


def save_settings(
    values: dict[str, Any], project: Project | None = None, store: QSettings | None = None
) -> None:
    store = store or qsettings()
    for key, value in values.items():
        if key not in DEFAULTS:
            continue
        store.setValue(key, value)
        if project is not None and project.get_setting(key, None) != value:
            project.set_setting(key, value)
    store.sync()


class SettingsDialog(QDialog):
    """Edits the settings of the open project (and the user's defaults)."""

    def __init__(self, values: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.tabs = QTabWidget()
        general = QWidget()
        form = QFormLayout(general)
        self.model_path = QLineEdit(values["translator_model"])
        self.model_path.setPlaceholderText("CTranslate2 model folder (for Translate with model…)")
        form.addRow("Translator model", self._with_browse(self.model_path, folder=True))
        self.embeddings = QLineEdit(values["embeddings"])
        self.embeddings.setPlaceholderText("KeyedVectors for ABLEU (empty: learnt per document)")
        form.addRow("Embeddings", self._with_browse(self.embeddings, folder=False))
        self.scorer = QComboBox()
        self.scorer.addItems(scorer_names())
        self.scorer.setCurrentText(values["scorer"])
        form.addRow("Scorer", self.scorer)
        self.order = QSpinBox()
        self.order.setRange(1, 4)
        self.order.setValue(int(values["order"]))
        form.addRow("N-gram order", self.order)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(float(values["threshold"]))
        form.addRow("Similarity threshold", self.threshold)
        self.reviewer = QLineEdit(values["reviewer"])
        self.reviewer.setPlaceholderText("your name, recorded with every decision")
        form.addRow("Reviewer", self.reviewer)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.tabs.addTab(general, "General")
        self.plugins = self._plugin_table()
        self.tabs.addTab(self.plugins, "Plugins")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def _plugin_table(self) -> QTableWidget:
        """``plugin_rows()`` as a table; broken plugins (skipped at start-up) highlighted."""
        from workbench.plugins import plugin_rows

        rows = plugin_rows()
        table = QTableWidget(len(rows), len(PLUGIN_COLUMNS))
        table.setHorizontalHeaderLabels([c.capitalize() for c in PLUGIN_COLUMNS])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        for r, row in enumerate(rows):
            broken = row.status != "ok"
            for c, column in enumerate(PLUGIN_COLUMNS):
                item = QTableWidgetItem(str(getattr(row, column) or ""))
                item.setToolTip(str(row.detail))
                if broken:
                    item.setBackground(QColor(BROKEN_COLOUR))
                    item.setForeground(QColor("black"))
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        if not rows:
            table.setRowCount(1)
            table.setItem(0, 0, QTableWidgetItem("no plugins installed"))
        return table

    def _with_browse(self, edit: QLineEdit, folder: bool) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton("Browse…")

        def browse() -> None:
            path = (
                QFileDialog.getExistingDirectory(self, "Model folder", edit.text())
                if folder
                else QFileDialog.getOpenFileName(self, "Embeddings", edit.text())[0]
            )
            if path:
                edit.setText(path)

        button.clicked.connect(browse)
        row.addWidget(button)
        return box

    def values(self) -> dict[str, Any]:
        return {
            "translator_model": self.model_path.text().strip(),
            "embeddings": self.embeddings.text().strip(),
            "scorer": self.scorer.currentText(),
            "order": self.order.value(),
            "threshold": round(self.threshold.value(), 2),
            "reviewer": self.reviewer.text().strip(),
        }
