"""Parallel-corpus formats (TSV, TMX 1.4, Moses two-file, JSONL) and document import. Qt-free.

The escaping policy and each format's limits are described in the modules and in docs/reference.md ("Corpus formats")
("Corpus formats").

>>> from workbench.corpus import ParallelPair, write_pairs, read_pairs
>>> write_pairs([ParallelPair("Hallo.", "Bonjour.")], "out.tsv")   # doctest: +SKIP
1
"""

from workbench.corpus.pair import PairList, ParallelPair
from workbench.corpus.registry import (
    EXPORTERS,
    Exporter,
    exporter_for,
    read_pairs,
    register_exporter,
    write_pairs,
)
from workbench.corpus.sentences import read_sentences, split_sentences

# The built-in formats are in EXPORTERS by name from the start (workbench/builtin_plugins.py)
# and each module is imported when its format is first used.

__all__ = [
    "EXPORTERS",
    "Exporter",
    "PairList",
    "ParallelPair",
    "exporter_for",
    "read_pairs",
    "read_sentences",
    "register_exporter",
    "split_sentences",
    "write_pairs",
]
