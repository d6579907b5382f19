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
