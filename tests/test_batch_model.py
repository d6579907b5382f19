"""``workbench batch --shared-model``: one self-trained ABLEU model for the batch, trained once."""

from __future__ import annotations

import pytest

from workbench.batch import AlignSettings, items_from_dirs, run_batch

WORDS = "glacier summit ridge valley rope camp storm porter tent snow ice rock".split()  # noqa: SIM905
MT_WORDS = {"glacier": "glace", "summit": "sommet", "rope": "corde"}


def _write(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _corpus(folder, n_docs: int = 4, n: int = 10) -> None:
    for d in range(n_docs):
        src, tgt, mt = [], [], []
        for k in range(n):
            a, b = WORDS[(d * 3 + k) % 12], WORDS[(d * 7 + k * 5 + 1) % 12]
            src.append(f"DER {a.upper()} UND DER {b.upper()} AM TAG {d * 100 + k} .")
            tgt.append(f"le {a} et le {b} au jour {d * 100 + k} .")
            mt.append(f"la {MT_WORDS.get(a, a)} et la {b} le jour {d * 100 + k} .")
        _write(folder / "src" / f"d{d}.txt", src)
        _write(folder / "tgt" / f"d{d}.txt", tgt)
        _write(folder / "mt" / f"d{d}.txt", mt)


@pytest.fixture
def trainings(monkeypatch) -> list[int]:
    import workbench.embeddings as embeddings
    from workbench.align import selftrain

    calls: list[int] = []
    real = embeddings.train_embeddings

    def counted(pairs, *args, **kwargs):
        pairs = list(pairs)
        calls.append(len(pairs))
        return real(pairs, *args, **kwargs)

    monkeypatch.setattr(embeddings, "train_embeddings", counted)
    monkeypatch.setattr(selftrain, "_TRAINED_KEEP", 0)
    return calls


def _items(folder):
    return items_from_dirs(folder / "src", folder / "tgt", folder / "mt")


def test_shared_model_trains_once_for_the_batch_and_resumes(tmp_path, trainings):
    _corpus(tmp_path)
    shared = AlignSettings(scorer="ableu", shared_model=True)
    report = run_batch(_items(tmp_path), shared, tmp_path / "out", progress=False)
    assert report.ok and len(report.aligned) == 4
    assert trainings == [40]  # one model over the 4 documents' 10 (source, MT) pairs each
    # the same units as the project model gives for these documents
    from workbench.align import pipeline
    from workbench.align.shared_model import train_shared
    from workbench.textio import read_document

    docs = [
        pipeline.Documents(
            read_document(tmp_path / "src" / f"d{d}.txt"),
            read_document(tmp_path / "tgt" / f"d{d}.txt"),
            [read_document(tmp_path / "mt" / f"d{d}.txt")],
        )
        for d in range(4)
    ]
    model = pipeline.SharedModel(train_shared(docs, shared))
    for d, doc in enumerate(docs):
        units = pipeline.align(shared, doc, shared=model).units
        rows = (tmp_path / "out" / f"d{d}.txt.tsv").read_text(encoding="utf-8").splitlines()
        assert [tuple(r.split("\t")[1:3]) for r in rows] == [
            (" ".join(map(str, u.source)), " ".join(map(str, u.target)))
            for u in units
            if not u.is_deletion
        ]
    del trainings[:]
    again = run_batch(_items(tmp_path), shared, tmp_path / "out", progress=False)
    assert len(again.skipped) == 4 and trainings == []  # done, and no model trained for nothing
    # a changed translation changes the model: every document is redone, over one new model
    _write(tmp_path / "mt" / "d1.txt", ["la neige ."] * 10)
    redone = run_batch(_items(tmp_path), shared, tmp_path / "out", progress=False)
    assert len(redone.aligned) == 4 and trainings == [40]


def test_without_the_option_every_document_trains_its_own(tmp_path, trainings):
    _corpus(tmp_path, 3)
    report = run_batch(_items(tmp_path), AlignSettings(scorer="ableu"), tmp_path / "o")
    assert report.ok and trainings == [10, 10, 10]
    # the option is recorded only when set: batches from before resume as they were
    assert "shared_model" not in AlignSettings(scorer="ableu").fingerprint()


def test_cli_shared_model(tmp_path, trainings, capsys):
    from workbench.cli import main

    _corpus(tmp_path, 3)
    args = ["batch", "--dirs", str(tmp_path / "src"), str(tmp_path / "tgt")]
    args += ["--mt-dir", str(tmp_path / "mt"), "--scorer", "ableu", "--shared-model"]
    assert main([*args, "-o", str(tmp_path / "out")]) == 0
    assert trainings == [30]
    assert "aligned 3 document(s)" in capsys.readouterr().err


@pytest.mark.slow
def test_dask_workers_share_the_model_and_agree_with_one_process(tmp_path, trainings):
    _corpus(tmp_path)
    shared = AlignSettings(scorer="ableu", shared_model=True)
    run_batch(_items(tmp_path), shared, tmp_path / "serial", progress=False)
    dask = run_batch(_items(tmp_path), shared, tmp_path / "dask", workers=2, progress=False)
    assert dask.ok and len(dask.aligned) == 4
    assert trainings == [40, 40]  # trained by the client, once per batch, not on the workers
    for d in range(4):
        name = f"d{d}.txt.tsv"
        serial = (tmp_path / "serial" / name).read_text(encoding="utf-8")
        assert serial == (tmp_path / "dask" / name).read_text(encoding="utf-8")
