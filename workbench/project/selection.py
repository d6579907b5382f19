"""Id- and score-only selections of review units, for navigation and bulk decisions.

``Project.units`` returns whole rows with their texts, which is right for showing them; jumping
to the next unit of some kind, or counting what a bulk decision would touch, needs only ids,
positions and scores, answered by the ``units_position`` / ``units_status`` / ``units_score``
indexes without reading a sentence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import InputError

if TYPE_CHECKING:
    from workbench.project.project import Project

# What makes a unit worth jumping to; ``?`` is the score threshold where one is needed.
KINDS: dict[str, str] = {
    "pending": "status = 'pending'",
    "low_score": "score IS NOT NULL AND score < ?",
    "non_1_1": "NOT (n_src = 1 AND n_tgt = 1)",
    "empty_side": "(n_src = 0 OR n_tgt = 0)",
    "bookmarked": "bookmark = 1",
    "any": "1",
}


def next_of_kind(
    project: Project,
    kind: str,
    doc_id: int | None,
    after: tuple[int, int] | None,
    direction: int = 1,
    threshold: float | None = None,
) -> tuple[int, int, int] | None:
    """(unit id, doc id, position) of the first unit of ``kind`` strictly after (or, with
    ``direction=-1``, before) ``after`` = (doc id, position) in document order; from the
    start (end) when ``after`` is None. Only in ``doc_id`` when given."""
    if kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; choose {', '.join(KINDS)}")
    clauses, params = [KINDS[kind]], []
    if kind == "low_score":
        if threshold is None:
            raise InputError("low_score needs a threshold")
        params.append(threshold)
    if doc_id is not None:
        clauses.append("doc_id = ?")
        params.append(doc_id)
    if after is not None:
        clauses.append(
            "(doc_id, position) > (?, ?)" if direction > 0 else "(doc_id, position) < (?, ?)"
        )
        params.extend(after)
    order = "doc_id, position" if direction > 0 else "doc_id DESC, position DESC"
    sql = f"SELECT id, doc_id, position FROM units WHERE {' AND '.join(clauses)} ORDER BY {order} LIMIT 1"
    with project._mutex:
        row = project._db().execute(sql, params).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def pending_ids(
    project: Project,
    doc_id: int | None = None,
    *,
    min_score: float | None = None,
    below_score: float | None = None,
    before: tuple[int, int] | None = None,
    among: list[int] | None = None,
) -> list[int]:
    """Ids of pending units in document order: scoring at least ``min_score``, strictly
    below ``below_score`` (unscored units never qualify for either), before the position
    ``before`` = (doc id, position), and/or among the given ids."""
    clauses, params = ["status = 'pending'"], []
    if doc_id is not None:
        clauses.append("doc_id = ?")
        params.append(doc_id)
    if min_score is not None:
        clauses.append("score >= ?")
        params.append(min_score)
    if below_score is not None:
        clauses.append("score < ?")
        params.append(below_score)
    if before is not None:
        clauses.append("(doc_id, position) < (?, ?)")
        params.extend(before)
    where = " AND ".join(clauses)
    out: list[int] = []
    with project._mutex:
        conn = project._db()
        if among is None:
            return [
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM units WHERE {where} ORDER BY doc_id, position", params
                )
            ]
        ids = list(dict.fromkeys(among))
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            marks = ",".join("?" * len(chunk))
            out.extend(
                r[0]
                for r in conn.execute(
                    f"SELECT id FROM units WHERE {where} AND id IN ({marks}) ORDER BY doc_id, position",
                    [*params, *chunk],
                )
            )
    return out


def scores(
    project: Project, doc_id: int | None = None, status: str | None = "pending"
) -> list[float]:
    """The scores of the (pending) units, unscored ones left out, for a histogram."""
    clauses, params = ["score IS NOT NULL"], []
    if doc_id is not None:
        clauses.append("doc_id = ?")
        params.append(doc_id)
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    with project._mutex:
        rows = project._db().execute(
            f"SELECT score FROM units WHERE {' AND '.join(clauses)}", params
        )
        return [r[0] for r in rows]


def position_of(project: Project, unit_id: int) -> tuple[int, int]:
    """(doc id, position) of a unit."""
    from workbench.errors import ProjectError

    with project._mutex:
        row = (
            project._db()
            .execute("SELECT doc_id, position FROM units WHERE id = ?", (unit_id,))
            .fetchone()
        )
    if row is None:
        raise ProjectError(f"{project.path}: no unit {unit_id}")
    return row[0], row[1]
