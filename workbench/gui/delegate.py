"""Painting the review table: word-wrapped text cells, status tints, "why this pair" shading.

The MT and target cells are laid out as :class:`QTextDocument` with a background per word
from :func:`workbench.scoring.explain.explain_pair` (exact match, soft match, none); hovering a
word shows its best match. Laid-out documents are cached per cell, so repainting while
scrolling does not re-tokenise.
"""

from __future__ import annotations

from collections import OrderedDict
from math import ceil
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from workbench.gui.model import (
    COL_MT,
    COL_SOURCE,
    COL_TARGET,
    STATUS_COLOURS,
    TEXT_COLUMNS,
    UNIT_ROLE,
)
from workbench.gui.shading import SIDES, Explainer, match_tooltip
from workbench.scoring.explain import EXACT, SOFT

PADDING = 4
MATCH_COLOURS = {EXACT: QColor(46, 160, 67), SOFT: QColor(227, 160, 8)}
MIN_WEIGHT = 0.2  # matches telling less than this (weight, see gui/shading.py) stay unshaded


def shade_amount(kind: str, weight: float) -> float:
    """Opacity of a match's tint: faint for common words, full for rare ones."""
    full = 0.45 if kind == EXACT else 0.6
    return full * (0.3 + 0.7 * min(max(weight, 0.0), 1.0))


def marker_font(font: QFont) -> QFont:
    """The small italic font of the "… n more lines" marker."""
    small = QFont(font)
    small.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
    small.setItalic(True)
    return small


def marker_height(font: QFont) -> int:
    return QFontMetrics(marker_font(font)).height() + 1


def mix(base: QColor, tint: QColor, amount: float) -> QColor:
    """``tint`` laid over ``base`` at ``amount`` opacity, as an opaque colour (works on light
    and dark palettes alike, unlike a fixed pastel)."""
    return QColor(
        round(base.red() + (tint.red() - base.red()) * amount),
        round(base.green() + (tint.green() - base.green()) * amount),
        round(base.blue() + (tint.blue() - base.blue()) * amount),
    )


def _is_word_char(ch: str) -> bool:
    # Letters, digits and the apostrophes/hyphens inside words ("country's", "fuel-cell").
    return ch.isalnum() or ch in "'’-"


