"""The review window's background task: one :class:`~workbench.gui.worker.TaskWorker` at a
time, its progress bar and Cancel button in the status bar, and what happens when it ends."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QPushButton, QStatusBar

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QMessageBox

    from workbench.gui.worker import TaskWorker
    from workbench.review.state import Job, OnDone


class TaskRunner(QObject):
    """Starts, shows, cancels and finishes the window's background tasks (``start``)."""

    done = Signal(str)  # "finished", "failed" or "cancelled"

    def __init__(
        self,
        bar: QStatusBar,
        show_message: Callable[[str], None],
        show_error: Callable[[str, str], QMessageBox],
    ) -> None:
        super().__init__(bar)
        self.show_message = show_message
        self.show_error = show_error
        self.worker: TaskWorker | None = None
        self._thread: QThread | None = None
        self._finishing: dict[int, tuple[TaskWorker, QThread]] = {}
        self._task: tuple[str, OnDone] = ("", lambda _result: None)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress.hide()
        self.cancel_button.hide()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

    def start(self, job: Job, label: str, on_done: OnDone) -> bool:
        """Run ``job(progress, cancel)`` on a worker thread, then ``on_done(result)`` here;
        False (with a message) while another task runs."""
        from workbench.gui.worker import TaskWorker

        if self.worker is not None:
            self.show_message("a background task is already running")
            return False
        worker = TaskWorker(job)
        self.worker = worker
        self.progress.setRange(0, 0)
        self.progress.setFormat(label)
        self.progress.show()
        self.cancel_button.show()
        self._task = (label, on_done)
        # Bound methods of this GUI-thread object, so that Qt queues the calls onto it.
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.error.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._thread = worker.start()
        return True

    @Slot(object)
    def _on_finished(self, result: Any) -> None:
        label, on_done = self._task
        self._over()
        try:
            summary = on_done(result)  # a handler may return its own one-line summary
        except WorkbenchError as exc:
            self.show_error(f"{label.capitalize()} failed", str(exc))
            self.done.emit("failed")
            return
        self.show_message(summary if isinstance(summary, str) else f"{label}: done")
        self.done.emit("finished")

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        from workbench.gui.worker import failure_details, failure_message

        label, _ = self._task
        self._over()
        box = self.show_error(f"{label.capitalize()} failed", failure_message(exc))
        if not isinstance(exc, WorkbenchError):  # a bug: the traceback under "Show Details…"
            box.setDetailedText(failure_details(exc))
        self.done.emit("failed")

    @Slot()
    def _on_cancelled(self) -> None:
        label, _ = self._task
        self._over()
        self.show_message(f"{label}: cancelled")
        self.done.emit("cancelled")

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, label: str) -> None:
        if total <= 0:  # a step of unknown length: a busy indicator
            self.progress.setRange(0, 0)
        else:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{label} %v/%m" if total else label)

    def _over(self) -> None:
        # The worker's thread quits through a queued call on this (GUI) thread, after this
        # slot returns; keep the worker and its QThread alive until the thread has finished.
        worker, self.worker = self.worker, None
        if worker is not None and self._thread is not None:
            thread = self._thread
            self._finishing = {k: v for k, v in self._finishing.items() if not v[1].isFinished()}
            self._finishing[id(thread)] = (worker, thread)
        self._thread = None
        self.progress.hide()
        self.cancel_button.hide()

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.show_message("cancelling…")

    def stop(self, timeout_ms: int = 10000) -> None:
        """Cancel a running task and let its thread end (events keep flowing meanwhile, since
        the thread's quit is delivered on this thread)."""
        from PySide6.QtCore import QDeadlineTimer
        from PySide6.QtWidgets import QApplication

        if self.worker is not None:
            self.worker.cancel()
        deadline = QDeadlineTimer(timeout_ms)
        while (self.worker is not None or self._finishing) and not deadline.hasExpired():
            QApplication.processEvents()
            for key, (_, thread) in list(self._finishing.items()):
                if thread.wait(10):
                    del self._finishing[key]
