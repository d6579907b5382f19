"""`workbench sample PROJECT --size N | --margin M`: draw a seeded random sample to judge."""

from __future__ import annotations

import argparse
import sys

from workbench.wording import count

ORDER = 50  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "sample", help="draw a random sample of pairs for an accuracy spot-check"
    )
    p.add_argument("project", help="project file")
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--size", type=int, help="number of pairs to sample")
    size.add_argument(
        "--margin",
        type=float,
        help="sample enough pairs for this half-width of the confidence interval (e.g. 0.03)",
    )
    p.add_argument(
        "--expected",
        type=float,
        default=0.5,
        help="with --margin: prior estimate of the accuracy (default 0.5, the worst case)",
    )
    p.add_argument("--confidence", type=float, default=0.95, help="default 0.95")
    p.add_argument("--seed", type=int, help="random seed (default: a new one, printed)")
    p.add_argument("--stratify", choices=["score", "document"], help="proportional strata")
    p.add_argument(
        "--from",
        dest="source",
        choices=["suggestions", "accepted"],
        default="suggestions",
        help="sample suggested pairs (default) or accepted pairs",
    )
    p.add_argument(
        "--scorer",
        action="append",
        default=[],
        metavar="NAME",
        help="sample these scorers' suggestions (repeatable: one sample from the union serves "
        "every scorer; a missing suggestion run is computed); default: the review rows",
    )
    p.add_argument("--embeddings", metavar="FILE", help="embedding for an ABLEU run to compute")
    p.add_argument("--name", default="", help="a name for the sample")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import secrets

    from workbench.project import Project
    from workbench.spotcheck.project_data import create_sample

    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    scorers = [s for value in args.scorer for s in value.split(",") if s]
    with Project.open(args.project) as project:
        sample_id, size, population = create_sample(
            project,
            size=args.size,
            margin=args.margin,
            expected=args.expected,
            confidence=args.confidence,
            seed=seed,
            stratify=args.stratify,
            source=args.source,
            scorers=scorers,
            name=args.name,
            embeddings=args.embeddings,
            progress=lambda text: print(text, file=sys.stderr),
        )
    print(f"sample {sample_id}: {size} of {count(population, 'pair')} (seed {seed})")
    return 0
