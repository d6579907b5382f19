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
    case.add_argument(
        "--lowercase", dest="lowercase", action="store_true", default=lowercase_default
    )
    case.add_argument("--case-sensitive", dest="lowercase", action="store_false")


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
