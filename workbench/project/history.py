"""The journal (who did what, when) and the persistent undo history.

Every change to review units or sentence texts goes through an :class:`Edit`: it snapshots
the rows it is about to touch, lets the caller change them, snapshots them again and stores
both snapshots as one history step, all in the caller's transaction. Undo writes the "before"
rows back, redo the "after" rows: since every change is recorded, the rows a step touched are
exactly as it left them when it is undone, so whole-row restores are exact. The history lives
in the project file, so undo and redo survive closing and reopening the project.
"""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from workbench.project import slots

UNIT_COLUMNS = (
    "id",
    "doc_id",
    "position",
    "source_ids",
    "target_ids",
    "src_lo",
    "src_hi",
    "n_src",
    "tgt_lo",
    "tgt_hi",
    "n_tgt",
    "score",
    "scorer",
    "method",
    "run_id",
    "status",
    "decided_at",
    "bookmark",
    "bookmark_note",
    "confidence",
    "edited",
)
_EDITED = UNIT_COLUMNS.index("edited")
_METHOD = UNIT_COLUMNS.index("method")
_UNIT_SELECT = f"SELECT {', '.join(UNIT_COLUMNS)} FROM units"
_UNIT_INSERT = (
    f"INSERT INTO units ({', '.join(UNIT_COLUMNS)}) VALUES ({', '.join('?' * len(UNIT_COLUMNS))})"
)
# What the journal shows of a unit (the full rows are in the history).
_JOURNAL_FIELDS = ("status", "source_ids", "target_ids", "bookmark", "bookmark_note")


# Journal key for status changes: [[status, [unit ids]], ...] (compact for bulk decisions).
STATUS_GROUPS = "status groups"


def _chunks(items: list, size: int = 900) -> list[list]:
    return [items[k : k + size] for k in range(0, len(items), size)]


def _write_status(
    conn: sqlite3.Connection, unit_ids: list[int], status: str, decided_at: float | None
) -> None:
    for chunk in _chunks(unit_ids):
        conn.execute(
            f"UPDATE units SET status = ?, decided_at = ? WHERE id IN ({','.join('?' * len(chunk))})",
            [status, decided_at, *chunk],
        )


def unit_rows(conn: sqlite3.Connection, unit_ids: list[int]) -> dict[int, tuple | None]:
    rows: dict[int, tuple | None] = dict.fromkeys(unit_ids)
    for start in range(0, len(unit_ids), 900):
        chunk = unit_ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"{_UNIT_SELECT} WHERE id IN ({marks})", chunk):
            rows[row[0]] = tuple(row)
    return rows


def _full_row(row: list | tuple) -> tuple:
    """A stored unit row with every column: rows saved before a column existed (e.g. before
    schema 4's ``confidence``) get NULL for the newer ones, and ``edited`` (schema 5) what
    the migration gives such a unit (a hand-made unit had the method ``manual``)."""
    full = list(row) + [None] * (len(UNIT_COLUMNS) - len(row))
    if len(row) <= _EDITED:
        full[_EDITED] = int(full[_METHOD] == "manual")
    return tuple(full)


def _journal_view(row: tuple | None) -> dict | None:
    if row is None:
        return None
    named = dict(zip(UNIT_COLUMNS, _full_row(row), strict=True))
    return {k: named[k] for k in _JOURNAL_FIELDS}


def write_journal(
    conn: sqlite3.Connection,
    reviewer: str,
    action: str,
    doc_id: int | None,
    unit_ids: list[int],
    before: Any,
    after: Any,
    when: float | None = None,
) -> None:
    conn.execute(
        "INSERT INTO journal (time, reviewer, action, doc_id, unit_ids, before, after) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            time.time() if when is None else when,
            reviewer,
            action,
            doc_id,
            json.dumps(unit_ids),
            json.dumps(before, ensure_ascii=False),
            json.dumps(after, ensure_ascii=False),
        ),
    )


