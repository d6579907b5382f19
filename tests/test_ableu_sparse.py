"""ABLEU's sparse soft-partner route: exact (equal to the dense tensors and the formula)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from gensim.models import KeyedVectors

from workbench.scoring import AbleuScorer, WordSimilarity, bleu
from workbench.scoring.bleu import CandidateCounts
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


def test_both_directions_from_the_pruned_links_equal_the_dense_route():
    """soft_matches(both=True) looks partners up only among n-grams the other side holds
    (``_partners_in``, ``_linked_table``): the same matches as the dense tensors, each way."""
    rng = random.Random(7)
    sim = WordSimilarity(_kv(7, dim=8), threshold=0.6, mutual=2)
    scorer = AbleuScorer(sim, order=2)
    cands = scorer.prepare(_sentences(rng, 20))
    refs = scorer.prepare(_sentences(rng, 15))
    pairs = np.array([(i, j) for i in range(20) for j in range(15)])
    forward, backward = scorer.soft_matches(cands, refs, pairs, both=True)
    np.testing.assert_allclose(forward, scorer._dense_matches(cands, refs, pairs), atol=1e-5)
    np.testing.assert_allclose(
        backward, scorer._dense_matches(refs, cands, pairs[:, ::-1]), atol=1e-5
    )


def test_pruned_links_follow_the_partners_when_they_grow():
    """The per-Segments caches of pruned partners are rebuilt when new sentences add
    n-grams (and links) to the scorer: a pair scored before and after agrees with a fresh
    scorer."""
    sim = WordSimilarity(_kv(5), threshold=0.6)
    scorer = AbleuScorer(sim, order=2)
    cands = scorer.prepare(["the cat sat on the mat", "a big dog"])
    refs = scorer.prepare(["the small cat is on a mat", "big red house"])
    pairs = np.array([[0, 0], [1, 1], [0, 1]])
    before = scorer.soft_matches(cands, refs, pairs, both=True)
    scorer.prepare(["a tree was small , the dog is big !"])  # new words and n-grams
    after = scorer.soft_matches(cands, refs, pairs, both=True)
    fresh = AbleuScorer(sim, order=2)
    a = fresh.prepare(["the cat sat on the mat", "a big dog"])
    b = fresh.prepare(["the small cat is on a mat", "big red house"])
    expected = fresh.soft_matches(a, b, pairs, both=True)
    for got in (before, after):
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_array_equal(got[1], expected[1])


def test_links_from_triples_equal_scipy_csr():
    """The NumPy-only compressed rows hold what scipy's CSR holds (duplicates summed)."""
    from scipy import sparse

    from workbench.scoring.ableu import Links

    rng = np.random.default_rng(3)
    rows, cols = rng.integers(0, 40, 500), rng.integers(0, 40, 500)
    vals = rng.random(500)
    links = Links.from_triples(rows, cols, vals, 40)
    csr = sparse.csr_matrix((vals, (rows, cols)), shape=(40, 40))
    csr.sum_duplicates()
    csr.sort_indices()
    np.testing.assert_array_equal(links.indptr, csr.indptr)
    np.testing.assert_array_equal(links.indices, csr.indices)
    np.testing.assert_allclose(links.data, csr.data, rtol=1e-15)
    back = Links.from_triples(*links.triples(), 40)
    np.testing.assert_array_equal(back.data, links.data)


def test_reference_counts_equal_a_dictionary_look_up():
    """The hashed bitmap in front of the binary search turns away only absent keys."""
    from workbench.scoring.bleu import _count_table, reference_counts

    scorer = AbleuScorer(WordSimilarity(None), order=2)
    refs = scorer.prepare(_sentences(random.Random(11), 40))
    for k in range(2):
        keys, counts, _, width = _count_table(refs, k)
        table = dict(zip(keys.tolist(), counts.tolist(), strict=True))
        rng = np.random.default_rng(k)
        sentence = rng.integers(0, 40, 5000)
        gram = rng.integers(0, width + 5, 5000)  # some ids beyond the table's width
        got = reference_counts(refs, k, sentence, gram)
        expected = [
            table.get(int(s) * width + int(g), 0.0) if g < width else 0.0
            for s, g in zip(sentence, gram, strict=True)
        ]
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dense_cells", [1 << 24, 0])
def test_soft_links_counts_from_the_dense_table_equal_the_hashed_look_up(
    monkeypatch: pytest.MonkeyPatch, dense_cells: int
) -> None:
    """Each soft link's reference count comes from one dense table of the n-grams the links
    reach (or, past its size limit, from the hashed keys): the same links and counts as
    reference_counts gives, and so the same soft matches, for one candidate side against two
    reference sides in turn."""
    from workbench.scoring import ableu_arrays, bleu

    rng = random.Random(5)
    scorer = AbleuScorer(WordSimilarity(_kv(5, dim=8), threshold=0.6), order=2)
    cands = scorer.prepare(_sentences(rng, 30))
    sides = [scorer.prepare(_sentences(rng, 25)), scorer.prepare(_sentences(rng, 12))]
    monkeypatch.setattr(bleu, "_DENSE_CELLS", dense_cells)
    for refs in [*sides, sides[0]]:
        pairs = np.array([(i, j) for i in range(len(cands)) for j in range(len(refs))])
        got = scorer.soft_matches(cands, refs, pairs, both=True)
        for k in range(2):
            links = scorer._links(cands, refs, pairs, k)
            cand, entry, _, h, _, counts = links
            expected = bleu.reference_counts(refs, k, pairs[cand.row[entry], 1], h)
            assert counts.dtype == np.float64 and (counts > 0).any()
            np.testing.assert_array_equal(counts, expected)
            held = refs.__dict__["_reachable"][k][1]
            assert (held is None) == (dense_cells == 0)
        monkeypatch.setattr(ableu_arrays, "reachable_counts", lambda *args: None)
        again = scorer.soft_matches(cands, refs, pairs, both=True)
        monkeypatch.undo()
        monkeypatch.setattr(bleu, "_DENSE_CELLS", dense_cells)
        for x, y in zip(got, again, strict=True):
            assert x.any()
            np.testing.assert_array_equal(x, y)


