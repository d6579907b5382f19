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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.corpus import exporter_for, read_pairs, write_pairs

    # The output format first: a wrong suffix is reported before a long read.
    exporter = exporter_for(args.output, args.to_format)
    pairs = read_pairs(
        args.input,
        args.from_format,
        encoding=args.encoding,
        source_lang=args.source_lang,
        target_lang=args.target_lang,
    )
    count = write_pairs(
        pairs,
        args.output,
        exporter.name,
        metadata=args.metadata,
        source_lang=args.source_lang or "und",
        target_lang=args.target_lang or "und",
    )
    print(f"{count} pairs written to {args.output} ({exporter.name})", file=sys.stderr)
    return 0
