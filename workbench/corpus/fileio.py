"""File helpers shared by the corpus formats: atomic writes and line-exact reading."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from workbench.errors import InputError
from workbench.textio import read_text


@contextmanager
def atomic_output(path: str | Path, mode: str = "w") -> Iterator[IO]:
    """Write ``path`` through a temporary file in the same folder, renamed on success.

    A failed export (unrepresentable text, full disk, an exception in the caller's pair
    iterator) therefore never leaves a truncated or half-written corpus behind, and never
    destroys an older file of the same name.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{target}: cannot write, folder {folder} does not exist")
    if target.is_dir():
        raise InputError(f"{target}: is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror})") from None
    kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        os.replace(tmp, target)
    except UnicodeEncodeError as exc:
        Path(tmp).unlink(missing_ok=True)
        bad = exc.object[exc.start : exc.end]
        raise InputError(
            f"{target}: text cannot be written as UTF-8 ({bad!r}: {exc.reason})"
        ) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_lines(path: str | Path, encoding: str = "utf-8") -> list[str]:
    """The file's lines, split on ``\\n`` only (a trailing ``\\r`` of CRLF files removed).

    ``str.splitlines`` is deliberately not used: it also breaks at U+2028, U+0085, form feed
    and other characters that are ordinary text inside a sentence.
    """
    text = read_text(path, encoding)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def first_char_needs_bom(text: str) -> bool:
    """Whether a file starting with ``text`` needs a BOM written before it.

    Readers decode UTF-8 with ``utf-8-sig``, which drops one leading U+FEFF as a byte-order
    mark; a sentence that itself starts with U+FEFF survives only if a BOM precedes it.
    """
    return text.startswith("\ufeff")
