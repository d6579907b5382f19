"""FastText's n-gram bucket count is an option of train_embeddings (self-training uses a small one)."""

from __future__ import annotations

import pytest

from workbench.embeddings import train_embeddings
from workbench.embeddings.training import DEFAULT_BUCKETS
from workbench.errors import ModelError

PAIRS = [
    (["der", "berg", "ist", "hoch"], ["la", "montagne", "est", "haute"]),
    (["die", "berge", "sind", "hoch"], ["les", "montagnes", "sont", "hautes"]),
] * 5


def test_bucket_sets_the_size_of_the_ngram_table():
    small = train_embeddings(PAIRS, subword=True, vector_size=8, epochs=2, bucket=1_000)
    assert small.vectors_ngrams.shape == (1_000, 8)
    assert DEFAULT_BUCKETS == 2_000_000  # the cap


def test_bucket_below_one_is_a_model_error():
    with pytest.raises(ModelError, match="buckets"):
        train_embeddings(PAIRS, subword=True, vector_size=8, epochs=1, bucket=0)


def test_default_buckets_fit_the_vocabulary_not_gensims_two_million(tmp_path, monkeypatch):
    """A retrained project embedding must not weigh 800 MB: the table fits what was seen."""
    from workbench.embeddings import save_keyed_vectors
    from workbench.embeddings.training import MIN_BUCKETS, auto_buckets, mixed_sentences

    kv = train_embeddings(PAIRS, subword=True, vector_size=8, epochs=1)
    assert kv.vectors_ngrams.shape[0] == auto_buckets(mixed_sentences(PAIRS), (3, 6))
    assert MIN_BUCKETS <= kv.vectors_ngrams.shape[0] < DEFAULT_BUCKETS
    save_keyed_vectors(kv, tmp_path / "small.kv")
    assert sum(f.stat().st_size for f in tmp_path.iterdir()) < 5_000_000
    many = [[f"w{i}x{j}" for j in range(50)] for i in range(2000)]
    assert auto_buckets(many, (3, 6)) > 100_000
    from workbench.embeddings import training

    monkeypatch.setattr(training, "DEFAULT_BUCKETS", 100_000)
    assert auto_buckets(many, (3, 6)) == 100_000  # capped at gensim's default
