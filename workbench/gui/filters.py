"""The review window's filter bar: document, status, confidence band and order, and the
shading legend."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from workbench.gui.model import UnitFilter
from workbench.review import confidence

if TYPE_CHECKING:
    from workbench.project import Project

ORDERS = (
    ("In document order", "position"),
    ("Least confident first", "confidence"),
    ("Lowest score first", "score"),
    ("Highest score first", "-score"),
)


_SWATCHES = (
    "<span style='background:#8fd19e;color:black'>&nbsp;exact&nbsp;</span> "
    "<span style='background:#f3cf75;color:black'>&nbsp;similar&nbsp;</span>"
)
# The legend from the widest to the narrowest: the longest that fits whole is shown (a cut
# "darker: rarer w" read as nonsense at 900 px and below).
LEGENDS = (
    _SWATCHES + " match · darker: rarer word · F1: keys",
    _SWATCHES + " · darker: rarer · F1: keys",
    _SWATCHES + " · F1: keys",
    _SWATCHES,
    "",
)
LEGEND_TIP = (
    "Words are shaded by their best match on the other side: green the same word, "
    "yellow a similar one (ABLEU's embedding). The rarer a word in the document, the "
    "more its match tells and the darker its shade; words in most sentences (the, de, "
    "la…) stay unshaded. Hover a word to see its match. F1: the keys."
)


class Legend(QLabel):
    """The shading legend: it gives way first on a narrow window, in whole steps (the
    longest of :data:`LEGENDS` that fits), never cut; all of it is in its tooltip."""

    def __init__(self) -> None:
        super().__init__(LEGENDS[0])
        self.setToolTip(LEGEND_TIP)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(0)
        self._widths: dict[str, float] = {}

    def text_width(self, html: str) -> float:
        """How wide ``html`` is drawn in this label's font (cached per text and font)."""
        key = f"{self.font().key()}|{html}"
        if key not in self._widths:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(self.font())
            doc.setHtml(html)
            self._widths[key] = doc.idealWidth()
        return self._widths[key]

    def fit(self, width: int) -> str:
        """The longest legend that fits ``width`` pixels (shown)."""
        room = width - 2 * self.margin() - 2 * self.frameWidth()
        text = next((t for t in LEGENDS if self.text_width(t) <= room), "")
        if text != self.text():
            self.setText(text)
        return text

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.fit(event.size().width())
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # another font: other widths
            self.fit(self.width())
        super().changeEvent(event)


class FilterCombo(QComboBox):
    """A filter's combo box; ``closed`` when its list closes (an item picked, or Escape)."""

    closed = Signal()

    def hidePopup(self) -> None:
        super().hidePopup()
        self.closed.emit()


class FilterBar(QWidget):
    """Five combo boxes that say which units the table shows (``unit_filter``); ``changed``
    when the user picks another item, ``done`` when a combo's list closes (the window gives
    the keys back to the table: Up/Down on a combo still holding the focus changed the
    filter instead of the row). :meth:`choose` opens one from the keyboard (View ▸ Filter)."""

    changed = Signal()
    done = Signal()

    def __init__(self) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.doc_combo = FilterCombo()
        self.doc_combo.setMinimumContentsLength(8)
        self.status_combo = FilterCombo()
        self.status_combo.addItem("All statuses", None)
        for status in ("pending", "accepted", "rejected"):
            self.status_combo.addItem(status.capitalize(), status)
        self.band_combo = FilterCombo()
        self.fill_bands(None)
        # Pairs, or the sentences left unaligned (1–0 / 0–1 units, shown in place; issue 21).
        self.shape_combo = FilterCombo()
        for label, shape in (("All units", None), ("Pairs", "pair"), ("Unaligned", "empty-side")):
            self.shape_combo.addItem(label, shape)
        self.order_combo = FilterCombo()
        for label, order in ORDERS:
            self.order_combo.addItem(label, order)
        for label, combo in (
            ("Document", self.doc_combo),
            ("Status", self.status_combo),
            ("Confidence", self.band_combo),
            ("Pairs or unaligned sentences", self.shape_combo),
            ("Order", self.order_combo),
        ):
            # The items say what they filter ("All statuses"); the label is the tooltip, so
            # that the bar fits a half-screen window.
            combo.setToolTip(label)
            row.addWidget(combo)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(max(combo.minimumContentsLength(), 8))
            combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
            combo.closed.connect(self.done)
        self.order_combo.setMinimumContentsLength(12)
        # "All confidences" was cut to "All confidence" at every window size.
        self.band_combo.setMinimumContentsLength(11)
        self.legend = Legend()
        row.addWidget(self.legend, 1)

    def combos(self) -> tuple[QComboBox, ...]:
        return (
            self.doc_combo,
            self.status_combo,
            self.band_combo,
            self.shape_combo,
            self.order_combo,
        )

    def choose(self, combo: QComboBox) -> None:
        """Open ``combo``'s list from the keyboard: arrows and Return pick an item, Escape
        keeps the filter; either way the keys go back to the table (``done``)."""
        combo.setFocus(Qt.FocusReason.ShortcutFocusReason)
        combo.showPopup()

    def reset(self) -> None:
        """Every combo on its first item (what a project's table shows when opened), without
        emitting ``changed``: the table of a project just opened shows every unit in document
        order, and the combos used to keep saying "Accepted", "Least confident first"…"""
        for combo in self.combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)

    def fill_bands(self, project: Project | None) -> None:
        """The confidence filter: all, the three bands (the project's edges), no confidence;
        the band chosen stays chosen."""
        combo = self.band_combo
        chosen = max(combo.currentIndex(), 0)
        combo.blockSignals(True)
        combo.clear()
        for label, bounds in confidence.band_filters(*confidence.edges(project)):
            combo.addItem(label, bounds)
        combo.setCurrentIndex(chosen if chosen < combo.count() else 0)
        combo.blockSignals(False)

    def fill_documents(self, project: Project | None) -> None:
        """The project's documents (and its band edges); the document chosen stays chosen
        (it became "All documents" while the table still showed that one document). Emits
        ``changed`` only when the chosen document is gone."""
        self.fill_bands(project)
        combo = self.doc_combo
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All documents", None)
        if project is not None:
            for doc in project.documents():
                combo.addItem(doc.name or f"document {doc.id}", doc.id)
        index = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if index < 0:
            self.changed.emit()

    def unit_filter(self) -> UnitFilter:
        return UnitFilter(
            doc_id=self.doc_combo.currentData(),
            status=self.status_combo.currentData(),
            order=self.order_combo.currentData() or "position",
            confidence=tuple(sorted((self.band_combo.currentData() or {}).items())),
            shape=self.shape_combo.currentData(),
        )
