"""`workbench embed train|neighbours|export|table`."""

from __future__ import annotations

import numpy as np
import pytest
from embedding_corpus import synthetic_pairs

from workbench.cli import main
from workbench.embeddings import load_keyed_vectors, read_projector, word_language


@pytest.fixture
def files(tmp_path):
    pairs = synthetic_pairs(300)
    src, tgt, tsv = tmp_path / "corpus.aa", tmp_path / "corpus.bb", tmp_path / "more.tsv"
    src.write_text("".join(" ".join(s) + "\n" for s, _ in pairs[:200]), encoding="utf-8")
    tgt.write_text("".join(" ".join(t) + "\n" for _, t in pairs[:200]), encoding="utf-8")
    tsv.write_text("".join(f"{' '.join(s)}\t{' '.join(t)}\n" for s, t in pairs[200:]), "utf-8")
    return src, tgt, tsv


@pytest.fixture
def model(files, tmp_path):
    src, tgt, tsv = files
    out = tmp_path / "pair.kv"
    args = ["embed", "train", "--pairs", str(src), str(tgt), "--tsv", str(tsv)]
    assert main([*args, "--dim", "12", "--epochs", "3", "-o", str(out)]) == 0
    return out


def test_train_writes_a_reproducible_model_with_languages(model, files, tmp_path):
    kv = load_keyed_vectors(model)
    assert kv.vector_size == 12
    assert kv.side_names == ("aa", "bb")  # from the file suffixes
    assert word_language(kv, "a01") == "aa" and word_language(kv, "b01") == "bb"
    assert kv.get_vecattr("a01", "source_count") > 0  # TSV pairs counted too
    src, tgt, tsv = files
    again = tmp_path / "again.txt"
    args = ["embed", "train", "--pairs", str(src), str(tgt), "--tsv", str(tsv), "--dim", "12"]
    assert main([*args, "--epochs", "3", "-o", str(again)]) == 0
    assert np.allclose(load_keyed_vectors(again).vectors, kv.vectors, atol=1e-5)


def test_train_plain_subword_with_languages(files, tmp_path):
    src, tgt, _ = files
    out = tmp_path / "plain.kv"
    args = ["embed", "train", "--pairs", str(src), str(tgt), "--mode", "plain", "--subword"]
    opts = ["--ngrams", "2", "4", "--dim", "8", "--epochs", "1", "--languages", "xx", "yy"]
    assert main([*args, *opts, "-o", str(out)]) == 0
    kv = load_keyed_vectors(out)
    assert kv.side_names == ("xx", "yy") and kv.min_n == 2 and kv.max_n == 4


def test_train_input_errors(files, tmp_path, capsys):
    src, _, _ = files
    short = tmp_path / "short.bb"
    short.write_text("b01\n", encoding="utf-8")
    out = str(tmp_path / "x.kv")
    assert main(["embed", "train", "--pairs", str(src), str(short), "-o", out]) == 2
    assert "line-parallel" in capsys.readouterr().err
    assert main(["embed", "train", "-o", out]) == 2
    assert "no training pairs" in capsys.readouterr().err
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column\n", encoding="utf-8")
    assert main(["embed", "train", "--tsv", str(bad), "-o", out]) == 2
    assert "bad.tsv: line 1" in capsys.readouterr().err
    assert main(["embed", "train", "--pairs", str(src), str(tmp_path / "nope"), "-o", out]) == 2
    assert "nope" in capsys.readouterr().err


def test_neighbours_prints_similarity_and_language(model, capsys):
    assert main(["embed", "neighbours", str(model), "a02", "-k", "5"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    rank, word, sim, lang = lines[0].split("\t")
    assert rank == "1" and -1 <= float(sim) <= 1 and lang in ("aa", "bb")
    assert word in load_keyed_vectors(model).key_to_index and word != "a02"


def test_neighbours_errors_are_one_line(model, tmp_path, capsys):
    assert main(["embed", "neighbours", str(model), "unseen"]) == 2
    assert "not in the embedding's vocabulary" in capsys.readouterr().err
    assert main(["embed", "neighbours", str(tmp_path / "none.kv"), "a01"]) == 2
    assert "no such embedding file" in capsys.readouterr().err


def test_export_and_table(model, tmp_path, capsys):
    assert main(["embed", "export", str(model), str(tmp_path / "all")]) == 0
    kv = load_keyed_vectors(model)
    assert read_projector(tmp_path / "all").index_to_key == kv.index_to_key
    assert main(["embed", "export", str(model), str(tmp_path / "top"), "--top", "10"]) == 0
    assert len(read_projector(tmp_path / "top").index_to_key) == 10
    around = ["embed", "export", str(model), str(tmp_path / "around"), "--around", "b03"]
    assert main([*around, "-k", "4"]) == 0
    assert read_projector(tmp_path / "around").index_to_key[0] == "b03"

    out = tmp_path / "n.tsv"
    assert main(["embed", "table", str(model), "a01", "b01", "-k", "3", "-o", str(out)]) == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 7 and rows[1].startswith("pair\ta01\t1\t")
    capsys.readouterr()
    assert main(["embed", "table", str(model), "a01", "-k", "2", "--compare", str(model)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 5


def test_embed_without_action_shows_usage(capsys):
    assert main(["embed"]) == 2
    assert "train" in capsys.readouterr().out
