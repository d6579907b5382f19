"""The connection, transactions, reviewer and settings every part of the store uses.

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.errors import InputError, ProjectError
from workbench.project.cache import ProjectTranslationCache
from workbench.project.locking import ProjectLock
from workbench.project.model import SIDES

POSITION_STEP = 1 << 20  # room for ~20 successive splits at one place before renumbering


def _side(side: str) -> int:
    if side not in SIDES:
        raise InputError(f"unknown side {side!r}; choose source or target")
    return SIDES.index(side)


class StoreBase:
    """Connection, transactions, reviewer, settings."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, lock: ProjectLock | None, read_only: bool
    ):
        self.path = path
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = conn
        self._lock = lock
        self._mutex = threading.RLock()
        self.translation_cache = ProjectTranslationCache(self._db, self._write, self._mutex)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProjectError(f"{self.path}: project is closed")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed (and synced to disk) when the block ends."""
        if self.read_only:
            raise ProjectError(f"{self.path}: opened read-only")
        with self._mutex:
            conn = self._db()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise ProjectError(self._not_saved(exc)) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                # SQLite may have rolled back itself (a full disk, an I/O error): a ROLLBACK
                # then fails and would hide what happened.
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise ProjectError(self._not_saved(exc)) from None
                raise

    def _not_saved(self, exc: sqlite3.Error) -> str:
        """One line for a change SQLite could not store (disk full, I/O error, locked)."""
        return (
            f"{self.path}: cannot save ({exc}); this change was not saved, everything saved "
            "before it is kept"
        )

    @property
    def reviewer(self) -> str:
        name = self.get_setting("reviewer")
        if name:
            return str(name)
        try:
            return getpass.getuser()
        except Exception:  # no user name in this environment
            return "unknown"

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self._mutex:
            row = self._db().execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except TypeError:
            raise InputError(
                f"setting {key!r}: value is not JSON ({type(value).__name__})"
            ) from None
        with self._write() as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, text))

    def settings(self) -> dict[str, Any]:
        with self._mutex:
            rows = self._db().execute("SELECT key, value FROM settings").fetchall()
        return {k: json.loads(v) for k, v in rows}
