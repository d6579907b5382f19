"""The scorer registry: names (``bleu``, ``ableu``, plugins' names) → scorer factories.

A factory is called as ``factory(order=..., tokenize=..., lowercase=..., **options)`` and
returns a :class:`~workbench.scoring.base.Scorer`; ``options`` carry what only some scorers
use (``embeddings``, ``threshold``), so a factory takes what it knows and ignores the rest.
The built-in factories are registered here *and* declared as ``workbench.scorers`` entry
points of the workbench distribution, so they are listed like any plugin and work even from a
source tree that is not installed; :func:`workbench.plugins.discover` adds the plugins'.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from workbench.scoring.base import Scorer
from workbench.scoring.tokenize import DEFAULT_TOKENIZER

ScorerFactory = Callable[..., Scorer]


def bleu_scorer(
    order: int = 2, tokenize: str = DEFAULT_TOKENIZER, lowercase: bool = False, **options: Any
) -> Scorer:
    """Exact-match BLEU (Bleualign's score); ignores ``embeddings`` and ``threshold``."""
    from workbench.scoring.bleu import BleuScorer

    return BleuScorer(order=order, tokenize=tokenize, lowercase=lowercase)


def ableu_scorer(
    order: int = 2,
    tokenize: str = DEFAULT_TOKENIZER,
    lowercase: bool = False,
    *,
    embeddings: str | Path | object | None = None,
    threshold: float | None = None,
    **options: Any,
) -> Scorer:
    """ABLEU over a word embedding (KeyedVectors object or file; None = exact matches only)."""
    from workbench.scoring.ableu import AbleuScorer
    from workbench.scoring.similarity import WordSimilarity

    similarity = WordSimilarity.load(embeddings, threshold=threshold)
    return AbleuScorer(similarity, order=order, tokenize=tokenize, lowercase=lowercase)


# Built-ins first; plugins are added by workbench.plugins.discover().
SCORERS: dict[str, ScorerFactory] = {"bleu": bleu_scorer, "ableu": ableu_scorer}


def available_scorers() -> list[str]:
    """Every scorer name, built-ins first, after plugin discovery."""
    from workbench.plugins import discover

    discover()
    return list(SCORERS)
