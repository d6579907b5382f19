"""Issue 10's window parts: bulk decisions with undo, text fixes, navigation and bookmarks,
remappable keys with conflicts refused, the audit summary."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from workbench.gui.tools import (
    AuditDialog,
    BulkDecisionDialog,
    EditSentenceDialog,
    bulk_unit_ids,
    shortcut_conflicts,
)
from workbench.gui.window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def private_qsettings(tmp_path):
    QSettings.setPath(
        QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "cfg")
    )
    yield


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.open_demo()
    win.view.setFocus()
    yield win
    win.close()


def key(win, k, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(win.view, k, modifier)


def test_bulk_accept_is_one_undo_step(window):
    project = window.project
    scored = [u for u in project.units() if u.score is not None]
    expected = sorted(u.id for u in scored if u.score >= 0.5)
    ids = bulk_unit_ids(project, "accept_at_least", 0.5)
    assert sorted(ids) == expected and ids
    below = bulk_unit_ids(project, "reject_below", 0.5)
    assert sorted(below) == sorted(u.id for u in scored if u.score < 0.5)
    dialog = BulkDecisionDialog(project, None, None, window.visible_unit_ids(), window)
    assert int(dialog.histogram.counts.sum()) == len(scored)
    assert dialog.unit_ids() == ids
    assert f": {len(ids)}" in dialog.preview.text()
    window.controller.decide_many(dialog.unit_ids(), dialog.chosen().status, dialog.chosen().label)
    assert project.stats().accepted == len(ids)
    key(window, Qt.Key.Key_Z, CTRL)
    assert project.stats().accepted == 0 and project.stats().pending == len(project.units())
    key(window, Qt.Key.Key_Y, CTRL)
    assert project.stats().accepted == len(ids)


def test_accept_above_cursor_and_this_page(window):
    project = window.project
    window.controller.go_to_row(4)
    unit = window.controller.current_unit()
    above = bulk_unit_ids(project, "accept_above_cursor", 0, cursor_position=unit.position)
    assert above == [u.id for u in project.units()[:4]]
    page = window.visible_unit_ids()
    first_row = window.view.rowAt(0)
    assert 5 <= len(page) <= 20
    assert page == [u.id for u in project.units()[first_row : first_row + len(page)]]
    assert bulk_unit_ids(project, "confirm_page", 0, page_ids=page) == page


def test_text_fix_reaches_the_export(window, qtbot):
    project = window.project
    window.controller.go_to_row(0)
    unit = window.controller.current_unit()
    dialog = EditSentenceDialog(project, unit, window)
    dialog.select("target", unit.target_ids[0])
    dialog.editor.setPlainText("Busan  launched its first hydrogen ferry.\n")
    side, sid, text = dialog.edit()
    window.controller.edit_sentence(unit.doc_id, side, sid, text)
    pairs = list(project.export_pairs(accepted_only=False))
    assert pairs[0].target == "Busan launched its first hydrogen ferry."
    assert (
        window.controller.current_unit().target_text == "Busan launched its first hydrogen ferry."
    )
    key(window, Qt.Key.Key_Z, CTRL)
    first = next(iter(project.export_pairs(accepted_only=False)))
    assert first.target.startswith("Busan has begun")


def test_navigation_and_bookmarks(window):
    project = window.project
    units = project.units()
    window.controller.go_to_row(0)
    key(window, Qt.Key.Key_U)  # next non-1-1: the 1-2 unit
    assert (
        len(units[window.controller.current_row()].source_ids),
        len(units[window.controller.current_row()].target_ids),
    ) == (1, 2)
    key(window, Qt.Key.Key_E)  # next empty side: the untranslated line
    current = window.controller.current_unit()
    assert not current.target_ids
    key(window, Qt.Key.Key_B)  # bookmark it
    assert project.unit(current.id).bookmark
    window.controller.go_to_row(0)
    key(window, Qt.Key.Key_G)
    assert window.controller.current_unit().id == current.id
    assert window.model.data(window.model.index(window.controller.current_row(), 0)).startswith("★")
    window.controller.go_to_row(0)
    key(window, Qt.Key.Key_L)  # next low-score unit (< 0.3)
    low = window.controller.current_unit()
    assert low.score is not None and low.score < 0.3


def test_remapped_key_works_and_a_conflict_is_refused(window, qtbot):
    assert window.apply_shortcuts({"accept": ["X"]}) is None
    window.controller.go_to_row(0)
    first = window.controller.current_unit().id
    key(window, Qt.Key.Key_X)
    assert window.project.unit(first).status == "accepted"
    key(window, Qt.Key.Key_A)  # A is no longer bound
    assert window.project.stats().accepted == 1
    error = window.apply_shortcuts({"reject": ["X"]})
    assert error and "X" in error and "Accept" in error
    assert window.actions["reject"].shortcuts()[0].toString() == "R"
    assert shortcut_conflicts({"a": ["Ctrl+K"], "b": ["ctrl+k"]})
    # the remap survives a restart
    other = MainWindow(data_dir=window.data_dir)
    qtbot.addWidget(other)
    assert [k.toString() for k in other.actions["accept"].shortcuts()] == ["X"]
    other.close()


def test_audit_summary_dialog_shows_the_store_figures(window):
    project = window.project
    window.apply_settings(dict(window.settings, reviewer="mina"))
    window.controller.go_to_row(0)
    for k in (Qt.Key.Key_A, Qt.Key.Key_A, Qt.Key.Key_R):
        key(window, k)
    frame = project.audit_summary()
    dialog = AuditDialog(project, window)
    assert dialog.table.rowCount() == len(frame) >= 1
    headers = [
        dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
    ]
    assert headers == [str(c) for c in frame.columns]
    texts = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert "mina" in texts
