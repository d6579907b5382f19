"""Bulk decisions: which units each action touches, and applying it as one undo step (Qt-free).

The four actions a curator uses to clear the easy part of a document at once:

- ``accept_at_least``: accept every pending unit scoring at least X;
- ``reject_below``: reject every pending unit scoring below Y;

(with ``basis="confidence"``, X and Y bound the aligner's confidence instead of the score:
see :func:`basis` for which one the dialog uses, and :func:`expected_wrong` for its preview);
- ``accept_above``: accept every pending unit above the cursor (earlier in document order);
- ``confirm_page``: accept the pending units among the rows on screen.

Unscored units (manual ones) never qualify for a score threshold, units without a confidence
never for a confidence threshold. Only pending units are
touched: a bulk action never overwrites an accepted or rejected decision. Counting uses
``Project.count_units`` / id-only queries, never the texts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.errors import InputError

if TYPE_CHECKING:
    from workbench.project import Project

BASES = ("score", "confidence")
CONFIDENCE_LABELS = {
    "accept_at_least": "Accept all pending with confidence at least {x:.0%}",
    "reject_below": "Reject all pending with confidence below {x:.0%}",
}
ACTIONS = {
    "accept_at_least": ("accepted", "Accept all pending scoring at least {x:.2f}"),
    "reject_below": ("rejected", "Reject all pending scoring below {x:.2f}"),
    "accept_above": ("accepted", "Accept all pending above the cursor"),
    "confirm_page": ("accepted", "Confirm this page (pending rows on screen)"),
}


@dataclass(frozen=True)
class BulkPlan:
    """What one bulk action would do: the status it gives and the units it touches."""

    action: str
    status: str
    unit_ids: tuple[int, ...]
    label: str

    def __len__(self) -> int:
        return len(self.unit_ids)


def plan(
    project: Project,
    action: str,
    *,
    doc_id: int | None = None,
    threshold: float | None = None,
    cursor_unit: int | None = None,
    visible_units: Sequence[int] | None = None,
    basis: str = "score",
) -> BulkPlan:
    """The units ``action`` touches: ``threshold`` for the score actions (on the score, or
    with ``basis="confidence"`` on the confidence), ``cursor_unit`` for accept_above (units
    strictly before it, in its document unless ``doc_id`` says otherwise), ``visible_units``
    for confirm_page."""
    if action not in ACTIONS:
        raise InputError(f"unknown bulk action {action!r}; choose {', '.join(ACTIONS)}")
    if basis not in BASES:
        raise InputError(f"unknown bulk basis {basis!r}; choose {', '.join(BASES)}")
    status, label = ACTIONS[action]
    if action in ("accept_at_least", "reject_below"):
        if threshold is None:
            raise InputError(f"{action} needs a {basis} threshold")
        key = ("min_" if action == "accept_at_least" else "below_") + basis
        ids = project.unit_ids(doc_id, status="pending", **{key: threshold})
        if basis == "confidence":
            label = CONFIDENCE_LABELS[action]
    elif action == "accept_above":
        if cursor_unit is None:
            raise InputError("accept_above needs the unit at the cursor")
        cursor = project.unit(cursor_unit)
        ids = project.unit_ids(
            doc_id if doc_id is not None else cursor.doc_id,
            status="pending",
            before=(cursor.doc_id, cursor.position),
        )
    else:
        if visible_units is None:
            raise InputError("confirm_page needs the units on screen")
        ids = project.unit_ids(doc_id, status="pending", among=list(visible_units))
    return BulkPlan(action, status, tuple(ids), label.format(x=threshold or 0.0))


def count(
    project: Project,
    action: str,
    *,
    doc_id: int | None = None,
    threshold: float | None = None,
    basis: str = "score",
) -> int:
    """How many units a score (confidence) action touches, by an indexed COUNT."""
    if basis not in BASES:
        raise InputError(f"unknown bulk basis {basis!r}; choose {', '.join(BASES)}")
    if action == "accept_at_least":
        return project.count_units(doc_id, status="pending", **{f"min_{basis}": threshold})
    if action == "reject_below":
        return project.count_units(doc_id, status="pending", **{f"below_{basis}": threshold})
    raise InputError(f"count works for the score actions, not {action!r}")


def basis(project: Project, doc_id: int | None = None) -> str:
    """What the threshold actions bound: ``confidence`` when some pending unit in scope has
    one, else ``score`` (projects aligned before confidences were stored)."""
    has = project.count_units(doc_id, status="pending", has_confidence=True)
    return "confidence" if has else "score"


def expected_wrong(confidences: Sequence[float], threshold: float) -> tuple[int, float]:
    """(how many, expected number wrong) of the confidences at least ``threshold``: what
    "accept all pending with confidence at least X" would accept, and the sum of
    1 − confidence over them (the number of wrong pairs to expect among them)."""
    import numpy as np

    values = np.asarray(confidences, dtype=float)
    chosen = values[values >= threshold]
    return int(chosen.size), float((1.0 - chosen).sum())


def apply(project: Project, bulk: BulkPlan) -> int:
    """Decide the plan's units as ONE undo step (``project.undo()`` reverts it all)."""
    if not bulk.unit_ids:
        return 0
    # The store's "decide many" action: the audit summary counts every unit of it.
    return project.decide_many(bulk.unit_ids, bulk.status)


def score_histogram(
    project: Project, doc_id: int | None = None, bins: int = 20, status: str | None = "pending"
) -> tuple[list[int], list[float]]:
    """Counts and bin edges of the (pending) units' scores, for choosing a threshold."""
    values = project.scores(doc_id, status=status)
    return histogram(values, bins)


def histogram(
    values: Sequence[float], bins: int = 20, span: tuple[float, float] | None = None
) -> tuple[list[int], list[float]]:
    """Counts and bin edges over ``span`` (default: the values' range; 0–1 without values)."""
    import numpy as np

    lo, hi = span or ((min(values), max(values)) if values else (0.0, 1.0))
    if hi <= lo:
        hi = lo + 1.0
    counts, edges = np.histogram(values, bins=bins, range=(lo, hi))
    return counts.tolist(), edges.tolist()
