"""Reading documents: one sentence per line, `.EOA` lines as hard article boundaries.

Sentence ids count sentence lines only (0-based, `.EOA` lines skipped, continuing across
articles), which is the convention of Bleualign's gold alignments.

The rules every reader of the workbench follows (documents, translations, gold files, pair
files), so that sentence ids always match the file's lines as ``wc -l`` counts them:

- a line ends in ``\n`` or ``\r\n`` and nothing else (:func:`split_lines`); U+2028, U+2029,
  U+0085, form feed, vertical tab and a lone ``\r`` are characters inside a sentence;
- a sentence is its line without leading and trailing white space (:func:`clean_sentence`);
- a byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding and is never part of the text;
- only regular files are read (not a folder, a pipe or a device such as ``/dev/zero``).
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import InputError, WorkbenchError

EOA = ".EOA"
_BINARY_SNIFF = 8192
# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
_WIDE = ("utf-16", "utf-32", "utf16", "utf32", "ucs-2", "ucs2", "ucs-4", "ucs4")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``: split at ``\n`` only, a ``\r`` before it removed (CRLF files).

    ``str.splitlines`` is deliberately not used: it also breaks at U+2028, U+2029, U+0085,
    form feed, vertical tab and a lone ``\r``, which are ordinary characters inside a
    sentence; splitting there would shift every later sentence id. A final line without a
    line ending still counts.
    """
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def join_sentences(texts: Iterable[str]) -> str:
    """A unit's text on one side: its sentences joined by one space. Empty sentences (blank
    lines) are left out, so that no text gains a leading, trailing or double space that is in
    none of its sentences (an export then reads back as it was written)."""
    return " ".join(text for text in texts if text)


def clean_sentence(text: str) -> str:
    """The workbench's one white-space rule: a sentence without leading/trailing white space."""
    return text.strip()


@dataclass(frozen=True)
class Document:
    """A sentence-split document: its sentences and where its articles start and end.

    ``articles`` holds ``(start, stop)`` sentence-id ranges, one per article, covering all
    sentences in order (an article may be empty when two `.EOA` lines follow each other).
    """

    sentences: list[str]
    articles: list[tuple[int, int]] = field(default_factory=list)
    name: str = ""

    def __post_init__(self) -> None:
        if not self.articles:
            object.__setattr__(self, "articles", [(0, len(self.sentences))])

    def __len__(self) -> int:
        return len(self.sentences)

    def to_lines(self) -> list[str]:
        """The document as file lines again, `.EOA` between articles."""
        lines: list[str] = []
        for k, (start, stop) in enumerate(self.articles):
            if k:
                lines.append(EOA)
            lines.extend(self.sentences[start:stop])
        return lines

    @classmethod
    def from_lines(cls, lines: Iterable[str], name: str = "") -> Document:
        sentences: list[str] = []
        articles: list[tuple[int, int]] = []
        start = 0
        for line in lines:
            text = clean_sentence(line)
            if text == EOA:
                articles.append((start, len(sentences)))
                start = len(sentences)
            else:
                sentences.append(text)
        articles.append((start, len(sentences)))
        # A trailing `.EOA` ends the last article rather than opening an empty one.
        if len(articles) > 1 and articles[-1][0] == articles[-1][1]:
            articles.pop()
        return cls(sentences, articles, name)


def _looks_like_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NUL bytes sit at every other offset, as in UTF-16 text."""
    sample = data[:_BINARY_SNIFF] if len(data) % 2 == 0 else data[: _BINARY_SNIFF - 1]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes, path: str | Path, encoding: str = "utf-8") -> str:
    """Decode ``data`` or raise an :class:`InputError` naming the file and the problem.

    A byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding whatever ``encoding``
    says and is dropped; without one, ``encoding`` is used (UTF-16/32 without a mark: the
    ``-le``/``-be`` variants, or ``utf-16``, which then assumes little-endian).
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(
            f"{path}: unknown encoding {encoding!r}; give a Python codec name "
            "such as utf-8, utf-16, latin-1 or cp1252"
        ) from None
    for bom, codec, shown in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], path, codec, shown)
    wide = name.startswith(_WIDE)
    if not wide and b"\x00" in data[:_BINARY_SNIFF]:
        guess = _looks_like_utf16(data)
        if guess:
            raise InputError(
                f"{path}: looks like UTF-16 text without a byte-order mark; pass --encoding {guess}"
            )
        raise InputError(f"{path}: looks like a binary file (NUL byte found), expected text")
    shown = "UTF-8" if name == "utf-8" else encoding
    text = _decode(data, path, name, shown)
    if not name.startswith("utf") and not text.isascii():
        _refuse_utf8_as_legacy(data, text, path, encoding)
    return text


