"""Engine benchmark: ABLEU vectorised vs straightforward, and whole-document alignment time.

Run: nice python benchmarks/bench_engine.py   (needs ../shared/bench/textberg-dev)

Everything is measured side by side in one run, so the ratios hold on a noisy machine.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors

from workbench.align import Aligner, make_scorer
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
    self_training_ratio(src, tgt, mt, repeat=3)
    big_src = Document(src.sentences * 2)
    big_tgt = Document(tgt.sentences * 2)
    big_mt = Document(mt.sentences * 2)
    print(f"\nAlign a {len(big_src)} x {len(big_tgt)} document (textberg-dev twice)")
    self_training_ratio(big_src, big_tgt, big_mt, repeat=1)
    return 0


def self_training_ratio(src: Document, tgt: Document, mt: Document, repeat: int) -> None:
    """Default `align` with BLEU vs default `align --scorer ableu` (self-trained, no
    embeddings given), the latter broken down into the word2vec-pair training on the
    (source, MT) sentence pairs and the ABLEU alignment (MT view + cross-lingual view),
    both through workbench.align.selftrain as `align` runs them."""
    from workbench.align import selftrain

    bleu = best_of(
        lambda: Aligner(make_scorer("bleu", lowercase=True)).align(src, tgt, [mt]), repeat
    )
    n_pairs = len(selftrain.translation_pairs(src, tgt, [mt], [], str.split))

    def train() -> None:
        selftrain._TRAINED.clear()  # time the training, not a cache hit
        selftrain.self_trained_aligner(src, tgt, [mt])

    def ableu_align() -> None:
        aligner, _ = selftrain.self_trained_aligner(src, tgt, [mt])  # cached model: no training
        aligner.align(src, tgt, [mt])

    training = best_of(train, repeat)
    realign = best_of(ableu_align, repeat)
    total = training + realign
    print(f"  BLEU (default dp)                 : {bleu:6.2f} s")
    print(f"  ABLEU alignment alone             : {realign:6.2f} s  ({realign / bleu:.1f}x BLEU)")
    print(f"  word2vec-pair training, {n_pairs:4d} pairs: {training:6.2f} s")
    print(f"  ABLEU in all (training + alignment): {total:6.2f} s  ({total / bleu:.1f}x BLEU)")


if __name__ == "__main__":
    sys.exit(main())
