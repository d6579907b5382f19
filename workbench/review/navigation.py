"""Jumping around a project's review units, bookmarks, and regex search and replace (Qt-free).

Jumps are one indexed SQL query each (``Project.next_unit``), so "next pending"
costs the same on the first and the 100,000th unit. Search reads units a page at a time in
document order and stops at the first hit. Replace changes sentence texts only (source or
target; the machine translation is not the curator's to fix) through the store's text fixes,
so it is journalled and one undo step.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from workbench.errors import InputError

if TYPE_CHECKING:
    from workbench.project import Project
    from workbench.project.model import Unit

# What makes a unit worth jumping to, as ``Project.next_unit`` filters; low_score also
# needs the threshold (a score strictly below it), low_confidence a confidence threshold (and,
# for units without a confidence, a score threshold to fall back on).
KINDS: dict[str, dict] = {
    "pending": {"status": "pending"},
    "low_score": {},
    "low_confidence": {},
    "non_1_1": {"shape": "non-1-1"},
    "empty_side": {"shape": "empty-side"},
    "bookmarked": {"bookmarked": True},
}
PANES = {
    "any": ("source_text", "mt_text", "target_text"),
    "source": ("source_text",),
    "mt": ("mt_text",),
    "target": ("target_text",),
}
_PAGE = 500


def next_unit(
    project: Project,
    kind: str,
    from_unit: int | None = None,
    *,
    doc_id: int | None = None,
    backwards: bool = False,
    threshold: float | None = None,
    wrap: bool = True,
    score_threshold: float | None = None,
) -> Unit | None:
    """The next (previous) unit of ``kind`` after (before) unit ``from_unit`` in document
    order, wrapping round once; None when there is none. Kinds: pending, low_score (score
    below ``threshold``), low_confidence (confidence below ``threshold``; with
    ``score_threshold``, a unit without a confidence counts when its score is below that),
    non_1_1, empty_side, bookmarked."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; choose {', '.join(KINDS)}")
    filters = dict(KINDS[kind])
    if kind == "low_score":
        if threshold is None:
            raise InputError("low_score needs a threshold")
        filters["below_score"] = threshold
    if kind == "low_confidence":
        if threshold is None:
            raise InputError("low_confidence needs a threshold")
        if score_threshold is None:
            filters["below_confidence"] = threshold
        else:
            filters["low_confidence"] = (threshold, score_threshold)
    start = _place(project, from_unit)
    direction = -1 if backwards else 1
    found = project.next_unit(doc_id, start, direction=direction, **filters)
    if found is None and wrap and start is not None:
        found = project.next_unit(doc_id, None, direction=direction, **filters)
    return found


def _place(project: Project, unit_id: int | None) -> tuple[int, int] | None:
    """(doc id, position) of a unit: its place in document order."""
    if unit_id is None:
        return None
    unit = project.unit(unit_id)
    return unit.doc_id, unit.position


def bookmarks(project: Project, doc_id: int | None = None) -> list[Unit]:
    """Bookmarked units in document order (with their notes)."""
    return project.units(doc_id, bookmarked=True)


def toggle_bookmark(project: Project, unit_id: int, note: str | None = None) -> bool:
    """Bookmark a unit (with ``note``), or, with no note given, remove its bookmark if it has
    one. Returns whether the unit is bookmarked now. Journalled and undoable by the store."""
    unit = project.unit(unit_id)
    on = note is not None or not unit.bookmark
    project.set_bookmark(unit_id, on, note or "")
    return on


def compile_pattern(pattern: str, *, ignore_case: bool = True) -> re.Pattern[str]:
    if not pattern:
        raise InputError("empty search pattern")
    try:
        return re.compile(pattern, re.IGNORECASE if ignore_case else 0)
    except re.error as exc:
        raise InputError(f"bad regular expression {pattern!r}: {exc}") from None


