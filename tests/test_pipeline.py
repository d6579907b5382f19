"""One alignment pipeline: the CLI, a project, the window's job and a batch give the same units."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workbench.align import selftrain
from workbench.align.pipeline import AlignSettings, Documents, align, project_documents
from workbench.align.units import parse_unit
from workbench.cli import main
from workbench.project import Project
from workbench.textio import Document


def _documents(n: int = 40, seed: int = 7) -> tuple[Document, Document, Document, Document]:
    """Source, target, a poor MT of the source and a better reverse MT of the target, with a
    split target sentence every 9 and an untranslated source sentence every 13."""
    rnd = random.Random(seed)
    src, tgt, mt, rev = [], [], [], []
    for k in range(n):
        words = rnd.sample(range(300), 8)
        src.append(" ".join(f"w{w}" for w in words) + f" {k} .")
        translated = [f"f{w}" for w in words]
        if k % 9 == 4:
            tgt += [" ".join(translated[:4]) + " .", " ".join(translated[4:]) + f" {k} ."]
            rev += [" ".join(f"w{w}" for w in words[:4]) + " .", f"w{words[5]} {k} ."]
        elif k % 13 != 6:
            tgt.append(" ".join(translated) + f" {k} .")
            rev.append(" ".join(f"w{w}" for w in words[rnd.randrange(3) :]) + f" {k} .")
        mt.append(
            " ".join(f"f{w}" if rnd.random() < 0.35 else f"x{rnd.randrange(900)}" for w in words)
            + " ."
        )
    return Document(src), Document(tgt), Document(mt), Document(rev)


def _write(folder: Path, docs: tuple[Document, ...]) -> list[Path]:
    paths = []
    for name, doc in zip(("src", "tgt", "mt", "rev"), docs, strict=True):
        path = folder / f"{name}.txt"
        path.write_text("".join(s + "\n" for s in doc.sentences), encoding="utf-8")
        paths.append(path)
    return paths


def _stored(path: Path) -> list[tuple]:
    with Project.open(path, read_only=True) as project:
        doc_id = project.documents()[0].id
        run = project.suggestion_runs(doc_id)[-1]
        return [(u.key, u.score, u.method) for u in project.run_units(run.id)]


def _project(path: Path, docs: tuple[Document, ...]) -> Path:
    source, target, mt, rev = docs
    with Project.create(path) as project:
        doc_id = project.add_document(source, target, name="doc")
        project.set_translation(doc_id, mt.sentences, "file:mt.txt", side="source")
        project.set_translation(doc_id, rev.sentences, "file:rev.txt", side="target")
    return path


@pytest.mark.parametrize(
    "scorer",
    ["bleu", pytest.param("ableu", marks=pytest.mark.slow)],  # ableu self-trains
)
def test_four_entry_points_give_the_same_units(scorer, tmp_path, capsys, qtbot, private_qsettings):
    from workbench.batch import BatchItem, BatchSettings, run_batch
    from workbench.gui.window import MainWindow

    docs = _documents()
    src, tgt, mt, rev = _write(tmp_path, docs)

    # the command line
    args = ["align", str(src), str(tgt), "--mt", str(mt), "--mt-reverse", str(rev)]
    assert main([*args, "--scorer", scorer, "--deletions"]) == 0
    cli = [parse_unit(line) for line in capsys.readouterr().out.splitlines()]

    # a project
    with Project.open(_project(tmp_path / "api.wbproj", docs)) as project:
        project.align(project.documents()[0].id, scorer=scorer)
    from_project = _stored(tmp_path / "api.wbproj")

    # the window's align job
    window = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(window)
    assert window.open_project(_project(tmp_path / "window.wbproj", docs))
    window.apply_settings({**window.settings, "scorer": scorer, "embeddings": ""})
    with qtbot.waitSignal(window.task_done, timeout=120000) as done:
        assert window.align_document(window.project.documents()[0].id)
    assert done.args == ["finished"]
    window.close()
    from_window = _stored(tmp_path / "window.wbproj")

    # a batch
    item = BatchItem("doc", src, tgt, (mt,), (rev,))
    report = run_batch(
        [item], BatchSettings(scorer=scorer), tmp_path / "batch.wbproj", project=True
    )
    assert report.ok
    from_batch = _stored(tmp_path / "batch.wbproj")

    assert from_project == from_window == from_batch
    assert cli == [key for key, _score, _method in from_project]
    # the reverse translation counts (the window's job used to leave it out)
    without_reverse = align(AlignSettings(scorer), Documents(docs[0], docs[1], [docs[2]])).units
    assert [u.key for u in without_reverse] != cli


def test_threshold_reaches_self_training_from_every_entry_point(tmp_path, monkeypatch, capsys):
    seen: list[float] = []
    real = selftrain.self_trained_aligner

    def spy(*args, **kwargs):
        seen.append(kwargs["options"].threshold)
        return real(*args, **kwargs)

    monkeypatch.setattr(selftrain, "self_trained_aligner", spy)
    # in a project, self-trained ABLEU aligns over the project's model (issue 19)
    from workbench.align import shared_model

    real_shared = shared_model.shared_aligner

    def shared_spy(settings, docs, vectors):
        seen.append(settings.self_training_options().threshold)
        return real_shared(settings, docs, vectors)

    monkeypatch.setattr(shared_model, "shared_aligner", shared_spy)
    docs = _documents(12)
    src, tgt, mt, _rev = _write(tmp_path, docs)
    assert main(["align", str(src), str(tgt), "--mt", str(mt), "--scorer", "ableu"]) == 0
    assert main(["align", str(src), str(tgt), "--scorer", "ableu", "--threshold", "0.8"]) == 0
    capsys.readouterr()
    path = _project(tmp_path / "p.wbproj", docs)
    assert main(["project", "align", str(path), "--scorer", "ableu", "--threshold", "0.7"]) == 0
    with Project.open(path) as project:
        doc_id = project.documents()[0].id
        project.realign(doc_id, settings=AlignSettings("ableu", threshold=0.6))
    assert seen == [0.97, 0.8, 0.7, 0.6]


def test_gui_settings_map_onto_the_pipeline():
    from workbench.review.state import settings_for_alignment

    values = {"scorer": "ableu", "embeddings": "", "order": 3, "threshold": 0.5}
    settings = settings_for_alignment(values, translated=True)
    assert settings == AlignSettings("ableu", order=3)
    assert settings.self_trains and settings.self_training_options().threshold == 0.97
    # without a translation unigrams; a threshold that was set reaches self-training
    changed = settings_for_alignment({**values, "threshold": 0.8}, translated=False)
    assert changed.order == 1 and changed.self_training_options().threshold == 0.8
    given = settings_for_alignment({**values, "scorer": "bleu", "embeddings": "x.kv"})
    assert given.embeddings is None and not given.self_trains


def test_settings_decide_order_and_self_training():
    assert AlignSettings().order_for(translated=True) == 2
    assert AlignSettings().order_for(translated=False) == 1
    assert AlignSettings(order=3).order_for(translated=False) == 3
    assert AlignSettings("ableu").rounds == 1
    assert AlignSettings("ableu", embeddings="x.kv").rounds == 0
    assert AlignSettings("ableu", embeddings="x.kv", iterations=2).self_trains
    assert not AlignSettings("bleu", iterations=2).self_trains


def test_project_documents_carry_both_translations(tmp_path):
    docs = _documents(10)
    with Project.open(_project(tmp_path / "p.wbproj", docs)) as project:
        read = project_documents(project, project.documents()[0].id)
    assert [d.sentences for d in read.mt] == [docs[2].sentences]
    assert [d.sentences for d in read.mt_reverse] == [docs[3].sentences]
    assert read.translated
