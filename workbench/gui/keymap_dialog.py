"""Remapping keys: the settings dialog, QSettings storage, and applying a keymap to QActions.

The keymap logic (defaults, conflicts, what to store) is Qt-free in :mod:`workbench.review.keymap`;
this module only shows it, keeps the overrides in QSettings (as JSON under ``keymap``) and puts
the keys on the window's actions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import InputError
from workbench.review import keymap as km

SETTING = "keymap"


def _store(store: QSettings | None) -> QSettings:
    return store if store is not None else QSettings("workbench", "workbench")


def load_keymap(store: QSettings | None = None) -> dict[str, list[str]]:
    """The full keymap: defaults with the user's stored overrides (a damaged setting falls
    back to the defaults rather than leaving the window without keys)."""
    try:
        return km.resolve(km.load_overrides(_store(store).value(SETTING, "")))
    except InputError:
        return km.default_keymap()


def save_keymap(keymap: Mapping[str, Iterable[str]], store: QSettings | None = None) -> None:
    """Store the part of a full keymap that differs from the defaults."""
    s = _store(store)
    s.setValue(SETTING, json.dumps(km.overrides_of(keymap)))
    s.sync()


def apply_keymap(actions: Mapping[str, QAction], keymap: Mapping[str, Iterable[str]]) -> None:
    """Put each command's keys on its action (command id -> QAction); actions of commands
    the keymap leaves without keys get none."""
    for cid, action in actions.items():
        keys = list(keymap.get(cid, ()))
        action.setShortcuts([QKeySequence(k) for k in keys])


def key_text(sequence: QKeySequence) -> str:
    """A QKeySequence as the portable text the keymap stores (first chord only)."""
    return sequence.toString(QKeySequence.SequenceFormat.PortableText).split(",")[0].strip()


class KeymapDialog(QDialog):
    """Every command with its keys; pick a row, press the new key, Set / Add / Clear.

    A key already bound to another command is refused with a message naming that command;
    "Reset to defaults" restores every default. ``keymap`` holds the edited full keymap;
    accepting the dialog stores it (``save_keymap``) when ``store`` is given."""

    def __init__(
        self,
        keymap: Mapping[str, Iterable[str]] | None = None,
        store: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.store = store
        self.keymap = km.resolve(km.overrides_of(keymap)) if keymap else load_keymap(store)
        self.table = QTableWidget(len(km.COMMANDS), 3)
        self.table.setHorizontalHeaderLabels(["Group", "Command", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.key_edit = QKeySequenceEdit()
        self.key_edit.setMaximumSequenceLength(1)
        self.set_button = QPushButton("&Set")
        self.add_button = QPushButton("A&dd")
        self.clear_button = QPushButton("C&lear")
        self.reset_button = QPushButton("&Reset to defaults")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.set_button.clicked.connect(lambda: self._bind(replace=True))
        self.add_button.clicked.connect(lambda: self._bind(replace=False))
        self.clear_button.clicked.connect(self._clear)
        self.reset_button.clicked.connect(self.reset_defaults)
        row = QHBoxLayout()
        row.addWidget(QLabel("New key:"))
        row.addWidget(self.key_edit, 1)
        for b in (self.set_button, self.add_button, self.clear_button, self.reset_button):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(720, 560)
        self._fill()
        self.table.selectRow(0)

    def _fill(self) -> None:
        for r, command in enumerate(km.COMMANDS):
            for c, text in enumerate(
                (command.group, command.label, ", ".join(self.keymap.get(command.id, [])))
            ):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, command.id)
                self.table.setItem(r, c, item)

    def selected_command(self) -> str | None:
        row = self.table.currentRow()
        return km.COMMANDS[row].id if row >= 0 else None

    def select_command(self, command_id: str) -> None:
        self.table.selectRow([c.id for c in km.COMMANDS].index(command_id))

    def try_bind(self, command_id: str, keys: list[str]) -> str | None:
        """Bind ``keys`` to a command; returns the refusal message, or None when bound."""
        try:
            self.keymap = km.rebind(self.keymap, command_id, keys)
        except InputError as exc:
            self.message.setText(str(exc))
            return str(exc)
        self.message.setText("")
        self._fill()
        return None

    def _bind(self, replace: bool) -> None:
        cid = self.selected_command()
        key = key_text(self.key_edit.keySequence())
        if cid is None or not key:
            self.message.setText("choose a command, then press the new key in the key field")
            return
        keys = [key] if replace else [*self.keymap.get(cid, []), key]
        if self.try_bind(cid, keys) is None:
            self.key_edit.clear()

    def _clear(self) -> None:
        cid = self.selected_command()
        if cid is not None:
            self.try_bind(cid, [])

    def reset_defaults(self) -> None:
        self.keymap = km.default_keymap()
        self.message.setText("")
        self._fill()

    def accept(self) -> None:
        if self.store is not None:
            save_keymap(self.keymap, self.store)
        super().accept()
