"""TaskWorker on a QThread (pytest-qt, offscreen) and the translate-then-align job."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from ctranslate2_models import TinyModels, build_tiny_models

from workbench.align.pipeline import AlignSettings
from workbench.errors import CancelledError, ModelError
from workbench.textio import Document
from workbench.translate import MemoryTranslationCache
from workbench.translate.jobs import TranslateAlignResult, translate_and_align_job

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QObject, QThread, QTimer, Slot

from workbench.gui.worker import TaskWorker


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    return build_tiny_models(tmp_path_factory.mktemp("ct2models"))


class Recorder(QObject):
    """Slots living on the GUI thread, recording what arrives and on which thread."""

    def __init__(self, worker: TaskWorker) -> None:
        super().__init__()
        self.events: list[tuple] = []
        self.threads: set[QThread] = set()
        worker.progress.connect(self.on_progress)
        worker.finished.connect(self.on_finished)
        worker.failed.connect(self.on_failed)
        worker.cancelled.connect(self.on_cancelled)

    def _note(self, event: tuple) -> None:
        self.threads.add(QThread.currentThread())
        self.events.append(event)

    @Slot(int, int, str)
    def on_progress(self, done: int, total: int, label: str) -> None:
        self._note(("progress", done, total, label))

    @Slot(object)
    def on_finished(self, result: object) -> None:
        self._note(("finished", result))

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self._note(("failed", message))

    @Slot()
    def on_cancelled(self) -> None:
        self._note(("cancelled",))


def run_to_end(qtbot, worker: TaskWorker, signal_name: str, timeout: int = 10000) -> Recorder:
    recorder = Recorder(worker)
    with qtbot.waitSignal(getattr(worker, signal_name), timeout=timeout):
        worker.start()
    assert worker.wait(5000)
    qtbot.wait(10)  # let queued progress signals drain
    return recorder


def test_signals_arrive_in_order_on_the_gui_thread(qtbot):
    job_threads: list[threading.Thread] = []

    def job(progress, cancel):
        job_threads.append(threading.current_thread())
        for k in range(1, 4):
            progress(k, 3, "counting")
        return "done"

    worker = TaskWorker(job)
    recorder = run_to_end(qtbot, worker, "finished")
    assert recorder.events == [
        ("progress", 1, 3, "counting"),
        ("progress", 2, 3, "counting"),
        ("progress", 3, 3, "counting"),
        ("finished", "done"),
    ]
    assert job_threads[0] is not threading.main_thread()
    assert recorder.threads == {QThread.currentThread()}  # slots ran on the GUI thread


def test_cancel_stops_the_job(qtbot):
    started = threading.Event()
    steps: list[int] = []

    def job(progress, cancel):
        for k in range(1000):
            started.set()
            if cancel():
                raise CancelledError("stopped")
            steps.append(k)
            progress(k, 1000, "working")
            time.sleep(0.005)
        return "should not finish"

    worker = TaskWorker(job)
    recorder = Recorder(worker)
    with qtbot.waitSignal(worker.cancelled, timeout=10000):
        worker.start()
        assert started.wait(5)
        worker.cancel()
    assert worker.wait(5000)
    assert len(steps) < 1000
    assert not any(e[0] == "finished" for e in recorder.events)


def test_model_error_reaches_a_slot_as_a_message(qtbot, tmp_path: Path):
    source = Document(["Eins."], name="s")
    job = translate_and_align_job(source, source, tmp_path / "no-model")
    worker = TaskWorker(job)
    recorder = run_to_end(qtbot, worker, "failed")
    (kind, message) = recorder.events[-1]
    assert kind == "failed"
    assert "no-model: no such file or directory" in message


def test_unexpected_exception_is_reported_not_raised(qtbot):
    def job(progress, cancel):
        raise ZeroDivisionError("boom")

    recorder = run_to_end(qtbot, TaskWorker(job), "failed")
    assert recorder.events == [("failed", "unexpected error: ZeroDivisionError: boom")]


def test_event_loop_keeps_running_while_it_works(qtbot):
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()

    def job(progress, cancel):
        end = time.monotonic() + 0.5
        while time.monotonic() < end:  # busy, like a translation batch
            sum(range(2000))
        return len(ticks)

    worker = TaskWorker(job)
    recorder = run_to_end(qtbot, worker, "finished")
    timer.stop()
    ticks_seen_by_job = recorder.events[-1][1]
    assert len(ticks) >= 5, "the GUI thread's timer should keep ticking during the job"
    assert ticks_seen_by_job >= 3


def test_translate_then_align_job(qtbot, tiny_models: TinyModels):
    s = tiny_models.sentences
    source = Document.from_lines([*s[:6], ".EOA", *s[6:10]], name="src")
    target = Document.from_lines([*s[20:25], ".EOA", *s[25:30]], name="tgt")
    cache = MemoryTranslationCache()
    job = translate_and_align_job(
        source,
        target,
        tiny_models.marian,
        translator_options={"batch_size": 4},
        cache=cache,
        settings=AlignSettings("bleu", order=1),
    )
    recorder = run_to_end(qtbot, TaskWorker(job), "finished")
    labels = [e[3] for e in recorder.events if e[0] == "progress"]
    assert labels.index("aligning") > labels.index("translating")
    assert "translating" not in labels[labels.index("aligning") :]
    result = recorder.events[-1][1]
    assert isinstance(result, TranslateAlignResult)
    assert result.translation.articles == source.articles
    assert len(cache) == 10
    covered = {i for unit in result.units for i in unit.source}
    assert covered <= set(range(len(source)))
    assert all(u.source or u.target for u in result.units)


def test_job_without_qt_cancels_between_stages(tiny_models: TinyModels):
    source = Document(tiny_models.sentences[:4], name="src")
    job = translate_and_align_job(source, source, tiny_models.marian)
    stages: list[str] = []

    def progress(done: int, total: int, label: str) -> None:
        stages.append(label)

    def cancel() -> bool:
        return bool(stages) and stages[-1] == "translating" and len(stages) > 1

    with pytest.raises(CancelledError):
        job(progress, cancel)
    assert "aligning" not in stages
    with pytest.raises(ModelError):
        translate_and_align_job(source, source, Path("/nonexistent-model"))(progress, lambda: False)


def test_ableu_without_embeddings_self_trains_on_the_translation(tiny_models: TinyModels):
    s = tiny_models.sentences
    source = Document(s[:8], name="src")
    target = Document(s[20:28], name="tgt")
    labels: list[tuple[int, int, str]] = []
    job = translate_and_align_job(
        source, target, tiny_models.marian, settings=AlignSettings("ableu", order=1)
    )
    result = job(lambda done, total, label: labels.append((done, total, label)), lambda: False)
    aligning = [x for x in labels if x[2] == "aligning"]
    # self-training reports its stages as percentages, ending with "done"
    assert aligning and aligning[-1][:2] == (100, 100)
    assert {i for u in result.units for i in u.source} <= set(range(8))
    assert all(u.source or u.target for u in result.units)
