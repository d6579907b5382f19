"""Second data-safety audit: option combinations and paths the first audit's tables missed,
one test per defect (docs/bad-input.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from workbench.cli import main

SOURCE = ["Der Hund bellt.", "Die Katze schläft.", "Das Haus ist groß."]
TARGET = ["Le chien aboie.", "Le chat dort.", "La maison est grande."]


def _write_doc(path: Path, lines: list[str]) -> Path:
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, Path, Path]:
    return (
        _write_doc(tmp_path / "a.de", SOURCE),
        _write_doc(tmp_path / "a.fr", TARGET),
        _write_doc(tmp_path / "a.mt", TARGET),
    )


# -- align --save-embeddings ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("embedding", "output"),
    [("m.kv", "m.kv"), ("m.txt", "m.txt.sides.tsv"), ("m.bin", "./m.bin")],
)
def test_align_output_and_saved_embedding_on_one_path_are_refused(
    docs, tmp_path, capsys, embedding, output
):
    # `align ... --scorer ableu --save-embeddings m.kv -o m.kv` trained, saved the model and
    # then wrote the alignment over it (exit 0): the embedding was lost. For a .txt model the
    # alignment replaced its word-count file.
    src, tgt, mt = docs
    before = _hashes(tmp_path)
    argv = ["align", str(src), str(tgt), "--mt", str(mt), "--scorer", "ableu"]
    argv += ["--save-embeddings", str(tmp_path / embedding), "-o", str(tmp_path / output)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "both the output (-o) and the saved embedding" in err
    assert len(err.splitlines()) == 1
    assert _hashes(tmp_path) == before


def test_align_saved_embedding_word_counts_never_overwrite_an_input(docs, tmp_path, capsys):
    # A .txt/.bin model is saved with NAME.sides.tsv beside it; only NAME was checked.
    src, tgt, mt = docs
    side = tmp_path / "m.txt.sides.tsv"
    side.write_bytes(src.read_bytes())
    before = _hashes(tmp_path)
    argv = ["align", str(side), str(tgt), "--mt", str(mt), "--scorer", "ableu"]
    assert main([*argv, "--save-embeddings", str(tmp_path / "m.txt")]) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert _hashes(tmp_path) == before


@pytest.mark.parametrize(
    "options", [[], ["--scorer", "ableu", "--embeddings", "{kv}"]], ids=["bleu", "ableu-kv"]
)
def test_align_save_embeddings_with_nothing_to_train_is_refused(docs, tmp_path, capsys, options):
    # With BLEU, or ABLEU over a given embedding (no self-training), --save-embeddings wrote
    # nothing and said nothing (exit 0): the curator believed the model was kept.
    src, tgt, mt = docs
    kv = tmp_path / "given.kv"
    out = tmp_path / "m.kv"
    assert main(["embed", "train", "--pairs", str(src), str(tgt), "-o", str(kv)]) == 0
    capsys.readouterr()
    extra = [o.format(kv=kv) for o in options]
    argv = ["align", str(src), str(tgt), "--mt", str(mt), *extra, "--save-embeddings", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "nothing is trained" in err and str(out) in err
    assert not out.exists()
