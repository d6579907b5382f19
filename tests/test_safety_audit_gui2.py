"""Data-safety audit of the review window, second round (docs/review-window.md, "What the
window keeps"): edits made while a background task runs, the project file going away under
the window, decisions surviving a killed process."""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")


def _layout(project, doc_id):
    return [(u.source_ids, u.target_ids, u.status) for u in project.units(doc_id)]


@pytest.fixture
def gated_align(monkeypatch):
    """The window's alignment job waits at its start until ``gate`` is set (``started`` says
    it is waiting): what the curator does meanwhile happens while it runs."""
    from workbench.review import tasks

    started, gate = threading.Event(), threading.Event()
    real = tasks.align_job

    def align_job(*args, **kwargs):
        job = real(*args, **kwargs)

        def run(progress, cancel):
            started.set()
            assert gate.wait(60)
            return job(progress, cancel)

        return run

    monkeypatch.setattr(tasks, "align_job", align_job)
    return started, gate


def test_a_merge_made_while_aligning_is_kept(demo_window, qtbot, gated_align):
    # The finished alignment replaced every pending unit, the curator's merge made meanwhile
    # included: the merge was silently undone (and its undo step dropped).
    window, started = demo_window, gated_align[0]
    project, controller = window.project, window.controller
    doc_id = project.documents()[0].id
    assert window.align_document(doc_id)
    assert started.wait(10)
    controller.go_to_row(0)
    controller.accept()
    controller.go_to_row(2)
    first = controller.current_unit()
    controller.merge_with_next()
    merged = controller.current_unit()
    assert merged.id == first.id and len(merged.source_ids) > len(first.source_ids)
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        gated_align[1].set()
    assert done.args == ["finished"]
    layout = _layout(project, doc_id)
    assert (merged.source_ids, merged.target_ids, "pending") in layout
    assert layout[0][2] == "accepted"
    # Every sentence is still in exactly one unit.
    n_source = len(project.source(doc_id).sentences)
    assert sorted(i for s, _t, _st in layout for i in s) == list(range(n_source))


def test_a_sentence_split_while_aligning_stops_the_result_being_stored(
    demo_window, qtbot, gated_align
):
    # The alignment, computed on the text as it was, was stored against the new sentence
    # numbers: after a split sentence every later unit paired the wrong sentences.
    window, started = demo_window, gated_align[0]
    project = window.project
    doc_id = project.documents()[0].id
    assert window.align_document(doc_id)
    assert started.wait(10)
    text = project.source(doc_id).sentences[1]
    at = text.index(" ") + 1
    project.split_sentence(doc_id, "source", 1, at)
    before = _layout(project, doc_id)
    pairs = {(u.source_text, u.target_text) for u in project.units(doc_id) if u.source_ids[1:2]}
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        gated_align[1].set()
    assert done.args == ["failed"]
    assert "changed while it was being aligned" in window.last_error.text()
    window.last_error.close()
    assert _layout(project, doc_id) == before  # nothing stored, nothing else changed
    after = {(u.source_text, u.target_text) for u in project.units(doc_id) if u.source_ids[1:2]}
    assert after == pairs


class GatedTranslator:
    """Upper-cases; waits for ``gate`` first so that the test can edit meanwhile."""

    identity = "gated-test-translator"

    def __init__(self) -> None:
        self.started, self.gate = threading.Event(), threading.Event()

    def translate(self, sentences, *, progress=None, cancel=None):
        self.started.set()
        assert self.gate.wait(60)
        return [s.upper() for s in sentences]


def test_a_text_fix_while_translating_stores_neither_translation_nor_suggestions(
    demo_window, qtbot
):
    window = demo_window
    project = window.project
    doc_id = project.documents()[0].id
    mt_before = project.translation(doc_id).sentences
    translator = GatedTranslator()
    assert window.translate_with_model(translator)
    assert translator.started.wait(10)
    fixed = project.source(doc_id).sentences[0] + " (fixed)"
    project.edit_sentence(doc_id, "source", 0, fixed)
    before = _layout(project, doc_id)
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        translator.gate.set()
    assert done.args == ["failed"]
    window.last_error.close()
    assert project.translation(doc_id).sentences == mt_before  # not half stored
    assert _layout(project, doc_id) == before
    assert project.source(doc_id).sentences[0] == fixed


