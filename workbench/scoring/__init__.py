"""Sentence-pair scorers for MT-based alignment: BLEU and ABLEU (soft BLEU), Qt-free.

Shaped like sacrebleu's metrics: a scorer tokenises and caches each side once, computes
per-pair sufficient statistics (lengths, matched and total n-grams per order), derives scores
from them, and describes its settings in a signature string.
"""

from workbench.scoring.ableu import AbleuScorer
from workbench.scoring.base import Scorer, make_scorer
from workbench.scoring.bleu import BleuScorer
from workbench.scoring.similarity import WordSimilarity

__all__ = ["AbleuScorer", "BleuScorer", "Scorer", "WordSimilarity", "make_scorer"]
