"""Running a Qt-free job on a QThread, reporting back through signals.

A job is any callable ``job(progress, cancel) -> result`` where ``progress(done, total,
label)`` reports and ``cancel()`` says whether to stop (the job then raises
:class:`~workbench.errors.CancelledError`). The worker never touches widgets: windows connect
slots to its signals, which Qt delivers on the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from workbench.errors import CancelledError, WorkbenchError

LOG = logging.getLogger("workbench.gui.worker")
JobProgress = Callable[[int, int, str], None]
Job = Callable[[JobProgress, Callable[[], bool]], Any]


class TaskWorker(QObject):
    """Runs one job on its own QThread; emits ``finished``, ``failed`` or ``cancelled`` once.

    Usage::

        worker = TaskWorker(job)
        worker.progress.connect(window.show_progress)
        worker.finished.connect(window.show_result)
        worker.error.connect(window.show_failure)     # the exception (``failure_text``)
        worker.start()
        ...
        worker.cancel()                                # from the GUI thread, any time
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)  # the failure as one line (``failure_message``)
    error = Signal(object)  # the exception itself, with its ``__traceback__``
    cancelled = Signal()

    def __init__(self, job: Job) -> None:
        super().__init__()  # no parent: a QObject with a parent cannot change threads
        self._job = job
        self._cancel = threading.Event()
        self._thread: QThread | None = None

    def start(self) -> QThread:
        """Move to a new QThread and run the job there; the thread quits when it is done."""
        if self._thread is not None:
            raise RuntimeError("a TaskWorker runs its job once")
        thread = QThread()
        self.moveToThread(thread)
        thread.started.connect(self.run)
        self._thread = thread
        thread.start()
        return thread

    def cancel(self) -> None:
        """Ask the job to stop at its next check (thread-safe; takes effect between batches)."""
        self._cancel.set()

    def wait(self, msecs: int = -1) -> bool:
        """Block until the thread has finished (for tests and shutdown)."""
        if self._thread is None:
            return True
        return self._thread.wait() if msecs < 0 else self._thread.wait(msecs)

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self._report, self._cancel.is_set)
        except CancelledError:
            self.cancelled.emit()
        except Exception as exc:  # a bug must reach the window too, not kill the thread
            if not isinstance(exc, WorkbenchError):
                LOG.error("background task failed", exc_info=exc)
            self.error.emit(exc)
            self.failed.emit(failure_message(exc))
        else:
            # A job stops by raising CancelledError; one that returned has done its work
            # (stored its result, maybe): a cancel that came too late must not hide that.
            self.finished.emit(result)
        finally:
            # Quit from inside: a queued quit would wait for a GUI thread that may be blocked
            # in wait(). QThread.quit is thread-safe.
            QThread.currentThread().quit()

    def _report(self, done: int, total: int, label: str) -> None:
        self.progress.emit(int(done), int(total), str(label))


def failure_message(exc: BaseException) -> str:
    """One line for the user: a WorkbenchError's own message, otherwise the exception's type
    and message (a bug: its traceback is logged and in :func:`failure_details`)."""
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return f"unexpected error: {type(exc).__name__}: {exc}"


def failure_details(exc: BaseException) -> str:
    """The exception's traceback, for a message box's details."""
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
