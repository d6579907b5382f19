"""Review units: queries, decisions, bookmarks, scores, and reshaping units (merge, split,
moving a sentence between neighbours).

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from workbench.errors import InputError, ProjectError
from workbench.project import history, queries
from workbench.project.base import StoreBase, _side
from workbench.project.model import STATUSES, Ids, Unit, ids_text


class UnitStore(StoreBase):
    """Units and decisions."""

    def count_units(
        self,
        doc_id: int | None = None,
        *,
        status: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        below_score: float | None = None,
        **confidence: Any,
    ) -> int:
        """How many units match; ``shape``: 1-1, non-1-1, empty-side or pair; ``max_score``
        is inclusive, ``below_score`` exclusive; ``confidence``: min_confidence,
        below_confidence, has_confidence, low_confidence (:func:`queries.unit_filter`)."""
        where, params = queries.unit_filter(
            doc_id,
            status,
            min_score,
            max_score,
            bookmarked,
            shape,
            below_score=below_score,
            **confidence,
        )
        with self._mutex:
            return self._db().execute(f"SELECT COUNT(*) FROM units {where}", params).fetchone()[0]

    def unit_ids(
        self,
        doc_id: int | None = None,
        *,
        status: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        start_position: int | None = None,
        end_position: int | None = None,
        below_score: float | None = None,
        before: tuple[int, int] | None = None,
        among: Sequence[int] | None = None,
        **confidence: Any,
    ) -> list[int]:
        """Ids of the matching units in document order, without their texts (for bulk
        decisions): ``below_score`` exclusive, ``before`` = (doc id, position) strictly
        earlier in document order, ``among`` only these ids; confidence bounds as
        :meth:`count_units`."""
        where, params = queries.unit_filter(
            doc_id,
            status,
            min_score,
            max_score,
            bookmarked,
            shape,
            below_score=below_score,
            **confidence,
        )
        for op, value in ((">=", start_position), ("<=", end_position)):
            if value is not None:
                where += f" {'AND' if where else 'WHERE'} position {op} ?"
                params.append(value)
        if before is not None:
            where += f" {'AND' if where else 'WHERE'} (doc_id, position) < (?, ?)"
            params.extend(before)
        with self._mutex:
            conn = self._db()
            if among is None:
                rows = conn.execute(
                    f"SELECT id FROM units {where} ORDER BY doc_id, position", params
                )
                return [r[0] for r in rows]
            ids = list(dict.fromkeys(among))
            found: list[tuple[int, int, int]] = []
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                found.extend(
                    conn.execute(
                        f"SELECT doc_id, position, id FROM units {where} "
                        f"{'AND' if where else 'WHERE'} id IN ({','.join('?' * len(chunk))})",
                        [*params, *chunk],
                    )
                )
            return [r[2] for r in sorted(found)]

    def scores(self, doc_id: int | None = None, *, status: str | None = None) -> list[float]:
        """The scores of the matching scored units (for a threshold histogram)."""
        where, params = queries.unit_filter(doc_id, status, None, None)
        where += f" {'AND' if where else 'WHERE'} score IS NOT NULL"
        with self._mutex:
            return [r[0] for r in self._db().execute(f"SELECT score FROM units {where}", params)]

    def next_unit(
        self,
        doc_id: int | None,
        position: int | tuple[int, int] | None,
        *,
        direction: int = 1,
        status: str | None = None,
        max_score: float | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        below_score: float | None = None,
        **confidence: Any,
    ) -> Unit | None:
        """The first matching unit after (direction 1) or before (-1) a position, or None
        (navigation: next pending, low-score, non-1-1, empty-side or bookmarked unit).

        ``position`` is a position in ``doc_id``, or a (doc id, position) place in document
        order, which also works across documents (``doc_id`` None); None starts at the start
        (end). ``max_score`` is inclusive, ``below_score`` exclusive; confidence bounds as
        :meth:`count_units`."""
        where, params = queries.unit_filter(
            doc_id,
            status,
            None,
            max_score,
            bookmarked,
            shape,
            below_score=below_score,
            **confidence,
        )
        if position is not None:
            column = "(doc_id, position)" if isinstance(position, tuple) else "position"
            marks = "(?, ?)" if isinstance(position, tuple) else "?"
            op = ">" if direction > 0 else "<"
            where += f" {'AND' if where else 'WHERE'} {column} {op} {marks}"
            params.extend(position if isinstance(position, tuple) else [position])
        order = "doc_id, position" if direction > 0 else "doc_id DESC, position DESC"
        with self._mutex:
            conn = self._db()
            row = conn.execute(
                f"SELECT id FROM units {where} ORDER BY {order} LIMIT 1", params
            ).fetchone()
            return None if row is None else queries.unit(conn, row[0], self.path)

    def units(
        self,
        doc_id: int | None = None,
        *,
        status: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str = "position",
        after: int | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        **confidence: Any,
    ) -> list[Unit]:
        """A page of review rows. ``order``: position, score, -score or confidence (least
        confident first; units without one after them, by score); confidence bounds as
        :meth:`count_units`.

        ``after`` (a position; with ``doc_id`` and position order) pages by index seek,
        which stays fast deep into a large document where ``offset`` has to count rows.
        """
        with self._mutex:
            return queries.units(
                self._db(),
                doc_id,
                status,
                min_score,
                max_score,
                offset,
                limit,
                order,
                after,
                bookmarked,
                shape,
                **confidence,
            )

    def unit(self, unit_id: int) -> Unit:
        with self._mutex:
            return queries.unit(self._db(), unit_id, self.path)

    def neighbour(self, unit_id: int, direction: int = 1) -> Unit | None:
        """The next (1) or previous (-1) unit of the same document."""
        with self._mutex:
            conn = self._db()
            u = queries.unit(conn, unit_id, self.path)
            row = queries.neighbour_row(conn, u.doc_id, u.position, direction)
            return None if row is None else queries.unit(conn, row[0], self.path)

    def decide(self, unit_id: int, status: str) -> None:
        """Accept, reject or reset (``pending``) a unit; on disk when this returns."""
        self.decide_many([unit_id], status, action="decide")

    def decide_many(
        self, unit_ids: Iterable[int], status: str, *, action: str = "decide many"
    ) -> int:
        """Decide several units as one undo step; returns how many changed."""
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; choose {', '.join(STATUSES)}")
        ids = list(dict.fromkeys(int(u) for u in unit_ids))
        with self._write() as conn:
            current = queries.statuses(conn, ids)
            missing = [u for u in ids if u not in current]
            if missing:
                raise ProjectError(f"{self.path}: no unit {missing[0]}")
            changed = [u for u in ids if current[u][0] != status]
            if not changed:
                return 0
            docs = {current[u][1] for u in changed}
            edit = history.Edit(conn, action, docs.pop() if len(docs) == 1 else None)
            edit.set_statuses(changed, status, None if status == "pending" else time.time())
            edit.finish(self.reviewer)
        return len(changed)

    def update_scores(
        self,
        unit_ids: Sequence[int],
        scores: Sequence[float | None],
        scorer: str,
        *,
        layouts: Sequence[tuple[Ids, Ids]] | None = None,
    ) -> int:
        """Give pending units new scores from ``scorer`` (e.g. after retraining the embedding);
        returns how many were updated.

        Scores are not curator decisions: no undo step, but one journal entry. Decided units
        keep the score they were decided with (ids of decided units are skipped).
        ``layouts``: the (source ids, target ids) each score was computed for (scored in the
        background); a unit whose sentences changed since (merged, split) is skipped too.
        """
        ids = [int(u) for u in unit_ids]
        if len(ids) != len(scores) or (layouts is not None and len(layouts) != len(ids)):
            raise InputError(f"update_scores: {len(ids)} unit ids but {len(scores)} scores")
        values = [
            (None if s is None else float(s), scorer if s is not None else "", u)
            for u, s in zip(ids, scores, strict=True)
        ]
        sql = "UPDATE units SET score = ?, scorer = ? WHERE id = ? AND status = 'pending'"
        if layouts is not None:
            sql += " AND source_ids = ? AND target_ids = ?"
            values = [
                (*v, ids_text(src), ids_text(tgt))
                for v, (src, tgt) in zip(values, layouts, strict=True)
            ]
        with self._write() as conn:
            changed = conn.executemany(sql, values).rowcount
            history.write_journal(
                conn,
                self.reviewer,
                "rescore",
                None,
                [],
                {},
                {"scorer": scorer, "units": changed},
                time.time(),
            )
        return int(changed)

    def set_bookmark(self, unit_id: int, on: bool = True, note: str = "") -> None:
        with self._write() as conn:
            u = queries.unit(conn, unit_id, self.path)
            edit = history.Edit(conn, "bookmark" if on else "remove bookmark", u.doc_id)
            edit.touch_units([unit_id])
            conn.execute(
                "UPDATE units SET bookmark = ?, bookmark_note = ? WHERE id = ?",
                (int(on), note if on else "", unit_id),
            )
            edit.finish(self.reviewer)

    def merge_with_next(self, unit_id: int) -> int:
        """Merge a unit with the next one of its document (pending); returns the merged id."""
        with self._write() as conn:
            a = queries.unit(conn, unit_id, self.path)
            row = queries.neighbour_row(conn, a.doc_id, a.position, 1)
            if row is None:
                raise ProjectError(f"unit {unit_id} is the last of its document; nothing follows")
            b = queries.unit(conn, row[0], self.path)
            self._check_one_article(
                a.doc_id, a.source_ids + b.source_ids, a.target_ids + b.target_ids
            )
            edit = history.Edit(conn, "merge", a.doc_id)
            edit.touch_units([a.id, b.id])
            conn.execute("DELETE FROM units WHERE id = ?", (b.id,))
            queries.set_unit_ids(
                conn,
                a.id,
                tuple(sorted(a.source_ids + b.source_ids)),
                tuple(sorted(a.target_ids + b.target_ids)),
            )
            edit.finish(self.reviewer)
        return a.id

    def split_unit(self, unit_id: int, source_at: int, target_at: int) -> tuple[int, int]:
        """Split a unit after its first ``source_at`` source and ``target_at`` target sentences."""
        with self._write() as conn:
            u = queries.unit(conn, unit_id, self.path)
            if not (0 <= source_at <= len(u.source_ids) and 0 <= target_at <= len(u.target_ids)):
                raise InputError(
                    f"cannot split unit {unit_id} at source {source_at}, target {target_at}: it "
                    f"has {len(u.source_ids)} source and {len(u.target_ids)} target sentences"
                )
            first = (u.source_ids[:source_at], u.target_ids[:target_at])
            second = (u.source_ids[source_at:], u.target_ids[target_at:])
            if not any(first) or not any(second):
                raise InputError(f"splitting unit {unit_id} there would leave an empty unit")
            edit = history.Edit(conn, "split", u.doc_id)
            edit.touch_units([u.id])
            queries.set_unit_ids(conn, u.id, *first)
            (position,) = queries.free_positions(conn, edit, u.doc_id, u.position, 1)
            new_id = queries.insert_manual_unit(conn, u.doc_id, position, *second)
            edit.new_unit(new_id)
            edit.finish(self.reviewer)
        return u.id, new_id

    def move_sentence(self, unit_id: int, side: str, direction: str) -> None:
        """Move a unit's first sentence on ``side`` to the previous unit (``up``) or its last
        one to the next unit (``down``); a new unit is made at either end of the document."""
        s = _side(side)
        if direction not in ("up", "down"):
            raise InputError(f"unknown direction {direction!r}; choose up or down")
        with self._write() as conn:
            u = queries.unit(conn, unit_id, self.path)
            ids = (u.source_ids, u.target_ids)[s]
            if not ids:
                raise ProjectError(f"unit {unit_id} has no {side} sentence to move")
            step = -1 if direction == "up" else 1
            moved = ids[0] if step < 0 else ids[-1]
            row = queries.neighbour_row(conn, u.doc_id, u.position, step)
            if row is not None:
                v = queries.unit(conn, row[0], self.path)
                joined = [list(v.source_ids), list(v.target_ids)]
                joined[s].append(moved)
                self._check_one_article(u.doc_id, tuple(joined[0]), tuple(joined[1]))
            edit = history.Edit(conn, f"move {side} {direction}", u.doc_id)
            edit.touch_units([u.id])
            rest = ids[1:] if step < 0 else ids[:-1]
            if row is None:
                if step < 0:
                    position = queries.position_before_first(conn, u.doc_id)
                else:
                    (position,) = queries.free_positions(conn, edit, u.doc_id, u.position, 1)
                new = ((moved,), ()) if s == 0 else ((), (moved,))
                edit.new_unit(queries.insert_manual_unit(conn, u.doc_id, position, *new))
            else:
                v = queries.unit(conn, row[0], self.path)
                edit.touch_units([v.id])
                vs = list((v.source_ids, v.target_ids))
                vs[s] = tuple(sorted((*vs[s], moved)))
                queries.set_unit_ids(conn, v.id, vs[0], vs[1])
            mine = [u.source_ids, u.target_ids]
            mine[s] = rest
            if mine[0] or mine[1]:
                queries.set_unit_ids(conn, u.id, mine[0], mine[1])
            else:
                conn.execute("DELETE FROM units WHERE id = ?", (u.id,))
            edit.finish(self.reviewer)
