"""SQL for review units: filters, pages with their texts, positions, statistics.

Units are ordered by ``(doc_id, position)`` (a unique index); positions are sparse integers
so that a split or a moved sentence can take a free position between two units without
renumbering the document. Texts are fetched per page, only for the sentences on the page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workbench.errors import InputError, ProjectError
from workbench.project.confidences import pair_confidence, unit_confidence
from workbench.project.history import Edit
from workbench.project.model import (
    STATUSES,
    DocumentInfo,
    Ids,
    ProjectStats,
    SampleItem,
    Unit,
    ids_text,
    parse_ids,
)
from workbench.textio import join_sentences

_COLUMNS = (
    "id, doc_id, position, source_ids, target_ids, score, scorer, method, status, "
    "decided_at, bookmark, bookmark_note, confidence, edited"
)
INSERT_NEW_UNIT = (
    "INSERT INTO units (doc_id, position, source_ids, target_ids, src_lo, src_hi, n_src, "
    "tgt_lo, tgt_hi, n_tgt, score, scorer, method, run_id, confidence) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# Unit shapes to filter on (navigation: "next non-1–1 unit", "next unit with an empty side").
SHAPES = {
    "1-1": "n_src = 1 AND n_tgt = 1",
    "non-1-1": "NOT (n_src = 1 AND n_tgt = 1)",
    "empty-side": "(n_src = 0 OR n_tgt = 0)",
    "pair": "n_src > 0 AND n_tgt > 0",
}
_ORDERS = {
    "position": "doc_id, position",
    "score": "score IS NULL, score, doc_id, position",
    "-score": "score IS NULL, score DESC, doc_id, position",
    # Least confident first; units without a confidence (aligned before confidences were
    # stored, or manual) follow, lowest score first.
    "confidence": "confidence IS NULL, confidence, score IS NULL, score, doc_id, position",
}


def id_columns(source: Ids, target: Ids) -> tuple:
    """source_ids, target_ids, src_lo, src_hi, n_src, tgt_lo, tgt_hi, n_tgt."""
    return (
        ids_text(source),
        ids_text(target),
        min(source) if source else None,
        max(source) if source else None,
        len(source),
        min(target) if target else None,
        max(target) if target else None,
        len(target),
    )


def unit_values(
    doc_id: int,
    position: int,
    unit: Any,
    scorer: str,
    run_id: int | None,
    blank: tuple[frozenset[int], frozenset[int]] | None = None,
) -> tuple:
    """The INSERT_NEW_UNIT values of an AlignmentUnit; ``blank``: the document's empty
    sentences (:func:`~workbench.project.confidences.blank_sentences`), whose pairs get no
    confidence."""
    return (
        doc_id,
        position,
        *id_columns(tuple(unit.source), tuple(unit.target)),
        unit.score,
        scorer if unit.score is not None else "",
        unit.method,
        run_id,
        pair_confidence(unit, unit_confidence(unit), blank),
    )


def set_unit_ids(
    conn: sqlite3.Connection, unit_id: int, source: Ids, target: Ids, *, keep: bool = False
) -> None:
    """Give a unit new sentences: it becomes a manual, unscored, pending unit (``keep``: the
    same text re-segmented, so its score and decision stay). Either way the curator made it
    (``edited``: re-aligning keeps it)."""
    if keep:
        conn.execute(
            "UPDATE units SET source_ids = ?, target_ids = ?, src_lo = ?, src_hi = ?, n_src = ?, "
            "tgt_lo = ?, tgt_hi = ?, n_tgt = ?, edited = 1 WHERE id = ?",
            (*id_columns(source, target), unit_id),
        )
        return
    conn.execute(
        "UPDATE units SET source_ids = ?, target_ids = ?, src_lo = ?, src_hi = ?, n_src = ?, "
        "tgt_lo = ?, tgt_hi = ?, n_tgt = ?, score = NULL, scorer = '', method = 'manual', "
        "confidence = NULL, status = 'pending', decided_at = NULL, edited = 1 WHERE id = ?",
        (*id_columns(source, target), unit_id),
    )


def unit_with_sentence(
    conn: sqlite3.Connection, doc_id: int, side: int, idx: int
) -> tuple[int, Ids, Ids, int] | None:
    """(id, source ids, target ids, position) of the unit holding a sentence, if any."""
    lo, hi = ("src_lo", "src_hi") if side == 0 else ("tgt_lo", "tgt_hi")
    for uid, s, t, position in conn.execute(
        f"SELECT id, source_ids, target_ids, position FROM units WHERE doc_id = ? "
        f"AND {lo} <= ? AND {hi} >= ?",
        (doc_id, idx, idx),
    ):
        ids = (parse_ids(s), parse_ids(t))
        if idx in ids[side]:
            return uid, ids[0], ids[1], position
    return None


def insert_manual_unit(
    conn: sqlite3.Connection, doc_id: int, position: int, source: Ids, target: Ids
) -> int:
    cur = conn.execute(
        INSERT_NEW_UNIT,
        (doc_id, position, *id_columns(source, target), None, "", "manual", None, None),
    )
    conn.execute("UPDATE units SET edited = 1 WHERE id = ?", (cur.lastrowid,))
    return int(cur.lastrowid)


def mark_edited(
    conn: sqlite3.Connection, edit: Edit, doc_id: int, side: int, idxs: Sequence[int]
) -> None:
    """The units holding sentences whose text the curator fixed are the curator's (kept when
    the document is re-aligned); their decisions and scores stay. One pass over the units
    that may hold them (a replace-all fixes many sentences at once)."""
    wanted = set(idxs)
    if not wanted:
        return
    ids, lo, hi = (
        ("source_ids", "src_lo", "src_hi") if side == 0 else ("target_ids", "tgt_lo", "tgt_hi")
    )
    rows = conn.execute(
        f"SELECT id, {ids} FROM units WHERE doc_id = ? AND edited = 0 AND {hi} >= ? AND {lo} <= ?",
        (doc_id, min(wanted), max(wanted)),
    ).fetchall()
    marked = [uid for uid, text in rows if not wanted.isdisjoint(parse_ids(text))]
    if marked:
        edit.touch_units(marked)
        conn.executemany("UPDATE units SET edited = 1 WHERE id = ?", [(u,) for u in marked])


def neighbour_row(
    conn: sqlite3.Connection, doc_id: int, position: int, direction: int
) -> tuple | None:
    if direction > 0:
        sql = "SELECT id, position FROM units WHERE doc_id = ? AND position > ? ORDER BY position LIMIT 1"
    else:
        sql = "SELECT id, position FROM units WHERE doc_id = ? AND position < ? ORDER BY position DESC LIMIT 1"
    return conn.execute(sql, (doc_id, position)).fetchone()


def position_before_first(conn: sqlite3.Connection, doc_id: int) -> int:
    row = conn.execute("SELECT MIN(position) FROM units WHERE doc_id = ?", (doc_id,)).fetchone()
    return (row[0] or 0) - (1 << 20)


def free_positions(
    conn: sqlite3.Connection, edit: Edit, doc_id: int, after: int, count: int
) -> list[int]:
    """``count`` increasing free positions right after position ``after``.

    When the next unit is too close, the following units are spread out over a wider
    interval (doubling the window until it has room); moved units are recorded in ``edit``.
    """
    window = 0
    while True:
        rows = conn.execute(
            "SELECT id, position FROM units WHERE doc_id = ? AND position > ? "
            "ORDER BY position LIMIT ?",
            (doc_id, after, window + 1),
        ).fetchall()
        moved, limit_row = rows[:window], rows[window:]
        limit = limit_row[0][1] if limit_row else after + (count + len(moved) + 1) * (1 << 20)
        slots = count + len(moved)
        step = (limit - after) // (slots + 1)
        if step >= 1:
            break
        window = max(1, window * 2)
    if moved:
        edit.touch_units([u for u, _p in moved])
        conn.executemany(
            "UPDATE units SET position = -(1 << 52) - id WHERE id = ?", [(u,) for u, _ in moved]
        )
        conn.executemany(
            "UPDATE units SET position = ? WHERE id = ?",
            [(after + step * (count + k + 1), u) for k, (u, _p) in enumerate(moved)],
        )
    return [after + step * (k + 1) for k in range(count)]


def unit_filter(
    doc_id: int | None,
    status: str | None,
    min_score: float | None,
    max_score: float | None,
    bookmarked: bool | None = None,
    shape: str | None = None,
    *,
    below_score: float | None = None,
    min_confidence: float | None = None,
    below_confidence: float | None = None,
    has_confidence: bool | None = None,
    low_confidence: tuple[float, float] | None = None,
    method: str | None = None,
    has_score: bool | None = None,
) -> tuple[str, list]:
    """WHERE clause and parameters; ``max_score`` is inclusive, ``below_score`` exclusive
    (a low-score threshold); an unscored unit matches no score bound, a unit without a
    confidence no confidence bound. ``low_confidence`` = (c, s): confidence below c, or,
    for a unit without a confidence, score below s (navigation falls back to the score).
    ``method``: the step that made the unit (``manual`` for the curator's, ``imported``…)."""
    clauses, params = [], []
    if shape is not None:
        if shape not in SHAPES:
            raise InputError(f"unknown unit shape {shape!r}; choose {', '.join(SHAPES)}")
        clauses.append(SHAPES[shape])
    if doc_id is not None:
        clauses.append("doc_id = ?")
        params.append(doc_id)
    if status is not None:
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; choose {', '.join(STATUSES)}")
        clauses.append("status = ?")
        params.append(status)
    if min_score is not None:
        clauses.append("score >= ?")
        params.append(min_score)
    if max_score is not None:
        clauses.append("score <= ?")
        params.append(max_score)
    if below_score is not None:
        clauses.append("score < ?")
        params.append(below_score)
    if min_confidence is not None:
        clauses.append("confidence >= ?")
        params.append(min_confidence)
    if below_confidence is not None:
        clauses.append("confidence < ?")
        params.append(below_confidence)
    if has_confidence is not None:
        clauses.append(f"confidence IS {'NOT ' if has_confidence else ''}NULL")
    if low_confidence is not None:
        clauses.append("(confidence < ? OR (confidence IS NULL AND score < ?))")
        params.extend(low_confidence)
    if bookmarked is not None:
        clauses.append("bookmark = ?")
        params.append(int(bookmarked))
    if method is not None:
        clauses.append("method = ?")
        params.append(method)
    if has_score is not None:
        clauses.append(f"score IS {'NOT ' if has_score else ''}NULL")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def units(
    conn: sqlite3.Connection,
    doc_id: int | None,
    status: str | None,
    min_score: float | None,
    max_score: float | None,
    offset: int,
    limit: int | None,
    order: str,
    after: int | None,
    bookmarked: bool | None = None,
    shape: str | None = None,
    **confidence: Any,
) -> list[Unit]:
    """A page of units; ``confidence``: the confidence bounds of :func:`unit_filter`."""
    if order not in _ORDERS:
        raise InputError(f"unknown order {order!r}; choose {', '.join(_ORDERS)}")
    where, params = unit_filter(
        doc_id, status, min_score, max_score, bookmarked, shape, **confidence
    )
    if after is not None:
        if doc_id is None or order != "position":
            raise InputError("paging with after= needs a document and position order")
        where += " AND position > ?"
        params.append(after)
    sql = f"SELECT {_COLUMNS} FROM units {where} ORDER BY {_ORDERS[order]} LIMIT ? OFFSET ?"
    rows = conn.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
    return with_texts(conn, rows)


def unit(conn: sqlite3.Connection, unit_id: int, path: Path | str = "project") -> Unit:
    row = conn.execute(f"SELECT {_COLUMNS} FROM units WHERE id = ?", (unit_id,)).fetchone()
    if row is None:
        raise ProjectError(f"{path}: no unit {unit_id}")
    return with_texts(conn, [row])[0]


def statuses(conn: sqlite3.Connection, unit_ids: list[int]) -> dict[int, tuple[str, int]]:
    out: dict[int, tuple[str, int]] = {}
    for start in range(0, len(unit_ids), 900):
        chunk = unit_ids[start : start + 900]
        rows = conn.execute(
            f"SELECT id, status, doc_id FROM units WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        out.update({r[0]: (r[1], r[2]) for r in rows})
    return out


def latest_translation(conn: sqlite3.Connection, doc_id: int, side: int) -> tuple[int, str] | None:
    return conn.execute(
        "SELECT id, translator FROM translations WHERE doc_id = ? AND side = ? "
        "ORDER BY id DESC LIMIT 1",
        (doc_id, side),
    ).fetchone()


def _texts(
    conn: sqlite3.Connection, table: str, key_sql: str, key: tuple, ids: Sequence[int]
) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = sorted(set(ids))
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        rows = conn.execute(
            f"SELECT idx, text FROM {table} WHERE {key_sql} AND idx IN "
            f"({','.join('?' * len(chunk))})",
            [*key, *chunk],
        )
        out.update(rows)
    return out


def with_texts(conn: sqlite3.Connection, rows: list[tuple]) -> list[Unit]:
    """Units for rows of ``_COLUMNS``, with the texts of just their sentences."""
    by_doc: dict[int, tuple[list[int], list[int]]] = {}
    parsed = []
    for row in rows:
        src, tgt = parse_ids(row[3]), parse_ids(row[4])
        parsed.append((src, tgt))
        lists = by_doc.setdefault(row[1], ([], []))
        lists[0].extend(src)
        lists[1].extend(tgt)
    texts: dict[int, tuple[dict[int, str], dict[int, str], dict[int, str]]] = {}
    for doc_id, (src, tgt) in by_doc.items():
        sentence_key = "doc_id = ? AND side = ?"
        source = _texts(conn, "sentences", sentence_key, (doc_id, 0), src)
        target = _texts(conn, "sentences", sentence_key, (doc_id, 1), tgt)
        latest = latest_translation(conn, doc_id, 0)
        mt = (
            _texts(conn, "translation_sentences", "translation_id = ?", (latest[0],), src)
            if latest
            else {}
        )
        texts[doc_id] = (source, target, mt)
    out = []
    for row, (src, tgt) in zip(rows, parsed, strict=True):
        source, target, mt = texts[row[1]]
        out.append(
            Unit(
                id=row[0],
                doc_id=row[1],
                position=row[2],
                source_ids=src,
                target_ids=tgt,
                source_text=join_sentences(source.get(i, "") for i in src),
                target_text=join_sentences(target.get(j, "") for j in tgt),
                mt_text=join_sentences(mt.get(i, "") for i in src) if mt else "",
                score=row[5],
                scorer=row[6],
                method=row[7],
                status=row[8],
                decided_at=row[9],
                bookmark=bool(row[10]),
                bookmark_note=row[11],
                confidence=row[12],
                edited=bool(row[13]),
            )
        )
    return out


def export_page(
    conn: sqlite3.Connection,
    doc_id: int,
    statuses: tuple[str, ...],
    min_score: float | None,
    after: int | None,
    size: int,
    min_confidence: float | None = None,
) -> list[Unit]:
    clauses = [
        "doc_id = ?",
        f"status IN ({','.join('?' * len(statuses))})",
        "n_src > 0",
        "n_tgt > 0",
    ]
    params: list = [doc_id, *statuses]
    if min_score is not None:
        clauses.append("score >= ?")
        params.append(min_score)
    if min_confidence is not None:
        clauses.append("confidence >= ?")
        params.append(min_confidence)
    if after is not None:
        clauses.append("position > ?")
        params.append(after)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM units WHERE {' AND '.join(clauses)} ORDER BY position LIMIT ?",
        [*params, size],
    ).fetchall()
    return with_texts(conn, rows)


def stats(conn: sqlite3.Connection, doc_id: int | None, docs: list[DocumentInfo]) -> ProjectStats:
    where, params = ("WHERE doc_id = ?", [doc_id]) if doc_id is not None else ("", [])
    counts = dict.fromkeys(STATUSES, 0)
    aligned_s = aligned_t = pairs = 0
    for status, n, n_src, n_tgt, n_pairs in conn.execute(
        "SELECT status, COUNT(*), SUM(CASE WHEN n_tgt > 0 THEN n_src ELSE 0 END), "
        "SUM(CASE WHEN n_src > 0 THEN n_tgt ELSE 0 END), SUM(n_src > 0 AND n_tgt > 0) "
        f"FROM units {where} GROUP BY status",
        params,
    ):
        counts[status] = n
        if status == "accepted":
            aligned_s, aligned_t, pairs = n_src or 0, n_tgt or 0, n_pairs or 0
    chosen = [d for d in docs if doc_id is None or d.id == doc_id]
    if doc_id is not None and not chosen:
        raise ProjectError(f"no document {doc_id}")
    return ProjectStats(
        accepted=counts["accepted"],
        rejected=counts["rejected"],
        pending=counts["pending"],
        aligned_source=aligned_s,
        total_source=sum(d.n_source for d in chosen),
        aligned_target=aligned_t,
        total_target=sum(d.n_target for d in chosen),
        accepted_pairs=pairs,
    )


def sample_items(conn: sqlite3.Connection, sample_id: int) -> list[SampleItem]:
    rows = conn.execute(
        "SELECT i.k, i.doc_id, i.source_ids, i.target_ids, j.verdict FROM sample_items i "
        "LEFT JOIN judgements j ON j.doc_id = i.doc_id AND j.source_ids = i.source_ids "
        "AND j.target_ids = i.target_ids WHERE i.sample_id = ? ORDER BY i.k",
        (sample_id,),
    ).fetchall()
    if (
        not rows
        and conn.execute("SELECT 1 FROM samples WHERE id = ?", (sample_id,)).fetchone() is None
    ):
        raise ProjectError(f"no sample {sample_id}")
    out = []
    by_doc: dict[int, tuple[list[int], list[int]]] = {}
    for _k, d, s, t, _v in rows:
        lists = by_doc.setdefault(d, ([], []))
        lists[0].extend(parse_ids(s))
        lists[1].extend(parse_ids(t))
    texts = {
        d: (
            _texts(conn, "sentences", "doc_id = ? AND side = ?", (d, 0), s),
            _texts(conn, "sentences", "doc_id = ? AND side = ?", (d, 1), t),
        )
        for d, (s, t) in by_doc.items()
    }
    for k, d, s, t, verdict in rows:
        src, tgt = parse_ids(s), parse_ids(t)
        out.append(
            SampleItem(
                k,
                d,
                src,
                tgt,
                join_sentences(texts[d][0].get(i, "") for i in src),
                join_sentences(texts[d][1].get(j, "") for j in tgt),
                verdict,
            )
        )
    return out
