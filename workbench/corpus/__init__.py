"""Parallel-corpus formats (TSV, TMX 1.4, Moses two-file, JSONL) and document import. Qt-free.

>>> from workbench.corpus import ParallelPair, write_pairs, read_pairs
>>> write_pairs([ParallelPair("Hallo.", "Bonjour.")], "out.tsv")   # doctest: +SKIP
1
"""

from workbench.corpus.pair import ParallelPair
from workbench.corpus.registry import (
    EXPORTERS,
    Exporter,
    exporter_for,
    read_pairs,
    register_exporter,
    write_pairs,
)
from workbench.corpus.tsv import TsvFormat

register_exporter(TsvFormat())

__all__ = [
    "EXPORTERS",
    "Exporter",
    "ParallelPair",
    "exporter_for",
    "read_pairs",
    "register_exporter",
    "write_pairs",
]
