"""`project align` of every document keeps the pairs a `project import` brought in: they are
someone's alignment (a corpus to review), replaced only when the document is named."""

from __future__ import annotations

from pathlib import Path

from workbench.cli import main
from workbench.project import Project

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"


def pairs_of(project: Project, doc_id: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    return [(u.source_ids, u.target_ids) for u in project.units(doc_id)]


def test_align_of_every_document_keeps_imported_pairs(tmp_path, capsys):
    ko = (DEMO / "ko.txt").read_text(encoding="utf-8").splitlines()
    en = (DEMO / "en.txt").read_text(encoding="utf-8").splitlines()
    # Line by line: the demo's split and merge make some of these pairs wrong, which an
    # alignment would change.
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("".join(f"{s}\t{t}\n" for s, t in zip(ko, en, strict=False)), "utf-8")
    proj = str(tmp_path / "p.wbproj")
    assert main(["project", "create", proj]) == 0
    assert main(["project", "import", proj, str(tsv)]) == 0
    assert (
        main(
            [
                "project",
                "add",
                proj,
                str(DEMO / "ko.txt"),
                str(DEMO / "en.txt"),
                "--mt",
                str(DEMO / "mt.en.txt"),
            ]
        )
        == 0
    )
    with Project.open(proj) as project:
        imported = pairs_of(project, 1)
        ids = [u.id for u in project.units(1)]
        assert project.holds_imported_pairs(1)
        assert not project.holds_imported_pairs(2)
    capsys.readouterr()

    assert main(["project", "align", proj]) == 0
    out = capsys.readouterr().out
    assert "document 1: imported pairs kept (align them with --doc 1)" in out
    assert "document 2: run " in out
    with Project.open(proj) as project:
        assert pairs_of(project, 1) == imported  # untouched, ids included
        assert [u.id for u in project.units(1)] == ids
        assert project.suggestion_runs(1) == []
        assert project.suggestion_runs(2)

    # Named, the document is aligned; from then on it is a document like any other.
    assert main(["project", "align", proj, "--doc", "1"]) == 0
    assert "document 1: run " in capsys.readouterr().out
    with Project.open(proj) as project:
        assert pairs_of(project, 1) != imported
        assert not project.holds_imported_pairs(1)
    assert main(["project", "align", proj]) == 0
    out = capsys.readouterr().out
    assert "document 1: run " in out and "kept" not in out
