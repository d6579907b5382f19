"""A unit's stored confidence: the aligner's, checked; none for a pair with an empty side.

Pairs with an empty side: a blank line (an empty sentence, a paragraph break) aligned
with a blank line or with a sentence. Such a pair is no translation pair: it is stored
without a confidence (the aligner's P(exactly right) says nothing a curator can use) and
``project export`` leaves it out unless asked (docs/bad-input.md, "Curator trust")."""

from __future__ import annotations

import sqlite3
from typing import Any

from workbench.errors import InputError

Blank = tuple[frozenset[int], frozenset[int]]


def blank_sentences(conn: sqlite3.Connection, doc_id: int) -> Blank:
    """The ids of a document's empty sentences (blank lines), source side and target side."""
    sides: tuple[set[int], set[int]] = (set(), set())
    for side, idx in conn.execute(
        "SELECT side, idx FROM sentences WHERE doc_id = ? AND text = ''", (doc_id,)
    ):
        sides[side].add(idx)
    return frozenset(sides[0]), frozenset(sides[1])


def pair_confidence(unit: Any, confidence: float | None, blank: Blank | None) -> float | None:
    """``confidence``, or None for a pair (both sides hold sentences) with an empty side."""
    if blank is None or not unit.source or not unit.target:
        return confidence
    if all(i in blank[0] for i in unit.source) or all(j in blank[1] for j in unit.target):
        return None
    return confidence


def unit_confidence(unit: Any) -> float | None:
    """An AlignmentUnit's confidence as stored: a float in [0, 1], or None (not estimated)."""
    value = getattr(unit, "confidence", None)
    if value is None:
        return None
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise InputError(f"unit {unit}: confidence {value} is not a probability in [0, 1]")
    return value
