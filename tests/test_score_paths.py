"""`workbench score`'s fast paths (issue 19) give exactly what the spec's formula gives:
repeated sentences interned once and scored once per distinct pair, n-gram ids kept in sorted
arrays (:mod:`workbench.scoring.ngrams`), on random lines with empty ones, repeated n-grams,
words the embedding does not know, and several thresholds."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_speed_identity import assert_same_segments, straightforward_prepare

from workbench.scoring import AbleuScorer, BleuScorer, WordSimilarity
from workbench.scoring.base import distinct_pairs, harmonic_mean
from workbench.scoring.ngrams import NgramTable, ngram_tables
from workbench.scoring.reference import reference_ableu

KNOWN = "the cat dog sat on mat a is big small house tree , .".split()  # noqa: SIM905
UNKNOWN = ["zorp", "1849", "qux"]  # not in the embedding: they match only themselves
WORDS = KNOWN + UNKNOWN


def _kv(seed: int) -> KeyedVectors:
    rng = np.random.default_rng(seed)
    kv = KeyedVectors(vector_size=4)
    kv.add_vectors(KNOWN, rng.normal(size=(len(KNOWN), 4)).astype(np.float32))
    return kv


KV = _kv(11)

# few words, so that n-grams repeat within and across lines; empty lines included
sentence = st.lists(st.sampled_from(WORDS), min_size=0, max_size=9)
lines = st.lists(st.tuples(sentence, sentence), min_size=1, max_size=12)


@st.composite
def line_pairs(draw: st.DrawFn) -> list[tuple[list[str], list[str]]]:
    """Line-aligned (candidate, reference) pairs, some lines and some sides repeated."""
    base = draw(lines)
    picks = draw(st.lists(st.integers(0, len(base) - 1), min_size=1, max_size=20))
    return [base[i] for i in picks]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pairs=line_pairs(),
    order=st.integers(1, 3),
    threshold=st.sampled_from([0.0, 0.3, 0.5, 0.9]),
)
def test_line_scores_equal_the_formula(pairs, order, threshold):
    sim = WordSimilarity(KV, threshold=threshold)
    scorer = AbleuScorer(sim, order=order)
    cand_tok, ref_tok = [c for c, _ in pairs], [r for _, r in pairs]
    cands, refs = scorer.prepare_tokens(cand_tok), scorer.prepare_tokens(ref_tok)
    line = np.stack([np.arange(len(pairs))] * 2, 1)
    forward = scorer.pair_scores(cands, refs, line, symmetric=False)
    both = scorer.pair_scores(cands, refs, line, symmetric=True)
    for i, (c, r) in enumerate(pairs):
        fwd = reference_ableu(c, [r], sim.similarity, order)
        bwd = reference_ableu(r, [c], sim.similarity, order)
        assert forward[i] == pytest.approx(fwd, abs=1e-6)
        expected = float(harmonic_mean(np.float64(fwd), np.float64(bwd)))
        assert both[i] == pytest.approx(expected, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(batches=st.lists(st.lists(sentence, max_size=8), min_size=1, max_size=4))
def test_interning_equals_one_ngram_at_a_time(batches):
    """Ids in order of first appearance, continued across batches, repeated lines included."""
    for order in (1, 2, 4):
        fast, slow = BleuScorer(order=order), BleuScorer(order=order)
        for batch in batches:
            got = fast.prepare_tokens(batch)
            assert_same_segments(got, straightforward_prepare(slow, batch))
        assert fast._word_list == slow._word_list
        assert fast._ngram_ids == slow._ngram_ids
        for k in range(1, order):
            assert dict(fast._ngram_ids[k]) == {
                tuple(g): i for i, g in enumerate(fast._ngram_ids[k].grams().tolist())
            }


def test_repeated_lines_are_interned_and_scored_once():
    scorer = AbleuScorer(WordSimilarity(KV, threshold=0.3), order=2)
    text = [["the", "cat", "sat"], ["a", "dog"], ["the", "cat", "sat"], [], []]
    refs_text = [["a", "cat", "sat"], ["a", "dog"], ["a", "cat", "sat"], ["zorp"], []]
    cands, refs = scorer.prepare_tokens(text), scorer.prepare_tokens(refs_text)
    assert cands.word_ids[0] is cands.word_ids[2]  # one interned sentence, not a copy
    assert cands.tokens[2] == ["the", "cat", "sat"] and len(cands) == 5
    line = np.stack([np.arange(5)] * 2, 1)
    c_base, r_base, unique, at = distinct_pairs(cands, refs, line)
    assert len(c_base) == 3 and len(r_base) == 4 and len(unique) == 4
    assert np.array_equal(unique[at], np.stack([[0, 1, 0, 2, 2], [0, 1, 0, 2, 3]], 1))
    # the same scores as segments without repeats remembered (every pair computed)
    plain_c = straightforward_prepare(scorer, text)
    plain_r = straightforward_prepare(scorer, refs_text)
    assert distinct_pairs(plain_c, plain_r, line) is None
    for symmetric in (False, True):
        np.testing.assert_allclose(
            scorer.pair_scores(cands, refs, line, symmetric),
            scorer.pair_scores(plain_c, plain_r, line, symmetric),
            atol=1e-7,
        )
    bleu = BleuScorer(order=2)
    c, r = bleu.prepare_tokens(text), bleu.prepare_tokens(refs_text)
    expected = [
        bleu.sentence_score(" ".join(a), [" ".join(b)])
        for a, b in zip(text, refs_text, strict=True)
    ]
    np.testing.assert_allclose(bleu.pair_scores(c, r, line, symmetric=False), expected)


def test_ngram_table_reads_like_the_dict_it_replaces():
    bigrams, trigrams = ngram_tables(3)[1:]
    assert isinstance(trigrams, NgramTable) and trigrams.prefix is bigrams
    assert bigrams.setdefault((4, 2), 0) == 0
    assert bigrams.setdefault((2, 4), 1) == 1
    assert bigrams.setdefault((4, 2), 2) == 0  # present: its id, nothing added
    assert trigrams.setdefault((2, 4, 2), 0) == 0
    assert list(bigrams) == [(4, 2), (2, 4)] and len(bigrams) == 2
    assert bigrams == {(4, 2): 0, (2, 4): 1}
    assert bigrams.get((4, 4)) is None and (2, 4) in bigrams
    assert bigrams[(2, 4)] == 1 and trigrams[(2, 4, 2)] == 0
    # a trigram whose prefix bigram is unknown is not there either
    assert trigrams.lookup(np.array([[4, 4, 2], [2, 4, 2]])).tolist() == [-1, 0]
    with pytest.raises(KeyError):
        trigrams[(4, 4, 2)]
    with pytest.raises(ValueError):
        bigrams.setdefault((7, 7), 5)  # ids are given in order
    with pytest.raises(ValueError):
        trigrams.setdefault((7, 7, 7), 1)  # its prefix (7, 7) was never interned


def test_sparse_route_with_one_word_lines_only():
    """No bigram anywhere (nor any word): the sparse route used to look up partner matrices
    it had never built (KeyError)."""
    scorer = AbleuScorer(WordSimilarity(KV, threshold=0.9), order=2)
    cands, refs = scorer.prepare_tokens([["the"], []]), scorer.prepare_tokens([["cat"], []])
    assert scorer.sparse_route()
    line = np.array([[0, 0], [1, 1]])
    assert scorer.pair_scores(cands, refs, line, symmetric=False).tolist() == [0.0, 0.0]
    empty = AbleuScorer(WordSimilarity(KV, threshold=0.9), order=1)
    a, b = empty.prepare_tokens([[]]), empty.prepare_tokens([[]])
    assert empty.pair_scores(a, b, np.array([[0, 0]])).tolist() == [0.0]


def test_repeated_lines_are_tokenised_once():
    scorer = BleuScorer(order=2)
    calls: list[str] = []
    tokenize = scorer._tokenize
    scorer._tokenize = lambda s: calls.append(s) or tokenize(s)
    lines = ["the cat .", "a dog", "the cat .", "", "", "a dog"]
    got = scorer.prepare(lines)
    assert sorted(calls) == sorted(set(lines))
    assert [list(t) for t in got.tokens] == [tokenize(s) for s in lines]
    assert_same_segments(got, straightforward_prepare(BleuScorer(order=2), got.tokens))


def test_prepare_tokenises_the_distinct_lines_at_once(monkeypatch):
    """`prepare` hands the distinct lines to tokenize_lines in one call (the 13a rules over
    all of them joined, issue 19) and gets the tokens one line at a time would give."""
    import workbench.scoring.base as base

    calls: list[list[str]] = []
    real = base.tokenize_lines
    monkeypatch.setattr(
        base, "tokenize_lines", lambda lines, *a: calls.append(list(lines)) or real(lines, *a)
    )
    lines = ["the cat, 1.5 .", "a dog...", "the cat, 1.5 .", "", "", "a dog..."]
    for lowercase in (False, True):
        calls.clear()
        scorer = BleuScorer(order=2, lowercase=lowercase)
        got = scorer.prepare(lines)
        assert calls == [list(dict.fromkeys(lines))]
        assert [list(t) for t in got.tokens] == [scorer.tokenize(s) for s in lines]


@settings(max_examples=40, deadline=None)
@given(
    picks=st.lists(st.integers(0, 6), min_size=1, max_size=12),
    refs=st.lists(st.integers(0, 6), min_size=12, max_size=12),
)
def test_prepare_interns_repeated_lines_once_as_prepare_tokens_would(picks, refs):
    """`prepare` interns the distinct lines only (lines that differ but give the same tokens,
    like "the cat" and "the  cat", once too) and expands them: the same ids as interning all
    lines' tokens, every pair's score equal to the formula's."""
    pool = ["the cat sat .", "the  cat sat .", "a dog", "", " ", "zorp the cat", "a dog"]
    lines, ref_lines = [pool[i] for i in picks], [pool[i] for i in refs[: len(picks)]]
    for order in (1, 2):
        fast, slow = BleuScorer(order=order), BleuScorer(order=order)
        got = fast.prepare(lines)
        assert [list(t) for t in got.tokens] == [slow.tokenize(s) for s in lines]
        assert_same_segments(got, straightforward_prepare(slow, [slow.tokenize(s) for s in lines]))
        assert fast._word_list == slow._word_list
        base = got.__dict__.get("_distinct", (got, None))[0]
        assert len(base) == len({tuple(t) for t in got.tokens})  # token-distinct
        sim = WordSimilarity(KV, threshold=0.3)
        scorer = AbleuScorer(sim, order=order)
        cands, refs_seg = scorer.prepare(lines), scorer.prepare(ref_lines)
        line = np.stack([np.arange(len(lines))] * 2, 1)
        scores = scorer.pair_scores(cands, refs_seg, line, symmetric=False)
        for i, (c, r) in enumerate(zip(lines, ref_lines, strict=True)):
            expected = reference_ableu(
                scorer.tokenize(c), [scorer.tokenize(r)], sim.similarity, order
            )
            assert scores[i] == pytest.approx(expected, abs=1e-6)


