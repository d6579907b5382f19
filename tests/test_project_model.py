"""Self-trained ABLEU in a project trains one model for all documents, once (issue 19).

A project of 10 small translated documents: aligning all of them trains word2vec-pair once,
documents 2..10 (and re-alignments, and a reopened project) reuse the stored model, and editing
one document's text causes exactly one retrain. Training is counted by wrapping
``workbench.embeddings.train_embeddings``, which every training path calls.
"""

from __future__ import annotations

import numpy as np
import pytest

from workbench import Project
from workbench.align.pipeline import AlignSettings, project_documents
from workbench.textio import Document

WORDS = [
    "glacier",
    "summit",
    "ridge",
    "valley",
    "rope",
    "camp",
    "storm",
    "porter",
    "tent",
    "snow",
    "ice",
    "rock",
    "path",
    "guide",
    "village",
    "bridge",
    "river",
    "lake",
    "forest",
    "meadow",
]
# what the "MT" says for some words: self-training learns that they mean the same
MT_WORDS = {"glacier": "glace", "summit": "sommet", "rope": "corde", "storm": "orage"}


def _document(d: int, n: int = 12) -> tuple[list[str], list[str], list[str]]:
    src, tgt, mt = [], [], []
    for k in range(n):
        a, b = WORDS[(d * 3 + k) % len(WORDS)], WORDS[(d * 7 + k * 5 + 1) % len(WORDS)]
        c = WORDS[(d + k * 3 + 2) % len(WORDS)]
        src.append(f"DER {a.upper()} UND DER {b.upper()} AM TAG {d * 100 + k} .")
        tgt.append(f"le {a} et le {b} près du {c} au jour {d * 100 + k} .")
        mt.append(f"la {MT_WORDS.get(a, a)} et la {b} près du {c} le jour {d * 100 + k} .")
    return src, tgt, mt


def _project(path, n_docs: int = 10) -> list[int]:
    with Project.create(path) as project:
        ids = []
        for d in range(n_docs):
            src, tgt, mt = _document(d)
            doc = project.add_document(Document(src, name=f"d{d}"), Document(tgt))
            project.set_translation(doc, mt, "mt")
            ids.append(doc)
    return ids


@pytest.fixture
def trainings(monkeypatch) -> list[int]:
    """The number of pairs of every word2vec-pair training, in order."""
    import workbench.embeddings as embeddings
    from workbench.align import selftrain

    calls: list[int] = []
    real = embeddings.train_embeddings

    def counted(pairs, *args, **kwargs):
        pairs = list(pairs)
        calls.append(len(pairs))
        return real(pairs, *args, **kwargs)

    monkeypatch.setattr(embeddings, "train_embeddings", counted)
    monkeypatch.setattr(selftrain, "_TRAINED_KEEP", 0)  # no in-memory hits: count every training
    return calls


ABLEU = AlignSettings(scorer="ableu")


def _keys(project: Project, doc: int) -> list[tuple]:
    return [(u.source_ids, u.target_ids, u.score) for u in project.units(doc)]


def test_ten_documents_train_once_and_reuse_the_stored_model(tmp_path, trainings):
    from workbench.project.embeddings import embedding_params, embedding_scopes

    path = tmp_path / "p.wbproj"
    ids = _project(path)
    with Project.open(path) as project:
        project.set_setting("reviewer", "ann")
        project.align(ids[0], ABLEU)
        assert trainings == [10 * 12]  # one model over every document's (source, MT) pairs
        assert embedding_scopes(project) == ["project"]
        digest = embedding_params(project)["digest"]
        for doc in ids[1:]:
            project.align(doc, ABLEU)
        assert trainings == [120]  # documents 2..10 reuse it
        first = {doc: _keys(project, doc) for doc in ids}
        assert all(len(first[doc]) == 12 for doc in ids)
        # the MT's other words are learnt: every sentence pair is found
        assert [(u.source_ids, u.target_ids) for u in project.units(ids[4])] == [
            ((k,), (k,)) for k in range(12)
        ]
        assert project.realign(ids[2], settings=ABLEU) == 12
        assert trainings == [120]
    with Project.open(path) as project:  # a new session loads it from the file
        project.align(ids[6], ABLEU)
        assert trainings == [120]
        assert _keys(project, ids[6]) == first[ids[6]]  # same units from the stored model

        # editing one document's text invalidates the model: one retrain, then reuse again
        project.edit_sentence(ids[3], "source", 0, "DER GLACIER UND DER SOMMET AM TAG 300 .")
        project.align(ids[3], ABLEU)
        assert trainings == [120, 120]
        assert embedding_params(project)["digest"] != digest
        project.align(ids[8], ABLEU)
        assert trainings == [120, 120]
        # a new translated document changes what the model learns from, too
        src, tgt, mt = _document(10)
        new = project.add_document(Document(src), Document(tgt))
        project.set_translation(new, mt, "mt")
        project.align(new, ABLEU)
        assert trainings == [120, 120, 132]


