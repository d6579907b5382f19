"""The fast paths give exactly what the straightforward ones give (issue 19: optimising must not
change a single unit): interning, span segments, BLEU's pair scores, the banded DP, and whole
alignments of a real document."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.align import Aligner, AlignerOptions, banded_dp
from workbench.scoring import make_scorer
from workbench.scoring.base import Scorer, Segments
from workbench.scoring.bleu import BleuScorer
from workbench.textio import read_document

TEXTS = [
    "Der Hund sieht den Hund , und der Hund bellt .",
    "",
    "Der Mann , der Mann , der Mann .",
    "Ein Satz mit 3 Zahlen : 1 , 2 und 3 .",
    "bellt",
    "Der Hund bellt . Der Hund bellt .",
]


def straightforward_prepare(scorer: Scorer, token_lists: list[list[str]]) -> Segments:
    """One sentence at a time, one n-gram at a time (the code before issue 19)."""
    word_ids, ngrams, counts = (
        [],
        [[] for _ in range(scorer.order)],
        [[] for _ in range(scorer.order)],
    )
    for toks in token_lists:
        ids = []
        for t in toks:
            if t not in scorer._words:
                scorer._words[t] = len(scorer._word_list)
                scorer._word_list.append(t)
            ids.append(scorer._words[t])
        word_ids.append(np.asarray(ids, dtype=np.int64))
        for k in range(scorer.order):
            table = scorer._ngram_ids[k]
            if k == 0:
                gids = list(ids)
            else:
                gids = [
                    table.setdefault(tuple(ids[p : p + k + 1]), len(table))
                    for p in range(len(ids) - k)
                ]
            ngrams[k].append(np.asarray(gids, dtype=np.int64))
            counts[k].append(np.asarray([gids.count(g) for g in gids], dtype=np.int64))
    return Segments([list(t) for t in token_lists], word_ids, ngrams, counts)


def assert_same_segments(a: Segments, b: Segments) -> None:
    assert len(a) == len(b)
    assert [list(t) for t in a.tokens] == [list(t) for t in b.tokens]
    assert np.array_equal(a.lengths, b.lengths)
    for x, y in zip(a.word_ids, b.word_ids, strict=True):
        assert np.array_equal(x, y)
    for k in range(len(a.ngrams)):
        for x, y in zip(a.ngrams[k], b.ngrams[k], strict=True):
            assert np.array_equal(x, y)
        for x, y in zip(a.counts[k], b.counts[k], strict=True):
            assert np.array_equal(x, y)


@pytest.mark.parametrize("order", [1, 2, 4])
def test_prepare_tokens_equals_one_sentence_at_a_time(order: int) -> None:
    fast, slow = BleuScorer(order=order), BleuScorer(order=order)
    tokens = [fast.tokenize(t) for t in TEXTS]
    for batch in (tokens, tokens[::-1], [], [[]]):  # ids continue across batches
        assert_same_segments(fast.prepare_tokens(batch), straightforward_prepare(slow, batch))
    assert fast._word_list == slow._word_list
    assert fast._ngram_ids == slow._ngram_ids


@pytest.mark.parametrize("order", [1, 3])
def test_prepare_spans_equals_joined_tokens(order: int) -> None:
    scorer = BleuScorer(order=order)
    base = scorer.prepare(TEXTS)
    spans = np.array([(i, j) for i in range(len(TEXTS) + 1) for j in range(i, len(TEXTS) + 1)])
    joined = [[t for s in base.tokens[i:j] for t in s] for i, j in spans]
    expected = straightforward_prepare(BleuScorer(order=order), [list(t) for t in base.tokens])
    expected = straightforward_prepare_into(expected, order, joined)
    got = scorer.prepare_spans(base, spans)
    assert_same_segments(got, expected)
    assert got.tokens[3] == joined[3]


def straightforward_prepare_into(_base: Segments, order: int, joined: list[list[str]]) -> Segments:
    slow = BleuScorer(order=order)
    straightforward_prepare(slow, [slow.tokenize(t) for t in TEXTS])
    return straightforward_prepare(slow, joined)


def test_bleu_pair_scores_equal_both_directions_computed() -> None:
    scorer = BleuScorer(order=2)
    cands, refs = scorer.prepare(TEXTS), scorer.prepare([*TEXTS[::-1], "Hund"])
    pairs = np.array([(i, j) for i in range(len(cands)) for j in range(len(refs))])
    fast = scorer.pair_scores(cands, refs, pairs)
    slow = Scorer.pair_scores(scorer, cands, refs, pairs)
    assert fast.any()
    assert np.array_equal(fast, slow)
    full = scorer.matrix(cands, refs)
    assert np.array_equal(full.ravel(), slow)


def straightforward_band_path(offset, lo, hi, bead_list, bead_cost):
    """The row loop before issue 19: every bead tried in turn, strictly better wins."""
    n = len(offset) - 2
    inf = math.inf
    cost = np.full(offset[-1], inf)
    back = np.full(offset[-1], -1, dtype=np.int64)
    for i in range(n + 1):
        a, b = offset[i], offset[i + 1]
        j = np.arange(lo[i], hi[i] + 1)
        best = np.full(b - a, inf)
        arg = np.full(b - a, -1, dtype=np.int64)
        if i == 0:
            best[0] = 0.0
        for k, (di, dj) in enumerate(bead_list):
            if di == 0 or di > i:
                continue
            pj, prow = j - dj, i - di
            valid = (pj >= lo[prow]) & (pj <= hi[prow])
            prev = np.full(b - a, inf)
            prev[valid] = cost[offset[prow] + pj[valid] - lo[prow]]
            cand = prev + bead_cost[k][a:b]
            better = cand < best
            best[better] = cand[better]
            arg[better] = k
        for k, (di, _dj) in enumerate(bead_list):
            if di:
                continue
            c01 = bead_cost[k][a:b].copy()
            c01[0] = 0.0
            run = np.cumsum(c01)
            direct = best - run
            running = np.minimum.accumulate(direct)
            better = running < direct
            best[better] = running[better] + run[better]
            arg[better] = k
        cost[a:b], back[a:b] = best, arg
    return cost, back


@pytest.mark.parametrize("seed", range(6))
def test_band_path_equals_row_loop(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 30)), int(rng.integers(1, 30))
    centre = np.linspace(0, m, n + 1)
    band = int(rng.integers(1, 6))
    lo = np.clip(np.floor(centre - band), 0, m).astype(np.int64)
    hi = np.clip(np.ceil(centre + band), 0, m).astype(np.int64)
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])
    offset = np.concatenate([[0], np.cumsum(hi - lo + 1)])
    bead_list = list(banded_dp.bead_priors(int(rng.integers(2, 5))))
    # Small integer costs make ties common: the first bead in order must win them.
    bead_cost = []
    for di, _dj in bead_list:
        c = rng.integers(0, 4, offset[-1]).astype(np.float64)
        if di:  # a 0–1 bead is always allowed (a deletion costs its prior)
            c[rng.random(offset[-1]) < 0.2] = np.inf
        bead_cost.append(c)
    cost, back = banded_dp.band_path(offset, lo, hi, bead_list, bead_cost)
    cost0, back0 = straightforward_band_path(offset, lo, hi, bead_list, bead_cost)
    assert np.array_equal(cost, cost0)
    assert np.array_equal(back, back0)


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("system", ["europarlfull", "google"])
def test_alignment_of_a_real_document_unchanged(textberg, monkeypatch, system: str) -> None:
    """Whole alignments of textberg-dev (with MT, and without) with the fast paths and with
    every one of them replaced by its straightforward counterpart."""
    src, tgt = read_document(textberg / "dev.de"), read_document(textberg / "dev.fr")
    mt = read_document(textberg / f"dev.mt-{system}.fr")

    def run() -> list[tuple]:
        out = []
        for mts in ([mt], []):
            scorer = make_scorer("bleu", None, 2 if mts else 1, "13a", True, None)
            units = Aligner(scorer, AlignerOptions()).align(src, tgt, mts)
            out.append([(u.source, u.target, u.score, u.method) for u in units])
        return out

    fast = run()

    def slow_spans(self: Scorer, base: Segments, spans: np.ndarray) -> Segments:
        joined = [[t for s in base.tokens[i:j] for t in s] for i, j in spans]
        return straightforward_prepare(self, joined)

    monkeypatch.setattr(Scorer, "prepare_spans", slow_spans)
    monkeypatch.setattr(
        Scorer, "prepare_tokens", lambda self, toks: straightforward_prepare(self, list(toks))
    )
    monkeypatch.setattr(BleuScorer, "pair_scores", Scorer.pair_scores)
    monkeypatch.setattr(banded_dp, "band_path", straightforward_band_path)
    assert run() == fast


def test_few_pairs_route_equals_the_sparse_route(monkeypatch: pytest.MonkeyPatch) -> None:
    from workbench.scoring import bleu

    scorer = BleuScorer(order=3)
    cands = scorer.prepare([*TEXTS, "Hund Hund Hund", "Mann"])
    refs = scorer.prepare([*TEXTS[::-1], "der Hund", ""])
    pairs = np.array([(i, j) for i in range(len(cands)) for j in range(len(refs))])
    few_pairs = scorer.matches(cands, refs, pairs)
    few_all = scorer.all_matches(cands, refs)
    monkeypatch.setattr(bleu, "_FEW_PAIRS", 0)
    assert few_pairs.any()
    assert np.array_equal(few_pairs, scorer.matches(cands, refs, pairs))
    assert np.array_equal(few_all, scorer.all_matches(cands, refs))
    assert np.array_equal(few_all, np.moveaxis(few_pairs.reshape(len(cands), len(refs), 3), -1, 0))


def test_length_cost_is_gale_churchs() -> None:
    from scipy.special import log_ndtr

    rng = np.random.default_rng(0)
    src, tgt = rng.integers(0, 400, 5000).astype(float), rng.integers(0, 400, 5000).astype(float)
    got = banded_dp._length_cost(src, tgt, 1.1)
    mean = np.maximum((src + tgt / 1.1) / 2, 1e-6)
    z = np.abs(1.1 * src - tgt) / np.sqrt(banded_dp.VARIANCE * 1.1 * mean)
    expected = -(math.log(2) + log_ndtr(-z))
    near = z <= 6
    assert near.sum() > 1000 and (~near).sum() > 100
    np.testing.assert_allclose(got[near], expected[near], rtol=1e-12, atol=1e-13)
    assert np.all(got[~near] == np.inf) and np.all(expected[~near] > banded_dp.MAX_LENGTH_COST)
