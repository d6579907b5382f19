"""The Qt-free "why this pair" core: each word's best ABLEU match and its place in the text."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from workbench.scoring import AbleuScorer, WordSimilarity
from workbench.scoring.explain import EXACT, NONE, SOFT, explain_pair, token_spans, word_matches


class _TinyVectors:
    """A KeyedVectors stand-in with three words: ship ≈ ferry, stone far from both."""

    vector_size = 2
    _vec: ClassVar[dict] = {
        "ship": np.array([1.0, 0.1]),
        "ferry": np.array([1.0, 0.2]),
        "stone": np.array([0.0, 1.0]),
    }

    def __contains__(self, word):
        return word in self._vec

    def get_vector(self, word):
        return self._vec[word]


def test_exact_soft_and_none():
    sim = WordSimilarity(_TinyVectors(), threshold=0.5)
    out = word_matches(["the", "ship", "stone"], ["the", "ferry"], sim)
    assert [(m.token, m.kind, m.best) for m in out] == [
        ("the", EXACT, "the"),
        ("ship", SOFT, "ferry"),
        ("stone", NONE, ""),
    ]
    token, kind, best, value = out[1]
    assert kind == SOFT and 0.9 < value < 1.0 and best == "ferry" and token == "ship"


def test_without_similarity_only_exact_matches_count():
    out = word_matches(["a", "ship"], ["a", "ferry"], None)
    assert [m.kind for m in out] == [EXACT, NONE]
    assert word_matches(["x"], [], None)[0].kind == NONE
    assert word_matches([], ["x"], None) == []


def test_threshold_removes_weak_similarities():
    sim = WordSimilarity(_TinyVectors(), threshold=0.999)
    assert word_matches(["ship"], ["ferry"], sim)[0].kind == NONE


def test_token_spans_map_back_onto_the_text():
    text = "Busan's ferry, Blue Whale."
    tokens = AbleuScorer(lowercase=True).tokenize(text)
    spans = token_spans(text, tokens)
    assert all(s is not None for s in spans)
    assert [text[a:b].lower() for a, b in spans] == tokens


def test_explain_pair_both_sides():
    scorer = AbleuScorer(WordSimilarity(_TinyVectors()), lowercase=False)
    mt, tgt = explain_pair(
        "the ship sank", "the ferry sank fast", scorer.tokenize, scorer.similarity
    )
    assert [
        (mt_text, m.kind) for mt_text, m in ((("the ship sank")[a:b], m) for a, b, m in mt)
    ] == [
        ("the", EXACT),
        ("ship", SOFT),
        ("sank", EXACT),
    ]
    assert [m.kind for _, _, m in tgt] == [EXACT, SOFT, EXACT, NONE]
    assert tgt[1][2].best == "ship"


def test_gui_import_keeps_none_alive_through_many_void_calls():
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on every void call; importing
    workbench.gui compensates, so a long session cannot abort with "deallocating None"."""
    import sys

    from PySide6.QtCore import QObject

    import workbench.gui  # noqa: F401

    probe = QObject()
    for _ in range(50_000):
        probe.setObjectName("x")
    assert sys.getrefcount(None) > 1000
