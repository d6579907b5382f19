"""The fast paths give exactly what the straightforward ones give (issue 19: optimising must not
change a single unit): interning, span segments, BLEU's pair scores, the banded DP, and whole
alignments of a real document."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from workbench.align import Aligner, AlignerOptions, banded_dp, posterior
from workbench.scoring import make_scorer
from workbench.scoring.base import Scorer, Segments
from workbench.scoring.bleu import BleuScorer
from workbench.textio import Document, read_document

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


@pytest.mark.parametrize("order", [1, 3])
def test_count_tables_kept_from_interning_equal_their_own_sort(order: int) -> None:
    """BLEU's count tables (each sentence's distinct n-grams and counts) are taken from the
    sort that interning did; equal to sorting the n-grams again, for sentences, spans,
    repeated lines and an empty side."""
    from workbench.scoring.bleu import _count_table

    scorer = BleuScorer(order=order)
    base = scorer.prepare([*TEXTS, TEXTS[0], ""])
    spans = np.array([(i, j) for i in range(len(TEXTS) + 1) for j in range(i, len(TEXTS) + 1)])
    for segments in (
        base,
        scorer.prepare_spans(base, spans),
        scorer.prepare([]),
        scorer.prepare([""]),
    ):
        for k in range(order):
            kept = _count_table(segments, k)
            segments.__dict__.pop("_ngram_keys", None)
            segments.__dict__.pop("_count_tables")
            again = _count_table(segments, k)
            assert kept[3] == again[3]
            for x, y in zip(kept[:3], again[:3], strict=True):
                assert x.dtype == y.dtype and np.array_equal(x, y)


def straightforward_prepare_into(_base: Segments, order: int, joined: list[list[str]]) -> Segments:
    slow = BleuScorer(order=order)
    straightforward_prepare(slow, [slow.tokenize(t) for t in TEXTS])
    return straightforward_prepare(slow, joined)


def test_bleu_pair_scores_equal_both_directions_computed() -> None:
    scorer = BleuScorer(order=2)
    cands, refs = scorer.prepare(TEXTS), scorer.prepare([*TEXTS[::-1], "Hund"])
    pairs = np.array([(i, j) for i in range(len(cands)) for j in range(len(refs))])
    fast = scorer.pair_scores(cands, refs, pairs)
    slow = Scorer.score_pairs(scorer, cands, refs, pairs, symmetric=True)
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


def straightforward_forward_backward(lattice: banded_dp.Lattice) -> tuple[np.ndarray, ...]:
    """Forward–backward one bead at a time per row (posterior.Posteriors before the growth
    measurements of issue 19): alpha and beta."""
    neg = -np.inf
    n, lo, hi, offset = lattice.n, lattice.lo, lattice.hi, lattice.offset
    logw = {k: -c / posterior.TEMPERATURE for k, c in lattice.bead_cost.items()}
    cross = [(di, dj) for (di, dj) in logw if di]
    w01 = logw.get((0, 1))
    size = int(offset[-1])
    alpha, beta = np.full(size, neg), np.full(size, neg)

    def logcumsumexp(x: np.ndarray) -> np.ndarray:
        return np.logaddexp.accumulate(x) if len(x) else x

    with np.errstate(invalid="ignore", over="ignore"):
        for i in range(n + 1):
            a, b = offset[i], offset[i + 1]
            j = np.arange(lo[i], hi[i] + 1)
            acc = np.full(b - a, neg)
            if i == 0:
                acc[0] = 0.0
            for di, dj in cross:
                if di > i:
                    continue
                prow, pj = i - di, j - dj
                valid = (pj >= lo[prow]) & (pj <= hi[prow])
                if not valid.any():
                    continue
                prev = np.full(b - a, neg)
                prev[valid] = alpha[offset[prow] + pj[valid] - lo[prow]]
                acc = np.logaddexp(acc, prev + logw[(di, dj)][a:b])
            if w01 is not None and b - a > 1:
                pref = np.concatenate([[0.0], np.cumsum(w01[a + 1 : b])])
                acc = pref + logcumsumexp(acc - pref)
            alpha[a:b] = acc
        for i in range(n, -1, -1):
            a, b = offset[i], offset[i + 1]
            j = np.arange(lo[i], hi[i] + 1)
            acc = np.full(b - a, neg)
            if i == n:
                acc[-1] = 0.0
            for di, dj in cross:
                nrow = i + di
                if nrow > n:
                    continue
                nj = j + dj
                valid = (nj >= lo[nrow]) & (nj <= hi[nrow])
                if not valid.any():
                    continue
                x = offset[nrow] + nj[valid] - lo[nrow]
                nxt = np.full(b - a, neg)
                nxt[valid] = beta[x] + logw[(di, dj)][x]
                acc = np.logaddexp(acc, nxt)
            if w01 is not None and b - a > 1:
                pref = np.concatenate([[0.0], np.cumsum(w01[a + 1 : b])])
                acc = -pref + logcumsumexp((acc + pref)[::-1])[::-1]
            beta[a:b] = acc
    return alpha, beta


def random_lattice(seed: int) -> banded_dp.Lattice:
    """A band around the diagonal with random bead costs (some beads ruled out: inf)."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    centre = np.linspace(0, m, n + 1)
    band = int(rng.integers(1, 6))
    lo = np.clip(np.floor(centre - band), 0, m).astype(np.int64)
    hi = np.clip(np.ceil(centre + band), 0, m).astype(np.int64)
    lo[0], hi[n] = 0, m
    for i in range(1, n + 1):
        lo[i] = min(lo[i], hi[i - 1])
    offset = np.concatenate([[0], np.cumsum(hi - lo + 1)])
    costs, scores = {}, {}
    for di, dj in banded_dp.bead_priors(int(rng.integers(2, 5))):
        c = rng.uniform(0.0, 12.0, offset[-1])
        if di:
            c[rng.random(offset[-1]) < 0.2] = np.inf
        costs[(di, dj)], scores[(di, dj)] = c, np.zeros(offset[-1])
    return banded_dp.Lattice(n, m, lo, hi, offset, costs, scores)


