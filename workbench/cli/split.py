"""`workbench split TEXTFILE --lang L`: raw text to one sentence per line (sentencex)."""

from __future__ import annotations

import argparse
import sys

ORDER = 55  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "split",
        help="split raw text into one sentence per line",
        description="Split raw text into sentences, one per line. Paragraphs are separated "
        "by blank lines (a sentence never crosses one; a single line break is a soft wrap); "
        "a line holding only .EOA ends an article and is kept in the output.",
    )
    p.add_argument("textfile", help="raw text, UTF-8 unless --encoding")
    p.add_argument("--lang", required=True, metavar="L", help="language code (en, de, fr, ko, zh…)")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--encoding", default="utf-8", help="encoding of the input (default UTF-8)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.corpus import read_sentences
    from workbench.safeio import atomic_output, check_output
    from workbench.wording import count

    if args.output:
        check_output(args.output, [args.textfile])
    doc = read_sentences(args.textfile, fmt="text", language=args.lang, encoding=args.encoding)
    text = "".join(line + "\n" for line in doc.to_lines())
    if args.output:
        with atomic_output(args.output, inputs=[args.textfile]) as out:
            out.write(text)
        print(f"{count(len(doc), 'sentence')} written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
