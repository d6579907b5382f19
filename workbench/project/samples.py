"""Spot-check samples and their judgements.

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

import json
import time

from workbench.errors import InputError
from workbench.project import history, queries
from workbench.project.base import StoreBase
from workbench.project.model import VERDICTS, Ids, SampleInfo, SampleItem, ids_text


class SampleStore(StoreBase):
    """Spot-check samples."""

    def create_sample(
        self,
        name: str,
        pairs: list[tuple[int, tuple[int, ...], tuple[int, ...]]],
        *,
        seed: int | None,
        params: dict,
    ) -> int:
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO samples (name, created, seed, params) VALUES (?, ?, ?, ?)",
                (name, time.time(), seed, json.dumps(params, ensure_ascii=False)),
            )
            sample_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO sample_items (sample_id, k, doc_id, source_ids, target_ids) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (sample_id, k, d, ids_text(tuple(s)), ids_text(tuple(t)))
                    for k, (d, s, t) in enumerate(pairs)
                ],
            )
        return sample_id

    def samples(self) -> list[SampleInfo]:
        with self._mutex:
            rows = (
                self._db()
                .execute(
                    "SELECT s.id, s.name, s.created, s.seed, s.params, "
                    "(SELECT COUNT(*) FROM sample_items i WHERE i.sample_id = s.id) "
                    "FROM samples s ORDER BY s.id"
                )
                .fetchall()
            )
        return [SampleInfo(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]

    def sample_items(self, sample_id: int) -> list[SampleItem]:
        with self._mutex:
            return queries.sample_items(self._db(), sample_id)

    def judge(self, doc_id: int, source_ids: Ids, target_ids: Ids, verdict: str | None) -> None:
        """Record (or with None, clear) a spot-check verdict on a pair."""
        if verdict is not None and verdict not in VERDICTS:
            raise InputError(f"unknown verdict {verdict!r}; choose {', '.join(VERDICTS)}")
        key = (doc_id, ids_text(tuple(source_ids)), ids_text(tuple(target_ids)))
        with self._write() as conn:
            old = conn.execute(
                "SELECT verdict FROM judgements WHERE doc_id = ? AND source_ids = ? "
                "AND target_ids = ?",
                key,
            ).fetchone()
            if verdict is None:
                conn.execute(
                    "DELETE FROM judgements WHERE doc_id = ? AND source_ids = ? AND target_ids = ?",
                    key,
                )
            else:
                conn.execute(
                    "INSERT OR REPLACE INTO judgements VALUES (?, ?, ?, ?, ?, ?)",
                    (*key, verdict, time.time(), self.reviewer),
                )
            history.write_journal(
                conn,
                self.reviewer,
                "judge",
                doc_id,
                [],
                {"pair": key[1:], "verdict": old[0] if old else None},
                {"pair": key[1:], "verdict": verdict},
            )

    def judgement(self, doc_id: int, source_ids: Ids, target_ids: Ids) -> str | None:
        with self._mutex:
            row = (
                self._db()
                .execute(
                    "SELECT verdict FROM judgements WHERE doc_id = ? AND source_ids = ? "
                    "AND target_ids = ?",
                    (doc_id, ids_text(tuple(source_ids)), ids_text(tuple(target_ids))),
                )
                .fetchone()
            )
        return None if row is None else row[0]
