"""Suggestion runs: the aligner's units stored around the curator's (decided, made or edited
ones; aligning goes through
:mod:`workbench.align.pipeline`).

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from workbench.errors import InputError, ProjectError
from workbench.project import history, queries
from workbench.project.base import POSITION_STEP, StoreBase
from workbench.project.confidences import blank_sentences
from workbench.project.model import AlignBasis, SuggestionRun, ids_text, parse_ids
from workbench.wording import count

if TYPE_CHECKING:
    from workbench.align import AlignerOptions, AlignmentUnit
    from workbench.align.pipeline import AlignSettings, SharedModel


class SuggestionStore(StoreBase):
    """Suggestion runs."""

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
        shared: SharedModel | None = None,
    ) -> int:
        """Align a document with its stored translations (both directions) through
        :mod:`workbench.align.pipeline`; stores and returns a suggestion run.

        ``settings`` (an :class:`~workbench.align.pipeline.AlignSettings`) or the keywords
        (``options`` gives ``method`` and ``dp_weight``) say how. Self-trained ABLEU uses the
        project's model (:mod:`workbench.project.project_model`: trained once, stored, reused
        while the texts stay the same); ``shared`` gives it when the caller has it already."""
        from workbench.align import pipeline
        from workbench.project.project_model import after_alignment, project_model

        settings = settings or _settings(
            scorer, embeddings, options, order, tokenize, lowercase, threshold
        )
        report = (lambda done, total, _stage: progress(done, total)) if progress else None
        if shared is None:
            shared = project_model(
                self,
                settings,
                doc_id,
                (lambda f: report(round(100 * f), 100, "training")) if report else None,
                cancel,
            )
        docs = pipeline.project_documents(self, doc_id)
        result = pipeline.align(settings, docs, report, cancel, shared)
        params = {"signature": result.signature, "translators": [d.name for d in docs.mt]}
        if shared is not None and result.vectors is None and shared.digest:
            params["model"] = f"project:{shared.digest[:12]}"
        with self.transaction():  # the suggestions and the model kept for them, or neither
            run = self.set_suggestions(doc_id, result.units, settings.scorer, params=params)
            # for shading, neighbours, retraining
            after_alignment(self, doc_id, shared, result.vectors)
        return run

    def set_suggestions(
        self,
        doc_id: int,
        units: Sequence[AlignmentUnit],
        scorer: str,
        *,
        params: dict | None = None,
        basis: AlignBasis | None = None,
    ) -> int:
        """Store a suggestion run and make it the document's review rows.

        The aligner's pending suggestions nobody touched are replaced; the curator's units
        are kept as they are, and the new suggestions fill the gaps around them: accepted and
        rejected ones, and pending ones the curator made or edited (a merge, a split, a moved
        sentence, a text fix: ``Unit.edited``). The document's undo history is reset (the
        decisions and edits themselves stay, and stay in the journal).

        ``basis``: what the suggestions were computed from (:meth:`alignment_basis`, taken
        when a background alignment started). If the document's sentences changed since
        (a text fix, a sentence split), the suggestions no longer fit it: nothing is stored
        and a ProjectError says so. Pending units made since are kept too.
        """
        from workbench.project.gaps import fill_around

        if basis is not None:  # first: a changed text is the reason a suggestion no longer fits
            self.check_basis(basis)
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
            if basis is not None:
                _check_sentences(conn, doc_id, basis)
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
            decided = []  # (id, source ids, target ids) of the units kept, in order
            replaced = []
            for unit_id, s, t, status, edited in conn.execute(
                "SELECT id, source_ids, target_ids, status, edited FROM units WHERE doc_id = ? "
                "ORDER BY position",
                (doc_id,),
            ):
                ids = (parse_ids(s), parse_ids(t))
                made_since = basis is not None and ids not in basis.pending
                if status != "pending" or edited or made_since:
                    decided.append((unit_id, *ids))
                else:
                    replaced.append((unit_id,))
            fixed = [(s, t) for _id, s, t in decided]
            layout = fill_around(fixed, units, info.n_source, info.n_target)
            conn.executemany("DELETE FROM units WHERE id = ?", replaced)
            n_replaced = len(replaced)
            # Decided units move to their new positions via temporary negative ones.
            conn.execute("UPDATE units SET position = -(1 << 52) - id WHERE doc_id = ?", (doc_id,))
            moves = []
            rows = []
            blank = blank_sentences(conn, doc_id)
            for k, item in enumerate(layout):
                position = (k + 1) * POSITION_STEP
                if isinstance(item, int):
                    moves.append((position, decided[item][0]))
                else:
                    rows.append(queries.unit_values(doc_id, position, item, scorer, run_id, blank))
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

    def alignment_basis(self, doc_id: int) -> AlignBasis:
        """The document's sentences and pending units now, for :meth:`set_suggestions`'s
        ``basis`` (read when a background alignment starts)."""
        with self._mutex:
            conn = self._db()
            source, target = _sentences(conn, doc_id)
            pending = frozenset(
                (parse_ids(s), parse_ids(t))
                for s, t in conn.execute(
                    "SELECT source_ids, target_ids FROM units WHERE doc_id = ? "
                    "AND status = 'pending'",
                    (doc_id,),
                )
            )
        return AlignBasis(doc_id, source, target, pending)

    def pending_runs(
        self, doc_id: int, start_position: int | None = None, end_position: int | None = None
    ) -> list[list[tuple]]:
        """What :meth:`realign` would re-align: the runs of pending suggestions nobody touched
        between two positions (inclusive; None = open end), as unit rows, for
        :meth:`store_realigned`."""
        from workbench.project.realign import pending_runs

        with self._mutex:
            return pending_runs(self._db(), doc_id, start_position, end_position)

    def store_realigned(
        self,
        doc_id: int,
        runs: list[list[tuple]],
        aligned: Sequence[Sequence[AlignmentUnit]],
        scorer: str,
        basis: AlignBasis,
    ) -> str:
        """Store runs re-aligned in the background (:meth:`pending_runs`, then
        :func:`workbench.project.realign.align_runs`) as one undo step, as :meth:`realign`
        does. A run the curator changed meanwhile is left as it is; a changed sentence
        refuses the whole result (ProjectError). Returns a one-line summary."""
        from workbench.project.realign import store_runs

        with self._write() as conn:
            _check_sentences(conn, doc_id, basis)
            edit = history.Edit(conn, "realign", doc_id)
            made, left = store_runs(conn, edit, doc_id, runs, [list(a) for a in aligned], scorer)
            if left < len(runs):
                edit.finish(self.reviewer)
        return _realigned_summary(made, left)

    def check_basis(self, basis: AlignBasis) -> None:
        """Raise the ProjectError of :meth:`set_suggestions` if the document's sentences are
        no longer those of ``basis``."""
        with self._mutex:
            _check_sentences(self._db(), basis.doc_id, basis)

    def holds_imported_pairs(self, doc_id: int) -> bool:
        """Whether the document's pairs came from ``project import`` and were never aligned
        here: someone's alignment, which ``project align`` of every document leaves as it is
        (aligning such a document is asked for by its id)."""
        with self._mutex:
            db = self._db()
            aligned = db.execute(
                "SELECT 1 FROM suggestion_runs WHERE doc_id = ? LIMIT 1", (doc_id,)
            ).fetchone()
            imported = db.execute(
                "SELECT 1 FROM units WHERE doc_id = ? AND method = 'imported' LIMIT 1", (doc_id,)
            ).fetchone()
        return aligned is None and imported is not None

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
        shared: SharedModel | None = None,
    ) -> int:
        """Re-align the pending suggestions between two positions (inclusive; None = open end).

        Decided units, units the curator made or edited (a merge, a split, a moved sentence,
        a text fix) and units outside the range are fixed anchors: each run of the aligner's
        pending suggestions between them is re-aligned on its own sentences (per article),
        and replaced.
        One undo step. Returns the number of units made. The aligner comes from
        :func:`workbench.align.pipeline.build_aligner` (``settings`` or the keywords; the
        project's model for self-trained ABLEU, as :meth:`align`).
        """
        from workbench.align import pipeline
        from workbench.project.realign import realign_runs

        settings = settings or _settings(
            scorer, embeddings, options, order, tokenize, lowercase, threshold
        )
        docs = pipeline.project_documents(self, doc_id)
        from workbench.project.project_model import after_alignment, project_model

        if shared is None:
            shared = project_model(self, settings, doc_id)
        aligner, vectors = pipeline.build_aligner(settings, docs, shared=shared)
        mt = docs.mt[0] if docs.mt else None
        mt_reverse = docs.mt_reverse[0] if docs.mt_reverse else None
        with self._write() as conn:  # the new units and the model kept for them, or neither
            after_alignment(self, doc_id, shared, vectors)
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


def _realigned_summary(made: int, left: int) -> str:
    text = (
        f"re-aligned the pending suggestions (decided and edited units kept): {count(made, 'unit')}"
    )
    if left:
        text += f"; {left} run(s) changed meanwhile were left as they are"
    return text


def _sentences(conn: Any, doc_id: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    sides: tuple[list[str], list[str]] = ([], [])
    for side, text in conn.execute(
        "SELECT side, text FROM sentences WHERE doc_id = ? ORDER BY side, idx", (doc_id,)
    ):
        sides[side].append(text)
    return tuple(sides[0]), tuple(sides[1])


def _check_sentences(conn: Any, doc_id: int, basis: AlignBasis) -> None:
    """Refuse suggestions computed from sentences the document no longer has."""
    if basis.doc_id != doc_id:
        raise InputError(f"an alignment basis of document {basis.doc_id} given for {doc_id}")
    if _sentences(conn, doc_id) != (basis.source, basis.target):
        raise ProjectError(
            f"document {doc_id}'s sentences were changed while it was being aligned; the new "
            "suggestions were not stored (they no longer fit the text) and nothing else "
            "changed: align it again"
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