def _greedy_chunks(clen, rlen, most_pairs, most_elements):
    """The dense route's chunks as they were cut before issue 19's last changes: grown one
    pair at a time while within both limits."""
    order = np.lexsort((rlen, clen // 6))
    start, out = 0, []
    while start < len(order):
        lc, lr = max(int(clen[order[start]]), 1), max(int(rlen[order[start]]), 1)
        stop = start + 1
        while stop < len(order):
            lc2, lr2 = max(lc, int(clen[order[stop]])), max(lr, int(rlen[order[stop]]))
            if (stop + 1 - start) * lc2 * lr2 > most_elements or stop + 1 - start > most_pairs:
                break
            lc, lr, stop = lc2, lr2, stop + 1
        out.append(order[start:stop].tolist())
        start = stop
    return out


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=200),
    most_pairs=st.integers(1, 60),
    most_elements=st.sampled_from([1, 50, 2_000, 4_000_000]),
)
def test_chunk_slots_equal_the_pair_by_pair_cut(lengths, most_pairs, most_elements):
    """Where no chunk can reach the element budget (`workbench score`'s usual case) the
    chunks are fixed slices, cut without a Python step per pair: the same as growing them."""
    from workbench.scoring.ableu_arrays import chunk_slots

    clen = np.array([c for c, _ in lengths], dtype=np.int64)
    rlen = np.array([r for _, r in lengths], dtype=np.int64)
    got = [s.tolist() for s in chunk_slots(clen, rlen, most_pairs, most_elements)]
    assert got == _greedy_chunks(clen, rlen, most_pairs, most_elements)


