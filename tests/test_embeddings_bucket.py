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
    assert DEFAULT_BUCKETS == 2_000_000  # other callers keep gensim's default


def test_bucket_below_one_is_a_model_error():
    with pytest.raises(ModelError, match="buckets"):
        train_embeddings(PAIRS, subword=True, vector_size=8, epochs=1, bucket=0)
