"""`workbench align SOURCE TARGET --mt FILE`: Bleualign-style alignment with BLEU or ABLEU."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from workbench.cli.common import (
    add_scorer_options,
    add_search_options,
    check_translations_are_not_documents,
    progress_printer,
    warn_unused_embeddings,
)
from workbench.safeio import check_output, write_lines_atomic
from workbench.textio import Document, join_sentences, read_document

if TYPE_CHECKING:  # the aligner (NumPy) is imported when a command aligns, not to build --help
    from workbench.align import AlignmentUnit
    from workbench.align.pipeline import AlignSettings, Progress

ORDER = 20  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("align", help="align two documents sentence by sentence")
    p.add_argument("source", help="source document, one sentence per line (.EOA = article end)")
    p.add_argument("target", help="target document, one sentence per line")
    p.add_argument(
        "--mt",
        action="append",
        default=[],
        metavar="FILE",
        help="translation of SOURCE into the target language (repeatable; results intersected)",
    )
    p.add_argument(
        "--mt-reverse",
        action="append",
        default=[],
        metavar="FILE",
        help="translation of TARGET into the source language (repeatable)",
    )
    add_scorer_options(p, lowercase_default=True, order_default=None)
    add_search_options(p)
    p.add_argument(
        "--save-embeddings",
        metavar="FILE",
        help="keep the self-trained embedding (gensim KeyedVectors .kv)",
    )
    p.add_argument(
        "--format",
        choices=["ids", "tsv", "jsonl"],
        default="ids",
        help="output format: ids (default; [0]:[1] per line), tsv (source text, target text; "
        "a tab or carriage return in a sentence is written as the corpus TSV escapes it) or jsonl "
        '(one object per unit: {"source": [ids], "target": [ids], "score": float or null, '
        '"confidence": float})',
    )
    p.add_argument(
        "--with-confidence",
        action="store_true",
        help="tsv: add a third column, the unit's confidence (estimated probability that the "
        "unit is exactly right, 0-1); jsonl always holds it (accepted, changes nothing); ids "
        "has no place for it (a warning says so)",
    )
    p.add_argument(
        "--deletions",
        action="store_true",
        help="also print 1-0 / 0-1 units for sentences left unaligned",
    )
    p.add_argument("--encoding", default="utf-8", help="encoding of the input files")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.set_defaults(func=run)


def load_inputs(
    args: argparse.Namespace,
) -> tuple[Document, Document, list[Document], list[Document]]:
    source = read_document(args.source, args.encoding)
    target = read_document(args.target, args.encoding)
    mt = [read_document(p, args.encoding) for p in args.mt]
    mt_reverse = [read_document(p, args.encoding) for p in args.mt_reverse]
    return source, target, mt, mt_reverse


def format_units(
    units: list[AlignmentUnit],
    source: Document,
    target: Document,
    fmt: str,
    deletions: bool,
    with_confidence: bool = False,
) -> list[str]:
    lines: list[str] = []
    texts: list[tuple[str, str]] = []  # tsv: the texts, lines their tails (the confidence)
    for unit in units:
        if unit.is_deletion and not deletions:
            continue
        if fmt == "ids":
            lines.append(str(unit))
        elif fmt == "jsonl":
            import json  # only for this format: json is a tenth of a one-line align's imports

            lines.append(json.dumps(unit_json(unit), ensure_ascii=False))
        else:
            src = join_sentences(source.sentences[i] for i in unit.source)
            tgt = join_sentences(target.sentences[j] for j in unit.target)
            texts.append((src, tgt))
            lines.append(f"\t{_confidence(unit):.4f}" if with_confidence else "")
    if fmt == "tsv":
        return tsv_rows(texts, lines)
    return lines


def _breaks_tsv(text: str) -> bool:
    # A line feed or NUL never reaches a document sentence; a tab or a lone \r can.
    return "\t" in text or "\r" in text or "\n" in text or "\0" in text


def tsv_rows(texts: list[tuple[str, str]], tails: list[str]) -> list[str]:
    """``source<TAB>target`` rows (each followed by its ``tail``) as the corpus TSV writer
    writes them: verbatim, unless a sentence holds a tab or a carriage return, which would
    move a column or end a row; then every text is escaped and the escaped-file marker comes
    first, so that ``workbench convert`` and ``project import`` read the sentences back."""
    from workbench.corpus.tsv import MARKER_PREFIX

    marked = any(_breaks_tsv(s) or _breaks_tsv(t) for s, t in texts)
    # A first sentence that reads like the marker line would be dropped as one on reading.
    marked = marked or bool(texts and texts[0][0].startswith(MARKER_PREFIX))
    if not marked:
        return [f"{s}\t{t}{tail}" for (s, t), tail in zip(texts, tails, strict=True)]
    from workbench.corpus.escaping import escape
    from workbench.corpus.tsv import ESCAPED_MARKER

    rows = [f"{escape(s)}\t{escape(t)}{tail}" for (s, t), tail in zip(texts, tails, strict=True)]
    return [ESCAPED_MARKER, *rows]


def settings_from_args(args: argparse.Namespace) -> AlignSettings:
    """The alignment settings the scorer and search options give (also `workbench batch`)."""
    from workbench.align.pipeline import AlignSettings

    return AlignSettings(
        scorer=args.scorer,
        embeddings=args.embeddings,
        threshold=args.threshold,
        order=args.order,
        tokenize=args.tokenize,
        lowercase=args.lowercase,
        method=args.method,
        dp_weight=args.dp_weight,
        iterations=getattr(args, "iterations", None),
    )


def input_paths(args: argparse.Namespace) -> list[str]:
    """Every file the command reads (an output must be none of them)."""
    return [args.source, args.target, *args.mt, *args.mt_reverse, args.embeddings]


def _confidence(unit: AlignmentUnit) -> float:
    return 0.0 if unit.confidence is None else float(unit.confidence)


def unit_json(unit: AlignmentUnit) -> dict[str, object]:
    """The JSONL contract: source ids, target ids, score (or null), confidence."""
    return {
        "source": list(unit.source),
        "target": list(unit.target),
        "score": None if unit.score is None else round(float(unit.score), 6),
        "confidence": round(_confidence(unit), 6),
    }


def run(args: argparse.Namespace) -> int:
    from workbench.align.pipeline import Documents, align

    if args.output:
        check_output(args.output, input_paths(args))
    settings = settings_from_args(args)
    if args.save_embeddings:
        _check_saved_embedding(args, settings)
    check_translations_are_not_documents(args.source, args.target, args.mt, args.mt_reverse)
    source, target, mt, mt_reverse = load_inputs(args)
    # Checked (line counts, .EOA articles) before anything is printed: one line on an error.
    docs = Documents(source, target, mt, mt_reverse)
    warn_unused_embeddings(args)
    if args.with_confidence and args.format == "ids":
        # jsonl always carries the confidence: the option is accepted there without a word.
        print(
            "workbench: warning: --with-confidence is not used by --format ids ([0]:[1] lines "
            "have no place for it); give --format tsv or jsonl",
            file=sys.stderr,
        )
    if settings.self_trains:
        result = align(settings, docs, _stage_printer())
        if args.save_embeddings and result.vectors is not None:
            from workbench.embeddings import save_keyed_vectors

            save_keyed_vectors(result.vectors, args.save_embeddings)
        elif args.save_embeddings:
            # Self-training found too little to learn from (without --mt: no unit of the first
            # pass scored high enough); the file was left unwritten without a word.
            print(
                f"workbench: warning: {args.save_embeddings}: not written: self-training found "
                "fewer than two sentence pairs to learn from, so nothing was trained and ABLEU "
                "matched words exactly; give --mt",
                file=sys.stderr,
            )
    else:
        if not mt and not mt_reverse and args.scorer == "bleu":
            print(
                "workbench: warning: no --mt given; BLEU compares source and target directly, "
                "which only works for closely related languages",
                file=sys.stderr,
            )
        bar = progress_printer("aligning")
        result = align(
            settings,
            docs,
            (lambda done, total, _stage: bar(done, total)) if bar else None,
        )
    lines = format_units(
        result.units, source, target, args.format, args.deletions, args.with_confidence
    )
    write_output(args.output, lines, input_paths(args))
    return 0


def _check_saved_embedding(args: argparse.Namespace, settings: AlignSettings) -> None:
    """``--save-embeddings`` before any work: something is trained to save, and neither the
    model nor the word-count file beside a ``.txt``/``.bin`` one is an input or the output."""
    from workbench.embeddings.storage import sidecar_path
    from workbench.errors import InputError
    from workbench.safeio import same_file

    if not settings.self_trains:
        raise InputError(
            f"{args.save_embeddings}: --save-embeddings keeps the embedding ABLEU self-trains, "
            "and nothing is trained here (it needs --scorer ableu, and --iterations 1 or more "
            "with --embeddings)"
        )
    saved = [args.save_embeddings]
    if str(args.save_embeddings).endswith((".txt", ".bin")):  # a word-count file beside it
        saved.append(str(sidecar_path(args.save_embeddings)))
    for path in saved:
        check_output(path, input_paths(args), what="embedding")
        if args.output and same_file(args.output, path):
            raise InputError(
                f"{path}: both the output (-o) and the saved embedding would be written here; "
                "give two file names"
            )


def write_output(path: str | None, lines: list[str], inputs: list[str | None] = ()) -> None:
    if path:
        write_lines_atomic(path, lines, inputs=inputs)
    else:
        sys.stdout.write("".join(line + "\n" for line in lines))


def _stage_printer() -> Progress | None:
    """Self-training's stages with their share done, on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, stage: str) -> None:
        fraction = done / total if total else 1.0
        sys.stderr.write(f"\r{stage:<50} {fraction:4.0%}")
        sys.stderr.write("\n" if fraction >= 1 else "")
        sys.stderr.flush()

    return show
