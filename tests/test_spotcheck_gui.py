"""pytest-qt: the judging view driven by keys (verdicts stored at once, back, undo, resume)
and the report view (table and charts)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("workbench.project")
pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt
from test_spotcheck_project import make_project

from workbench.gui.spotcheck import JudgingView, ReportView
from workbench.project import Project
from workbench.spotcheck.project_data import create_sample, gather_report


@pytest.fixture
def sampled(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "g.wbproj"
    with make_project(path, docs=1, n=20) as project:
        sample_id, _, _ = create_sample(project, size=6, seed=4, scorers=["bleu"])
    return path, sample_id


def verdict_of(project: Project, view: JudgingView, index: int) -> str | None:
    item = view.items[index]
    return project.judgement(item.doc_id, item.source_ids, item.target_ids)


def test_judging_view_keys_back_undo_and_resume(qtbot, sampled) -> None:
    path, sample_id = sampled
    with Project.open(path) as project:
        view = JudgingView(project, sample_id)
        qtbot.addWidget(view)
        view.show()
        assert view.index == 0 and "1 of 6" in view.progress_label.text()
        assert view.panes["source"].text().startswith("s0 ")
        qtbot.keyClick(view, Qt.Key.Key_C)
        qtbot.keyClick(view, Qt.Key.Key_I)
        qtbot.keyClick(view, Qt.Key.Key_U)
        assert [verdict_of(project, view, k) for k in range(4)] == [
            "correct",
            "incorrect",
            "unsure",
            None,
        ]
        assert "4 of 6" in view.progress_label.text()
        qtbot.keyClick(view, Qt.Key.Key_Backspace)  # back to the third pair, change it
        qtbot.keyClick(view, Qt.Key.Key_Left)
        assert view.index == 1
        qtbot.keyClick(view, Qt.Key.Key_C)
        assert verdict_of(project, view, 1) == "correct"
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo
        assert verdict_of(project, view, 1) == "incorrect" and view.index == 1
        qtbot.keyClick(view, Qt.Key.Key_Right)
        qtbot.keyClick(view, Qt.Key.Key_Right)
        qtbot.keyClick(view, Qt.Key.Key_C)  # the fourth pair
        view.close()
    # reopened: starts at the first pair not judged yet, earlier verdicts shown
    with Project.open(path) as project:
        view = JudgingView(project, sample_id)
        qtbot.addWidget(view)
        assert view.index == 4
        assert view.verdicts[:4] == ["correct", "incorrect", "unsure", "correct"]
        with qtbot.waitSignal(view.finished):
            qtbot.keyClick(view, Qt.Key.Key_C)
            qtbot.keyClick(view, Qt.Key.Key_I)
        assert "All 6 pairs judged" in view.progress_label.text()


def test_report_view_shows_table_and_charts(qtbot, sampled) -> None:
    path, sample_id = sampled
    with Project.open(path) as project:
        for item in project.sample_items(sample_id):
            project.judge(item.doc_id, item.source_ids, item.target_ids, "correct")
        report = gather_report(project, ["bleu", "other"], compute=False)
    view = ReportView(report)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 2 and view.table.item(0, 0).text() == "bleu"
    assert "100.00 %" in view.table.item(0, 5).text()
    assert view.tabs.count() == 3
