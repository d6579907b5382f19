"""The help overlay: a translucent panel over the window listing every action and its keys."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

# (groups per row, font size in pt), tried in order until the panel fits the window: three
# groups at 10 pt fit 1280×720; a smaller window used to cut the Power tools' keys off.
LAYOUTS = ((3, 10), (3, 9), (3, 8), (2, 8))


class HelpOverlay(QWidget):
    """A translucent panel over the window listing every action and its keys (F1 or ?).

    The panel takes the largest layout of :data:`LAYOUTS` that fits the window; in a window
    too small for any, the last one scrolls (nothing is ever out of reach)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setWidget(self.label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        # See-through: the panel paints its own background under the scroll area.
        self.scroll.setStyleSheet("QScrollArea { background: transparent; }")
        self.scroll.viewport().setAutoFillBackground(False)
        self.label.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll)
        self.groups: list[tuple[str, list[QAction]]] = []
        self.layout_used: tuple[int, int] = LAYOUTS[0]
        parent.installEventFilter(self)
        self.hide()

    def set_actions(self, groups: list[tuple[str, list[QAction]]]) -> None:
        self.groups = groups
        self._fit()

    def _text(self, per_row: int) -> str:
        cells = []
        for title, actions in self.groups:
            rows = "".join(
                f"<tr><td style='padding-right:18px'>{a.text().replace('&', '')}</td>"
                f"<td><b>{' , '.join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts())}</b></td></tr>"
                for a in actions
                if a.shortcuts()
            )
            cells.append(
                f"<td valign='top' style='padding:0 24px'><h3>{title}</h3><table>{rows}</table></td>"
            )
        # With three groups per row, the longest (last) group beside the first two.
        if per_row == 3 and len(cells) > 3:
            cells[2], cells[-1] = cells[-1], cells[2]
        rows = "".join(
            "<tr>" + "".join(cells[i : i + per_row]) + "</tr>"
            for i in range(0, len(cells), per_row)
        )
        return f"<table>{rows}</table><p>F1 or ? shows and hides this panel; Esc closes it.</p>"

    def _fit(self) -> None:
        """The first layout whose text fits the panel (the last one, scrolling, otherwise)."""
        margins = self.layout().contentsMargins()
        room = self.size().shrunkBy(margins)
        for per_row, points in LAYOUTS:
            self.label.setStyleSheet(f"color: white; font-size: {points}pt;")
            self.label.setText(self._text(per_row))
            self.layout_used = (per_row, points)
            hint = self.label.sizeHint()
            if hint.width() <= room.width() and hint.height() <= room.height():
                break

    def fits(self) -> bool:
        """Whether the whole panel is shown without scrolling."""
        viewport = self.scroll.viewport().size()
        hint = self.label.sizeHint()
        return hint.width() <= viewport.width() and hint.height() <= viewport.height()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        resized = watched is self.parentWidget() and event.type() == QEvent.Type.Resize
        if resized and self.isVisible():
            self.setGeometry(self.parentWidget().rect())
        return False

    def resizeEvent(self, event: QEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def paintEvent(self, event: QEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(20, 20, 24, 242))

    def showEvent(self, event: QEvent) -> None:
        self.setGeometry(self.parentWidget().rect())
        self._fit()
        self.raise_()
