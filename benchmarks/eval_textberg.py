"""Alignment quality on ../shared/bench/textberg-dev, per scorer and MT system.

Run: python benchmarks/eval_textberg.py [--scorer bleu ableu] [--half 1|2]
    [--embedding-method counts|skipgram]

ABLEU uses no outside data and no gold: its word2vec-pair embedding is trained on the source
sentences paired with their machine translations (workbench.align.selftrain), as `workbench
align --scorer ableu` does without --embeddings; --seed picks the training seed.

Prints strict and lax precision / recall / F1 against dev.gold, with and without 1-0 / 0-1
units in the output, next to the reference Bleualign's strict / lax F1.

``--half 1`` / ``--half 2`` align only the first / second half of the document (cut at the
gold unit in the middle; gold renumbered), to confirm on other text a setting chosen on the
whole. ``--embedding-method`` picks how self-trained ABLEU learns word2vec-pair (counts: the
default; skipgram: gensim).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

from workbench.align import Aligner, AlignerOptions, make_scorer, read_alignments
from workbench.align.evaluate import evaluate
from workbench.align.selftrain import SelfTrainingOptions, self_trained_align
from workbench.textio import Document, read_document

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "textberg-dev"
REFERENCE = {
    "europarlfull": (0.742, 0.957),
    "europarllight": (0.626, 0.900),
    "google": (0.780, 0.979),
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scorer", nargs="+", default=["bleu", "ableu"])
    parser.add_argument("--method", nargs="+", default=["dp", "bleualign"])
    parser.add_argument("--seed", type=int, default=1, help="word2vec-pair training seed")
    parser.add_argument(
        "--reverse",
        action="store_true",
        help="also give the French-into-German MT (dev.mt-SYSTEM.de) as --mt-reverse",
    )
    parser.add_argument(
        "--half", type=int, choices=(1, 2), help="only the first or the second half"
    )
    parser.add_argument(
        "--embedding-method",
        default=SelfTrainingOptions.method,
        help="self-trained ABLEU: counts or skipgram",
    )
    args = parser.parse_args()
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    src, tgt = read_document(DATA / "dev.de"), read_document(DATA / "dev.fr")
    gold = read_alignments(DATA / "dev.gold")
    cut = halves(gold)
    if args.half:
        gold = half_gold(gold, cut, args.half)
        src, tgt = half_document(src, cut[0], args.half), half_document(tgt, cut[1], args.half)
    print(
        "| method | scorer | MT system | strict P | strict R | strict F1 | lax F1 | strict F1 with 1-0/0-1 | reference Bleualign strict / lax F1 | time |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for method, name, (system, (ref_strict, ref_lax)) in itertools.product(
        args.method, args.scorer, REFERENCE.items()
    ):
        if True:
            mt = read_document(DATA / f"dev.mt-{system}.fr")
            rev = [read_document(DATA / f"dev.mt-{system}.de")] if args.reverse else []
            if args.half:
                mt = half_document(mt, cut[0], args.half)
                rev = [half_document(r, cut[1], args.half) for r in rev]
            t = time.perf_counter()
            options = AlignerOptions(method=method)  # other settings: the defaults
            if name == "ableu":  # no embeddings given: self-trained, as `workbench align` does
                units, _ = self_trained_align(
                    src,
                    tgt,
                    [mt],
                    rev,
                    options=SelfTrainingOptions(seed=args.seed, method=args.embedding_method),
                    aligner_options=options,
                )
            else:
                scorer = make_scorer(name, lowercase=True)
                units = Aligner(scorer, options).align(src, tgt, [mt], rev)
            elapsed = time.perf_counter() - t
            s = evaluate(gold, [u.key for u in units if not u.is_deletion])
            d = evaluate(gold, [u.key for u in units])
            print(
                f"| {method} | {name} | {system} | {s.strict_precision:.3f} | {s.strict_recall:.3f} | "
                f"**{s.strict_f1:.3f}** | {s.lax_f1:.3f} | {d.strict_f1:.3f} | "
                f"{ref_strict:.3f} / {ref_lax:.3f} | {elapsed:.2f} s |"
            )
    return 0


def halves(gold: list) -> tuple[int, int]:
    """(source, target) sentence ids where the second half starts: the first gold unit with
    both sides from the middle on."""
    for s, t in gold[len(gold) // 2 :]:
        if s and t:
            return s[0], t[0]
    raise ValueError("no unit to cut at")


def half_gold(gold: list, cut: tuple[int, int], half: int) -> list:
    first = [(s, t) for s, t in gold if all(i < cut[0] for i in s) and all(j < cut[1] for j in t)]
    if half == 1:
        return first
    rest = gold[len(first) :]
    return [(tuple(i - cut[0] for i in s), tuple(j - cut[1] for j in t)) for s, t in rest]


def half_document(doc: Document, cut: int, half: int) -> Document:
    lines = doc.sentences[:cut] if half == 1 else doc.sentences[cut:]
    return Document(list(lines))


if __name__ == "__main__":
    sys.exit(main())
