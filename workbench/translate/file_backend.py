"""Translations read from a file line-aligned with the source (what Bleualign users have)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

from workbench.errors import CancelledError, InputError
from workbench.textio import document_from_bytes, read_bytes
from workbench.translate.base import Cancel, Progress


class FileTranslator:
    """The "translation" of a document is the file's sentence lines, in order.

    ``line_aligned`` tells :func:`~workbench.translate.translate_document` to pass every
    sentence of the document (no cache, no de-duplication), so line *k* of the file is the
    translation of sentence *k*. `.EOA` lines in the file are skipped like in the source.
    """

    line_aligned = True

    def __init__(self, path: str | Path, encoding: str = "utf-8") -> None:
        self.path = Path(path)
        data = read_bytes(self.path)
        # Read as every document is (one line reader; an empty file is refused).
        self.document = document_from_bytes(data, self.path, encoding)
        digest = hashlib.sha256(data).hexdigest()[:16]
        self.identity = f"file:{self.path.resolve()}:{digest}"

    def translate(
        self,
        sentences: list[str],
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> list[str]:
        if cancel is not None and cancel():
            raise CancelledError("translation cancelled")
        lines = self.document.sentences
        if len(lines) != len(sentences):
            raise InputError(
                f"{self.path}: {len(lines)} translation lines but the source has "
                f"{len(sentences)} sentences; the file must be line-aligned with the source"
            )
        if progress is not None:
            progress(len(lines), len(lines))
        return list(lines)


class FileBackend:
    """Accepts any regular file that is not a zip archive (an Argos package is one)."""

    name = "file"

    def accepts(self, path: Path) -> bool:
        if path.suffix == ".argosmodel" or path.name == "model.bin":
            return False  # a model, however damaged: the CTranslate2 backend explains
        return path.is_file() and not zipfile.is_zipfile(path)

    def open(self, path: Path, **options: Any) -> FileTranslator:
        return FileTranslator(path, encoding=options.get("encoding") or "utf-8")
