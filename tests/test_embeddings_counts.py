"""The count-based word2vec-pair (positive PMI + SVD, issue 19): what it learns, that it is
deterministic, that it stands in for gensim's KeyedVectors, and that self-trained ABLEU uses it
without importing gensim."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from embedding_corpus import lexicon, synthetic_pairs

from workbench.embeddings import (
    load_keyed_vectors,
    neighbours,
    neighbours_with_language,
    save_keyed_vectors,
    train_embeddings,
    word_language,
)
from workbench.embeddings.counts import CountVectors, cooccurrence_ppmi, train_count_embeddings
from workbench.errors import CancelledError, ModelError

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus() -> list[tuple[list[str], list[str]]]:
    return synthetic_pairs()


@pytest.fixture(scope="module")
def model(corpus) -> CountVectors:
    return train_embeddings(corpus, method="counts", vector_size=24, side_names=("aa", "bb"))


def test_translations_are_near_each_other(model, corpus):
    lex = lexicon()
    nearest = [b in [w for w, _ in neighbours(model, a, 5)] for a, b in lex.items()]
    assert np.mean(nearest) >= 0.7
    sims = np.array([model.similarity(a, b) for a, b in lex.items()])  # gensim's, on demand
    others = np.array(
        [model.similarity(a, lex[c]) for a, c in zip(lex, list(lex)[1:], strict=False)]
    )
    assert sims.mean() > others.mean() + 0.4


def test_cooccurrences_count_every_two_positions_of_a_pair_once():
    words, ppmi, source, target = cooccurrence_ppmi(
        [(["a", "b"], ["x"]), (["a", "a"], ["y"]), (["b"], ["x"])]
    )
    # most frequent first (a: 3, b: 2, x: 2, y: 1), ties in order of first appearance
    assert words == ["a", "b", "x", "y"]
    assert source.tolist() == [3, 2, 0, 0] and target.tolist() == [0, 0, 2, 1]
    dense = ppmi.toarray()
    assert dense.shape == (4, 4) and (dense >= 0).all()
    # b and x share both of their pairs: associated; b and y never meet
    assert dense[1, 2] > 0 and dense[1, 3] == 0 and dense[3, 1] == 0


def _counter_vocabulary(pairs):
    """The vocabulary, token columns and side counts as cooccurrence_ppmi built them before
    the interned ids (Python passes over every token): the reference for the new route."""
    from collections import Counter

    source = Counter(w for src, _ in pairs for w in src)
    target = Counter(w for _, tgt in pairs for w in tgt)
    total = source + target
    first = {}
    for src, tgt in pairs:
        for w in (*src, *tgt):
            first.setdefault(w, len(first))
    words = sorted(first, key=lambda w: (-total[w], first[w]))
    index = {w: i for i, w in enumerate(words)}
    cols = [index[w] for s, t in pairs for w in (*s, *t)]
    return words, cols, [source[w] for w in words], [target[w] for w in words]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_interned_ids_give_the_counter_route_to_the_bit(corpus, seed):
    from workbench.embeddings.counts import _interned_tokens

    rng = np.random.default_rng(seed)
    vocab = [f"w{i}" for i in range(40)] + ["", "a b", "ß"]  # many ties, odd tokens
    pairs = [
        (
            [vocab[j] for j in rng.integers(0, len(vocab), rng.integers(0, 6))],
            [vocab[j] for j in rng.integers(0, len(vocab), rng.integers(0, 6))],
        )
        for _ in range(60)
    ] + [([], []), (["w1"], [])]
    for case in (pairs, corpus, [([], [])], []):
        words, cols, source, target = _counter_vocabulary(case)
        got = _interned_tokens(case)
        assert got[0] == words and got[1].tolist() == cols
        assert got[2].tolist() == [len(s) + len(t) for s, t in case]
        assert got[3].tolist() == source and got[4].tolist() == target
        assert got[3].dtype == got[4].dtype == np.int64
    # the rest of cooccurrence_ppmi is as it was: it sees the same words, columns and counts
    words, ppmi, source, target = cooccurrence_ppmi(pairs)
    assert words == _counter_vocabulary(pairs)[0] and ppmi.shape == (len(words), len(words))


def test_training_is_deterministic_and_the_seed_only_starts_the_svd(corpus):
    small = corpus[:300]
    one = train_count_embeddings(small, vector_size=16, seed=5)
    two = train_count_embeddings(small, vector_size=16, seed=5)
    other = train_count_embeddings(small, vector_size=16, seed=6)
    assert one.index_to_key == two.index_to_key == other.index_to_key
    assert np.array_equal(one.vectors, two.vectors)
    # another start of the randomised SVD converges to (nearly) the same space
    unit = one.vectors / np.linalg.norm(one.vectors, axis=1, keepdims=True)
    unit2 = other.vectors / np.linalg.norm(other.vectors, axis=1, keepdims=True)
    assert np.abs(unit @ unit.T - unit2 @ unit2.T).mean() < 0.05


def test_stands_in_for_keyed_vectors(model, corpus, tmp_path):
    from gensim.models import KeyedVectors

    assert "a00" in model and "nothing" not in model and len(model) == len(model.index_to_key)
    assert model.vectors.shape == (len(model), 24) and model.vector_size == 24
    vector = model.get_vector("a00", norm=True)
    assert abs(np.linalg.norm(vector) - 1) < 1e-5
    # side counts as train_embeddings records them, and languages from them
    assert model.side_names == ("aa", "bb")
    assert word_language(model, "a00") == "aa" and word_language(model, "bx") == "bb"
    assert model.get_vecattr("a00", "source_count") == sum(s.count("a00") for s, _ in corpus)
    assert {n.language for n in neighbours_with_language(model, "a00", 5)} <= {"aa", "bb"}
    kv = model.keyed_vectors()
    assert isinstance(kv, KeyedVectors) and kv is model.keyed_vectors()
    assert kv.index_to_key == model.index_to_key
    np.testing.assert_array_equal(kv.vectors, model.vectors)
    for name in ("m.kv", "m.txt"):
        save_keyed_vectors(model, tmp_path / name)
        loaded = load_keyed_vectors(tmp_path / name)
        assert loaded.index_to_key == model.index_to_key
        np.testing.assert_allclose(loaded.vectors, model.vectors, rtol=1e-5, atol=1e-6)
        assert word_language(loaded, "bx") == "bb"


def test_bad_requests_are_model_errors(corpus):
    with pytest.raises(ModelError, match="subwords"):
        train_embeddings(corpus[:10], method="counts", subword=True)
    with pytest.raises(ModelError, match="pair"):
        train_embeddings(corpus[:10], method="counts", mode="plain")
    with pytest.raises(ModelError, match="unknown training method"):
        train_embeddings(corpus[:10], method="glove")
    with pytest.raises(ModelError, match="empty"):
        train_embeddings([([], [])], method="counts")
    with pytest.raises(CancelledError):
        train_embeddings(corpus[:10], method="counts", cancel=lambda: True)
    seen: list[float] = []
    train_embeddings(corpus[:10], method="counts", vector_size=4, progress=seen.append)
    assert seen == [1.0]


def test_tiny_corpus_gives_vectors_of_the_asked_size():
    kv = train_count_embeddings([(["a"], ["b"]), (["a"], ["c"])], vector_size=50)
    assert kv.vectors.shape == (3, 50)


def test_self_trained_align_uses_counts_without_gensim(tmp_path):
    """The default `workbench align --scorer ableu` (with MT) trains from counts: gensim is
    never imported (its import alone costs more than the training)."""
    lines = [
        (f"der hund {k} bellt", f"le chien {k} aboie", f"le chien {k} jappe") for k in range(30)
    ]
    for i, name in enumerate(("s.txt", "t.txt", "m.txt")):
        (tmp_path / name).write_text("\n".join(x[i] for x in lines) + "\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from workbench.cli import main\n"
        "rc = main(['align', 's.txt', 't.txt', '--mt', 'm.txt', '--scorer', 'ableu',"
        " '-o', 'out.txt'])\n"
        "assert rc in (0, None), rc\n"
        "print('gensim' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
    assert len((tmp_path / "out.txt").read_text().splitlines()) == 30
