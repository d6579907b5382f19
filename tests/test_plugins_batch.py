"""workbench batch: manifests, folders, resumption, per-document errors, a Dask LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.batch import (
    STATE_FILE,
    AlignSettings,
    BatchItem,
    items_from_dirs,
    read_manifest,
    run_batch,
)
from workbench.cli import main
from workbench.errors import InputError

SOURCE = [
    "Der Hund schläft im Garten.",
    "Die Katze sitzt auf der Matte.",
    "Es regnet heute sehr stark.",
    "Morgen scheint wieder die Sonne.",
]
MT = [
    "The dog sleeps in the garden.",
    "The cat sits on the mat.",
    "It rains very heavily today.",
    "Tomorrow the sun shines again.",
]
TARGET = [
    "The dog is sleeping in the garden.",
    "The cat is sitting on the mat.",
    "Today it is raining very heavily.",
    "Tomorrow the sun will shine again.",
]


def write(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def corpus(tmp_path):
    """Three document pairs in folders src/, tgt/, mt/; the third's translation is too short."""
    for k in range(3):
        rot = k % len(SOURCE)
        order = SOURCE[rot:] + SOURCE[:rot]
        write(tmp_path / "src" / f"doc{k}.txt", order)
        write(tmp_path / "tgt" / f"doc{k}.txt", TARGET[rot:] + TARGET[:rot])
        mt = MT[rot:] + MT[:rot]
        write(tmp_path / "mt" / f"doc{k}.txt", mt if k < 2 else mt[:2])
    return tmp_path


def test_manifest_columns_relative_paths_and_errors(tmp_path):
    manifest = tmp_path / "sub" / "m.tsv"
    write(
        manifest,
        [
            "# a comment",
            "name\tsource\ttarget\ttranslation\ttranslation2\treverse_translation",
            "a\tx.de\t/abs/x.fr\tx.mt1;x.mt1b\tx.mt2\t",
            "\tdata/y.de\ty.fr\t\t\ty.rev",
        ],
    )
    items = read_manifest(manifest)
    base = tmp_path / "sub"
    assert items[0] == BatchItem(
        "a",
        base / "x.de",
        Path("/abs/x.fr"),
        (base / "x.mt1", base / "x.mt1b", base / "x.mt2"),
        (),
    )
    assert items[1].name == "y" and items[1].mt_reverse == (base / "y.rev",)
    headerless = write(tmp_path / "h.csv", ["a.de,a.fr,a.mt"])
    assert read_manifest(headerless)[0].mt == (tmp_path / "a.mt",)
    with pytest.raises(InputError, match="unknown column 'colour'"):
        read_manifest(write(tmp_path / "bad.tsv", ["source\ttarget\tcolour", "a\tb\tc"]))
    with pytest.raises(InputError, match="appears twice"):
        read_manifest(write(tmp_path / "dup.tsv", ["source\ttarget", "a/x\tb", "c/x\td"]))
    with pytest.raises(InputError, match="needs a source and a target"):
        read_manifest(write(tmp_path / "half.tsv", ["source\ttarget", "a\t"]))
    with pytest.raises(InputError, match="cannot read the manifest"):
        read_manifest(tmp_path / "none.tsv")


def test_folder_batch_reports_failures_and_resumes(corpus):
    items = items_from_dirs(corpus / "src", corpus / "tgt", corpus / "mt")
    assert [i.name for i in items] == ["doc0.txt", "doc1.txt", "doc2.txt"]
    out = corpus / "out"
    seen = []
    report = run_batch(
        items, AlignSettings(), out, progress=False, on_result=lambda n, e: seen.append(n)
    )
    assert sorted(report.aligned) == ["doc0.txt", "doc1.txt"]
    assert "doc2.txt" in report.failed and "line-aligned" in report.failed["doc2.txt"]
    assert len(seen) == 3
    rows = (out / "doc1.txt.tsv").read_text(encoding="utf-8").splitlines()
    cells = rows[0].split("\t")
    assert cells[0] == "doc1.txt" and cells[5] == SOURCE[1] and cells[6] == TARGET[1]
    assert len(rows) == 4
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert set(state["documents"]) == {"doc0.txt", "doc1.txt"}

    # Run again: the finished documents are skipped, the fixed one is done now.
    write(corpus / "mt" / "doc2.txt", MT[2:] + MT[:2])
    again = run_batch(items, AlignSettings(), out, progress=False)
    assert sorted(again.skipped) == ["doc0.txt", "doc1.txt"]
    assert again.aligned == ["doc2.txt"] and again.ok
    # A changed input is redone, even though its name is recorded.
    write(corpus / "tgt" / "doc0.txt", [*TARGET, "An extra closing sentence."])
    third = run_batch(items, AlignSettings(), out, progress=False)
    assert third.aligned == ["doc0.txt"]
    # Other settings on the same output are refused unless restarting.
    with pytest.raises(Exception, match="other settings"):
        run_batch(items, AlignSettings(scorer="ableu"), out, progress=False)


