"""The :class:`Project`: one SQLite file holding documents, suggestions, decisions and history.

The class is a façade over one module per concern: documents and translations
(:mod:`~workbench.project.documents`), suggestion runs (:mod:`~workbench.project.suggestions`),
units and decisions (:mod:`~workbench.project.units`), sentence surgery
(:mod:`~workbench.project.textedits`), samples (:mod:`~workbench.project.samples`), statistics
and export (:mod:`~workbench.project.export`), over the connection and settings
(:mod:`~workbench.project.base`); opening, closing, undo/redo and the journal are here.

Methods are thin: the file format is in :mod:`~workbench.project.schema` and
:mod:`~workbench.project.storage`, the single-writer lock in :mod:`~workbench.project.locking`,
undo/redo and the journal in :mod:`~workbench.project.history`, fitting suggestions around
decided units in :mod:`~workbench.project.gaps`, unit queries in
:mod:`~workbench.project.queries`. Every change is committed in its own transaction before the
method returns.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import ProjectError
from workbench.project import history, queries
from workbench.project.base import StoreBase
from workbench.project.documents import DocumentStore
from workbench.project.export import ExportStore
from workbench.project.locking import ProjectLock
from workbench.project.model import JournalEntry
from workbench.project.samples import SampleStore
from workbench.project.schema import SCHEMA_VERSION, create_schema, migrate
from workbench.project.storage import (
    check_header,
    check_one_name,
    check_tables,
    connect,
    damaged,
    quick_check,
    set_up,
)
from workbench.project.suggestions import SuggestionStore
from workbench.project.textedits import TextEditStore
from workbench.project.units import UnitStore

if TYPE_CHECKING:
    import pandas as pd


class Project(
    DocumentStore, SuggestionStore, UnitStore, TextEditStore, SampleStore, ExportStore, StoreBase
):
    """A workbench project file; see docs/reference.md, "Projects"."""

    # -- opening and closing --------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path, *, settings: dict[str, Any] | None = None) -> Project:
        """A new, empty project file; ``settings`` (e.g. the reviewer) are stored in the same
        transaction as the schema: the file never exists without them."""
        path = Path(path)
        texts = {k: json.dumps(v, ensure_ascii=False) for k, v in (settings or {}).items()}
        if path.exists():
            raise ProjectError(f"{path}: already exists; open it, or choose another name")
        if not path.parent.is_dir():
            raise ProjectError(f"{path.parent}: no such folder")
        lock = ProjectLock(path)
        lock.acquire()
        if path.exists():  # made meanwhile by another process: never touch (or remove) it
            lock.release()
            raise ProjectError(f"{path}: already exists; open it, or choose another name")
        conn = None
        try:
            conn = connect(path, read_only=False)
            # Created in rollback-journal mode so that the header (with the application id)
            # is in the main file at once, then switched to WAL.
            conn.execute("BEGIN IMMEDIATE")
            create_schema(conn)
            now = time.time()
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("created", json.dumps(now)), ("format", json.dumps("workbench project"))],
            )
            conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?)", texts.items())
            conn.execute("COMMIT")
            set_up(conn)
        except BaseException as exc:
            # A half-made file (a full disk) would be "already exists" and then "not a
            # project": it did not exist before, so it goes.
            if conn is not None:
                conn.close()
            for made in (path, *(Path(f"{path}{end}") for end in ("-journal", "-wal", "-shm"))):
                made.unlink(missing_ok=True)
            lock.release()
            if isinstance(exc, sqlite3.Error):
                raise ProjectError(f"{path}: cannot create project ({exc})") from None
            raise
        return cls(path, conn, lock, read_only=False)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, check: bool = True) -> Project:
        """Open a project; ``check`` runs ``PRAGMA quick_check`` first (read-only)."""
        path = Path(path)
        check_header(path)
        lock = None
        if not read_only:
            check_one_name(path)
            lock = ProjectLock(path)
            lock.acquire()
        try:
            if check:
                quick_check(path)
            conn = connect(path, read_only=read_only)
            try:
                if read_only:
                    version = conn.execute("PRAGMA user_version").fetchone()[0]
                    if version > SCHEMA_VERSION:
                        raise ProjectError(
                            f"{path}: project schema version {version} is newer than this "
                            f"workbench supports ({SCHEMA_VERSION}); upgrade the workbench"
                        )
                    if version != SCHEMA_VERSION:
                        raise ProjectError(
                            f"{path}: project schema version {version}, this workbench uses "
                            f"{SCHEMA_VERSION}; open it for writing once to upgrade it"
                        )
                else:
                    set_up(conn)
                    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                        check_tables(conn, path)  # before anything is written
                    migrate(conn, path)
                check_tables(conn, path)
            except BaseException:
                conn.close()
                raise
        except sqlite3.OperationalError as exc:
            if lock:
                lock.release()
            raise ProjectError(f"{path}: cannot open project ({exc})") from None
        except sqlite3.DatabaseError as exc:
            if lock:
                lock.release()
            raise ProjectError(damaged(path, str(exc))) from None
        except BaseException:
            if lock:
                lock.release()
            raise
        return cls(path, conn, lock, read_only)

    def close(self) -> None:
        with self._mutex:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
                if not self.read_only:
                    self._drop_orphaned_logs()
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else ("read-only" if self.read_only else "open")
        return f"Project({str(self.path)!r}, {state})"

    # -- units ----------------------------------------------------------------------------------

    def confidences(self, doc_id: int | None = None, *, status: str | None = None) -> list[float]:
        """The confidences of the matching units that have one (bulk preview, histogram)."""
        where, params = queries.unit_filter(doc_id, status, None, None, has_confidence=True)
        with self._mutex:
            conn = self._db()
            return [r[0] for r in conn.execute(f"SELECT confidence FROM units {where}", params)]

    # -- history --------------------------------------------------------------------------------
    def undo(self) -> bool:
        with self._write() as conn:
            return history.undo(conn, self.reviewer)

    def redo(self) -> bool:
        with self._write() as conn:
            return history.redo(conn, self.reviewer)

    def can_undo(self) -> bool:
        with self._mutex:
            return not self.read_only and history.can_undo(self._db())

    def can_redo(self) -> bool:
        with self._mutex:
            return not self.read_only and history.can_redo(self._db())

    def history_mark(self) -> tuple[int, float] | None:
        """A token for the newest undoable step (None when there is none). Compare it before
        and after an action to tell whether the action recorded a step (a no-op, such as
        accepting an accepted unit, records none)."""
        with self._mutex:
            return history.newest_step(self._db())

    def history_steps(self) -> list[tuple[int, float, bool]]:
        """Every step of the undo history, oldest first: (id, time, undone); ``(id, time)`` is
        the step's :meth:`history_mark` while it is the newest undoable one. A re-alignment
        drops its document's steps (:meth:`set_suggestions`); the window keeps the others."""
        with self._mutex:
            return history.steps(self._db())

    def journal(self, since: float | None = None) -> list[JournalEntry]:
        """Journal entries in order, from time ``since`` on (all without)."""
        with self._mutex:
            rows = self._db().execute(
                "SELECT id, time, reviewer, action, doc_id, unit_ids, before, after FROM journal "
                "WHERE time >= ? ORDER BY id",
                (since if since is not None else float("-inf"),),
            )
            return [
                JournalEntry(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    tuple(json.loads(r[5])),
                    json.loads(r[6]),
                    json.loads(r[7]),
                )
                for r in rows
            ]

    def audit_summary(self, idle_seconds: float = 300.0) -> pd.DataFrame:
        """Per reviewer: decisions, pairs per active minute, accept/reject ratio, reversals."""
        from workbench.project.audit import audit_summary

        return audit_summary(self.journal(), idle_seconds=idle_seconds)

    def export_audit(self, path: str | Path, idle_seconds: float = 300.0) -> int:
        """Write the audit summary as CSV; returns the number of reviewers."""
        from workbench.safeio import check_output, project_files, write_text_atomic

        check_output(path, project_files(self.path), what="audit CSV")
        table = self.audit_summary(idle_seconds)
        write_text_atomic(path, table.to_csv(index=False), inputs=project_files(self.path))
        return len(table)