def straightforward_bead_posteriors(post: posterior.Posteriors) -> dict:
    """posterior.bead_posterior_arrays before issue 19's seventh session (cells per call)."""
    lat = post.lattice
    ci = np.repeat(np.arange(lat.n + 1), lat.hi - lat.lo + 1)
    cj = np.arange(int(lat.offset[-1])) - lat.offset[ci] + lat.lo[ci]
    out = {}
    for (di, dj), w in post.logw.items():
        pi, pj = ci - di, cj - dj
        ok = (pi >= 0) & (pj >= 0)
        ok[ok] &= (pj[ok] >= lat.lo[pi[ok]]) & (pj[ok] <= lat.hi[pi[ok]])
        ends = np.flatnonzero(ok)
        starts = lat.offset[pi[ends]] + pj[ends] - lat.lo[pi[ends]]
        arr = np.zeros(len(ci))
        with np.errstate(invalid="ignore", over="ignore"):
            arr[ends] = np.nan_to_num(
                np.exp(post.alpha[starts] + w[ends] + post.beta[ends] - post.log_z)
            )
        out[(di, dj)] = arr
    return out


@pytest.mark.parametrize("seed", range(4))
def test_bead_posteriors_of_lattices_sharing_cells(seed: int) -> None:
    """Bead posteriors from the cells kept for the last lattice equal those located anew."""
    lattice = random_lattice(seed)
    rng = np.random.default_rng(seed)
    for _ in range(3):
        post = posterior.Posteriors(lattice)
        got, expected = posterior.bead_posterior_arrays(post), straightforward_bead_posteriors(post)
        assert list(got) == list(expected)
        for key, arr in expected.items():
            assert np.array_equal(got[key], arr)
        costs = {k: c + rng.uniform(-1.0, 1.0, len(c)) for k, c in lattice.bead_cost.items()}
        lattice = replace(lattice, bead_cost=costs)
    assert posterior._BEAD_CELLS[0][1][2] is lattice.offset


