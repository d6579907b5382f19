"""The core and command line keep what a curator made and say what they did (docs/bad-input.md,
"Curator trust (eighth session)"): each test fails without its fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.project import Project


def _tsv(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(f"{s}\t{t}\n" for s, t in rows), encoding="utf-8")
    return path


def _imported(tmp_path: Path, rows: list[tuple[str, str]], status: str = "accepted") -> Path:
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    tsv = _tsv(tmp_path / "in.tsv", rows)
    assert main(["project", "import", str(proj), str(tsv), "--status", status]) == 0
    return proj


# -- "1 pairs written": counts say 1 pair, and N pairs for every other N ----------------------
def test_counts_of_one_are_singular_and_others_unchanged(tmp_path, capsys):
    proj = _imported(tmp_path, [("Eins.", "Un.")])
    assert "document 1: 1 pair (accepted)" in capsys.readouterr().out
    out = tmp_path / "out.tsv"
    assert main(["project", "export", str(proj), str(out)]) == 0
    assert capsys.readouterr().err == f"1 pair written to {out}\n"
    assert main(["convert", str(out), str(tmp_path / "c.jsonl")]) == 0
    assert capsys.readouterr().err.startswith(f"1 pair written to {tmp_path / 'c.jsonl'} ")
    # --min-score leaves the imported pair out: "1 pairs have no score and were left out"
    assert main(["project", "export", str(proj), str(out), "--min-score", "0.1"]) == 0
    assert capsys.readouterr().err.startswith(
        "note: 1 pair has no score and was left out: 1 imported (never aligned here)\n"
    )
    (tmp_path / "two").mkdir()
    two = _imported(tmp_path / "two", [("Eins.", "Un."), ("Zwei.", "Deux.")])
    capsys.readouterr()
    assert main(["project", "export", str(two), str(out)]) == 0
    assert capsys.readouterr().err == f"2 pairs written to {out}\n"  # the phrase tools parse


# -- TMX inline codes were dropped without a word ----------------------------------------------
TMX_WITH_CODES = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="de" datatype="plaintext" segtype="sentence"
 adminlang="en" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
<tu><tuv xml:lang="de"><seg>Klicken Sie <bpt i="1">&lt;b&gt;</bpt>hier<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
<tuv xml:lang="fr"><seg>Cliquez <bpt i="1">&lt;b&gt;</bpt>ici<ept i="1">&lt;/b&gt;</ept>.</seg></tuv></tu>
<tu><tuv xml:lang="de"><seg>Seite<ph x="1">&lt;br/&gt;</ph>zwei.</seg></tuv>
<tuv xml:lang="fr"><seg>Page deux.</seg></tuv></tu>
<tu><tuv xml:lang="de"><seg>Ohne Code.</seg></tuv><tuv xml:lang="fr"><seg>Sans code.</seg></tuv></tu>
</body></tmx>
"""


def test_tmx_inline_codes_removed_are_counted(tmp_path, capsys):
    tmx = tmp_path / "in.tmx"
    tmx.write_text(TMX_WITH_CODES, encoding="utf-8")
    out = tmp_path / "out.tsv"
    assert main(["convert", str(tmx), str(out)]) == 0
    note = (
        f"note: {tmx}: inline codes (<bpt>, <ept>, <ph>, <it>, <ut>) removed from 3 segments, "
        "their text kept without them\n"
    )
    assert capsys.readouterr().err.startswith(note)
    assert out.read_text(encoding="utf-8").splitlines() == [
        "Klicken Sie hier.\tCliquez ici.",
        "Seitezwei.\tPage deux.",
        "Ohne Code.\tSans code.",
    ]
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    capsys.readouterr()
    assert main(["project", "import", str(proj), str(tmx)]) == 0
    assert capsys.readouterr().err == note
    # A file without codes gets no note.
    assert main(["convert", str(out), str(tmp_path / "back.tmx")]) == 0
    capsys.readouterr()
    assert main(["convert", str(tmp_path / "back.tmx"), str(tmp_path / "again.tsv")]) == 0
    assert "note" not in capsys.readouterr().err


