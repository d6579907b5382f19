"""Re-aligning the pending part of a document around the units a curator decided.

Each maximal run of pending units inside the requested range is re-aligned on its own
sentences (split by article, as the aligner would) with the aligner's ``align_article``; the
units on either side of a run (decided ones, or ones outside the range) are fixed anchors and
are not touched. The run's units are replaced in place.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from typing import Any

from workbench.align.anchored import align_gap
from workbench.align.units import AlignmentUnit
from workbench.project import queries
from workbench.project.history import Edit
from workbench.project.model import parse_ids
from workbench.textio import Document


def _pending_runs(rows: list[tuple], start: int | None, end: int | None) -> list[list[tuple]]:
    runs: list[list[tuple]] = []
    current: list[tuple] = []
    for row in rows:
        position, status = row[1], row[4]
        inside = (start is None or position >= start) and (end is None or position <= end)
        if inside and status == "pending":
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
    rows = conn.execute(
        "SELECT id, position, source_ids, target_ids, status FROM units WHERE doc_id = ? "
        "ORDER BY position",
        (doc_id,),
    ).fetchall()
    made = 0
    # Last run first: making room for a run only moves units after it.
    for run in reversed(_pending_runs(rows, start, end)):
        source_ids = sorted({i for r in run for i in parse_ids(r[2])})
        target_ids = sorted({j for r in run for j in parse_ids(r[3])})
        units = align_sentences(aligner, source_ids, target_ids, source, target, mt, mt_reverse)
        ids = [r[0] for r in run]
        edit.touch_units(ids)
        before = queries.neighbour_row(conn, doc_id, run[0][1], -1)
        conn.executemany("DELETE FROM units WHERE id = ?", [(u,) for u in ids])
        after = before[1] if before else run[0][1] - (1 << 20)
        positions = queries.free_positions(conn, edit, doc_id, after, len(units))
        for position, unit in zip(positions, units, strict=True):
            cur = conn.execute(
                queries.INSERT_NEW_UNIT, queries.unit_values(doc_id, position, unit, scorer, None)
            )
            edit.new_unit(int(cur.lastrowid))
        made += len(units)
    return made
