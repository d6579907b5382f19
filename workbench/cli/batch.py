"""`workbench batch MANIFEST -o OUT`: align many document pairs, resumable, optionally on Dask."""

from __future__ import annotations

import argparse
import sys

from workbench.align.defaults import DP_WEIGHT
from workbench.cli.common import (
    add_scorer_options,
    check_translations_are_not_documents,
    warn_unused_embeddings,
    warn_unused_shared_model,
)
from workbench.errors import InputError
from workbench.wording import count

ORDER = 70  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "batch",
        help="align many document pairs (manifest or two folders) into TSV, resumably",
        description="Align every document pair of MANIFEST (TSV, or CSV by its .csv suffix: "
        "columns source, target, optional name, translation[2…] and reverse_translation; paths "
        "relative to the manifest's folder; without a header: source, target, translation…) "
        "or of --dirs SRC TGT (same file names). Finished documents are recorded in OUT and "
        "skipped when the command is run again; a failing document is reported at the end "
        "(exit status 1) without stopping the others.",
    )
    p.add_argument("manifest", nargs="?", help="TSV/CSV manifest of document pairs")
    p.add_argument("--dirs", nargs=2, metavar=("SRC_DIR", "TGT_DIR"), help="pair files by name")
    p.add_argument("--mt-dir", metavar="DIR", help="with --dirs: translations of the sources")
    p.add_argument(
        "--mt-reverse-dir", metavar="DIR", help="with --dirs: translations of the targets"
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="a folder (one TSV per document) or a .tsv file (all documents, with a header)",
    )
    where.add_argument(
        "--project",
        metavar="P.wbproj",
        help="a workbench project (created if absent): documents, translations, suggestions",
    )
    add_scorer_options(p, lowercase_default=True, order_default=None)
    p.add_argument(
        "--method",
        choices=["bleualign", "dp"],
        default=None,
        help="as `workbench align --method`: dp (default) or bleualign's greedy gap filling",
    )
    p.add_argument(
        "--dp-weight",
        type=float,
        default=DP_WEIGHT,
        help=f"score bonus per bead in dp (default {DP_WEIGHT:g})",
    )
    p.add_argument(
        "--shared-model",
        action="store_true",
        help="with --scorer ableu and no --embeddings: train one word2vec-pair model over every "
        "translated document of the batch, once, and align each document over it (instead of "
        "training one per document; the units differ, see docs/speed.md)",
    )
    p.add_argument("--deletions", action="store_true", help="also write 1-0 / 0-1 units")
    p.add_argument("--encoding", default="utf-8", help="encoding of the input files")
    p.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="align on a Dask LocalCluster of N processes (default: in this process)",
    )
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="align on a running Dask cluster")
    p.add_argument("--restart", action="store_true", help="ignore the record of finished documents")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.batch import BatchSettings, items_from_dirs, read_manifest, run_batch

    if bool(args.manifest) == bool(args.dirs):
        raise InputError("give either a MANIFEST or --dirs SRC_DIR TGT_DIR")
    if (args.mt_dir or args.mt_reverse_dir) and not args.dirs:
        raise InputError("--mt-dir and --mt-reverse-dir go with --dirs")
    if args.workers < 0:
        raise InputError("--workers must be 0 or more")
    if args.dirs:
        check_translations_are_not_documents(
            *args.dirs,
            [args.mt_dir or ""],
            [args.mt_reverse_dir or ""],
            names=("--mt-dir", "--mt-reverse-dir"),
        )
        items = items_from_dirs(*args.dirs, args.mt_dir, args.mt_reverse_dir)
    else:
        items = read_manifest(args.manifest)
    settings = BatchSettings(
        scorer=args.scorer,
        embeddings=args.embeddings,
        order=args.order,
        tokenize=args.tokenize,
        lowercase=args.lowercase,
        threshold=args.threshold,
        method=args.method,
        dp_weight=args.dp_weight,
        encoding=args.encoding,
        shared_model=args.shared_model,
    )
    # Check the scorer's name here, not once per document on the workers.
    from workbench.scoring.registry import SCORERS, available_scorers

    if settings.scorer not in SCORERS and settings.scorer not in available_scorers():
        raise InputError(
            f"unknown scorer {settings.scorer!r}; available: {', '.join(available_scorers())}"
        )
    warn_unused_embeddings(args)
    warn_unused_shared_model(args)
    try:
        report = run_batch(
            items,
            settings,
            args.project or args.output,
            project=bool(args.project),
            workers=args.workers,
            scheduler=args.scheduler,
            restart=args.restart,
            deletions=args.deletions,
            inputs=[args.manifest, args.embeddings],
        )
    except KeyboardInterrupt:
        print(
            "workbench: interrupted; finished documents are kept, run the same command to resume",
            file=sys.stderr,
        )
        return 130
    done = len(report.aligned)
    print(
        f"aligned {done} document(s) ({count(report.units, 'unit')}), {len(report.skipped)} already done, "
        f"{len(report.failed)} failed; output: {args.project or args.output}",
        file=sys.stderr,
    )
    for name, error in report.failed.items():
        print(f"  failed {name}: {error}", file=sys.stderr)
    return 0 if report.ok else 1
