"""Project files as an older workbench wrote them, made from a current one (migration tests)."""

from __future__ import annotations

import json
import sqlite3


def drop_history_columns(conn: sqlite3.Connection, count: int) -> None:
    """Undo steps saved before the last ``count`` unit columns existed: each unit row in the
    history (before and after) loses its last ``count`` values."""
    for hid, changes in conn.execute("SELECT id, changes FROM history").fetchall():
        data = json.loads(changes)
        for op in data.get("ops", []):
            for unit in op.get("units", []):
                for k in (1, 2):
                    if unit[k] is not None:
                        unit[k] = unit[k][:-count]
        conn.execute("UPDATE history SET changes = ? WHERE id = ?", (json.dumps(data), hid))
