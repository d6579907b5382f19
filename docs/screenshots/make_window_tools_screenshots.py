"""Screenshots of the window tools: the Neighbours dock after retraining on the demo, and the
judging view opened from the Spot-check menu. Run from the checkout root:
``QT_QPA_PLATFORM=offscreen python docs/screenshots/make_window_tools_screenshots.py``."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, Qt
from PySide6.QtTest import QTest

from workbench.gui.app import make_application
from workbench.gui.window import MainWindow

OUT = Path("docs/screenshots")


def settle(app: object) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> None:
    app = make_application(offscreen=True)
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp / "cfg"))
    window = MainWindow(data_dir=tmp)
    window.resize(1600, 900)
    window.show()
    window.open_demo()
    project = window.project
    ids = [u.id for u in project.units() if u.source_ids and u.target_ids][:20]
    project.decide_many(ids, "accepted")
    window.model.refresh()
    loop = QEventLoop()
    window.task_done.connect(lambda _state: loop.quit())
    window.embedding_tools.retrain()
    loop.exec()
    print(window.embedding_tools.last_report.message())
    window.embedding_tools.show_word("수소")
    settle(app)
    window.resizeDocks([window.embedding_tools.dock], [600], Qt.Orientation.Horizontal)
    window.controller.go_to_row(6)
    settle(app)
    window.grab().save(str(OUT / "window-neighbours.png"))
    options = {"size": 8, "margin": None, "seed": 1, "stratify": None}
    options |= {"source": "suggestions", "scorers": ["bleu"], "name": "demo sample"}
    window.spotcheck_tools.new_sample(options)
    loop.exec()
    view = window.spotcheck_tools.judge_sample()
    for key in (Qt.Key.Key_C, Qt.Key.Key_C, Qt.Key.Key_I):
        QTest.keyClick(view, key)
    settle(app)
    view.grab().save(str(OUT / "window-judging.png"))
    window.close()


if __name__ == "__main__":
    main()
