"""`workbench report PROJECT`: yield, pairs, agreement and sampled accuracy per scorer."""

from __future__ import annotations

import argparse
import sys

ORDER = 52  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "report", help="compare scorers: yield, pairs, agreement, sampled accuracy (CSV/HTML)"
    )
    p.add_argument("project", help="project file")
    p.add_argument(
        "--scorers",
        nargs="+",
        default=["bleu", "ableu"],
        metavar="NAME",
        help="scorers to compare (default: bleu ableu); missing suggestion runs are computed",
    )
    p.add_argument("--embeddings", metavar="FILE", help="embedding for ABLEU (default: learnt)")
    p.add_argument(
        "--gold",
        nargs="+",
        metavar="FILE",
        help="gold alignments (one per document in project order, or NAME=FILE): adds "
        "strict/lax precision, recall and F1",
    )
    p.add_argument(
        "--sample",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="samples to take accuracy from (default: the latest drawn from each scorer)",
    )
    p.add_argument("--confidence", type=float, default=0.95, help="default 0.95")
    p.add_argument("--csv", metavar="OUT.csv", help="write the table (overall + per document)")
    p.add_argument("--html", metavar="OUT.html", help="write a self-contained page with charts")
    p.add_argument(
        "--no-accepted",
        action="store_true",
        help="leave out the row of accepted pairs (shown when the project has any)",
    )
    p.add_argument(
        "--no-compute", action="store_true", help="fail instead of aligning missing runs"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.errors import InputError
    from workbench.project import Project
    from workbench.safeio import check_output, same_file, write_text_atomic
    from workbench.spotcheck.cli_support import gold_by_document
    from workbench.spotcheck.project_data import gather_report

    inputs = [args.project, args.embeddings, *(args.gold or [])]
    for out in (args.csv, args.html):
        if out:
            check_output(out, inputs, what="report")
    if args.csv and args.html and same_file(args.csv, args.html):
        raise InputError(f"{args.csv}: given for both --csv and --html; give two file names")
    with Project.open(args.project) as project:
        gold = gold_by_document(project, args.gold) if args.gold else None
        report = gather_report(
            project,
            args.scorers,
            embeddings=args.embeddings,
            gold=gold,
            sample_ids=args.sample,
            compute=not args.no_compute,
            confidence=args.confidence,
            include_accepted=not args.no_accepted,
            progress=lambda text: print(text, file=sys.stderr),
        )
    print(report.text_table())
    reliability = report.reliability_text()
    if reliability:
        print("\nconfidence: sampled vs predicted accuracy per band")
        print(reliability)
    for note in report.notes:
        print(f"  {note}")
    if args.csv:
        write_text_atomic(args.csv, report.table().to_csv(index=False), inputs=inputs)
        print(f"wrote {args.csv}")
    if args.html:
        from workbench.spotcheck.html import report_html

        write_text_atomic(args.html, report_html(report), inputs=inputs)
        print(f"wrote {args.html}")
    return 0
