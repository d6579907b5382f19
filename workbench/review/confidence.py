"""The aligner's per-unit confidence as the curator sees it (Qt-free).

A unit's confidence is the aligner's estimate of the probability that it is exactly right
(in [0, 1]; None where none was estimated: manual units, and units aligned before projects
stored confidences). The review window shows it as a percentage in three bands, CAT-tool
style: high (green), medium (amber), low (red). The band edges are project settings
(``confidence_high``, ``confidence_low``) with the defaults below.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from workbench.project import Project
    from workbench.project.model import Unit

HIGH = 0.9  # at least this: high band
LOW = 0.5  # below this: low band (more likely wrong than right); in between: medium
BANDS = ("high", "medium", "low")
NO_CONFIDENCE = "–"


class UnitFilterLike(Protocol):
    """Which units a view shows (``gui.model.UnitFilter``): what :func:`missing_note` reads."""

    doc_id: int | None
    status: str | None
    order: str
    confidence: tuple[tuple[str, Any], ...]
    shape: str | None


def edges(project: Project | None = None) -> tuple[float, float]:
    """(low, high) band edges: the project's settings, else the defaults."""
    if project is None:
        return LOW, HIGH
    low = float(project.get_setting("confidence_low", LOW))
    high = float(project.get_setting("confidence_high", HIGH))
    return (low, high) if 0.0 <= low <= high <= 1.0 else (LOW, HIGH)


def band(confidence: float | None, low: float = LOW, high: float = HIGH) -> str | None:
    """``high``, ``medium`` or ``low``; None for a unit without a confidence."""
    if confidence is None:
        return None
    if confidence >= high:
        return "high"
    return "medium" if confidence >= low else "low"


def percent(confidence: float | None) -> str:
    """``87 %`` (rounded down, so that a unit just below a band edge never shows the edge and
    only a certain one shows 100 %); ``–`` without a confidence."""
    if confidence is None:
        return NO_CONFIDENCE
    return f"{math.floor(100 * confidence + 1e-9):.0f} %"


def band_filters(low: float = LOW, high: float = HIGH) -> list[tuple[str, dict[str, Any]]]:
    """(label, confidence bounds for ``Project.units``) of the window's confidence filter."""
    lo, hi = f"{100 * low:.0f}", f"{100 * high:.0f}"
    return [
        ("All confidences", {}),
        (f"High (≥ {hi} %)", {"min_confidence": high}),
        (f"Medium ({lo}–{hi} %)", {"min_confidence": low, "below_confidence": high}),
        (f"Low (< {lo} %)", {"below_confidence": low}),
        ("No confidence (–)", {"has_confidence": False}),
    ]


def count_text(expected: float) -> str:
    """An expected count for a preview: ``3.1``, ``0.04`` (small ones keep two decimals)."""
    return f"{expected:.1f}" if expected >= 1 else f"{expected:.2f}"


def expected_wrong(confidences: Iterable[float]) -> float:
    """The expected number of wrong units among these: the sum of 1 − confidence."""
    return float(sum(1.0 - c for c in confidences))


def tooltip(unit: Unit) -> str:
    """The confidence cell's tooltip: the confidence in words and the raw score."""
    score = "no score" if unit.score is None else f"score {unit.score:.3f}"
    if unit.scorer and unit.score is not None:
        score += f" ({unit.scorer})"
    if unit.confidence is None:
        why = {
            "manual": "a unit edited by hand",
            "unaligned": "a sentence left unaligned around the aligner's pairs",
        }.get(unit.method, "aligned before confidences were stored: re-align to estimate one")
        return f"no confidence ({why}); {score}"
    return (
        f"confidence {percent(unit.confidence)}: the aligner's estimated probability that "
        f"this unit is exactly right; {score}"
    )


def missing_note(project: Project | None, unit_filter: UnitFilterLike) -> str:
    """What the window says when its confidence order or filter meets units without a
    confidence ("" when none is affected): how many of the units the filter's document,
    status and shape keep, and why each has none (it said "aligned before confidences were
    stored … re-align" of the sentences a fresh alignment leaves unaligned, which re-aligning
    never gives one)."""
    bounds = dict(unit_filter.confidence)
    by_order = unit_filter.order == "confidence"
    if project is None or not (by_order or bounds) or bounds.get("has_confidence") is False:
        return ""

    def count(method: str | None = None) -> int:
        return project.count_units(
            unit_filter.doc_id,
            status=unit_filter.status,
            shape=getattr(unit_filter, "shape", None),
            method=method,
            has_confidence=False,
        )

    missing = count()
    if not missing:
        return ""
    counts = {m: count(m) for m in ("unaligned", "manual", "imported")}
    counts["old"] = missing - sum(counts.values())
    words = {
        "unaligned": "left unaligned",
        "manual": "edited by hand",
        "imported": "imported",
        "old": "aligned before confidences were stored: re-align to estimate",
    }
    reasons = [(words[k], n) for k, n in counts.items() if n > 0]
    why = reasons[0][0] if len(reasons) == 1 else ", ".join(f"{n} {what}" for what, n in reasons)
    if by_order and not bounds:
        return f"{missing} units have no confidence ({why}): they come last, lowest score first"
    return f"{missing} units have no confidence ({why}) and are in no band: filter “No confidence”"
