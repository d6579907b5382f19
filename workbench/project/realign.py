"""Re-aligning the aligner's pending suggestions of a document around the curator's units.

Each maximal run of pending suggestions nobody touched (``edited`` = 0, not imported) inside the
requested range is re-aligned on its own sentences (split by article, as the aligner would) with the
aligner's ``align_article``; the units on either side of a run (decided ones, units the
curator made or edited, units outside the range) are fixed anchors and are not touched. The
run's units are replaced in place.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from workbench.align.anchored import align_gap
from workbench.align.units import AlignmentUnit
from workbench.errors import CancelledError
from workbench.project import queries
from workbench.project.confidences import blank_sentences
from workbench.project.history import Edit
from workbench.project.model import parse_ids
from workbench.textio import Document


def _pending_runs(rows: list[tuple], start: int | None, end: int | None) -> list[list[tuple]]:
    runs: list[list[tuple]] = []
    current: list[tuple] = []
    for row in rows:
        position, status, edited = row[1], row[4], row[5]
        inside = (start is None or position >= start) and (end is None or position <= end)
        if inside and status == "pending" and not edited:
            current.append(row)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def align_sentences(
    aligner: Any,
    source_ids: list[int],
    target_ids: list[int],
    source: Document,
    target: Document,
    mt: Document | None,
    mt_reverse: Document | None,
) -> list[AlignmentUnit]:
    """Align some sentences of a document (per article), returning document-level ids."""
    src_starts = [a[0] for a in source.articles]
    tgt_starts = [a[0] for a in target.articles]
    by_article: dict[int, tuple[list[int], list[int]]] = {}
    for i in source_ids:
        by_article.setdefault(bisect_right(src_starts, i) - 1, ([], []))[0].append(i)
    for j in target_ids:
        by_article.setdefault(bisect_right(tgt_starts, j) - 1, ([], []))[1].append(j)
    mts = [mt] if mt is not None else []
    mt_reverses = [mt_reverse] if mt_reverse is not None else []
    out: list[AlignmentUnit] = []
    for article in sorted(by_article):
        s_ids, t_ids = by_article[article]
        out.extend(align_gap(aligner, source, target, mts, mt_reverses, s_ids, t_ids))
    return out


Run = list[tuple]  # a run's unit rows: (id, position, source_ids, target_ids, status, edited)
# A pending unit that is no suggestion of the aligner's: one the curator made or edited, or a
# pair brought in by `project import` (someone's alignment: `project align --doc N` replaces
# those, and says so; a re-alignment of a range used to replace them without a word).
_FIXED = "(edited OR method = 'imported')"


def pending_runs(
    conn: sqlite3.Connection, doc_id: int, start: int | None, end: int | None
) -> list[Run]:
    """The maximal runs of a document's pending suggestions nobody touched (not edited)
    between two positions, in order: what a re-alignment may replace."""
    rows = conn.execute(
        f"SELECT id, position, source_ids, target_ids, status, {_FIXED} FROM units "
        "WHERE doc_id = ? ORDER BY position",
        (doc_id,),
    ).fetchall()
    return _pending_runs(rows, start, end)


def align_runs(
    aligner: Any,
    runs: list[Run],
    source: Document,
    target: Document,
    mt: Document | None,
    mt_reverse: Document | None,
    progress: Callable[[int, int, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[list[AlignmentUnit]]:
    """Each run's sentences aligned anew (no store needed: a worker thread can do this)."""
    out = []
    for k, run in enumerate(runs):
        if cancel is not None and cancel():
            raise CancelledError("re-alignment cancelled")
        if progress is not None:
            progress(k, len(runs), "re-aligning")
        source_ids = sorted({i for r in run for i in parse_ids(r[2])})
        target_ids = sorted({j for r in run for j in parse_ids(r[3])})
        out.append(align_sentences(aligner, source_ids, target_ids, source, target, mt, mt_reverse))
    return out


def _unchanged(conn: sqlite3.Connection, doc_id: int, run: Run) -> bool:
    """Whether a run's units are still there, pending and untouched, with the same sentences,
    side by side."""
    ids = [r[0] for r in run]
    marks = ",".join("?" * len(ids))
    now = {
        row[0]: row
        for row in conn.execute(
            f"SELECT id, position, source_ids, target_ids, status, {_FIXED} FROM units "
            f"WHERE id IN ({marks})",
            ids,
        )
    }
    if any(r[0] not in now or now[r[0]][2:] != tuple(r[2:]) for r in run):
        return False
    positions = [now[i][1] for i in ids]
    (between,) = conn.execute(
        "SELECT COUNT(*) FROM units WHERE doc_id = ? AND position BETWEEN ? AND ?",
        (doc_id, min(positions), max(positions)),
    ).fetchone()
    return between == len(run) and positions == sorted(positions)


def store_runs(
    conn: sqlite3.Connection,
    edit: Edit,
    doc_id: int,
    runs: list[Run],
    aligned: list[list[AlignmentUnit]],
    scorer: str,
) -> tuple[int, int]:
    """Replace each run by its new units; a run changed since it was read (a unit in it
    decided, merged, split, its text fixed) is left as it is. Returns (units made, runs left)."""
    made = left = 0
    blank = blank_sentences(conn, doc_id)
    # Last run first: making room for a run only moves units after it.
    for run, units in reversed(list(zip(runs, aligned, strict=True))):
        if not _unchanged(conn, doc_id, run):
            left += 1
            continue
        ids = [r[0] for r in run]
        (first,) = conn.execute("SELECT position FROM units WHERE id = ?", (ids[0],)).fetchone()
        edit.touch_units(ids)
        before = queries.neighbour_row(conn, doc_id, first, -1)
        conn.executemany("DELETE FROM units WHERE id = ?", [(u,) for u in ids])
        after = before[1] if before else first - (1 << 20)
        positions = queries.free_positions(conn, edit, doc_id, after, len(units))
        for position, unit in zip(positions, units, strict=True):
            cur = conn.execute(
                queries.INSERT_NEW_UNIT,
                queries.unit_values(doc_id, position, unit, scorer, None, blank),
            )
            edit.new_unit(int(cur.lastrowid))
        made += len(units)
    return made, left


def realign_runs(
    conn: sqlite3.Connection,
    edit: Edit,
    aligner: Any,
    doc_id: int,
    source: Document,
    target: Document,
    mt: Document | None,
    mt_reverse: Document | None,
    scorer: str,
    start: int | None,
    end: int | None,
) -> int:
    """Re-align the runs of untouched pending suggestions between two positions at once (in
    one transaction)."""
    runs = pending_runs(conn, doc_id, start, end)
    aligned = align_runs(aligner, runs, source, target, mt, mt_reverse)
    return store_runs(conn, edit, doc_id, runs, aligned, scorer)[0]