def test_deleting_the_project_file_under_the_window_loses_no_decision(demo_window, qtbot):
    # SQLite went on writing to the deleted file: every decision after the deletion was
    # acknowledged in the window and gone when it closed.
    from workbench.project import Project

    window = demo_window
    path = window.project.path
    controller = window.controller
    controller.go_to_row(0)
    controller.accept()
    decided = controller.model.unit_at(0)
    assert decided.status == "accepted"
    path.unlink()
    controller.go_to_row(1)
    controller.accept()
    box = window.last_error
    assert box is not None and box.isVisible() and box.windowTitle() == "Not saved"
    assert "deleted or replaced" in box.text() and "not saved" in box.text()
    recovered = path.with_name(f"{path.stem}.recovered{path.suffix}")
    assert str(recovered) in box.text()
    box.close()
    controller.undo()  # refused too, loudly, and the window's stack starts afresh
    assert window.last_error is not box and "deleted or replaced" in window.last_error.text()
    window.last_error.close()
    qtbot.waitUntil(lambda: not controller.undo_stack.canUndo())
    window.close()
    # The deleted file's log is not left beside the path, where SQLite would replay it into
    # the next file put there.
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    with Project.open(recovered) as project:
        statuses = {u.id: u.status for u in project.units()}
    assert statuses[decided.id] == "accepted"
    assert list(statuses.values()).count("accepted") == 1


def test_a_full_disk_during_a_decision_shows_a_message_box(demo_window, monkeypatch):
    from workbench.errors import NotSavedError

    window = demo_window

    def full(*_args, **_kwargs):
        raise NotSavedError("p.wbproj: cannot save (database or disk is full); not saved")

    monkeypatch.setattr(window.project, "decide", full)
    window.controller.go_to_row(0)
    window.controller.accept()
    assert window.last_error is not None and window.last_error.isVisible()
    assert "disk is full" in window.last_error.text()
    window.last_error.close()


def test_closing_right_after_a_decision_reads_no_closed_project(demo_window, qtbot):
    # A row fitting queued by the decision ran after closeEvent had closed the project:
    # "project is closed" raised in the event loop (pytest-qt fails the test on it).
    window = demo_window
    path = window.project.path
    window.controller.go_to_row(0)
    window.controller.accept()
    window.controller.undo()
    window.controller.redo()
    window.close()
    qtbot.wait(100)
    from workbench.project import Project

    with Project.open(path) as project:
        assert next(u.status for u in project.units()) == "accepted"


def _killed_at(path: Path, stop: int | None) -> tuple[dict, list[dict]]:
    """Run the driver on ``path``; SIGKILL it right after step ``stop`` (0-based; None: after
    the last). Returns the state it printed last and all it printed."""
    import json
    import os
    import signal
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    driver = Path(__file__).with_name("gui_kill_driver.py")
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    names, states, last = [], [], None
    try:
        for line in proc.stdout:
            if line.strip() == "END":
                break
            last = json.loads(line)
            names.append(last.pop("step"))
            states.append(last)
            if stop is not None and len(names) > stop:
                break
            proc.stdin.write("next\n")
            proc.stdin.flush()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert last is not None
    return last, states


@pytest.mark.parametrize("stop", [2, None], ids=["after-merge", "after-all"])
def test_every_decision_survives_a_sigkill_exactly(tmp_path, stop):
    from gui_kill_driver import state

    from workbench.gui.demo import create_demo_project
    from workbench.project import Project

    path = tmp_path / "kill.wbproj"
    create_demo_project(path).close()
    seen, states = _killed_at(path, stop)
    if stop is None:
        assert len(states) == 11  # every step of the script ran, and changed something
        assert all(a != b for a, b in itertools.pairwise(states))
        assert seen["units"][0][2] == "accepted" and seen["units"][1][2] == "rejected"
    with Project.open(path) as project:  # the lock died with the process
        assert state(project) == seen  # every decision, nothing half-applied


