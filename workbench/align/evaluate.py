"""Strict and lax precision, recall and F1 of test alignments against gold (spec §5).

Strict counts exact alignment matches. Lax counts a test alignment as right when it shares at
least one source–target link with a gold alignment (a deletion: when gold deletes one of the
same sentences). Deletions (1–0, 0–1) count for precision only: recall is measured over gold
alignments that have both sides, against test alignments that have both sides. These are the
conventions of Bleualign's, Vecalign's and Bertalign's evaluations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Pair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Scores:
    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _links(pair: Pair) -> set[tuple[int, int]]:
    return {(s, t) for s in pair[0] for t in pair[1]}


def _deleted(pairs: Iterable[Pair]) -> tuple[set[int], set[int]]:
    src, tgt = set(), set()
    for s, t in pairs:
        if not t:
            src.update(s)
        if not s:
            tgt.update(t)
    return src, tgt


def _correct(test: Sequence[Pair], gold: Sequence[Pair]) -> tuple[int, int]:
    """(strict, lax) count of ``test`` alignments that are right with respect to ``gold``."""
    gold_set = set(gold)
    gold_links = set().union(*(_links(p) for p in gold)) if gold else set()
    del_src, del_tgt = _deleted(gold)
    strict = lax = 0
    for pair in test:
        if pair in gold_set:
            strict += 1
            lax += 1
        elif pair[0] and pair[1]:
            lax += bool(_links(pair) & gold_links)
        else:
            lax += bool(set(pair[0]) & del_src or set(pair[1]) & del_tgt)
    return strict, lax


def evaluate(gold: Sequence[Pair], test: Sequence[Pair]) -> Scores:
    """Score one test alignment against one gold alignment."""
    return evaluate_many([gold], [test])


def evaluate_many(golds: Sequence[Sequence[Pair]], tests: Sequence[Sequence[Pair]]) -> Scores:
    """Micro-averaged scores over several documents (counts summed, then ratios)."""
    p_strict = p_lax = p_total = r_strict = r_lax = r_total = 0
    for gold, test in zip(golds, tests, strict=True):
        gold = [(tuple(s), tuple(t)) for s, t in gold if s or t]
        test = [(tuple(s), tuple(t)) for s, t in test if s or t]
        s, lx = _correct(test, gold)
        p_strict, p_lax, p_total = p_strict + s, p_lax + lx, p_total + len(test)
        gold_full = [p for p in gold if p[0] and p[1]]
        test_full = [p for p in test if p[0] and p[1]]
        s, lx = _correct(gold_full, test_full)
        r_strict, r_lax, r_total = r_strict + s, r_lax + lx, r_total + len(gold_full)
    sp = p_strict / p_total if p_total else 0.0
    lp = p_lax / p_total if p_total else 0.0
    sr = r_strict / r_total if r_total else 0.0
    lr = r_lax / r_total if r_total else 0.0
    return Scores(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


@dataclass(frozen=True)
class ConfidenceScores:
    """How well a per-unit confidence predicts "this unit is exactly right" (strict).

    ``auc``: probability that a right unit gets a higher confidence than a wrong one (ties
    count half); ``ece``: expected calibration error over ten equal-width confidence bins
    (|mean confidence − share right| weighted by the bin's share of units); ``bulk``: for each
    precision threshold, the largest share of units that can be accepted from the top of the
    confidence ranking with the accepted block's strict precision at least that threshold.
    """

    units: int
    auc: float
    ece: float
    bulk: dict[float, float]

    def as_dict(self) -> dict[str, object]:
        return {"units": self.units, "auc": self.auc, "ece": self.ece, "bulk": dict(self.bulk)}


def strict_correct(gold: Sequence[Pair], test: Sequence[Pair]) -> list[bool]:
    """Per test unit: is it exactly a gold unit?"""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    return [(tuple(s), tuple(t)) in gold_set for s, t in test]


def auc(scores: Sequence[float], right: Sequence[bool]) -> float:
    """Area under the ROC curve of ``scores`` predicting ``right`` (Mann–Whitney, ties half)."""
    import numpy as np
    from scipy.stats import rankdata

    y = np.asarray(right, dtype=bool)
    pos, neg = int(y.sum()), int((~y).sum())
    if not pos or not neg:
        return float("nan")
    ranks = rankdata(np.asarray(scores, dtype=np.float64))
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def expected_calibration_error(
    confidence: Sequence[float], right: Sequence[bool], bins: int = 10
) -> float:
    import numpy as np

    c = np.clip(np.asarray(confidence, dtype=np.float64), 0.0, 1.0)
    y = np.asarray(right, dtype=np.float64)
    if not len(c):
        return float("nan")
    which = np.minimum((c * bins).astype(int), bins - 1)
    err = 0.0
    for b in range(bins):
        sel = which == b
        if sel.any():
            err += sel.sum() / len(c) * abs(c[sel].mean() - y[sel].mean())
    return float(err)


def bulk_acceptable(confidence: Sequence[float], right: Sequence[bool], precision: float) -> float:
    """Largest share of units acceptable from the top of the ranking at ≥ ``precision``.

    Units are taken in decreasing confidence; units of equal confidence are taken together
    (a curator accepting "everything above x" cannot split a tie)."""
    import numpy as np

    c = np.asarray(confidence, dtype=np.float64)
    y = np.asarray(right, dtype=np.float64)
    if not len(c):
        return 0.0
    order = np.argsort(-c, kind="stable")
    c, y = c[order], y[order]
    hits = np.cumsum(y)
    count = np.arange(1, len(c) + 1)
    ends = np.flatnonzero(np.append(c[1:] != c[:-1], True))  # last index of each tie block
    ok = ends[hits[ends] >= precision * count[ends] - 1e-12]
    return float((ok.max() + 1) / len(c)) if len(ok) else 0.0


def confidence_scores(
    gold: Sequence[Pair],
    test: Sequence[Pair],
    confidence: Sequence[float],
    thresholds: Sequence[float] = (0.98, 0.99),
) -> ConfidenceScores:
    """AUC, calibration error and bulk-acceptable shares of ``confidence`` for ``test``."""
    right = strict_correct(gold, test)
    return ConfidenceScores(
        len(right),
        auc(confidence, right),
        expected_calibration_error(confidence, right),
        {t: bulk_acceptable(confidence, right, t) for t in thresholds},
    )
