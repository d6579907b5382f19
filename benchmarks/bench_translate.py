"""Translation throughput: batched vs one sentence at a time, int8 vs float32, a whole document.

Run: nice python benchmarks/bench_translate.py [--lines 3000] [--subset 300]

No model is downloaded: a 2-layer Transformer (d_model 256, 4 heads, FFN 1024, 16k target
vocabulary like a small OPUS-MT model's output layer) with random weights is written with
``ctranslate2.specs``, with SentencePiece models trained on generated text. Random weights
never choose to stop, so the output length is capped at the source length + 10 tokens
(``length_ratio=1.0``), about what a real model produces. Every figure is measured in the
same run, so the ratios hold on a noisy shared machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from ctranslate2_models import (
    pseudo_sentences,
    spm_vocabulary,
    train_sentencepiece,
    write_transformer,
)

from workbench.textio import Document
from workbench.translate import (
    MemoryTranslationCache,
    open_translator,
    translate_document,
)

VOCABULARY = 16000


def build_model(root: Path, sentences: list[str]) -> Path:
    source_spm = train_sentencepiece(root / "source", sentences, 700)
    target_spm = train_sentencepiece(root / "target", sentences[::-1], 700)
    # Pad the vocabularies with tokens SentencePiece never produces, so that embedding and
    # output layer have a realistic size.
    source = spm_vocabulary(source_spm)
    target = spm_vocabulary(target_spm)
    source += [f"<extra{i}>" for i in range(VOCABULARY - len(source))]
    target += [f"<extra{i}>" for i in range(VOCABULARY - len(target))]
    model = root / "model"
    write_transformer(model, source, target, layers=2, d_model=256, heads=4, ffn=1024)
    (model / "source.spm").write_bytes(source_spm.read_bytes())
    (model / "target.spm").write_bytes(target_spm.read_bytes())
    return model


def rate(translator, sentences: list[str], one_by_one: bool = False) -> tuple[float, float]:
    """(sentences per second, seconds)."""
    start = time.perf_counter()
    if one_by_one:
        for sentence in sentences:
            translator.translate([sentence])
    else:
        translator.translate(sentences)
    seconds = time.perf_counter() - start
    return len(sentences) / seconds, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=3000, help="document size")
    parser.add_argument("--subset", type=int, default=300, help="sentences for the ratios")
    parser.add_argument("--beam-size", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        text = pseudo_sentences(args.lines, seed=7, min_words=4, max_words=30)
        t = time.perf_counter()
        model = build_model(root, text)
        build_s = time.perf_counter() - t
        common = {
            "beam_size": args.beam_size,
            "batch_size": args.batch_size,
            "length_ratio": 1.0,
        }
        int8 = open_translator(model, compute_type="int8", **common)
        float32 = open_translator(model, compute_type="float32", **common)
        subset = text[: args.subset]
        int8.translate(subset[:16])  # warm-up (thread pools, allocator)

        batched, batched_s = rate(int8, subset)
        single, single_s = rate(int8, subset, one_by_one=True)
        f32, f32_s = rate(float32, subset)

        doc = Document(text, name="bench")
        cache = MemoryTranslationCache()
        t = time.perf_counter()
        translate_document(doc, int8, cache=cache)
        doc_s = time.perf_counter() - t
        t = time.perf_counter()
        translate_document(doc, int8, cache=cache)
        cached_s = time.perf_counter() - t

    words = sum(len(s.split()) for s in text) / len(text)
    print(
        f"model: 2 layers, d_model 256, vocab {VOCABULARY}, built in {build_s:.1f} s; "
        f"beam {args.beam_size}, batch {args.batch_size}, {int8.intra_threads} threads"
    )
    print()
    print("| measurement | sentences | time | sentences/s | ratio |")
    print("|---|---|---|---|---|")
    print(
        f"| int8, one sentence at a time | {len(subset)} | {single_s:.2f} s | {single:.0f} | 1.0× |"
    )
    print(
        f"| int8, batched (length-sorted) | {len(subset)} | {batched_s:.2f} s | {batched:.0f} | "
        f"{batched / single:.1f}× one at a time |"
    )
    print(
        f"| float32, batched | {len(subset)} | {f32_s:.2f} s | {f32:.0f} | "
        f"int8 is {batched / f32:.2f}× float32 |"
    )
    print(
        f"| whole document, int8 batched (avg {words:.0f} words) | {len(text)} | {doc_s:.1f} s | "
        f"{len(text) / doc_s:.0f} | |"
    )
    print(f"| same document again (all cached) | {len(text)} | {cached_s * 1000:.1f} ms | — | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
