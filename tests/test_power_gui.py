"""Power tools in Qt (pytest-qt, offscreen): remapped keys, bulk dialog with one-step undo, text
fixes reaching the export, the audit view, and re-align from the review window."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from helpers_flood import FLOOD_EN
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.review import keymap
from workbench.textio import Document

TARGET = FLOOD_EN
SOURCE = [
    "강물이 사흘 동안 내린 비로 불어났다.",
    "농부들은 소를 높은 곳으로 옮겼다.",
    "옛 다리는 아침에 통제되었다.",
    "계곡의 학교들은 금요일에 문을 닫았다.",
    "자원봉사자들이 교회 근처에서 모래주머니를 채웠다.",
    "일요일이 되자 물이 빠지기 시작했다.",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    """QSettings in a temporary folder, so tests never read or write the user's keys."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    QSettings("workbench", "workbench").remove("keymap")
    yield
    QSettings("workbench", "workbench").remove("keymap")


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.wbproj") as p:
        p.set_setting("reviewer", "ann")
        d = p.add_document(
            Document(SOURCE), Document(TARGET), name="flood", source_lang="ko", target_lang="en"
        )
        p.set_translation(d, TARGET, "oracle")
        scores = [0.92, 0.31, 0.22, 0.85, 0.74, 0.05]
        units = [
            AlignmentUnit((0,), (0,), scores[0], "dp"),
            AlignmentUnit((1, 2), (1,), scores[1], "dp"),
            AlignmentUnit((3,), (2, 3), scores[2], "dp"),
            AlignmentUnit((4,), (4,), scores[4], "dp"),
            AlignmentUnit((5,), (5,), scores[5], "dp"),
        ]
        p.set_suggestions(d, units, "bleu")
        yield p


def shot(widget, name: str) -> None:
    """With POWER_SCREENSHOTS=1, render the widget to docs/screenshots/<name>.png."""
    if os.environ.get("POWER_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(SCREENSHOTS / f"{name}.png"))


def test_a_remapped_key_triggers_its_action_and_the_old_key_does_not(qtbot):
    from workbench.gui.keymap_dialog import apply_keymap, load_keymap, save_keymap

    host = QWidget()
    qtbot.addWidget(host)
    fired: list[str] = []
    actions = {}
    for cid in ("review.accept", "review.reject", "structure.text_down"):
        action = QAction(cid, host)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False, cid=cid: fired.append(cid))
        host.addAction(action)
        actions[cid] = action
    full = keymap.rebind(keymap.default_keymap(), "review.accept", ["F8"])
    save_keymap(full)
    apply_keymap(actions, load_keymap())  # through QSettings and back
    host.show()
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    QTest.keyClick(host, Qt.Key.Key_F8)
    QTest.keyClick(host, Qt.Key.Key_A)  # the old key does nothing now
    QTest.keyClick(host, Qt.Key.Key_R)
    QTest.keyClick(host, Qt.Key.Key_Return)
    assert fired == ["review.accept", "review.reject", "structure.text_down"]


def test_keymap_dialog_refuses_a_conflict_and_resets(qtbot):
    from workbench.gui.keymap_dialog import KeymapDialog, load_keymap

    store = QSettings("workbench", "workbench")
    dialog = KeymapDialog(store=store)
    qtbot.addWidget(dialog)
    error = dialog.try_bind("review.accept", ["Delete"])
    assert error is not None and "“Reject”" in error
    assert dialog.message.text() == error
    assert dialog.keymap["review.accept"] == ["A"]
    assert dialog.try_bind("review.accept", ["F8"]) is None
    dialog.select_command("review.accept")
    dialog.try_bind("review.accept", ["F8"])
    dialog.try_bind("review.reject", ["Ctrl+Return"])  # taken by the split: refused
    dialog.resize(760, 560)
    dialog.show()
    shot(dialog, "power-keys")
    dialog.accept()
    assert load_keymap(store)["review.accept"] == ["F8"]
    dialog2 = KeymapDialog(store=store)
    qtbot.addWidget(dialog2)
    dialog2.reset_defaults()
    dialog2.accept()
    assert load_keymap(store) == keymap.default_keymap()


