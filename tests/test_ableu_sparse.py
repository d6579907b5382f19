"""ABLEU's sparse soft-partner route: exact (equal to the dense tensors and the formula)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from gensim.models import KeyedVectors

from workbench.scoring import AbleuScorer, WordSimilarity
from workbench.scoring.reference import reference_ableu

WORDS = "the cat dog sat on mat a is was big small red house tree , . ! ?".split()  # noqa: SIM905


def _kv(seed: int, dim: int = 4) -> KeyedVectors:
    rng = np.random.default_rng(seed)
    kv = KeyedVectors(vector_size=dim)
    known = [w for w in WORDS if w not in ("red", "?")]  # some words stay unknown
    kv.add_vectors(known, rng.normal(size=(len(known), dim)).astype(np.float32))
    return kv


def _sentences(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12))) for _ in range(n)]


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("mutual", [None, 2])
def test_sparse_route_equals_dense_route_and_formula(order, mutual):
    rng = random.Random(order)
    sim = WordSimilarity(_kv(order, dim=8), threshold=0.6, mutual=mutual)
    scorer = AbleuScorer(sim, order=order)
    cands = scorer.prepare(_sentences(rng, 30))
    refs = scorer.prepare(_sentences(rng, 25))
    assert scorer.sparse_route()  # a high threshold: few neighbours per word
    pairs = np.array([(i, j) for i in range(30) for j in range(25)])
    sparse_matches = scorer.soft_matches(cands, refs, pairs)
    dense_matches = scorer._dense_matches(cands, refs, pairs)
    np.testing.assert_allclose(sparse_matches, dense_matches, atol=1e-5)
    scores = scorer.pair_scores(cands, refs, pairs, symmetric=False)
    for (i, j), got in zip(pairs[:60], scores[:60], strict=True):
        expected = reference_ableu(cands.tokens[i], [refs.tokens[j]], sim.similarity, order)
        assert got == pytest.approx(expected, abs=1e-5)


def test_partners_grow_with_new_sentences():
    sim = WordSimilarity(_kv(5), threshold=0.6)
    scorer = AbleuScorer(sim, order=2)
    first = scorer.prepare(["the cat sat on the mat"])
    scorer.pair_scores(first, first, np.array([[0, 0]]))  # partners built for this vocabulary
    later = scorer.prepare(["a big dog is on a red house", "the small tree was big"])
    pairs = np.array([[0, 0], [0, 1]])
    got = scorer.soft_matches(first, later, pairs)
    fresh = AbleuScorer(sim, order=2)
    a = fresh.prepare(["the cat sat on the mat"])
    b = fresh.prepare(["a big dog is on a red house", "the small tree was big"])
    np.testing.assert_allclose(got, fresh._dense_matches(a, b, pairs), atol=1e-5)


def test_low_threshold_takes_the_dense_route():
    scorer = AbleuScorer(WordSimilarity(_kv(1), threshold=0.0), order=2)
    scorer.prepare(_sentences(random.Random(1), 20))
    assert not scorer.sparse_route()


def test_mutual_neighbours_keep_only_mutual_pairs():
    kv = KeyedVectors(vector_size=2)
    # a–b are each other's nearest; c's nearest is b, but b's nearest is a
    kv.add_vectors(
        ["a", "b", "c", "d"],
        np.array([[1, 0], [0.99, 0.14], [0.9, 0.44], [-1, 0.1]], dtype=np.float32),
    )
    plain = WordSimilarity(kv, threshold=0.5)
    mutual = WordSimilarity(kv, threshold=0.5, mutual=1)
    assert plain.similarity("b", "c") > 0.5
    assert mutual.similarity("b", "c") == 0.0
    assert mutual.similarity("a", "b") == pytest.approx(plain.similarity("a", "b"))
    assert mutual.similarity("zzz", "zzz") == 1.0  # unknown words still match themselves
    assert "mnn1" in mutual.identity


def test_exact_numbers_match_only_themselves():
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors(["1849", "1850", "mont"], np.array([[1, 0], [1, 0.01], [1, 0.02]], "float32"))
    loose = WordSimilarity(kv, threshold=0.5)
    strict = WordSimilarity(kv, threshold=0.5, exact_numbers=True)
    assert loose.similarity("1849", "1850") > 0.9
    assert strict.similarity("1849", "1850") == 0.0
    assert strict.similarity("1849", "mont") == 0.0
    assert strict.similarity("1849", "1849") == 1.0
