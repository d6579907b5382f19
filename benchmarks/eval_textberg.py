"""Alignment quality on ../shared/bench/textberg-dev, per scorer and MT system.

Run: python benchmarks/eval_textberg.py [--scorer bleu ableu]

ABLEU uses no outside data and no gold: its word2vec-pair embedding is trained on the source
sentences paired with their machine translations (workbench.align.selftrain), as `workbench
align --scorer ableu` does without --embeddings; --seed picks the training seed.

Prints strict and lax precision / recall / F1 against dev.gold, with and without 1-0 / 0-1
units in the output, next to the reference Bleualign's strict / lax F1.
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
from workbench.textio import read_document

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
    args = parser.parse_args()
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    src, tgt = read_document(DATA / "dev.de"), read_document(DATA / "dev.fr")
    gold = read_alignments(DATA / "dev.gold")
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
            t = time.perf_counter()
            options = AlignerOptions(method=method)  # other settings: the defaults
            if name == "ableu":  # no embeddings given: self-trained, as `workbench align` does
                units, _ = self_trained_align(
                    src,
                    tgt,
                    [mt],
                    rev,
                    options=SelfTrainingOptions(seed=args.seed),
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


if __name__ == "__main__":
    sys.exit(main())