def test_bulk_dialog_counts_moves_the_line_and_applies_in_one_undo_step(qtbot, project):
    from workbench.gui.bulk import BulkDialog

    units = project.units(1)
    project.decide(units[3].id, "rejected")
    dialog = BulkDialog(
        project, 1, cursor_unit=units[4].id, visible_units=[u.id for u in units[:2]]
    )
    qtbot.addWidget(dialog)
    dialog.accept_spin.setValue(0.3)
    assert dialog.count_labels["accept_at_least"].text() == "2 pairs"
    assert list(dialog.accept_line.get_xdata()) == [0.3, 0.3]
    dialog.reject_spin.setValue(0.25)
    assert dialog.count_labels["reject_below"].text() == "2 pairs"
    assert dialog.count_labels["accept_above"].text() == "3 pairs"
    assert dialog.count_labels["confirm_page"].text() == "2 pairs"
    dialog.show()
    shot(dialog, "power-bulk")
    before = [(u.id, u.status) for u in project.units(1)]
    dialog.select("accept_at_least")
    assert dialog.apply() == 2
    assert [u.status for u in project.units(1)] == [
        "accepted",
        "accepted",
        "pending",
        "rejected",
        "pending",
    ]
    assert dialog.count_labels["accept_at_least"].text() == "0 pairs"
    assert project.undo()  # ONE step reverts the bulk decision
    assert [(u.id, u.status) for u in project.units(1)] == before
    assert project.undo()  # the next step back is the single rejection
    assert project.units(1)[3].status == "pending"


def test_text_fix_dialog_edit_split_and_export(qtbot, project, tmp_path):
    from workbench.gui.textfix import TextFixDialog

    units = project.units(1)
    project.decide_many([u.id for u in units], "accepted")
    dialog = TextFixDialog(project, units[0], "target")
    qtbot.addWidget(dialog)
    assert dialog.editor.toPlainText() == TARGET[0]
    dialog.editor.setPlainText("The river rose after three days of heavy rain.")
    assert dialog.save()
    out = tmp_path / "out.tsv"
    project.export(out)
    assert out.read_text(encoding="utf-8").splitlines()[0].endswith("three days of heavy rain.")
    assert dialog.original.text() == TARGET[0]  # the imported text is shown
    assert "heavy rain" in dialog.history.text()
    # split at the cursor: both halves stay in the unit, the pair's text is unchanged
    cursor = dialog.editor.textCursor()
    cursor.setPosition(len("The river rose"))
    dialog.editor.setTextCursor(cursor)
    assert dialog.split_at_cursor()
    assert project.target(1).sentences[:2] == ["The river rose", "after three days of heavy rain."]
    assert dialog.sentence_box.count() == 2
    dialog.show()
    shot(dialog, "power-textfix")
    assert project.undo() and project.undo()
    assert project.target(1).sentences == TARGET


def test_search_replace_dialog(qtbot, project):
    from workbench.gui.textfix import SearchReplaceDialog

    found = []
    dialog = SearchReplaceDialog(project, doc_id=1, go_to=found.append)
    qtbot.addWidget(dialog)
    dialog.pattern.setText(r"brid\w+")
    dialog.pane.setCurrentText("target")
    assert dialog.find().id == project.units(1)[2].id and found
    dialog.replacement.setText("footbridge")
    assert dialog.replace(all_units=True) == 1
    assert project.target(1).sentences[2] == "The old footbridge was closed in the morning."
    dialog.pane.setCurrentText("mt")
    assert dialog.replace(all_units=True) == 0 and "source or target" in dialog.message.text()


def test_audit_view_shows_the_summary_and_exports_csv(qtbot, project, tmp_path):
    from workbench.gui.audit import AuditDialog

    units = project.units(1)
    project.decide(units[0].id, "accepted")
    project.decide(units[1].id, "rejected")
    project.decide(units[1].id, "accepted")
    dialog = AuditDialog(project)
    qtbot.addWidget(dialog)
    assert dialog.cell(0, "reviewer") == "ann"
    assert dialog.cell(0, "decided") == "3"
    assert dialog.cell(0, "reversed") == "1"
    assert dialog.cell(0, "accept_ratio") == "67%"
    assert dialog.export_to(tmp_path / "audit.csv") == 1
    assert (tmp_path / "audit.csv").read_text().startswith("reviewer,decided")
    dialog.show()
    shot(dialog, "power-audit")


