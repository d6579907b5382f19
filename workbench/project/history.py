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
)
_UNIT_SELECT = f"SELECT {', '.join(UNIT_COLUMNS)} FROM units"
_UNIT_INSERT = (
    f"INSERT INTO units ({', '.join(UNIT_COLUMNS)}) VALUES ({', '.join('?' * len(UNIT_COLUMNS))})"
)
# What the journal shows of a unit (the full rows are in the history).
_JOURNAL_FIELDS = ("status", "source_ids", "target_ids", "bookmark", "bookmark_note")


def unit_rows(conn: sqlite3.Connection, unit_ids: list[int]) -> dict[int, tuple | None]:
    rows: dict[int, tuple | None] = dict.fromkeys(unit_ids)
    for start in range(0, len(unit_ids), 900):
        chunk = unit_ids[start : start + 900]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"{_UNIT_SELECT} WHERE id IN ({marks})", chunk):
            rows[row[0]] = tuple(row)
    return rows


def _journal_view(row: tuple | None) -> dict | None:
    if row is None:
        return None
    named = dict(zip(UNIT_COLUMNS, row, strict=True))
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
        self._units: dict[int, tuple | None] = {}
        self._sentences: dict[tuple[int, int, int], str | None] = {}
        # Whole-side snapshots [doc, side, before, after] of structural text fixes, which
        # renumber sentences (see workbench.project.textfix.restore_side).
        self.sides: list[list] = []

    def touch_units(self, unit_ids: list[int]) -> None:
        new = [u for u in unit_ids if u not in self._units]
        self._units.update(unit_rows(self.conn, new))

    def new_unit(self, unit_id: int) -> None:
        """A unit the step created (it did not exist before)."""
        self._units.setdefault(unit_id, None)

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
        ids = list(self._units)
        after_units = unit_rows(conn, ids)
        sentences = []
        for (doc, side, idx), old in self._sentences.items():
            row = conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                (doc, side, idx),
            ).fetchone()
            sentences.append([doc, side, idx, old, None if row is None else row[0]])
        changes = {
            "units": [[u, self._units[u], after_units[u]] for u in ids],
            "sentences": sentences,
        }
        if self.sides:
            changes["sides"] = self.sides
        now = time.time()
        conn.execute("DELETE FROM history WHERE undone = 1")
        conn.execute(
            "INSERT INTO history (time, action, doc_id, changes) VALUES (?, ?, ?, ?)",
            (now, self.action, self.doc_id, json.dumps(changes, ensure_ascii=False)),
        )
        if journal_before is None and journal_after is None:
            journal_before = {str(u): _journal_view(self._units[u]) for u in ids}
            journal_after = {str(u): _journal_view(after_units[u]) for u in ids}
            for doc, side, idx, old, new in sentences:
                journal_before[f"sentence {doc}:{side}:{idx}"] = old
                journal_after[f"sentence {doc}:{side}:{idx}"] = new
        write_journal(
            conn, reviewer, self.action, self.doc_id, ids, journal_before, journal_after, now
        )


def _apply(conn: sqlite3.Connection, changes: dict, which: int) -> list[int]:
    """Write the ``which`` snapshot (1 = before, 2 = after) of every row a step touched."""
    units = changes["units"]
    ids = [u[0] for u in units]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        conn.execute(f"DELETE FROM units WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    conn.executemany(_UNIT_INSERT, [u[which] for u in units if u[which] is not None])
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
    if changes.get("sides"):
        from workbench.project.textfix import restore_side

        for doc, side, before, after in changes["sides"]:
            restore_side(conn, doc, side, before if which == 1 else after)
    return ids


def _step_journal(changes: dict, which: int) -> tuple[dict, dict]:
    other = 2 if which == 1 else 1
    before = {str(u[0]): _journal_view(u[other]) for u in changes["units"]}
    after = {str(u[0]): _journal_view(u[which]) for u in changes["units"]}
    for doc, side, idx, old, new in changes["sentences"]:
        key = f"sentence {doc}:{side}:{idx}"
        before[key], after[key] = (new, old) if which == 1 else (old, new)
    return before, after


def undo(conn: sqlite3.Connection, reviewer: str) -> bool:
    row = conn.execute(
        "SELECT id, action, doc_id, changes FROM history WHERE undone = 0 ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return False
    step_id, action, doc_id, text = row
    changes = json.loads(text)
    ids = _apply(conn, changes, 1)
    conn.execute("UPDATE history SET undone = 1 WHERE id = ?", (step_id,))
    before, after = _step_journal(changes, 1)
    write_journal(conn, reviewer, f"undo {action}", doc_id, ids, before, after)
    return True


def redo(conn: sqlite3.Connection, reviewer: str) -> bool:
    row = conn.execute(
        "SELECT id, action, doc_id, changes FROM history WHERE undone = 1 ORDER BY id LIMIT 1"
    ).fetchone()
    if row is None:
        return False
    step_id, action, doc_id, text = row
    changes = json.loads(text)
    ids = _apply(conn, changes, 2)
    conn.execute("UPDATE history SET undone = 0 WHERE id = ?", (step_id,))
    before, after = _step_journal(changes, 2)
    write_journal(conn, reviewer, f"redo {action}", doc_id, ids, before, after)
    return True


def can_undo(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM history WHERE undone = 0 LIMIT 1").fetchone() is not None


def can_redo(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM history WHERE undone = 1 LIMIT 1").fetchone() is not None


def forget_document(conn: sqlite3.Connection, doc_id: int) -> None:
    """Drop a document's history steps (after its units were rebuilt outside the history)."""
    conn.execute("DELETE FROM history WHERE doc_id = ?", (doc_id,))