def test_retraining_does_not_score_a_unit_merged_meanwhile(tmp_path):
    # The retraining job scored the pending units it read at its start and stored the scores
    # by unit id: a unit the curator merged meanwhile (a manual, unscored unit) got the score
    # of the pair it used to be (0.92 here), and sorted among the good suggestions.
    from workbench.gui.demo import create_demo_project
    from workbench.gui.embedding_tools import retrain_job

    project = create_demo_project(tmp_path / "p.wbproj")
    for unit in project.units()[:15]:
        project.decide(unit.id, "accepted")
    pending = [u for u in project.units(status="pending") if u.source_ids and u.target_ids]
    job = retrain_job(
        project, threshold=0.5, order=2, low_score=0.2, side_names=("ko", "en"), train_plain=False
    )
    merged = project.merge_with_next(pending[0].id)
    report = job(lambda *_args: None, lambda: False)
    unit = project.unit(merged)
    assert unit.method == "manual" and unit.score is None
    assert report.stored == len(pending) - 2  # both halves of the merge were left alone
    assert project.unit(pending[2].id).scorer == "ableu"
    project.close()


def test_a_cancel_that_comes_once_the_result_is_stored_reports_it_finished(
    demo_window, qtbot, monkeypatch
):
    # Cancel pressed while the worker was storing: the suggestions were stored, yet the
    # window said "cancelled" and did not re-read its rows, which named units that no longer
    # existed (and its undo stack held steps the store had forgotten).
    window = demo_window
    project = window.project
    doc_id = project.documents()[0].id
    real = project.set_suggestions

    def storing_then_cancelled(*args, **kwargs):
        run = real(*args, **kwargs)
        window.tasks.worker.cancel()  # the Cancel button, a moment too late
        return run

    monkeypatch.setattr(project, "set_suggestions", storing_then_cancelled)
    window.controller.go_to_row(0)
    window.controller.accept()
    assert window.controller.undo_stack.canUndo()
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        assert window.align_document(doc_id)
    assert done.args == ["finished"]
    shown = [window.model.unit_at(r).id for r in range(window.model.rowCount())]
    assert shown == [u.id for u in project.units(doc_id)]
    assert not window.controller.undo_stack.canUndo()


@pytest.fixture
def gated_realign(monkeypatch):
    """Re-aligning in the window waits before aligning its runs until ``gate`` is set."""
    from workbench.project import realign

    started, gate = threading.Event(), threading.Event()
    real = realign.align_runs

    def align_runs(*args, **kwargs):
        started.set()
        assert gate.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(realign, "align_runs", align_runs)
    return started, gate


def test_realign_from_here_runs_in_the_background_around_what_the_curator_decides(
    demo_window, qtbot, gated_realign
):
    # Power ▸ Re-align from here ran on the window's thread: on textberg-dev (1,800
    # sentences) 8 s with BLEU, 18 s with self-trained ABLEU of a frozen window, no progress,
    # no Cancel.
    window, (started, gate) = demo_window, gated_realign
    project, controller = window.project, window.controller
    doc_id = project.documents()[0].id
    for row in (0, 5):
        controller.go_to_row(row)
        controller.accept()
    controller.go_to_row(1)
    window.power_tools.realign(selection=False)  # two runs: rows 1-4 and 6-
    assert window.worker is not None and window.progress.isVisible()  # not done on this thread
    assert started.wait(10)
    controller.go_to_row(3)
    controller.accept()  # meanwhile, inside the first run: that run is left as it is
    decided = controller.model.unit_at(3)
    meanwhile = [(u.id, u.source_ids, u.target_ids, u.status) for u in project.units(doc_id)]
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        gate.set()
    assert done.args == ["finished"]
    assert "1 run(s) changed meanwhile were left" in window.statusBar().currentMessage()
    after = [(u.id, u.source_ids, u.target_ids, u.status) for u in project.units(doc_id)]
    assert after[:6] == meanwhile[:6]  # the first run, and the decided units, untouched
    assert decided.id == after[3][0] and after[3][3] == "accepted"
    assert not {a[0] for a in after[6:]} & {m[0] for m in meanwhile}  # the second: new units
    n_source = len(project.source(doc_id).sentences)
    assert sorted(i for _id, s, _t, _st in after for i in s) == list(range(n_source))
    controller.undo()  # one undo step, on the window's stack, the newest
    assert [(u.id, u.source_ids, u.target_ids, u.status) for u in project.units(doc_id)] == (
        meanwhile
    )


