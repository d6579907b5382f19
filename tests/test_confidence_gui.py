"""The confidence in the review window: column, bands, filter, order, "next low-confidence
unit", and the bulk dialog's expected number of wrong pairs (offscreen Qt)."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt

from workbench.align import AlignmentUnit
from workbench.gui.model import BAND_COLOURS, COL_CONFIDENCE, HEADERS, UnitTableModel
from workbench.review import bulk, confidence, navigation
from workbench.textio import Document

SOURCE = [f"Satz {i}." for i in range(6)]
TARGET = [f"Phrase {i}." for i in range(6)]
# confidence and score of units 0..5 (unit 3 aligned without a confidence)
CONFIDENCES = [0.97, 0.42, 0.75, None, 0.05, 0.92]
SCORES = [0.6, 0.1, 0.3, 0.05, 0.0, 0.5]


@pytest.fixture
def doc(project):
    return add_doc(project)


@pytest.fixture
def win(demo_window):
    """The window showing only a document with confidences."""
    d = add_doc(demo_window.project)
    demo_window._fill_documents()
    demo_window.doc_combo.setCurrentIndex(demo_window.doc_combo.findData(d))
    return demo_window


def add_doc(project):
    doc_id = project.add_document(Document(SOURCE), Document(TARGET))
    project.set_suggestions(
        doc_id,
        [
            AlignmentUnit((i,), (i,), s, "anchor", c)
            for i, (c, s) in enumerate(zip(CONFIDENCES, SCORES, strict=True))
        ],
        "bleu",
    )
    return doc_id


def test_bands_and_percent():
    assert [confidence.band(c) for c in (0.95, 0.9, 0.89, 0.5, 0.49, None)] == [
        "high",
        "high",
        "medium",
        "medium",
        "low",
        None,
    ]
    assert confidence.percent(0.876) == "87 %" and confidence.percent(None) == "–"
    assert confidence.percent(0.4999) == "49 %" and confidence.percent(0.29) == "29 %"
    assert confidence.expected_wrong([0.9, 0.8, 1.0]) == pytest.approx(0.3)
    assert confidence.count_text(3.14) == "3.1" and confidence.count_text(0.036) == "0.04"
    from types import SimpleNamespace

    left = SimpleNamespace(confidence=None, score=None, scorer="", method="unaligned")
    assert confidence.tooltip(left) == (
        "no confidence (a sentence left unaligned around the aligner's pairs); no score"
    )


def test_column_shows_percent_band_and_score_tooltip(qtbot, project, doc):
    model = UnitTableModel(project)
    assert HEADERS[COL_CONFIDENCE] == "Confidence"
    cells = [model.index(r, COL_CONFIDENCE) for r in range(model.rowCount())]
    assert [c.data() for c in cells] == ["97 %", "42 %", "75 %", "–", "5 %", "92 %"]
    brushes = [c.data(Qt.ItemDataRole.BackgroundRole) for c in cells]
    assert [b.color() if b else None for b in brushes] == [
        BAND_COLOURS["high"],
        BAND_COLOURS["low"],
        BAND_COLOURS["medium"],
        None,
        BAND_COLOURS["low"],
        BAND_COLOURS["high"],
    ]
    tip = cells[0].data(Qt.ItemDataRole.ToolTipRole)
    assert "97 %" in tip and "score 0.600 (bleu)" in tip
    assert "no confidence" in cells[3].data(Qt.ItemDataRole.ToolTipRole)
    # the project's band edges are settings
    project.set_setting("confidence_high", 0.95)
    model.set_project(project)
    assert (
        model.index(5, COL_CONFIDENCE).data(Qt.ItemDataRole.BackgroundRole).color()
        == (BAND_COLOURS["medium"])
    )


def test_window_filter_and_least_confident_first(win):
    labels = [win.band_combo.itemText(i) for i in range(win.band_combo.count())]
    assert labels == [
        "All confidences",
        "High (≥ 90 %)",
        "Medium (50–90 %)",
        "Low (< 50 %)",
        "No confidence (–)",
    ]

    def shown():
        return [win.model.unit_at(r).source_ids[0] for r in range(win.model.rowCount())]

    win.band_combo.setCurrentIndex(3)
    assert shown() == [1, 4]
    win.band_combo.setCurrentIndex(4)
    assert shown() == [3]
    win.band_combo.setCurrentIndex(0)
    win.order_combo.setCurrentIndex(win.order_combo.findData("confidence"))
    assert shown() == [4, 1, 2, 5, 0, 3]
    assert "1 units have no confidence" in win.statusBar().currentMessage()
    assert "come last, lowest score first" in win.statusBar().currentMessage()


def test_next_low_confidence_falls_back_to_the_score(project, doc):
    ids = [u.id for u in project.units(doc)]

    def walk(score_threshold):
        seen, at = [], None
        for _ in range(4):
            u = navigation.next_unit(
                project, "low_confidence", at, threshold=0.5, score_threshold=score_threshold
            )
            seen.append(ids.index(u.id))
            at = u.id
        return seen

    assert walk(0.2) == [1, 3, 4, 1]  # unit 3 has no confidence but scores 0.05 < 0.2
    assert walk(None) == [1, 4, 1, 4]
    with pytest.raises(Exception, match="needs a threshold"):
        navigation.next_unit(project, "low_confidence", None)


def test_low_confidence_key_moves_the_cursor(win):
    action = next(
        a
        for a in win.findChildren(type(win.undo_action))
        if a.text().startswith("Next low-confidence")
    )
    action.trigger()
    assert win.controller.current_unit().source_ids == (1,)
    action.trigger()
    assert win.controller.current_unit().source_ids == (3,)  # by its score, and says so
    assert "no confidence" in win.statusBar().currentMessage()


def test_bulk_by_confidence_previews_expected_wrong_pairs(qtbot, project, doc):
    from workbench.gui.bulk import BulkDialog

    assert bulk.basis(project, doc) == "confidence"
    plan = bulk.plan(project, "accept_at_least", doc_id=doc, threshold=0.9, basis="confidence")
    assert len(plan) == 2 and plan.label.startswith("Accept all pending with confidence")
    assert bulk.expected_wrong(project.confidences(doc, status="pending"), 0.9) == (
        2,
        pytest.approx(0.03 + 0.08),
    )
    dialog = BulkDialog(project, doc)
    qtbot.addWidget(dialog)
    assert dialog.accept_spin.suffix() == " %"
    dialog.accept_spin.setValue(70)
    assert dialog.count_labels["accept_at_least"].text() == "3 pairs, ≈ 0.36 wrong"
    assert "about 0.36 of them are expected to be wrong" in dialog.expected.text()
    assert "1 pending units have no confidence" in dialog.basis_note.text()
    dialog.reject_spin.setValue(10)
    assert dialog.count_labels["reject_below"].text() == "1 pairs"
    dialog.select("accept_at_least")
    assert dialog.apply() == 3
    accepted = [u.source_ids[0] for u in project.units(doc, status="accepted")]
    assert accepted == [0, 2, 5]  # unit 3 (no confidence) left alone
    assert project.undo()


def test_bulk_without_confidences_falls_back_to_the_score_and_says_so(qtbot, project):
    from workbench.gui.bulk import BulkDialog

    d = project.add_document(Document(SOURCE), Document(TARGET))
    project.set_suggestions(
        d, [AlignmentUnit((i,), (i,), s, "anchor") for i, s in enumerate(SCORES)], "bleu"
    )
    assert bulk.basis(project, d) == "score"
    dialog = BulkDialog(project, d)
    qtbot.addWidget(dialog)
    assert "the thresholds apply to the score" in dialog.basis_note.text()
    dialog.accept_spin.setValue(0.3)
    assert dialog.count_labels["accept_at_least"].text() == "3 pairs"
    assert dialog.expected.text() == ""
