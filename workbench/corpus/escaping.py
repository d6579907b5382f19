"""Backslash escaping that keeps a sentence on one line and inside one tab-separated column.

Policy (documented in docs/reference.md, "Corpus formats"): on export ``\\`` becomes ``\\\\``, a tab
``\\t``, a line feed ``\\n``, a carriage return ``\\r`` and a NUL ``\\0``; nothing else changes.
On import those five sequences are decoded; any other backslash (``C:\\dir``, ``\\x``) is kept
as it is, so files written by tools that do not escape still read sensibly, while files we
wrote round-trip exactly (we always escape the backslash itself).
"""

from __future__ import annotations

import re

_ESCAPE_TABLE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"})
_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r", "0": "\0"}
_ESCAPE_SEQUENCE = re.compile(r"\\([\\tnr0])")


def escape(text: str) -> str:
    return text.translate(_ESCAPE_TABLE)


def unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _ESCAPE_SEQUENCE.sub(lambda m: _UNESCAPES[m.group(1)], text)
