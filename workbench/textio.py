"""Reading documents: one sentence per line, `.EOA` lines as hard article boundaries.

Sentence ids count sentence lines only (0-based, `.EOA` lines skipped, continuing across
articles), which is the convention of Bleualign's gold alignments.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import InputError

EOA = ".EOA"
_BINARY_SNIFF = 8192


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
            text = line.rstrip("\r\n")
            if text.strip() == EOA:
                articles.append((start, len(sentences)))
                start = len(sentences)
            else:
                sentences.append(text.strip())
        articles.append((start, len(sentences)))
        # A trailing `.EOA` ends the last article rather than opening an empty one.
        if len(articles) > 1 and articles[-1][0] == articles[-1][1]:
            articles.pop()
        return cls(sentences, articles, name)


def decode_text(data: bytes, path: str | Path, encoding: str = "utf-8") -> str:
    """Decode ``data`` or raise an :class:`InputError` naming the file and the byte offset."""
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{path}: looks like a binary file (NUL byte found), expected text")
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        encoding = "utf-8-sig"  # accept a BOM, never keep it in the first sentence
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r} for {path}") from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        shown = "UTF-8" if encoding == "utf-8-sig" else encoding
        raise InputError(
            f"{path}: not valid {shown} at byte offset {exc.start} "
            f"(byte 0x{data[exc.start]:02x}); convert the file or pass --encoding"
        ) from None


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    """Read a whole text file with clear errors for missing, unreadable and binary files."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, expected a text file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
    return decode_text(data, p, encoding)


def read_document(path: str | Path, encoding: str = "utf-8") -> Document:
    """Read a one-sentence-per-line document; an empty document is an error."""
    text = read_text(path, encoding)
    doc = Document.from_lines(text.splitlines(), name=str(path))
    if not any(s for s in doc.sentences):
        raise InputError(f"{path}: empty document (no sentence lines)")
    return doc


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


def write_lines(path: str | Path, lines: Sequence[str]) -> None:
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")
