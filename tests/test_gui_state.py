"""The review window's state without the window (issue 17): a Qt-free object that the tools
receive, driven here by a stand-in presenter and a task starter that runs jobs at once."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from workbench.project import Project
from workbench.review import tasks
from workbench.review.state import ReviewState
from workbench.textio import Document

SETTINGS = {
    "translator_model": "",
    "embeddings": "",
    "scorer": "bleu",
    "order": 2,
    "threshold": 0.5,
    "reviewer": "",
}


class StandIn:
    """A presenter that records what the state asked of it."""

    def __init__(self) -> None:
        self.state: ReviewState | None = None
        self.messages: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.chosen: int | None = None
        self.applied: list[dict[str, Any]] = []
        self.realigned = 0
        self.rows = 0

    def show_message(self, text: str) -> None:
        self.messages.append(text)

    def show_error(self, title: str, text: str) -> object:
        self.errors.append((title, text))
        return None

    def chosen_doc_id(self) -> int | None:
        return self.chosen

    def apply_settings(self, values: dict[str, Any]) -> None:
        self.applied.append(values)
        assert self.state is not None
        self.state.settings = dict(values)

    def after_alignment(self, result: Any = None) -> None:
        self.realigned += 1

    def rows_changed(self) -> None:
        self.rows += 1


def run_now(job: Any, label: str, on_done: Any) -> bool:
    """The worker's contract on this thread: ``job(progress, cancel)``, then ``on_done``."""
    on_done(job(lambda done, total, what: None, lambda: False))
    return True


def _documents(n: int = 30, seed: int = 3) -> tuple[Document, Document, Document]:
    rnd = random.Random(seed)
    src, tgt, mt = [], [], []
    for k in range(n):
        words = rnd.sample(range(200), 7)
        src.append(" ".join(f"w{w}" for w in words) + f" {k} .")
        tgt.append(" ".join(f"f{w}" for w in words) + f" {k} .")
        mt.append(" ".join(f"f{w}" if rnd.random() < 0.6 else "x" for w in words) + f" {k} .")
    return Document(src), Document(tgt), Document(mt)


def _project(path: Path) -> Project:
    source, target, mt = _documents()
    project = Project.create(path)
    doc_id = project.add_document(source, target, name="doc")
    project.set_translation(doc_id, mt.sentences, "file:mt.txt")
    return project


def _state(project: Project | None) -> tuple[ReviewState, StandIn]:
    presenter = StandIn()
    state = ReviewState(presenter, run_now, SETTINGS, project)
    presenter.state = state
    return state, presenter


def test_the_state_and_its_jobs_import_no_qt():
    code = (
        "import sys, workbench.review.state, workbench.review.tasks; "
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_document_aligned_through_the_state_is_stored_as_project_align_stores_it(tmp_path):
    with _project(tmp_path / "api.wbproj") as project:
        project.align(project.documents()[0].id, scorer="bleu")
        expected = [(u.source_ids, u.target_ids, u.score) for u in project.units()]
        assert len(expected) >= 25
    with _project(tmp_path / "state.wbproj") as project:
        state, presenter = _state(project)
        doc_id = state.current_doc_id()  # the view chose none: the first document
        assert doc_id == project.documents()[0].id
        assert state.align_settings(doc_id).order == 2  # against its translation
        assert tasks.align_document(state, doc_id)
        assert [(u.source_ids, u.target_ids, u.score) for u in project.units()] == expected
    assert presenter.realigned == 1  # the view re-read its rows once, after storing


def test_without_a_project_the_state_says_so(tmp_path):
    state, presenter = _state(None)
    assert state.current_doc_id() is None
    assert not tasks.align_document(state, 1)
    assert presenter.messages == ["open or create a project first"]


def test_spotcheck_tools_draw_a_sample_through_the_state_without_a_window(tmp_path, qtbot):
    from workbench.gui.spotcheck_menu import SpotCheckTools

    with _project(tmp_path / "p.wbproj") as project:
        project.align(project.documents()[0].id, scorer="bleu")
        state, presenter = _state(project)
        tools = SpotCheckTools(state)
        options = {
            "size": 5,
            "margin": None,
            "seed": 3,
            "stratify": None,
            "source": "suggestions",
            "scorers": ["bleu"],
            "name": "",
        }
        assert tools.new_sample(options)
        (sample,) = project.samples()
        assert tools.last_sample_id == sample.id
        assert len(project.sample_items(sample.id)) == 5
    # the store's suggestion runs changed: the view was told through the public hook
    assert presenter.realigned == 1


def test_retraining_through_the_state_switches_its_settings_and_refreshes_the_rows(tmp_path, qtbot):
    from PySide6.QtWidgets import QMainWindow, QTableView

    from workbench.gui.delegate import UnitDelegate
    from workbench.gui.embedding_tools import EmbeddingTools, embedding_path

    with _project(tmp_path / "p.wbproj") as project:
        project.align(project.documents()[0].id, scorer="bleu")
        pairs = [u.id for u in project.units() if u.source_ids and u.target_ids]
        project.decide_many(pairs[:15], "accepted")
        state, presenter = _state(project)
        host = QMainWindow()
        qtbot.addWidget(host)
        view = QTableView(host)
        tools = EmbeddingTools(state, host, view, UnitDelegate(view))
        tools.train_options = {"epochs": 3, "vector_size": 24}
        assert tools.retrain()
        path = embedding_path(project.path)
        assert path.is_file()
        assert state.settings["embeddings"] == str(path)
        assert state.settings["scorer"] == "ableu"
        assert {u.scorer for u in project.units(status="pending") if u.score is not None} == {
            "ableu"
        }
    assert presenter.applied and presenter.rows == 1 and presenter.realigned == 0


@pytest.mark.parametrize("module", ["embedding_tools", "spotcheck_menu", "power", "fonts", "app"])
def test_no_tool_takes_an_untyped_window(module):
    import inspect
    from importlib import import_module

    source = inspect.getsource(import_module(f"workbench.gui.{module}"))
    assert "window: Any" not in source and "project: Any" not in source
