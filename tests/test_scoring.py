from __future__ import annotations

import random

import numpy as np
import pytest
from gensim.models import KeyedVectors
from sacrebleu.metrics import BLEU

from workbench.scoring import AbleuScorer, BleuScorer, WordSimilarity, make_scorer
from workbench.scoring.base import harmonic_mean
from workbench.scoring.reference import exact_similarity, reference_ableu

WORDS = [
    "the",
    "cat",
    "dog",
    "sat",
    "on",
    "mat",
    "a",
    "is",
    "was",
    "big",
    "small",
    "red",
    "house",
    "tree",
    ",",
    ".",
    "!",
    "?",
]


def random_sentence(rng: random.Random, lo: int = 0, hi: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))


def random_kv(seed: int = 0, dim: int = 6) -> KeyedVectors:
    rng = np.random.default_rng(seed)
    kv = KeyedVectors(vector_size=dim)
    known = [w for w in WORDS if w not in ("red", "?")]  # some words stay unknown
    kv.add_vectors(known, rng.normal(size=(len(known), dim)).astype(np.float32))
    return kv


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_bleu_matches_sacrebleu_sentence_bleu(order):
    rng = random.Random(order)
    ours = BleuScorer(order=order)
    theirs = BLEU(max_ngram_order=order, smooth_method="none", tokenize="13a")
    for _ in range(300):
        cand = random_sentence(rng, 1)
        refs = [random_sentence(rng, 1) for _ in range(rng.choice([1, 1, 2]))]
        expected = theirs.sentence_score(cand, refs).score / 100
        assert ours.sentence_score(cand, refs) == pytest.approx(expected, abs=1e-9)


def test_bleu_corpus_score_matches_sacrebleu():
    rng = random.Random(5)
    cands = [random_sentence(rng, 1) for _ in range(50)]
    refs = [random_sentence(rng, 1) for _ in range(50)]
    theirs = BLEU(max_ngram_order=2, smooth_method="none").corpus_score(cands, [refs]).score
    assert BleuScorer().corpus_score(cands, [refs]) == pytest.approx(theirs / 100, abs=1e-9)


def test_clipping_stops_repeated_words():
    scorer = BleuScorer(order=1)
    # "the" appears twice in the reference: 2 of 7 candidate words match.
    score = scorer.sentence_score("the the the the the the the", ["the cat is on the mat"])
    assert score == pytest.approx(2 / 7)  # longer than the reference: no brevity penalty


@pytest.mark.parametrize("order", [1, 2, 3])
def test_ableu_with_exact_similarity_equals_bleu(order):
    rng = random.Random(10 + order)
    cands = [random_sentence(rng) for _ in range(40)]
    refs = [random_sentence(rng) for _ in range(35)]
    bleu, ableu = BleuScorer(order=order), AbleuScorer(WordSimilarity(None), order=order)
    for symmetric in (False, True):
        expected = bleu.matrix(bleu.prepare(cands), bleu.prepare(refs), symmetric)
        got = ableu.matrix(ableu.prepare(cands), ableu.prepare(refs), symmetric)
        np.testing.assert_allclose(got, expected, atol=1e-9)


@pytest.mark.parametrize("threshold", [0.0, 0.4])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_ableu_equals_straightforward_formula(order, threshold):
    rng = random.Random(order * 7 + int(threshold * 10))
    sim = WordSimilarity(random_kv(order), threshold=threshold)
    scorer = AbleuScorer(sim, order=order)
    for _ in range(150):
        cand = random_sentence(rng)
        refs = [random_sentence(rng) for _ in range(rng.choice([1, 1, 2]))]
        expected = reference_ableu(
            scorer.tokenize(cand), [scorer.tokenize(r) for r in refs], sim.similarity, order
        )
        assert scorer.sentence_score(cand, refs) == pytest.approx(expected, abs=1e-6)


def test_reference_formula_with_exact_similarity_is_bleu():
    rng = random.Random(3)
    bleu = BleuScorer(order=2)
    for _ in range(100):
        cand, ref = random_sentence(rng, 1), random_sentence(rng, 1)
        expected = bleu.sentence_score(cand, [ref])
        got = reference_ableu(bleu.tokenize(cand), [bleu.tokenize(ref)], exact_similarity, 2)
        assert got == pytest.approx(expected, abs=1e-9)


