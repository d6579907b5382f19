"""Issues 7, 8 and 9 reached from the review window: the Neighbours dock, retraining, the
Spot-check menu and the Plugins settings page (offscreen Qt, over the bundled demo)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from workbench.errors import InputError
from workbench.gui.delegate import PADDING
from workbench.gui.embedding_tools import NO_EMBEDDING, embedding_path, training_pairs
from workbench.gui.model import COL_MT, COL_SOURCE
from workbench.scoring.explain import SOFT

FAST_TRAINING = {"epochs": 3, "vector_size": 24}


@pytest.fixture(autouse=True)
def _private_settings(private_qsettings):
    """Recent projects and settings of the tests stay out of the user's configuration."""


@pytest.fixture
def window(demo_window):
    demo_window.embedding_tools.train_options = dict(FAST_TRAINING)
    return demo_window


def accept_pairs(project, n: int) -> list[int]:
    ids = [u.id for u in project.units() if u.source_ids and u.target_ids][:n]
    project.decide_many(ids, "accepted")
    return ids


def first_word_point(win, row: int, column: int) -> tuple[QPoint, str]:
    """A point over the first word of a cell, found by the delegate's own hit test."""
    index = win.model.index(row, column)
    rect = win.view.visualRect(index)
    y = rect.top() + PADDING + win.view.fontMetrics().lineSpacing() // 2
    for x in range(rect.left() + 1, rect.right()):
        word = win.embedding_tools.word_at(QPoint(x, y))
        if word:
            return QPoint(x, y), word
    raise AssertionError("no word found in the cell")


# -- the store ---------------------------------------------------------------------------------
def test_update_scores_changes_pending_units_only_and_is_journalled(window) -> None:
    project = window.project
    units = [u for u in project.units() if u.source_ids and u.target_ids]
    decided, pending = units[0], units[1:4]
    project.decide(decided.id, "accepted")
    ids = [decided.id] + [u.id for u in pending]
    n = project.update_scores(ids, [0.9, 0.11, None, 0.33], "ableu")
    assert n == 3
    assert project.unit(decided.id).score == decided.score  # decisions keep their score
    after = [project.unit(u.id) for u in pending]
    assert [a.score for a in after] == [0.11, None, 0.33]
    assert [a.scorer for a in after] == ["ableu", "", "ableu"]
    assert project.journal()[-1].action == "rescore"
    assert project.can_undo()  # the decision is still the last undo step
    with pytest.raises(InputError):
        project.update_scores(ids, [0.1], "ableu")


def test_training_pairs_use_mt_and_source_against_the_target(window) -> None:
    units = [u for u in window.project.units() if u.source_ids and u.target_ids][:3]
    pairs = training_pairs(units)
    assert pairs[0] == (units[0].mt_text, units[0].target_text)
    assert pairs[1] == (units[0].source_text, units[0].target_text)
    assert len(pairs) == 6


# -- the Neighbours dock -----------------------------------------------------------------------
def test_word_under_the_mouse_uses_the_cell_hit_test(window) -> None:
    unit = window.model.unit_at(0)
    _, word = first_word_point(window, 0, COL_SOURCE)
    assert word == unit.source_text.split()[0]
    _, word = first_word_point(window, 0, COL_MT)
    assert word == unit.mt_text.split()[0]
    # Between rows or on the unit number there is no word.
    index = window.model.index(0, 0)
    assert window.embedding_tools.word_at(window.view.visualRect(index).center()) == ""


def test_dock_without_embedding_says_so_and_offers_retraining(window, qtbot) -> None:
    tools = window.embedding_tools
    toggle = tools.actions["neighbours"]
    assert toggle.shortcut().toString() == "Ctrl+Shift+N"
    QTest.keyClick(
        window.view,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert tools.dock is not None and tools.dock.isVisible()
    assert tools.note.text() == NO_EMBEDDING
    assert tools.retrain_button.isVisible()
    _, word = first_word_point(window, 0, COL_SOURCE)
    assert not tools.show_word(word)
    assert "no embedding" in window.statusBar().currentMessage()
    # No accepted pairs yet: retraining does not start and says why.
    assert not tools.retrain()
    assert window.worker is None
    assert "accept some suggestions" in window.statusBar().currentMessage()
    toggle.trigger()
    assert not tools.dock.isVisible()


def test_context_menu_offers_the_word_under_the_mouse(window) -> None:
    point, word = first_word_point(window, 1, COL_SOURCE)
    menu = window.embedding_tools.context_menu(point)
    texts = [a.text() for a in menu.actions()]
    assert texts[0] == f"Show neighbours of “{word}”"
    assert "R&etrain embedding from accepted pairs" in texts


@pytest.mark.slow
def test_retrain_rescores_pending_units_and_shows_neighbours(window, qtbot, tmp_path) -> None:
    project = window.project
    accept_pairs(project, 20)
    window.model.refresh()
    pending_before = {u.id: u.score for u in project.units(status="pending")}
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        assert window.embedding_tools.retrain()
        assert window.progress.isVisible() and window.cancel_button.isVisible()
    assert done.args == ["finished"]
    report = window.embedding_tools.last_report
    kv = embedding_path(project.path)
    assert report.path == kv and kv.is_file() and kv.name == "demo.wbproj.kv"
    assert (tmp_path / "demo.wbproj.lock").name != kv.name
    # The report's figures, recomputed from the store.
    pending_after = {u.id: u.score for u in project.units(status="pending")}
    both = [u for u in pending_after if u in pending_before and pending_before[u] is not None]
    changed = sum(abs(pending_after[u] - pending_before[u]) > 1e-6 for u in both)
    assert report.pending == len(both) and report.changed == changed
    crossed = sum((pending_before[u] >= 0.2) != (pending_after[u] >= 0.2) for u in both)
    assert report.crossed == crossed
    assert f"{changed} of {len(both)} pending suggestions changed score" in (
        window.statusBar().currentMessage()
    )
    # The window now scores and shades with ABLEU over the new embedding.
    assert window.settings["embeddings"] == str(kv) and window.settings["scorer"] == "ableu"
    assert project.get_setting("embeddings") == str(kv)
    explainer = window.delegate.explainer
    assert explainer.similarity is not None
    soft = [m for u in project.units() for spans in explainer.spans(u) for *_, m in spans]
    assert any(m.kind == SOFT for m in soft)
    # Alt+click a Korean word: the dock shows its neighbours from the new embedding.
    point, word = first_word_point(window, 0, COL_SOURCE)
    QTest.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.AltModifier, point
    )
    tools = window.embedding_tools
    assert tools.dock.isVisible()
    assert tools.panel.word == word.lower()
    assert tools.panel.pair_model.rowCount() > 0
    assert tools.panel.plain is not None  # the plain model side by side


