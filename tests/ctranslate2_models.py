"""Tiny but real CTranslate2 models for tests and benchmarks, built without any download.

Text comes from a deterministic pseudo-language (syllables glued into words), a
SentencePiece model is trained on it, and a Transformer with random weights of the right
shapes is written with ``ctranslate2.specs``. Its translations are garbage, but every step
(loading, tokenising, batching, decoding, detokenising) is the real one.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ei", "ou")]
LANGUAGE_TOKENS = ("deu_Latn", "fra_Latn", "eng_Latn")


def pseudo_sentences(n: int, seed: int = 0, min_words: int = 3, max_words: int = 18) -> list[str]:
    """``n`` sentences of made-up words, with capitals and punctuation, reproducibly."""
    rng = random.Random(seed)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(600)]
    out = []
    for _ in range(n):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(min_words, max_words)))
        out.append(sentence[0].upper() + sentence[1:] + rng.choice(".?!."))
    return out


def train_sentencepiece(
    prefix: Path, lines: list[str], vocab_size: int = 300, symbols: tuple[str, ...] = ()
) -> Path:
    """Train a unigram SentencePiece model at ``prefix.model`` on ``lines``."""
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        user_defined_symbols=list(symbols),
        minloglevel=2,
        num_threads=1,
    )
    return prefix.with_suffix(".model")


def spm_vocabulary(model: Path) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def write_transformer(
    output_dir: Path,
    source_vocabulary: list[str],
    target_vocabulary: list[str],
    *,
    layers: int = 1,
    d_model: int = 32,
    heads: int = 2,
    ffn: int = 64,
    seed: int = 0,
    eos_bias: float = 0.0,
    decoder_start_token: str | None = "<s>",
) -> Path:
    """Write a pre-norm Transformer with random weights to ``output_dir`` (model.bin etc.).

    ``eos_bias`` raises the logit of ``</s>`` so that decoding stops after a few tokens
    (random weights otherwise run to the length limit).
    """
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    spec = TransformerSpec.from_config(num_layers=layers, num_heads=heads)
    scale = 1 / np.sqrt(d_model)

    def linear(spec_linear, out_dim: int, in_dim: int) -> None:
        spec_linear.weight = (rng.standard_normal((out_dim, in_dim)) * scale).astype(np.float32)
        spec_linear.bias = np.zeros(out_dim, dtype=np.float32)

    def norm(spec_norm) -> None:
        spec_norm.gamma = np.ones(d_model, dtype=np.float32)
        spec_norm.beta = np.zeros(d_model, dtype=np.float32)

    def feed_forward(spec_ffn) -> None:
        norm(spec_ffn.layer_norm)
        linear(spec_ffn.linear_0, ffn, d_model)
        linear(spec_ffn.linear_1, d_model, ffn)

    def embeddings(spec_emb, size: int) -> None:
        spec_emb.weight = rng.standard_normal((size, d_model)).astype(np.float32)

    encoder, decoder = spec.encoder, spec.decoder
    embeddings(encoder.embeddings[0], len(source_vocabulary))
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)  # fused q, k, v
        linear(layer.self_attention.linear[1], d_model, d_model)
        feed_forward(layer.ffn)
    embeddings(decoder.embeddings, len(target_vocabulary))
    norm(decoder.layer_norm)
    linear(decoder.projection, len(target_vocabulary), d_model)
    decoder.projection.bias[target_vocabulary.index("</s>")] = eos_bias
    for layer in decoder.layer:
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], 3 * d_model, d_model)
        linear(layer.self_attention.linear[1], d_model, d_model)
        norm(layer.attention.layer_norm)
        linear(layer.attention.linear[0], d_model, d_model)  # queries
        linear(layer.attention.linear[1], 2 * d_model, d_model)  # fused keys, values
        linear(layer.attention.linear[2], d_model, d_model)
        feed_forward(layer.ffn)
    spec.register_source_vocabulary(source_vocabulary)
    spec.register_target_vocabulary(target_vocabulary)
    spec.config.decoder_start_token = decoder_start_token
    spec.validate()
    spec.optimize(quantization=None)
    output_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(output_dir))
    return output_dir


@dataclass
class TinyModels:
    """Paths of the built models and the text they were trained on."""

    root: Path
    sentences: list[str]
    marian: Path  # model.bin + source.spm + target.spm
    multilingual: Path  # model.bin + sentencepiece.bpe.model, language tokens in the vocab
    argos_dir: Path  # unpacked Argos package
    argos_zip: Path  # .argosmodel


def build_marian_dir(
    root: Path,
    sentences: list[str],
    *,
    vocab_size: int = 300,
    seed: int = 0,
    **transformer: object,
) -> Path:
    """A converted-OPUS-MT-like directory: separate source and target SentencePiece models."""
    work = root / "spm"
    work.mkdir(parents=True, exist_ok=True)
    half = len(sentences) // 2
    source_spm = train_sentencepiece(work / "source", sentences[:half], vocab_size)
    target_spm = train_sentencepiece(work / "target", sentences[half:], vocab_size)
    out = root / "marian"
    write_transformer(
        out, spm_vocabulary(source_spm), spm_vocabulary(target_spm), seed=seed, **transformer
    )
    (out / "source.spm").write_bytes(source_spm.read_bytes())
    (out / "target.spm").write_bytes(target_spm.read_bytes())
    return out


def build_tiny_models(root: Path) -> TinyModels:
    root.mkdir(parents=True, exist_ok=True)
    sentences = pseudo_sentences(400, seed=1)
    marian = build_marian_dir(root, sentences, eos_bias=2.0, d_model=64, ffn=128)

    shared_spm = train_sentencepiece(
        root / "spm" / "shared", sentences, 300, symbols=LANGUAGE_TOKENS
    )
    vocabulary = spm_vocabulary(shared_spm)
    multilingual = write_transformer(
        root / "nllb",
        vocabulary,
        vocabulary,
        seed=2,
        eos_bias=2.0,
        d_model=64,
        ffn=128,
        decoder_start_token=None,
    )
    (multilingual / "sentencepiece.bpe.model").write_bytes(shared_spm.read_bytes())

    package = root / "argos" / "translate-xx_yy-1_0"
    write_transformer(
        package / "model", vocabulary, vocabulary, seed=3, eos_bias=2.0, d_model=64, ffn=128
    )
    (package / "sentencepiece.model").write_bytes(shared_spm.read_bytes())
    metadata = {
        "package_version": "1.0",
        "argos_version": "1.9.0",
        "from_code": "xx",
        "from_name": "Pseudo",
        "to_code": "yy",
        "to_name": "Pseudo",
    }
    (package / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    argos_zip = root / "translate-xx_yy-1_0.argosmodel"
    zip_directory(package, argos_zip)
    return TinyModels(root, sentences, marian, multilingual, package, argos_zip)


def zip_directory(directory: Path, archive: Path) -> Path:
    """Zip ``directory`` with itself as the single top-level folder (as Argos packages are)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(directory.rglob("*")):
            zf.write(path, Path(directory.name) / path.relative_to(directory))
    archive.write_bytes(buffer.getvalue())
    return archive