# -- a blank line facing a blank line: an empty pair, confident, exported by --all ------------
def _blank_pairs(tmp_path: Path) -> Path:
    from workbench.align import AlignmentUnit
    from workbench.textio import Document

    path = tmp_path / "b.wbproj"
    with Project.create(path) as project:
        doc = project.add_document(
            Document(["Eins.", "", "Drei.", ""], name="de"),
            Document(["Un.", "", "", "Quatre."], name="fr"),
        )
        units = [AlignmentUnit((k,), (k,), 0.5, "dp", 0.9) for k in range(4)]
        project.set_suggestions(doc, units, "bleu")
    return path


def test_pairs_with_an_empty_side_have_no_confidence_and_are_not_exported(tmp_path, capsys):
    path = _blank_pairs(tmp_path)
    with Project.open(path, read_only=True) as project:
        # The sentences' pair keeps the aligner's confidence; blank against blank or against
        # a sentence has none.
        assert [u.confidence for u in project.units(1)] == [0.9, None, None, None]
    out = tmp_path / "out.tsv"
    assert main(["project", "export", str(path), str(out), "--all"]) == 0
    assert capsys.readouterr().err == (
        "note: 3 pairs with an empty side were left out (1 blank against blank, 2 blank "
        "against a sentence; no training data); --keep-empty exports them\n"
        f"1 pair written to {out}\n"
    )
    assert out.read_text(encoding="utf-8") == "Eins.\tUn.\n"
    assert main(["project", "export", str(path), str(out), "--all", "--keep-empty"]) == 0
    assert capsys.readouterr().err == f"4 pairs written to {out}\n"
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4


def test_export_of_empty_pairs_only_writes_nothing(tmp_path, capsys):
    path = tmp_path / "e.wbproj"
    assert main(["project", "create", str(path)]) == 0
    tsv = _tsv(tmp_path / "in.tsv", [("Eins.", "")])
    assert main(["project", "import", str(path), str(tsv), "--status", "accepted"]) == 0
    out = tmp_path / "out.tsv"
    out.write_text("old\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["project", "export", str(path), str(out)]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {out}: no pairs to export: the one pair has an empty side (a "
        "blank line); nothing was written (--keep-empty exports them)\n"
    )
    assert out.read_text(encoding="utf-8") == "old\n"


# -- a re-alignment replaced imported pairs without a word -------------------------------------
ROWS = [("Eins.", "Un."), ("Zwei.", "Deux."), ("Drei und vier.", "Trois."), ("", "Quatre.")]


def _units(path: Path) -> list[tuple]:
    with Project.open(path, read_only=True) as project:
        return [(u.id, u.source_ids, u.target_ids, u.method) for u in project.units(1)]


@pytest.mark.parametrize("command", [["project", "realign"], ["realign"]])
def test_realign_keeps_imported_pairs_and_says_so(tmp_path, capsys, command):
    proj = _imported(tmp_path, ROWS, status="pending")
    before = _units(proj)
    capsys.readouterr()
    assert main([*command, str(proj), "--doc", "1"]) == 0
    assert _units(proj) == before  # were replaced by 'dp' units, the output said nothing
    err = capsys.readouterr().err
    assert (
        "note: document 1: 4 pending imported pairs kept as they were imported (a "
        "re-alignment replaces the aligner's suggestions only); `workbench project align "
        f"{proj} --doc 1` aligns the document anew\n"
    ) in err


def test_align_of_a_named_imported_document_says_what_it_replaced(tmp_path, capsys):
    proj = _imported(tmp_path, ROWS, status="pending")
    with Project.open(proj) as project:
        first = project.units(1)[0]
        project.decide_many([first.id], "accepted")
    capsys.readouterr()
    assert main(["project", "align", str(proj), "--doc", "1"]) == 0
    out = capsys.readouterr().out
    assert (
        "document 1: 3 pending imported pairs replaced by the alignment (accepted, rejected "
        "and edited ones kept)\n"
    ) in out
    assert _units(proj)[0] == (first.id, (0,), (0,), "imported")
    assert main(["project", "align", str(proj), "--doc", "1"]) == 0
    assert "imported" not in capsys.readouterr().out