def test_the_project_model_is_deterministic(tmp_path, trainings):
    """Two projects built the same way get the same model and the same units."""
    results = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.wbproj"
        ids = _project(path, 4)
        with Project.open(path) as project:
            for doc in ids:
                project.align(doc, ABLEU)
            from workbench.project.embeddings import load_embedding

            results.append(([_keys(project, d) for d in ids], load_embedding(project)))
    assert trainings == [48, 48]
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1].vectors, results[1][1].vectors)


def test_one_document_project_equals_per_document_self_training(tmp_path, trainings):
    """The shared aligner is built as self-training builds it: over a one-document corpus
    the project model gives exactly today's per-document ABLEU units."""
    from workbench.align import pipeline

    path = tmp_path / "one.wbproj"
    (doc,) = _project(path, 1)
    with Project.open(path) as project:
        docs = project_documents(project, doc)
        alone = pipeline.align(ABLEU, docs)  # per-document self-training, no project
        assert alone.vectors is not None
        project.align(doc, ABLEU)
        assert trainings == [12, 12]
        shared = [(u.source_ids, u.target_ids) for u in project.units(doc)]
        scores = [u.score for u in project.units(doc)]
    assert shared == [(u.source, u.target) for u in alone.units]
    assert scores == pytest.approx([u.score for u in alone.units], abs=1e-6)


def test_old_per_document_models_give_way_to_the_project_model(tmp_path, trainings):
    """A project from before keeps working: the document's own model is used until the
    document is aligned again, then the project's (what shading and neighbours read)."""
    from workbench.project.embeddings import (
        embedding_scopes,
        keep_embedding,
        load_embedding,
    )

    path = tmp_path / "old.wbproj"
    ids = _project(path, 3)
    with Project.open(path) as project:
        own = pipeline_vectors(project, ids[0])
        keep_embedding(project, ids[0], own)
        keep_embedding(project, ids[1], own)
        assert embedding_scopes(project) == ["doc:1", "doc:2"]
        project.align(ids[0], ABLEU)
        assert embedding_scopes(project) == ["doc:2", "project"]
        assert len(load_embedding(project, ids[0]).index_to_key) > len(own.index_to_key)
        assert load_embedding(project, ids[1]).index_to_key == own.index_to_key


def pipeline_vectors(project: Project, doc: int):
    from workbench.align import pipeline

    return pipeline.align(ABLEU, project_documents(project, doc)).vectors


def test_what_no_project_model_replaces_still_trains_per_document(tmp_path, trainings):
    """More than one self-training round learns from each document's own confident units,
    and a document without MT from a first pass over it: those train per document."""
    path = tmp_path / "p.wbproj"
    ids = _project(path, 2)
    with Project.open(path) as project:
        project.align(ids[0], AlignSettings(scorer="ableu", iterations=2))
        assert len(trainings) == 2  # two rounds on document 1 alone
        assert trainings[0] == 12
        src, tgt, _ = _document(5)
        plain = project.add_document(Document(src), Document(tgt))
        project.align(plain, ABLEU)
        assert len(trainings) == 3
        project.align(ids[1], ABLEU)  # a translated document: the project model
        assert trainings[3:] == [24]
        from workbench.project.embeddings import embedding_scopes

        assert embedding_scopes(project) == ["doc:1", "doc:3", "project"]


def test_project_align_command_trains_once_and_says_so(tmp_path, trainings, capsys):
    from workbench.cli import main

    path = tmp_path / "p.wbproj"
    _project(path, 3)
    assert main(["project", "align", str(path), "--scorer", "ableu"]) == 0
    err = capsys.readouterr().err
    assert "project model: trained on 3 translated document(s)" in err
    assert trainings == [36]
    assert main(["project", "align", str(path), "--scorer", "ableu", "--doc", "2"]) == 0
    assert "project model: reused" in capsys.readouterr().err
    assert trainings == [36]


def test_spot_check_computes_ableu_over_the_project_model(tmp_path, trainings):
    from workbench.spotcheck.project_data import scorer_units

    path = tmp_path / "p.wbproj"
    ids = _project(path, 3)
    with Project.open(path) as project:
        project.set_setting("reviewer", "ann")
        for doc in ids:
            units = scorer_units(project, doc, "ableu")
            assert [u.key for u in units] == [((k,), (k,)) for k in range(12)]
        assert trainings == [36]
        project.align(ids[0], ABLEU)  # the same model as the spot-check's
        assert trainings == [36]
