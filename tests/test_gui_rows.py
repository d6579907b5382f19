"""Rows of the review table fit their text: whole lines only, the current row in full, the
first pending unit in view, and a window that fits half a laptop screen (offscreen Qt)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from PySide6.QtWidgets import QApplication

from workbench.align import AlignmentUnit
from workbench.gui.delegate import marker_height
from workbench.gui.model import COL_MT, TEXT_COLUMNS
from workbench.project import Project
from workbench.textio import Document

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
]


def sentence(i: int, words: int) -> str:
    return " ".join(f"{WORDS[(i + k) % len(WORDS)]}{k}" for k in range(words)) + " ."


@pytest.fixture
def long_project(tmp_path):
    """60 one-to-one units whose lengths run from 3 to 140 words (up to a dozen lines)."""
    n = 60
    lengths = [3 + (i * 37) % 140 for i in range(n)]
    source = Document([sentence(i, w) for i, w in enumerate(lengths)])
    target = Document([sentence(i + 5, w) for i, w in enumerate(lengths)])
    path = tmp_path / "long.wbproj"
    with Project.create(path) as project:
        doc = project.add_document(source, target, name="long")
        project.set_translation(doc, [sentence(i + 2, w) for i, w in enumerate(lengths)], "file")
        units = [AlignmentUnit((i,), (i,), 0.5) for i in range(n)]
        project.set_suggestions(doc, units, "bleu")
        for unit in project.units()[:23]:
            project.decide(unit.id, "accepted")
    return path


@pytest.fixture
def open_window(qtbot, private_qsettings, tmp_path):
    from workbench.gui.window import MainWindow

    windows = []

    def make(path, size=(1280, 720)):
        win = MainWindow(data_dir=tmp_path)
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        win.open_project(path)
        settle()
        windows.append(win)
        return win

    yield make
    for win in windows:
        win.close()


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def visible_rows(win) -> list[int]:
    view = win.view
    first = max(view.rowAt(0), 0)
    last = view.rowAt(view.viewport().height() - 1)
    last = win.model.rowCount() - 1 if last < 0 else last
    return list(range(first, last + 1))


def cut_cells(win) -> tuple[list[str], int, int]:
    """(cells whose text is cut through a line, cells eliding whole lines, cells checked) for
    every text cell on screen, from the delegate's own layout and the painted cell rects."""
    view, delegate = win.view, win.delegate
    bad, elided, checked = [], 0, 0
    for row in visible_rows(win):
        unit = win.model.unit_at(row)
        for col in TEXT_COLUMNS:
            if view.isColumnHidden(col):
                continue
            rect = view.visualRect(win.model.index(row, col))
            doc = delegate.document(unit, col, rect.width(), view.font(), view.palette())
            shown, hidden = delegate.visible_height(doc, rect.height(), view.font())
            checked += 1
            for top, bottom in delegate.line_extents(doc):
                if top < shown - 0.5 and bottom > shown + 0.5:
                    bad.append(
                        f"row {row + 1} column {col}: line {top:.0f}-{bottom:.0f} cut at {shown:.0f}"
                    )
            if hidden:
                elided += 1
                if shown + marker_height(view.font()) > rect.height() + 0.5:
                    bad.append(f"row {row + 1} column {col}: the marker overlaps the text")
                if (
                    row == win.controller.current_row()
                    and rect.height() < view.viewport().height() - 8
                ):
                    bad.append(f"row {row + 1}: the current row is cut")
    return bad, elided, checked


@pytest.mark.parametrize("size", [(1280, 720), (1024, 640), (800, 500)])
def test_no_visible_cell_cuts_a_line(open_window, long_project, size):
    win = open_window(long_project, size)
    bad, elided, checked = cut_cells(win)
    assert checked >= 6
    assert not bad
    # Scroll a few pages down from the keyboard and look again.
    for _ in range(3):
        win.controller.go_to_row(win.controller.current_row() + 4)
        settle()
        bad, elided_here, _ = cut_cells(win)
        assert not bad
        elided += elided_here
    assert elided, "the long rows were not capped (nothing elided)"


