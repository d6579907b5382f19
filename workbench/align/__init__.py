"""Sentence alignment: Bleualign's MT-based algorithm over a pluggable scorer, and evaluation.

The names below are imported when first used (PEP 562), so that importing a light submodule
(``workbench.align.defaults``, ``workbench.align.units``) does not import the aligner and NumPy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.lazy import lazy_names

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

__getattr__ = lazy_names(__name__, _LAZY)
