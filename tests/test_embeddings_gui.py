"""pytest-qt tests of the neighbour panel and the neighbourhood map."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from embedding_corpus import synthetic_pairs
from matplotlib.backend_bases import MouseEvent

from workbench.embeddings import read_projector, train_embeddings
from workbench.gui.neighbours import NeighbourMap, NeighbourPanel, cjk_font_family


@pytest.fixture(scope="module")
def models():
    pairs = synthetic_pairs(300)
    pairs += [(["정부", "a01"], ["government", "b01"])] * 20  # Korean labels on the map
    pair = train_embeddings(pairs, mode="pair", vector_size=12, epochs=4, side_names=("ko", "en"))
    plain = train_embeddings(pairs, mode="plain", vector_size=12, epochs=4, side_names=("ko", "en"))
    return pair, plain


@pytest.fixture
def panel(qtbot, models):
    widget = NeighbourPanel(*models, k=5)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    return widget


def test_typed_query_shows_both_models(panel, qtbot):
    with qtbot.waitSignal(panel.wordShown) as shown:
        panel.query.setText("a03")
        panel.show_button.click()
    assert shown.args == ["a03"]
    assert panel.pair_model.rowCount() == 5 and panel.plain_model.rowCount() == 5
    index = panel.pair_model.index(0, 3)
    assert index.data() in ("ko", "en")
    assert float(panel.pair_model.index(0, 2).data()) >= float(panel.pair_model.index(4, 2).data())
    assert "5 nearest words to 'a03'" in panel.status.text()
    assert not panel.plain_box.isHidden()


def test_show_word_slot_and_k(panel):
    panel.k_box.setValue(3)
    assert panel.show_word("b07")
    assert panel.query.text() == "b07" and panel.pair_model.rowCount() == 3


def test_empty_query_message(panel, qtbot):
    panel.show_word("a03")
    with qtbot.waitSignal(panel.message) as said:
        panel.show_word("   ")
    assert said.args == ["Type a word to see its neighbours."]
    assert panel.pair_model.rowCount() == 0 and panel.plain_model.rowCount() == 0
    assert panel.map.points == []


def test_unknown_word_message(panel):
    assert not panel.show_word("nosuchword")
    assert "'nosuchword' is not in the embedding's vocabulary" in panel.status.text()
    assert panel.pair_model.rowCount() == 0


def test_no_model_and_pair_only(qtbot, models):
    empty = NeighbourPanel(None)
    qtbot.addWidget(empty)
    assert not empty.show_word("a01")
    assert "No embedding loaded" in empty.status.text()
    empty.set_vectors(models[0])
    assert empty.show_word("a01") and empty.plain_box.isHidden()


def test_double_click_activates_a_neighbour(panel, qtbot):
    panel.show_word("a03")
    first = panel.pair_model.index(0, 1)
    word = first.data()
    with qtbot.waitSignal(panel.wordActivated) as activated:
        panel.pair_view.doubleClicked.emit(first)
    assert activated.args == [word] and panel.word == word


def test_exports_from_the_panel(panel, tmp_path, models):
    panel.show_word("a03")
    assert panel.export_table(tmp_path / "n.tsv") == 10  # 5 pair + 5 plain rows
    lines = (tmp_path / "n.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("pair\ta03\t1\t") and lines[6].startswith("plain\ta03\t1\t")
    panel.export_projector(tmp_path / "proj")
    back = read_projector(tmp_path / "proj")
    assert back.index_to_key[0] == "a03" and len(back.index_to_key) == 6


def test_map_renders_hovers_and_exports(panel, tmp_path, qtbot):
    panel.show_word("정부")
    points = panel.map.points
    assert points[0].word == "정부" and points[0].is_query and len(points) == 6
    panel.map.canvas.draw()
    # hovering over a neighbour shows a tooltip with its word, language and cosine
    x, y = panel.map.axes.transData.transform((points[1].x, points[1].y))
    event = MouseEvent("motion_notify_event", panel.map.canvas, x, y)
    panel.map.canvas.callbacks.process("motion_notify_event", event)
    assert panel.map.tooltip_text().startswith(points[1].word)
    for name in ("map.png", "map.svg"):
        path = panel.map.export(tmp_path / name)
        assert path.stat().st_size > 1000
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "map.svg").read_text(encoding="utf-8")[:500]


def test_map_rejects_other_formats(qtbot, tmp_path):
    from workbench.errors import WorkbenchError

    widget = NeighbourMap()
    qtbot.addWidget(widget)
    with pytest.raises(WorkbenchError, match="png"):
        widget.export(tmp_path / "map.jpg")


def test_a_cjk_font_is_chosen_when_installed():
    from matplotlib import font_manager

    family = cjk_font_family()
    installed = any("CJK" in f.name for f in font_manager.fontManager.ttflist)
    assert family[-1] == "DejaVu Sans"
    if installed:
        assert "CJK" in family[0]