class UnitDelegate(QStyledItemDelegate):
    """Paints every cell of a row: status tint, wrapped (and for MT/target shaded) text."""

    def __init__(self, parent: Any = None, explainer: Explainer | None = None) -> None:
        super().__init__(parent)
        self.explainer = explainer
        self.shading = True
        self.max_lines: int | None = None  # the cap sizeHint applies (the RowFitter's)
        self._docs: OrderedDict[tuple, QTextDocument] = OrderedDict()

    def set_explainer(self, explainer: Explainer | None) -> None:
        self.explainer = explainer
        self._docs.clear()

    def clear_cache(self) -> None:
        self._docs.clear()

    # -- text layout ----------------------------------------------------------------------------
    def _placeholder(self, unit: Any, column: int) -> str:
        if column == COL_MT:
            return "(no machine translation)" if unit.source_ids else "(no source sentence)"
        side = "source" if column == COL_SOURCE else "target"
        return f"(no {side} sentence: {len(unit.source_ids)}-{len(unit.target_ids)})"

    def document(
        self, unit: Any, column: int, width: float, font: QFont, palette: QPalette
    ) -> QTextDocument:
        text = {COL_SOURCE: unit.source_text, COL_MT: unit.mt_text, COL_TARGET: unit.target_text}[
            column
        ] or ""
        key = (unit.id, column, int(width), text, palette.color(QPalette.ColorRole.Base).rgb())
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
            return doc
        doc = QTextDocument()
        doc.setDocumentMargin(PADDING)
        doc.setDefaultFont(font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        if not text:
            doc.setPlainText(self._placeholder(unit, column))
            fmt = QTextCharFormat()
            fmt.setFontItalic(True)
            fmt.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
            cursor = QTextCursor(doc)
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.mergeCharFormat(fmt)
        else:
            doc.setPlainText(text)
            if self.shading and self.explainer is not None:
                shades = self.explainer.cells(unit)[TEXT_COLUMNS.index(column)]
                base = palette.color(QPalette.ColorRole.Base)
                cursor = QTextCursor(doc)
                for start, end, match, weight in shades:
                    tint = MATCH_COLOURS.get(match.kind)
                    # How much the match tells: words found in most sentences (and
                    # punctuation) stay unshaded, rare words get the full shade.
                    if tint is None or weight < MIN_WEIGHT:
                        continue
                    fmt = QTextCharFormat()
                    fmt.setBackground(mix(base, tint, shade_amount(match.kind, weight)))
                    cursor.setPosition(start)
                    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                    cursor.mergeCharFormat(fmt)
        doc.setTextWidth(max(width, 10.0))
        self._docs[key] = doc
        if len(self._docs) > 600:
            self._docs.popitem(last=False)
        return doc

    # -- painting -------------------------------------------------------------------------------
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        unit = index.data(UNIT_ROLE)
        if unit is None:
            super().paint(painter, option, index)
            return
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        base = palette.color(QPalette.ColorRole.Base)
        if selected:
            # A light highlight keeps the word shading readable on the current row; a bar in
            # the selection colour marks it.
            painter.fillRect(
                option.rect, mix(base, palette.color(QPalette.ColorRole.Highlight), 0.22)
            )
            painter.fillRect(
                option.rect.x(),
                option.rect.bottom() - 1,
                option.rect.width(),
                2,
                palette.color(QPalette.ColorRole.Highlight),
            )
        else:
            tint = STATUS_COLOURS.get(unit.status)
            if unit.status != "pending" and tint is not None:
                painter.fillRect(option.rect, mix(base, tint, 0.13))
        if index.column() not in TEXT_COLUMNS:
            plain = QStyleOptionViewItem(option)
            plain.state &= ~QStyle.StateFlag.State_Selected
            super().paint(painter, plain, index)
            return
        doc = self.document(unit, index.column(), option.rect.width(), option.font, palette)
        height = option.rect.height()
        shown, hidden = self.visible_height(doc, height, option.font)
        painter.save()
        painter.translate(option.rect.topLeft())
        clip = QRectF(0, 0, option.rect.width(), shown)
        painter.setClipRect(clip)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette = palette
        ctx.clip = clip
        doc.documentLayout().draw(painter, ctx)
        if hidden:
            # Whole lines only, and under them (never over the text) how many more there are;
            # moving onto the row shows them all.
            painter.setClipping(False)
            small = marker_font(option.font)
            painter.setFont(small)
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(PADDING, shown, option.rect.width() - 2 * PADDING, height - shown),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                f"… {hidden} more line{'s' if hidden > 1 else ''}",
            )
        painter.restore()

    # -- heights --------------------------------------------------------------------------------
    @staticmethod
    def line_extents(doc: QTextDocument) -> list[tuple[float, float]]:
        """(top, bottom) of every laid-out line of ``doc``, in document coordinates."""
        layout = doc.documentLayout()
        out: list[tuple[float, float]] = []
        block = doc.begin()
        while block.isValid():
            top = layout.blockBoundingRect(block).top()
            lines = block.layout()
            for i in range(lines.lineCount()):
                line = lines.lineAt(i)
                out.append((top + line.y(), top + line.y() + line.height()))
            block = block.next()
        return out

    def visible_height(self, doc: QTextDocument, height: float, font: QFont) -> tuple[float, int]:
        """How much of ``doc`` a cell ``height`` pixels tall shows: (the y where the shown text
        ends, the number of lines left out). The text is cut only between lines, leaving room
        for the marker under the last whole line."""
        if doc.size().height() <= height + 0.5:
            return float(height), 0
        lines = self.line_extents(doc)
        room = height - marker_height(font)
        shown = [bottom for _, bottom in lines if bottom <= room]
        if not shown:  # not even one line fits with the marker: the first line, no marker
            first = [bottom for _, bottom in lines if bottom <= height]
            return (first[-1] if first else 0.0), len(lines) - len(first)
        return shown[-1], len(lines) - len(shown)

    def cell_height(self, doc: QTextDocument, font: QFont, max_lines: int | None = None) -> int:
        """Height a cell needs for ``doc``: all of it, or its first ``max_lines`` lines and
        the marker under them."""
        full = ceil(doc.size().height()) + 1
        if max_lines is None:
            return full
        lines = self.line_extents(doc)
        if len(lines) <= max_lines + 1:  # the marker would take about the line it hides
            return full
        return ceil(lines[max_lines - 1][1] + marker_height(font)) + 1

    def min_row_height(self, font: QFont) -> int:
        """One line of text with its padding (and room for the status icon)."""
        return max(QFontMetrics(font).lineSpacing() + 2 * PADDING + 2, 24)

    def row_height(
        self,
        unit: Any,
        widths: dict[int, int],
        font: QFont,
        palette: QPalette,
        max_lines: int | None = None,
    ) -> int:
        """Height of a row whose text columns have ``widths``: its tallest cell, each cell
        capped at ``max_lines`` lines (None: no cap)."""
        heights = [
            self.cell_height(self.document(unit, col, width, font, palette), font, max_lines)
            for col, width in widths.items()
        ]
        return max([self.min_row_height(font), *heights])

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        unit = index.data(UNIT_ROLE)
        if unit is None or index.column() not in TEXT_COLUMNS:
            return super().sizeHint(option, index)
        view = self.parent()
        width = option.rect.width()
        if isinstance(view, QAbstractItemView):
            width = view.columnWidth(index.column())  # type: ignore[attr-defined]
        doc = self.document(unit, index.column(), width, option.font, option.palette)
        return QSize(int(width), self.cell_height(doc, option.font, self.max_lines))

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """Hovering a shaded word shows its best match on the other side."""
        if event.type() != QEvent.Type.ToolTip or index.column() not in TEXT_COLUMNS:
            return super().helpEvent(event, view, option, index)
        unit = index.data(UNIT_ROLE)
        if unit is None or self.explainer is None:
            return super().helpEvent(event, view, option, index)
        pos = self.char_at(unit, index.column(), option, event.pos())
        text = self.tooltip_at(unit, index.column(), pos)
        if text:
            QToolTip.showText(event.globalPos(), text, view)
            return True
        QToolTip.hideText()
        return True

    def char_at(self, unit: Any, column: int, option: QStyleOptionViewItem, pos: QPoint) -> int:
        """Character position in the cell's laid-out text under ``pos`` (view coordinates of
        the cell ``option.rect``), or -1 when the point is not on a character."""
        doc = self.document(unit, column, option.rect.width(), option.font, option.palette)
        local = QPointF(pos - option.rect.topLeft())
        return doc.documentLayout().hitTest(local, Qt.HitTestAccuracy.ExactHit)

    def word_at(self, unit: Any, column: int, option: QStyleOptionViewItem, pos: QPoint) -> str:
        """The word under ``pos`` in a source, MT or target cell ("" if none): the same hit
        test as the hover tooltips, then the run of letters and digits around that character
        (sentence punctuation is not part of a word)."""
        if column not in TEXT_COLUMNS:
            return ""
        text = {COL_SOURCE: unit.source_text, COL_MT: unit.mt_text, COL_TARGET: unit.target_text}[
            column
        ]
        char_pos = self.char_at(unit, column, option, pos) if text else -1
        if char_pos < 0 or char_pos >= len(text) or not _is_word_char(text[char_pos]):
            return ""
        start, end = char_pos, char_pos + 1
        while start > 0 and _is_word_char(text[start - 1]):
            start -= 1
        while end < len(text) and _is_word_char(text[end]):
            end += 1
        return text[start:end]

    def tooltip_at(self, unit: Any, column: int, char_pos: int) -> str:
        """The hover text for the word at ``char_pos`` of a text cell ("" if none)."""
        if self.explainer is None or char_pos < 0 or column not in TEXT_COLUMNS:
            return ""
        side = SIDES[TEXT_COLUMNS.index(column)]
        shades = self.explainer.cells(unit)[TEXT_COLUMNS.index(column)]
        other = {"source": "target", "mt": "target", "target": "translation"}[side]
        weights = self.explainer.context_for(unit).weights.get(side)
        for start, end, match, _weight in shades:
            if start <= char_pos < end:
                describe = weights.describe(match.token) if weights is not None else ""
                return match_tooltip(match, other, describe)
        return ""
