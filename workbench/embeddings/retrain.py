"""The retraining loop, Qt-free: word2vec-pair from the curator's accepted pairs, then re-score.

The GUI action "retrain from accepted pairs" runs :func:`retrain_from_pairs` on a worker thread
(its ``progress(done, total, label)`` / ``cancel()`` match the task worker's job signature),
builds an ABLEU scorer over the new vectors and calls :func:`rescore_units` on the pending
suggestions to report how many scores changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workbench.embeddings.training import train_embeddings
from workbench.errors import CancelledError, ModelError
from workbench.scoring.tokenize import DEFAULT_TOKENIZER, get_tokenizer
from workbench.wording import count

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

Progress = Callable[[int, int, str], None]
TextPair = tuple[str, str]


def _texts(pair: object) -> TextPair:
    """(source, target) from a tuple or anything with ``.source``/``.target`` (ParallelPair)."""
    if hasattr(pair, "source") and hasattr(pair, "target"):
        return str(pair.source), str(pair.target)
    source, target = pair
    return str(source), str(target)


def retrain_from_pairs(
    pairs: Iterable[TextPair | object],
    extra_pairs: Iterable[TextPair | object] = (),
    base: object | None = None,
    *,
    mode: str = "pair",
    subword: bool = True,
    tokenize: str = DEFAULT_TOKENIZER,
    lowercase: bool = True,
    vector_size: int | None = None,
    epochs: int = 20,
    seed: int = 1,
    side_names: tuple[str, str] | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> object:
    """Train word2vec-pair on accepted (source, target) texts plus ``extra_pairs``.

    ``pairs``/``extra_pairs`` are text pairs or ParallelPair-like objects (``.source``,
    ``.target``), e.g. ``project.export_pairs()``. ``base`` (KeyedVectors) warm-starts the
    words it knows and fixes the dimensionality. Subword (FastText) by default: accepted pairs
    are a small corpus of an agglutinative language as often as not. Returns KeyedVectors.
    """
    split = get_tokenizer(tokenize, lowercase)
    steps = 100
    if progress:
        progress(0, steps, "tokenising accepted pairs")
    token_pairs = []
    for k, pair in enumerate([*pairs, *extra_pairs]):
        if cancel and k % 1000 == 0 and cancel():
            raise CancelledError("retraining cancelled")
        source, target = _texts(pair)
        src, tgt = split(source), split(target)
        if src or tgt:
            token_pairs.append((src, tgt))
    if not token_pairs:
        raise ModelError("no accepted pairs to train on: accept some suggestions first")
    if vector_size is None:
        vector_size = int(getattr(base, "vector_size", 0) or 100)
    label = f"training word2vec-pair on {len(token_pairs)} pairs"

    def report(fraction: float) -> None:
        if progress:
            progress(5 + int(95 * fraction), steps, label)

    report(0.0)
    return train_embeddings(
        token_pairs,
        mode=mode,
        subword=subword,
        vector_size=vector_size,
        epochs=epochs,
        seed=seed,
        progress=report,
        cancel=cancel,
        side_names=side_names,
        initial=base,
    )


@dataclass(frozen=True)
class RescoreResult:
    old: list[float]
    new: list[float]
    changed: int  # scores that moved by more than the tolerance

    def crossed(self, threshold: float) -> int:
        """How many scores moved across ``threshold`` (e.g. the accept cut-off) either way."""
        return sum(
            (o >= threshold) != (n >= threshold) for o, n in zip(self.old, self.new, strict=True)
        )


def score_pairs(scorer: object, texts: Sequence[TextPair]) -> list[float]:
    """The aligner's symmetric score of each (candidate, reference) pair."""
    if not texts:
        return []
    cands = scorer.prepare([c for c, _ in texts])
    refs = scorer.prepare([r for _, r in texts])
    idx = np.arange(len(texts))
    return [float(s) for s in scorer.pair_scores(cands, refs, np.stack([idx, idx], 1))]


def rescore(
    texts: Sequence[TextPair],
    old_scorer: object | None,
    new_scorer: object,
    *,
    old_scores: Sequence[float | None] | None = None,
    tolerance: float = 1e-6,
) -> RescoreResult:
    """Score (candidate, reference) pairs with both scorers and count the changed scores.

    Old scores come from ``old_scorer``, or from ``old_scores`` (e.g. stored with the units;
    a missing score counts as 0) when ``old_scorer`` is None.
    """
    texts = [(str(c), str(r)) for c, r in texts]
    if old_scorer is not None:
        old = score_pairs(old_scorer, texts)
    elif old_scores is not None and len(old_scores) == len(texts):
        old = [float(s or 0.0) for s in old_scores]
    else:
        raise ValueError("rescore needs an old scorer or one old score per pair")
    new = score_pairs(new_scorer, texts)
    changed = sum(abs(o - n) > tolerance for o, n in zip(old, new, strict=True))
    return RescoreResult(old, new, changed)


def unit_texts(units: Iterable[object]) -> list[TextPair]:
    """(candidate, reference) per review unit: its MT (or, without MT, its source) and target."""
    return [
        (getattr(u, "mt_text", "") or getattr(u, "source_text", ""), getattr(u, "target_text", ""))
        for u in units
    ]


def rescore_units(
    units: Sequence[object], old_scorer: object | None, new_scorer: object, tolerance: float = 1e-6
) -> RescoreResult:
    """Re-score review units (``mt_text``/``source_text``, ``target_text``, ``score``).

    Without ``old_scorer`` each unit's stored ``score`` is the old value.
    """
    units = list(units)
    return rescore(
        unit_texts(units),
        old_scorer,
        new_scorer,
        old_scores=[getattr(u, "score", None) for u in units],
        tolerance=tolerance,
    )


@dataclass(frozen=True)
class RetrainOutcome:
    vectors: KeyedVectors  # the new KeyedVectors (save it as the project's embedding)
    scorer: object  # ABLEU over the new vectors
    result: RescoreResult  # pending suggestions re-scored

    def summary(self) -> str:
        n = len(self.result.new)
        return (
            f"retrained on accepted pairs; {self.result.changed} of {count(n, 'pending score')} "
            "changed"
        )


def retrain_and_rescore(
    accepted: Iterable[TextPair | object],
    pending_units: Sequence[object],
    *,
    extra_pairs: Iterable[TextPair | object] = (),
    base: object | None = None,
    old_scorer: object | None = None,
    order: int = 2,
    tokenize: str = DEFAULT_TOKENIZER,
    lowercase: bool = True,
    threshold: float | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    **train_options: object,
) -> RetrainOutcome:
    """The whole "retrain from accepted pairs" action as one worker job.

    Trains on ``accepted`` (+ ``extra_pairs``), builds ABLEU over the new vectors and re-scores
    ``pending_units`` against their stored scores (or ``old_scorer``'s).
    """
    from workbench.scoring import AbleuScorer, WordSimilarity

    vectors = retrain_from_pairs(
        accepted,
        extra_pairs,
        base,
        tokenize=tokenize,
        lowercase=lowercase,
        progress=progress,
        cancel=cancel,
        **train_options,
    )
    if cancel and cancel():
        raise CancelledError("retraining cancelled")
    if progress:
        progress(100, 100, f"re-scoring {len(pending_units)} pending suggestions")
    scorer = AbleuScorer(
        WordSimilarity(vectors, threshold), order=order, tokenize=tokenize, lowercase=lowercase
    )
    return RetrainOutcome(vectors, scorer, rescore_units(pending_units, old_scorer, scorer))
