"""Per-unit confidence against the old score: AUC, calibration error, bulk-acceptable share.

Run: python benchmarks/confidence.py [--scorer bleu ableu] [--halves] [--comparable] [--koen]
         [--nomt] [--fit [--write]] [--held-out]

For each scorer and MT system, default `align` (workbench.align.pipeline, as the command line)
on ../shared/bench/textberg-dev: how well the unit's old score (sentence BLEU/ABLEU of the
pair) and its new confidence predict that the unit is exactly right (strict, against
dev.gold, read only after aligning): AUC, expected calibration error (ten bins; for the
score, which is no probability, ECE is not meaningful and is left out) and the share of units
a curator could accept from the top of the ranking with the accepted block ≥ 98 % / ≥ 99 %
right. The shipped maps were fitted on the whole of textberg-dev (see --fit), so these rows
are in-sample; --held-out gives the out-of-sample figures. --halves reports the two halves of
the document apart; --nomt textberg-dev without MT; --comparable the comparable documents of
benchmarks/comparable.py (seed 1); --koen the Korean–English comparable documents of
benchmarks/comparable.py (seeds 1–3, from korean-english-park.test: never used for fitting),
without MT.

--fit fits the logistic calibration maps of workbench/align/calibration.py (the features in
calibration.SELECTED; see fit_map) on units whose gold is known, and prints them; --write also
writes workbench/align/calibration_coefficients.py (the constants the package ships). Maps
with a translation (bleu-mt, ableu-mt): textberg-dev, all three MT systems. Maps without
(bleu-nomt, ableu-nomt): textberg-dev without MT, and two Korean–English comparable documents
built as --koen's are but from korean-english-park.dev (koen_fit_documents).

--held-out cross-fits: the maps fitted as --fit does but on one half of textberg-dev only
(without MT: that half plus the Korean–English fitting documents), measured on the other half,
both ways (first → second, second → first), old score and confidence side by side.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

from workbench.align import calibration as K
from workbench.align import read_alignments
from workbench.align.evaluate import (
    auc,
    bulk_acceptable,
    evaluate,
    expected_calibration_error,
    strict_correct,
)
from workbench.align.pipeline import AlignSettings, Documents, align
from workbench.textio import Document, read_document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comparable import KOEN, TEXTBERG, koen_documents, make_comparable

SYSTEMS = ("europarlfull", "europarllight", "google")
# Regularisation of each map (inverse strength, on standardised features), chosen on held-out
# halves. ABLEU with MT: few wrong units (~190 of ~1200) and strong shrinking transfers best
# (AUC and bulk share on the other half). BLEU with MT: weak shrinking; strong shrinking
# flattened the map, whose middle (0.6-0.9) was then overconfident on the half not fitted on
# (held-out ECE 0.030-0.072 at C = 0.05, 0.024-0.057 at C = 1; docs/confidence.md, "Fourth
# round"). Without MT the Korean–English fitting documents bring ~400 wrong units, and weak
# shrinking is better there (Korean–English test AUC and held-out ECE).
FIT_C = {"bleu-mt": 1.0, "ableu-mt": 0.05, "bleu-nomt": 1.0, "ableu-nomt": 1.0}
COEFFICIENTS = Path(__file__).resolve().parents[1] / "workbench/align/calibration_coefficients.py"


def align_logged(scorer: str, source: Document, target: Document, mt: list[Document]):
    """Default `align`'s units and the calibration features of each (logged by
    workbench.align.calibration; self-training aligns more than once: the last pass)."""
    K.FEATURE_LOG = []
    try:
        units = align(AlignSettings(scorer=scorer), Documents(source, target, mt)).units
        log = K.FEATURE_LOG[-len(units) :]
    finally:
        K.FEATURE_LOG = None
    assert len(log) == len(units)
    return units, log


def metrics(conf: list[float], right: list[bool], ece: bool = True) -> str:
    e = f"{expected_calibration_error(conf, right):.3f}" if ece else "–"
    return (
        f"{auc(conf, right):.3f} | {e} | {bulk_acceptable(conf, right, 0.98):.1%} | "
        f"{bulk_acceptable(conf, right, 0.99):.1%}"
    )


def report(
    name: str, system: str, scorer: str, units, gold, select=None, seconds: float | None = None
) -> None:
    pairs = [u for u in units if not u.is_deletion and (select is None or select(u))]
    right = strict_correct(gold, [u.key for u in pairs])
    score = [u.score if u.score is not None else 0.0 for u in pairs]
    conf = [u.confidence for u in pairs]
    f1 = evaluate(gold, [u.key for u in units if not u.is_deletion]).strict_f1
    print(
        f"| {name} | {scorer} | {system} | {len(pairs)} | {np.mean(right):.3f} | "
        f"{metrics(score, right, ece=False)} | {metrics(conf, right)} | {f1:.3f} | "
        f"{'' if seconds is None else f'{seconds:.1f}'} |",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorer", nargs="+", default=["bleu", "ableu"], help="bleu, ableu")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), help="MT systems")
    parser.add_argument("--halves", action="store_true", help="report each half apart")
    parser.add_argument("--comparable", action="store_true", help="comparable documents too")
    parser.add_argument("--koen", action="store_true", help="Korean-English (no MT) too")
    parser.add_argument("--fit", action="store_true", help="fit the calibration (first half)")
    parser.add_argument("--nomt", action="store_true", help="textberg-dev without MT too")
    parser.add_argument("--write", action="store_true", help="with --fit: write the maps")
    parser.add_argument(
        "--held-out", action="store_true", help="fit on one half, measure on the other"
    )
    args = parser.parse_args()
    if not (TEXTBERG / "dev.de").exists():
        print(f"skipped: {TEXTBERG} is absent")
        return 0
    src = read_document(TEXTBERG / "dev.de")
    tgt = read_document(TEXTBERG / "dev.fr")
    gold = read_alignments(TEXTBERG / "dev.gold")
    half = len(src.sentences) // 2
    if args.held_out:
        return held_out(src, tgt, gold, args.systems, args.scorer)
    if args.fit:
        return fit(src, tgt, gold, half, args.systems, args.scorer, args.write)
    print(
        "| document | scorer | MT system | units | precision | score AUC | score ECE | "
        "score bulk ≥98 % | score bulk ≥99 % | confidence AUC | confidence ECE | "
        "confidence bulk ≥98 % | confidence bulk ≥99 % | strict F1 | align s |"
    )
    print("|" + "---|" * 15)

    def halves(system: str, scorer: str, units, seconds: float) -> None:
        report("textberg-dev", system, scorer, units, gold, seconds=seconds)
        if args.halves:
            first = lambda u: u.source[0] < half  # noqa: E731
            second = lambda u: u.source[0] >= half  # noqa: E731
            report("first half", system, scorer, units, gold, first)
            report("second half", system, scorer, units, gold, second)

    for system in args.systems:
        mt = read_document(TEXTBERG / f"dev.mt-{system}.fr")
        for scorer in args.scorer:
            t0 = time.perf_counter()
            units, _ = align_logged(scorer, src, tgt, [mt])
            halves(system, scorer, units, time.perf_counter() - t0)
            if args.comparable:
                s, t, m, g = make_comparable(
                    src.sentences, tgt.sentences, [mt.sentences], gold, seed=1
                )
                units, _ = align_logged(scorer, Document(s), Document(t), [Document(m[0])])
                report("comparable (seed 1)", system, scorer, units, g)
    if args.nomt:
        for scorer in args.scorer:
            t0 = time.perf_counter()
            units, _ = align_logged(scorer, src, tgt, [])
            halves("none", scorer, units, time.perf_counter() - t0)
    if args.koen:
        for seed, (s, t, g) in zip((1, 2, 3), koen_documents([1, 2, 3]), strict=True):
            for scorer in args.scorer:
                t0 = time.perf_counter()
                units, _ = align_logged(scorer, Document(s), Document(t), [])
                name = f"Korean-English comparable (seed {seed})"
                report(name, "none", scorer, units, g, seconds=time.perf_counter() - t0)
    return 0


def _first_half(unit, half_source: int, half_target: int) -> bool:
    return unit.source[0] < half_source if unit.source else unit.target[0] < half_target


# The Korean–English fitting documents (maps without MT): windows of 400 parallel lines of
# korean-english-park.dev and the lines their foreign sentences come from, at least 100 lines
# away; built as --koen's test documents are (benchmarks/comparable.py, koen_documents), from
# the dev split.
KOEN_FIT = ((1, range(0, 400), range(500, 1000)), (2, range(600, 1000), range(0, 500)))


def koen_fit_documents(
    ko: list[str] | None = None, en: list[str] | None = None
) -> list[tuple[list[str], list[str], list]]:
    """Korean–English comparable documents for fitting (never for reporting), (source,
    target, gold) each: per KOEN_FIT entry, the window's lines of ``ko`` / ``en``
    (korean-english-park.dev by default), 20 % dropped on each side, 15 % inserted from the
    far lines (shuffled; Korean from one half of them, English from the other, so that no
    inserted pair translates each other), as the test documents are made."""
    if ko is None or en is None:
        ko = read_document(KOEN / "korean-english-park.dev.ko").sentences
        en = read_document(KOEN / "korean-english-park.dev.en").sentences
    docs = []
    for seed, window, far_lines in KOEN_FIT:
        far = list(far_lines)
        random.Random(seed).shuffle(far)
        half = len(far) // 2
        foreign = ([ko[i] for i in far[:half]], [en[i] for i in far[half:]])
        s, t, _, g = make_comparable(
            [ko[i] for i in window],
            [en[i] for i in window],
            [],
            [((k,), (k,)) for k in range(len(window))],
            seed,
            foreign=foreign,
        )
        docs.append((s, t, g))
    return docs


def fit_map(x: list[list[float]], y: list[bool], key: str) -> tuple[float, ...]:
    """One logistic map ``key``: intercept, then a weight per feature of K.FEATURES (0 for
    those not in K.SELECTED). Fitted on standardised features, regularised by FIT_C[key]
    (ABLEU with MT strongly: a few dozen wrong units per half, so few and shrunk weights
    transfer best to documents not fitted on), then written back in the raw features' units."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    xs = np.array(x, dtype=float)[:, list(K.SELECTED)]
    scaler = StandardScaler().fit(xs)
    c = FIT_C[key]
    model = LogisticRegression(C=c, max_iter=5000).fit(scaler.transform(xs), np.array(y))
    weights = model.coef_[0] / scaler.scale_
    intercept = float(model.intercept_[0] - np.sum(weights * scaler.mean_))
    coef = [0.0] * len(K.FEATURES)
    for i, w in zip(K.SELECTED, weights, strict=True):
        coef[i] = float(w)
    return (intercept, *coef)