def test_retrain_can_be_cancelled(window, qtbot) -> None:
    accept_pairs(window.project, 10)
    window.embedding_tools.train_options = {"epochs": 200}
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        assert window.embedding_tools.retrain()
        window.cancel_task()
    assert done.args == ["cancelled"]
    assert not embedding_path(window.project.path).exists()
    assert window.settings["embeddings"] == ""


# -- the Spot-check menu -----------------------------------------------------------------------
def test_spotcheck_menu_samples_judges_and_reports(window, qtbot) -> None:
    tools = window.spotcheck_tools
    titles = [a.text() for a in window.spotcheck_menu.actions()]
    assert titles == ["&New sample…", "&Judge sample…", "&Report…"]
    overlay = window.help_overlay.label.text()
    assert "Judge sample…" in overlay and "Ctrl+J" in overlay and "Neighbours panel" in overlay
    options = {
        "size": 5,
        "margin": None,
        "seed": 3,
        "stratify": None,
        "source": "suggestions",
        "scorers": ["bleu"],
        "name": "",
    }
    with qtbot.waitSignal(window.task_done, timeout=30000) as done:
        assert tools.new_sample(options)
    assert done.args == ["finished"]
    project = window.project
    (sample,) = project.samples()
    assert tools.last_sample_id == sample.id
    # Ctrl+J with one sample opens it at once.
    QTest.keyClick(window.view, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    view = tools.judging
    assert view is not None and view.isVisible() and view.sample_id == sample.id
    QTest.keyClick(view, Qt.Key.Key_C)
    QTest.keyClick(view, Qt.Key.Key_I)
    items = project.sample_items(sample.id)
    verdicts = [project.judgement(i.doc_id, i.source_ids, i.target_ids) for i in items[:2]]
    assert verdicts == ["correct", "incorrect"]
    with qtbot.waitSignal(window.task_done, timeout=30000) as done:
        assert tools.report(["bleu"])
    assert done.args == ["finished"]
    report_view = tools.report_view
    assert report_view.isVisible()
    assert report_view.table.item(0, 0).text() == "bleu"
    assert "50.00 %" in report_view.table.item(0, 5).text()  # 1 correct of 2 judged


def test_new_sample_failure_is_a_message(window, qtbot) -> None:
    options = {"size": 100000, "margin": None, "seed": 1, "source": "suggestions"}
    with qtbot.waitSignal(window.task_done, timeout=30000) as done:
        window.spotcheck_tools.new_sample({**options, "scorers": [], "name": ""})
    assert done.args == ["failed"]
    assert "larger than" in window.last_error.text()


# -- settings ----------------------------------------------------------------------------------
def test_settings_list_plugins_and_plugin_scorers(window, monkeypatch) -> None:
    from workbench import plugins
    from workbench.gui import settings as settings_module
    from workbench.scoring.registry import available_scorers

    real = plugins.plugin_rows()
    broken = plugins.PluginRow(
        "workbench.scorers", "oops", "workbench-oops", "0.1", "broken", "ImportError: no"
    )
    monkeypatch.setattr(plugins, "plugin_rows", lambda: [*real, broken])
    dialog = settings_module.SettingsDialog(window.settings, window)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["General", "Plugins"]
    table = dialog.plugins
    assert table.rowCount() == len(real) + 1
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Group", "Name", "Distribution", "Version", "Status", "Detail"]
    last = table.rowCount() - 1
    assert table.item(last, 1).text() == "oops" and table.item(last, 4).text() == "broken"
    assert table.item(last, 0).background().color().name() == settings_module.BROKEN_COLOUR
    assert table.item(0, 0).background().style() == Qt.BrushStyle.NoBrush
    scorers = [dialog.scorer.itemText(i) for i in range(dialog.scorer.count())]
    assert scorers[:2] == ["bleu", "ableu"] and set(available_scorers()) <= set(scorers)
    if "chrf" in scorers:  # the bundled chrF plugin, installed in development
        dialog.scorer.setCurrentText("chrf")
        window.apply_settings(dialog.values())
        assert window.settings["scorer"] == "chrf"
    dialog.close()
