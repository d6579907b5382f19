"""Options and helpers shared by several subcommands."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from workbench.errors import InputError
from workbench.scoring.tokenize import DEFAULT_TOKENIZER


def at_least(option: str, value: int | float | None, minimum: int | float) -> None:
    """Refuse ``value`` (when given) below ``minimum``, or not a finite number, in one line."""
    if value is None:
        return
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{option} {value} is not a number; give a value of at least {minimum}")
    if value < minimum:
        raise InputError(f"{option} {value} makes no sense; give a value of at least {minimum}")


def finite(option: str, value: float | None) -> None:
    """Refuse a NaN or infinite threshold or weight (when given) in one line."""
    if value is not None and not math.isfinite(value):
        raise InputError(f"{option} {value} is not a finite number; give a number such as 0.5")


# Numeric options by destination: (the option as typed, the smallest sensible value, or None
# for "any finite number"). Checked for every command by :func:`check_numeric_options`.
NUMERIC_OPTIONS: dict[str, tuple[str, float | None]] = {
    "order": ("--order", 1),
    "threshold": ("--threshold", None),
    "dp_weight": ("--dp-weight", None),
    "min_score": ("--min-score", None),
    "iterations": ("--iterations", 0),
    "beam_size": ("--beam-size", 1),
    "batch_size": ("--batch-size", 1),
    "threads": ("--threads", 0),
    "workers": ("--workers", 0),
    "k": ("-k", 1),
    "top": ("--top", 1),
    "dim": ("--dim", 1),
    "epochs": ("--epochs", 1),
    "min_count": ("--min-count", 1),
    "window": ("--window", 1),
    "idle": ("--idle", 0),
    "margin": ("--margin", None),
    "start": ("--from", 0),
    "end": ("--to", 0),
}
# Probabilities: strictly between 0 and 1.
FRACTION_OPTIONS = {"confidence": "--confidence", "expected": "--expected"}


def check_numeric_options(args: argparse.Namespace) -> None:
    """Refuse nonsense numbers (``--order 0``, ``--min-score nan``, ``--from 100 --to 5``).

    Applies to whichever of :data:`NUMERIC_OPTIONS` the command has; each failure is one line.
    """
    for dest, (option, minimum) in NUMERIC_OPTIONS.items():
        value = getattr(args, dest, None)
        values = value if isinstance(value, (list, tuple)) else [value]
        for v in values:
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            if minimum is None:
                finite(option, v)
            else:
                at_least(option, v, minimum)
    for dest, option in FRACTION_OPTIONS.items():
        value = getattr(args, dest, None)
        if isinstance(value, float) and not 0 < value < 1:
            raise InputError(f"{option} {value} makes no sense; give a number between 0 and 1")
    margin = getattr(args, "margin", None)
    if isinstance(margin, float) and not 0 < margin < 1:
        raise InputError(f"--margin {margin} makes no sense; give a number between 0 and 1")
    start, end = getattr(args, "start", None), getattr(args, "end", None)
    if isinstance(start, int) and isinstance(end, int) and start > end:
        raise InputError(f"--from {start} is after --to {end}; give --from at most --to")


def warn_unused_embeddings(args: argparse.Namespace) -> None:
    """BLEU matches words exactly: an ``--embeddings`` given with it changes nothing, and a
    curator who meant ABLEU would otherwise read BLEU's suggestions as ABLEU's."""
    if getattr(args, "embeddings", None) and getattr(args, "scorer", None) == "bleu":
        print(
            f"workbench: warning: --embeddings {args.embeddings} is not used by --scorer bleu "
            "(exact word matches); give --scorer ableu to use it",
            file=sys.stderr,
        )


def warn_unused_shared_model(args: argparse.Namespace) -> None:
    """``batch --shared-model`` shares a model only ABLEU self-trains: with ``--embeddings``
    (a given model) or another scorer it changes nothing, which one warning line says."""
    if not getattr(args, "shared_model", False):
        return
    if getattr(args, "scorer", None) != "ableu":
        why = f"by --scorer {args.scorer} (only self-trained ABLEU has a model to share)"
    elif getattr(args, "embeddings", None):
        why = f"with --embeddings {args.embeddings} (that model is used, nothing is trained)"
    else:
        return
    print(f"workbench: warning: --shared-model is not used {why}", file=sys.stderr)


def add_scorer_options(
    parser: argparse.ArgumentParser,
    lowercase_default: bool,
    order_default: int | None = 2,
    scorer_default: str | None = "bleu",
) -> None:
    """The scorer options. ``scorer_default=None``: ``--scorer`` is None when not given (the
    command resolves it to bleu, as the help says, and says which scorer it used)."""
    parser.add_argument(
        "--scorer",
        default=scorer_default,
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
    from workbench.align.defaults import DP_WEIGHT

    parser.add_argument(
        "--method",
        choices=["bleualign", "dp"],
        default=None,
        help="dp (default): anchors place a band in which a dynamic programme over beads up "
        "to 4-4 weighs length against scores; bleualign: anchors + Bleualign's greedy gap "
        "filling",
    )
    parser.add_argument(
        "--dp-weight",
        type=float,
        default=DP_WEIGHT,
        help=f"score bonus per bead in dp (default {DP_WEIGHT:g})",
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


def written_names(output: str, files: Sequence[Path]) -> str:
    """The files an export wrote, for its summary line: ``output`` as given when that is the
    one file, else each file (a Moses export writes ``OUT.de`` and ``OUT.fr``, never ``OUT``)."""
    if not files or list(files) == [Path(output)]:
        return output
    return ", ".join(str(f) for f in files)


def print_read_notes(path: object, pairs: object) -> None:
    """A reader's notes on what it left out or changed (``PairList.notes``: TMX inline codes
    removed), one ``note: FILE: ...`` line each on stderr."""
    for note in getattr(pairs, "notes", ()):
        print(f"note: {path}: {note}", file=sys.stderr)


def scorer_note(given: str | None, used: str, stored: object, verb: str = "aligning") -> str:
    """The line a project command prints on stderr when ``--scorer`` was not given: which
    scorer it used and why, and the project's own setting (the window's) when that differs.
    Every command defaults to bleu except ``workbench realign`` (the project's setting)."""
    if given is not None:
        return ""
    stored = str(stored) if stored else ""
    if stored and stored == used and used != "bleu":
        return f"note: {verb} with {used}, the project's setting (give --scorer to choose)"
    note = f"note: {verb} with {used}, the default scorer"
    if stored and stored != used:
        note += f"; the project's setting (the window's) is {stored}: give --scorer {stored}"
    else:
        note += " (--scorer ableu for ABLEU)"
    return note


def check_translations_are_not_documents(
    source: str,
    target: str,
    mt: Sequence[str] = (),
    mt_reverse: Sequence[str] = (),
    names: tuple[str, str] = ("--mt", "--mt-reverse"),
) -> None:
    """Refuse a ``--mt``/``--mt-reverse`` (``names``; files, or batch's folders) that is the
    source or the target itself, a slip of the file order or of tab completion: the target
    given as its own translation scores every diagonal pair perfect, and the alignment was
    written without a word (with as many lines)."""
    from workbench.safeio import same_file

    directions = ("the source into the target's", "the target into the source's")
    for option, files, direction in zip(names, (mt, mt_reverse), directions, strict=True):
        for path in files:
            for role, document in (("source", source), ("target", target)):
                if path and same_file(path, document):
                    raise InputError(
                        f"{path}: {option} names the {role} ({document}) itself; {option} takes "
                        f"a translation of {direction} language (`workbench translate` "
                        "makes one)"
                    )
