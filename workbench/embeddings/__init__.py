"""Embeddings for ABLEU (spec §4): word2vec-pair/plain/FastText training, storage, neighbours,
projector export and the retrain-from-accepted-pairs loop. Qt-free; gensim does the training."""

from workbench.embeddings.neighbourhood import (
    Neighbour,
    NeighbourRow,
    format_neighbour_table,
    in_vocabulary,
    most_frequent,
    neighbour_table,
    neighbours,
    neighbours_with_language,
    side_counts,
    side_names,
    word_language,
    write_neighbour_table,
)
from workbench.embeddings.projector import export_projector, projector_words, read_projector
from workbench.embeddings.retrain import (
    RescoreResult,
    RetrainOutcome,
    rescore,
    rescore_units,
    retrain_and_rescore,
    retrain_from_pairs,
    score_pairs,
)
from workbench.embeddings.storage import load_keyed_vectors, save_keyed_vectors
from workbench.embeddings.training import (
    MODES,
    mixed_sentences,
    plain_sentences,
    record_sides,
    train_embeddings,
)

__all__ = [
    "MODES",
    "Neighbour",
    "NeighbourRow",
    "RescoreResult",
    "RetrainOutcome",
    "export_projector",
    "format_neighbour_table",
    "in_vocabulary",
    "load_keyed_vectors",
    "mixed_sentences",
    "most_frequent",
    "neighbour_table",
    "neighbours",
    "neighbours_with_language",
    "plain_sentences",
    "projector_words",
    "read_projector",
    "record_sides",
    "rescore",
    "rescore_units",
    "retrain_and_rescore",
    "retrain_from_pairs",
    "save_keyed_vectors",
    "score_pairs",
    "side_counts",
    "side_names",
    "train_embeddings",
    "word_language",
    "write_neighbour_table",
]
