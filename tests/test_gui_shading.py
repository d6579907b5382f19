"""Shading by how much a match tells (IDF over the document), source-side and "similar"
shading from the word2vec-pair model kept in the project (offscreen Qt where needed)."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.project import Project
from workbench.project.embeddings import (
    embedding_scopes,
    load_embedding,
    pack,
    store_embedding,
    unpack,
)
from workbench.scoring import WordSimilarity, make_scorer
from workbench.scoring.explain import EXACT, NONE, SOFT
from workbench.scoring.weights import WordWeights
from workbench.textio import Document

TOKENIZE = make_scorer("bleu", lowercase=True).tokenize


def pair_space():
    """A tiny word2vec-pair stand-in: gipfel ≈ sommet (German–French), stein apart."""
    from gensim.models import KeyedVectors

    from workbench.embeddings.training import set_side_counts

    kv = KeyedVectors(2)
    kv.add_vectors(
        ["gipfel", "sommet", "stein", "le"],
        np.array([[1.0, 0.1], [1.0, 0.2], [0.0, 1.0], [0.6, 0.6]], dtype=np.float32),
    )
    set_side_counts(kv, [3, 0, 2, 0], [0, 4, 0, 9], ("de", "fr"))
    return kv


def test_weights_follow_document_frequency_in_any_language():
    french = [f"le chat {i} de la maison ." for i in range(40)] + ["le sommet de Everest ."]
    weights = WordWeights.from_sentences(french, TOKENIZE)
    assert weights.weight("le") == 0.0 and weights.weight("de") == 0.0  # in every sentence
    assert weights.weight("everest") == 1.0 and weights.weight("sommet") == 1.0
    assert weights.weight(".") == 0.0  # punctuation tells nothing
    assert 0.0 < weights.weight("7") <= 1.0  # a number in one sentence
    assert weights.describe("le") == "in 41 of 41 sentences"
    # No stop list: Korean particles and words get the same treatment.
    korean = [f"회의 는 {i} 서울 에서 열렸다" for i in range(30)] + ["대통령 은 평양 에 갔다"]
    k = WordWeights.from_sentences(korean, TOKENIZE)
    assert k.weight("는") == 0.0 and k.weight("에서") == 0.0
    assert k.weight("평양") == 1.0


def test_embedding_kept_in_the_project_round_trips(tmp_path):
    kv = pair_space()
    back = unpack(pack(kv))
    assert back.index_to_key == kv.index_to_key
    assert np.allclose(back.vectors, kv.vectors)
    assert list(back.expandos["source_count"]) == [3, 0, 2, 0]
    assert tuple(back.side_names) == ("de", "fr")
    path = tmp_path / "p.wbproj"
    with Project.create(path) as project:
        doc = project.add_document(Document(["a ."]), Document(["b ."]))
        assert load_embedding(project, doc) is None and embedding_scopes(project) == []
        store_embedding(project, kv)  # a project-level model serves every document
        assert load_embedding(project, doc).index_to_key == kv.index_to_key
        own = unpack(pack(kv))
        own.vectors[0] = [0.0, 1.0]
        store_embedding(project, own, doc)
    with Project.open(path) as project:  # kept in the file
        assert embedding_scopes(project) == ["doc:1", "project"]
        assert np.allclose(load_embedding(project, 1).vectors[0], [0.0, 1.0])
        assert np.allclose(load_embedding(project, 2).vectors[0], kv.vectors[0])


class _Unit:
    def __init__(self, source, mt, target, doc_id=1):
        self.id, self.doc_id = 7, doc_id
        self.source_text, self.mt_text, self.target_text = source, mt, target
        self.source_ids, self.target_ids = (0,), (0,)


def test_source_side_and_similar_shading_from_the_pair_space():
    from workbench.gui.shading import Explainer, ShadingContext

    kv = pair_space()
    ctx = ShadingContext(cross=WordSimilarity(kv, threshold=0.5))
    explainer = Explainer(TOKENIZE, None, context=lambda doc_id: ctx)
    unit = _Unit("der Gipfel 1956 .", "le pic 1956 .", "le sommet 1956 .")
    source, _mt, target = explainer.cells(unit)
    kinds = {m.token: (m.kind, m.best, m.side) for _, _, m, _ in source}
    assert kinds["gipfel"] == (SOFT, "sommet", "")  # its pair-space partner is in the target
    assert kinds["1956"][0] == EXACT and kinds["der"][0] == NONE
    tgt = {m.token: (m.kind, m.best, m.side) for _, _, m, _ in target}
    assert tgt["sommet"] == (SOFT, "gipfel", "source")  # not in the MT, but in the source
    assert tgt["le"] == (EXACT, "le", "")  # in the MT


@pytest.fixture
def weighted_window(qtbot, tmp_path, private_qsettings):
    pytest.importorskip("pytestqt")
    from workbench.align import AlignmentUnit
    from workbench.gui.window import MainWindow

    filler = [f"le chat de la rue {i} et le chien de la ville en hiver ." for i in range(40)]
    src = [f"das Haus {i} ." for i in range(40)] + ["der Gipfel des Everest 1953 ."]
    tgt = [*filler, "le sommet de la Everest en 1953 ."]
    mt = [*filler, "le pic de la Everest en 1953 ."]
    path = tmp_path / "w.wbproj"
    with Project.create(path) as project:
        doc = project.add_document(Document(src), Document(tgt), name="w")
        project.set_translation(doc, mt, "file")
        project.set_suggestions(doc, [AlignmentUnit((i,), (i,), 0.5) for i in range(41)], "ableu")
        project.set_setting("scorer", "ableu")
        store_embedding(project, pair_space(), doc)
    win = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    win.open_project(path)
    yield win
    win.close()


def shaded_words(win, row, column):
    """The words of a cell that the delegate paints with a background."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    unit = win.model.unit_at(row)
    doc = win.delegate.document(unit, column, 400, win.view.font(), win.view.palette())
    text = doc.toPlainText()
    shaded = set()
    for word in set(TOKENIZE(text)):
        at = text.lower().find(word)
        cursor = QTextCursor(doc)
        cursor.setPosition(at + 1)
        if cursor.charFormat().background().style() != Qt.BrushStyle.NoBrush:
            shaded.add(word)
    return shaded


