"""`workbench eval --gold G... --test T...`: strict and lax precision, recall and F1."""

from __future__ import annotations

import argparse

from workbench.align.evaluate import evaluate_many
from workbench.align.units import read_alignments
from workbench.errors import InputError

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
        help="alignments to score, same format, one per gold file (e.g. `align -o` output)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if len(args.gold) != len(args.test):
        raise InputError(f"{len(args.gold)} gold files but {len(args.test)} test files")
    golds = [read_alignments(p) for p in args.gold]
    tests = [read_alignments(p) for p in args.test]
    s = evaluate_many(golds, tests)
    print(" " * 8 + "precision  recall     F1")
    print(f"strict  {s.strict_precision:9.4f} {s.strict_recall:7.4f} {s.strict_f1:7.4f}")
    print(f"lax     {s.lax_precision:9.4f} {s.lax_recall:7.4f} {s.lax_f1:7.4f}")
    return 0
