"""Translation caches: in memory, and a standalone SQLite file (the project has its own)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from workbench.errors import InputError

# SQLite's default limit on bound parameters is 32766 (999 before 3.32); stay well below.
_CHUNK = 500


class MemoryTranslationCache:
    """A dict of dicts; lives as long as the object."""

    def __init__(self) -> None:
        self._store: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def get_many(self, identity: str, texts: list[str]) -> dict[str, str]:
        with self._lock:
            known = self._store.get(identity, {})
            return {t: known[t] for t in texts if t in known}

    def put_many(self, identity: str, translations: dict[str, str]) -> None:
        with self._lock:
            self._store.setdefault(identity, {}).update(translations)

    def __len__(self) -> int:
        return sum(len(v) for v in self._store.values())


class SqliteTranslationCache:
    """Translations in an SQLite file of their own (``workbench translate --cache FILE``).

    Usable from a worker thread: one connection guarded by a lock.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._refuse_other_databases()
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations ("
                " identity TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,"
                " PRIMARY KEY (identity, source)) WITHOUT ROWID"
            )
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: not a usable translation cache ({exc})") from None
        self._lock = threading.Lock()

    def _refuse_other_databases(self) -> None:
        """A workbench project or another program's database given as the cache is refused
        before anything is written to it (journal mode, a table of ours), not changed and then
        failing with SQLite's error."""
        tables = {
            row[0]
            for row in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(translations)")}
        if tables - {"translations"} or (tables and columns != {"identity", "source", "target"}):
            self._db.close()
            kind = "a workbench project" if "documents" in tables else "another database"
            raise InputError(
                f"{self.path}: is {kind}, not a translation cache; give --cache a file of its own"
            )

    def get_many(self, identity: str, texts: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(texts))
        with self._lock:
            for k in range(0, len(unique), _CHUNK):
                chunk = unique[k : k + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT source, target FROM translations WHERE identity = ? "
                    f"AND source IN ({marks})",
                    [identity, *chunk],
                )
                found.update(rows)
        return found

    def put_many(self, identity: str, translations: dict[str, str]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (identity, source, target) VALUES (?, ?, ?)",
                [(identity, s, t) for s, t in translations.items()],
            )

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SqliteTranslationCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