# -- which scorer: every command defaults to bleu, `workbench realign` to the project's -------
def test_project_commands_say_which_scorer_they_used(tmp_path, capsys):
    proj = _imported(tmp_path, ROWS, status="pending")
    capsys.readouterr()
    assert main(["project", "align", str(proj), "--doc", "1"]) == 0
    err = capsys.readouterr().err
    assert "note: aligning with bleu, the default scorer (--scorer ableu for ABLEU)\n" in err
    assert main(["project", "realign", str(proj), "--doc", "1", "--scorer", "bleu"]) == 0
    assert "note: re-aligning" not in capsys.readouterr().err
    with Project.open(proj) as project:
        project.set_setting("scorer", "ableu")  # what the window's settings store
    assert main(["project", "realign", str(proj), "--doc", "1"]) == 0
    assert (
        "note: re-aligning with bleu, the default scorer; the project's setting (the "
        "window's) is ableu: give --scorer ableu\n"
    ) in capsys.readouterr().err
    assert main(["realign", str(proj), "--doc", "1"]) == 0
    assert (
        "note: re-aligning with ableu, the project's setting (give --scorer to choose)\n"
        in capsys.readouterr().err
    )


# -- the XLIFF --metadata note was written for people and never read back ---------------------
def _worktree_xliff():  # this tree's plugin (the installed one may be another tree's)
    import importlib.util

    pytest.importorskip("translate.storage.xliff")
    path = Path(__file__).parents[1] / "plugins/workbench-xliff/workbench_xliff/__init__.py"
    spec = importlib.util.spec_from_file_location("workbench_xliff_trust8", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_xliff_metadata_note_round_trips(tmp_path):
    from workbench.corpus import ParallelPair

    xliff = _worktree_xliff()
    pairs = [
        ParallelPair("Ja.", "Oui.", "a; score: 3.de", (0, 1), (2,), 0.123456789, "bleu"),
        ParallelPair("Nein.", "Non."),
        ParallelPair("Doch.", "Si.", "d", (3,), (4,), None, ""),
    ]
    path = tmp_path / "m.xlf"
    assert xliff.XliffExporter().write(pairs, path, metadata=True) == 3
    assert xliff.XliffExporter().read(path) == pairs  # the note was not read: metadata lost
    # An older export's note (score to 4 decimals) reads as written; other notes are no
    # metadata.
    assert xliff.parse_note("document: d; score: 0.5000; scorer: bleu") == {
        "document": "d",
        "score": 0.5,
        "scorer": "bleu",
    }
    assert xliff.parse_note("please check the date") == {}
    assert xliff.parse_note("score: high") == {}


# -- curator slips on the command line ---------------------------------------------------------
def _docs(tmp_path: Path) -> tuple[str, str]:
    src, tgt = tmp_path / "a.de", tmp_path / "a.fr"
    src.write_text("Der Hund bellt.\nDie Katze schläft.\n", encoding="utf-8")
    tgt.write_text("Le chien aboie.\nLe chat dort.\n", encoding="utf-8")
    return str(src), str(tgt)


def test_a_translation_that_is_the_document_itself_is_refused(tmp_path, capsys):
    """`align a.de a.fr --mt a.fr` (tab completion): the target as its own translation gave
    a perfect diagonal alignment, exit 0."""
    src, tgt = _docs(tmp_path)
    out = tmp_path / "out.txt"
    assert main(["align", src, tgt, "--mt", tgt, "-o", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {tgt}: --mt names the target ({tgt}) itself; --mt takes a "
        "translation of the source into the target's language (`workbench translate` makes "
        "one)\n"
    )
    assert not out.exists()
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    assert main(["project", "add", str(proj), src, tgt, "--mt-reverse", src]) == 2
    assert "--mt-reverse names the source" in capsys.readouterr().err
    with Project.open(proj, read_only=True) as project:
        assert project.documents() == []
    folders = [tmp_path / "src", tmp_path / "tgt"]
    for folder, text in zip(folders, (src, tgt), strict=True):
        folder.mkdir()
        (folder / "d.txt").write_text(Path(text).read_text(encoding="utf-8"), encoding="utf-8")
    args = ["batch", "--dirs", *map(str, folders), "-o", str(tmp_path / "o")]
    assert main([*args, "--mt-dir", str(folders[1])]) == 2
    assert f"{folders[1]}: --mt-dir names the target" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_a_project_file_cut_short_says_so(tmp_path, capsys):
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    data = proj.read_bytes()
    proj.write_bytes(data[:40])
    assert main(["project", "stats", str(proj)]) == 2
    assert capsys.readouterr().err.endswith(
        "damaged project file (cut short at 40 bytes); it was left untouched, restore it from "
        "a backup\n"
    )  # was "not a workbench project (not an SQLite database)"
    proj.write_bytes(b"")
    assert main(["project", "align", str(proj)]) == 2
    assert "an empty file (0 bytes), not a workbench project" in capsys.readouterr().err
    assert proj.read_bytes() == b""


def test_export_of_a_project_never_aligned_says_so(tmp_path, capsys):
    src, tgt = _docs(tmp_path)
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    assert main(["project", "add", str(proj), src, tgt]) == 0
    capsys.readouterr()
    out = tmp_path / "out.tsv"
    assert main(["project", "export", str(proj), str(out), "--all"]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {out}: no pairs to export (no pair with both sides accepted or "
        f"pending: the document is not aligned yet, `workbench project align {proj}` aligns "
        "it); nothing was written\n"
    )


# -- `project export P dev --format moses` wrote over the documents dev.de and dev.fr -----------
def test_export_over_a_document_of_the_project_is_refused(tmp_path, capsys):
    src, tgt = tmp_path / "dev.de", tmp_path / "dev.fr"
    src.write_text("Der Hund bellt.\r\nDie Katze schläft.\n.EOA\nEs regnet.\n", encoding="utf-8")
    tgt.write_text("\ufeffLe chien aboie.\nLe chat dort.\n.EOA\nIl pleut.\n", encoding="utf-8")
    before = src.read_bytes(), tgt.read_bytes()
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    add = ["project", "add", str(proj), str(src), str(tgt), "--mt", str(tgt.with_suffix(".mt"))]
    tgt.with_suffix(".mt").write_bytes(tgt.read_bytes())
    assert main([*add, "--source-lang", "de", "--target-lang", "fr"]) == 0
    assert main(["project", "align", str(proj)]) == 0
    capsys.readouterr()
    prefix = tmp_path / "dev"
    assert main(["project", "export", str(proj), str(prefix), "--format", "moses", "--all"]) == 2
    assert capsys.readouterr().err == (
        f"workbench: error: {src}: holds the source text of document 1 (dev.de) as it was "
        "added; the export would replace it. Choose another file name (Moses writes "
        "NAME.<language> for each side)\n"
    )
    assert (src.read_bytes(), tgt.read_bytes()) == before
    assert main(["project", "export", str(proj), str(tgt), "--format", "tsv", "--all"]) == 2
    assert "holds the target text of document 1" in capsys.readouterr().err
    assert (src.read_bytes(), tgt.read_bytes()) == before
    # An earlier export of that name is replaced as ever.
    out = tmp_path / "out"
    for _ in range(2):
        assert main(["project", "export", str(proj), str(out), "--format", "moses", "--all"]) == 0
    assert capsys.readouterr().err.count(f"3 pairs written to {out}.de, {out}.fr\n") == 2


# -- the same document added twice (a command run again) ---------------------------------------
def test_a_document_added_twice_is_noted(tmp_path, capsys):
    src, tgt = _docs(tmp_path)
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    assert main(["project", "add", str(proj), src, tgt]) == 0
    assert capsys.readouterr().err == ""
    assert main(["project", "add", str(proj), src, tgt]) == 0
    assert capsys.readouterr().err == (
        "note: document 2 holds the same sentences as document 1 (a.de): added twice? Both "
        f"would be reviewed and exported (`workbench project stats {proj}` lists the "
        "documents)\n"
    )
    tsv = _tsv(tmp_path / "in.tsv", [("Eins.", "Un.")])
    for _ in range(2):
        assert main(["project", "import", str(proj), str(tsv)]) == 0
    assert capsys.readouterr().err == (
        "note: document 4 holds the same sentences as document 3 (in.tsv): added twice? Both "
        f"would be reviewed and exported (`workbench project stats {proj}` lists the "
        "documents)\n"
    )
