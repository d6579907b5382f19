"""`workbench align SOURCE TARGET --mt FILE`: Bleualign-style alignment with BLEU or ABLEU."""

from __future__ import annotations

import argparse
import sys

from workbench.align import Aligner, AlignerOptions, AlignmentUnit
from workbench.cli.common import add_scorer_options, progress_printer
from workbench.scoring import make_scorer
from workbench.textio import Document, read_document


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("align", help="align two documents sentence by sentence")
    p.add_argument("source", help="source document, one sentence per line (.EOA = article end)")
    p.add_argument("target", help="target document, one sentence per line")
    p.add_argument(
        "--mt",
        action="append",
        default=[],
        metavar="FILE",
        help="translation of SOURCE into the target language (repeatable; results intersected)",
    )
    p.add_argument(
        "--mt-reverse",
        action="append",
        default=[],
        metavar="FILE",
        help="translation of TARGET into the source language (repeatable)",
    )
    add_scorer_options(p, lowercase_default=True, order_default=None)
    p.add_argument(
        "--method",
        choices=["bleualign", "dp"],
        default=None,
        help="bleualign: anchors + Bleualign's gap filling (default with --mt); dp: anchors + "
        "a length-and-score dynamic programme (default without --mt)",
    )
    p.add_argument(
        "--dp-weight", type=float, default=AlignerOptions.dp_weight, help="score weight in dp"
    )
    p.add_argument("--format", choices=["ids", "tsv"], default="ids", help="output format")
    p.add_argument(
        "--deletions",
        action="store_true",
        help="also print 1-0 / 0-1 units for sentences left unaligned",
    )
    p.add_argument("--encoding", default="utf-8", help="encoding of the input files")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=run)


def load_inputs(
    args: argparse.Namespace,
) -> tuple[Document, Document, list[Document], list[Document]]:
    source = read_document(args.source, args.encoding)
    target = read_document(args.target, args.encoding)
    mt = [read_document(p, args.encoding) for p in args.mt]
    mt_reverse = [read_document(p, args.encoding) for p in args.mt_reverse]
    return source, target, mt, mt_reverse


def format_units(
    units: list[AlignmentUnit], source: Document, target: Document, fmt: str, deletions: bool
) -> list[str]:
    lines = []
    for unit in units:
        if unit.is_deletion and not deletions:
            continue
        if fmt == "ids":
            lines.append(str(unit))
        else:
            src = " ".join(source.sentences[i] for i in unit.source)
            tgt = " ".join(target.sentences[j] for j in unit.target)
            lines.append(f"{src}\t{tgt}")
    return lines


def run(args: argparse.Namespace) -> int:
    source, target, mt, mt_reverse = load_inputs(args)
    order = args.order or (2 if mt or mt_reverse else 1)
    scorer = make_scorer(
        args.scorer, args.embeddings, order, args.tokenize, args.lowercase, args.threshold
    )
    if not mt and not mt_reverse and args.scorer == "bleu":
        print(
            "workbench: warning: no --mt given; BLEU compares source and target directly, "
            "which only works for closely related languages",
            file=sys.stderr,
        )
    aligner = Aligner(scorer, AlignerOptions(method=args.method, dp_weight=args.dp_weight))
    units = aligner.align(source, target, mt, mt_reverse, progress=progress_printer("aligning"))
    lines = format_units(units, source, target, args.format, args.deletions)
    text = "".join(line + "\n" for line in lines)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0
