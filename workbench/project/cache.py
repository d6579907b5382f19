"""The project's translation cache (``workbench.translate.TranslationCache``), in its file."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager


class ProjectTranslationCache:
    """Translations keyed by translator identity and source text.

    Used from the GUI's worker thread while the window reads the same connection, so reads
    hold the project's lock as writes do.
    """

    def __init__(
        self,
        read: Callable[[], sqlite3.Connection],
        write: Callable[[], AbstractContextManager[sqlite3.Connection]],
        lock: threading.RLock | None = None,
    ):
        self._read, self._write = read, write
        self._lock = lock or threading.RLock()

    def get_many(self, identity: str, texts: list[str]) -> dict[str, str]:
        unique = list(dict.fromkeys(texts))
        out: dict[str, str] = {}
        with self._lock:
            conn = self._read()
            for start in range(0, len(unique), 900):
                chunk = unique[start : start + 900]
                rows = conn.execute(
                    "SELECT source, translation FROM translation_cache WHERE identity = ? "
                    f"AND source IN ({','.join('?' * len(chunk))})",
                    [identity, *chunk],
                )
                out.update(rows)
        return out

    def put_many(self, identity: str, translations: dict[str, str]) -> None:
        if not translations:
            return
        with self._write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO translation_cache (identity, source, translation) "
                "VALUES (?, ?, ?)",
                [(identity, s, t) for s, t in translations.items()],
            )

    def __len__(self) -> int:
        with self._lock:
            return self._read().execute("SELECT COUNT(*) FROM translation_cache").fetchone()[0]
