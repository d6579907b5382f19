"""A review window in its own process for tests/test_safety_audit_gui2.py: it makes one
decision of each kind from a script, prints the project's state after each as a JSON line and
waits for a line on stdin before the next, so that the test can SIGKILL it at any step."""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def state(project) -> dict:
    doc = project.documents()[0].id
    return {
        "units": [[list(u.source_ids), list(u.target_ids), u.status] for u in project.units()],
        "source": project.source(doc).sentences,
        "target": project.target(doc).sentences,
        "can_undo": project.can_undo(),
        "can_redo": project.can_redo(),
    }


def main(path: str) -> None:
    from PySide6.QtWidgets import QApplication

    from workbench.gui.window import MainWindow

    app = QApplication([])
    window = MainWindow()
    window.show()
    assert window.open_project(path)
    c, project = window.controller, window.project
    doc = project.documents()[0].id

    def edit_text() -> None:
        fixed = project.source(doc).sentences[0] + " (fixed)"
        c.undo_stack.perform("Fix text", lambda: project.edit_sentence(doc, "source", 0, fixed))

    steps = [
        ("accept", lambda: (c.go_to_row(0), c.accept())),
        ("reject", lambda: (c.go_to_row(1), c.reject())),
        ("merge", lambda: (c.go_to_row(2), c.merge_with_next())),
        ("split", lambda: (c.go_to_row(2), c.split())),
        ("move", lambda: (c.go_to_row(4), c.move_sentence("source", "down"))),
        ("edit", edit_text),
        ("undo edit", c.undo),
        ("redo edit", c.redo),
        ("undo edit again", c.undo),
        ("undo move", c.undo),
        ("accept merged", lambda: (c.go_to_row(2), c.accept())),
    ]
    for name, step in steps:
        step()
        app.processEvents()
        print(json.dumps({"step": name, **state(project)}, ensure_ascii=False), flush=True)
        if not sys.stdin.readline():
            return
    print("END", flush=True)
    sys.stdin.readline()  # held open until the test kills it


if __name__ == "__main__":
    main(sys.argv[1])