def search(
    project: Project,
    pattern: str,
    pane: str = "any",
    from_unit: int | None = None,
    *,
    doc_id: int | None = None,
    backwards: bool = False,
    ignore_case: bool = True,
    wrap: bool = True,
) -> Unit | None:
    """The next (previous) unit after ``from_unit`` whose text in ``pane`` (any, source, mt,
    target) matches the regular expression; None when none does."""
    if pane not in PANES:
        raise InputError(f"unknown pane {pane!r}; choose {', '.join(PANES)}")
    regex = compile_pattern(pattern, ignore_case=ignore_case)
    fields = PANES[pane]
    start = _place(project, from_unit)

    def hit(u: Unit) -> bool:
        return any(regex.search(getattr(u, f) or "") for f in fields)

    for u in _walk(project, doc_id, start, backwards):
        if hit(u):
            return u
    if wrap and start is not None:
        for u in _walk(project, doc_id, None, backwards):
            if hit(u):  # the start unit itself comes last
                return u
            if (u.doc_id, u.position) == start:
                break
    return None


def _walk(project: Project, doc_id: int | None, start: tuple[int, int] | None, backwards: bool):
    """Units in document order from just after (before) ``start``, a page at a time."""
    docs = [d.id for d in project.documents() if doc_id is None or d.id == doc_id]
    if backwards:
        docs.reverse()
    for d in docs:
        if start is not None and (d < start[0] if not backwards else d > start[0]):
            continue
        if not backwards:
            after = start[1] if start is not None and d == start[0] else None
            while True:
                page = project.units(d, after=after, limit=_PAGE)
                yield from page
                if len(page) < _PAGE:
                    break
                after = page[-1].position
        else:
            # Backwards is rarer: read the document's units up to the start page by page and
            # go through each page in reverse.
            limit = start[1] if start is not None and d == start[0] else None
            pages, after = [], None
            while True:
                page = project.units(d, after=after, limit=_PAGE)
                page = [u for u in page if limit is None or u.position < limit]
                if page:
                    pages.append(page)
                if len(page) < _PAGE:
                    break
                after = page[-1].position
            for page in reversed(pages):
                yield from reversed(page)


def planned_replacements(
    project: Project,
    doc_id: int,
    side: str,
    pattern: str,
    replacement: str,
    *,
    sentence_ids: list[int] | None = None,
    ignore_case: bool = True,
) -> dict[int, str]:
    """{sentence id: new text} for the sentences a replace would change (nothing written)."""
    if side not in ("source", "target"):
        raise InputError(f"can only replace in source or target text, not {side!r}")
    regex = compile_pattern(pattern, ignore_case=ignore_case)
    sentences = (project.source if side == "source" else project.target)(doc_id).sentences
    wanted = range(len(sentences)) if sentence_ids is None else sentence_ids
    changes = {}
    for i in wanted:
        if not 0 <= i < len(sentences):
            raise InputError(f"document {doc_id} has no {side} sentence {i}")
        try:
            new = regex.sub(replacement, sentences[i])
        except (re.error, IndexError) as exc:
            raise InputError(f"bad replacement {replacement!r}: {exc}") from None
        if "\n" in new or "\r" in new:
            raise InputError("a replacement cannot put a line break in a sentence")
        if new != sentences[i]:
            changes[i] = new
    return changes


def replace_in_sentences(
    project: Project,
    doc_id: int,
    side: str,
    pattern: str,
    replacement: str,
    *,
    sentence_ids: list[int] | None = None,
    ignore_case: bool = True,
) -> int:
    """Replace the regex's matches in a side's sentences (all, or ``sentence_ids``) as one
    undo step; returns how many sentences changed. ``replacement`` may use ``\\1``/``\\g<name>``."""
    changes = planned_replacements(
        project,
        doc_id,
        side,
        pattern,
        replacement,
        sentence_ids=sentence_ids,
        ignore_case=ignore_case,
    )
    return project.edit_sentences(doc_id, side, changes) if changes else 0
