"""A word's neighbourhood projected to 2-D (PCA, scikit-learn) for the neighbour map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workbench.embeddings.neighbourhood import neighbours, word_language

if TYPE_CHECKING:
    from gensim.models import KeyedVectors


@dataclass(frozen=True)
class MapPoint:
    word: str
    x: float
    y: float
    similarity: float  # cosine to the query word (1.0 for the query itself)
    language: str = ""
    is_query: bool = False


def neighbourhood_points(vectors: KeyedVectors, word: str, k: int = 20) -> list[MapPoint]:
    """The query word and its ``k`` nearest words, placed by a 2-D PCA of their vectors.

    PCA rather than t-SNE/UMAP: with a few dozen points it is exact, fast and deterministic,
    and its distances still mean something.
    """
    from sklearn.decomposition import PCA

    word = word.strip()
    found = neighbours(vectors, word, k)
    words = [word, *(w for w, _ in found)]
    sims = [1.0, *(s for _, s in found)]
    matrix = np.vstack([vectors.get_vector(w, norm=True) for w in words]).astype(np.float64)
    if len(words) >= 3:
        xy = PCA(n_components=2, svd_solver="full").fit_transform(matrix)
    else:  # PCA needs more points than components; one neighbour sits to the right
        xy = np.array([[0.0, 0.0], [1.0 - sims[1], 0.0]])[: len(words)]
    return [
        MapPoint(w, float(x), float(y), float(s), word_language(vectors, w), i == 0)
        for i, (w, (x, y), s) in enumerate(zip(words, xy, sims, strict=True))
    ]
