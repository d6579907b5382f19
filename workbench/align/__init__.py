"""Sentence alignment: Bleualign's MT-based algorithm over a pluggable scorer, and evaluation."""

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
