"""Neighbour tables, plain word2vec vs word2vec-pair, on the Korean–English dev files.

Trains both models on ../shared/bench/koen's dev files (korean-english-park, jhe-koen,
northkorean-english: 2,720 sentence pairs), 13a tokens (Korean: whitespace words with their
particles, punctuation split off), lowercased, and prints for each query word its nearest words
in each model, with cosine similarity and language, plus the cosine and rank of known
translations. ``--subword`` trains FastText (character 2–5-grams, which relate 정부/정부는/정부가).

    nice python benchmarks/koen_neighbours.py [--subword] [--save DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV_FILES = [
    ("korean-english-park.dev.ko", "korean-english-park.dev.en"),
    ("jhe-koen-dev.ko", "jhe-koen-dev.en"),
    ("northkorean-english.dev.nk", "northkorean-english.dev.en"),
]
QUERIES = ["government", "president", "china", "nuclear", "정부", "대통령", "중국", "경찰"]
TRANSLATIONS = {
    "government": "정부",
    "president": "대통령",
    "china": "중국",
    "nuclear": "핵",
    "north": "북한",
    "police": "경찰",
    "america": "미국",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--koen", type=Path, default=REPO.parent / "shared" / "bench" / "koen")
    parser.add_argument("--subword", action="store_true", help="FastText, character 2-5-grams")
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-k", type=int, default=8)
    parser.add_argument("--words", nargs="+", default=QUERIES)
    parser.add_argument("--save", type=Path, help="keep the two models here (pair.kv, plain.kv)")
    args = parser.parse_args()

    from workbench.embeddings import (
        in_vocabulary,
        neighbours,
        neighbours_with_language,
        save_keyed_vectors,
        train_embeddings,
    )
    from workbench.embeddings.corpus import read_training_pairs

    if not (args.koen / DEV_FILES[0][0]).exists():
        print(f"{args.koen}: Korean-English benchmark files not found", file=sys.stderr)
        return 2
    files = [(args.koen / s, args.koen / t) for s, t in DEV_FILES]
    pairs = read_training_pairs(files, tokenize="13a", lowercase=True)
    settings = {
        "subword": args.subword,
        "vector_size": args.dim,
        "epochs": args.epochs,
        "seed": args.seed,
        "side_names": ("ko", "en"),
        "ngrams": (2, 5),
    }
    models = {}
    for mode in ("plain", "pair"):
        start = time.perf_counter()
        models[mode] = train_embeddings(pairs, mode=mode, **settings)
        print(f"{mode}: trained in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            save_keyed_vectors(models[mode], args.save / f"{mode}.kv")

    kind = "FastText (2–5-grams)" if args.subword else "word2vec"
    print(
        f"{len(pairs)} sentence pairs, {kind}, {args.dim} dimensions, {args.epochs} epochs, "
        f"seed {args.seed}, 13a tokens, lowercased\n"
    )
    for word in args.words:
        if not in_vocabulary(models["pair"], word):
            print(f"({word!r} is not in the vocabulary)\n")
            continue
        print(f"**{word}**\n")
        print("| # | plain word2vec | cos | word2vec-pair | cos |")
        print("|--:|---|--:|---|--:|")
        plain = neighbours_with_language(models["plain"], word, args.k)
        pair = neighbours_with_language(models["pair"], word, args.k)
        for rank, (a, b) in enumerate(zip(plain, pair, strict=True), 1):
            print(
                f"| {rank} | {a.word} ({a.language}) | {a.similarity:.3f} "
                f"| {b.word} ({b.language}) | {b.similarity:.3f} |"
            )
        print()

    print("Known translations: cosine, and the Korean word's rank among the English word's")
    print("neighbours (of the whole vocabulary)\n")
    print("| English | Korean | plain cos | plain rank | pair cos | pair rank |")
    print("|---|---|--:|--:|--:|--:|")
    for en, ko in TRANSLATIONS.items():
        if not all(in_vocabulary(models["pair"], w) for w in (en, ko)):
            continue
        cells = []
        for mode in ("plain", "pair"):
            kv = models[mode]
            ranked = [w for w, _ in neighbours(kv, en, len(kv.index_to_key) - 1)]
            cells += [f"{kv.similarity(en, ko):.3f}", str(ranked.index(ko) + 1)]
        print(f"| {en} | {ko} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
