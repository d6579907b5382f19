"""The review window driven from the keyboard over a real project store (offscreen Qt)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from workbench.align import AlignmentUnit
from workbench.gui.demo import create_demo_project, demo_dir
from workbench.gui.model import COL_MT, COL_TARGET, UnitFilter, UnitTableModel
from workbench.project import Project
from workbench.textio import Document

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _private_settings(private_qsettings):
    """Recent projects and settings of the tests stay out of the user's configuration."""


@pytest.fixture
def window(demo_window):
    return demo_window


def key(win, k, modifier=Qt.KeyboardModifier.NoModifier):
    QTest.keyClick(win.view, k, modifier)


def shapes(project):
    return [(u.source_ids, u.target_ids) for u in project.units()]


def test_demo_comes_from_the_checkout_and_has_every_unit_shape(tmp_path):
    assert demo_dir() == REPO / "resources" / "demo"
    project = create_demo_project(tmp_path / "demo.wbproj")
    try:
        units = project.units()
        kinds = {(len(u.source_ids), len(u.target_ids)) for u in units}
        assert {(1, 1), (1, 2), (2, 1), (1, 0), (0, 1)} <= kinds
        assert all(u.mt_text for u in units if u.source_ids)
        assert project.stats().pending == len(units)
    finally:
        project.close()


