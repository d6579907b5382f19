"""`workbench eval --gold G... --test T...`: strict and lax precision, recall and F1."""

from __future__ import annotations

import argparse

from workbench.errors import InputError
from workbench.wording import count

ORDER = 30  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "eval",
        help="score test alignments against gold alignments",
        description="Compare alignments with gold alignments and print strict (unit exactly "
        "right) and lax (unit overlaps a gold unit) precision, recall and F1. Both are in "
        "Bleualign's format, as `workbench align` writes it: one unit per line, "
        "[source ids]:[target ids] with 0-based sentence ids, e.g. [0,1]:[2]. Several --gold "
        "and --test files are paired in order and counted together.",
    )
    p.add_argument(
        "--gold",
        nargs="+",
        required=True,
        metavar="G",
        help="gold alignment files ([source ids]:[target ids] per line)",
    )
    p.add_argument(
        "--test",
        nargs="+",
        required=True,
        metavar="T",
        help="alignments to score, one per gold file: [0]:[1] lines (e.g. `align -o` output) "
        "or JSONL from `align --format jsonl` (then the units' confidence is scored too)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.align.evaluate import confidence_scores, evaluate_many
    from workbench.align.units import read_alignments, read_scored_alignments

    if len(args.gold) != len(args.test):
        raise InputError(f"{len(args.gold)} gold files but {len(args.test)} test files")
    golds = [read_alignments(p) for p in args.gold]
    scored = [read_scored_alignments(p) for p in args.test]
    tests = [[pair for pair, _ in units] for units in scored]
    s = evaluate_many(golds, tests)
    print(" " * 8 + "precision  recall     F1")
    print(f"strict  {s.strict_precision:9.4f} {s.strict_recall:7.4f} {s.strict_f1:7.4f}")
    print(f"lax     {s.lax_precision:9.4f} {s.lax_recall:7.4f} {s.lax_f1:7.4f}")
    with_conf = [(g, u) for g, u in zip(golds, scored, strict=True) if u]
    if with_conf and all(c is not None for _, units in with_conf for _, c in units):
        # Pooled over documents: each unit judged right against its own document's gold.
        right_keys, confs = [], []
        for d, (_gold, units) in enumerate(with_conf):
            right_keys += [((d, *p[0]), (d, *p[1])) for p, _ in units]
            confs += [float(c) for _, c in units]
        pooled_gold = [((d, *s_), (d, *t_)) for d, (g, _) in enumerate(with_conf) for s_, t_ in g]
        c = confidence_scores(pooled_gold, right_keys, confs)
        print(
            f"confidence  AUC {c.auc:.4f}  calibration error (ECE) {c.ece:.4f}  "
            f"bulk-acceptable at >=98% precision {c.bulk[0.98]:.1%}, "
            f">=99% {c.bulk[0.99]:.1%}  ({count(c.units, 'unit')})"
        )
    return 0