def test_rows_grow_to_their_text_and_the_current_row_shows_all(open_window, long_project):
    win = open_window(long_project)
    view, fitter = win.view, win.row_fitter
    rows = visible_rows(win)
    heights = {row: view.rowHeight(row) for row in rows}
    short = [r for r in rows if len(win.model.unit_at(r).source_text.split()) < 8]
    long = [r for r in rows if len(win.model.unit_at(r).source_text.split()) > 100]
    assert short and long
    assert max(heights[r] for r in short) < min(heights[r] for r in long)
    capped = next(r for r in long if r != win.controller.current_row())
    win.controller.go_to_row(capped)
    settle()
    assert view.rowHeight(capped) > heights[capped]  # now in full
    assert fitter.fully_visible(capped)
    bad, _, _ = cut_cells(win)
    assert not bad


def test_opens_on_the_first_pending_unit_fully_visible(open_window, long_project):
    win = open_window(long_project, (1024, 640))
    assert win.controller.current_row() == 23  # the first 23 are accepted
    assert win.row_fitter.fully_visible(23)
    # Later passes (rows above it fitted as they come into view) leave it in place.
    y = win.view.rowViewportPosition(23)
    win.refit_current_row()
    settle()
    assert win.row_fitter.fully_visible(23)
    assert win.view.rowViewportPosition(23) == y


def test_the_window_fits_half_a_laptop_screen(open_window, long_project):
    win = open_window(long_project, (800, 500))
    assert win.minimumSizeHint().width() <= 683  # half of a 1366-pixel screen
    assert win.width() == 800
    mt_width = win.view.columnWidth(COL_MT)
    source_width = win.view.columnWidth(TEXT_COLUMNS[0])
    win.mt_column_action.trigger()  # the MT column collapses, source and target widen
    settle()
    assert win.view.isColumnHidden(COL_MT)
    assert win.view.columnWidth(TEXT_COLUMNS[0]) > source_width + mt_width // 4
    bad, _, _ = cut_cells(win)
    assert not bad
    win.mt_column_action.trigger()
    assert not win.view.isColumnHidden(COL_MT)


def test_a_window_opened_before_it_is_shown_fits_its_rows_when_shown(
    qtbot, private_qsettings, tmp_path, long_project
):
    """``workbench gui P`` opens the project before the window is shown (rows are not fitted
    while it is hidden: its columns have no width yet); shown, it fits them and opens on the
    first pending unit, fully visible."""
    from workbench.gui.app import build_window

    win = build_window(long_project, data_dir=tmp_path)
    qtbot.addWidget(win)
    assert not win.isVisible()
    win.resize(1024, 640)
    win.show()
    qtbot.waitExposed(win)
    settle()
    assert win.controller.current_row() == 23
    assert win.row_fitter.fully_visible(23)
    bad, _, checked = cut_cells(win)
    assert checked >= 6 and not bad
    win.close()


def test_moving_the_cursor_fits_once_however_often_the_table_was_reset(open_window, long_project):
    """Every reset of the model (a filter, another document, a merge) connected the fitter to
    the cursor once more, so that after n resets each move fitted the rows n times over."""
    from PySide6.QtCore import SIGNAL

    win = open_window(long_project)
    selection = win.view.selectionModel()
    signal = SIGNAL("currentRowChanged(QModelIndex,QModelIndex)")
    receivers = selection.receivers(signal)
    calls = []
    fit = win.row_fitter.fit
    win.row_fitter.fit = lambda: (calls.append(1), fit())[1]
    win.controller.go_to_row(win.controller.current_row() + 1)
    settle()
    first = len(calls)
    for k in (1, 0) * 5:
        win.status_combo.setCurrentIndex(k)
        settle()
    assert selection.receivers(signal) == receivers
    calls.clear()
    win.controller.go_to_row(win.controller.current_row() + 1)
    assert len(calls) == 1  # the move's own fitting, before any timer runs
    settle()
    assert len(calls) <= first
