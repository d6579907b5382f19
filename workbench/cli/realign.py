"""`workbench realign PROJECT --doc N [--from POS] [--to POS]`: re-align the pending suggestions
of a project document around the decided and edited units (which are never changed)."""

from __future__ import annotations

import argparse
import sys

ORDER = 45  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "realign",
        help="re-align a project document's pending units around the decided and edited ones",
        description="Each run of the aligner's pending suggestions between fixed units is "
        "re-aligned on its own sentences; decided (accepted or rejected) units and units you "
        "made or edited (a merge, a split, a moved sentence, a text fix) are fixed anchors and "
        "never change. One undo step in the project.",
    )
    p.add_argument("project", help="project file")
    p.add_argument("--doc", type=int, required=True, metavar="N", help="document id")
    p.add_argument(
        "--from",
        dest="start",
        type=int,
        default=None,
        metavar="UNIT",
        help="first unit (1-based row in document order) to re-align; default: the first",
    )
    p.add_argument(
        "--to",
        dest="end",
        type=int,
        default=None,
        metavar="UNIT",
        help="last unit (1-based row, inclusive); default: the last",
    )
    p.add_argument("--scorer", default=None, help="bleu or ableu (default: the project's setting)")
    p.set_defaults(func=run)


def row_position(project: object, doc_id: int, row: int | None) -> int | None:
    """The stored position of the unit at a 1-based row in document order (as the review
    window numbers its rows); None stays None (an open end)."""
    from workbench.errors import InputError

    if row is None:
        return None
    if row < 1:
        raise InputError(f"unit rows start at 1, not {row}")
    page = project.units(doc_id, offset=row - 1, limit=1)  # type: ignore[attr-defined]
    if not page:
        raise InputError(f"document {doc_id} has fewer than {row} units")
    return page[0].position


def run(args: argparse.Namespace) -> int:
    from workbench.cli.common import scorer_note
    from workbench.cli.project_notes import imported_kept_note
    from workbench.project import Project

    with Project.open(args.project) as project:
        project.document(args.doc)
        before = project.stats(args.doc)
        start = row_position(project, args.doc, args.start)
        end = row_position(project, args.doc, args.end)
        stored = project.get_setting("scorer")
        scorer = args.scorer or str(stored or "bleu")
        if note := scorer_note(args.scorer, scorer, stored, "re-aligning"):
            print(note, file=sys.stderr)
        made = project.realign(args.doc, start, end, scorer=scorer)
        after = project.stats(args.doc)
        kept = imported_kept_note(project, args.doc)
    print(
        f"re-aligned document {args.doc}: {made} pending units made; "
        f"{after.accepted} accepted and {after.rejected} rejected kept "
        f"(were {before.accepted} and {before.rejected})",
        file=sys.stdout,
    )
    if kept:
        print(kept, file=sys.stderr)
    return 0
