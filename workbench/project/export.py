"""Statistics and export of the accepted pairs.

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import InputError, ProjectError
from workbench.project import queries
from workbench.project.base import StoreBase
from workbench.project.model import ProjectStats
from workbench.project.storage import connect

if TYPE_CHECKING:
    from workbench.corpus import ParallelPair

EXPORT_PAGE = 2000  # units read at a time: memory stays flat whatever the project's size


class ExportStore(StoreBase):
    """Statistics and export."""

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
        # Every page from one read transaction on a connection of its own: a re-alignment or
        # an edit saved by another process (or this one) between two pages moves units, and
        # paging by position then skipped or repeated accepted pairs.
        snapshot = connect(self.path, read_only=True)
        try:
            snapshot.execute("BEGIN")
            for d in wanted:
                after = None
                while True:
                    page = queries.export_page(
                        snapshot, d, statuses, min_score, after, EXPORT_PAGE, min_confidence
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
        finally:
            snapshot.close()

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
        written: list[Path] | None = None,
        keep_empty: bool = False,
        left_empty: list[ParallelPair] | None = None,
    ) -> int:
        """Write the pairs with :func:`workbench.corpus.write_pairs`; returns how many.

        The languages are those given, else the documents' own when they all agree; pairs the
        format cannot hold are refused, or with ``skip_invalid`` left out (see ``skipped``).
        Never over the project itself or the files beside it (checked before any work).
        ``written`` gets the files written (Moses: ``OUT.<lang>`` for both sides, not ``OUT``).
        A pair with an empty side (a blank line against a blank line or a sentence) is no
        training data: it is left out and added to ``left_empty``, unless ``keep_empty``.
        """
        from workbench.corpus import exporter_for, write_pairs
        from workbench.corpus.registry import output_paths
        from workbench.languages import normalize
        from workbench.safeio import check_output, project_files

        docs = self.documents()
        if doc_ids is not None:
            chosen = set(doc_ids)
            docs = [d for d in docs if d.id in chosen]
        langs = {(normalize(d.source_lang), normalize(d.target_lang)) for d in docs}
        own_source, own_target = langs.pop() if len(langs) == 1 else ("", "")
        source_lang = normalize(source_lang) or own_source
        target_lang = normalize(target_lang) or own_target
        source_lang, target_lang = source_lang or "und", target_lang or "und"
        outputs = output_paths(exporter_for(path, fmt), path, source_lang, target_lang)
        for target in outputs:
            check_output(target, project_files(self.path))
            self._refuse_a_document(target, docs, several=len(outputs) > 1)
        pairs = self.export_pairs(
            doc_ids, accepted_only=accepted_only, min_score=min_score, min_confidence=min_confidence
        )
        skipped = [] if skipped is None else skipped
        left_empty = [] if left_empty is None else left_empty
        if not keep_empty:
            pairs = _with_both_sides(pairs, left_empty)
        what = "accepted" if accepted_only else "accepted or pending"
        if doc_ids is not None:
            what += " in the chosen documents"
        if docs and not any(self.count_units(d.id) for d in docs):
            # "no pair accepted" of a project never aligned sent the curator to the window
            what += (
                f": {'the document is not' if len(docs) == 1 else 'no document is'} aligned "
                f"yet, `workbench project align {self.path}` aligns "
                f"{'it' if len(docs) == 1 else 'them'}"
            )
        statuses = ("accepted",) if accepted_only else ("accepted", "pending")
        filtered = min_score is not None or min_confidence is not None

        def nothing_to_export() -> bool:
            # --min-score/--min-confidence choosing none of the pairs there are is an answer
            # (an empty file); no pair at all is a mistake (nothing accepted yet, no --all).
            return not filtered or not any(
                self.count_units(d.id, status=st, shape="pair") for d in docs for st in statuses
            )

        count = write_pairs(
            _some_written(
                pairs, path, what, nothing_to_export, skipped if skip_invalid else None, left_empty
            ),
            path,
            fmt,
            metadata=metadata,
            source_lang=source_lang,
            target_lang=target_lang,
            skip_invalid=skip_invalid,
            skipped=skipped,
            inputs=project_files(self.path),
        )
        if written is not None:
            written.extend(p for p in outputs if p.exists())
        return count

    def _refuse_a_document(self, target: Path, docs: list, *, several: bool) -> None:
        """Refuse an output that is one of the project's documents as it was added (one
        sentence a line, not modified since): `project export P dev --format moses` wrote
        ``dev.de`` and ``dev.fr`` over the curator's source and target documents."""
        from workbench.textio import EOA, split_lines

        try:
            if not target.is_file() or target.stat().st_size > DOCUMENT_CHECK_BYTES:
                return
            modified = target.stat().st_mtime
            data = target.read_bytes()
        except OSError:
            return  # the writer reports what is wrong with the path
        # Only a file unchanged since before the document was added can be what was added:
        # an earlier export of the same pairs (all 1-1) has the same lines, and is replaced.
        docs = [d for d in docs if modified <= d.created]
        n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
        sides = [
            (d, side, n)
            for d in docs
            for side, n in ((0, d.n_source), (1, d.n_target))
            if n and n_lines >= n
        ]
        if not sides:
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return
        lines = [line.strip() for line in split_lines(text) if line.strip() != EOA]
        with self._mutex:
            conn = self._db()
            for d, side, n in sides:
                if len(lines) != n:
                    continue
                rows = conn.execute(
                    "SELECT text, original FROM sentences WHERE doc_id = ? AND side = ? "
                    "ORDER BY idx",
                    (d.id, side),
                ).fetchall()
                if lines in ([r[0] for r in rows], [r[1] for r in rows]):
                    which = "source" if side == 0 else "target"
                    moses = " (Moses writes NAME.<language> for each side)" if several else ""
                    raise InputError(
                        f"{target}: holds the {which} text of document {d.id} ({d.name}) as it "
                        f"was added; the export would replace it. Choose another file name{moses}"
                    )