def test_batched_pairs_equal_one_at_a_time():
    rng = random.Random(4)
    scorer = AbleuScorer(WordSimilarity(random_kv(1), threshold=0.2), order=2)
    cands = scorer.prepare([random_sentence(rng) for _ in range(30)])
    refs = scorer.prepare([random_sentence(rng) for _ in range(30)])
    full = scorer.matrix(cands, refs, symmetric=True)
    for i in range(0, 30, 7):
        for j in range(0, 30, 5):
            one = scorer.pair_scores(cands, refs, np.array([[i, j]]), symmetric=True)[0]
            assert full[i, j] == pytest.approx(one, abs=1e-9)


def test_symmetric_is_harmonic_mean_of_directions():
    scorer = BleuScorer()
    c, r = scorer.prepare(["a big red house ."]), scorer.prepare(["a big house is red ."])
    pair = np.array([[0, 0]])
    fwd = scorer.pair_scores(c, r, pair, symmetric=False)
    bwd = scorer.pair_scores(r, c, pair, symmetric=False)
    assert scorer.pair_scores(c, r, pair)[0] == pytest.approx(harmonic_mean(fwd, bwd)[0])


def test_prefiltered_matrix_keeps_exact_scores_of_best_pairs():
    rng = random.Random(8)
    scorer = AbleuScorer(WordSimilarity(random_kv(2), threshold=0.3), order=2, prefilter=5)
    cands = scorer.prepare([random_sentence(rng, 3) for _ in range(40)])
    refs = scorer.prepare([random_sentence(rng, 3) for _ in range(60)])
    full = scorer.matrix(cands, refs)
    pruned = scorer.matrix(cands, refs, keep=3)
    nonzero = pruned > 0
    np.testing.assert_allclose(pruned[nonzero], full[nonzero], atol=1e-9)
    # Each candidate keeps at most `prefilter` scored references.
    assert (nonzero.sum(1) <= 5).all()


def test_similarity_rules():
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors(
        ["up", "down", "high"], np.array([[1, 0], [-1, 0], [0.9, 0.1]], dtype=np.float32)
    )
    sim = WordSimilarity(kv, threshold=0.0)
    assert sim.similarity("up", "up") == 1.0
    assert sim.similarity("up", "down") == 0.0  # negative cosine clipped
    assert 0.9 < sim.similarity("up", "high") < 1.0
    assert sim.similarity("unknown", "unknown") == 1.0  # unknown words match themselves only
    assert sim.similarity("unknown", "up") == 0.0
    assert WordSimilarity(kv, threshold=0.999).similarity("up", "high") == 0.0


def test_soft_match_scores_where_bleu_cannot():
    kv = KeyedVectors(vector_size=2)
    kv.add_vectors(["이쁘다", "예쁘다"], np.array([[1, 0.05], [1, 0]], dtype=np.float32))
    ableu = AbleuScorer(WordSimilarity(kv), order=1)
    assert BleuScorer(order=1).sentence_score("정말 이쁘다", ["정말 예쁘다"]) == pytest.approx(0.5)
    assert ableu.sentence_score("정말 이쁘다", ["정말 예쁘다"]) > 0.99


def test_make_scorer_and_signature():
    assert make_scorer("bleu", order=3).signature().startswith("bleu|nrefs:1|order:3|tok:13a")
    assert "sim:exact" in make_scorer("ableu").signature()
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError):
        make_scorer("meteor")


def test_ableu_one_tensor_symmetric_scores_equal_two_directions():
    from workbench.scoring.base import Scorer

    rng = random.Random(12)
    scorer = AbleuScorer(WordSimilarity(random_kv(3), threshold=0.1), order=3)
    cands = scorer.prepare([random_sentence(rng) for _ in range(25)])
    refs = scorer.prepare([random_sentence(rng) for _ in range(25)])
    pairs = np.array([(i, (i * 7) % 25) for i in range(25)])
    fast = scorer.pair_scores(cands, refs, pairs, symmetric=True)
    slow = Scorer.score_pairs(scorer, cands, refs, pairs, symmetric=True)
    np.testing.assert_allclose(fast, slow, atol=1e-9)
