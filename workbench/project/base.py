"""The connection, transactions, reviewer and settings every part of the store uses.

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from workbench.errors import InputError, NotSavedError, ProjectError
from workbench.project.cache import ProjectTranslationCache
from workbench.project.locking import ProjectLock
from workbench.project.model import SIDES

POSITION_STEP = 1 << 20  # room for ~20 successive splits at one place before renumbering


def _side(side: str) -> int:
    if side not in SIDES:
        raise InputError(f"unknown side {side!r}; choose source or target")
    return SIDES.index(side)


def file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at ``path``; None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def save_recovery_copy(conn: sqlite3.Connection, path: Path) -> Path | None:
    """Copy the open database to a new ``<name>.recovered[-n].wbproj`` beside ``path``;
    None when it cannot be written (no such folder any more, a full disk)."""
    for n in range(1, 100):
        tail = "" if n == 1 else f"-{n}"
        target = path.with_name(f"{path.stem}.recovered{tail}{path.suffix}")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        except OSError:
            return None
        os.close(fd)
        copy = None
        try:
            copy = sqlite3.connect(target)
            conn.backup(copy)
            copy.close()
            return target
        except sqlite3.Error:
            if copy is not None:
                copy.close()
            target.unlink(missing_ok=True)
            return None
    return None


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
        self._depth = 0  # open transaction (1) and savepoints in it, of the thread holding _mutex
        # The file opened, to notice it being deleted or replaced under an open project.
        # (absolute: a later change of the working folder must not look like a deletion)
        self._file = Path(os.path.abspath(path))
        self._identity = file_identity(self._file)
        self._logs = {end: file_identity(Path(f"{self._file}{end}")) for end in ("-wal", "-shm")}
        self._recovery: Path | None = None
        self.translation_cache = ProjectTranslationCache(self._db, self._write, self._mutex)

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProjectError(f"{self.path}: project is closed")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction, committed (and synced to disk) when the block ends.

        Inside :meth:`transaction` (or another ``_write`` of this thread) it is a savepoint of
        that transaction instead: its changes are committed with the outer block, or not at
        all, and a failure inside it undoes only its own changes before it propagates."""
        if self.read_only:
            raise ProjectError(f"{self.path}: opened read-only")
        with self._mutex:
            conn = self._db()
            if self._depth:
                yield from self._savepoint(conn)
                return
            self._check_file(conn)
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise NotSavedError(self._not_saved(exc)) from None
            self._depth = 1
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
                    raise NotSavedError(self._not_saved(exc)) from None
                raise
            finally:
                self._depth = 0

    def _savepoint(self, conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
        """A nested ``_write``: a savepoint of the open transaction."""
        if not conn.in_transaction:
            # SQLite rolled the open transaction back itself (a full disk, an I/O error) and
            # a failure inside it was caught: a savepoint now would begin a transaction of its
            # own, and the outer block would commit this change without the ones before it.
            raise NotSavedError(
                f"{self.path}: cannot save (an earlier change of this action failed); this "
                "change was not saved, everything saved before the action is kept"
            )
        name = f"wb{self._depth}"
        conn.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield conn
            conn.execute(f"RELEASE {name}")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
            raise
        finally:
            self._depth -= 1

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Several changes as one transaction: every change made in the block (by this
        thread; others wait) is on disk when it ends, or, if the block fails or the process
        dies first, none is. For one user action that takes several calls (a document and
        its translations)."""
        with self._write():
            yield

    def _check_file(self, conn: sqlite3.Connection) -> None:
        """Refuse to write once the project file was deleted or replaced under this open
        project: SQLite would go on writing to the file it opened, which nobody can open
        again, and every change acknowledged from then on would be lost when it closes.
        What was saved up to then is copied to a recovery file beside it first."""
        if self._identity is None or file_identity(self._file) == self._identity:
            if None in self._logs.values():  # SQLite makes them at the first use
                self._logs = {end: file_identity(Path(f"{self._file}{end}")) for end in self._logs}
            return
        if self._recovery is None:
            self._recovery = save_recovery_copy(conn, self._file)
        where = (
            f"everything saved before is in {self._recovery}: open that"
            if self._recovery is not None
            else "everything saved before it is lost with the file"
        )
        raise NotSavedError(
            f"{self.path}: the project file was deleted or replaced since it was opened; "
            f"this change was not saved; {where}"
        )

    def _drop_orphaned_logs(self) -> None:
        """After closing a project whose file was deleted or replaced: its write-ahead log
        and shared-memory file are still beside the path, and SQLite would replay that log
        into whatever file is put there next (a restored backup), corrupting it."""
        if self._identity is None or file_identity(self._file) == self._identity:
            return
        for end, identity in self._logs.items():
            log = Path(f"{self._file}{end}")
            if identity is not None and file_identity(log) == identity:
                log.unlink(missing_ok=True)

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