@pytest.mark.parametrize("seed", range(8))
def test_forward_backward_equals_the_bead_loop(seed: int) -> None:
    lattice = random_lattice(seed)
    post = posterior.Posteriors(lattice)
    alpha, beta = straightforward_forward_backward(lattice)
    assert np.array_equal(post.alpha, alpha)  # to the bit, -inf included
    assert np.array_equal(post.beta, beta)
    assert post.log_z == alpha[-1]
    # the same cells with other costs (the evidence EM's next lattice): the kept layout
    rng = np.random.default_rng(seed + 100)
    costs = {k: c + rng.uniform(-1.0, 1.0, len(c)) for k, c in lattice.bead_cost.items()}
    moved = replace(lattice, bead_cost=costs)
    post = posterior.Posteriors(moved)
    assert posterior._LAYOUT[0][1][2] is lattice.offset
    alpha, beta = straightforward_forward_backward(moved)
    assert np.array_equal(post.alpha, alpha)
    assert np.array_equal(post.beta, beta)


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
    monkeypatch.setattr(BleuScorer, "score_pairs", Scorer.score_pairs)
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


@pytest.mark.parametrize("dense_cells", [1 << 24, 0])
def test_shared_counts_route_equals_the_sparse_route(
    monkeypatch: pytest.MonkeyPatch, dense_cells: int
) -> None:
    """The few-pairs route keeps only the n-grams both sides hold and looks their reference
    counts up in a dense table (or, past its size limit, in the hashed keys): the same matches
    as the sparse products, for one candidate side scored against two reference sides in turn
    (the tables are kept with the candidates) and with a count above 255 (a wider table)."""
    from workbench.scoring import bleu

    monkeypatch.setattr(bleu, "_DENSE_CELLS", dense_cells)
    scorer = BleuScorer(order=2)
    many = " ".join(["Hund"] * 300)
    cands = scorer.prepare([*TEXTS, "Hund Hund Hund", many, "Katze"])
    sides = [
        scorer.prepare([*TEXTS[::-1], "der Hund", "", many]),
        scorer.prepare(["Mann Mann", "Katze und Hund", "nichts davon"]),
    ]
    got = []
    for refs in [*sides, sides[0]]:
        pairs = np.array([(i, j) for i in range(len(cands)) for j in range(len(refs))])
        got.append((refs, pairs, scorer.matches(cands, refs, pairs)))
    held = cands.__dict__["_shared_counts"][0]
    assert (held[2] is None) == (dense_cells == 0)
    monkeypatch.setattr(bleu, "_FEW_PAIRS", 0)
    assert got[0][2].max() == 300  # "Hund" 300 times on both sides
    for refs, pairs, matches in got:
        assert matches.any()
        assert np.array_equal(matches, scorer.matches(cands, refs, pairs))


