"""Embedding training, storage, neighbours, projector export and the retraining loop."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from embedding_corpus import lexicon, synthetic_pairs

from workbench.embeddings import (
    export_projector,
    load_keyed_vectors,
    mixed_sentences,
    neighbour_table,
    neighbours,
    neighbours_with_language,
    projector_words,
    read_projector,
    rescore,
    rescore_units,
    retrain_from_pairs,
    save_keyed_vectors,
    train_embeddings,
    word_language,
    write_neighbour_table,
)
from workbench.errors import CancelledError, InputError, ModelError

SETTINGS = {"vector_size": 24, "epochs": 15, "seed": 3}


@pytest.fixture(scope="module")
def corpus() -> list[tuple[list[str], list[str]]]:
    return synthetic_pairs()


@pytest.fixture(scope="module")
def pair_model(corpus):
    return train_embeddings(corpus, mode="pair", side_names=("aa", "bb"), **SETTINGS)


@pytest.fixture(scope="module")
def plain_model(corpus):
    return train_embeddings(corpus, mode="plain", side_names=("aa", "bb"), **SETTINGS)


def test_mixed_sentences_keep_every_token_and_depend_on_the_seed():
    pairs = [(["a", "b", "c", "d"], ["w", "x", "y", "z"])] * 3
    mixed = mixed_sentences(pairs, seed=1)
    assert all(sorted(s) == ["a", "b", "c", "d", "w", "x", "y", "z"] for s in mixed)
    assert mixed == mixed_sentences(pairs, seed=1)
    assert mixed != mixed_sentences(pairs, seed=2)
    assert len({tuple(s) for s in mixed}) > 1  # each pair shuffled on its own


@pytest.mark.parametrize("subword", [False, True])
def test_training_is_reproducible_with_a_seed(corpus, subword):
    small = corpus[:200]
    one = train_embeddings(small, subword=subword, vector_size=16, epochs=3, seed=5)
    two = train_embeddings(small, subword=subword, vector_size=16, epochs=3, seed=5)
    other = train_embeddings(small, subword=subword, vector_size=16, epochs=3, seed=6)
    assert one.index_to_key == two.index_to_key
    assert np.array_equal(one.vectors, two.vectors)
    assert not np.array_equal(one.vectors, other.vectors)


def test_pair_training_puts_translations_closer_than_plain(pair_model, plain_model):
    lex = lexicon()
    pair_sims = np.array([pair_model.similarity(a, b) for a, b in lex.items()])
    plain_sims = np.array([plain_model.similarity(a, b) for a, b in lex.items()])
    # every single translation is closer in the pair space, and by a wide margin on average
    assert (pair_sims > plain_sims).all()
    assert pair_sims.mean() > plain_sims.mean() + 0.4

    # and in the pair model the translation is among a word's nearest neighbours; in the plain
    # model the two languages' spaces are unrelated
    def top5_rate(model):
        return np.mean([b in [w for w, _ in neighbours(model, a, 5)] for a, b in lex.items()])

    assert top5_rate(pair_model) >= 0.8
    assert top5_rate(plain_model) <= 0.1


def test_side_counts_name_each_words_language(pair_model, corpus):
    assert pair_model.side_names == ("aa", "bb")
    assert word_language(pair_model, "a00") == "aa"
    assert word_language(pair_model, "bx") == "bb"
    found = neighbours_with_language(pair_model, "a00", 10)
    assert {n.language for n in found} <= {"aa", "bb"}
    expected = sum(s.count("a00") for s, _ in corpus)
    assert pair_model.get_vecattr("a00", "source_count") == expected
    assert pair_model.get_vecattr("a00", "target_count") == 0


def test_progress_and_cancel(corpus):
    seen = []
    train_embeddings(corpus[:50], vector_size=8, epochs=4, progress=seen.append)
    assert seen == [0.25, 0.5, 0.75, 1.0]
    with pytest.raises(CancelledError):
        train_embeddings(corpus[:50], vector_size=8, epochs=4, cancel=lambda: True)


def test_bad_training_input_is_a_clear_error(corpus):
    with pytest.raises(ModelError, match="empty"):
        train_embeddings([])
    with pytest.raises(ModelError, match="mode"):
        train_embeddings(corpus[:5], mode="cbow")
    with pytest.raises(ModelError, match="dimensions"):
        train_embeddings(
            corpus[:5], vector_size=8, initial=train_embeddings(corpus[:5], vector_size=4)
        )


@pytest.mark.parametrize("name", ["model.kv", "model.txt", "model.bin"])
def test_save_and_load_keep_vectors_and_languages(pair_model, tmp_path, name):
    path = tmp_path / name
    save_keyed_vectors(pair_model, path)
    loaded = load_keyed_vectors(path)
    assert loaded.index_to_key == pair_model.index_to_key
    assert np.allclose(loaded.vectors, pair_model.vectors, atol=1e-5)
    assert loaded.side_names == ("aa", "bb")
    assert word_language(loaded, "b03") == "bb"


@pytest.mark.parametrize("name", ["model.kv", "model.txt", "model.bin"])
def test_a_failed_save_leaves_the_older_model_whole(pair_model, tmp_path, name, monkeypatch):
    path = tmp_path / name
    save_keyed_vectors(pair_model, path)
    before = path.read_bytes()
    method = "save" if name.endswith(".kv") else "save_word2vec_format"
    original = getattr(type(pair_model), method)

    def write_half_then_fail(self, target, *args, **kwargs):
        original(self, target, *args, **kwargs)  # written, then the disk fills (sync fails)
        raise OSError(28, "No space left on device")

    newer = copy.deepcopy(pair_model)
    newer.vectors *= 2
    monkeypatch.setattr(type(pair_model), method, write_half_then_fail)
    with pytest.raises(ModelError, match="No space left"):
        save_keyed_vectors(newer, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".tsv")) == [name]


def test_subword_model_round_trips_and_places_unseen_words(corpus, tmp_path):
    model = train_embeddings(corpus[:100], subword=True, vector_size=8, epochs=2, ngrams=(2, 3))
    save_keyed_vectors(model, tmp_path / "ft.kv")
    loaded = load_keyed_vectors(tmp_path / "ft.kv")
    assert np.allclose(loaded.get_vector("a05x"), model.get_vector("a05x"))
    assert len(neighbours(loaded, "a05x", 3)) == 3  # not in training, built from n-grams


def test_loading_missing_or_broken_files_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="no such embedding file"):
        load_keyed_vectors(tmp_path / "absent.kv")
    with pytest.raises(ModelError, match="directory"):
        load_keyed_vectors(tmp_path)
    empty = tmp_path / "empty.kv"
    empty.write_bytes(b"")
    with pytest.raises(ModelError, match="empty"):
        load_keyed_vectors(empty)
    text = tmp_path / "notes.txt"
    text.write_text("this is not\nan embedding at all\n", encoding="utf-8")
    with pytest.raises(ModelError, match="not a readable embedding"):
        load_keyed_vectors(text)
    truncated = tmp_path / "cut.kv"
    truncated.write_bytes(b"\x80\x04\x95\x10\x00\x00")
    with pytest.raises(ModelError, match="not a readable embedding"):
        load_keyed_vectors(truncated)
    import pickle

    other = tmp_path / "dict.kv"
    other.write_bytes(pickle.dumps({"not": "vectors"}))
    with pytest.raises(ModelError, match="not a readable embedding"):
        load_keyed_vectors(other)


def test_neighbour_errors(pair_model):
    with pytest.raises(InputError, match="type a word"):
        neighbours(pair_model, "  ")
    with pytest.raises(ModelError, match="not in the embedding"):
        neighbours(pair_model, "zzz")


def test_neighbour_table_tsv(pair_model, tmp_path):
    rows = neighbour_table(pair_model, ["a01", "b02"], k=4, model="pair")
    assert [r.rank for r in rows] == [1, 2, 3, 4] * 2
    path = tmp_path / "n.tsv"
    assert write_neighbour_table(rows, path) == 8
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["model", "query", "rank", "neighbour", "similarity", "language"]
    first = lines[1].split("\t")
    assert first[:3] == ["pair", "a01", "1"] and first[3] == rows[0].word


def test_projector_export_round_trip(pair_model, tmp_path):
    vec_path, meta_path = export_projector(pair_model, tmp_path / "proj")
    back = read_projector(tmp_path / "proj")
    assert back.index_to_key == pair_model.index_to_key
    assert np.array_equal(back.vectors, pair_model.vectors)  # float32 exactly
    # also loadable the plain way: numpy + pandas into gensim
    import pandas as pd
    from gensim.models import KeyedVectors

    matrix = np.loadtxt(vec_path, delimiter="\t", dtype=np.float32)
    meta = pd.read_csv(meta_path, sep="\t", keep_default_na=False)
    kv = KeyedVectors(vector_size=matrix.shape[1])
    kv.add_vectors(list(meta["word"]), matrix)
    assert np.array_equal(kv["a07"], pair_model["a07"])
    assert set(meta["language"]) == {"aa", "bb"}


def test_projector_subsets(pair_model, tmp_path):
    top = projector_words(pair_model, top=5)
    assert top == pair_model.index_to_key[:5]
    around = projector_words(pair_model, around="a03", k=6)
    assert around[0] == "a03" and len(around) == 7
    export_projector(pair_model, tmp_path / "p", around)
    assert read_projector(tmp_path / "p").index_to_key == around
    with pytest.raises(InputError):
        projector_words(pair_model, top=0)
    with pytest.raises(InputError, match="no such projector file"):
        read_projector(tmp_path / "nothing")


def test_retrain_from_pairs_and_rescore(corpus):
    from workbench.scoring import AbleuScorer, BleuScorer, WordSimilarity

    class Accepted:  # shaped like workbench.corpus.ParallelPair
        def __init__(self, source, target):
            self.source, self.target = source, target

    texts = [(" ".join(s), " ".join(t)) for s, t in corpus[:300]]
    events = []
    vectors = retrain_from_pairs(
        [Accepted(s, t) for s, t in texts[:200]],
        extra_pairs=texts[200:],
        subword=False,
        vector_size=16,
        epochs=6,
        side_names=("aa", "bb"),
        progress=lambda done, total, label: events.append((done, total, label)),
    )
    assert events[0][0] == 0 and events[-1][0] == events[-1][1] == 100
    assert "300 pairs" in events[-1][2]
    assert vectors.similarity("a01", "b01") > 0.5
    # warm start from the previous vectors keeps the dimensionality
    again = retrain_from_pairs(texts[:50], base=vectors, subword=False, epochs=2)
    assert again.vector_size == 16

    # source-language sentence vs its translation: BLEU sees nothing, ABLEU the translations
    bleu = BleuScorer(order=1)
    ableu = AbleuScorer(WordSimilarity(vectors, threshold=0.3), order=1)
    result = rescore(texts[:20], bleu, ableu)
    assert result.changed == 20 and max(result.old) == 0.0 and min(result.new) > 0
    assert result.crossed(0.05) == sum(n >= 0.05 for n in result.new)
    assert rescore(texts[:20], bleu, bleu).changed == 0

    class Unit:  # shaped like workbench.project.Unit
        def __init__(self, source, target, score):
            self.source_text, self.target_text, self.mt_text, self.score = source, target, "", score

    units = [Unit(s, t, 0.0) for s, t in texts[:10]]
    assert rescore_units(units, None, ableu).changed == 10
    assert rescore_units(units, None, bleu).changed == 0


def test_retrain_and_rescore_job(corpus):
    from workbench.embeddings import retrain_and_rescore

    class Unit:  # a pending review unit with an MT of its source, scored 0 by BLEU
        def __init__(self, mt, target):
            self.mt_text, self.target_text, self.source_text, self.score = mt, target, "", 0.0

    texts = [(" ".join(s), " ".join(t)) for s, t in corpus[:300]]
    labels = []
    outcome = retrain_and_rescore(
        texts,
        [Unit(s, t) for s, t in texts[:8]],
        order=1,
        threshold=0.3,
        subword=False,
        vector_size=16,
        epochs=6,
        progress=lambda done, total, label: labels.append(label),
    )
    assert labels[-1] == "re-scoring 8 pending suggestions"
    assert outcome.result.changed == 8
    assert outcome.summary() == "retrained on accepted pairs; 8 of 8 pending scores changed"
    assert outcome.vectors.vector_size == 16


def test_retrain_errors():
    with pytest.raises(ModelError, match="no accepted pairs"):
        retrain_from_pairs([])
    with pytest.raises(CancelledError):
        retrain_from_pairs([("a b", "c d")] * 5, subword=False, cancel=lambda: True)
