"""A table model over the project's review units, paged from the store.

Rows are fetched a page at a time with ``Project.units(offset=, limit=)`` and kept in a small
LRU cache keyed by page, so a 100,000-unit project costs one ``count_units`` query up front and
one query per page the view actually shows; nothing loads every row.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap

from workbench.review import confidence as conf

COL_IDS, COL_SOURCE, COL_MT, COL_TARGET, COL_CONFIDENCE, COL_STATUS = range(6)
COL_SCORE = COL_CONFIDENCE  # the column showed the score before confidences existed
HEADERS = ("Unit", "Source", "Machine translation", "Target", "Confidence", "Status")

if TYPE_CHECKING:
    from workbench.project import Project

TEXT_COLUMNS = (COL_SOURCE, COL_MT, COL_TARGET)

UNIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's Unit object

STATUS_COLOURS = {
    "accepted": QColor(46, 160, 67),
    "rejected": QColor(218, 54, 51),
    "pending": QColor(150, 150, 150),
}
# Confidence bands, CAT-tool style; translucent so that they read on light and dark palettes.
BAND_COLOURS = {
    "high": QColor(46, 160, 67, 120),
    "medium": QColor(227, 160, 8, 130),
    "low": QColor(218, 54, 51, 130),
}


@dataclass(frozen=True)
class UnitFilter:
    """Which units the table shows and in which order (arguments of ``Project.units``)."""

    doc_id: int | None = None
    status: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    order: str = "position"
    # confidence bounds of Project.units (min_confidence, below_confidence, has_confidence)
    confidence: tuple[tuple[str, Any], ...] = ()
    shape: str | None = None  # a Project.units shape: "pair", "empty-side" (unaligned)...

    def query(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "status": self.status,
            "min_score": self.min_score,
            "max_score": self.max_score,
            "shape": self.shape,
            **dict(self.confidence),
        }


def unit_shape(unit: Any) -> str:
    """``1-1``, ``2-1``, ``1-0``... from the unit's sentence ids."""
    return f"{len(unit.source_ids)}-{len(unit.target_ids)}"