def test_cancelling_a_realign_changes_nothing(demo_window, qtbot, gated_realign):
    window, (started, gate) = demo_window, gated_realign
    project = window.project
    before = _layout(project, project.documents()[0].id)
    window.controller.go_to_row(2)
    window.power_tools.realign(selection=False)
    assert started.wait(10)
    window.cancel_task()
    with qtbot.waitSignal(window.task_done, timeout=60000) as done:
        gate.set()
    assert done.args == ["cancelled"]
    assert _layout(project, project.documents()[0].id) == before


def test_opening_the_shown_project_again_reopens_it(demo_window, tmp_path):
    # File ▸ Open (or Recent, or a drop) of the project the window shows was refused as "in
    # use by another process" (the window itself held the lock), and a second window of the
    # same workbench was told the same.
    from workbench.gui.window import MainWindow

    window = demo_window
    path = window.project.path
    window.controller.go_to_row(0)
    window.controller.accept()
    assert window.open_project(path)
    assert window.last_error is None
    assert window.project.units()[0].status == "accepted"
    second = MainWindow(data_dir=tmp_path)
    try:
        assert not second.open_project(path)
        assert "in use by another window of this workbench" in second.last_error.text()
        second.last_error.close()
    finally:
        second.close()
    window.controller.go_to_row(1)
    window.controller.accept()  # the reopened project is the one written
    assert [u.status for u in window.project.units()][:2] == ["accepted", "accepted"]


def test_replace_all_over_every_document_is_one_undo_step(demo_window):
    # Replace all (no document filter) stored one undo step per document: Ctrl+Z took back
    # only the last document's replacements, and a killed process could leave it half made.
    from workbench.gui.textfix import SearchReplaceDialog
    from workbench.textio import Document

    window = demo_window
    project = window.project
    first = project.documents()[0].id
    second = project.add_document(
        Document(["부산은 항구다.", "부산이 자란다."]), Document(["Busan.", "Busan."]), name="b"
    )
    docs = (first, second)
    before = {d: project.source(d).sentences for d in docs}
    dialog = SearchReplaceDialog(
        project, doc_id=None, perform=window.controller.undo_stack.perform, parent=window
    )
    dialog.pattern.setText("부산")
    dialog.replacement.setText("釜山")
    dialog.pane.setCurrentText("source")
    expected = sum("부산" in t for d in docs for t in before[d])
    assert dialog.replace(all_units=True) == expected >= 3
    assert all("부산" not in t for d in docs for t in project.source(d).sentences)
    assert window.controller.undo_stack.count() == 1
    window.controller.undo()
    assert {d: project.source(d).sentences for d in docs} == before
    window.controller.redo()
    assert all("부산" not in t for d in docs for t in project.source(d).sentences)
    dialog.close()


def test_a_project_opened_by_a_relative_path_survives_a_change_of_folder(tmp_path, monkeypatch):
    # The deletion check must not take a relative path, read from another working folder,
    # for a deleted project.
    from workbench.gui.demo import create_demo_project
    from workbench.project import Project

    create_demo_project(tmp_path / "rel.wbproj").close()
    monkeypatch.chdir(tmp_path)
    with Project.open("rel.wbproj") as project:
        monkeypatch.chdir(tmp_path.parent)
        unit = project.units()[0]
        project.decide(unit.id, "accepted")
        assert project.unit(unit.id).status == "accepted"
