from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.cli import main


@pytest.fixture
def docs(tmp_path):
    src = tmp_path / "src.txt"
    tgt = tmp_path / "tgt.txt"
    mt = tmp_path / "mt.txt"
    src.write_text("Der Hund schläft .\nDie Katze spielt .\n.EOA\nEs regnet .\n", encoding="utf-8")
    mt.write_text("Le chien dort .\nLe chat joue .\n.EOA\nIl pleut .\n", encoding="utf-8")
    tgt.write_text("Le chien dort .\nLe chat joue .\n.EOA\nIl pleut .\n", encoding="utf-8")
    return src, tgt, mt


def test_align_prints_id_pairs(docs, capsys):
    src, tgt, mt = docs
    assert main(["align", str(src), str(tgt), "--mt", str(mt)]) == 0
    assert capsys.readouterr().out.split() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]


def test_align_tsv_and_output_file(docs, tmp_path, capsys):
    src, tgt, mt = docs
    out = tmp_path / "out.tsv"
    assert (
        main(["align", str(src), str(tgt), "--mt", str(mt), "--format", "tsv", "-o", str(out)]) == 0
    )
    assert out.read_text(encoding="utf-8").splitlines()[0] == "Der Hund schläft .\tLe chien dort ."


def test_score_prints_one_score_per_line(docs, capsys):
    _src, tgt, mt = docs
    assert main(["score", str(mt), str(tgt)]) == 0
    assert capsys.readouterr().out.split() == ["1.000000"] * 3


def test_score_ableu_without_embeddings_warns(docs, capsys):
    """Without --embeddings ABLEU equals BLEU: the user is told, once, on stderr (issue 18)."""
    _src, tgt, mt = docs
    assert main(["score", str(mt), str(tgt), "--scorer", "ableu"]) == 0
    captured = capsys.readouterr()
    assert captured.out.split() == ["1.000000"] * 3
    assert captured.err.count("warning: --scorer ableu without --embeddings") == 1
    assert main(["score", str(mt), str(tgt)]) == 0
    assert capsys.readouterr().err == ""


def test_eval(tmp_path, capsys):
    gold = tmp_path / "gold"
    test = tmp_path / "test"
    gold.write_text("[0]:[0]\n[1]:[1,2]\n")
    test.write_text("[0]:[0]\n[1]:[1]\n")
    assert main(["eval", "--gold", str(gold), "--test", str(test)]) == 0
    out = capsys.readouterr().out
    assert "strict     0.5000  0.5000  0.5000" in out
    assert "lax        1.0000  1.0000  1.0000" in out


def run_error(args, capsys) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("workbench: error:") and "\n" not in err and "Traceback" not in err
    return err


def test_error_missing_file(docs, tmp_path, capsys):
    _src, tgt, mt = docs
    err = run_error(["align", str(tmp_path / "none.txt"), str(tgt), "--mt", str(mt)], capsys)
    assert "no such file" in err


def test_error_not_utf8(docs, tmp_path, capsys):
    _src, tgt, mt = docs
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Grüße\n".encode("latin-1"))
    assert "byte offset 2" in run_error(["align", str(bad), str(tgt), "--mt", str(mt)], capsys)


def test_error_binary(docs, tmp_path, capsys):
    _src, tgt, mt = docs
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"\x7fELF\x00\x00\x01")
    assert "binary" in run_error(["align", str(bad), str(tgt), "--mt", str(mt)], capsys)


def test_error_empty(docs, tmp_path, capsys):
    _src, tgt, mt = docs
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert "empty document" in run_error(["align", str(empty), str(tgt), "--mt", str(mt)], capsys)


def test_error_translation_count(docs, tmp_path, capsys):
    src, tgt, _mt = docs
    short = tmp_path / "short.txt"
    short.write_text("Le chien dort .\n.EOA\nIl pleut .\n")
    err = run_error(["align", str(src), str(tgt), "--mt", str(short)], capsys)
    assert "2 lines" in err and "has 3" in err


def test_error_eoa_mismatch(docs, tmp_path, capsys):
    src, _tgt, mt = docs
    flat = tmp_path / "flat.txt"
    flat.write_text("Le chien dort .\nLe chat joue .\nIl pleut .\n")
    err = run_error(["align", str(src), str(flat), "--mt", str(mt)], capsys)
    assert "mismatched .EOA" in err


def test_error_score_line_mismatch(docs, tmp_path, capsys):
    _src, tgt, _mt = docs
    one = tmp_path / "one.txt"
    one.write_text("Il pleut .\n")
    assert "line-aligned" in run_error(["score", str(one), str(tgt)], capsys)


def test_error_unknown_scorer(docs, capsys):
    _src, tgt, mt = docs
    assert "unknown scorer" in run_error(["score", str(mt), str(tgt), "--scorer", "x"], capsys)


def test_console_entry_point_runs(docs):
    src, tgt, mt = docs
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "align", str(src), str(tgt), "--mt", str(mt)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.split()[0] == "[0]:[0]"


@pytest.mark.parametrize("command", ["align", "score"])
def test_embeddings_with_bleu_are_reported_unused(docs, tmp_path, capsys, command):
    """--embeddings changes nothing for BLEU: one warning line says so (it was ignored
    silently, and the suggestions could be taken for ABLEU's); the output is BLEU's."""
    src, tgt, mt = docs
    kv = tmp_path / "words.kv"
    kv.write_text("not read by BLEU", encoding="utf-8")
    base = (
        ["align", str(src), str(tgt), "--mt", str(mt)]
        if command == "align"
        else ["score", str(mt), str(tgt)]
    )
    assert main(base) == 0
    plain = capsys.readouterr()
    assert main([*base, "--embeddings", str(kv)]) == 0
    with_kv = capsys.readouterr()
    assert with_kv.out == plain.out
    assert with_kv.err.splitlines() == [
        *plain.err.splitlines(),
        f"workbench: warning: --embeddings {kv} is not used by --scorer bleu (exact word "
        "matches); give --scorer ableu to use it",
    ]