def _status_icon(status: str) -> QIcon:
    """A small drawn icon (no image files to ship): ✓ in green, ✗ in red, a grey dot."""
    size = 16
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = STATUS_COLOURS[status]
    p.setBrush(colour)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawEllipse(1, 1, size - 2, size - 2)
    pen = QPen(QColor("white"), 2.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    if status == "accepted":
        p.drawLine(4, 8, 7, 11)
        p.drawLine(7, 11, 12, 5)
    elif status == "rejected":
        p.drawLine(5, 5, 11, 11)
        p.drawLine(11, 5, 5, 11)
    else:
        p.drawLine(5, 8, 11, 8)
    p.end()
    return QIcon(pix)


class UnitTableModel(QAbstractTableModel):
    """Review units of a project as rows; columns source, MT, target, confidence and status."""

    def __init__(
        self, project: Project | None = None, page_size: int = 200, max_pages: int = 12
    ) -> None:
        super().__init__()
        self.project = project
        self.page_size = page_size
        self.max_pages = max_pages
        self.filter = UnitFilter()
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._count = 0
        self.page_loads = 0  # how many store queries the model made (benchmarks, tests)
        self._icons: dict[str, QIcon] = {}
        self.bands = conf.edges(project)  # (low, high) edges of the confidence bands
        self._recount()

    # -- store access ---------------------------------------------------------------------------
    def set_project(self, project: Project) -> None:
        self.beginResetModel()
        self.project = project
        self.filter = UnitFilter()
        self.bands = conf.edges(project)
        self._pages.clear()
        self._recount()
        self.endResetModel()

    def set_filter(self, unit_filter: UnitFilter) -> None:
        self.beginResetModel()
        self.filter = unit_filter
        self._pages.clear()
        self._recount()
        self.endResetModel()

    def _recount(self) -> None:
        self._count = self.project.count_units(**self.filter.query()) if self.project else 0

    def refresh(self) -> None:
        """Re-read after the store changed: a reset when rows came or went, otherwise only the
        cached pages are dropped and the visible cells repainted."""
        old = self._count
        self._pages.clear()
        self._recount()
        if self._count != old:
            self.beginResetModel()
            self.endResetModel()
        elif self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, len(HEADERS) - 1))

    def unit_at(self, row: int) -> Any | None:
        if row < 0 or row >= self._count or self.project is None:
            return None
        page_no = row // self.page_size
        page = self._pages.get(page_no)
        if page is None:
            page = self.project.units(
                **self.filter.query(),
                offset=page_no * self.page_size,
                limit=self.page_size,
                order=self.filter.order,
            )
            self.page_loads += 1
            self._pages[page_no] = page
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        k = row - page_no * self.page_size
        return page[k] if k < len(page) else None

    def row_of_unit(self, unit_id: int, hint: int = 0) -> int:
        """Row of a unit id: cached pages first (near ``hint``), then a scan; -1 if not shown."""
        for page_no, page in self._pages.items():
            for k, unit in enumerate(page):
                if unit.id == unit_id:
                    return page_no * self.page_size + k
        return self.find_row(lambda u: u.id == unit_id, max(0, hint - self.page_size), wrap=True)

    def find_row(self, predicate: Any, start: int, step: int = 1, wrap: bool = False) -> int:
        """First row from ``start`` (inclusive) in direction ``step`` whose unit satisfies
        ``predicate``; -1 when none. Pages through the store, so it works on any size."""
        n = self._count
        if not n:
            return -1
        rows = range(start, n) if step > 0 else range(start, -1, -1)
        for row in rows:
            unit = self.unit_at(row)
            if unit is not None and predicate(unit):
                return row
        if wrap:
            rows = range(0, min(start, n)) if step > 0 else range(n - 1, start, -1)
            for row in rows:
                unit = self.unit_at(row)
                if unit is not None and predicate(unit):
                    return row
        return -1

    # -- Qt model interface ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.ToolTipRole and horizontal:
            return HEADERS[section]  # the header's whole name where it is elided
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if horizontal:
            return HEADERS[section]
        return str(section + 1)

    def _icon(self, status: str) -> QIcon:
        icon = self._icons.get(status)
        if icon is None:
            icon = self._icons[status] = _status_icon(status)
        return icon

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        unit = self.unit_at(index.row())
        if unit is None:
            return None
        col = index.column()
        if role == UNIT_ROLE:
            return unit
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_IDS:
                return ("★ " if unit.bookmark else "") + unit_shape(unit)
            if col == COL_SOURCE:
                return unit.source_text
            if col == COL_MT:
                return unit.mt_text or ""
            if col == COL_TARGET:
                return unit.target_text
            if col == COL_CONFIDENCE:
                return conf.percent(unit.confidence)
            if col == COL_STATUS:
                return unit.status
        if role == Qt.ItemDataRole.BackgroundRole and col == COL_CONFIDENCE:
            band = conf.band(unit.confidence, *self.bands)
            return None if band is None else QBrush(BAND_COLOURS[band])
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_CONFIDENCE:
            return conf.tooltip(unit)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return self._icon(unit.status if unit.status in STATUS_COLOURS else "pending")
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_IDS:
            # Sentences counted from 1, as the rows and the Fix-text dialog count them.
            src = ",".join(str(i + 1) for i in unit.source_ids)
            tgt = ",".join(str(i + 1) for i in unit.target_ids)
            note = (
                f"\nbookmark: {unit.bookmark_note}" if unit.bookmark and unit.bookmark_note else ""
            )
            # The store's edited flag, shown: re-aligning keeps this unit as it is.
            kept = "; your edit: kept when re-aligned" if unit.edited else ""
            return f"source [{src}] : target [{tgt}]; {unit.method or 'no method'}{kept}{note}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_CONFIDENCE, COL_IDS):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