def test_vocabulary_size_counted_without_sorting():
    from workbench.scoring.ableu_arrays import _vocab, _vocab_size

    scorer = BleuScorer(order=2)
    for lines in (["the cat sat", "a dog", "", "the cat sat"], ["", ""], ["zorp"]):
        for segments in (scorer.prepare(lines), scorer.prepare_tokens([s.split() for s in lines])):
            assert _vocab_size(segments) == len(_vocab(segments))


@pytest.mark.parametrize("collide", [False, True])
def test_prepare_finds_repeated_token_lines_by_hash(monkeypatch, collide):
    """`prepare` looks for lines that differ but give the same tokens by a hash of their
    word ids (issue 19); sentences with one hash but other words (forced: every multiplier
    1, so a sentence and its words reversed collide) are told apart."""
    import workbench.scoring.base as base

    if collide:
        monkeypatch.setattr(base, "_HASH_MULTIPLIERS", np.ones(4096, dtype=np.uint64))
    lines = ["the cat sat .", "the  cat sat .", ". sat cat the", "a dog", "dog a", "", " "]
    lines += ["the cat sat.", "zorp", "a  dog"]
    for order in (1, 2):
        fast, slow = BleuScorer(order=order), BleuScorer(order=order)
        got = fast.prepare(lines)
        expected = slow.prepare_tokens([slow.tokenize(s) for s in lines])
        assert_same_segments(got, expected)
        got_base, got_at = got.__dict__["_distinct"]
        want_base, want_at = expected.__dict__["_distinct"]
        assert np.array_equal(got_at, want_at)
        assert_same_segments(got_base, want_base)
        assert fast._word_list == slow._word_list
        assert fast._ngram_ids == slow._ngram_ids
    distinct = ["a b", "b a", "c"]
    assert "_distinct" not in BleuScorer(order=2).prepare(distinct).__dict__