def apply_map(coef: tuple[float, ...], features: list[float]) -> float:
    z = coef[0] + sum(c * f for c, f in zip(coef[1:], features, strict=True))
    return 1.0 / (1.0 + np.exp(-z))


def fitting_units(src: Document, tgt: Document, gold, systems, scorers) -> dict:
    """Per map key, every pair unit of the fitting documents: (features, right, half) with
    half 0 / 1 for textberg-dev's first / second half and None for the Korean–English
    fitting document (used whichever half is fitted on)."""
    half_s, half_t = len(src.sentences) // 2, len(tgt.sentences) // 2
    data: dict[str, list[tuple[list[float], bool, int | None]]] = {}

    def add(key: str, units, log, right, halves: bool = True) -> None:
        rows = data.setdefault(key, [])
        for u, (f, deletion), r in zip(units, log, right, strict=True):
            if not deletion:
                half = (0 if _first_half(u, half_s, half_t) else 1) if halves else None
                rows.append((f, r, half))

    koen = koen_fit_documents()
    for scorer in scorers:
        for system in systems:
            mt = read_document(TEXTBERG / f"dev.mt-{system}.fr")
            units, log = align_logged(scorer, src, tgt, [mt])
            add(f"{scorer}-mt", units, log, strict_correct(gold, [u.key for u in units]))
        units, log = align_logged(scorer, src, tgt, [])
        add(f"{scorer}-nomt", units, log, strict_correct(gold, [u.key for u in units]))
        for ks, kt, kg in koen:
            units, log = align_logged(scorer, Document(ks), Document(kt), [])
            right = strict_correct(kg, [u.key for u in units])
            add(f"{scorer}-nomt", units, log, right, False)
    return data


