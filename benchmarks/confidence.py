"""Per-unit confidence against the old score: AUC, calibration error, bulk-acceptable share.

Run: python benchmarks/confidence.py [--scorer bleu ableu] [--halves] [--comparable] [--koen]
         [--fit]

For each scorer and MT system, default `align` on ../shared/bench/textberg-dev: how well the
unit's old score (sentence BLEU/ABLEU of the pair) and its new confidence predict that the unit
is exactly right (strict, against dev.gold, read only after aligning): AUC, expected
calibration error (ten bins; for the score, which is no probability, ECE is not meaningful and
is left out) and the share of units a curator could accept from the top of the ranking with
the accepted block ≥ 98 % / ≥ 99 % right. --halves reports the two halves of the document
apart (the calibration was fitted on the first half, BLEU, all three MT systems: see
--fit); --comparable the comparable documents of benchmarks/comparable.py (seed 1), --koen
the Korean–English comparable document without MT.

--fit prints the logistic calibration fitted on the first half's units (BLEU, all systems),
the constants workbench/align/posterior.py holds (CALIBRATION, DELETION_CALIBRATION).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from workbench.align import AlignerOptions, make_scorer, read_alignments
from workbench.align import posterior as P
from workbench.align.bleualign import Aligner
from workbench.align.evaluate import (
    auc,
    bulk_acceptable,
    evaluate,
    expected_calibration_error,
    strict_correct,
)
from workbench.align.selftrain import SelfTrainingOptions, self_trained_align
from workbench.textio import Document, read_document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comparable import TEXTBERG, make_comparable

SYSTEMS = ("europarlfull", "europarllight", "google")


def align_logged(scorer: str, source: Document, target: Document, mt: list[Document]):
    """Units and the calibration features of each (logged by workbench.align.posterior)."""
    P.FEATURE_LOG = []
    try:
        if scorer == "ableu":
            units, _ = self_trained_align(
                source,
                target,
                mt,
                options=SelfTrainingOptions(),
                aligner_options=AlignerOptions(),
            )
            log = P.FEATURE_LOG[-len(units) :]
        else:
            sc = make_scorer("bleu", lowercase=True, order=2 if mt else 1)
            units = Aligner(sc).align(source, target, mt)
            log = P.FEATURE_LOG
    finally:
        feats, P.FEATURE_LOG = P.FEATURE_LOG, None
    del feats
    assert len(log) == len(units)
    return units, log


def metrics(conf: list[float], right: list[bool], ece: bool = True) -> str:
    e = f"{expected_calibration_error(conf, right):.3f}" if ece else "–"
    return (
        f"{auc(conf, right):.3f} | {e} | {bulk_acceptable(conf, right, 0.98):.1%} | "
        f"{bulk_acceptable(conf, right, 0.99):.1%}"
    )


def report(name: str, system: str, scorer: str, units, gold, select=None) -> None:
    pairs = [u for u in units if not u.is_deletion and (select is None or select(u))]
    right = strict_correct(gold, [u.key for u in pairs])
    score = [u.score if u.score is not None else 0.0 for u in pairs]
    conf = [u.confidence for u in pairs]
    f1 = evaluate(gold, [u.key for u in units if not u.is_deletion]).strict_f1
    print(
        f"| {name} | {scorer} | {system} | {len(pairs)} | {np.mean(right):.3f} | "
        f"{metrics(score, right, ece=False)} | {metrics(conf, right)} | {f1:.3f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorer", nargs="+", default=["bleu", "ableu"], help="bleu, ableu")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), help="MT systems")
    parser.add_argument("--halves", action="store_true", help="report each half apart")
    parser.add_argument("--comparable", action="store_true", help="comparable documents too")
    parser.add_argument("--koen", action="store_true", help="Korean-English (no MT) too")
    parser.add_argument("--fit", action="store_true", help="fit the calibration (first half)")
    args = parser.parse_args()
    if not (TEXTBERG / "dev.de").exists():
        print(f"skipped: {TEXTBERG} is absent")
        return 0
    src = read_document(TEXTBERG / "dev.de")
    tgt = read_document(TEXTBERG / "dev.fr")
    gold = read_alignments(TEXTBERG / "dev.gold")
    half = len(src.sentences) // 2
    if args.fit:
        return fit(src, tgt, gold, half, args.systems)
    print(
        "| document | scorer | MT system | units | precision | score AUC | score ECE | "
        "score bulk ≥98 % | score bulk ≥99 % | confidence AUC | confidence ECE | "
        "confidence bulk ≥98 % | confidence bulk ≥99 % | strict F1 |"
    )
    print("|" + "---|" * 14)
    for system in args.systems:
        mt = read_document(TEXTBERG / f"dev.mt-{system}.fr")
        for scorer in args.scorer:
            units, _ = align_logged(scorer, src, tgt, [mt])
            report("textberg-dev", system, scorer, units, gold)
            if args.halves:
                report(
                    "first half",
                    system,
                    scorer,
                    units,
                    gold,
                    lambda u: u.source[0] < half,
                )
                report(
                    "second half",
                    system,
                    scorer,
                    units,
                    gold,
                    lambda u: u.source[0] >= half,
                )
            if args.comparable:
                s, t, m, g = make_comparable(
                    src.sentences, tgt.sentences, [mt.sentences], gold, seed=1
                )
                units, _ = align_logged(scorer, Document(s), Document(t), [Document(m[0])])
                report("comparable (seed 1)", system, scorer, units, g)
    if args.koen:
        from comparable import koen_documents

        for scorer in args.scorer:
            s, t, g = koen_documents([1])[0]
            units, _ = align_logged(scorer, Document(s), Document(t), [])
            report("Korean-English comparable", "none", scorer, units, g)
    return 0


def _first_half(unit, half_source: int, half_target: int) -> bool:
    return unit.source[0] < half_source if unit.source else unit.target[0] < half_target


def fit(src: Document, tgt: Document, gold, half: int, systems) -> int:
    from sklearn.linear_model import LogisticRegression

    xs, ys, xd, yd = [], [], [], []
    for system in systems:
        mt = read_document(TEXTBERG / f"dev.mt-{system}.fr")
        units, log = align_logged("bleu", src, tgt, [mt])
        right = strict_correct(gold, [u.key for u in units])
        for u, f, r in zip(units, log, right, strict=True):
            if _first_half(u, half, len(tgt.sentences) // 2):
                (xd if u.is_deletion else xs).append(f)
                (yd if u.is_deletion else ys).append(r)
    for name, x, y in (("CALIBRATION", xs, ys), ("DELETION_CALIBRATION", xd, yd)):
        model = LogisticRegression(C=1.0, max_iter=1000).fit(np.array(x), np.array(y))
        coef = [round(float(model.intercept_[0]), 3)] + [round(float(c), 3) for c in model.coef_[0]]
        print(f"{name} = {tuple(coef)}  # fitted on {len(y)} units, {np.mean(y):.3f} right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
