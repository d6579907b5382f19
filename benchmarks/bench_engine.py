"""Engine benchmark: ABLEU vectorised vs straightforward, and whole-document alignment time.

Run: python benchmarks/bench_engine.py   (needs ../shared/bench/textberg-dev)

Everything is measured side by side in one run, so the ratios hold on a noisy machine.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors

from workbench.align import Aligner, AlignerOptions, make_scorer
from workbench.scoring import AbleuScorer, WordSimilarity
from workbench.scoring.reference import reference_ableu
from workbench.textio import Document, read_document

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "textberg-dev"


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    src, tgt = read_document(DATA / "dev.de"), read_document(DATA / "dev.fr")
    mt = read_document(DATA / "dev.mt-europarlfull.fr")

    # A random embedding over the document vocabulary: speed does not depend on its quality.
    scorer = AbleuScorer(WordSimilarity(None), order=2, lowercase=True)
    vocab = sorted({w for s in mt.sentences + tgt.sentences for w in scorer.tokenize(s)})
    rng = np.random.default_rng(0)
    kv = KeyedVectors(vector_size=100)
    kv.add_vectors(vocab, rng.normal(size=(len(vocab), 100)).astype(np.float32))
    sim = WordSimilarity(kv, threshold=0.2)
    scorer = AbleuScorer(sim, order=2, lowercase=True)

    pairs = [
        (random.Random(i).randrange(len(mt)), random.Random(-i).randrange(len(tgt)))
        for i in range(400)
    ]
    cands, refs = scorer.prepare(mt.sentences), scorer.prepare(tgt.sentences)
    arr = np.array(pairs)
    scorer.block(cands, refs)  # the per-document similarity block, built once as in alignment

    fast = best_of(lambda: scorer.pair_scores(cands, refs, arr, symmetric=False))
    slow_pairs = pairs[:40]
    lookup = {}

    def sim_cached(a: str, b: str) -> float:
        key = (a, b)
        if key not in lookup:
            lookup[key] = sim.similarity(a, b)
        return lookup[key]

    def straightforward() -> None:
        for i, j in slow_pairs:
            reference_ableu(cands.tokens[i], [refs.tokens[j]], sim_cached, 2)

    straightforward()  # fill the similarity cache so only the formula's loops are timed
    slow = best_of(straightforward, 1) * len(pairs) / len(slow_pairs)
    print("ABLEU sentence pairs (400 random pairs of textberg-dev, order 2)")
    print(f"  straightforward (cached word sims): {len(pairs) / slow:10.0f} pairs/s")
    print(f"  vectorised (batched NumPy)        : {len(pairs) / fast:10.0f} pairs/s")
    print(f"  speed-up                          : {slow / fast:10.1f}x")

    print(f"\nAlign the whole dev document ({len(src)} x {len(tgt)} sentences), start-up excluded")
    bleu = best_of(lambda: Aligner(make_scorer("bleu", lowercase=True)).align(src, tgt, [mt]))
    ableu = best_of(
        lambda: Aligner(AbleuScorer(sim, order=2, lowercase=True)).align(src, tgt, [mt])
    )
    print(f"  BLEU : {bleu:6.3f} s")
    print(f"  ABLEU: {ableu:6.3f} s  ({ableu / bleu:.1f}x BLEU)")
    large_document(src, tgt, mt)
    return 0


def large_document(src: Document, tgt: Document, mt: Document) -> None:
    """ABLEU vs BLEU alignment time on a ~1,000 x 1,000-sentence document.

    The document is textberg-dev twice over (936 x 1,108 sentences); the embedding is the
    self-trained word2vec-pair (FastText) that `align --scorer ableu` would learn from it.
    """
    from workbench.align.selftrain import SelfTrainingOptions, confident_pairs
    from workbench.embeddings import train_embeddings

    big_src = Document(src.sentences * 2)
    big_tgt = Document(tgt.sentences * 2)
    big_mt = Document(mt.sentences * 2)
    opt = SelfTrainingOptions()
    bleu_scorer = make_scorer("bleu", lowercase=True)
    t = time.perf_counter()
    units = Aligner(bleu_scorer).align(big_src, big_tgt, [big_mt])
    first = time.perf_counter() - t
    pairs = confident_pairs(
        units, big_src, big_tgt, [big_mt], [], opt.min_score, bleu_scorer.tokenize
    )
    t = time.perf_counter()
    kv = train_embeddings(
        pairs, mode="pair", subword=True, vector_size=opt.vector_size, epochs=opt.epochs, seed=1
    )
    training = time.perf_counter() - t
    sim = WordSimilarity(kv, threshold=opt.threshold)
    print(f"\nAlign a {len(big_src)} x {len(big_tgt)} document (textberg-dev twice)")
    for method in ("bleualign", "dp"):
        options = AlignerOptions(method=method)
        bleu = best_of(
            lambda options=options: Aligner(make_scorer("bleu", lowercase=True), options).align(
                big_src, big_tgt, [big_mt]
            ),
            2,
        )
        ableu = best_of(
            lambda options=options: Aligner(
                AbleuScorer(sim, order=2, lowercase=True), options
            ).align(big_src, big_tgt, [big_mt]),
            2,
        )
        print(f"  {method:9s} BLEU : {bleu:6.2f} s")
        print(f"  {method:9s} ABLEU: {ableu:6.2f} s  ({ableu / bleu:.1f}x BLEU)")
    print(
        f"  self-training overhead: first BLEU pass {first:.2f} s + word2vec-pair training "
        f"on {len(pairs)} pairs {training:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
