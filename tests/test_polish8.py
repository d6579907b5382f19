"""Eighth polish: the window's own wording for exporting a never-aligned project, compact rows
in the spot-check report window (docs/review-window.md, "Polish (eighth session)")."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import main
from workbench.project import Project
from workbench.textio import Document


def _project(path: Path, n_docs: int) -> Project:
    project = Project.create(path)
    for k in range(n_docs):
        project.add_document(
            Document([f"Der Hund {k} bellt.", "Die Katze schläft."]),
            Document([f"Le chien {k} aboie.", "Le chat dort."]),
            name=f"doc {k + 1}",
        )
    return project


def test_window_export_of_a_never_aligned_project_says_it_in_the_windows_words(qtbot, tmp_path):
    from workbench.gui.window import MainWindow

    w = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(w)
    w.show()
    for n_docs, says in ((1, "the document is not aligned yet"), (2, "no document is aligned")):
        project = _project(tmp_path / f"p{n_docs}.wbproj", n_docs)
        w.set_project(project)
        out = tmp_path / f"out{n_docs}.tsv"
        assert not w.export_pairs(out)
        text = w.last_error.text()
        assert says in text and "Tools ▸ Align again (Ctrl+L)" in text, text
        assert "workbench project align" not in text and not out.exists()
    w.close()


def test_cli_export_of_several_never_aligned_documents_says_none_is_aligned(tmp_path, capsys):
    """The command line keeps its wording (test_curator_trust8 checks one document); with
    several it said "no document is not aligned yet"."""
    path = tmp_path / "p.wbproj"
    _project(path, 2).close()
    out = tmp_path / "out.tsv"
    assert main(["project", "export", str(path), str(out)]) == 2
    err = capsys.readouterr().err
    assert "no document is aligned yet, `workbench project align" in err, err
    assert "not aligned" not in err and not out.exists()


def test_report_window_rows_fit_their_text(qtbot, tmp_path):
    from workbench.gui.spotcheck import ReportView
    from workbench.spotcheck.project_data import gather_report

    with _project(tmp_path / "p.wbproj", 10) as project:
        for d in project.documents():
            project.align(d.id)
        report = gather_report(project, ["bleu"], compute=False)
    view = ReportView(report)
    qtbot.addWidget(view)
    view.resize(1000, 720)
    view.show()
    for table in (view.table, view.per_document):
        line = table.fontMetrics().height()
        assert all(line <= table.rowHeight(r) <= line + 8 for r in range(table.rowCount()))
    # the per-document table shows eight rows before scrolling (six at the style's 30 px)
    shown = view.per_document
    assert shown.rowCount() == 10
    assert shown.rowAt(shown.viewport().height() - 1) >= 7


def test_report_window_per_document_table_no_taller_than_its_rows(qtbot, tmp_path):
    from workbench.gui.spotcheck import ReportView
    from workbench.spotcheck.project_data import gather_report

    with _project(tmp_path / "p.wbproj", 1) as project:
        project.align(project.documents()[0].id)
        report = gather_report(project, ["bleu"], compute=False)
    view = ReportView(report)
    qtbot.addWidget(view)
    view.resize(1000, 720)
    view.show()
    table = view.per_document
    assert table.rowCount() == 1
    assert table.height() <= table.horizontalHeader().height() + table.rowHeight(0) + 12
