"""Why a pair was suggested: each word's best match on the other side, as ABLEU sees it.

Qt-free. The review window shades the words of the machine translation and of the target
sentence by the kind of their best match (``exact``: the same token occurs on the other side;
``soft``: a different token whose embedding similarity passes the threshold; ``none``) and
shows the matched word on hover. Tokens come from the scorer's tokenizer so that what is shaded
is what the score counted; :func:`token_spans` maps them back onto the displayed text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

EXACT = "exact"
SOFT = "soft"
NONE = "none"


class Similarity(Protocol):
    """What :func:`word_matches` needs of a :class:`~workbench.scoring.WordSimilarity`."""

    def block(self, words_a: Sequence[str], words_b: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class WordMatch:
    """One token and its best counterpart on the other side (``best`` is "" when none)."""

    token: str
    kind: str
    best: str
    sim: float
    # Where ``best`` was found when not on the side the caller matched against (e.g. "source"
    # for a target word whose pair-space partner is in the source sentence).
    side: str = ""

    def __iter__(self):
        return iter((self.token, self.kind, self.best, self.sim))


def word_matches(
    mt_tokens: Sequence[str], target_tokens: Sequence[str], similarity: Similarity | None = None
) -> list[WordMatch]:
    """For every token of ``mt_tokens``: (token, kind, best word in ``target_tokens``, sim).

    Without a ``similarity`` only exact matches count (BLEU's view). Call it with the sides
    swapped to explain the target sentence's words.
    """
    if not mt_tokens:
        return []
    if not target_tokens:
        return [WordMatch(t, NONE, "", 0.0) for t in mt_tokens]
    if similarity is None:
        present = set(target_tokens)
        return [
            WordMatch(t, EXACT, t, 1.0) if t in present else WordMatch(t, NONE, "", 0.0)
            for t in mt_tokens
        ]
    sims = np.asarray(similarity.block(list(mt_tokens), list(target_tokens)), dtype=np.float64)
    present = set(target_tokens)
    out: list[WordMatch] = []
    for i, token in enumerate(mt_tokens):
        if token in present:
            out.append(WordMatch(token, EXACT, token, 1.0))
            continue
        j = int(np.argmax(sims[i]))
        sim = float(sims[i, j])
        if sim > 0.0:  # the similarity already zeroes values under its threshold
            out.append(WordMatch(token, SOFT, target_tokens[j], sim))
        else:
            out.append(WordMatch(token, NONE, "", 0.0))
    return out


def token_spans(text: str, tokens: Sequence[str]) -> list[tuple[int, int] | None]:
    """Character span of each token in ``text`` (None when the tokenizer changed it beyond
    recognition, e.g. an unescaped entity). Tokens are searched in order, case-insensitively,
    so lowercasing tokenizers still map back onto the original words."""
    folded = text.casefold()
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for token in tokens:
        needle = token.casefold()
        at = folded.find(needle, pos) if needle else -1
        if at < 0 or len(folded) != len(text):
            # casefold can change lengths (ß → ss); fall back to an exact search then
            at = text.find(token, pos) if token else -1
        if at < 0:
            spans.append(None)
            continue
        spans.append((at, at + len(token)))
        pos = at + len(token)
    return spans


def explain_pair(
    mt_text: str,
    target_text: str,
    tokenize: Callable[[str], list[str]],
    similarity: Similarity | None = None,
) -> tuple[list[tuple[int, int, WordMatch]], list[tuple[int, int, WordMatch]]]:
    """Shaded spans for both displayed texts: ``[(start, end, match)]`` for the MT sentence
    (matched against the target) and for the target sentence (matched against the MT)."""
    mt_tokens = tokenize(mt_text) if mt_text else []
    tgt_tokens = tokenize(target_text) if target_text else []
    out = []
    for text, own, other in (
        (mt_text, mt_tokens, tgt_tokens),
        (target_text, tgt_tokens, mt_tokens),
    ):
        matches = word_matches(own, other, similarity)
        spans = token_spans(text, own)
        out.append([(s[0], s[1], m) for s, m in zip(spans, matches, strict=True) if s is not None])
    return out[0], out[1]
