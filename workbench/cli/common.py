"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from workbench.scoring.tokenize import DEFAULT_TOKENIZER


def add_scorer_options(
    parser: argparse.ArgumentParser, lowercase_default: bool, order_default: int | None = 2
) -> None:
    parser.add_argument(
        "--scorer",
        default="bleu",
        help="bleu, ableu or a plugin's scorer, e.g. chrf (see `workbench plugins`; default: bleu)",
    )
    parser.add_argument(
        "--embeddings",
        metavar="FILE",
        help="gensim KeyedVectors for ABLEU (.kv, or word2vec text/binary format)",
    )
    parser.add_argument(
        "--order",
        type=int,
        default=order_default,
        help="maximum n-gram order (default 2; for align without --mt: 1, since word order "
        "differs between languages)",
    )
    parser.add_argument(
        "--tokenize",
        default=DEFAULT_TOKENIZER,
        help=f"sacrebleu tokenizer: 13a, intl, zh, char, none (default {DEFAULT_TOKENIZER})",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=None,
        help="ABLEU: word similarities below this count as 0 (default 0.5)",
    )
    case = parser.add_mutually_exclusive_group()
    default = (
        "default here: lowercased, as Bleualign"
        if lowercase_default
        else "default here: as written"
    )
    case.add_argument(
        "--lowercase",
        dest="lowercase",
        action="store_true",
        default=lowercase_default,
        help=f"compare words lowercased ({default})",
    )
    case.add_argument(
        "--case-sensitive",
        dest="lowercase",
        action="store_false",
        help=f"compare words with their case as written ({default})",
    )


def add_search_options(parser: argparse.ArgumentParser) -> None:
    """``--method``, ``--dp-weight`` and ``--iterations``, as `workbench align` has them."""
    from workbench.align import AlignerOptions

    parser.add_argument(
        "--method",
        choices=["bleualign", "dp"],
        default=None,
        help="dp (default): anchors place a band in which a dynamic programme over beads up "
        "to 4-4 weighs length against scores; bleualign: anchors + Bleualign's greedy gap "
        "filling",
    )
    parser.add_argument(
        "--dp-weight", type=float, default=AlignerOptions.dp_weight, help="score weight in dp"
    )
    parser.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="ABLEU self-training rounds: train word2vec-pair on the (source, MT) sentence "
        "pairs (and, from the second round or without a translation, on the previous pass's "
        "confident units), then align (default: 1 without --embeddings, 0 with)",
    )


def progress_printer(label: str) -> Callable[[int, int], None] | None:
    """A (done, total) callback drawing a progress bar on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show
