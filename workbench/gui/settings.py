"""Settings: translator model, scorer, n-gram order, similarity threshold, reviewer name.

Kept in QSettings (the user's defaults for new projects) and in the open project
(``Project.set_setting``), which wins when both have a value, so a project re-opened elsewhere
aligns the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

DEFAULTS: dict[str, Any] = {
    "translator_model": "",
    "embeddings": "",
    "scorer": "bleu",
    "order": 2,
    "threshold": 0.5,
    "reviewer": "",
}
SCORERS = ("bleu", "ableu")


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


def load_settings(project: Any = None, store: QSettings | None = None) -> dict[str, Any]:
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
    if out["scorer"] not in SCORERS:
        out["scorer"] = "bleu"
    return out


def save_settings(
    values: dict[str, Any], project: Any = None, store: QSettings | None = None
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
        form = QFormLayout(self)
        self.model_path = QLineEdit(values["translator_model"])
        self.model_path.setPlaceholderText("CTranslate2 model folder (for Translate with model…)")
        form.addRow("Translator model", self._with_browse(self.model_path, folder=True))
        self.embeddings = QLineEdit(values["embeddings"])
        self.embeddings.setPlaceholderText("gensim KeyedVectors for ABLEU (optional)")
        form.addRow("Embeddings", self._with_browse(self.embeddings, folder=False))
        self.scorer = QComboBox()
        self.scorer.addItems(SCORERS)
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
        form.addRow(buttons)
        self.setMinimumWidth(520)

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
