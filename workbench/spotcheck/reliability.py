"""Reliability of the aligner's confidence: sampled accuracy per confidence band next to the
accuracy the confidence predicts (a reliability diagram), from spot-check judgements.

A band's predicted accuracy is the mean confidence of its judged pairs (correct or incorrect;
unsure ones are left out as for the sampled accuracy), so a calibrated confidence puts every
band on the diagonal. The expected calibration error (ECE) weighs each band's gap between
sampled and predicted accuracy by its share of the judged pairs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.spotcheck.measures import Accuracy, accuracy

# Band edges: [0, .5), [.5, .7), [.7, .9), [.9, .95), [.95, 1]; narrow at the top, where a
# good aligner puts most of its units and where bulk acceptance happens.
CONFIDENCE_BANDS: tuple[float, ...] = (0.5, 0.7, 0.9, 0.95)
NO_CONFIDENCE = "no confidence"


@dataclass(frozen=True)
class ReliabilityBand:
    label: str
    pairs: int  # suggested pairs with a confidence in the band
    predicted: float  # mean confidence of the judged pairs (of all its pairs if none judged)
    accuracy: Accuracy  # sampled accuracy of its judged pairs

    @property
    def judged(self) -> int:
        return self.accuracy.proportion.trials


def band_labels(edges: Sequence[float] = CONFIDENCE_BANDS) -> list[str]:
    pct = [f"{100 * e:g}" for e in edges]
    labels = [f"< {pct[0]} %"]
    labels += [f"{a}–{b} %" for a, b in itertools.pairwise(pct)]
    return [*labels, f"≥ {pct[-1]} %"]


def band_of(confidence: float, edges: Sequence[float] = CONFIDENCE_BANDS) -> int:
    return sum(1 for e in edges if confidence >= e)


def reliability(
    judged: Iterable[tuple[float | None, str | None]],
    population: Iterable[float | None],
    edges: Sequence[float] = CONFIDENCE_BANDS,
    level: float = 0.95,
) -> list[ReliabilityBand]:
    """Per confidence band (every band, possibly empty; then one for pairs without a
    confidence when there are any): pairs, predicted and sampled accuracy.

    ``judged``: (confidence, verdict) of the sampled pairs; ``population``: the confidences of
    all suggested pairs (for the pair counts)."""
    labels = band_labels(edges)
    verdicts: list[list[tuple[float, str | None]]] = [[] for _ in labels]
    counts = [0] * len(labels)
    sums = [0.0] * len(labels)
    missing_pairs = 0
    missing: list[str | None] = []
    for c in population:
        if c is None:
            missing_pairs += 1
            continue
        k = band_of(c, edges)
        counts[k] += 1
        sums[k] += c
    for c, verdict in judged:
        if c is None:
            missing.append(verdict)
        else:
            verdicts[band_of(c, edges)].append((c, verdict))
    out = []
    for k, label in enumerate(labels):
        counted = [c for c, v in verdicts[k] if v in ("correct", "incorrect")]
        if counted:
            predicted = sum(counted) / len(counted)
        else:
            predicted = sums[k] / counts[k] if counts[k] else math.nan
        out.append(
            ReliabilityBand(
                label, counts[k], predicted, accuracy((v for _, v in verdicts[k]), level)
            )
        )
    if missing_pairs or missing:
        out.append(
            ReliabilityBand(NO_CONFIDENCE, missing_pairs, math.nan, accuracy(missing, level))
        )
    return out


def calibration_error(bands: Sequence[ReliabilityBand]) -> float:
    """Expected calibration error over the judged pairs with a confidence (nan if none)."""
    rated = [b for b in bands if b.label != NO_CONFIDENCE and b.judged]
    total = sum(b.judged for b in rated)
    if not total:
        return math.nan
    return sum(b.judged / total * abs(b.accuracy.proportion.value - b.predicted) for b in rated)


def has_confidence(bands: Sequence[ReliabilityBand]) -> bool:
    return any(b.pairs for b in bands if b.label != NO_CONFIDENCE)
