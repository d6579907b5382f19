"""`workbench convert IN OUT`: convert a parallel corpus between TSV, TMX, Moses and JSONL."""

from __future__ import annotations

import argparse
import sys

ORDER = 60  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "convert",
        help="convert a parallel corpus between tsv, tmx, moses and jsonl",
        description="Convert a parallel corpus. Formats follow the file suffix (.tsv, .tmx, "
        ".jsonl) unless --from/--to say otherwise; a Moses corpus is the prefix PATH of "
        "PATH.<source-lang> and PATH.<target-lang> (with --from/--to moses, or found by its "
        "two files when both languages are given).",
    )
    p.add_argument("input", help="corpus to read (Moses: the common prefix)")
    p.add_argument("output", help="corpus to write (Moses: the common prefix)")
    p.add_argument("--from", dest="from_format", metavar="FMT", help="tsv, tmx, moses, jsonl")
    p.add_argument("--to", dest="to_format", metavar="FMT", help="tsv, tmx, moses, jsonl")
    p.add_argument("--source-lang", metavar="L", help="source language code (e.g. de)")
    p.add_argument("--target-lang", metavar="L", help="target language code (e.g. fr)")
    p.add_argument(
        "--metadata",
        action="store_true",
        help="write the document, sentence ids, score and scorer too",
    )
    p.add_argument("--encoding", default="utf-8", help="encoding of the input (default UTF-8)")
    add_tsv_escaped_option(p)
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out the pairs the output format cannot hold (a line break in Moses, a "
        "control character in TMX/XLIFF) and count them in the summary, instead of writing "
        "nothing",
    )
    p.set_defaults(func=run)


def add_tsv_escaped_option(p: argparse.ArgumentParser) -> None:
    """``--tsv-escaped``: unescape a TSV the workbench did not mark as its own."""
    p.add_argument(
        "--tsv-escaped",
        action="store_true",
        default=None,
        help="the input TSV uses backslash escapes (\\t, \\n, \\\\); without it only TSV "
        "files the workbench wrote are unescaped and any other is read verbatim",
    )


def run(args: argparse.Namespace) -> int:
    from workbench import wording
    from workbench.cli.common import print_read_notes, written_names
    from workbench.corpus import exporter_for, read_pairs, write_pairs
    from workbench.corpus.registry import input_paths, output_paths
    from workbench.corpus.unwritable import summary
    from workbench.safeio import check_output

    # The output first: a wrong suffix or a path that must not be written is reported (and
    # nothing touched) before a long read.
    exporter = exporter_for(args.output, args.to_format)
    inputs = input_paths(
        args.input, args.from_format, source_lang=args.source_lang, target_lang=args.target_lang
    )
    if (args.source_lang and args.target_lang) or not hasattr(exporter, "output_paths"):
        # (Moses files are named by languages the input may declare: checked when known.)
        for target in output_paths(exporter, args.output, args.source_lang, args.target_lang):
            check_output(target, inputs)
    pairs = read_pairs(
        args.input,
        args.from_format,
        encoding=args.encoding,
        source_lang=args.source_lang,
        target_lang=args.target_lang,
        tsv_escaped=args.tsv_escaped,
    )
    count = write_pairs(
        pairs,
        args.output,
        exporter.name,
        metadata=args.metadata,
        # The languages given, else those the input declares (TMX, Moses file names).
        source_lang=pairs.source_lang or "und",
        target_lang=pairs.target_lang or "und",
        original_format=pairs.format,
        skip_invalid=args.skip_invalid,
        skipped=(skipped := []),
        inputs=inputs,
    )
    langs = (pairs.source_lang or "und", pairs.target_lang or "und")
    where = written_names(
        args.output, [p for p in output_paths(exporter, args.output, *langs) if p.exists()]
    )
    print_read_notes(args.input, pairs)  # after the work: a refusal stays one line
    print(
        f"{wording.count(count, 'pair')} written to {where} ({exporter.name}){summary(skipped)}",
        file=sys.stderr,
    )
    return 0