def _refuse_utf8_as_legacy(data: bytes, text: str, path: str | Path, encoding: str) -> None:
    """Refuse a file that is UTF-8 text read with a legacy ``--encoding`` (Latin-1, cp1252,
    EUC-KR…): every command applies ``--encoding`` to all its input files, so a UTF-8 target or
    translation beside a Latin-1 source was read as mojibake (``é`` as ``Ã©``) without a word.
    Legacy text that is also valid UTF-8 with a character outside ASCII does not occur in
    practice: such bytes are UTF-8."""
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    at = next(i for i, char in enumerate(as_utf8) if not char.isascii())
    start = len(as_utf8[:at].encode("utf-8"))
    char = as_utf8[at]
    shown = data[start : start + len(char.encode("utf-8"))].decode(encoding, "replace")
    raise InputError(
        f"{path}: this is UTF-8 text, which --encoding {encoding} would garble ({char!r} read as "
        f"{shown!r}); --encoding applies to every input file: convert the {encoding} "
        "file(s) to UTF-8 and leave --encoding out"
    )


def _decode(data: bytes, path: str | Path, codec: str, shown: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        byte = f" (byte 0x{data[exc.start]:02x})" if exc.start < len(data) else ""
        raise InputError(
            f"{path}: not valid {shown} at byte offset {exc.start}{byte}; "
            "convert the file or pass --encoding"
        ) from None


def check_regular_file(
    path: str | Path,
    expected: str = "a text file",
    error: type[WorkbenchError] = InputError,
    missing: str = "no such file",
) -> None:
    """Refuse, in one line, a path that is missing, a folder, or not a regular file.

    A pipe or a device (``/dev/zero``) could block or never end; they are never read.
    """
    p = Path(path)
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        raise error(f"{p}: {missing}") from None
    except OSError as exc:
        raise error(f"{p}: cannot read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise error(f"{p}: is a directory, expected {expected}")
    if not stat.S_ISREG(mode):
        raise error(
            f"{p}: not a regular file (a device, pipe or socket); expected {expected} saved to disk"
        )


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, with one clear error for a missing file, a folder, a pipe or a device."""
    p = Path(path)
    check_regular_file(p)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror or exc})") from None


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    """Read a whole text file with clear errors for missing, unreadable and binary files."""
    return decode_text(read_bytes(path), path, encoding)


def read_lines(path: str | Path, encoding: str = "utf-8") -> list[str]:
    """A text file's lines as :func:`split_lines` defines them (the one line reader)."""
    return split_lines(read_text(path, encoding))


def document_from_bytes(data: bytes, name: str | Path, encoding: str = "utf-8") -> Document:
    """A one-sentence-per-line document from a file's contents; an empty one is an error."""
    doc = Document.from_lines(split_lines(decode_text(data, name, encoding)), name=str(name))
    if not any(s for s in doc.sentences):
        raise InputError(f"{name}: empty document (no sentence lines)")
    return doc


def read_document(path: str | Path, encoding: str = "utf-8") -> Document:
    """Read a one-sentence-per-line document; an empty document is an error."""
    return document_from_bytes(read_bytes(path), path, encoding)


def check_parallel(source: Document, other: Document, what: str = "translation") -> None:
    """Check that ``other`` (e.g. a translation) is line-aligned with ``source``."""
    if len(other.articles) != len(source.articles):
        raise InputError(
            f"{other.name}: {len(other.articles)} articles (.EOA boundaries) but "
            f"{source.name} has {len(source.articles)}"
        )
    if len(other.sentences) != len(source.sentences):
        raise InputError(
            f"{other.name}: {what} has {len(other.sentences)} lines but "
            f"{source.name} has {len(source.sentences)}; they must be line-aligned"
        )
    for k, (a, b) in enumerate(zip(source.articles, other.articles, strict=True)):
        if a != b:
            raise InputError(
                f"{other.name}: article {k + 1} has {b[1] - b[0]} lines but "
                f"{source.name}'s has {a[1] - a[0]}"
            )


def check_same_articles(source: Document, target: Document) -> None:
    """Source and target must have the same number of `.EOA`-separated articles."""
    if len(source.articles) != len(target.articles):
        raise InputError(
            f"mismatched .EOA boundaries: {source.name} has {len(source.articles)} articles, "
            f"{target.name} has {len(target.articles)}"
        )


def write_lines(
    path: str | Path, lines: Sequence[str], *, inputs: Iterable[str | Path | None] = ()
) -> None:
    """Write ``lines`` atomically (see :mod:`workbench.safeio`), never over one of ``inputs``."""
    from workbench.safeio import write_lines_atomic

    write_lines_atomic(path, lines, inputs=inputs)
