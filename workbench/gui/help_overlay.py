"""The help overlay: a translucent panel over the window listing every action and its keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class HelpOverlay(QWidget):
    """A translucent panel over the window listing every action and its keys (F1 or ?)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setStyleSheet("color: white; font-size: 10pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.hide()

    def set_actions(self, groups: list[tuple[str, list[QAction]]]) -> None:
        cells = []
        for title, actions in groups:
            rows = "".join(
                f"<tr><td style='padding-right:18px'>{a.text().replace('&', '')}</td>"
                f"<td><b>{' , '.join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts())}</b></td></tr>"
                for a in actions
                if a.shortcuts()
            )
            cells.append(
                f"<td valign='top' style='padding:0 24px'><h3>{title}</h3><table>{rows}</table></td>"
            )
        # Three groups per row, the longest (last) group beside the first two, so the panel
        # fits a 1280×720 window.
        if len(cells) > 3:
            cells[2], cells[-1] = cells[-1], cells[2]
        rows = "".join(
            "<tr>" + "".join(cells[i : i + 3]) + "</tr>" for i in range(0, len(cells), 3)
        )
        self.label.setText(
            f"<table>{rows}</table><p>F1 or ? shows and hides this panel; Esc closes it.</p>"
        )

    def paintEvent(self, event: QEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 20, 24, 242))

    def showEvent(self, event: QEvent) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
