"""The window re-aligns with the same core as the command line: Power ▸ Re-align and a
background alignment keep the curator's pending merges (docs/review-window.md)."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from helpers_flood import FLOOD_EN
from PySide6.QtCore import QSettings

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.textio import Document

TARGET = FLOOD_EN
SOURCE = [f"Quelle {i}: {t}" for i, t in enumerate(TARGET)]


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield


@pytest.fixture
def window(qtbot, tmp_path):
    from workbench.gui.window import MainWindow

    project = Project.create(tmp_path / "p.wbproj")
    d = project.add_document(Document(SOURCE), Document(TARGET), name="flood")
    project.set_translation(d, TARGET, "oracle")
    project.set_suggestions(
        d,
        [
            AlignmentUnit((0,), (0,), 0.9, "dp"),
            AlignmentUnit((1, 2), (1,), 0.3, "dp"),
            AlignmentUnit((3,), (2, 3), 0.2, "dp"),
            AlignmentUnit((4,), (4,), 0.8, "dp"),
            AlignmentUnit((5,), (5,), 0.05, "dp"),
        ],
        "bleu",
    )
    w = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(w)
    w.set_project(project)
    yield w
    w.controller.undo_stack.blockSignals(True)
    w.close()
    project.close()


def _merge_last_two(window) -> int:
    controller = window.controller
    controller.go_to_row(3)
    controller.merge_with_next()  # (4,5):(4,5), pending
    merged = controller.current_unit()
    assert merged.edited and merged.status == "pending"
    from PySide6.QtCore import Qt

    from workbench.gui.model import COL_IDS

    model = controller.model
    assert "kept when re-aligned" in model.index(3, COL_IDS).data(Qt.ItemDataRole.ToolTipRole)
    assert "kept when re-aligned" not in model.index(2, COL_IDS).data(Qt.ItemDataRole.ToolTipRole)
    return merged.id


def _layout(project):
    return [(u.id, u.source_ids, u.target_ids) for u in project.units(1)]


def test_power_realign_keeps_a_pending_merge(window, qtbot):
    from workbench.gui.power import install_power_tools

    tools = install_power_tools(window)
    merged = _merge_last_two(window)
    window.controller.go_to_row(0)
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        tools.realign(selection=False)
    assert done.args == ["finished"]
    layout = _layout(window.project)
    assert layout[-1] == (merged, (4, 5), (4, 5))
    assert [(s, t) for _id, s, t in layout[:-1]] == [((i,), (i,)) for i in range(4)]


def test_background_alignment_keeps_a_pending_merge(window, qtbot):
    merged = _merge_last_two(window)
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        assert window.align_document(1)
    assert done.args == ["finished"]
    layout = _layout(window.project)
    assert layout[-1] == (merged, (4, 5), (4, 5))
    assert [(s, t) for _id, s, t in layout[:-1]] == [((i,), (i,)) for i in range(4)]


def test_a_refused_realignment_keeps_nothing_of_it(window, qtbot, monkeypatch):
    # The window kept the aligner's model and embedding (written first) although the units
    # they were for were refused (a text fixed meanwhile): one transaction now, all or none.
    from workbench.errors import ProjectError
    from workbench.gui.power import install_power_tools
    from workbench.project import project_model

    def after_alignment(project, *_args):
        project.set_setting("model kept", True)  # stands for the model and embedding

    def store_realigned(*_args):
        raise ProjectError("document 1's sentences were changed while it was being aligned")

    monkeypatch.setattr(project_model, "after_alignment", after_alignment)
    monkeypatch.setattr(Project, "store_realigned", store_realigned)
    tools = install_power_tools(window)
    before = _layout(window.project)
    window.controller.go_to_row(0)
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        tools.realign(selection=False)
    assert done.args == ["failed"]
    assert window.project.get_setting("model kept") is None
    assert _layout(window.project) == before
