"""The review window's Find bar: text, pane, Previous/Next, closed with Escape."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QWidget,
)

from workbench.gui.controller import ReviewController

PANES = (
    ("in any pane", "any"),
    ("in source", "source"),
    ("in MT", "mt"),
    ("in target", "target"),
)


class SearchBar(QWidget):
    """Finds text in the units through the controller; hidden until opened (Ctrl+F)."""

    def __init__(self, controller: ReviewController, view: QTableView) -> None:
        super().__init__()
        self.controller = controller
        self.view = view
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Find"))
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("text to find (Enter: next, Shift+Enter: previous)")
        self.edit.returnPressed.connect(lambda: self.find_next(False))
        self.edit.installEventFilter(self)
        row.addWidget(self.edit, 1)
        self.pane = QComboBox()
        for label, pane in PANES:
            self.pane.addItem(label, pane)
        row.addWidget(self.pane)
        for text, backwards in (("Previous", True), ("Next", False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, b=backwards: self.find_next(b))
            row.addWidget(button)
        close = QToolButton()
        close.setText("✕")
        close.clicked.connect(self.close_search)
        row.addWidget(close)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.edit
            and event.type() == QEvent.Type.ShortcutOverride
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
        ):
            # These keys belong to the search field, not to Accept / Close overlay.
            event.accept()
            return True
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if key == Qt.Key.Key_Escape:
                self.close_search()
                return True
            if (
                key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            ):  # type: ignore[attr-defined]
                self.find_next(True)
                return True
        return super().eventFilter(watched, event)

    def open_search(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    def close_search(self) -> None:
        self.hide()
        self.view.setFocus()

    def find_next(self, backwards: bool = False) -> bool:
        text = self.edit.text()
        if not text:
            self.open_search()
            return False
        return self.controller.find(text, self.pane.currentData(), backwards)
