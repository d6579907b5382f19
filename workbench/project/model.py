"""What the project API returns: plain frozen dataclasses, detached from the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Ids = tuple[int, ...]
STATUSES = ("pending", "accepted", "rejected")
SIDES = ("source", "target")
VERDICTS = ("correct", "incorrect", "unsure")


@dataclass(frozen=True)
class DocumentInfo:
    id: int
    name: str
    source_lang: str
    target_lang: str
    n_source: int
    n_target: int
    created: float


@dataclass(frozen=True)
class AlignBasis:
    """What a background alignment of a document read when it started
    (:meth:`~workbench.project.Project.alignment_basis`): its sentences, and the layout of its
    pending units. Storing the result checks it (``set_suggestions(..., basis=...)``)."""

    doc_id: int
    source: tuple[str, ...]
    target: tuple[str, ...]
    pending: frozenset[tuple[Ids, Ids]]


@dataclass(frozen=True)
class SuggestionRun:
    id: int
    doc_id: int
    scorer: str
    created: float
    n_units: int
    active: bool = False


@dataclass(frozen=True)
class Unit:
    """One review row: a suggested (or edited) alignment of a document and its decision.

    ``position`` orders the units of a document (sparse: only its order is meaningful).
    Texts are the current (edited) sentences joined by a space, empty ones (blank lines) left
    out (:func:`workbench.textio.join_sentences`); ``mt_text`` is the latest
    source-side translation of the source sentences ("" without one). ``confidence`` is the
    aligner's estimate that the unit is exactly right (None for manual units and units aligned
    before confidences were stored).
    """

    id: int
    doc_id: int
    position: int
    source_ids: Ids
    target_ids: Ids
    source_text: str
    target_text: str
    mt_text: str
    score: float | None
    scorer: str
    method: str
    status: str
    decided_at: float | None
    bookmark: bool
    bookmark_note: str = ""
    confidence: float | None = None  # the aligner's P(exactly right); None: not estimated
    # Made or edited by the curator (merge, split, moved sentence, text fix): re-aligning keeps
    # it like a decided unit; False: the aligner's suggestion as it was made.
    edited: bool = False

    @property
    def is_pair(self) -> bool:
        """Both sides non-empty (a 1–0 / 0–1 unit is not a translation pair)."""
        return bool(self.source_ids) and bool(self.target_ids)


@dataclass(frozen=True)
class JournalEntry:
    id: int
    time: float
    reviewer: str
    action: str
    doc_id: int | None
    unit_ids: tuple[int, ...]
    before: Any
    after: Any


@dataclass(frozen=True)
class ProjectStats:
    """Decision counts and how much of the text the accepted pairs cover."""

    accepted: int
    rejected: int
    pending: int
    aligned_source: int  # source sentences in accepted pairs
    total_source: int
    aligned_target: int
    total_target: int
    accepted_pairs: int = 0  # accepted units with both sides non-empty

    @property
    def units(self) -> int:
        return self.accepted + self.rejected + self.pending

    @property
    def source_yield(self) -> float:
        return self.aligned_source / self.total_source if self.total_source else 0.0

    @property
    def overall_yield(self) -> float:
        """Sentences of both sides in accepted pairs / all sentences: the yield the review
        window's status bar and ``workbench report`` show."""
        total = self.total_source + self.total_target
        return (self.aligned_source + self.aligned_target) / total if total else 0.0


@dataclass(frozen=True)
class SampleInfo:
    id: int
    name: str
    created: float
    seed: int | None
    params: dict = field(default_factory=dict)
    n_items: int = 0


@dataclass(frozen=True)
class SampleItem:
    index: int
    doc_id: int
    source_ids: Ids
    target_ids: Ids
    source_text: str
    target_text: str
    verdict: str | None


def ids_text(ids: Ids) -> str:
    return ",".join(map(str, ids))


def parse_ids(text: str) -> Ids:
    return tuple(int(x) for x in text.split(",")) if text else ()