class Edit:
    """One undoable step; use inside a transaction: ``touch`` before changing, then ``finish``."""

    def __init__(self, conn: sqlite3.Connection, action: str, doc_id: int | None):
        self.conn, self.action, self.doc_id = conn, action, doc_id
        self._ops: list[dict] = []  # closed snapshot segments and slot ops, in order
        self._open_segment()

    def _open_segment(self) -> None:
        self._units: dict[int, tuple | None] = {}
        self._sentences: dict[tuple[int, int, int], str | None] = {}
        # Decisions only change statuses: stored compactly as {"new": [status, time],
        # "old": [[status, time, [ids]], ...]} (a bulk decision of a million units stays small).
        self._statuses: list[dict] = []

    def _close_segment(self) -> None:
        conn = self.conn
        after_units = unit_rows(conn, list(self._units))
        sentences = []
        for (doc, side, idx), old in self._sentences.items():
            row = conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                (doc, side, idx),
            ).fetchone()
            sentences.append([doc, side, idx, old, None if row is None else row[0]])
        if self._units or sentences or self._statuses:
            self._ops.append(
                {
                    "units": [[u, self._units[u], after_units[u]] for u in self._units],
                    "sentences": sentences,
                    "statuses": self._statuses,
                }
            )
        self._open_segment()

    def slot(self, op: dict) -> None:
        """Apply a sentence insert/remove (see :mod:`workbench.project.slots`) in this step."""
        self._close_segment()
        slots.apply(self.conn, op, forward=True)
        self._ops.append({"slot": op})

    def touch_units(self, unit_ids: list[int]) -> None:
        new = [u for u in unit_ids if u not in self._units]
        self._units.update(unit_rows(self.conn, new))

    def new_unit(self, unit_id: int) -> None:
        """A unit the step created (it did not exist before)."""
        self._units.setdefault(unit_id, None)

    def set_statuses(self, unit_ids: list[int], status: str, decided_at: float | None) -> None:
        """Change the status of units (not touched otherwise in this step)."""
        old: dict[tuple, list[int]] = {}
        for chunk in _chunks(unit_ids):
            rows = self.conn.execute(
                f"SELECT status, decided_at, id FROM units WHERE id IN "
                f"({','.join('?' * len(chunk))})",
                chunk,
            )
            for s, at, uid in rows:
                old.setdefault((s, at), []).append(uid)
        self._statuses.append(
            {"new": [status, decided_at], "old": [[s, at, ids] for (s, at), ids in old.items()]}
        )
        _write_status(self.conn, unit_ids, status, decided_at)

    def touch_sentence(self, doc_id: int, side: int, idx: int) -> None:
        key = (doc_id, side, idx)
        if key not in self._sentences:
            row = self.conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?", key
            ).fetchone()
            self._sentences[key] = None if row is None else row[0]

    def finish(self, reviewer: str, journal_before: Any = None, journal_after: Any = None) -> None:
        """Store the step (dropping the redo stack) and its journal entry."""
        conn = self.conn
        self._close_segment()
        changes = {"ops": self._ops}
        now = time.time()
        conn.execute("DELETE FROM history WHERE undone = 1")
        conn.execute(
            "INSERT INTO history (time, action, doc_id, changes) VALUES (?, ?, ?, ?)",
            (now, self.action, self.doc_id, json.dumps(changes, ensure_ascii=False)),
        )
        ids, before, after = _journal(changes, forward=True)
        if journal_before is not None or journal_after is not None:
            before, after = journal_before, journal_after
        write_journal(conn, reviewer, self.action, self.doc_id, ids, before, after, now)


def _ops(changes: dict) -> list[dict]:
    return changes.get("ops", [changes])


def _journal(changes: dict, forward: bool) -> tuple[list[int], dict, dict]:
    """Unit ids, and what the journal shows before and after a step (or its undoing)."""
    first, last = (1, 2) if forward else (2, 1)
    ops = _ops(changes) if forward else list(reversed(_ops(changes)))
    ids: dict[int, None] = {}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for op in ops:
        if "slot" in op:
            slot = op["slot"]
            key = f"sentence {slot['doc']}:{slot['side']}:{slot['at']}"
            inserted = (slot["kind"] == "insert") == forward
            before.setdefault(key, None if inserted else slot["text"])
            after[key] = slot["text"] if inserted else None
            continue
        for u in op["units"]:
            ids[u[0]] = None
            before.setdefault(str(u[0]), _journal_view(u[first]))
            after[str(u[0])] = _journal_view(u[last])
        for doc, side, idx, old, new in op["sentences"]:
            key = f"sentence {doc}:{side}:{idx}"
            before.setdefault(key, old if forward else new)
            after[key] = new if forward else old
        for change in op.get("statuses", []):
            new = change["new"][0]
            for old, _at, unit_ids in change["old"]:
                ids.update(dict.fromkeys(unit_ids))
                was, becomes = (old, new) if forward else (new, old)
                before.setdefault(STATUS_GROUPS, []).append([was, unit_ids])
                after.setdefault(STATUS_GROUPS, []).append([becomes, unit_ids])
    return list(ids), before, after


