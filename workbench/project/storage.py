"""Opening the SQLite file safely: recognise a project before touching it, check it, set it up.

A file is recognised from its first 100 bytes (SQLite's magic string and our
``application_id``), read with plain file I/O, so a file that is not a project is never opened
by SQLite at all. A project is checked (``PRAGMA quick_check``) through a read-only connection
before the writable one is opened, so a damaged file is refused untouched.
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

from workbench.errors import ProjectError
from workbench.project.schema import APPLICATION_ID, create_schema
from workbench.textio import check_regular_file

SQLITE_MAGIC = b"SQLite format 3\x00"


def check_header(path: Path) -> None:
    """Raise a ProjectError unless ``path`` starts like a workbench project file."""
    check_regular_file(path, "a project file", ProjectError, "no such project")
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read ({exc.strerror})") from None
    if not header:
        raise ProjectError(
            f"{path}: an empty file (0 bytes), not a workbench project; a project cut short "
            "(a crash, a full disk, an interrupted copy) is restored from a backup"
        )
    if len(header) < 100 and (SQLITE_MAGIC + bytes(100)).startswith(header[:16]):
        raise ProjectError(
            f"{path}: damaged project file (cut short at {len(header)} bytes); it was left "
            "untouched, restore it from a backup"
        )
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise ProjectError(f"{path}: not a workbench project (not an SQLite database)")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID:
        raise ProjectError(
            f"{path}: not a workbench project (an SQLite database of another application)"
        )


def check_one_name(path: Path) -> None:
    """Refuse to write a project file that has other names (hard links).

    SQLite keeps a project's write-ahead log beside the name it was opened by, and the
    single-writer lock is taken on that name too: a second name is a second writer with its
    own log, which can undo or corrupt the other's saved decisions (sqlite.org,
    "How To Corrupt An SQLite Database File", 2.5). A symbolic link is fine (it is resolved).
    """
    try:
        links = path.stat().st_nlink
    except OSError:
        return  # check_header has reported what is wrong with the path
    if links > 1:
        raise ProjectError(
            f"{path}: the project file has {links} names (hard links); writing it through "
            "two names can corrupt it. Make a copy with a name of its own (cp) and open that"
        )


def connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        target, uri = path.resolve().as_uri() + "?mode=ro", True
    else:
        target, uri = str(path), False
    try:
        conn = sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA busy_timeout = 5000")
    except sqlite3.Error as exc:
        raise ProjectError(f"{path}: cannot open project ({exc})") from None
    return conn


def quick_check(path: Path) -> int:
    """Check the file's structure read-only; returns its schema version.

    Reading a WAL-mode file makes SQLite create ``-wal`` and ``-shm`` beside it; a damaged
    file is refused without leaving those behind (nothing changed, nothing created).
    """
    made = [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if not p.exists()]
    try:
        return _quick_check(path)
    except ProjectError:
        for p in made:
            p.unlink(missing_ok=True)
        raise


def _quick_check(path: Path) -> int:
    conn = None
    try:
        conn = connect(path, read_only=True)
        result = [row[0] for row in conn.execute("PRAGMA quick_check(1)")]
        if result != ["ok"]:
            raise ProjectError(damaged(path, result[0] if result else "quick_check failed"))
        return conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.OperationalError as exc:  # cannot open or read (permissions, locked)
        raise ProjectError(f"{path}: cannot read project ({one_line(str(exc))})") from None
    except sqlite3.DatabaseError as exc:
        raise ProjectError(damaged(path, str(exc))) from None
    finally:
        if conn is not None:
            conn.close()


def one_line(text: str, limit: int = 120) -> str:
    """SQLite's report squeezed onto one line (its check results span several)."""
    text = " ".join(text.replace("*** in database main ***", "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def damaged(path: Path, detail: str) -> str:
    """The one-line message for a damaged project: what is wrong and what to do."""
    return (
        f"{path}: damaged project file ({one_line(detail)}); it was left untouched, "
        "restore it from a backup"
    )


def set_up(conn: sqlite3.Connection) -> None:
    """WAL with a full sync at every commit: a decision acknowledged is on disk."""
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")


def _columns(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: frozenset(row[1] for row in conn.execute(f'PRAGMA table_info("{table}")'))
        for table in tables
    }


@functools.cache
def _expected_columns() -> dict[str, frozenset[str]]:
    """The tables and columns of a project made now (the schema built in memory)."""
    conn = sqlite3.connect(":memory:")
    try:
        create_schema(conn)
        return _columns(conn)
    finally:
        conn.close()


def check_tables(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a project whose tables or columns are missing (a file another tool changed, an
    incomplete copy): every command would fail on it later with SQLite's own traceback."""
    found = _columns(conn)
    for table, columns in _expected_columns().items():
        if table not in found:
            raise ProjectError(damaged(path, f"table {table} is missing"))
        missing = sorted(columns - found[table])
        if missing:
            raise ProjectError(damaged(path, f"table {table} has no column {missing[0]}"))