DOCUMENT_CHECK_BYTES = 256 << 20  # a larger existing file is not compared with the documents


def _some_written(
    pairs: Iterable[ParallelPair],
    path: str | Path,
    what: str,
    nothing_to_export: Callable[[], bool],
    skipped: list[str] | None,
    left_empty: list[ParallelPair],
) -> Iterator[ParallelPair]:
    """``pairs``, refused at their end when there was nothing to write: an export of nothing
    replaced an existing file with an empty one (or made one) and said "0 pairs written".
    Raised while the exporter writes its temporary file, so the output is left as it was.
    ``skipped`` is the exporter's list of the pairs it left out (``--skip-invalid``)."""
    count = 0
    for pair in pairs:
        count += 1
        yield pair
    if count == 0 and left_empty:
        raise InputError(
            f"{path}: no pairs to export: {_all(len(left_empty))} an empty side (a blank "
            "line); nothing was written (--keep-empty exports them)"
        )
    if count == 0 and nothing_to_export():
        raise InputError(
            f"{path}: no pairs to export (no pair with both sides {what}); nothing was written"
        )
    if skipped is not None and len(skipped) == count:
        raise InputError(
            f"{path}: no pairs to export: "
            f"{'the one pair is one' if count == 1 else f'all {count} are pairs'} the format "
            "cannot hold "
            f"({skipped[0]}{'; …' if count > 1 else ''}); nothing was written"
        )


def _all(n: int) -> str:
    return "the one pair has" if n == 1 else f"all {n} pairs have"


def _with_both_sides(
    pairs: Iterable[ParallelPair], left_empty: list[ParallelPair]
) -> Iterator[ParallelPair]:
    """The pairs whose two sides hold text; the others go to ``left_empty``. A blank line
    aligned with a blank line was exported as an empty pair (``""``/``""``), with a high
    confidence, by ``--all``: never useful training data."""
    for pair in pairs:
        if pair.source and pair.target:
            yield pair
        else:
            left_empty.append(pair)