def held_out(src: Document, tgt: Document, gold, systems, scorers) -> int:
    """Cross-fitting: the maps fitted (as --fit does) on one half of textberg-dev and measured
    on the other, both ways, per MT system; without MT the Korean–English fitting documents
    join either half. Nothing is written; the shipped maps are not used."""
    half_s, half_t = len(src.sentences) // 2, len(tgt.sentences) // 2
    print(
        "| fitted on → measured on | scorer | MT system | units | precision | score AUC | "
        "score ECE | score bulk ≥98 % | score bulk ≥99 % | confidence AUC | confidence ECE | "
        "confidence bulk ≥98 % | confidence bulk ≥99 % |"
    )
    print("|" + "---|" * 13)
    koen_docs = koen_fit_documents()
    for scorer in scorers:
        runs = []  # (key, system, pair units, features, right, half)
        for system in [*systems, "none"]:
            mt = [] if system == "none" else [read_document(TEXTBERG / f"dev.mt-{system}.fr")]
            units, log = align_logged(scorer, src, tgt, mt)
            right = strict_correct(gold, [u.key for u in units])
            rows = [(u, f, r) for u, (f, d), r in zip(units, log, right, strict=True) if not d]
            halves = [0 if _first_half(u, half_s, half_t) else 1 for u, _f, _r in rows]
            key = f"{scorer}-{'nomt' if system == 'none' else 'mt'}"
            runs.append((key, system, rows, halves))
        koen = []
        for ks, kt, kg in koen_docs:
            units, log = align_logged(scorer, Document(ks), Document(kt), [])
            right = strict_correct(kg, [u.key for u in units])
            koen += [(f, r) for (f, d), r in zip(log, right, strict=True) if not d]
        for fitted in (0, 1):
            names = ("first half", "second half")
            maps = {}
            for key in (f"{scorer}-mt", f"{scorer}-nomt"):
                x = [
                    f
                    for k, _s, rows, hs in runs
                    if k == key
                    for (_u, f, _r), h in zip(rows, hs, strict=True)
                    if h == fitted
                ]
                y = [
                    r
                    for k, _s, rows, hs in runs
                    if k == key
                    for (_u, _f, r), h in zip(rows, hs, strict=True)
                    if h == fitted
                ]
                if key.endswith("nomt"):
                    x += [f for f, _r in koen]
                    y += [r for _f, r in koen]
                maps[key] = fit_map(x, y, key)
            for key, system, rows, hs in runs:
                test = [row for row, h in zip(rows, hs, strict=True) if h != fitted]
                right = [r for _u, _f, r in test]
                score = [u.score if u.score is not None else 0.0 for u, _f, _r in test]
                conf = [apply_map(maps[key], f) for _u, f, _r in test]
                print(
                    f"| {names[fitted]} → {names[1 - fitted]} | {scorer} | {system} | "
                    f"{len(test)} | {np.mean(right):.3f} | {metrics(score, right, ece=False)} | "
                    f"{metrics(conf, right)} |",
                    flush=True,
                )
    return 0


def fit(src: Document, tgt: Document, gold, half: int, systems, scorers, write: bool) -> int:
    """Fit the calibration maps (see the module's docstring); print them, --write them."""
    data = fitting_units(src, tgt, gold, systems, scorers)
    maps = {}
    for key, rows in sorted(data.items()):
        y = [r for _f, r, _h in rows]
        maps[key] = tuple(round(c, 4) for c in fit_map([f for f, _r, _h in rows], y, key))
        print(f"{key}: {maps[key]}  # {len(y)} units, {np.mean(y):.3f} right")
    if write:
        lines = [
            '"""Fitted calibration maps: intercept, then one weight per feature of',
            "workbench.align.calibration.FEATURES. Written by `python benchmarks/confidence.py",
            '--fit --write` (see its docstring for the documents); do not edit by hand."""',
            "",
            "COEFFICIENTS: dict[str, tuple[float, ...]] = {",
            *(
                line
                for k, v in maps.items()
                for line in (f'    "{k}": (', *(f"        {c}," for c in v), "    ),")
            ),
            "}",
            "",
        ]
        COEFFICIENTS.write_text("\n".join(lines), encoding="utf-8")
        print(f"wrote {COEFFICIENTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