def test_single_tsv_output_and_cli_exit_status(corpus, capsys):
    out = corpus / "all.tsv"
    args = ["batch", "--dirs", str(corpus / "src"), str(corpus / "tgt")]
    args += ["--mt-dir", str(corpus / "mt"), "-o", str(out)]
    assert main(args) == 1  # doc2 fails
    err = capsys.readouterr().err
    assert "failed doc2.txt" in err and "2 document(s)" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("document\tsource_ids") and len(lines) == 1 + 8
    assert (corpus / "all.tsv.parts").is_dir()  # kept for the resumed run
    write(corpus / "mt" / "doc2.txt", MT[2:] + MT[:2])
    assert main(args) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1 + 12
    assert not (corpus / "all.tsv.parts").exists()
    assert main(["batch", "-o", str(out)]) == 2
    assert "either a MANIFEST or --dirs" in capsys.readouterr().err


@pytest.mark.slow
def test_local_dask_cluster_with_two_workers(corpus):
    items = items_from_dirs(corpus / "src", corpus / "tgt", corpus / "mt")
    serial = run_batch(items, AlignSettings(), corpus / "serial", progress=False)
    dask = run_batch(items, AlignSettings(), corpus / "dask", workers=2, progress=False)
    assert sorted(dask.aligned) == sorted(serial.aligned)
    assert dask.failed.keys() == serial.failed.keys() == {"doc2.txt"}
    for name in serial.aligned:
        a = (corpus / "serial" / f"{name}.tsv").read_text(encoding="utf-8")
        assert a == (corpus / "dask" / f"{name}.tsv").read_text(encoding="utf-8")


def test_batch_into_a_project_resumes_without_duplicates(corpus):
    from workbench.project import Project

    items = items_from_dirs(corpus / "src", corpus / "tgt", corpus / "mt")
    path = corpus / "p.wbproj"
    first = run_batch(items, AlignSettings(), path, project=True, progress=False)
    assert sorted(first.aligned) == ["doc0.txt", "doc1.txt"] and "doc2.txt" in first.failed
    write(corpus / "mt" / "doc2.txt", MT[2:] + MT[:2])
    second = run_batch(items, AlignSettings(), path, project=True, progress=False)
    assert sorted(second.skipped) == ["doc0.txt", "doc1.txt"] and second.aligned == ["doc2.txt"]
    with Project.open(path) as project:
        docs = {d.name: d.id for d in project.documents()}
        assert sorted(docs) == ["doc0.txt", "doc1.txt", "doc2.txt"]
        doc = docs["doc1.txt"]
        assert project.translation(doc).sentences == MT[1:] + MT[:1]
        units = project.units(doc)
        assert [(u.source_ids, u.target_ids) for u in units][:4] == [
            ((0,), (0,)),
            ((1,), (1,)),
            ((2,), (2,)),
            ((3,), (3,)),
        ]
        assert units[0].scorer == "bleu"
    # Redo with --restart: the same documents get a new suggestion run, none is added.
    third = run_batch(items, AlignSettings(), path, project=True, restart=True, progress=False)
    assert len(third.aligned) == 3
    with Project.open(path) as project:
        assert len(project.documents()) == 3
        assert len(project.suggestion_runs(docs["doc0.txt"])) == 2


def test_cli_into_project_with_a_plugin_scorer(corpus, capsys):
    import importlib.util

    if importlib.util.find_spec("workbench_chrf") is None:
        pytest.skip("the chrF plugin is not installed: pip install -e plugins/workbench-chrf")
    from workbench.project import Project

    write(corpus / "mt" / "doc2.txt", MT[2:] + MT[:2])
    path = corpus / "cli.wbproj"
    args = ["batch", "--dirs", str(corpus / "src"), str(corpus / "tgt")]
    args += ["--mt-dir", str(corpus / "mt"), "--project", str(path), "--scorer", "chrf"]
    assert main(args) == 0
    assert "aligned 3 document(s)" in capsys.readouterr().err
    with Project.open(path) as project:
        assert {u.scorer for u in project.units()} == {"chrf"}
    assert main([*args[:-1], "nope"]) == 2
    assert "unknown scorer 'nope'" in capsys.readouterr().err


def test_ableu_without_embeddings_self_trains_like_align(monkeypatch):
    from workbench.align import selftrain
    from workbench.batch import align_contents

    calls = []
    real = selftrain.self_trained_aligner

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(selftrain, "self_trained_aligner", spy)

    def data(lines):
        return ("\n".join(lines) + "\n").encode()

    units = align_contents(
        "doc", data(SOURCE), data(TARGET), [data(MT)], settings=AlignSettings(scorer="ableu")
    )
    assert len(calls) == 1
    assert [u.key for u in units] == [((k,), (k,)) for k in range(4)]
    assert calls[0]["aligner_options"].dp_weight == 30.0  # the same default as `align`
