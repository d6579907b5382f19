"""Sentence-pair scorers for MT-based alignment: BLEU and ABLEU (soft BLEU), Qt-free.

Shaped like sacrebleu's metrics: a scorer tokenises and caches each side once, computes
per-pair sufficient statistics (lengths, matched and total n-grams per order), derives scores
from them, and describes its settings in a signature string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.lazy import lazy_names

if TYPE_CHECKING:
    from workbench.scoring.ableu import AbleuScorer
    from workbench.scoring.base import Scorer, make_scorer
    from workbench.scoring.bleu import BleuScorer
    from workbench.scoring.similarity import WordSimilarity

__all__ = ["AbleuScorer", "BleuScorer", "Scorer", "WordSimilarity", "make_scorer"]

# Imported when first used (PEP 562): ABLEU needs scipy.sparse, which the command line's
# start-up should not pay for, and the scorers need NumPy, which `workbench --help` and the
# option tables (workbench.scoring.tokenize) do not.
_LAZY = {
    "Scorer": "workbench.scoring.base",
    "make_scorer": "workbench.scoring.base",
    "AbleuScorer": "workbench.scoring.ableu",
    "BleuScorer": "workbench.scoring.bleu",
    "WordSimilarity": "workbench.scoring.similarity",
}

__getattr__ = lazy_names(__name__, _LAZY)
