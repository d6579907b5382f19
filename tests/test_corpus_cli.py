"""`workbench convert` and `workbench split`."""

from __future__ import annotations

from workbench.cli import main
from workbench.corpus import ParallelPair, read_pairs, write_pairs

PAIRS = [
    ParallelPair("Guten Tag.", "Bonjour.", "a.de", (0,), (0,), 0.9, "bleu"),
    ParallelPair('Er sagte "ja"\tund ging.', "Il a dit « oui » et partit.", "a.de", (1,), (1,)),
]


def test_convert_through_every_format(tmp_path, capsys):
    tsv = tmp_path / "in.tsv"
    write_pairs(PAIRS, tsv, metadata=True)
    steps = [
        (tsv, tmp_path / "a.tmx", []),
        (tmp_path / "a.tmx", tmp_path / "b.jsonl", []),
        (tmp_path / "b.jsonl", tmp_path / "moses", ["--to", "moses"]),
        (tmp_path / "moses", tmp_path / "out.tsv", []),
    ]
    for source, target, extra in steps:
        argv = ["convert", str(source), str(target), "--metadata"]
        argv += ["--source-lang", "de", "--target-lang", "fr", *extra]
        assert main(argv) == 0
    assert "2 pairs written" in capsys.readouterr().err
    assert (tmp_path / "moses.de").is_file() and (tmp_path / "moses.fr").is_file()
    assert read_pairs(tmp_path / "out.tsv") == PAIRS
    assert 'xml:lang="fr"' in (tmp_path / "a.tmx").read_text(encoding="utf-8")


def test_convert_errors_are_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"source": "a"}\n', encoding="utf-8")
    assert main(["convert", str(bad), str(tmp_path / "x.tsv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and 'line 1: missing field "target"' in err
    assert main(["convert", str(bad), str(tmp_path / "x.doc")]) == 2
    assert "cannot tell the corpus format" in capsys.readouterr().err


def test_split_to_stdout_and_file(tmp_path, capsys):
    text = tmp_path / "t.txt"
    text.write_text("Dr. Müller kam. Er ging z. B. heim.\n\nNeu.\n.EOA\nZweiter Artikel.\n")
    assert main(["split", str(text), "--lang", "de"]) == 0
    assert capsys.readouterr().out == (
        "Dr. Müller kam.\nEr ging z. B. heim.\nNeu.\n.EOA\nZweiter Artikel.\n"
    )
    out = tmp_path / "t.de"
    assert main(["split", str(text), "--lang", "de", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").count("\n") == 5
    assert main(["split", str(tmp_path / "missing.txt"), "--lang", "de"]) == 2
    assert "no such file" in capsys.readouterr().err
