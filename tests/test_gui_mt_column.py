"""The MT column is shown when the project holds a translation and hidden when none does,
until the curator shows or hides it from the View menu (offscreen Qt)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication

from workbench.align import AlignmentUnit
from workbench.gui.model import COL_MT, COL_SOURCE
from workbench.project import Project
from workbench.textio import Document

SOURCE = ["Das Haus ist rot .", "Der Hund schläft .", "Es regnet heute ."]
TARGET = ["La maison est rouge .", "Le chien dort .", "Il pleut aujourd'hui ."]
MT = ["The house is red .", "The dog sleeps .", "It rains today ."]


def make_project(path, with_mt: bool):
    with Project.create(path) as project:
        doc = project.add_document(Document(SOURCE), Document(TARGET), name="d")
        if with_mt:
            project.set_translation(doc, MT, "file")
        project.set_suggestions(doc, [AlignmentUnit((i,), (i,), 0.5) for i in range(3)], "bleu")
    return path


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def test_no_translation_hides_the_mt_column_and_gives_its_width_away(main_window, tmp_path):
    with_mt = make_project(tmp_path / "mt.wbproj", with_mt=True)
    without = make_project(tmp_path / "nomt.wbproj", with_mt=False)
    assert main_window.open_project(with_mt)
    settle()
    assert not main_window.view.isColumnHidden(COL_MT)
    assert main_window.mt_column_action.isChecked()
    width_beside_mt = main_window.view.columnWidth(COL_SOURCE)

    assert main_window.open_project(without)
    settle()
    assert main_window.view.isColumnHidden(COL_MT)
    assert not main_window.mt_column_action.isChecked()  # the menu says what the view does
    assert main_window.view.columnWidth(COL_SOURCE) > width_beside_mt

    assert main_window.open_project(with_mt)  # and back
    settle()
    assert not main_window.view.isColumnHidden(COL_MT)


def test_a_first_translation_brings_the_column(main_window, tmp_path):
    path = make_project(tmp_path / "nomt.wbproj", with_mt=False)
    assert main_window.open_project(path)
    settle()
    assert main_window.view.isColumnHidden(COL_MT)
    main_window.project.set_translation(1, MT, "file")
    main_window.after_alignment()  # what a finished translate-and-align task calls
    settle()
    assert not main_window.view.isColumnHidden(COL_MT)
    assert main_window.mt_column_action.isChecked()


def test_the_curators_choice_is_kept(main_window, tmp_path):
    without = make_project(tmp_path / "nomt.wbproj", with_mt=False)
    with_mt = make_project(tmp_path / "mt.wbproj", with_mt=True)
    assert main_window.open_project(with_mt)
    settle()
    main_window.mt_column_action.trigger()  # the curator hides it
    assert main_window.view.isColumnHidden(COL_MT)
    assert main_window.open_project(without)
    assert main_window.open_project(with_mt)
    settle()
    assert main_window.view.isColumnHidden(COL_MT)  # still hidden: the curator chose
    main_window.mt_column_action.trigger()
    assert main_window.open_project(without)
    settle()
    assert not main_window.view.isColumnHidden(COL_MT)  # shown, as the curator chose


def test_has_translation_per_side(tmp_path):
    path = make_project(tmp_path / "p.wbproj", with_mt=False)
    with Project.open(path) as project:
        assert not project.has_translation()
        project.set_translation(1, TARGET, "file", side="target")
        assert project.has_translation("target")
        assert not project.has_translation("source")
        project.set_translation(1, MT, "file")
        assert project.has_translation()