def test_window_realign_from_here_keeps_decisions_and_keys_reach_the_window(
    qtbot, project, tmp_path
):
    from workbench.gui.power import install_power_tools, window_actions
    from workbench.gui.window import MainWindow

    window = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(window)
    window.set_project(project)
    tools = install_power_tools(window)
    acts = window_actions(window)
    assert acts["review.accept"].shortcuts()[0].toString() == "A"  # Return went to text_down
    assert tools.actions["structure.text_down"].shortcuts()[0].toString() == "Return"
    units = project.units(1)
    project.decide(units[0].id, "accepted")
    project.decide(units[3].id, "accepted")
    window.controller.model.refresh()
    window.controller.go_to_row(1)
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        tools.realign(selection=False)  # on a worker, stored when it is done
    assert done.args == ["finished"]
    assert [(u.source_ids, u.target_ids, u.status) for u in project.units(1)] == [
        ((0,), (0,), "accepted"),
        ((1,), (1,), "pending"),
        ((2,), (2,), "pending"),
        ((3,), (3,), "pending"),
        ((4,), (4,), "accepted"),
        ((5,), (5,), "pending"),
    ]
    assert tools.jump("non_1_1") is False  # every unit is 1-1 now
    window.controller.undo()  # the window's undo stack reverts the re-alignment
    assert project.units(1)[1].source_ids == (1, 2)
    # The window's undo-text lambdas outlive its actions at teardown (its code): keep quiet.
    window.controller.undo_stack.blockSignals(True)


def test_undo_stack_pushes_nothing_when_the_store_records_no_step(qtbot, project):
    """Accepting an accepted unit makes no store step: the window's undo must then still undo
    the step before it (it used to undo that step's predecessor)."""
    from workbench.gui.commands import ReviewUndoStack

    changes = []
    stack = ReviewUndoStack(project, changes.append)
    first, second = (u.id for u in project.units(1)[:2])
    assert stack.perform("Reject", lambda: project.decide(first, "rejected")) == (None, None)
    assert stack.perform("Accept", lambda: project.decide(second, "accepted")) == (None, None)
    assert stack.count() == 2
    # no store step: no command (a refresh is still signalled)
    assert stack.perform("Accept again", lambda: project.decide(second, "accepted")) == (
        None,
        None,
    )
    assert stack.count() == 2 and len(changes) == 3
    stack.undo()  # reverts the acceptance, and only that
    assert project.unit(second).status == "pending"
    assert project.unit(first).status == "rejected"
    stack.undo()
    assert project.unit(first).status == "pending"
    stack.redo()
    stack.redo()
    assert (project.unit(first).status, project.unit(second).status) == ("rejected", "accepted")
    # a refused action pushes nothing either
    _result, error = stack.perform("Bad", lambda: project.decide(first, "maybe"))
    assert error and stack.count() == 2


def test_every_window_shortcut_is_in_the_keymap_and_remappable(qtbot, tmp_path):
    """Every action of the review window that has keys is a keymap command, so a user can
    remap it; a stored remapping reaches the window's own menus (here the spot-check one)."""
    from workbench.gui.keymap_dialog import save_keymap
    from workbench.gui.window import MainWindow

    save_keymap(keymap.rebind(keymap.default_keymap(), "spotcheck.judge", ["F9"]))
    window = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(window)
    mapped = set(window.power_tools.all_actions().values())
    # Escape (close the overlay or the search bar) stays fixed, as in every Qt dialog.
    unmapped = [
        a.text()
        for a in window.findChildren(QAction)
        if a.shortcuts() and a not in mapped and [k.toString() for k in a.shortcuts()] != ["Esc"]
    ]
    assert unmapped == []
    judge = window.spotcheck_tools.actions["judge"]
    assert [k.toString() for k in judge.shortcuts()] == ["F9"]
    assert keymap.conflicts(keymap.default_keymap()) == []
