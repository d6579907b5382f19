"""The worker hands failures over as exceptions, with the traceback of a bug logged."""

from __future__ import annotations

import logging

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from workbench.errors import InputError
from workbench.gui.worker import TaskWorker, failure_details, failure_message


def _fail(exc: BaseException):
    def job(progress, cancel):
        raise exc

    return job


def test_a_bug_reaches_the_window_as_the_exception_with_its_traceback_logged(qtbot, caplog):
    worker = TaskWorker(_fail(ZeroDivisionError("boom")))
    caught: list[BaseException] = []
    worker.error.connect(caught.append)
    with caplog.at_level(logging.ERROR, logger="workbench.gui.worker"):
        with qtbot.waitSignal(worker.error, timeout=10000):
            worker.start()
        assert worker.wait(5000)
    (exc,) = caught
    assert isinstance(exc, ZeroDivisionError) and exc.__traceback__ is not None
    assert failure_message(exc) == "unexpected error: ZeroDivisionError: boom"
    assert "Traceback" in failure_details(exc) and "raise exc" in failure_details(exc)
    (record,) = [r for r in caplog.records if r.name == "workbench.gui.worker"]
    assert record.exc_info and record.exc_info[0] is ZeroDivisionError


def test_a_users_error_is_its_own_message_and_not_logged(qtbot, caplog):
    worker = TaskWorker(_fail(InputError("no such file: x.txt")))
    caught: list[BaseException] = []
    worker.error.connect(caught.append)
    with caplog.at_level(logging.ERROR, logger="workbench.gui.worker"):
        with qtbot.waitSignal(worker.error, timeout=10000):
            worker.start()
        assert worker.wait(5000)
    assert failure_message(caught[0]) == "no such file: x.txt"
    assert not [r for r in caplog.records if r.name == "workbench.gui.worker"]


def test_the_window_shows_a_bugs_traceback_under_details(demo_window, qtbot):
    with qtbot.waitSignal(demo_window.task_done, timeout=10000) as done:
        assert demo_window.start_task(_fail(KeyError("k")), "testing", lambda r: None)
    assert done.args == ["failed"]
    box = demo_window.last_error
    assert box.text() == "unexpected error: KeyError: 'k'"
    assert "KeyError" in box.detailedText() and "Traceback" in box.detailedText()
    box.close()
