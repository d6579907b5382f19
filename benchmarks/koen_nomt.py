"""Korean–English alignment without any MT, in a shared word2vec-pair space.

Run: python benchmarks/koen_nomt.py [--sentences 400] [--out DIR]

Builds a test document with known alignment from ../shared/bench/koen/korean-english-park.test
(consecutive lines come from the same article): it keeps most pairs 1–1 and, seeded, merges two
English sentences (2–1), merges two Korean sentences (1–2), drops an English sentence (1–0) and
inserts an English sentence from elsewhere (0–1). A word2vec-pair embedding is trained on the
dev files only, and the Korean source is aligned directly against the English target with ABLEU
(plus the length prior). Baselines: length only (Gale–Church over the whole document) and BLEU
of source against target (only numbers and names can match).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from workbench.align import Aligner, make_scorer
from workbench.align.evaluate import evaluate
from workbench.align.galechurch import gale_church
from workbench.scoring import AbleuScorer, WordSimilarity
from workbench.textio import Document, read_document

KOEN = Path(__file__).resolve().parents[2] / "shared" / "bench" / "koen"
DEV = [
    ("korean-english-park.dev.ko", "korean-english-park.dev.en"),
    ("jhe-koen-dev.ko", "jhe-koen-dev.en"),
    ("northkorean-english.dev.nk", "northkorean-english.dev.en"),
]

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def build_document(
    ko: list[str], en: list[str], extra: list[str], n: int, seed: int = 7
) -> tuple[Document, Document, list[Pair]]:
    """A Korean source, an English target and their gold alignment, by seeded edits."""
    rng = random.Random(seed)
    src: list[str] = []
    tgt: list[str] = []
    gold: list[Pair] = []
    i = 0
    while i < n:
        r = rng.random()
        if r < 0.06 and i + 1 < n:  # two Korean sentences, one English line: 2–1
            src += [ko[i], ko[i + 1]]
            tgt.append(f"{en[i]} {en[i + 1]}")
            gold.append(((len(src) - 2, len(src) - 1), (len(tgt) - 1,)))
            i += 2
        elif r < 0.12 and i + 1 < n:  # one Korean line, two English sentences: 1–2
            src.append(f"{ko[i]} {ko[i + 1]}")
            tgt += [en[i], en[i + 1]]
            gold.append(((len(src) - 1,), (len(tgt) - 2, len(tgt) - 1)))
            i += 2
        elif r < 0.17:  # English missing: 1–0
            src.append(ko[i])
            gold.append(((len(src) - 1,), ()))
            i += 1
        elif r < 0.22:  # an English sentence from elsewhere: 0–1, then the pair itself
            tgt.append(rng.choice(extra))
            gold.append(((), (len(tgt) - 1,)))
            src.append(ko[i])
            tgt.append(en[i])
            gold.append(((len(src) - 1,), (len(tgt) - 1,)))
            i += 1
        else:
            src.append(ko[i])
            tgt.append(en[i])
            gold.append(((len(src) - 1,), (len(tgt) - 1,)))
            i += 1
    return Document(src, name="test.ko"), Document(tgt, name="test.en"), gold


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--out", type=Path, help="also write test.ko, test.en, test.gold here")
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.5])
    args = parser.parse_args()
    if not (KOEN / "korean-english-park.test.ko").exists():
        print(f"skipped: {KOEN} is absent")
        return 0
    from workbench.embeddings import train_embeddings

    ko = read_document(KOEN / "korean-english-park.test.ko").sentences
    en = read_document(KOEN / "korean-english-park.test.en").sentences
    src, tgt, gold = build_document(ko, en, en[1000:], args.sentences)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "test.ko").write_text("\n".join(src.sentences) + "\n", encoding="utf-8")
        (args.out / "test.en").write_text("\n".join(tgt.sentences) + "\n", encoding="utf-8")
        (args.out / "test.gold").write_text(
            "".join(f"[{','.join(map(str, s))}]:[{','.join(map(str, t))}]\n" for s, t in gold)
        )
    print(
        f"test document: {len(src)} Korean x {len(tgt)} English sentences, {len(gold)} gold units"
    )

    def score(units: list[Pair]) -> str:
        s = evaluate(gold, [u for u in units if u[0] and u[1]])
        return f"{s.strict_precision:.3f} | {s.strict_recall:.3f} | **{s.strict_f1:.3f}** | {s.lax_f1:.3f}"

    tokenize = make_scorer("bleu", lowercase=True).tokenize
    pairs = []
    for ko_name, en_name in DEV:
        kd, ed = read_document(KOEN / ko_name), read_document(KOEN / en_name)
        pairs += [
            (tokenize(a), tokenize(b)) for a, b in zip(kd.sentences, ed.sentences, strict=True)
        ]

    print("\n| aligner (no MT) | strict P | strict R | strict F1 | lax F1 |")
    print("|---|---|---|---|---|")
    lengths = gale_church([len(s) for s in src.sentences], [len(t) for t in tgt.sentences])
    print(f"| length only (Gale–Church) | {score(lengths)} |")
    units = Aligner(make_scorer("bleu", order=1, lowercase=True)).align(src, tgt)
    print(f"| BLEU order 1, source vs target + length prior | {score([u.key for u in units])} |")
    for subword in (False, True):
        t = time.perf_counter()
        kv = train_embeddings(
            pairs, mode="pair", subword=subword, vector_size=100, epochs=10, seed=1
        )
        trained = time.perf_counter() - t
        for threshold in args.thresholds:
            scorer = AbleuScorer(WordSimilarity(kv, threshold=threshold), order=1, lowercase=True)
            units = Aligner(scorer).align(src, tgt)
            kind = "FastText" if subword else "word2vec"
            print(
                f"| ABLEU, {kind}-pair on dev ({len(pairs)} pairs, {trained:.0f} s), "
                f"order 1, threshold {threshold} + length prior | {score([u.key for u in units])} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
