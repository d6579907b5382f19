"""Sentence alignment: Bleualign's MT-based algorithm over a pluggable scorer, and evaluation.

The names below are imported when first used (PEP 562), so that importing a light submodule
(``workbench.align.defaults``, ``workbench.align.units``) does not import the aligner and NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.align.bleualign import Aligner, AlignerOptions
    from workbench.align.units import AlignmentUnit, format_unit, parse_unit, read_alignments
    from workbench.scoring import make_scorer

__all__ = [
    "Aligner",
    "AlignerOptions",
    "AlignmentUnit",
    "format_unit",
    "make_scorer",
    "parse_unit",
    "read_alignments",
]

_LAZY = {
    "Aligner": "workbench.align.bleualign",
    "AlignerOptions": "workbench.align.bleualign",
    "AlignmentUnit": "workbench.align.units",
    "format_unit": "workbench.align.units",
    "parse_unit": "workbench.align.units",
    "read_alignments": "workbench.align.units",
    "make_scorer": "workbench.scoring",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
