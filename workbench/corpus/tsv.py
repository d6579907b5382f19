"""TSV: one pair per line, ``source<TAB>target``, optional metadata columns under a header.

Without metadata the file has exactly two columns and no header (what most corpus tools
read). With metadata it starts with the header line
``source  target  document  source_ids  target_ids  score  scorer`` (tab-separated); ids are
comma-separated sentence numbers, the score is a float (empty: none). Every field is escaped
(see :mod:`workbench.corpus.escaping`), so a tab, newline, carriage return, NUL or backslash
inside a sentence never moves a column, and quotes are plain characters (no CSV quoting).

Only files the workbench wrote are unescaped on reading: a file with the metadata header, or
one starting with the :data:`ESCAPED_MARKER` line, which a two-column export writes first
when (and only when) some text needed escaping. Any other TSV (an OPUS corpus, a localisation
export full of ``C:\\temp\\new``) is read verbatim, unless the reader is told it is escaped.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from workbench.corpus.escaping import escape, unescape
from workbench.corpus.fileio import atomic_output, first_char_needs_bom, read_lines
from workbench.corpus.pair import METADATA_FIELDS, ParallelPair, metadata_texts, parse_metadata
from workbench.errors import InputError

TEXT_COLUMNS = ("source", "target")
# First line of a two-column export whose text needed escaping (one column, no tab).
ESCAPED_MARKER = (
    "# workbench TSV: \\t \\n \\r \\0 \\\\ below are escapes (tab, LF, CR, NUL, backslash)"
)
MARKER_PREFIX = "# workbench TSV:"
ALL_COLUMNS = TEXT_COLUMNS + METADATA_FIELDS


class TsvFormat:
    name = "tsv"
    suffixes = (".tsv", ".tab")

    def write(
        self,
        pairs: Iterable[ParallelPair],
        path: str | Path,
        *,
        metadata: bool = False,
        source_lang: str = "und",
        target_lang: str = "und",
    ) -> int:
        # Streamed: one line per pair as it comes, so memory stays flat however many pairs.
        # Quotes are ordinary text (no CSV quoting); every tab/newline is escaped. Without the
        # header the file is marked as escaped when escaping changed any text (so that a
        # reader can tell it from a foreign TSV, read verbatim): known only at the end, so the
        # rows go to a temporary file first and are copied after the marker.
        count = 0
        marked = False
        starts_with_bom = False
        with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as rows:
            for pair in pairs:
                source, target = escape(pair.source), escape(pair.target)
                if count == 0:
                    starts_with_bom = first_char_needs_bom(pair.source)
                    # A first sentence that reads like the marker line would be taken for it
                    # (and dropped) on reading: the marker in front keeps it a pair.
                    marked = source.startswith(MARKER_PREFIX)
                marked = marked or source != pair.source or target != pair.target
                fields = [source, target]
                if metadata:
                    fields.extend(metadata_texts(pair, escape).values())
                rows.write("\t".join(fields) + "\n")
                count += 1
            rows.seek(0)
            with atomic_output(path) as out:
                if metadata:
                    out.write("\t".join(ALL_COLUMNS) + "\n")
                elif marked:
                    out.write(ESCAPED_MARKER + "\n")
                elif starts_with_bom:
                    out.write("\ufeff")
                shutil.copyfileobj(rows, out, 1 << 20)
        return count

    def read(
        self,
        path: str | Path,
        *,
        encoding: str = "utf-8",
        source_lang: str | None = None,
        target_lang: str | None = None,
        escaped: bool | None = None,
    ) -> list[ParallelPair]:
        """The pairs of a TSV file.

        ``escaped``: None (default) unescapes only a file the workbench wrote (metadata header
        or the escaped marker line); True unescapes any file, False none.
        """
        if isinstance(path, tuple):
            raise InputError("a TSV corpus is one file, not two")
        lines = read_lines(path, encoding)
        columns = list(TEXT_COLUMNS)
        first = 0
        ours = False
        if lines and lines[0].startswith(MARKER_PREFIX):
            first, ours = 1, True
        if len(lines) > first:
            header = _header(lines[first])
            if header is not None:
                columns, first, ours = header, first + 1, True
        decode = unescape if (ours if escaped is None else escaped) else _verbatim
        pairs: list[ParallelPair] = []
        width = len(columns)
        for number in range(first, len(lines)):
            line = lines[number]
            fields = line.split("\t")
            if len(fields) != width:
                if not line.strip() and number == len(lines) - 1:
                    continue  # a stray blank last line
                raise InputError(
                    f"{path}: line {number + 1}: {len(fields)} tab-separated columns, expected "
                    f"{width} ({', '.join(columns)}); " + _column_problem(fields, width)
                )
            record = dict(zip(columns, fields, strict=True))
            try:
                pairs.append(
                    ParallelPair(
                        decode(record["source"]),
                        decode(record["target"]),
                        **parse_metadata(record, decode),
                    )
                )
            except ValueError as exc:
                raise InputError(f"{path}: line {number + 1}: {exc}") from None
        if not pairs:
            raise InputError(f"{path}: no sentence pairs (empty corpus)")
        return pairs


def _column_problem(fields: list[str], width: int) -> str:
    """Why a line has too many columns: the confidence column of ``workbench align --format
    tsv --with-confidence`` (a pair file has no place for it), else a tab that was not
    escaped."""
    if width == 2 and len(fields) == 3 and _is_probability(fields[2]):
        return (
            f"the third column ({fields[2]}) looks like the confidence that `workbench align "
            "--format tsv --with-confidence` adds, which a pair file has no place for: align "
            "without --with-confidence, or keep the first two columns (cut -f1,2)"
        )
    return "a tab inside a sentence must be written \\t"


def _is_probability(text: str) -> bool:
    try:
        value = float(text)
    except ValueError:
        return False
    return 0.0 <= value <= 1.0


def _verbatim(text: str) -> str:
    return text


def _header(line: str) -> list[str] | None:
    """The column names if ``line`` is a metadata header, else None.

    A header has ``source`` and ``target`` first and at least one known metadata name; a
    two-column ``source<TAB>target`` line is data (it is what such a pair writes).
    """
    names = line.split("\t")
    if len(names) < 3 or names[:2] != list(TEXT_COLUMNS):
        return None
    rest = names[2:]
    if len(set(rest)) != len(rest) or not set(rest) <= set(METADATA_FIELDS):
        return None
    return names
