"""The spot-check part of the review window walked by keyboard alone (docs/review-window.md,
"Curator walkthrough (eighth session)"): draw a sample (Ctrl+Alt+S), judge it (Ctrl+J, then
C / I / U), the report (Ctrl+Shift+J) with accuracy and yield per scorer and per document,
verdicts kept over a reopen and a SIGKILL; a Moses export from the window that asks for the
languages instead of naming command-line options."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from test_spotcheck_project import make_project

from workbench.project import Project

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


pytestmark = pytest.mark.usefixtures("private_qsettings")


@pytest.fixture
def window(main_window, tmp_path):
    project = make_project(tmp_path / "p.wbproj", docs=2, n=20)
    w = main_window
    w.set_project(project)
    _activate(w)
    yield w
    w.close()
    project.close()


def _activate(w) -> None:
    w.activateWindow()
    QTest.qWaitForWindowActive(w)
    w.view.setFocus()


def _draw_sample_by_keys(window, qtbot) -> int:
    """Ctrl+Alt+S, the dialog filled and accepted from the keyboard."""
    tools = window.spotcheck_tools

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        QTest.keyClick(dialog.by_size, Qt.Key.Key_Space)  # "pairs" instead of a margin
        dialog.size.selectAll()
        QTest.keyClicks(dialog.size, "10")
        dialog.scorers.selectAll()
        QTest.keyClicks(dialog.scorers, "bleu other")
        QTest.keyClick(dialog.scorers, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    QTest.keyClick(window.view, Qt.Key.Key_S, CTRL | ALT)
    qtbot.waitUntil(lambda: tools.last_sample_id is not None, timeout=20000)
    assert window.statusBar().currentMessage().startswith(f"sample {tools.last_sample_id}: 10 of")
    return tools.last_sample_id


def test_judging_and_the_report_by_keys_alone(window, qtbot):
    tools, project = window.spotcheck_tools, window.project
    sample_id = _draw_sample_by_keys(window, qtbot)
    _activate(window)
    QTest.keyClick(window.view, Qt.Key.Key_J, CTRL)
    view = tools.judging
    assert view is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)  # the keys are the view's
    # the progress line named the document by its id ("document 1"), not its name
    name = {d.id: d.name for d in project.documents()}[view.items[0].doc_id]
    assert view.progress_label.text().endswith(f"document {name}")
    verdicts = "CIUCCCICCC"
    for key in verdicts:
        QTest.keyClick(view, getattr(Qt.Key, f"Key_{key}"))
    assert "All 10 pairs judged" in view.progress_label.text()
    assert "Esc closes this window (the report: " in view.panes["source"].text()  # what next
    assert window.statusBar().currentMessage() == "sample judged: Spot-check ▸ Report…"
    # Escape closes the judging window (it had no key to leave it) and the keys are the
    # review window's again
    QTest.keyClick(view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: tools.judging is None)
    _activate(window)
    QTest.keyClick(window.view, Qt.Key.Key_J, CTRL | SHIFT)
    qtbot.waitUntil(lambda: tools.report_view is not None, timeout=20000)
    report = tools.report_view
    rows = {report.table.item(r, 0).text(): r for r in range(report.table.rowCount())}
    assert set(rows) == {"bleu", "ableu", "other"}  # ABLEU aligned (self-trained) on the way
    assert "±" in report.table.item(rows["bleu"], 5).text()  # accuracy with its interval
    # per document: the CSV had it, the window did not
    per_doc = report.per_document
    cells = [
        [per_doc.item(r, c).text() for c in range(per_doc.columnCount())]
        for r in range(per_doc.rowCount())
    ]
    assert {(c[0], c[1]) for c in cells} == {
        (s, d) for s in ("bleu", "ableu", "other") for d in ("doc0", "doc1")
    }
    assert all(c[2].endswith("%") for c in cells)
    assert any("±" in c[5] for c in cells)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is report)  # the keys go there
    QTest.keyClick(QApplication.focusWidget() or report, Qt.Key.Key_Escape)
    assert not report.isVisible()
    # closed and reopened: every verdict kept, the view resumes past them
    path = project.path
    window.close()
    project.close()
    with Project.open(path) as again:
        stored = [
            again.judgement(i.doc_id, i.source_ids, i.target_ids)
            for i in again.sample_items(sample_id)
        ]
    expected = {"C": "correct", "I": "incorrect", "U": "unsure"}
    assert stored == [expected[k] for k in verdicts]


_KILL_DRIVER = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from workbench.gui.window import MainWindow
app = QApplication([])
window = MainWindow()
window.show()
assert window.open_project(sys.argv[1])
view = window.spotcheck_tools.judge_sample(int(sys.argv[2]))
for key in sys.argv[3]:
    QTest.keyClick(view, getattr(Qt.Key, "Key_" + key))
print("judged", flush=True)
sys.stdin.readline()
"""


def test_verdicts_survive_a_sigkill_mid_judging(tmp_path):
    from workbench.spotcheck.project_data import create_sample

    path = tmp_path / "k.wbproj"
    with make_project(path, docs=1, n=20) as project:
        sample_id, _, _ = create_sample(project, size=6, seed=2, scorers=["bleu"])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_DRIVER, str(path), str(sample_id), "CIU"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout.readline().strip() == "judged"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    with Project.open(path) as project:
        items = project.sample_items(sample_id)
        stored = [project.judgement(i.doc_id, i.source_ids, i.target_ids) for i in items]
    assert stored == ["correct", "incorrect", "unsure", None, None, None]


def test_moses_export_from_the_window_asks_for_the_languages(main_window, tmp_path, monkeypatch):
    from workbench.align import AlignmentUnit
    from workbench.corpus.moses import moses_paths
    from workbench.errors import InputError
    from workbench.gui import files
    from workbench.textio import Document

    project = Project.create(tmp_path / "nolang.wbproj")
    doc = project.add_document(Document(["Ein Satz.", "Zwei."]), Document(["Une.", "Deux."]))
    project.set_suggestions(doc, [AlignmentUnit((i,), (i,), 0.5, "dp") for i in range(2)], "bleu")
    w = main_window
    w.set_project(project)
    for unit in project.units(doc):
        project.decide(unit.id, "accepted")
    asked: list[tuple[str, str]] = []
    answers = iter([None, ("de", "de"), ("de", "fr")])

    def ask(parent, source, target):
        asked.append((source, target))
        return next(answers)

    monkeypatch.setattr(files, "ask_languages", ask)
    out = tmp_path / "m"
    assert not w.export_pairs(out, "moses")  # Cancel: nothing written, nothing refused
    assert asked == [("", "")] and not list(tmp_path.glob("m*"))
    assert not w.export_pairs(out, "moses")  # the same code twice: said in the window's words
    text = w.last_error.text()
    assert "two different language codes" in text and "--source-lang" not in text
    assert not list(tmp_path.glob("m*"))
    assert w.export_pairs(out, "moses")
    assert (tmp_path / "m.de").read_text() == "Ein Satz.\nZwei.\n"
    assert (tmp_path / "m.fr").read_text() == "Une.\nDeux.\n"
    # a TSV needs no languages: nothing asked
    assert w.export_pairs(tmp_path / "p.tsv") and len(asked) == 3
    # the command line keeps its own wording
    with pytest.raises(InputError, match="--source-lang and --target-lang"):
        moses_paths(out, "und", "und")
    w.close()
    project.close()
