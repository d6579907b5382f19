"""Findings of the eighth curator walkthrough of the review window (docs/review-window.md,
"Curator walkthrough (eighth session)"): each test fails without its fix."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from helpers_flood import FLOOD_EN
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.textio import Document

TARGET = FLOOD_EN
SOURCE = [f"Quelle {i}: {t}" for i, t in enumerate(TARGET)]
CTRL = Qt.KeyboardModifier.ControlModifier


pytestmark = pytest.mark.usefixtures("private_qsettings")


def _suggest(project: Project, doc: int, n: int) -> None:
    project.set_suggestions(doc, [AlignmentUnit((i,), (i,), 0.5, "dp") for i in range(n)], "bleu")


@pytest.fixture
def window(main_window, tmp_path):
    """Two documents of six sentences each, one 1–1 suggestion per sentence."""
    project = Project.create(tmp_path / "p.wbproj")
    for name in ("one", "two"):
        doc = project.add_document(Document(SOURCE), Document(TARGET), name=name)
        project.set_translation(doc, TARGET, "oracle")
        _suggest(project, doc, len(SOURCE))
    w = main_window
    w.set_project(project)
    w.view.setFocus()
    yield w
    w.controller.undo_stack.blockSignals(True)
    w.close()
    project.close()


def _status(project: Project, doc: int, k: int) -> str:
    return project.units(doc)[k].status


def _row_of(window, doc: int, k: int) -> int:
    unit = window.project.units(doc)[k]
    return window.model.find_row(lambda u: u.id == unit.id, 0)


def _press(window, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(window.view, key, modifiers)


# -- 1. a background alignment cleared the whole Ctrl+Z history of the window -----------------
def test_undo_on_other_documents_survives_a_background_alignment(window, qtbot):
    project, c = window.project, window.controller
    c.go_to_row(_row_of(window, 2, 0))
    _press(window, Qt.Key.Key_A)  # document 2, unit 1: accepted
    c.go_to_row(_row_of(window, 1, 1))
    _press(window, Qt.Key.Key_R)  # document 1, unit 2: rejected (re-aligned below)
    c.go_to_row(_row_of(window, 2, 2))
    _press(window, Qt.Key.Key_A)  # document 2, unit 3: accepted ...
    _press(window, Qt.Key.Key_Z, CTRL)  # ... and undone: redoable
    assert _status(project, 2, 2) == "pending"
    assert window.controller.undo_stack.count() == 3
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        assert window.align_document(1)
    assert done.args == ["finished"]
    # The rejection on the re-aligned document is kept, its undo step is not (the store
    # dropped it); the window says so instead of emptying Ctrl+Z without a word.
    assert [u.status for u in project.units(1)].count("rejected") == 1
    message = window.statusBar().currentMessage()
    assert "1 undo step can no longer be undone" in message, message
    stack = window.controller.undo_stack
    assert stack.count() == 2 and stack.canUndo() and stack.canRedo()  # was 0, 0, 0
    assert window.undo_action.text() == "&Undo Accept unit 7"  # the table row
    _press(window, Qt.Key.Key_Y, CTRL)  # redo: document 2's unit 3 accepted again
    assert _status(project, 2, 2) == "accepted"
    _press(window, Qt.Key.Key_Z, CTRL)
    _press(window, Qt.Key.Key_Z, CTRL)
    assert _status(project, 2, 0) == _status(project, 2, 2) == "pending"
    assert [u.status for u in project.units(1)].count("rejected") == 1  # not undone
    assert not stack.canUndo()
    _press(window, Qt.Key.Key_Z, CTRL)
    assert window.statusBar().currentMessage() == "nothing to undo"
    assert [u.status for u in project.units(1)].count("rejected") == 1


def test_an_alignment_that_forgets_nothing_of_the_stack_keeps_it_whole(window, qtbot):
    project, c = window.project, window.controller
    c.go_to_row(_row_of(window, 2, 0))
    c.accept()
    with qtbot.waitSignal(window.task_done, timeout=60000):
        assert window.align_document(1)
    assert window.statusBar().currentMessage() == "aligning: done"
    assert window.controller.undo_stack.count() == 1
    c.undo()
    assert _status(project, 2, 0) == "pending"


def test_a_stack_that_no_longer_matches_the_store_is_dropped_whole(window):
    # Steps made outside the window (here: straight on the store) would make Ctrl+Z name
    # one step and undo another: then nothing is kept.
    project, c = window.project, window.controller
    c.go_to_row(_row_of(window, 2, 0))
    c.accept()
    c.go_to_row(_row_of(window, 1, 0))
    c.accept()
    project.decide(project.units(2)[4].id, "rejected")  # not through the window
    _suggest(project, 1, len(SOURCE))  # forgets document 1's steps
    assert window.controller.undo_stack.keep_surviving() == 2
    assert window.controller.undo_stack.count() == 0


# -- 2. sentences were counted from 0 in the Fix-text dialog, from 1 in the table -------------
def test_fix_text_dialog_counts_sentences_from_one(window):
    from workbench.gui.model import COL_IDS
    from workbench.gui.textfix import TextFixDialog

    project, c = window.project, window.controller
    c.go_to_row(0)
    c.merge_with_next()  # row 1: source and target sentences 1 and 2
    unit = c.current_unit()
    tip = window.model.index(0, COL_IDS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("source [1,2] : target [1,2]"), tip  # was [0,1]
    dialog = TextFixDialog(project, unit, "source", perform=c.undo_stack.perform, parent=window)
    items = [dialog.sentence_box.itemText(k) for k in range(dialog.sentence_box.count())]
    assert items == ["source sentence 1", "source sentence 2"]  # was 0, 1
    dialog.editor.setPlainText(SOURCE[0] + " !")
    assert dialog.save()
    assert window.undo_action.text() == "&Undo Fix source sentence 1"
    dialog.sentence_box.setCurrentIndex(1)
    assert dialog.join_next()  # sentences 2 and 3 (the next unit's)
    assert window.undo_action.text() == "&Undo Join source sentences 2 and 3"
    dialog.close()
    # The store's refusals came with its own count (from 0): the dialog says them in its own.
    last = TextFixDialog(project, project.units(1)[-1], "source", parent=window)
    n = len(project.source(1).sentences)
    assert not last.join_next()
    assert last.message.text() == f"source sentence {n} is the document's last; nothing to join"
    last.close()


def test_store_messages_name_the_units_row(window):
    c = window.controller
    c.go_to_row(0)
    _press(window, Qt.Key.Key_M)  # one row fewer: the store ids no longer follow the rows
    c.go_to_row(len(SOURCE) - 2)  # the first document's last unit, row 5
    assert c.current_unit().id == len(SOURCE)  # its store id
    _press(window, Qt.Key.Key_M)
    message = window.statusBar().currentMessage()
    assert message == f"unit {len(SOURCE) - 1} is the last of its document; nothing follows"


# -- 3. the legend was cut ("darker: rarer w") at 900 px and below ----------------------------
def _drawn_width(label, html: str) -> float:
    from PySide6.QtGui import QTextDocument

    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setDefaultFont(label.font())
    doc.setHtml(html)
    return doc.idealWidth()


def test_legend_is_shown_whole_or_in_a_shorter_form(window, qtbot):
    legend = window.filter_bar.legend
    shown = {}
    for width in (1280, 1024, 900, 800, 640):
        window.resize(width, 480)
        QTest.qWait(0)
        assert _drawn_width(legend, legend.text()) <= legend.contentsRect().width(), width
        shown[width] = legend.text()
    assert "darker: rarer word" in shown[1280]
    assert "exact" in shown[900] and "F1" in shown[900]  # still says what the colours are
    assert "F1" in legend.toolTip() and "rarer" in legend.toolTip()


# -- walkthrough: the filters could not be reached from the keyboard --------------------------
def test_filters_from_the_keyboard_give_the_keys_back_to_the_table(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    window.view.setFocus()
    combo = window.filter_bar.shape_combo
    _press(window, Qt.Key.Key_4, CTRL)  # View ▸ Filter: unaligned…
    popup = combo.view()
    qtbot.waitUntil(lambda: popup.isVisible())
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert combo.currentText() == "Unaligned"
    assert window.model.filter.shape == "empty-side"
    # The table has the keys again: Down moves the cursor, it does not change the filter
    # (the combo kept the focus after a pick, mouse or keyboard).
    qtbot.waitUntil(lambda: window.view.hasFocus())
    combo.setCurrentIndex(0)  # every unit again, picked as a mouse would
    combo.showPopup()
    combo.hidePopup()
    assert window.view.hasFocus()
    row = window.controller.current_row()
    _press(window, Qt.Key.Key_Down)
    assert combo.currentText() == "All units" and window.controller.current_row() == row + 1
    keys = {a.text().replace("&", ""): a.shortcut().toString() for a in window.filter_actions}
    assert keys["Filter: status…"] == "Ctrl+2" and keys["Filter: confidence…"] == "Ctrl+3"
    assert "Ctrl+3" in window.help_overlay.label.text()


# -- walkthrough: a merge reset a decision with no word but the Status column ---------------
def test_a_structural_edit_that_resets_a_decision_says_so(window):
    project, c = window.project, window.controller
    c.go_to_row(0)
    _press(window, Qt.Key.Key_A)  # row 1 accepted, the cursor on row 2
    _press(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # its sentence into row 1
    assert project.units(1)[0].status == "pending"
    assert window.statusBar().currentMessage() == (
        "a decided unit is pending again: its sentences changed (Ctrl+Z takes it back)"
    )
    _press(window, Qt.Key.Key_Z, CTRL)
    assert project.units(1)[0].status == "accepted"
    c.go_to_row(3)
    window.statusBar().clearMessage()
    _press(window, Qt.Key.Key_M)  # two pending units: nothing to say
    assert window.statusBar().currentMessage() == ""


# -- walkthrough: no export from the window (close it and use the command line) --------------
def test_export_from_the_window_writes_what_the_command_line_writes(window, tmp_path):
    from workbench.cli import main

    project, c = window.project, window.controller
    out = tmp_path / "window.tsv"
    assert not window.export_pairs(out)  # nothing accepted yet: said, nothing written
    assert "no pairs to export" in window.last_error.text() and not out.exists()
    for row in (0, 2, 7):
        c.go_to_row(row)
        c.accept()
    assert window.export_pairs(out)
    assert window.statusBar().currentMessage() == f"3 accepted pairs written to {out}"
    cli = tmp_path / "cli.tsv"
    assert main(["project", "export", str(project.path), str(cli)]) == 0
    assert out.read_bytes() == cli.read_bytes()
    # Moses needs the languages (these documents have none): asked (tests/
    # test_spotcheck_walkthrough.py); the same code given twice is refused, nothing written
    assert not window.export_pairs(tmp_path / "m", "moses", ("de", "de"))
    assert "two different language codes" in window.last_error.text()
    assert not list(tmp_path.glob("m*"))
    keys = {a.text().replace("&", ""): a.shortcut().toString() for a in window.actions()}
    assert keys["Export pairs…"] == "Ctrl+E"


# -- walkthrough: "59 units have no confidence (aligned before confidences were stored…;
#    re-align to estimate)" on a fresh alignment: they were its unaligned sentences ----------
def test_the_no_confidence_note_gives_the_true_reason_and_follows_the_shape_filter(window):
    project = window.project
    project.set_suggestions(
        1,
        [
            AlignmentUnit((0,), (0,), 0.9, "dp", 0.95),
            AlignmentUnit((1,), (), None, "unaligned"),
            AlignmentUnit((), (1,), None, "unaligned"),
            *(AlignmentUnit((i,), (i,), 0.5, "dp", 0.3) for i in range(2, len(SOURCE))),
        ],
        "bleu",
    )
    window.after_alignment()
    bar = window.filter_bar
    bar.doc_combo.setCurrentIndex(bar.doc_combo.findData(1))
    bar.band_combo.setCurrentIndex(3)  # Low (< 50 %)
    message = window.statusBar().currentMessage()
    assert message == (
        "2 units have no confidence (left unaligned) and are in no band: filter “No confidence”"
    )  # was "(aligned before confidences were stored, or edited by hand; re-align to estimate)"
    window.controller.go_to_row(0)
    window.controller.merge_with_next()  # a low unit merged: the curator's, no confidence
    bar.band_combo.setCurrentIndex(2)
    assert (
        "3 units have no confidence (2 left unaligned, 1 edited by hand)"
        in window.statusBar().currentMessage()
    )
    window.statusBar().clearMessage()
    bar.shape_combo.setCurrentIndex(bar.shape_combo.findData("pair"))  # only pairs shown
    assert "left unaligned" not in window.statusBar().currentMessage()


# -- walkthrough: a narrow window cut the MT column's header mid-letter ("translatior") -------
def test_a_narrow_header_is_elided_and_named_whole_in_its_tooltip(window):
    from workbench.gui.model import COL_MT

    header = window.view.horizontalHeader()
    assert header.textElideMode() == Qt.TextElideMode.ElideRight
    tip = window.model.headerData(COL_MT, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert tip == "Machine translation"


def test_power_return_on_a_decided_unit_says_it_became_pending(window):
    c = window.controller
    c.go_to_row(0)
    c.merge_with_next()  # a 2–2 unit
    c.accept()
    c.go_to_row(0)
    _press(window, Qt.Key.Key_Return)  # Power ▸ Move text down: the source starts a unit below
    assert window.project.units(1)[0].status == "pending"
    assert "a decided unit is pending again" in window.statusBar().currentMessage()
