"""The report's figures over plain data: yield, accuracy from judgements, scorer agreement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from workbench.spotcheck.sampling import DEFAULT_BANDS, band_labels, score_band
from workbench.spotcheck.stats import Proportion, accuracy_interval

Ids = tuple[int, ...]
VERDICTS = ("correct", "incorrect", "unsure")


@dataclass(frozen=True)
class Yield:
    """Sentences covered by aligned (1–1, 1–N, N–1, N–M) pairs, out of all sentences."""

    aligned_source: int
    total_source: int
    aligned_target: int
    total_target: int

    @property
    def source(self) -> float:
        return self.aligned_source / self.total_source if self.total_source else 0.0

    @property
    def target(self) -> float:
        return self.aligned_target / self.total_target if self.total_target else 0.0

    @property
    def overall(self) -> float:
        """Both sides together: aligned sentences / all sentences (the method's "yield")."""
        total = self.total_source + self.total_target
        return (self.aligned_source + self.aligned_target) / total if total else 0.0

    def __add__(self, other: Yield) -> Yield:
        return Yield(
            self.aligned_source + other.aligned_source,
            self.total_source + other.total_source,
            self.aligned_target + other.aligned_target,
            self.total_target + other.total_target,
        )


def document_yield(pairs: Iterable[tuple[Ids, Ids]], n_source: int, n_target: int) -> Yield:
    """Yield of one document; 1–0 / 0–1 units align nothing, a sentence counts once."""
    source: set[int] = set()
    target: set[int] = set()
    for src, tgt in pairs:
        if src and tgt:
            source.update(src)
            target.update(tgt)
    return Yield(len(source), n_source, len(target), n_target)


def total_yield(yields: Iterable[Yield]) -> Yield:
    """Sentence counts summed over documents (a long document weighs more than a short one)."""
    out = Yield(0, 0, 0, 0)
    for y in yields:
        out = out + y
    return out


@dataclass(frozen=True)
class Accuracy:
    """Judgements of a sample: correct / incorrect / unsure / not judged yet, and the interval.

    Unsure pairs are left out of the proportion (they are neither evidence for nor against);
    they are reported so that a reader sees how many there were.
    """

    correct: int
    incorrect: int
    unsure: int
    unjudged: int
    proportion: Proportion

    @property
    def judged(self) -> int:
        return self.correct + self.incorrect + self.unsure

    @property
    def size(self) -> int:
        return self.judged + self.unjudged


def accuracy(verdicts: Iterable[str | None], confidence: float = 0.95) -> Accuracy:
    counts = Counter(v if v in VERDICTS else None for v in verdicts)
    c, i = counts["correct"], counts["incorrect"]
    return Accuracy(c, i, counts["unsure"], counts[None], accuracy_interval(c, c + i, confidence))


def accuracy_by_band(
    items: Iterable[tuple[float | None, str | None]],
    bands: Sequence[float] = DEFAULT_BANDS,
    confidence: float = 0.95,
) -> dict[str, Accuracy]:
    """Accuracy of judged items per score band, every band present (possibly empty)."""
    grouped: dict[str, list[str | None]] = {label: [] for label in band_labels(bands)}
    for score, verdict in items:
        grouped[score_band(score, bands)].append(verdict)
    return {label: accuracy(v, confidence) for label, v in grouped.items()}


@dataclass(frozen=True)
class Agreement:
    both: int
    either: int

    @property
    def ratio(self) -> float:
        """Pairs suggested by both / by either (Jaccard); 1.0 when neither suggested any."""
        return self.both / self.either if self.either else 1.0


def agreement(a: Iterable[object], b: Iterable[object]) -> Agreement:
    sa, sb = set(a), set(b)
    return Agreement(len(sa & sb), len(sa | sb))
