"""chrF as a workbench scorer: ``workbench align --scorer chrf``, ``workbench score --scorer chrf``.

This module is what the ``workbench.scorers`` entry point names, so it stays light to import;
the scorer itself (numpy, scipy) is imported when a chrF scorer is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench_chrf.scorer import ChrfScorer

__version__ = "0.1.0"


def chrf_scorer(
    order: int = 2,
    tokenize: str = "13a",
    lowercase: bool = False,
    *,
    char_order: int = 6,
    beta: float = 2.0,
    **options: Any,
) -> ChrfScorer:
    """A chrF scorer (sacrebleu's defaults: character 6-grams, beta 2, whitespace ignored).

    ``order`` and ``tokenize`` are the word-level settings of BLEU-like scorers; chrF works on
    characters, so they do not apply. ``embeddings`` and ``threshold`` are ignored likewise.
    """
    from workbench_chrf.scorer import ChrfScorer

    return ChrfScorer(char_order=char_order, beta=beta, lowercase=lowercase)