def test_content_words_shaded_function_words_not(weighted_window):
    from workbench.gui.model import COL_MT, COL_SOURCE, COL_TARGET

    win = weighted_window
    row = 40
    target = shaded_words(win, row, COL_TARGET)
    assert {"everest", "1953"} <= target  # rare, matched in the MT
    assert "sommet" in target  # not in the MT: "similar" through the source's Gipfel
    assert not {"le", "de", "la", "en"} & target  # in most sentences: unshaded
    assert {"everest", "1953"} <= shaded_words(win, row, COL_MT)
    assert {"gipfel", "everest", "1953"} <= shaded_words(win, row, COL_SOURCE)
    unit = win.model.unit_at(row)
    pos = unit.source_text.index("Gipfel")
    tip = win.delegate.tooltip_at(unit, COL_SOURCE, pos)
    assert "“gipfel” ≈ “sommet” in the target" in tip and "in 1 of 41 sentences" in tip
    ctx = win.delegate.explainer.context_for(unit)
    assert ctx.cross is not None and "kept with the project" in ctx.model


def test_self_trained_ableu_keeps_its_model(tmp_path):
    from workbench.gui.demo import create_demo_project

    project = create_demo_project(tmp_path / "demo.wbproj")
    try:
        doc = project.documents()[0].id
        project.align(doc, scorer="ableu")
        # the demo is translated: the project's model, trained over its documents (issue 19)
        assert embedding_scopes(project) == ["project"]
        kv = load_embedding(project, doc)
        assert len(kv.index_to_key) > 20 and "source_count" in kv.expandos
        project.align(doc, scorer="bleu")  # nothing learnt: the kept model stays
        assert embedding_scopes(project) == ["project"]
    finally:
        project.close()


def test_neighbours_and_retraining_use_the_kept_model(weighted_window, monkeypatch, qtbot):
    win = weighted_window
    tools = win.embedding_tools
    assert tools.show_word("gipfel")
    assert tools.vectors is not None and "sommet" in tools.vectors.key_to_index
    assert "self-trained while aligning (doc:1" in tools.note_text
    seen = {}
    import workbench.embeddings.retrain as retrain

    def fake(*args, base=None, **kwargs):
        seen["base"] = base
        raise retrain.ModelError("stop here")

    monkeypatch.setattr(retrain, "retrain_and_rescore", fake)
    win.project.decide(win.project.units()[0].id, "accepted")
    with qtbot.waitSignal(win.task_done, timeout=20000):
        assert tools.retrain()
    assert seen["base"] is not None and "gipfel" in seen["base"].key_to_index
