"""`workbench embed train|neighbours|export|table`: word2vec-pair embeddings and their views."""

from __future__ import annotations

import argparse
import sys

from workbench.errors import InputError
from workbench.scoring.tokenize import DEFAULT_TOKENIZER

ORDER = 30  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("embed", help="train word2vec-pair embeddings and inspect them")
    sub = p.add_subparsers(dest="embed_command", metavar="ACTION")
    p.set_defaults(func=lambda args: _usage(p))

    t = sub.add_parser("train", help="train word2vec-pair (or plain word2vec) on parallel text")
    t.add_argument(
        "--pairs",
        nargs=2,
        action="append",
        default=[],
        metavar=("SRC", "TGT"),
        help="two line-parallel files (repeatable); suffixes like .ko/.en name the languages",
    )
    t.add_argument(
        "--tsv", action="append", default=[], metavar="FILE", help="source<TAB>target file"
    )
    t.add_argument(
        "--mode",
        choices=["pair", "plain"],
        default="pair",
        help="pair: each sentence pair shuffled into one sentence (word2vec-pair, default); "
        "plain: each side on its own, for comparison",
    )
    t.add_argument(
        "--subword", action="store_true", help="FastText character n-grams (helps Korean)"
    )
    t.add_argument(
        "--ngrams",
        nargs=2,
        type=int,
        default=(3, 6),
        metavar=("MIN", "MAX"),
        help="character n-gram lengths with --subword (default 3 6; 2 5 suits Korean)",
    )
    t.add_argument("--dim", type=int, default=100, help="vector size (default 100)")
    t.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    t.add_argument("--seed", type=int, default=1, help="random seed (default 1; reproducible)")
    t.add_argument("--min-count", type=int, default=1, help="ignore rarer words (default 1)")
    t.add_argument(
        "--window", type=int, default=None, help="context window (default: whole pair / 5)"
    )
    t.add_argument(
        "--tokenize",
        default=DEFAULT_TOKENIZER,
        help=f"sacrebleu tokenizer: 13a, intl, zh, char, none (default {DEFAULT_TOKENIZER})",
    )
    t.add_argument("--lowercase", action="store_true", help="lowercase before tokenising")
    t.add_argument(
        "--languages",
        nargs=2,
        metavar=("SRC", "TGT"),
        help="names of the two sides (default: the first --pairs files' suffixes)",
    )
    t.add_argument("--encoding", default="utf-8", help="encoding of the input files")
    t.add_argument(
        "-o", "--output", required=True, metavar="FILE", help=".kv (native), .txt or .bin"
    )
    t.set_defaults(func=run_train)

    n = sub.add_parser("neighbours", help="print a word's nearest words with cosine similarity")
    n.add_argument("model", metavar="FILE", help="KeyedVectors (.kv, word2vec .txt/.bin)")
    n.add_argument("word", help="the word whose neighbours to print")
    n.add_argument("-k", type=int, default=20, help="how many neighbours (default 20)")
    n.set_defaults(func=run_neighbours)

    e = sub.add_parser("export", help="write vectors.tsv + metadata.tsv for the projector")
    e.add_argument("model", metavar="FILE", help="KeyedVectors (.kv, word2vec .txt/.bin)")
    e.add_argument(
        "outdir", metavar="OUTDIR", help="folder for vectors.tsv and metadata.tsv (created)"
    )
    which = e.add_mutually_exclusive_group()
    which.add_argument("--top", type=int, metavar="N", help="only the N most frequent words")
    which.add_argument("--around", metavar="WORD", help="only WORD and its -k nearest words")
    e.add_argument("-k", type=int, default=100, help="neighbours with --around (default 100)")
    e.set_defaults(func=run_export)

    tb = sub.add_parser("table", help="write a neighbour table (TSV) for some words")
    tb.add_argument("model", metavar="FILE", help="KeyedVectors (.kv, word2vec .txt/.bin)")
    tb.add_argument("words", nargs="+", metavar="WORD", help="the words to list neighbours of")
    tb.add_argument("-k", type=int, default=20, help="neighbours per word (default 20)")
    tb.add_argument(
        "--compare",
        metavar="FILE",
        help="a second model (e.g. plain word2vec) whose rows follow, labelled by file name",
    )
    tb.add_argument("-o", "--output", metavar="FILE", help="TSV file (default: stdout)")
    tb.set_defaults(func=run_table)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_train(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from workbench.embeddings import save_keyed_vectors, train_embeddings
    from workbench.embeddings.corpus import guess_side_names, read_training_pairs
    from workbench.embeddings.storage import sidecar_path
    from workbench.safeio import check_output

    # Before any work: -o naming a training file replaced it with the model.
    inputs = [*(path for pair in args.pairs for path in pair), *args.tsv]
    check_output(args.output, inputs, what="embedding")
    if str(args.output).endswith((".txt", ".bin")):  # written with a word-count file beside
        check_output(sidecar_path(args.output), inputs, what="embedding")
    pairs = read_training_pairs(
        args.pairs,
        args.tsv,
        tokenize=args.tokenize,
        lowercase=args.lowercase,
        encoding=args.encoding,
    )
    sides = tuple(args.languages) if args.languages else guess_side_names(args.pairs)
    if args.dim < 1 or args.epochs < 1:
        raise InputError("--dim and --epochs must be at least 1")
    kind = ("FastText " if args.subword else "") + (
        "word2vec-pair" if args.mode == "pair" else "plain word2vec"
    )
    with tqdm(
        total=args.epochs, desc=f"{kind}, {len(pairs)} pairs", unit="epoch", disable=None
    ) as bar:

        def progress(fraction: float) -> None:
            bar.update(round(fraction * args.epochs) - bar.n)

        vectors = train_embeddings(
            pairs,
            mode=args.mode,
            subword=args.subword,
            vector_size=args.dim,
            window=args.window,
            min_count=args.min_count,
            epochs=args.epochs,
            seed=args.seed,
            progress=progress,
            side_names=sides,
            ngrams=tuple(args.ngrams),
        )
    save_keyed_vectors(vectors, args.output)
    print(
        f"{args.output}: {len(vectors.index_to_key)} words × {vectors.vector_size} dimensions",
        file=sys.stderr,
    )
    return 0


def run_neighbours(args: argparse.Namespace) -> int:
    from workbench.embeddings import in_vocabulary, load_keyed_vectors, neighbours_with_language

    vectors = load_keyed_vectors(args.model)
    found = neighbours_with_language(vectors, args.word, args.k)
    if not in_vocabulary(vectors, args.word.strip()):
        print(
            f"workbench: note: {args.word!r} was not seen in training; its vector is built "
            "from character n-grams",
            file=sys.stderr,
        )
    for rank, n in enumerate(found, 1):
        print(f"{rank}\t{n.word}\t{n.similarity:.4f}" + (f"\t{n.language}" if n.language else ""))
    return 0


def run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.embeddings import export_projector, load_keyed_vectors, projector_words
    from workbench.embeddings.projector import METADATA_FILE, VECTORS_FILE
    from workbench.embeddings.storage import sidecar_path

    if Path(args.outdir).is_dir():  # a model named vectors.tsv in OUTDIR was written over
        from workbench.safeio import check_output

        for name in (VECTORS_FILE, METADATA_FILE):
            inputs = [args.model, sidecar_path(args.model)]
            check_output(Path(args.outdir) / name, inputs, what="projector file")
    vectors = load_keyed_vectors(args.model)
    words = projector_words(vectors, top=args.top, around=args.around, k=args.k)
    vec_path, meta_path = export_projector(vectors, args.outdir, words)
    print(f"{len(words)} words: {vec_path}, {meta_path}", file=sys.stderr)
    return 0


def run_table(args: argparse.Namespace) -> int:
    from pathlib import Path

    from workbench.embeddings import (
        format_neighbour_table,
        load_keyed_vectors,
        neighbour_table,
        write_neighbour_table,
    )

    if args.output:  # before any work: -o naming a model replaced it with the table
        from workbench.safeio import check_output

        check_output(args.output, [args.model, args.compare])
    from workbench.errors import ModelError

    rows = []
    for path in [args.model, *([args.compare] if args.compare else [])]:
        vectors = load_keyed_vectors(path)
        try:
            rows.extend(neighbour_table(vectors, args.words, args.k, model=Path(path).stem))
        except ModelError as exc:  # which of the two models lacks the word
            raise ModelError(f"{path}: {exc}") from None
    if args.output:
        write_neighbour_table(rows, args.output)
        print(f"{args.output}: {len(rows)} rows", file=sys.stderr)
    else:
        sys.stdout.write(format_neighbour_table(rows))
    return 0