def test_each_lattice_is_summed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forward–backward runs once per lattice: the evidence EM's sums of the lattice it returns
    are the aligner's (before, a clean document's lattice was summed twice)."""
    summed: list[banded_dp.Lattice] = []
    init = posterior.Posteriors.__init__

    def counting(self: posterior.Posteriors, lattice: banded_dp.Lattice, *args) -> None:
        summed.append(lattice)
        init(self, lattice, *args)

    monkeypatch.setattr(posterior.Posteriors, "__init__", counting)
    src = [f"Satz {k} über den Hund und die Katze ." for k in range(30)]
    tgt = [f"Phrase {k} sur le chien et le chat ." for k in range(30)]
    mt = [f"Phrase {k} sur le chien et la chatte ." for k in range(30)]
    docs = [Document.from_lines(lines) for lines in (src, tgt, mt)]
    units = Aligner(BleuScorer(), AlignerOptions()).align(docs[0], docs[1], [docs[2]])
    assert len(units) == 30 and summed
    costs = [id(lattice.bead_cost) for lattice in summed]
    assert len(set(costs)) == len(costs)


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


# -- self-trained ABLEU (issue 19, second part) ------------------------------------------------


def straightforward_block(sim, words_a: list[str], words_b: list[str]) -> np.ndarray:
    """WordSimilarity.block as it was: one vector lookup and digit test per word, the mutual
    mask as a sparse vocabulary × vocabulary matrix."""
    from scipy import sparse

    kv = sim.kv

    def matrix(words):
        rows, known = [], []
        for i, w in enumerate(words):
            if w in kv:
                raw = np.asarray(kv.get_vector(w), dtype=np.float32)
                norm = float(np.linalg.norm(raw))
                if norm > 0:
                    rows.append(raw / norm)
                    known.append(i)
        mat = np.vstack(rows) if rows else np.zeros((0, max(sim.dim, 1)), dtype=np.float32)
        return mat, np.asarray(known, dtype=np.int64)

    out = np.zeros((len(words_a), len(words_b)), dtype=np.float32)
    va, ka = matrix(words_a)
    vb, kb = matrix(words_b)
    if len(ka) and len(kb):
        sims = va @ vb.T
        np.clip(sims, 0.0, 1.0, out=sims)
        sims[sims < sim.threshold] = 0.0
        if sim.mutual:
            vectors = np.asarray(kv.vectors, dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            unit = vectors / np.where(norms > 0, norms, 1)
            n, k = len(unit), min(sim.mutual, max(len(unit) - 1, 1))
            full = unit @ unit.T
            full[np.arange(n), np.arange(n)] = -np.inf
            # each row's k most similar (rounded to 1e-6), ties: the lower column first
            key = np.round(full, 6)
            columns = np.broadcast_to(np.arange(n), key.shape)
            top = np.lexsort((columns, -key), axis=-1)[:, :k]
            near = sparse.csr_matrix(
                (np.ones(n * k, dtype=np.float32), (np.repeat(np.arange(n), k), top.ravel())),
                shape=(n, n),
            )
            mutual = near.multiply(near.T).tocsr()
            index = kv.key_to_index
            ia = np.array([index.get(words_a[i], -1) for i in ka])
            ib = np.array([index.get(words_b[j], -1) for j in kb])
            mask = mutual[np.maximum(ia, 0)][:, np.maximum(ib, 0)].toarray() > 0
            sims *= mask & (ia[:, None] >= 0) & (ib[None, :] >= 0)
        if sim.exact_numbers:
            digit = [any(c.isdigit() for c in w) for w in words_a]
            sims[np.array([digit[i] for i in ka], dtype=bool)] = 0.0
            digit = [any(c.isdigit() for c in w) for w in words_b]
            sims[:, np.array([digit[j] for j in kb], dtype=bool)] = 0.0
        out[np.ix_(ka, kb)] = sims
    index_b = {w: j for j, w in enumerate(words_b)}
    for i, w in enumerate(words_a):
        if w in index_b:
            out[i, index_b[w]] = 1.0
    return out


def _count_vectors():
    from embedding_corpus import synthetic_pairs

    from workbench.embeddings import train_embeddings

    letters = str.maketrans("0123456789", "abcdefghij")  # "a03" → "aad": no digits
    pairs = [
        ([w.translate(letters) for w in s], [w.translate(letters) for w in t])
        for s, t in synthetic_pairs(300)
    ]
    # numbers and a word on one side only, as real pairs have them
    pairs = [([*s, "1849"], [*t, "1850", "x"]) for s, t in pairs[:40]] + pairs[40:]
    return train_embeddings(pairs, method="counts", vector_size=12), pairs


@pytest.mark.parametrize(
    ("threshold", "mutual", "numbers"),
    [(0.5, 3, True), (0.2, 2, False), (0.5, None, True), (0.97, 3, False), (0.9, 2, True)],
)
def test_similarity_block_and_links_equal_the_straightforward_block(threshold, mutual, numbers):
    from workbench.scoring.similarity import MaxSimilarity, WordSimilarity, _block_links

    kv, _ = _count_vectors()
    words = [*kv.index_to_key, "unknown", "1849", "bad"]  # unknown, digits, a duplicate
    sim = WordSimilarity(kv, threshold=threshold, mutual=mutual, exact_numbers=numbers)
    a, b = words[::2], words[::-1]
    expected = straightforward_block(sim, a, b)
    got = sim.block(a, b)
    assert np.count_nonzero(expected) > len(a)  # soft matches, not only exact ones
    np.testing.assert_array_equal(got != 0, expected != 0)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-7)
    # the sparse links of a vocabulary (distinct words) are the block's nonzero entries
    vocab = list(dict.fromkeys(words))
    for start in (0, 7):
        rows, cols, vals = sim.neighbours(vocab, start)
        dense = np.zeros((len(vocab), len(vocab)), dtype=np.float32)
        dense[rows, cols] = vals
        block = straightforward_block(sim, vocab[start:], vocab)
        np.testing.assert_array_equal(dense[start:] != 0, block != 0)
        np.testing.assert_allclose(dense[start:], block, rtol=1e-6, atol=1e-7)
        assert not dense[:start].any()
    both = MaxSimilarity([sim, WordSimilarity(kv, threshold=0.9)])
    rows, cols, vals = both.neighbours(vocab, 0)
    dense = np.zeros((len(vocab), len(vocab)), dtype=np.float32)
    dense[rows, cols] = vals
    r, c, v = _block_links(both, vocab, 0)
    expected = np.zeros_like(dense)
    expected[r, c] = v
    np.testing.assert_allclose(dense, expected, rtol=1e-6, atol=1e-7)


def _ableu_pair(kv, pairs):
    from workbench.scoring.ableu import AbleuScorer
    from workbench.scoring.similarity import WordSimilarity

    scorer = AbleuScorer(WordSimilarity(kv, threshold=0.3, mutual=3, exact_numbers=True))
    cands = scorer.prepare_tokens([t for _, t in pairs[:60]])
    refs = scorer.prepare_tokens([t[::-1][: len(t) - 1] for _, t in pairs[20:90]])
    assert scorer.sparse_route()
    return scorer, cands, refs


def straightforward_unigram_matches(scorer, cands: Segments, refs: Segments) -> np.ndarray:
    """AbleuScorer.unigram_matches as it was: a dense similarity block, one loop per side."""
    block = scorer.block(cands, refs)
    sims = block.sims[:-1, :-1]
    best = np.zeros((sims.shape[0], len(refs)), dtype=np.float32)
    for j, ids in enumerate(refs.word_ids):
        if len(ids):
            cols, cnt = np.unique(block.col_index(ids), return_counts=True)
            best[:, j] = (sims[:, cols] * cnt).max(axis=1)
    out = np.zeros((len(cands), len(refs)))
    for i, ids in enumerate(cands.word_ids):
        if len(ids):
            rows, cnt = np.unique(block.row_index(ids), return_counts=True)
            out[i] = np.minimum(cnt[:, None], best[rows]).sum(0)
    return out


def test_ableu_soft_unigram_ranking_equals_the_dense_one():
    kv, pairs = _count_vectors()
    scorer, cands, refs = _ableu_pair(kv, pairs)
    for a, b in ((cands, refs), (refs, cands)):
        slow = straightforward_unigram_matches(scorer, a, b)
        assert (slow > 0).mean() > 0.3
        # float32 cosines: the sparse links compute each on its own, the block in one product
        np.testing.assert_allclose(scorer.unigram_matches(a, b), slow, rtol=1e-6, atol=1e-7)


def test_ableu_both_directions_from_one_pass_equal_two_passes():
    from workbench.scoring.ableu import AbleuScorer

    kv, pairs = _count_vectors()
    scorer, cands, refs = _ableu_pair(kv, pairs)
    grid = np.array([(i, j) for i in range(len(cands)) for j in range(len(refs))])
    fast = scorer.pair_scores(cands, refs, grid)
    slow = Scorer.score_pairs(scorer, cands, refs, grid, symmetric=True)
    assert AbleuScorer.score_pairs is not Scorer.score_pairs
    assert (slow > 0).sum() > 100
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-15)


@pytest.mark.shared
@pytest.mark.slow
def test_self_trained_ableu_alignment_of_a_real_document_unchanged(textberg, monkeypatch) -> None:
    """Self-trained ABLEU on textberg-dev (europarlfull): the same units with the fast word
    similarity, soft-unigram ranking and one-pass pair scores as with the straightforward
    ones (scores equal to 1e-6: the fast links compute each cosine on its own)."""
    from workbench.align.selftrain import self_trained_align
    from workbench.scoring import similarity
    from workbench.scoring.ableu import AbleuScorer

    src, tgt = read_document(textberg / "dev.de"), read_document(textberg / "dev.fr")
    mt = read_document(textberg / "dev.mt-europarlfull.fr")
    fast, kv = self_trained_align(src, tgt, [mt])
    monkeypatch.setattr(similarity.WordSimilarity, "block", straightforward_block)
    monkeypatch.setattr(
        similarity.WordSimilarity,
        "neighbours",
        lambda self, words, start=0: similarity._block_links(self, words, start),
    )
    monkeypatch.setattr(AbleuScorer, "score_pairs", Scorer.score_pairs)
    monkeypatch.setattr(AbleuScorer, "unigram_matches", straightforward_unigram_matches)
    slow, kv_slow = self_trained_align(src, tgt, [mt])
    assert kv_slow is kv  # the same trained model (cached)
    assert [u.key for u in slow] == [u.key for u in fast]
    assert [u.score or 0 for u in slow] == pytest.approx([u.score or 0 for u in fast], abs=1e-6)


@pytest.mark.parametrize("numbers", [False, True])
def test_ableu_dense_route_per_chunk_equals_the_vocabulary_block(monkeypatch, numbers):
    """Line-aligned pairs (`workbench score`) compute each chunk's word similarities; they
    equal those gathered from one block over both vocabularies."""
    from workbench.scoring.ableu import AbleuScorer
    from workbench.scoring.similarity import WordSimilarity

    kv, pairs = _count_vectors()
    texts = [[*s, *t] for s, t in pairs[:80]]
    scorer = AbleuScorer(WordSimilarity(kv, threshold=0.1, exact_numbers=numbers), order=3)
    cands = scorer.prepare_tokens([*texts[::2], ["unknown", "1849"], []])
    refs = scorer.prepare_tokens([*texts[1::2], ["1849", "unknown", "bad"], ["bad"]])
    idx = np.arange(len(cands))
    line = np.stack([idx, idx], 1)
    monkeypatch.setattr(AbleuScorer, "sparse_route", lambda self: False)
    assert scorer._per_chunk(cands, refs, 1)  # a small vocabulary: forced below
    monkeypatch.setattr(AbleuScorer, "_per_chunk", lambda self, *a: True)
    chunked = [scorer.pair_scores(cands, refs, line, symmetric=s) for s in (False, True)]
    monkeypatch.setattr(AbleuScorer, "_per_chunk", lambda self, *a: False)
    blocked = [scorer.pair_scores(cands, refs, line, symmetric=s) for s in (False, True)]
    assert (blocked[0] > 0).sum() > 20
    for x, y in zip(chunked, blocked, strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-7)


def straightforward_top_k(sims: np.ndarray, k: int) -> np.ndarray:
    """similarity._top_k before the growth measurements: every entry rounded and compared."""
    key = np.round(sims, 6)
    kth = -np.partition(-key, k - 1, axis=1)[:, k - 1 : k]
    rows, cols = np.nonzero(key >= kth)
    order = np.lexsort((cols, -key[rows, cols], rows))
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, np.arange(len(sims)))
    rank = np.arange(len(rows)) - starts[rows]
    out = np.empty((len(sims), k), dtype=np.int64)
    keep = rank < k
    out[rows[keep], rank[keep]] = cols[keep]
    return out


@pytest.mark.parametrize("seed", range(5))
def test_top_k_equals_rounding_every_entry(seed: int) -> None:
    """Cosines of unit vectors with many exact and near ties (equal vectors, vectors differing
    in the last bits, values on either side of a 1e-6 rounding step)."""
    from workbench.scoring.similarity import _top_k

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 400))
    unit = rng.standard_normal((n, 8)).astype(np.float32)
    unit[n // 4 : n // 2] = unit[n // 4]  # one vector shared by many words
    unit[n // 2 : n // 2 + 5] += rng.standard_normal((min(5, n - n // 2), 8)).astype(
        np.float32
    ) * np.float32(1e-7)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    sims = unit @ unit.T
    sims[np.arange(n), np.arange(n)] = -np.inf
    sims[0, 1:] = np.float32(0.5000005)  # a row of ties at a rounding step
    for k in (1, 2, 3, min(7, n - 1)):
        assert np.array_equal(_top_k(sims, k), straightforward_top_k(sims, k))


@pytest.mark.parametrize("seed", range(4))
def test_top_k_above_a_floor_agrees_where_the_threshold_can_reach(seed: int) -> None:
    """_top_k_above (the mutual lists of a high threshold) gives every entry within reach of
    the threshold the place _top_k gives it, ties and near ties included."""
    from workbench.scoring.similarity import _top_k, _top_k_above

    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 300))
    unit = rng.standard_normal((n, 4)).astype(np.float32)
    unit[n // 4 : n // 3] = unit[n // 4]  # words sharing one vector: ties at 1.0
    close = rng.standard_normal((n // 5, 4)).astype(np.float32) * np.float32(0.05)
    unit[-len(close) :] = unit[: len(close)] + close  # near neighbours around 0.99
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    sims = unit @ unit.T
    sims[np.arange(n), np.arange(n)] = -np.inf
    for threshold in (0.9, 0.97, 0.995):
        floor = threshold - 1e-3
        for k in (1, 3):
            above = _top_k_above(sims, k, floor)
            assert above is not None
            full = _top_k(sims, k)
            for i in range(n):
                reach = {j for j in range(n) if sims[i, j] >= floor + 1e-5}
                assert [j for j in full[i] if j in reach] == [j for j in above[i] if j in reach]
                assert all(j in reach or j < 0 or sims[i, j] >= floor for j in above[i])


@pytest.mark.parametrize("budget", [1 << 22, 7, 1])
def test_all_matches_by_ngram_equals_the_sparse_products(budget: int) -> None:
    """Every candidate against every reference: the n-gram index (in blocks of any size) gives
    the clipped matches that the sparse products of count matrices, level by level, give."""
    from workbench.scoring import bleu

    rng = np.random.default_rng(3)
    words = ["der", "Hund", "die", "Katze", "und", ".", ",", "Mann", "sieht", "den"]

    def sentences(count: int) -> list[str]:
        return [" ".join(rng.choice(words, rng.integers(0, 12))) for _ in range(count)]

    scorer = BleuScorer(order=3)
    cands, refs = scorer.prepare(sentences(70)), scorer.prepare(sentences(75))
    expected = np.zeros((3, len(cands), len(refs)))
    for k in range(3):
        width = scorer._width(k)
        c, r = bleu.count_matrix(cands, k, width), bleu.count_matrix(refs, k, width)
        for level in range(1, int(max(c.max(), r.max())) + 1):
            expected[k] += ((c >= level).astype(float) @ (r >= level).astype(float).T).toarray()
    assert expected.max() > 1  # repeated n-grams: clipping counts
    got = bleu._all_matches_by_ngram(cands, refs, 3, budget=budget)
    assert np.array_equal(got, expected)
    assert np.array_equal(scorer.all_matches(cands, refs), expected)  # 70 × 75 > _FEW_PAIRS


def test_mutual_lists_are_computed_once_for_the_self_trained_thresholds() -> None:
    """Self-training's MT-vs-target (0.97) and source-vs-target (0.5) similarities share one
    embedding: one vocabulary × vocabulary ranking serves both, each equal to its own block."""
    from workbench.scoring import similarity
    from workbench.scoring.similarity import WordSimilarity

    kv, _ = _count_vectors()
    similarity._MUTUAL.pop(id(kv), None)
    high = WordSimilarity(kv, threshold=0.97, mutual=3)
    low = WordSimilarity(kv, threshold=0.5, mutual=3)
    words = list(kv.index_to_key)
    for sim in (high, low, high):
        got = sim.block(words[::3], words)
        np.testing.assert_array_equal(got != 0, straightforward_block(sim, words[::3], words) != 0)
    assert len(similarity._MUTUAL[id(kv)][1]) == 1
