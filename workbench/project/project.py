"""The :class:`Project`: one SQLite file holding documents, suggestions, decisions and history.

Methods are thin: the file format is in :mod:`~workbench.project.schema` and
:mod:`~workbench.project.storage`, the single-writer lock in :mod:`~workbench.project.locking`,
undo/redo and the journal in :mod:`~workbench.project.history`, fitting suggestions around
decided units in :mod:`~workbench.project.gaps`, unit queries in
:mod:`~workbench.project.queries`. Every change is committed in its own transaction before the
method returns.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import InputError, ProjectError
from workbench.project import history, queries, slots
from workbench.project.cache import ProjectTranslationCache
from workbench.project.joining import join_texts
from workbench.project.locking import ProjectLock
from workbench.project.model import (
    SIDES,
    STATUSES,
    VERDICTS,
    DocumentInfo,
    Ids,
    JournalEntry,
    ProjectStats,
    SampleInfo,
    SampleItem,
    SuggestionRun,
    Unit,
    ids_text,
    parse_ids,
)
from workbench.project.schema import SCHEMA_VERSION, create_schema, migrate
from workbench.project.storage import check_header, connect, quick_check, set_up
from workbench.textio import Document, check_same_articles

if TYPE_CHECKING:
    import pandas as pd

    from workbench.align import AlignerOptions, AlignmentUnit
    from workbench.align.pipeline import AlignSettings
    from workbench.corpus import ParallelPair

POSITION_STEP = 1 << 20  # room for ~20 successive splits at one place before renumbering


def _side(side: str) -> int:
    if side not in SIDES:
        raise InputError(f"unknown side {side!r}; choose source or target")
    return SIDES.index(side)


class Project:
    """A workbench project file; see docs/reference.md, "Projects"."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, lock: ProjectLock | None, read_only: bool
    ):
        self.path = path
        self.read_only = read_only
        self._conn: sqlite3.Connection | None = conn
        self._lock = lock
        self._mutex = threading.RLock()
        self.translation_cache = ProjectTranslationCache(self._db, self._write, self._mutex)

    # -- opening and closing --------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path) -> Project:
        path = Path(path)
        if path.exists():
            raise ProjectError(f"{path}: already exists; open it, or choose another name")
        if not path.parent.is_dir():
            raise ProjectError(f"{path.parent}: no such folder")
        lock = ProjectLock(path)
        lock.acquire()
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
            conn.execute("COMMIT")
            set_up(conn)
        except sqlite3.Error as exc:
            lock.release()
            raise ProjectError(f"{path}: cannot create project ({exc})") from None
        except BaseException:
            lock.release()
            raise
        return cls(path, conn, lock, read_only=False)

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, check: bool = True) -> Project:
        """Open a project; ``check`` runs ``PRAGMA quick_check`` first (read-only)."""
        path = Path(path)
        check_header(path)
        lock = None
        if not read_only:
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
                    migrate(conn, path)
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
            raise ProjectError(f"{path}: damaged project file ({exc})") from None
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

    # -- transactions ---------------------------------------------------------------------------
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
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @property
    def reviewer(self) -> str:
        name = self.get_setting("reviewer")
        if name:
            return str(name)
        try:
            return getpass.getuser()
        except Exception:  # no user name in this environment
            return "unknown"

    # -- settings -------------------------------------------------------------------------------
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

    # -- documents ------------------------------------------------------------------------------
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
        doc_id = self.add_document(
            Document([p.source for p in pairs], name=name),
            Document([p.target for p in pairs], name=name),
            name=name,
            source_lang=source_lang,
            target_lang=target_lang,
        )
        decided_at = None if status == "pending" else time.time()
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

    # -- translations ---------------------------------------------------------------------------
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

    # -- suggestions ----------------------------------------------------------------------------
    def align(
        self,
        doc_id: int,
        settings: AlignSettings | None = None,
        *,
        scorer: str = "bleu",
        embeddings: Any = None,
        options: AlignerOptions | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
        order: int | None = None,
        tokenize: str | None = None,
        lowercase: bool = True,
        threshold: float | None = None,
    ) -> int:
        """Align a document with its stored translations (both directions) through
        :mod:`workbench.align.pipeline`; stores and returns a suggestion run.

        ``settings`` (an :class:`~workbench.align.pipeline.AlignSettings`) or the keywords
        (``options`` gives ``method`` and ``dp_weight``) say how."""
        from workbench.align import pipeline

        settings = settings or _settings(
            scorer, embeddings, options, order, tokenize, lowercase, threshold
        )
        docs = pipeline.project_documents(self, doc_id)
        result = pipeline.align(
            settings,
            docs,
            (lambda done, total, _stage: progress(done, total)) if progress else None,
            cancel,
        )
        params = {"signature": result.signature, "translators": [d.name for d in docs.mt]}
        run = self.set_suggestions(doc_id, result.units, settings.scorer, params=params)
        from workbench.project.embeddings import keep_embedding

        keep_embedding(self, doc_id, result.vectors)  # for shading, neighbours, retraining
        return run

    def set_suggestions(
        self,
        doc_id: int,
        units: Sequence[AlignmentUnit],
        scorer: str,
        *,
        params: dict | None = None,
    ) -> int:
        """Store a suggestion run and make it the document's review rows.

        Pending units are replaced; accepted and rejected ones are kept and the new
        suggestions fill the gaps around them. The document's undo history is reset (the
        decisions themselves stay, and stay in the journal).
        """
        from workbench.project.gaps import fill_around

        info = self.document(doc_id)
        for u in units:
            if any(not 0 <= i < info.n_source for i in u.source) or any(
                not 0 <= j < info.n_target for j in u.target
            ):
                raise InputError(
                    f"suggestion {u} is outside document {doc_id} "
                    f"({info.n_source} source, {info.n_target} target sentences)"
                )
        with self._write() as conn:
            now = time.time()
            cur = conn.execute(
                "INSERT INTO suggestion_runs (doc_id, scorer, created, params) VALUES (?, ?, ?, ?)",
                (doc_id, scorer, now, json.dumps(params or {})),
            )
            run_id = int(cur.lastrowid)
            conn.executemany(
                "INSERT INTO suggestions (run_id, k, source_ids, target_ids, score, method, "
                "confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (
                        run_id,
                        k,
                        ids_text(u.source),
                        ids_text(u.target),
                        u.score,
                        u.method,
                        queries.unit_confidence(u),
                    )
                    for k, u in enumerate(units)
                ),
            )
            decided = conn.execute(
                "SELECT id, source_ids, target_ids FROM units WHERE doc_id = ? "
                "AND status != 'pending' ORDER BY position",
                (doc_id,),
            ).fetchall()
            fixed = [(parse_ids(s), parse_ids(t)) for _id, s, t in decided]
            layout = fill_around(fixed, units, info.n_source, info.n_target)
            n_replaced = conn.execute(
                "DELETE FROM units WHERE doc_id = ? AND status = 'pending'", (doc_id,)
            ).rowcount
            # Decided units move to their new positions via temporary negative ones.
            conn.execute("UPDATE units SET position = -(1 << 52) - id WHERE doc_id = ?", (doc_id,))
            moves = []
            rows = []
            for k, item in enumerate(layout):
                position = (k + 1) * POSITION_STEP
                if isinstance(item, int):
                    moves.append((position, decided[item][0]))
                else:
                    rows.append(queries.unit_values(doc_id, position, item, scorer, run_id))
            conn.executemany("UPDATE units SET position = ? WHERE id = ?", moves)
            conn.executemany(queries.INSERT_NEW_UNIT, rows)
            history.forget_document(conn, doc_id)
            history.write_journal(
                conn,
                self.reviewer,
                "align",
                doc_id,
                [],
                {"pending_replaced": n_replaced},
                {"run": run_id, "scorer": scorer, "units": len(layout), "kept": len(decided)},
                now,
            )
        return run_id

    def suggestion_runs(self, doc_id: int) -> list[SuggestionRun]:
        with self._mutex:
            rows = (
                self._db()
                .execute(
                    "SELECT r.id, r.doc_id, r.scorer, r.created, "
                    "(SELECT COUNT(*) FROM suggestions s WHERE s.run_id = r.id) "
                    "FROM suggestion_runs r WHERE r.doc_id = ? ORDER BY r.id",
                    (doc_id,),
                )
                .fetchall()
            )
        return [SuggestionRun(*r, active=(k == len(rows) - 1)) for k, r in enumerate(rows)]

    def run_units(self, run_id: int) -> list[AlignmentUnit]:
        from workbench.align import AlignmentUnit

        with self._mutex:
            rows = (
                self._db()
                .execute(
                    "SELECT source_ids, target_ids, score, method, confidence FROM suggestions "
                    "WHERE run_id = ? ORDER BY k",
                    (run_id,),
                )
                .fetchall()
            )
        return [AlignmentUnit(parse_ids(s), parse_ids(t), sc, m, c) for s, t, sc, m, c in rows]

    def realign(
        self,
        doc_id: int,
        start_position: int | None = None,
        end_position: int | None = None,
        settings: AlignSettings | None = None,
        *,
        scorer: str = "bleu",
        embeddings: Any = None,
        options: AlignerOptions | None = None,
        order: int | None = None,
        tokenize: str | None = None,
        lowercase: bool = True,
        threshold: float | None = None,
    ) -> int:
        """Re-align the pending units between two positions (inclusive; None = open end).

        Decided units, and units outside the range, are fixed anchors: each run of pending
        units between them is re-aligned on its own sentences (per article), and replaced.
        One undo step. Returns the number of units made. The aligner comes from
        :func:`workbench.align.pipeline.build_aligner` (``settings`` or the keywords).
        """
        from workbench.align import pipeline
        from workbench.project.realign import realign_runs

        settings = settings or _settings(
            scorer, embeddings, options, order, tokenize, lowercase, threshold
        )
        docs = pipeline.project_documents(self, doc_id)
        from workbench.project.embeddings import keep_embedding

        aligner, vectors = pipeline.build_aligner(settings, docs)
        keep_embedding(self, doc_id, vectors)
        mt = docs.mt[0] if docs.mt else None
        mt_reverse = docs.mt_reverse[0] if docs.mt_reverse else None
        with self._write() as conn:
            edit = history.Edit(conn, "realign", doc_id)
            made = realign_runs(
                conn,
                edit,
                aligner,
                doc_id,
                docs.source,
                docs.target,
                mt,
                mt_reverse,
                settings.scorer,
                start_position,
                end_position,
            )
            edit.finish(self.reviewer)
        return made

    # -- units ----------------------------------------------------------------------------------
    def count_units(
        self,
        doc_id: int | None = None,
        *,
        status: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        below_score: float | None = None,
        **confidence: Any,
    ) -> int:
        """How many units match; ``shape``: 1-1, non-1-1, empty-side or pair; ``max_score``
        is inclusive, ``below_score`` exclusive; ``confidence``: min_confidence,
        below_confidence, has_confidence, low_confidence (:func:`queries.unit_filter`)."""
        where, params = queries.unit_filter(
            doc_id,
            status,
            min_score,
            max_score,
            bookmarked,
            shape,
            below_score=below_score,
            **confidence,
        )
        with self._mutex:
            return self._db().execute(f"SELECT COUNT(*) FROM units {where}", params).fetchone()[0]

    def unit_ids(
        self,
        doc_id: int | None = None,
        *,
        status: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        start_position: int | None = None,
        end_position: int | None = None,
        below_score: float | None = None,
        before: tuple[int, int] | None = None,
        among: Sequence[int] | None = None,
        **confidence: Any,
    ) -> list[int]:
        """Ids of the matching units in document order, without their texts (for bulk
        decisions): ``below_score`` exclusive, ``before`` = (doc id, position) strictly
        earlier in document order, ``among`` only these ids; confidence bounds as
        :meth:`count_units`."""
        where, params = queries.unit_filter(
            doc_id,
            status,
            min_score,
            max_score,
            bookmarked,
            shape,
            below_score=below_score,
            **confidence,
        )
        for op, value in ((">=", start_position), ("<=", end_position)):
            if value is not None:
                where += f" {'AND' if where else 'WHERE'} position {op} ?"
                params.append(value)
        if before is not None:
            where += f" {'AND' if where else 'WHERE'} (doc_id, position) < (?, ?)"
            params.extend(before)
        with self._mutex:
            conn = self._db()
            if among is None:
                rows = conn.execute(
                    f"SELECT id FROM units {where} ORDER BY doc_id, position", params
                )
                return [r[0] for r in rows]
            ids = list(dict.fromkeys(among))
            found: list[tuple[int, int, int]] = []
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                found.extend(
                    conn.execute(
                        f"SELECT doc_id, position, id FROM units {where} "
                        f"{'AND' if where else 'WHERE'} id IN ({','.join('?' * len(chunk))})",
                        [*params, *chunk],
                    )
                )
            return [r[2] for r in sorted(found)]

    def scores(self, doc_id: int | None = None, *, status: str | None = None) -> list[float]:
        """The scores of the matching scored units (for a threshold histogram)."""
        where, params = queries.unit_filter(doc_id, status, None, None)
        where += f" {'AND' if where else 'WHERE'} score IS NOT NULL"
        with self._mutex:
            return [r[0] for r in self._db().execute(f"SELECT score FROM units {where}", params)]

    def confidences(self, doc_id: int | None = None, *, status: str | None = None) -> list[float]:
        """The confidences of the matching units that have one (bulk preview, histogram)."""
        where, params = queries.unit_filter(doc_id, status, None, None, has_confidence=True)
        with self._mutex:
            conn = self._db()
            return [r[0] for r in conn.execute(f"SELECT confidence FROM units {where}", params)]

    def next_unit(
        self,
        doc_id: int | None,
        position: int | tuple[int, int] | None,
        *,
        direction: int = 1,
        status: str | None = None,
        max_score: float | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        below_score: float | None = None,
        **confidence: Any,
    ) -> Unit | None:
        """The first matching unit after (direction 1) or before (-1) a position, or None
        (navigation: next pending, low-score, non-1-1, empty-side or bookmarked unit).

        ``position`` is a position in ``doc_id``, or a (doc id, position) place in document
        order, which also works across documents (``doc_id`` None); None starts at the start
        (end). ``max_score`` is inclusive, ``below_score`` exclusive; confidence bounds as
        :meth:`count_units`."""
        where, params = queries.unit_filter(
            doc_id,
            status,
            None,
            max_score,
            bookmarked,
            shape,
            below_score=below_score,
            **confidence,
        )
        if position is not None:
            column = "(doc_id, position)" if isinstance(position, tuple) else "position"
            marks = "(?, ?)" if isinstance(position, tuple) else "?"
            op = ">" if direction > 0 else "<"
            where += f" {'AND' if where else 'WHERE'} {column} {op} {marks}"
            params.extend(position if isinstance(position, tuple) else [position])
        order = "doc_id, position" if direction > 0 else "doc_id DESC, position DESC"
        with self._mutex:
            conn = self._db()
            row = conn.execute(
                f"SELECT id FROM units {where} ORDER BY {order} LIMIT 1", params
            ).fetchone()
            return None if row is None else queries.unit(conn, row[0], self.path)

    def units(
        self,
        doc_id: int | None = None,
        *,
        status: str | None = None,
        min_score: float | None = None,
        max_score: float | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str = "position",
        after: int | None = None,
        bookmarked: bool | None = None,
        shape: str | None = None,
        **confidence: Any,
    ) -> list[Unit]:
        """A page of review rows. ``order``: position, score, -score or confidence (least
        confident first; units without one after them, by score); confidence bounds as
        :meth:`count_units`.

        ``after`` (a position; with ``doc_id`` and position order) pages by index seek,
        which stays fast deep into a large document where ``offset`` has to count rows.
        """
        with self._mutex:
            return queries.units(
                self._db(),
                doc_id,
                status,
                min_score,
                max_score,
                offset,
                limit,
                order,
                after,
                bookmarked,
                shape,
                **confidence,
            )

    def unit(self, unit_id: int) -> Unit:
        with self._mutex:
            return queries.unit(self._db(), unit_id, self.path)

    def neighbour(self, unit_id: int, direction: int = 1) -> Unit | None:
        """The next (1) or previous (-1) unit of the same document."""
        with self._mutex:
            conn = self._db()
            u = queries.unit(conn, unit_id, self.path)
            row = queries.neighbour_row(conn, u.doc_id, u.position, direction)
            return None if row is None else queries.unit(conn, row[0], self.path)

    # -- decisions and edits --------------------------------------------------------------------
    def decide(self, unit_id: int, status: str) -> None:
        """Accept, reject or reset (``pending``) a unit; on disk when this returns."""
        self.decide_many([unit_id], status, action="decide")

    def decide_many(
        self, unit_ids: Iterable[int], status: str, *, action: str = "decide many"
    ) -> int:
        """Decide several units as one undo step; returns how many changed."""
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}; choose {', '.join(STATUSES)}")
        ids = list(dict.fromkeys(int(u) for u in unit_ids))
        with self._write() as conn:
            current = queries.statuses(conn, ids)
            missing = [u for u in ids if u not in current]
            if missing:
                raise ProjectError(f"{self.path}: no unit {missing[0]}")
            changed = [u for u in ids if current[u][0] != status]
            if not changed:
                return 0
            docs = {current[u][1] for u in changed}
            edit = history.Edit(conn, action, docs.pop() if len(docs) == 1 else None)
            edit.set_statuses(changed, status, None if status == "pending" else time.time())
            edit.finish(self.reviewer)
        return len(changed)

    def update_scores(
        self, unit_ids: Sequence[int], scores: Sequence[float | None], scorer: str
    ) -> int:
        """Give pending units new scores from ``scorer`` (e.g. after retraining the embedding);
        returns how many were updated.

        Scores are not curator decisions: no undo step, but one journal entry. Decided units
        keep the score they were decided with (ids of decided units are skipped).
        """
        ids = [int(u) for u in unit_ids]
        if len(ids) != len(scores):
            raise InputError(f"update_scores: {len(ids)} unit ids but {len(scores)} scores")
        values = [
            (None if s is None else float(s), scorer if s is not None else "", u)
            for u, s in zip(ids, scores, strict=True)
        ]
        with self._write() as conn:
            changed = conn.executemany(
                "UPDATE units SET score = ?, scorer = ? WHERE id = ? AND status = 'pending'",
                values,
            ).rowcount
            history.write_journal(
                conn,
                self.reviewer,
                "rescore",
                None,
                [],
                {},
                {"scorer": scorer, "units": changed},
                time.time(),
            )
        return int(changed)

    def set_bookmark(self, unit_id: int, on: bool = True, note: str = "") -> None:
        with self._write() as conn:
            u = queries.unit(conn, unit_id, self.path)
            edit = history.Edit(conn, "bookmark" if on else "remove bookmark", u.doc_id)
            edit.touch_units([unit_id])
            conn.execute(
                "UPDATE units SET bookmark = ?, bookmark_note = ? WHERE id = ?",
                (int(on), note if on else "", unit_id),
            )
            edit.finish(self.reviewer)

    def merge_with_next(self, unit_id: int) -> int:
        """Merge a unit with the next one of its document (pending); returns the merged id."""
        with self._write() as conn:
            a = queries.unit(conn, unit_id, self.path)
            row = queries.neighbour_row(conn, a.doc_id, a.position, 1)
            if row is None:
                raise ProjectError(f"unit {unit_id} is the last of its document; nothing follows")
            b = queries.unit(conn, row[0], self.path)
            self._check_one_article(
                a.doc_id, a.source_ids + b.source_ids, a.target_ids + b.target_ids
            )
            edit = history.Edit(conn, "merge", a.doc_id)
            edit.touch_units([a.id, b.id])
            conn.execute("DELETE FROM units WHERE id = ?", (b.id,))
            queries.set_unit_ids(
                conn,
                a.id,
                tuple(sorted(a.source_ids + b.source_ids)),
                tuple(sorted(a.target_ids + b.target_ids)),
            )
            edit.finish(self.reviewer)
        return a.id

    def split_unit(self, unit_id: int, source_at: int, target_at: int) -> tuple[int, int]:
        """Split a unit after its first ``source_at`` source and ``target_at`` target sentences."""
        with self._write() as conn:
            u = queries.unit(conn, unit_id, self.path)
            if not (0 <= source_at <= len(u.source_ids) and 0 <= target_at <= len(u.target_ids)):
                raise InputError(
                    f"cannot split unit {unit_id} at source {source_at}, target {target_at}: it "
                    f"has {len(u.source_ids)} source and {len(u.target_ids)} target sentences"
                )
            first = (u.source_ids[:source_at], u.target_ids[:target_at])
            second = (u.source_ids[source_at:], u.target_ids[target_at:])
            if not any(first) or not any(second):
                raise InputError(f"splitting unit {unit_id} there would leave an empty unit")
            edit = history.Edit(conn, "split", u.doc_id)
            edit.touch_units([u.id])
            queries.set_unit_ids(conn, u.id, *first)
            (position,) = queries.free_positions(conn, edit, u.doc_id, u.position, 1)
            new_id = queries.insert_manual_unit(conn, u.doc_id, position, *second)
            edit.new_unit(new_id)
            edit.finish(self.reviewer)
        return u.id, new_id

    def move_sentence(self, unit_id: int, side: str, direction: str) -> None:
        """Move a unit's first sentence on ``side`` to the previous unit (``up``) or its last
        one to the next unit (``down``); a new unit is made at either end of the document."""
        s = _side(side)
        if direction not in ("up", "down"):
            raise InputError(f"unknown direction {direction!r}; choose up or down")
        with self._write() as conn:
            u = queries.unit(conn, unit_id, self.path)
            ids = (u.source_ids, u.target_ids)[s]
            if not ids:
                raise ProjectError(f"unit {unit_id} has no {side} sentence to move")
            step = -1 if direction == "up" else 1
            moved = ids[0] if step < 0 else ids[-1]
            row = queries.neighbour_row(conn, u.doc_id, u.position, step)
            if row is not None:
                v = queries.unit(conn, row[0], self.path)
                joined = [list(v.source_ids), list(v.target_ids)]
                joined[s].append(moved)
                self._check_one_article(u.doc_id, tuple(joined[0]), tuple(joined[1]))
            edit = history.Edit(conn, f"move {side} {direction}", u.doc_id)
            edit.touch_units([u.id])
            rest = ids[1:] if step < 0 else ids[:-1]
            if row is None:
                if step < 0:
                    position = queries.position_before_first(conn, u.doc_id)
                else:
                    (position,) = queries.free_positions(conn, edit, u.doc_id, u.position, 1)
                new = ((moved,), ()) if s == 0 else ((), (moved,))
                edit.new_unit(queries.insert_manual_unit(conn, u.doc_id, position, *new))
            else:
                v = queries.unit(conn, row[0], self.path)
                edit.touch_units([v.id])
                vs = list((v.source_ids, v.target_ids))
                vs[s] = tuple(sorted((*vs[s], moved)))
                queries.set_unit_ids(conn, v.id, vs[0], vs[1])
            mine = [u.source_ids, u.target_ids]
            mine[s] = rest
            if mine[0] or mine[1]:
                queries.set_unit_ids(conn, u.id, mine[0], mine[1])
            else:
                conn.execute("DELETE FROM units WHERE id = ?", (u.id,))
            edit.finish(self.reviewer)

    def edit_sentence(self, doc_id: int, side: str, sentence_id: int, text: str) -> None:
        """Fix a sentence's text (exports use it); the imported text is kept as the original."""
        s = _side(side)
        if "\n" in text or "\r" in text:
            raise InputError("a sentence cannot contain a line break; split it instead")
        with self._write() as conn:
            row = conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                (doc_id, s, sentence_id),
            ).fetchone()
            if row is None:
                raise ProjectError(f"document {doc_id} has no {side} sentence {sentence_id}")
            if row[0] == text:
                return
            edit = history.Edit(conn, f"edit {side}", doc_id)
            edit.touch_sentence(doc_id, s, sentence_id)
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (text, doc_id, s, sentence_id),
            )
            edit.finish(self.reviewer)

    def edit_sentences(self, doc_id: int, side: str, texts: Mapping[int, str]) -> int:
        """Fix several sentences' texts (a replace-all) as ONE undo step and one journal entry;
        returns how many changed. The imported texts are kept as the originals."""
        s = _side(side)
        if any("\n" in t or "\r" in t for t in texts.values()):
            raise InputError("a sentence cannot contain a line break; split it instead")
        with self._write() as conn:
            changed = []
            for sentence_id, text in sorted(texts.items()):
                row = conn.execute(
                    "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                    (doc_id, s, sentence_id),
                ).fetchone()
                if row is None:
                    raise ProjectError(f"document {doc_id} has no {side} sentence {sentence_id}")
                if row[0] != text:
                    changed.append((text, doc_id, s, sentence_id))
            if not changed:
                return 0
            edit = history.Edit(conn, f"edit {side}", doc_id)
            for _text, _doc, _s, sentence_id in changed:
                edit.touch_sentence(doc_id, s, sentence_id)
            conn.executemany(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?", changed
            )
            edit.finish(self.reviewer)
        return len(changed)

    def _sentence_edit_context(
        self, conn: sqlite3.Connection, doc_id: int, side: str, sentence_id: int, extra: int = 0
    ) -> tuple[int, list[list[int]], list[int], int]:
        """Side index, articles, translation ids and sentence count, with ``sentence_id``
        (and ``extra`` sentences after it) checked to exist."""
        s = _side(side)
        row = self._doc_row(doc_id)
        articles = [list(a) for a in json.loads(row[5 + s])]
        n = articles[-1][1] if articles else 0
        if not (sentence_id >= 0 and sentence_id + extra < n):
            raise ProjectError(f"document {doc_id} has no {side} sentence {sentence_id + extra}")
        translations = [
            t
            for (t,) in conn.execute(
                "SELECT id FROM translations WHERE doc_id = ? AND side = ?", (doc_id, s)
            )
        ]
        return s, articles, translations, n

    def split_sentence(self, doc_id: int, side: str, sentence_id: int, at: int) -> tuple[int, int]:
        """Split a sentence at character ``at`` (a segmentation fix); the second part becomes
        the next sentence, in the same unit. Later sentence ids move up by one. Returns the
        ids of the two parts."""
        with self._write() as conn:
            s, articles, translations, _n = self._sentence_edit_context(
                conn, doc_id, side, sentence_id
            )
            text = conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                (doc_id, s, sentence_id),
            ).fetchone()[0]
            left, right = text[:at].strip(), text[at:].strip()
            if not left or not right:
                raise InputError(f"splitting at {at} would leave an empty sentence")
            after = [[a + (a > sentence_id), b + (b > sentence_id)] for a, b in articles]
            edit = history.Edit(conn, f"split {side} sentence", doc_id)
            edit.slot(
                slots.insert_op(doc_id, s, sentence_id + 1, right, translations, (articles, after))
            )
            edit.touch_sentence(doc_id, s, sentence_id)
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (left, doc_id, s, sentence_id),
            )
            unit = queries.unit_with_sentence(conn, doc_id, s, sentence_id)
            if unit is not None:
                edit.touch_units([unit[0]])
                ids = [list(unit[1]), list(unit[2])]
                ids[s] = sorted({*ids[s], sentence_id + 1})
                queries.set_unit_ids(conn, unit[0], tuple(ids[0]), tuple(ids[1]), keep=True)
            edit.finish(self.reviewer)
        return sentence_id, sentence_id + 1

    def join_sentences(self, doc_id: int, side: str, sentence_id: int) -> int:
        """Join a sentence with the next one (same article), without a space between two CJK
        sentences. Within one unit the decision stays; across two units both become pending.
        Later sentence ids move down by one. Returns the joined sentence's id."""
        with self._write() as conn:
            s, articles, _translations, _n = self._sentence_edit_context(
                conn, doc_id, side, sentence_id, extra=1
            )
            if any(a == sentence_id + 1 for a, _b in articles):
                raise InputError(
                    f"{side} sentences {sentence_id} and {sentence_id + 1} are in different "
                    "articles (.EOA between them)"
                )
            texts = [
                t
                for (t,) in conn.execute(
                    "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx IN (?, ?) "
                    "ORDER BY idx",
                    (doc_id, s, sentence_id, sentence_id + 1),
                )
            ]
            edit = history.Edit(conn, f"join {side} sentences", doc_id)
            edit.touch_sentence(doc_id, s, sentence_id)
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (join_texts(*texts), doc_id, s, sentence_id),
            )
            first = queries.unit_with_sentence(conn, doc_id, s, sentence_id)
            second = queries.unit_with_sentence(conn, doc_id, s, sentence_id + 1)
            if second is not None:
                edit.touch_units([second[0]])
                ids = [list(second[1]), list(second[2])]
                ids[s].remove(sentence_id + 1)
                same = first is not None and first[0] == second[0]
                if ids[0] or ids[1]:
                    queries.set_unit_ids(conn, second[0], tuple(ids[0]), tuple(ids[1]), keep=same)
                else:
                    conn.execute("DELETE FROM units WHERE id = ?", (second[0],))
                if first is not None and not same:
                    edit.touch_units([first[0]])
                    queries.set_unit_ids(conn, first[0], first[1], first[2])
            after = [[a - (a > sentence_id + 1), b - (b > sentence_id + 1)] for a, b in articles]
            edit.slot(
                slots.remove_op(conn, doc_id, s, sentence_id + 1, (articles, after), join_mt=True)
            )
            edit.finish(self.reviewer)
        return sentence_id

    def insert_sentence(self, doc_id: int, side: str, before_id: int, text: str) -> int:
        """Insert a sentence (a missing line) as id ``before_id`` (= the sentence count to
        append), in a new unit of its own — or, when ``before_id`` falls inside a unit of
        several sentences, into that unit (which becomes pending), so that text stays in
        order; later ids move up by one. Returns its id."""
        if not text.strip() or "\n" in text or "\r" in text:
            raise InputError("an inserted sentence needs text, without line breaks")
        with self._write() as conn:
            s = _side(side)
            row = self._doc_row(doc_id)
            articles = [list(a) for a in json.loads(row[5 + s])]
            n = articles[-1][1] if articles else 0
            if not 0 <= before_id <= n:
                raise ProjectError(f"document {doc_id}: cannot insert before {side} {before_id}")
            translations = [
                t
                for (t,) in conn.execute(
                    "SELECT id FROM translations WHERE doc_id = ? AND side = ?", (doc_id, s)
                )
            ]
            if before_id == n:
                after = [list(a) for a in articles]
                after[-1][1] += 1
            else:
                after = [[a + (a > before_id), b + (b > before_id)] for a, b in articles]
            # Where the new unit goes: before the unit holding the sentence it precedes.
            holder = queries.unit_with_sentence(conn, doc_id, s, before_id)
            if holder is not None and min(holder[1 + s]) < before_id:
                # Inside a unit: a unit of its own would come before the unit's earlier
                # sentences and put the text out of order.
                edit = history.Edit(conn, f"insert {side} sentence", doc_id)
                edit.slot(
                    slots.insert_op(
                        doc_id, s, before_id, text.strip(), translations, (articles, after)
                    )
                )
                unit = queries.unit_with_sentence(conn, doc_id, s, before_id - 1)
                edit.touch_units([unit[0]])
                ids = [list(unit[1]), list(unit[2])]
                ids[s] = sorted({*ids[s], before_id})
                queries.set_unit_ids(conn, unit[0], tuple(ids[0]), tuple(ids[1]))
                edit.finish(self.reviewer)
                return before_id
            if holder is None and before_id > 0:
                prev = queries.unit_with_sentence(conn, doc_id, s, before_id - 1)
                anchor = None if prev is None else prev[3]
            elif holder is not None:
                row = queries.neighbour_row(conn, doc_id, holder[3], -1)
                anchor = row[1] if row else holder[3] - (1 << 20)
            else:
                anchor = None
            if anchor is None:
                last = conn.execute(
                    "SELECT MAX(position) FROM units WHERE doc_id = ?", (doc_id,)
                ).fetchone()[0]
                anchor = last if last is not None else 0
            edit = history.Edit(conn, f"insert {side} sentence", doc_id)
            edit.slot(
                slots.insert_op(doc_id, s, before_id, text.strip(), translations, (articles, after))
            )
            (position,) = queries.free_positions(conn, edit, doc_id, anchor, 1)
            ids = (((before_id,), ()), ((), (before_id,)))[s]
            edit.new_unit(queries.insert_manual_unit(conn, doc_id, position, *ids))
            edit.finish(self.reviewer)
        return before_id

    def delete_sentence(self, doc_id: int, side: str, sentence_id: int) -> None:
        """Delete a sentence (e.g. OCR noise); its unit becomes pending (or goes, if empty);
        later ids move down by one. Undo puts it back."""
        with self._write() as conn:
            s, articles, _translations, _n = self._sentence_edit_context(
                conn, doc_id, side, sentence_id
            )
            # An article left without sentences would no longer pair with the other side's.
            if [sentence_id, sentence_id + 1] in articles:
                raise InputError(
                    f"{side} sentence {sentence_id} is its article's only sentence; deleting it "
                    "would leave an empty article"
                )
            edit = history.Edit(conn, f"delete {side} sentence", doc_id)
            unit = queries.unit_with_sentence(conn, doc_id, s, sentence_id)
            if unit is not None:
                edit.touch_units([unit[0]])
                ids = [list(unit[1]), list(unit[2])]
                ids[s].remove(sentence_id)
                if ids[0] or ids[1]:
                    queries.set_unit_ids(conn, unit[0], tuple(ids[0]), tuple(ids[1]))
                else:
                    conn.execute("DELETE FROM units WHERE id = ?", (unit[0],))
            after = [[a - (a > sentence_id), b - (b > sentence_id)] for a, b in articles]
            edit.slot(slots.remove_op(conn, doc_id, s, sentence_id, (articles, after)))
            edit.finish(self.reviewer)

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
        table = self.audit_summary(idle_seconds)
        try:
            table.to_csv(path, index=False)
        except OSError as exc:
            raise InputError(f"{path}: cannot write ({exc.strerror})") from None
        return len(table)

    # -- spot-check samples ---------------------------------------------------------------------
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

    # -- statistics and export ------------------------------------------------------------------
    def stats(self, doc_id: int | None = None) -> ProjectStats:
        with self._mutex:
            return queries.stats(self._db(), doc_id, self.documents())

    def export_pairs(
        self,
        doc_ids: Iterable[int] | None = None,
        *,
        accepted_only: bool = True,
        min_score: float | None = None,
        min_confidence: float | None = None,
    ) -> Iterator[ParallelPair]:
        """The pairs to export, in document order, with the current (edited) text.

        Only units with both sides count as pairs. ``accepted_only=False`` adds pending
        units; rejected ones are never exported. ``min_confidence`` leaves out units without
        a confidence too. Read in pages, so memory stays flat.
        """
        from workbench.corpus import ParallelPair

        docs = {d.id: d for d in self.documents()}
        wanted = sorted(docs) if doc_ids is None else list(doc_ids)
        for d in wanted:
            if d not in docs:
                raise ProjectError(f"{self.path}: no document {d}")
        statuses = ("accepted",) if accepted_only else ("accepted", "pending")
        for d in wanted:
            after = None
            while True:
                with self._mutex:
                    page = queries.export_page(
                        self._db(), d, statuses, min_score, after, 2000, min_confidence
                    )
                if not page:
                    break
                for u in page:
                    yield ParallelPair(
                        u.source_text,
                        u.target_text,
                        docs[d].name,
                        u.source_ids,
                        u.target_ids,
                        u.score,
                        u.scorer,
                    )
                after = page[-1].position

    def export(
        self,
        path: str | Path,
        fmt: str | None = None,
        *,
        doc_ids: Iterable[int] | None = None,
        accepted_only: bool = True,
        min_score: float | None = None,
        metadata: bool = False,
        source_lang: str | None = None,
        target_lang: str | None = None,
        skip_invalid: bool = False,
        skipped: list[str] | None = None,
        min_confidence: float | None = None,
    ) -> int:
        """Write the pairs with :func:`workbench.corpus.write_pairs`; returns how many.

        The languages are those given, else the documents' own when they all agree; pairs the
        format cannot hold are refused, or with ``skip_invalid`` left out (see ``skipped``).
        """
        from workbench.corpus import write_pairs
        from workbench.languages import normalize

        docs = self.documents()
        if doc_ids is not None:
            chosen = set(doc_ids)
            docs = [d for d in docs if d.id in chosen]
        langs = {(normalize(d.source_lang), normalize(d.target_lang)) for d in docs}
        own_source, own_target = langs.pop() if len(langs) == 1 else ("", "")
        source_lang = normalize(source_lang) or own_source
        target_lang = normalize(target_lang) or own_target
        pairs = self.export_pairs(
            doc_ids, accepted_only=accepted_only, min_score=min_score, min_confidence=min_confidence
        )
        return write_pairs(
            pairs,
            path,
            fmt,
            metadata=metadata,
            source_lang=source_lang or "und",
            target_lang=target_lang or "und",
            skip_invalid=skip_invalid,
            skipped=skipped,
        )


def _settings(
    scorer: str,
    embeddings: Any,
    options: AlignerOptions | None,
    order: int | None,
    tokenize: str | None,
    lowercase: bool,
    threshold: float | None,
) -> AlignSettings:
    """Pipeline settings from :meth:`Project.align`'s keywords."""
    from workbench.align import AlignerOptions
    from workbench.align.pipeline import AlignSettings
    from workbench.scoring.tokenize import DEFAULT_TOKENIZER

    search = options or AlignerOptions()
    return AlignSettings(
        scorer=scorer,
        embeddings=embeddings,
        threshold=threshold,
        order=order,
        tokenize=tokenize or DEFAULT_TOKENIZER,
        lowercase=lowercase,
        method=search.method,
        dp_weight=search.dp_weight,
    )
