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


def test_embed_export_never_writes_over_its_model(docs, tmp_path, capsys):
    # `embed export OUTDIR/vectors.tsv OUTDIR` (a word2vec text model of that name) replaced
    # the model with the projector's vectors: the outputs were never checked against it.
    src, tgt, _mt = docs
    model = tmp_path / "vectors.tsv"
    assert main(["embed", "train", "--pairs", str(src), str(tgt), "-o", str(model)]) == 0
    capsys.readouterr()
    before = _hashes(tmp_path)
    assert main(["embed", "export", str(model), str(tmp_path)]) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert _hashes(tmp_path) == before
    assert main(["embed", "export", str(model), str(tmp_path / "projector")]) == 0


# -- eval: JSONL test alignments ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"source": [0], "target": [0], "confidence": NaN}', "confidence NaN is not a prob"),
        ('{"source": [0], "target": [0], "confidence": Infinity}', "is not a probability"),
        ('{"source": [0], "target": [0], "confidence": 7}', "confidence 7 is not a probability"),
        ('{"source": [0], "target": [0], "confidence": -0.5}', "is not a probability"),
        ('{"source": [0], "target": [0], "confidence": "0.5"}', "is not a probability"),
        ('{"source": [0.5], "target": [0]}', "not a JSONL alignment unit"),
        ('{"source": [true], "target": [0]}', "not a JSONL alignment unit"),
        ('{"source": [-1], "target": [0]}', "not a JSONL alignment unit"),
        ('{"source": 0, "target": [0]}', "not a JSONL alignment unit"),
    ],
)
def test_eval_refuses_a_jsonl_unit_that_is_not_one(tmp_path, capsys, line, problem):
    # NaN, an infinity or 7 as a confidence printed "AUC nan" after a NumPy RuntimeWarning
    # (exit 0), and int() made sentence id 0.5 into 0 and true into 1.
    gold = tmp_path / "gold.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    test = tmp_path / "test.jsonl"
    test.write_text('{"source": [1], "target": [1], "confidence": 0.5}\n' + line + "\n")
    assert main(["eval", "--gold", str(gold), "--test", str(test)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"workbench: error: {test}:2: ") and problem in err
    assert len(err.splitlines()) == 1


def test_eval_reads_whole_float_ids_and_null_confidence(tmp_path, capsys):
    gold = tmp_path / "gold.align"
    gold.write_text("[0]:[0]\n[1]:[1]\n", encoding="utf-8")
    test = tmp_path / "test.jsonl"
    test.write_text('{"source": [0.0], "target": [0]}\n{"source": [1], "target": [1]}\n')
    assert main(["eval", "--gold", str(gold), "--test", str(test)]) == 0
    assert "strict     1.0000  1.0000  1.0000" in capsys.readouterr().out


# -- project export while another process saves ----------------------------------------------


def test_export_reads_one_snapshot_while_another_writer_realigns(tmp_path, monkeypatch):
    # Export reads the units in pages, each after the last position read. A re-alignment
    # saved between two pages (the window, or `project align` in another process) gives the
    # decided units new positions: the export skipped (or repeated) accepted pairs, exit 0.
    import workbench.project.export as export_module
    from workbench import Project
    from workbench.align import AlignmentUnit
    from workbench.corpus import ParallelPair

    monkeypatch.setattr(export_module, "EXPORT_PAGE", 3)
    path = tmp_path / "p.wbproj"
    n = 40
    with Project.create(path) as project:
        doc = project.import_pairs([ParallelPair(f"s{i}", f"t{i}") for i in range(n)], name="d")
        units = project.units(doc)
        project.decide_many([u.id for k, u in enumerate(units) if k % 4 == 0], "accepted")
    expected = [f"s{i}" for i in range(0, n, 4)]
    with Project.open(path, read_only=True) as reader:
        pairs = reader.export_pairs()
        first = [next(pairs) for _ in range(4)]
        with Project.open(path) as writer:  # three pending 1-1 units become one 3-3 unit
            merged = [
                AlignmentUnit((i + 1, i + 2, i + 3), (i + 1, i + 2, i + 3), 0.5)
                for i in range(0, n, 4)
            ]
            writer.set_suggestions(doc, merged, "bleu")
        rest = list(pairs)
    assert [p.source for p in first + rest] == expected
    with Project.open(path, read_only=True) as reader:  # the re-alignment was saved
        assert len(reader.units(doc)) == n // 2
        assert [p.source for p in reader.export_pairs()] == expected


# -- one line on stderr: errors found before anything is printed ------------------------------


def test_align_without_mt_refuses_mismatched_articles_in_one_line(tmp_path, capsys):
    # The "no --mt given" warning came first, then the error: two lines for one bad input.
    src = _write_doc(tmp_path / "a.de", [".EOA", "Der Hund bellt."])
    tgt = _write_doc(tmp_path / "a.fr", ["Le chien aboie."])
    assert main(["align", str(src), str(tgt)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("workbench: error: ") and ".EOA" in err
    assert len(err.splitlines()) == 1


# -- project translate with a file of translations ---------------------------------------------


def test_project_translate_refuses_one_translation_file_for_several_documents(tmp_path, capsys):
    # `project translate P --model FILE` gave every document the file: another document with
    # as many sentences silently got this one's translation, and one with a different count
    # stopped the command after the first document's translation was stored.
    from workbench import Project
    from workbench.textio import read_document

    src, tgt = _write_doc(tmp_path / "a.de", SOURCE), _write_doc(tmp_path / "a.fr", TARGET)
    mt = _write_doc(tmp_path / "a.mt", ["The dog barks.", "The cat sleeps.", "The house is big."])
    other = _write_doc(tmp_path / "b.de", ["Ein Satz.", "Zwei.", "Drei."])
    short = _write_doc(tmp_path / "c.de", ["Ein Satz.", "Zwei."])
    path = tmp_path / "p.wbproj"
    with Project.create(path) as project:
        project.add_document(read_document(src), read_document(tgt), name="a")
        project.add_document(read_document(other), read_document(tgt), name="b")
        project.add_document(read_document(short), read_document(short), name="c")
    before = _hashes(tmp_path)
    for docs in ([], ["--doc", "1", "--doc", "3"]):
        assert main(["project", "translate", str(path), "--model", str(mt), *docs]) == 2
        err = capsys.readouterr().err.strip()
        assert "line-aligned with one document" in err and "give --doc" in err
        assert len(err.splitlines()) == 1
        assert _hashes(tmp_path) == before
    assert main(["project", "translate", str(path), "--model", str(mt), "--doc", "1"]) == 0
    with Project.open(path, read_only=True) as project:
        assert project.translation(1, "source").sentences[0] == "The dog barks."
        assert project.translation(2, "source") is None


@pytest.mark.parametrize("option", ["--mt", "--mt-reverse"])
def test_project_add_refuses_a_second_translation_instead_of_dropping_one(
    docs, tmp_path, capsys, option
):
    # `project add P a.de a.fr --mt A --mt B` (as `align` takes several) kept B and dropped A
    # without a word: argparse's last value won.
    from workbench import Project

    src, tgt, mt = docs
    other = _write_doc(tmp_path / "b.mt", TARGET)
    path = tmp_path / "p.wbproj"
    Project.create(path).close()
    before = _hashes(tmp_path)
    argv = ["project", "add", str(path), str(src), str(tgt), option, str(mt), option, str(other)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert f"{option} given 2 times" in err and len(err.splitlines()) == 1
    assert _hashes(tmp_path) == before
    assert main(["project", "add", str(path), str(src), str(tgt), option, str(mt)]) == 0
    with Project.open(path, read_only=True) as project:
        side = "source" if option == "--mt" else "target"
        assert project.translation(1, side).sentences == TARGET


@pytest.mark.parametrize("name", ["a.tsv.gz", "a.tmx.bz2", "a.jsonl.xz", "a.zip"])
@pytest.mark.parametrize("command", ["convert", "project import"])
def test_a_compressed_name_on_a_plain_file_says_so(tmp_path, capsys, name, command):
    # A .tsv.gz that is not gzip was "cannot tell the corpus format from the file name".
    from workbench import Project

    path = tmp_path / name
    path.write_text("Der Hund.\tLe chien.\n", encoding="utf-8")
    project = tmp_path / "p.wbproj"
    Project.create(project).close()
    before = _hashes(tmp_path)
    if command == "convert":
        argv = ["convert", str(path), str(tmp_path / "out.jsonl")]
    else:
        argv = ["project", "import", str(project), str(path)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert f"{path}: named {path.suffix} but not a" in err and "--format" in err
    assert _hashes(tmp_path) == before
