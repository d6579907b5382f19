"""Loose ends and disagreements found by auditing the user docs against the commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.project import Project


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _mt(tgt) -> str:
    """A perfect translation of the source: a copy of the target (the target itself is
    refused as --mt, a slip of the file order)."""
    mt = tgt.with_name("a.mt.fr")
    mt.write_bytes(tgt.read_bytes())
    return str(mt)


def _pair_docs(tmp_path: Path) -> tuple[Path, Path]:
    words = "glacier summit ridge valley rope camp".split()  # noqa: SIM905
    src = _write(tmp_path / "a.de", [f"der {w} am tag {k} ." for k, w in enumerate(words)])
    tgt = _write(tmp_path / "a.fr", [f"le {w} au jour {k} ." for k, w in enumerate(words)])
    return src, tgt


@pytest.mark.parametrize("command", ["convert", "import"])
def test_tsv_with_confidence_is_refused_naming_the_confidence_column(tmp_path, capsys, command):
    """`align --format tsv --with-confidence` writes a third column; reading that file blamed
    "a tab inside a sentence". The error now names the confidence column and what to do."""
    src, tgt = _pair_docs(tmp_path)
    aligned = tmp_path / "c.tsv"
    args = ["align", str(src), str(tgt), "--mt", _mt(tgt), "--format", "tsv"]
    assert main([*args, "--with-confidence", "-o", str(aligned)]) == 0
    capsys.readouterr()
    if command == "convert":
        out = tmp_path / "c.jsonl"
        assert main(["convert", str(aligned), str(out)]) == 2
        assert not out.exists()
    else:
        project = tmp_path / "p.wbproj"
        assert main(["project", "create", str(project)]) == 0
        capsys.readouterr()
        assert main(["project", "import", str(project), str(aligned)]) == 2
        with Project.open(project, read_only=True) as p:
            assert p.documents() == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "line 1: 3 tab-separated columns, expected 2 (source, target)" in err
    assert "--with-confidence" in err and "tab inside a sentence" not in err
    # The same file without the column (what the error suggests) converts.
    rows = aligned.read_text(encoding="utf-8").splitlines()
    two = _write(tmp_path / "two.tsv", ["\t".join(r.split("\t")[:2]) for r in rows])
    assert main(["convert", str(two), str(tmp_path / "two.jsonl")]) == 0


def test_a_third_column_that_is_not_a_confidence_still_blames_the_tab(tmp_path, capsys):
    bad = _write(tmp_path / "bad.tsv", ["a\tb", "one\ttwo\tthree"])
    assert main(["convert", str(bad), str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err
    assert "line 2: 3 tab-separated columns" in err and "a tab inside a sentence" in err
    assert "confidence" not in err


@pytest.mark.parametrize("command", ["sample", "report"])
@pytest.mark.parametrize("content", [b"not an embedding at all\n", b"\x80\x04garbage"])
def test_unreadable_embeddings_fail_before_any_run_is_stored(tmp_path, capsys, command, content):
    """A non-empty file that does not load failed only after 'aligning document 1 with bleu'
    had computed and stored a run; it is now loaded before any work."""
    src, tgt = _pair_docs(tmp_path)
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    add = ["project", "add", str(project), str(src), str(tgt), "--mt", _mt(tgt)]
    assert main([*add, "--source-lang", "de", "--target-lang", "fr"]) == 0
    capsys.readouterr()
    kv = tmp_path / "w.kv"
    kv.write_bytes(content)
    args = (
        ["sample", str(project), "--size", "2", "--scorer", "bleu", "--scorer", "ableu"]
        if command == "sample"
        else ["report", str(project), "--scorers", "bleu", "ableu"]
    )
    assert main([*args, "--embeddings", str(kv)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"workbench: error: {kv}: not a readable embedding")
    assert captured.err.count("\n") == 1
    with Project.open(project, read_only=True) as p:
        (doc,) = p.documents()
        assert p.suggestion_runs(doc.id) == []


def test_embed_export_writes_quote_tokens(tmp_path, capsys):
    """`embed export` of a model trained on text with quotes crashed with a traceback
    (csv: "need to escape"): the 13a tokenizer makes `"` a word of its own."""
    import numpy as np
    from gensim.models import KeyedVectors

    from workbench.embeddings import read_projector, save_keyed_vectors

    words = ['"', "'green", "it's", "plain"]
    kv = KeyedVectors(vector_size=4)
    kv.add_vectors(words, np.arange(16, dtype=np.float32).reshape(4, 4) / 7)
    model = tmp_path / "m.kv"
    save_keyed_vectors(kv, model)
    assert main(["embed", "export", str(model), str(tmp_path / "proj")]) == 0
    meta = (tmp_path / "proj" / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in meta[1:]] == words
    back = read_projector(tmp_path / "proj")
    assert back.index_to_key == words
    assert np.array_equal(back.vectors, kv.vectors)


def test_save_embeddings_that_learnt_nothing_says_so(tmp_path, capsys):
    """ABLEU without --mt on documents sharing no word learns nothing: --save-embeddings
    wrote no file and said nothing (exit 0); the alignment is still written, with a warning."""
    src = _write(tmp_path / "a.ko", [f"가{k} 나{k} 다{k}" for k in range(6)])
    tgt = _write(tmp_path / "a.en", [f"alpha{k} beta{k} gamma{k}" for k in range(6)])
    kv, out = tmp_path / "m.kv", tmp_path / "out.align"
    args = ["align", str(src), str(tgt), "--scorer", "ableu", "--save-embeddings", str(kv)]
    assert main([*args, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"workbench: warning: {kv}: not written: self-training found fewer than two" in err
    assert not kv.exists() and out.read_text(encoding="utf-8")


def test_embed_table_names_the_model_that_lacks_the_word(tmp_path, capsys):
    """With --compare, "'w' is not in the embedding's vocabulary" did not say which model."""
    import numpy as np
    from gensim.models import KeyedVectors

    from workbench.embeddings import save_keyed_vectors

    paths = []
    for name, words in (("pair", ["ship", "vessel", "sea"]), ("plain", ["boat", "sea", "sky"])):
        kv = KeyedVectors(vector_size=3)
        kv.add_vectors(words, np.eye(3, dtype=np.float32) + 0.1)
        paths.append(tmp_path / f"{name}.kv")
        save_keyed_vectors(kv, paths[-1])
    out = tmp_path / "t.tsv"
    args = ["embed", "table", str(paths[0]), "ship", "-k", "2", "--compare", str(paths[1])]
    assert main([*args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"workbench: error: {paths[1]}: 'ship' is not in the embedding's vocabulary\n"
    assert not out.exists()