def _replay(conn: sqlite3.Connection, changes: dict, forward: bool) -> None:
    """Redo (forward) or undo a step: its segments and slot ops, in order or in reverse."""
    ops = _ops(changes) if forward else list(reversed(_ops(changes)))
    for op in ops:
        if "slot" in op:
            slots.apply(conn, op["slot"], forward)
        else:
            _apply(conn, op, 2 if forward else 1)


def _apply(conn: sqlite3.Connection, changes: dict, which: int) -> list[int]:
    """Write the ``which`` snapshot (1 = before, 2 = after) of every row a segment touched."""
    statuses = changes.get("statuses", [])
    for change in statuses:
        for old, old_at, unit_ids in change["old"]:
            if which == 1:
                _write_status(conn, unit_ids, old, old_at)
            else:
                _write_status(conn, unit_ids, *change["new"])
    units = changes["units"]
    ids = [u[0] for u in units]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        conn.execute(f"DELETE FROM units WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    conn.executemany(_UNIT_INSERT, [_full_row(u[which]) for u in units if u[which] is not None])
    ids += [u for change in statuses for _s, _a, group in change["old"] for u in group]
    for doc, side, idx, old, new in changes["sentences"]:
        text = old if which == 1 else new
        if text is None:
            conn.execute(
                "DELETE FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?", (doc, side, idx)
            )
        else:
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (text, doc, side, idx),
            )
    return ids


def undo(conn: sqlite3.Connection, reviewer: str) -> bool:
    return _step(conn, reviewer, forward=False)


def redo(conn: sqlite3.Connection, reviewer: str) -> bool:
    return _step(conn, reviewer, forward=True)


def _step(conn: sqlite3.Connection, reviewer: str, *, forward: bool) -> bool:
    """Undo the newest done step, or redo the oldest undone one; False when there is none."""
    if forward:
        sql = "SELECT id, action, doc_id, changes FROM history WHERE undone = 1 ORDER BY id LIMIT 1"
    else:
        sql = (
            "SELECT id, action, doc_id, changes FROM history WHERE undone = 0 "
            "ORDER BY id DESC LIMIT 1"
        )
    row = conn.execute(sql).fetchone()
    if row is None:
        return False
    step_id, action, doc_id, text = row
    changes = json.loads(text)
    _replay(conn, changes, forward=forward)
    conn.execute("UPDATE history SET undone = ? WHERE id = ?", (0 if forward else 1, step_id))
    ids, before, after = _journal(changes, forward=forward)
    verb = "redo" if forward else "undo"
    write_journal(conn, reviewer, f"{verb} {action}", doc_id, ids, before, after)
    return True


def can_undo(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM history WHERE undone = 0 LIMIT 1").fetchone() is not None


def newest_step(conn: sqlite3.Connection) -> tuple[int, float] | None:
    """(id, time) of the newest undoable step; it changes exactly when a step is recorded,
    undone or redone (a new step takes the time it was made, so a reused id still differs)."""
    row = conn.execute(
        "SELECT id, time FROM history WHERE undone = 0 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else (row[0], row[1])


def steps(conn: sqlite3.Connection) -> list[tuple[int, float, bool]]:
    """(id, time, undone) of every step in the history, oldest first; (id, time) names a step
    as :func:`newest_step` does."""
    return [
        (int(i), float(t), bool(u))
        for i, t, u in conn.execute("SELECT id, time, undone FROM history ORDER BY id")
    ]


def can_redo(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM history WHERE undone = 1 LIMIT 1").fetchone() is not None


def forget_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Drop the steps that may touch a document's units (after they were rebuilt outside the
    history): its own, and those spanning several documents (stored without a doc_id)."""
    conn.execute("DELETE FROM history WHERE doc_id = ? OR doc_id IS NULL", (doc_id,))
