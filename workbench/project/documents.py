"""Documents (their sentences, originals and articles) and their machine translations.

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.errors import InputError, ProjectError
from workbench.project import history, queries
from workbench.project.base import POSITION_STEP, StoreBase, _side
from workbench.project.model import STATUSES, DocumentInfo, Ids
from workbench.textio import Document, check_same_articles, clean_sentence

if TYPE_CHECKING:
    from workbench.corpus import ParallelPair


class DocumentStore(StoreBase):
    """Documents and translations."""

    def add_document(
        self,
        source: Document,
        target: Document,
        *,
        name: str = "",
        source_lang: str = "",
        target_lang: str = "",
    ) -> int:
        check_same_articles(source, target)
        name = name or source.name
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO documents (name, source_lang, target_lang, created, "
                "source_articles, target_articles) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    name,
                    source_lang,
                    target_lang,
                    time.time(),
                    json.dumps(source.articles),
                    json.dumps(target.articles),
                ),
            )
            doc_id = int(cur.lastrowid)
            for side, doc in enumerate((source, target)):
                conn.executemany(
                    "INSERT INTO sentences (doc_id, side, idx, text, original) "
                    "VALUES (?, ?, ?, ?, ?)",
                    ((doc_id, side, i, s, s) for i, s in enumerate(doc.sentences)),
                )
            history.write_journal(
                conn,
                self.reviewer,
                "add document",
                doc_id,
                [],
                None,
                {"name": name, "n_source": len(source), "n_target": len(target)},
            )
        return doc_id

    def import_pairs(
        self,
        pairs: Sequence[ParallelPair],
        *,
        name: str = "",
        source_lang: str = "",
        target_lang: str = "",
        status: str = "pending",
    ) -> int:
        """Add already aligned pairs (from TSV, TMX, ...) as a document of 1–1 units."""
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; choose {', '.join(STATUSES)}")
        if not pairs:
            raise InputError(f"{name or 'pairs'}: no pairs to import")
        decided_at = None if status == "pending" else time.time()
        # One transaction: a killed process never leaves the document without its pairs.
        with self.transaction():
            doc_id = self.add_document(
                # The one white-space rule of every reader (as `project add`): stripped.
                Document([clean_sentence(p.source) for p in pairs], name=name),
                Document([clean_sentence(p.target) for p in pairs], name=name),
                name=name,
                source_lang=source_lang,
                target_lang=target_lang,
            )
            with self._write() as conn:
                conn.executemany(
                    "INSERT INTO units (doc_id, position, source_ids, target_ids, src_lo, src_hi, "
                    "n_src, tgt_lo, tgt_hi, n_tgt, score, scorer, method, status, decided_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (
                            doc_id,
                            (k + 1) * POSITION_STEP,
                            *queries.id_columns((k,), (k,)),
                            p.score,
                            p.scorer,
                            "imported",
                            status,
                            decided_at,
                        )
                        for k, p in enumerate(pairs)
                    ),
                )
                history.write_journal(
                    conn,
                    self.reviewer,
                    "import pairs",
                    doc_id,
                    [],
                    None,
                    {"pairs": len(pairs), "status": status},
                )
        return doc_id

    def _check_one_article(self, doc_id: int, source_ids: Ids, target_ids: Ids) -> None:
        """A unit's sentences must lie in one article on both sides: `.EOA` is a hard
        boundary for curators' edits as for the aligner."""
        row = self._doc_row(doc_id)
        found = set()
        for s, ids in ((0, source_ids), (1, target_ids)):
            articles = json.loads(row[5 + s])
            for i in ids:
                found.update(k for k, (a, b) in enumerate(articles) if a <= i < b)
        if len(found) > 1:
            raise InputError(
                f"source {list(source_ids)} / target {list(target_ids)} would join different "
                "articles (.EOA between them)"
            )

    def _doc_row(self, doc_id: int) -> tuple:
        row = (
            self._db()
            .execute(
                "SELECT id, name, source_lang, target_lang, created, source_articles, "
                "target_articles FROM documents WHERE id = ?",
                (doc_id,),
            )
            .fetchone()
        )
        if row is None:
            raise ProjectError(f"{self.path}: no document {doc_id}")
        return row

    @staticmethod
    def _info(row: tuple) -> DocumentInfo:
        src, tgt = json.loads(row[5]), json.loads(row[6])
        return DocumentInfo(
            row[0],
            row[1],
            row[2],
            row[3],
            src[-1][1] if src else 0,
            tgt[-1][1] if tgt else 0,
            row[4],
        )

    def documents(self) -> list[DocumentInfo]:
        with self._mutex:
            rows = self._db().execute(
                "SELECT id, name, source_lang, target_lang, created, source_articles, "
                "target_articles FROM documents ORDER BY id"
            )
            return [self._info(r) for r in rows]

    def document(self, doc_id: int) -> DocumentInfo:
        with self._mutex:
            return self._info(self._doc_row(doc_id))

    def _side_document(self, doc_id: int, side: int) -> Document:
        with self._mutex:
            row = self._doc_row(doc_id)
            sentences = [
                t
                for (t,) in self._db().execute(
                    "SELECT text FROM sentences WHERE doc_id = ? AND side = ? ORDER BY idx",
                    (doc_id, side),
                )
            ]
        articles = [tuple(a) for a in json.loads(row[5 + side])]
        return Document(sentences, articles, row[1])

    def sentence_sample(self, per_side: int) -> list[str]:
        """The first ``per_side`` current sentences of each side (source, then target), the
        documents in order, aligned or not: a bounded sample of the project's text in one query
        per side, however big the project."""
        with self._mutex:
            db = self._db()
            return [
                text
                for side in (0, 1)
                for (text,) in db.execute(
                    "SELECT text FROM sentences WHERE side = ? ORDER BY doc_id, idx LIMIT ?",
                    (side, per_side),
                )
            ]

    def source(self, doc_id: int) -> Document:
        """The source document with its current (edited) sentences."""
        return self._side_document(doc_id, 0)

    def target(self, doc_id: int) -> Document:
        return self._side_document(doc_id, 1)

    def original(self, doc_id: int, side: str = "source") -> Document:
        """A side as it was imported, before any text fix."""
        s = _side(side)
        with self._mutex:
            row = self._doc_row(doc_id)
            sentences = [
                t
                for (t,) in self._db().execute(
                    "SELECT original FROM sentences WHERE doc_id = ? AND side = ? ORDER BY idx",
                    (doc_id, s),
                )
            ]
        return Document(sentences, [tuple(a) for a in json.loads(row[5 + s])], row[1])

    def set_translation(
        self, doc_id: int, sentences: list[str], translator: str, side: str = "source"
    ) -> None:
        """Store a translation of one side (line-aligned with it) made by ``translator``."""
        s = _side(side)
        info = self.document(doc_id)
        expected = info.n_source if s == 0 else info.n_target
        if len(sentences) != expected:
            raise InputError(
                f"translation of the {side} of document {doc_id} has {len(sentences)} "
                f"sentences, the {side} has {expected}"
            )
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO translations (doc_id, side, translator, created) VALUES (?, ?, ?, ?)",
                (doc_id, s, translator, time.time()),
            )
            tid = cur.lastrowid
            conn.executemany(
                "INSERT INTO translation_sentences (translation_id, idx, text) VALUES (?, ?, ?)",
                ((tid, i, t) for i, t in enumerate(sentences)),
            )
            history.write_journal(
                conn,
                self.reviewer,
                "translation",
                doc_id,
                [],
                None,
                {"side": side, "translator": translator},
            )

    def has_translation(self, side: str = "source") -> bool:
        """Whether any document has a translation of this side (the window shows its MT
        column only then)."""
        s = _side(side)
        with self._mutex:
            row = (
                self._db()
                .execute("SELECT 1 FROM translations WHERE side = ? LIMIT 1", (s,))
                .fetchone()
            )
        return row is not None

    def translation(self, doc_id: int, side: str = "source") -> Document | None:
        """The latest translation of a side (name = the translator's identity), or None."""
        s = _side(side)
        with self._mutex:
            row = self._doc_row(doc_id)
            latest = queries.latest_translation(self._db(), doc_id, s)
            if latest is None:
                return None
            tid, translator = latest
            sentences = [
                t
                for (t,) in self._db().execute(
                    "SELECT text FROM translation_sentences WHERE translation_id = ? ORDER BY idx",
                    (tid,),
                )
            ]
        return Document(sentences, [tuple(a) for a in json.loads(row[5 + s])], translator)
