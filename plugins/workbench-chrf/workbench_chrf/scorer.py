"""chrF (Popović 2015) as sacrebleu computes it, vectorised over sentence pairs.

A sentence's "tokens" are its characters with whitespace removed (sacrebleu's default), so the
workbench's n-gram machinery yields character n-grams of orders 1..6 and BLEU's clipped match
counts are exactly chrF's matched character n-grams. Per order, precision = matches / candidate
n-grams and recall = matches / reference n-grams; both are averaged over the orders present in
both sentences and combined into an F-beta score (beta = 2 weighs recall higher). Scores are in
0..1 like the other workbench scorers (sacrebleu reports 0..100); they equal sacrebleu's
sentence chrF (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sacrebleu.metrics import CHRF

from workbench.scoring.base import Segments, Statistics, harmonic_mean, totals_for
from workbench.scoring.bleu import BleuScorer


@dataclass
class ChrfStatistics(Statistics):
    """Statistics plus the reference's n-gram counts per order (recall needs them)."""

    ref_totals: np.ndarray | None = None


def chrf_from_counts(
    hyp: np.ndarray, ref: np.ndarray, match: np.ndarray, beta: float = 2.0
) -> np.ndarray:
    """chrF in 0..1 from per-order counts (… × order arrays), sacrebleu's effective order."""
    hyp = np.asarray(hyp, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    match = np.asarray(match, dtype=np.float64)
    present = (hyp > 0) & (ref > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(present, match / np.where(hyp > 0, hyp, 1.0), 0.0)
        rec = np.where(present, match / np.where(ref > 0, ref, 1.0), 0.0)
    n = present.sum(axis=-1)
    safe_n = np.maximum(n, 1)
    avg_prec = prec.sum(axis=-1) / safe_n
    avg_rec = rec.sum(axis=-1) / safe_n
    factor = beta**2
    denom = factor * avg_prec + avg_rec
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(denom > 0, (1 + factor) * avg_prec * avg_rec / denom, 0.0)
    return np.where(n > 0, score, 0.0)


class ChrfScorer(BleuScorer):
    """Sentence-level chrF as a pair similarity for the aligner."""

    name = "chrf"

    def __init__(self, char_order: int = 6, beta: float = 2.0, lowercase: bool = False):
        super().__init__(order=char_order, tokenize="none", lowercase=lowercase)
        self.beta = beta
        self._tokenize = self._characters

    def _characters(self, text: str) -> list[str]:
        if self.lowercase:
            text = text.lower()
        return list("".join(text.split()))

    def statistics(self, cands: Segments, refs: Segments, pairs: np.ndarray) -> ChrfStatistics:
        base = super().statistics(cands, refs, pairs)
        return ChrfStatistics(
            base.cand_len,
            base.ref_len,
            base.matches,
            base.totals,
            ref_totals=totals_for(base.ref_len, self.order),
        )

    def score_statistics(self, stats: Statistics) -> np.ndarray:
        ref_totals = getattr(stats, "ref_totals", None)
        if ref_totals is None:
            ref_totals = totals_for(np.asarray(stats.ref_len), self.order)
        return chrf_from_counts(stats.totals, ref_totals, stats.matches, self.beta)

    def matrix(
        self, cands: Segments, refs: Segments, symmetric: bool = True, keep: int | None = None
    ) -> np.ndarray:
        matches = np.moveaxis(self.all_matches(cands, refs), 0, -1)  # n × m × order
        cand_tot = totals_for(cands.lengths, self.order)[:, None, :]
        ref_tot = totals_for(refs.lengths, self.order)[None, :, :]
        forward = chrf_from_counts(cand_tot, ref_tot, matches, self.beta)
        if not symmetric:
            return forward
        backward = chrf_from_counts(ref_tot, cand_tot, matches, self.beta)
        return harmonic_mean(forward, backward)

    def _sacrebleu(self) -> CHRF:
        return CHRF(char_order=self.order, word_order=0, beta=self.beta, lowercase=self.lowercase)

    def sentence_score(self, candidate: str, references: Sequence[str]) -> float:
        return self._sacrebleu().sentence_score(candidate, list(references)).score / 100

    def corpus_score(self, candidates: Sequence[str], references: Sequence[Sequence[str]]) -> float:
        refs = [list(stream) for stream in references]
        return self._sacrebleu().corpus_score(list(candidates), refs).score / 100

    def signature(self) -> str:
        case = "lc" if self.lowercase else "mixed"
        return f"chrf|nrefs:1|case:{case}|eff:yes|nc:{self.order}|nw:0|b:{self.beta:g}|space:no"
