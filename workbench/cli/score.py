"""`workbench score CANDIDATES REFERENCES`: one sentence score per line for line-aligned pairs."""

from __future__ import annotations

import argparse
import sys

from workbench.cli.common import add_scorer_options, warn_unused_embeddings
from workbench.errors import InputError
from workbench.textio import Document, read_document

ORDER = 10  # position in `workbench --help`


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "score",
        help="score line-aligned sentence pairs (BLEU, ABLEU or a plugin scorer)",
        description="Print one score per sentence pair of two line-aligned files. A line "
        "holding only .EOA (end of article, as in Bleualign's files) is not a sentence: it is "
        "not scored and has no output line, so the output has one line per sentence; both "
        "files must have their .EOA lines on the same lines.",
    )
    p.add_argument("candidates", help="candidate (e.g. MT) sentences, one per line")
    p.add_argument("references", help="reference sentences, line-aligned with the candidates")
    add_scorer_options(p, lowercase_default=False)
    p.add_argument("--signature", action="store_true", help="print the scorer's signature first")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from workbench.scoring import make_scorer

    cands = read_document(args.candidates)
    refs = read_document(args.references)
    if len(cands) != len(refs):
        raise InputError(
            f"{args.references}: {len(refs)} lines but {args.candidates} has {len(cands)}; "
            "score needs line-aligned files"
        )
    _check_articles(args.candidates, cands, args.references, refs)
    warn_unused_embeddings(args)
    if args.scorer == "ableu" and not args.embeddings:
        # Without an embedding ABLEU's soft matches are exact matches: the score is BLEU's.
        # (`align` learns one from the document; here there is no document to learn from.)
        print(
            "workbench: warning: --scorer ableu without --embeddings matches words exactly, "
            "so the scores equal BLEU's; give --embeddings FILE (see `workbench embed train`)",
            file=sys.stderr,
        )
    scorer = make_scorer(
        args.scorer, args.embeddings, args.order, args.tokenize, args.lowercase, args.threshold
    )
    if args.signature:
        print(f"# {scorer.signature()}")
    idx = np.arange(len(cands))
    pairs = np.stack([idx, idx], 1)
    scores = scorer.pair_scores(
        scorer.prepare(cands.sentences), scorer.prepare(refs.sentences), pairs, symmetric=False
    )
    sys.stdout.write("".join([f"{value:.6f}\n" for value in scores.tolist()]))
    return 0


def _check_articles(cand_path: str, cands: Document, ref_path: str, refs: Document) -> None:
    """``.EOA`` lines are not sentences, so they are not scored; but in line-aligned files
    they stand on the same lines. Elsewhere, sentences would be paired across an article
    end (the candidate after one file's ``.EOA`` with the reference before the other's)."""
    if cands.articles == refs.articles:
        return
    k = next(
        (i for i, (a, b) in enumerate(zip(cands.articles, refs.articles, strict=False)) if a != b),
        min(len(cands.articles), len(refs.articles)),
    )

    def size(doc: Document) -> str:
        if k >= len(doc.articles):
            return "no"
        start, stop = doc.articles[k]
        return str(stop - start)

    raise InputError(
        f"{ref_path}: its .EOA lines are not on the same lines as {cand_path}'s (article "
        f"{k + 1}: {size(refs)} against {size(cands)} sentences); score needs line-aligned files"
    )