def test_review_a_document_from_the_keyboard(window):
    project = window.project
    units = project.units()
    assert window.controller.current_row() == 0
    key(window, Qt.Key.Key_A)  # accept unit 0, cursor moves on
    key(window, Qt.Key.Key_R)  # reject unit 1
    key(window, Qt.Key.Key_Space)  # skip unit 2
    key(window, Qt.Key.Key_A)  # accept unit 3
    key(window, Qt.Key.Key_K)  # back to unit 3
    key(window, Qt.Key.Key_Delete)  # and reject it instead
    status = {u.id: u.status for u in project.units()}
    assert status[units[0].id] == "accepted"
    assert status[units[1].id] == "rejected"
    assert status[units[2].id] == "pending"
    assert status[units[3].id] == "rejected"
    assert window.controller.current_row() == 4
    key(window, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    key(window, Qt.Key.Key_N)  # next pending from the top is unit 2
    assert window.controller.current_row() == 2
    stats = project.stats()
    assert (stats.accepted, stats.rejected) == (1, 2)
    assert "1 accepted" in window.stats_label.text() and "2 rejected" in window.stats_label.text()


def test_merge_split_undo_redo_reach_the_store(window):
    project = window.project
    before = shapes(project)
    window.controller.go_to_row(0)
    key(window, Qt.Key.Key_M)  # merge units 0 and 1
    after_merge = shapes(project)
    assert after_merge[0] == ((0, 1), (0, 1)) and len(after_merge) == len(before) - 1
    key(window, Qt.Key.Key_S)  # split it again: first halves of both sides stay
    assert shapes(project)[:2] == [((0,), (0,)), ((1,), (1,))]
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the split
    assert shapes(project) == after_merge
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the merge
    assert shapes(project) == before
    key(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo the merge
    assert shapes(project) == after_merge
    assert window.model.rowCount() == len(after_merge)
    # a decision is undone the same way, and the stack agrees with the store
    window.controller.go_to_row(3)
    key(window, Qt.Key.Key_A)
    assert project.units()[3].status == "accepted"
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.units()[3].status == "pending"
    assert window.controller.undo_stack.count() == 2


def test_move_sentences_between_units(window):
    project = window.project
    window.controller.go_to_row(1)
    key(window, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # source 1 joins unit 0
    assert shapes(project)[0] == ((0, 1), (0,))
    assert shapes(project)[1] == ((), (1,))
    key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert shapes(project)[:2] == [((0,), (0,)), ((1,), (1,))]
    window.controller.go_to_row(0)
    key(
        window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert shapes(project)[:2] == [((0,), ()), ((1,), (0, 1))]


def test_refused_edit_is_a_message_not_an_exception(window):
    window.controller.go_to_row(window.model.rowCount() - 1)
    key(window, Qt.Key.Key_M)  # nothing follows the last unit
    assert "last" in window.statusBar().currentMessage()
    assert window.controller.undo_stack.count() == 0


def test_search_filter_and_help(window, qtbot):
    key(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_bar.isVisible()
    assert window.search_edit.hasFocus()
    qtbot.keyClicks(window.search_edit, "Norway")
    QTest.keyClick(window.search_edit, Qt.Key.Key_Return)
    unit = window.controller.current_unit()
    assert "Norway" in unit.target_text and not unit.source_ids  # the extra paragraph: 0-1
    qtbot.keyClicks(window.search_edit, "")
    window.search_edit.setText("해운대")
    window.search_pane.setCurrentIndex(1)  # source only
    QTest.keyClick(window.search_edit, Qt.Key.Key_Return)
    assert "해운대" in window.controller.current_unit().source_text
    QTest.keyClick(window.search_edit, Qt.Key.Key_Escape)
    assert not window.search_bar.isVisible()
    # filter: only rejected units after rejecting two
    window.controller.go_to_row(0)
    key(window, Qt.Key.Key_R)
    key(window, Qt.Key.Key_R)
    window.status_combo.setCurrentIndex(window.status_combo.findData("rejected"))
    assert window.model.rowCount() == 2
    window.status_combo.setCurrentIndex(window.status_combo.findData("pending"))
    n = window.model.rowCount()
    key(window, Qt.Key.Key_A)  # the accepted row leaves the pending view
    assert window.model.rowCount() == n - 1
    key(window, Qt.Key.Key_F1)
    assert window.help_overlay.isVisible()
    assert "Merge with next unit" in window.help_overlay.label.text()
    key(window, Qt.Key.Key_Escape)
    assert not window.help_overlay.isVisible()


def test_unaligned_filter_shows_only_the_sentences_left_alone(window):
    """Issue 21: the sentences left unaligned are rows of their own (1–0 / 0–1 units in
    place), one filter shows only them, another only the pairs; the yield counts pairs."""
    project = window.project
    one_sided = [u.id for u in project.units() if not (u.source_ids and u.target_ids)]
    assert one_sided  # the demo has 1–0 and 0–1 units
    window.shape_combo.setCurrentIndex(window.shape_combo.findData("empty-side"))
    shown = [window.model.unit_at(r).id for r in range(window.model.rowCount())]
    assert shown == one_sided
    window.shape_combo.setCurrentIndex(window.shape_combo.findData("pair"))
    rows = [window.model.unit_at(r) for r in range(window.model.rowCount())]
    assert rows and all(u.source_ids and u.target_ids for u in rows)
    assert len(rows) == project.count_units() - len(one_sided)
    window.shape_combo.setCurrentIndex(0)
    assert window.model.rowCount() == project.count_units()


def test_word_shading_tooltips(window):
    unit = window.project.units()[0]
    delegate = window.delegate
    mt_spans, tgt_spans = delegate.explainer.spans(unit)
    assert any(m.kind == "exact" for _, _, m in mt_spans)
    start, _, _ = next(s for s in tgt_spans if s[2].kind == "exact")
    assert "exact match" in delegate.tooltip_at(unit, COL_TARGET, start)
    start, _, _ = next(s for s in mt_spans if s[2].kind == "none")
    assert "no match" in delegate.tooltip_at(unit, COL_MT, start)


def test_background_align_and_failure_message(window, qtbot, tmp_path):
    project = window.project
    doc_id = project.documents()[0].id
    window.controller.go_to_row(0)
    key(window, Qt.Key.Key_A)
    with qtbot.waitSignal(window.task_done, timeout=20000) as done:
        assert window.align_document(doc_id)
    assert done.args == ["finished"]
    assert project.count_units() >= 27
    # A model folder that does not exist fails on the worker and shows a message box.
    with qtbot.waitSignal(window.task_done, timeout=20000) as done:
        assert window.translate_with_model(tmp_path / "no-such-model")
    assert done.args == ["failed"]
    assert window.last_error.isVisible() and "no-such-model" in window.last_error.text()
    window.last_error.close()
    assert not window.progress.isVisible()


def test_translate_with_a_file_translator(window, qtbot):
    project = window.project
    with qtbot.waitSignal(window.task_done, timeout=20000) as done:
        assert window.translate_with_model(demo_dir() / "mt.en.txt")
    assert done.args == ["finished"]
    doc_id = project.documents()[0].id
    assert project.translation(doc_id).sentences[0].startswith("Busan City")


def test_drop_two_text_files_adds_a_document(window, qtbot, tmp_path):
    src, tgt = tmp_path / "a.de", tmp_path / "a.fr"
    src.write_text("Guten Tag.\nWie geht es?\n", encoding="utf-8")
    tgt.write_text("Bonjour.\nComment ça va ?\n", encoding="utf-8")
    with qtbot.waitSignal(window.task_done, timeout=20000):
        window.open_dropped([src, tgt])
    names = [d.name for d in window.project.documents()]
    assert "a" in names
    assert window.doc_combo.count() == 3


def test_settings_are_kept_in_the_project(window):
    values = dict(window.settings, scorer="ableu", order=1, threshold=0.6, reviewer="mina")
    window.apply_settings(values)
    assert window.project.get_setting("scorer") == "ableu"
    assert window.project.get_setting("threshold") == 0.6
    assert window.project.get_setting("reviewer") == "mina"
    assert QSettings("workbench", "workbench").value("reviewer") == "mina"


def test_open_recent_and_bad_project(window, tmp_path, qtbot):
    other = tmp_path / "other.wbproj"
    Project.create(other).close()
    assert window.open_project(other)
    assert window.recent_projects()[0] == str(other.resolve())
    bad = tmp_path / "bad.wbproj"
    bad.write_text("not a project")
    assert not window.open_project(bad)
    assert window.last_error.text()
    window.last_error.close()


def test_model_pages_through_a_large_project(qtbot, tmp_path):
    n = 3000
    project = Project.create(tmp_path / "big.wbproj")
    doc = project.add_document(
        Document([f"s{i}" for i in range(n)]), Document([f"t{i}" for i in range(n)])
    )
    project.set_suggestions(
        doc, [AlignmentUnit((i,), (i,), i / n, "anchor") for i in range(n)], "bleu"
    )
    model = UnitTableModel(project, page_size=100, max_pages=4)
    assert model.rowCount() == n
    assert model.unit_at(2950).source_text == "s2950"
    assert model.unit_at(10).source_text == "s10"
    assert model.page_loads == 2
    for row in range(0, 600):
        model.unit_at(row)
    assert len(model._pages) <= 4
    model.set_filter(UnitFilter(min_score=0.5, order="-score"))
    assert model.rowCount() == n // 2
    assert model.unit_at(0).source_text == f"s{n - 1}"
    project.close()


def test_no_key_triggers_two_actions(window):
    """The window's own actions and the Power menu's share one keymap without ambiguity
    (Qt fires neither action of an ambiguous shortcut)."""
    owner = {}
    for action in window.actions():
        for sequence in action.shortcuts():
            text = sequence.toString()
            assert text not in owner, f"{text}: {owner.get(text)} and {action.text()}"
            owner[text] = action.text()
    assert owner["A"] == "&Accept" and owner["M"] == "&Merge with next unit"


class CountingTranslator:
    """A translator that upper-cases and counts the sentences it is asked for."""

    identity = "counting-test-translator"

    def __init__(self):
        self.asked: list[str] = []

    def translate(self, sentences, *, progress=None, cancel=None):
        self.asked.extend(sentences)
        if progress:
            progress(len(sentences), len(sentences))
        return [s.upper() for s in sentences]


def test_translations_are_cached_in_the_project(window, qtbot):
    """Translating again (even after re-opening the project) asks the model for nothing."""
    translator = CountingTranslator()
    with qtbot.waitSignal(window.task_done, timeout=20000) as done:
        assert window.translate_with_model(translator)
    assert done.args == ["finished"]
    n_source = len(window.project.source(window.current_doc_id()).sentences)
    assert 0 < len(translator.asked) <= n_source
    path = window.project.path
    window.open_project(path)
    again = CountingTranslator()
    with qtbot.waitSignal(window.task_done, timeout=20000) as done:
        assert window.translate_with_model(again)
    assert done.args == ["finished"]
    assert again.asked == []
    doc_id = window.current_doc_id()
    first = window.project.source(doc_id).sentences[0]
    assert window.project.translation(doc_id).sentences[0] == first.upper()


def test_adding_documents_with_a_mismatched_translation_adds_nothing(window, tmp_path):
    src, tgt, bad = tmp_path / "s.de", tmp_path / "t.fr", tmp_path / "mt.fr"
    src.write_text("Guten Tag.\nWie geht es?\n", encoding="utf-8")
    tgt.write_text("Bonjour.\nComment ça va ?\n", encoding="utf-8")
    bad.write_text("Bonjour.\n", encoding="utf-8")
    before = len(window.project.documents())
    assert window.add_documents(src, tgt, bad) is None
    assert len(window.project.documents()) == before
    assert window.last_error.isVisible() and "1 lines" in window.last_error.text()
    window.last_error.close()


def test_ableu_align_without_embeddings_self_trains(window, qtbot, monkeypatch):
    from workbench.align import selftrain

    calls = []
    real = selftrain.self_trained_aligner
    monkeypatch.setattr(
        selftrain, "self_trained_aligner", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    # a translated document self-trains the project's model (issue 19): trained once
    from workbench.align import shared_model

    real_shared = shared_model.train_shared
    monkeypatch.setattr(
        shared_model, "train_shared", lambda *a, **k: calls.append(1) or real_shared(*a, **k)
    )
    window.settings["scorer"] = "ableu"
    window.settings["embeddings"] = ""
    doc_id = window.project.documents()[0].id
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        assert window.align_document(doc_id)
    assert done.args == ["finished"]
    assert calls == [1]
    assert window.project.units(doc_id)[0].scorer == "ableu"
    from workbench.project.embeddings import embedding_scopes

    assert window.project.translation(doc_id, "source") is not None  # the demo's MT
    assert embedding_scopes(window.project) == ["project"]
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        assert window.align_document(doc_id)  # again: the stored model, no training
    assert done.args == ["finished"] and calls == [1]