def _forward_over_every_link(
    cand: CandidateCounts,
    entry: np.ndarray,
    first: np.ndarray,
    sim: np.ndarray,
    ref_counts: np.ndarray,
    pairs: int,
) -> np.ndarray:
    """soft_matches' forward sums before issue 19's seventh session: m(g) over every link."""
    linked = np.flatnonzero(np.diff(np.r_[first, len(entry)]))
    best = np.zeros(len(cand.data))
    if len(linked):
        best[linked] = np.maximum.reduceat(sim * ref_counts, first[linked])
    return np.bincount(cand.row, weights=np.minimum(cand.data, best), minlength=pairs)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_forward_matches_over_the_hits_equal_every_link(order: int) -> None:
    """m(g) taken over the links the reference holds gives the sums taken over every link, to
    the bit; a similarity that is not positive takes the route over every link."""
    from workbench.scoring.ableu_arrays import forward_matches

    rng = random.Random(order + 20)
    scorer = AbleuScorer(WordSimilarity(_kv(order + 20, dim=8), threshold=0.6), order=order)
    cands, refs = scorer.prepare(_sentences(rng, 30)), scorer.prepare(_sentences(rng, 25))
    pairs = np.array([(i, j) for i in range(30) for j in range(25)])
    for k in range(order):
        cand, entry, first, _, sim, counts = scorer._links(cands, refs, pairs, k)
        hit = np.flatnonzero(counts > 0)
        assert 0 < len(hit) < len(sim) and sim.min() > 0
        expected = _forward_over_every_link(cand, entry, first, sim, counts, len(pairs))
        got = forward_matches(cand, entry, first, sim, counts, hit, len(pairs))
        assert expected.any()
        np.testing.assert_array_equal(got, expected)
        signed = sim.copy()
        signed[::3] *= -1
        np.testing.assert_array_equal(
            forward_matches(cand, entry, first, signed, counts, hit, len(pairs)),
            _forward_over_every_link(cand, entry, first, signed, counts, len(pairs)),
        )


@pytest.mark.parametrize("order", [1, 2, 3])
def test_cached_table_links_equal_the_per_call_expansion(order: int) -> None:
    """The links gathered from the cached table (issue 19, eighth session) are those each call
    expanded entry by entry before, in the same order: any pairs, in any order, call after
    call (and so the same sums)."""
    rng = random.Random(order + 40)
    scorer = AbleuScorer(WordSimilarity(_kv(order + 40, dim=8), threshold=0.6), order=order)
    cands, refs = scorer.prepare(_sentences(rng, 30)), scorer.prepare(_sentences(rng, 25))
    gen = np.random.default_rng(order)
    every = np.array([(i, j) for i in range(30) for j in range(25)])
    for pairs in (every, every[gen.permutation(len(every))[:200]], every[[5, 5, 700, 3]]):
        for k in range(order):
            found = scorer._links(cands, refs, pairs, k)
            if found is None:  # no candidate n-gram of order k + 1 among these pairs
                assert len(pairs) == 4
                continue
            cand, entry, first, h, sim, counts = found
            partners = scorer._partners_in(refs, k)
            degree = np.diff(partners.indptr)[cand.col]
            np.testing.assert_array_equal(first, np.cumsum(degree) - degree)
            np.testing.assert_array_equal(entry, np.repeat(np.arange(len(cand.data)), degree))
            old_at = np.repeat(partners.indptr[cand.col] - first, degree)
            old_at += np.arange(int(degree.sum()))
            assert len(h) == len(old_at) > 0
            np.testing.assert_array_equal(h, partners.indices[old_at])
            np.testing.assert_array_equal(sim, partners.data[old_at])
            sentence = pairs[cand.row[entry], 1]
            np.testing.assert_array_equal(counts, bleu.reference_counts(refs, k, sentence, h))
