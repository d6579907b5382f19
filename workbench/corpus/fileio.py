"""File helpers shared by the corpus formats: atomic writes and line-exact reading.

Both are the workbench-wide ones (:mod:`workbench.safeio`, :mod:`workbench.textio`), named
here for the formats and for plugins that imported them from this module.
"""

from __future__ import annotations

from workbench.safeio import atomic_output, check_output
from workbench.textio import read_lines

__all__ = ["atomic_output", "check_output", "first_char_needs_bom", "read_lines"]


def first_char_needs_bom(text: str) -> bool:
    """Whether a file starting with ``text`` needs a BOM written before it.

    Readers drop one leading byte-order mark; a sentence that itself starts with U+FEFF
    survives only if a BOM precedes it.
    """
    return text.startswith("\ufeff")
