"""`workbench project ...` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.cli import main
from workbench.project import Project

DE = ["Das ist gut.", "Ich gehe heim.", "Der Hund bellt.", ".EOA", "Es regnet.", "Gute Nacht."]
FR = ["C'est bien.", "Je rentre.", "Le chien aboie.", ".EOA", "Il pleut.", "Bonne nuit."]
MT = [
    "C'est bien.",
    "Je rentre à la maison.",
    "Le chien aboie.",
    ".EOA",
    "Il pleut.",
    "Bonne nuit.",
]


def write(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_create_add_align_stats_export(tmp_path, capsys):
    proj = str(tmp_path / "c.wbproj")
    assert main(["project", "create", proj, "--reviewer", "ann"]) == 0
    src, tgt = write(tmp_path / "de.txt", DE), write(tmp_path / "fr.txt", FR)
    mt = write(tmp_path / "mt.txt", MT)
    assert (
        main(
            [
                "project",
                "add",
                proj,
                src,
                tgt,
                "--mt",
                mt,
                "--source-lang",
                "de",
                "--target-lang",
                "fr",
            ]
        )
        == 0
    )
    assert main(["project", "align", proj, "--doc", "1"]) == 0
    with Project.open(proj) as p:
        assert p.get_setting("reviewer") == "ann"
        assert p.translation(1).sentences[1] == "Je rentre à la maison."
        units = p.units(1)
        assert [(u.source_ids, u.target_ids) for u in units] == [((i,), (i,)) for i in range(5)]
        p.decide_many([u.id for u in units[:4]], "accepted")
        p.decide(units[4].id, "rejected")
    capsys.readouterr()
    assert main(["project", "stats", proj]) == 0
    out = capsys.readouterr().out
    assert "de.txt" in out and "80.0%" in out
    out_file = tmp_path / "out.jsonl"
    assert main(["project", "export", proj, str(out_file), "--metadata"]) == 0
    rows = [json.loads(line) for line in out_file.read_text().splitlines()]
    assert [r["source"] for r in rows] == [
        "Das ist gut.",
        "Ich gehe heim.",
        "Der Hund bellt.",
        "Es regnet.",
    ]
    assert main(["project", "export", proj, str(tmp_path / "o.tsv"), "--min-score", "2"]) == 0
    assert (tmp_path / "o.tsv").read_text() == ""
    assert main(["project", "realign", proj, "--doc", "1"]) == 0
    assert main(["project", "audit", proj, "--csv", str(tmp_path / "a.csv")]) == 0
    assert "ann" in (tmp_path / "a.csv").read_text()


def test_import_pairs_and_errors(tmp_path, capsys):
    proj = str(tmp_path / "c.wbproj")
    main(["project", "create", proj])
    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("Hallo\tBonjour\nJa\tOui\n", encoding="utf-8")
    assert main(["project", "import", proj, str(tsv), "--status", "accepted"]) == 0
    with Project.open(proj) as p:
        assert [(q.source, q.target) for q in p.export_pairs()] == [
            ("Hallo", "Bonjour"),
            ("Ja", "Oui"),
        ]
    capsys.readouterr()
    assert main(["project", "create", proj]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["project", "align", proj, "--doc", "7"]) == 2
    assert "no document 7" in capsys.readouterr().err
    (tmp_path / "x.txt").write_text("not a project")
    assert main(["project", "stats", str(tmp_path / "x.txt")]) == 2
    assert "not a workbench project" in capsys.readouterr().err


def test_add_with_a_mismatched_translation_adds_nothing(tmp_path, capsys):
    src, tgt, bad = tmp_path / "s.txt", tmp_path / "t.txt", tmp_path / "mt.txt"
    src.write_text("a b\nc d\n", encoding="utf-8")
    tgt.write_text("A B\nC D\n", encoding="utf-8")
    bad.write_text("a\nb\nc\n", encoding="utf-8")
    path = tmp_path / "p.wbproj"
    assert main(["project", "create", str(path)]) == 0
    assert main(["project", "add", str(path), str(src), str(tgt), "--mt", str(bad)]) == 2
    assert "3 lines" in capsys.readouterr().err
    with Project.open(path) as p:
        assert p.documents() == []


def test_project_align_has_align_s_search_options(tmp_path, capsys):
    """`project align --method/--iterations` exist and mean what they mean for `align`: the
    same document gives the same units either way (issue 18)."""
    from workbench.align.units import read_alignments
    from workbench.project import Project

    demo = Path(__file__).resolve().parents[1] / "resources" / "demo"
    ko, en, mt = (str(demo / n) for n in ("ko.txt", "en.txt", "mt.en.txt"))
    proj = str(tmp_path / "p.wbproj")
    assert main(["project", "create", proj]) == 0
    assert main(["project", "add", proj, ko, en, "--mt", mt]) == 0
    run_id = 1
    for method in ("bleualign", "dp"):
        out = tmp_path / f"{method}.align"
        assert main(["align", ko, en, "--mt", mt, "--method", method, "-o", str(out)]) == 0
        assert main(["project", "align", proj, "--method", method, "--iterations", "0"]) == 0
        with Project.open(proj, read_only=True) as p:
            stored = [(u.source_ids, u.target_ids) for u in p.units(1)]
            run = p.run_units(run_id)
        run_id += 1
        methods = {u.method for u in run if u.source and u.target}
        assert ("dp" in methods) == (method == "dp"), methods  # bleualign: anchor, merge…
        expected = [(tuple(s), tuple(t)) for s, t in read_alignments(out)]
        assert [pair for pair in stored if pair[0] and pair[1]] == expected, method
