"""Data-safety audit: cases where real files changed or lost text, one test per case
(docs/bad-input.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.corpus import read_pairs

SOURCE = ["Der Hund\tbellt.", "Die Katze\rschläft.", r"C:\temp\new ist ein Pfad."]
TARGET = ["Le chien\taboie.", "Le chat\rdort.", r"C:\temp\new est un chemin."]


def _write_doc(path: Path, lines: list[str]) -> Path:
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


@pytest.fixture
def tabbed(tmp_path: Path) -> tuple[Path, Path]:
    return _write_doc(tmp_path / "a.de", SOURCE), _write_doc(tmp_path / "a.fr", TARGET)


@pytest.mark.parametrize("confidence", [False, True])
def test_align_tsv_keeps_a_tab_inside_a_sentence_in_its_column(tabbed, tmp_path, confidence):
    # A tab in a sentence made four columns of two; a lone \r split the row for other tools.
    src, tgt = tabbed
    out = tmp_path / "out.tsv"
    extra = ["--with-confidence"] if confidence else []
    argv = ["align", str(src), str(tgt), "--format", "tsv", "-o", str(out), *extra]
    assert main(argv) == 0
    rows = out.read_text(encoding="utf-8").split("\n")[1:-1]
    assert len(rows) == 3
    assert all(len(row.split("\t")) == (3 if confidence else 2) for row in rows)
    if not confidence:
        pairs = read_pairs(out)
        assert [p.source for p in pairs] == SOURCE
        assert [p.target for p in pairs] == TARGET


def test_align_tsv_without_tabs_is_written_verbatim(tmp_path, capsys):
    src = _write_doc(tmp_path / "a.de", ["Der Hund.", r"C:\temp\new ist ein Pfad."])
    tgt = _write_doc(tmp_path / "a.fr", ["Le chien.", r"C:\temp\new est un chemin."])
    assert main(["align", str(src), str(tgt), "--format", "tsv"]) == 0
    out = capsys.readouterr().out
    assert out.split("\n") == [
        "Der Hund.\tLe chien.",
        "C:\\temp\\new ist ein Pfad.\tC:\\temp\\new est un chemin.",
        "",
    ]


def test_batch_tsv_refuses_a_tab_in_a_sentence_instead_of_changing_it(tabbed, tmp_path, capsys):
    # The batch TSV replaced a tab or CR in a sentence by a space: the corpus silently changed.
    src, tgt = tabbed
    ok_src = _write_doc(tmp_path / "b.de", ["Ein Satz.", "Zwei."])
    ok_tgt = _write_doc(tmp_path / "b.fr", ["Une phrase.", "Deux."])
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(f"source\ttarget\n{src}\t{tgt}\n{ok_src}\t{ok_tgt}\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    assert main(["batch", str(manifest), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "failed a: source sentence 0 contains a tab" in err
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split("\t")[0] for r in rows[1:]] == ["b", "b"]
    assert "Der Hund bellt." not in out.read_text(encoding="utf-8")
    # A project holds any text: the same document aligns there, unchanged.
    project = tmp_path / "p.wbproj"
    assert main(["batch", str(manifest), "--project", str(project)]) == 0
    from workbench import Project

    with Project.open(project, read_only=True) as p:
        doc = next(d for d in p.documents() if d.name == "a")
        assert p.original(doc.id, "source").sentences == SOURCE
