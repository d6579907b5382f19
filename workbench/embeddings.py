"""word2vec-pair embeddings (spec §4) with gensim: training, loading, saving, neighbours.

word2vec-pair mixes each sentence pair into one training sentence (source and target tokens
shuffled together, seeded) so a word's context includes its translation: neighbours become
near-synonyms and translations in both languages, where plain word2vec puts antonyms close.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from workbench.errors import CancelledError, ModelError

TokenPair = tuple[Sequence[str], Sequence[str]]


def mixed_sentences(pairs: Iterable[TokenPair], seed: int = 1) -> list[list[str]]:
    """Each pair's tokens shuffled together; pair k uses its own seeded generator."""
    out = []
    for k, (src, tgt) in enumerate(pairs):
        mixed = list(src) + list(tgt)
        np.random.default_rng([seed, k]).shuffle(mixed)
        if mixed:
            out.append(mixed)
    return out


def train_embeddings(
    pairs: Iterable[TokenPair],
    mode: str = "pair",
    subword: bool = False,
    vector_size: int = 100,
    window: int | None = None,
    min_count: int = 1,
    epochs: int = 10,
    seed: int = 1,
    workers: int = 1,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> object:
    """Train word2vec-pair (``mode='pair'``) or plain word2vec on each side (``'plain'``).

    ``subword`` uses gensim's FastText (character n-grams) for languages such as Korean where
    a word rarely repeats in the same form. ``workers=1`` makes training reproducible for a
    seed. Returns gensim KeyedVectors.
    """
    from gensim.models import FastText, Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    pairs = list(pairs)
    if mode == "pair":
        sentences = mixed_sentences(pairs, seed)
        # The window spans the whole mixed sentence: a word's context is its translation.
        win = window or max((len(s) for s in sentences), default=5)
    elif mode == "plain":
        sentences = [list(s) for pair in pairs for s in pair if s]
        win = window or 5
    else:
        raise ModelError(f"unknown embedding mode {mode!r}; choose pair or plain")
    if not sentences:
        raise ModelError("no training sentences: the parallel corpus is empty")

    class _Report(CallbackAny2Vec):
        def __init__(self) -> None:
            self.done = 0

        def on_epoch_end(self, model: object) -> None:
            self.done += 1
            if cancel and cancel():
                raise CancelledError("embedding training cancelled")
            if progress:
                progress(self.done / epochs)

    cls = FastText if subword else Word2Vec
    model = cls(
        vector_size=vector_size,
        window=win,
        min_count=min_count,
        sg=1,
        seed=seed,
        workers=workers,
    )
    model.build_vocab(sentences)
    model.train(
        sentences,
        total_examples=len(sentences),
        epochs=epochs,
        callbacks=[_Report()],
    )
    return model.wv


def load_keyed_vectors(path: str | Path) -> object:
    """Load gensim KeyedVectors: native ``.kv`` (also FastText), word2vec text or binary."""
    from gensim.models import KeyedVectors

    p = Path(path)
    if not p.exists():
        raise ModelError(f"{p}: no such embedding file")
    if p.is_dir():
        raise ModelError(f"{p}: is a directory, expected a KeyedVectors file")
    with p.open("rb") as fh:
        head = fh.read(64)
    try:
        if head.startswith(b"\x80"):  # a pickle: gensim's native format
            return KeyedVectors.load(str(p), mmap=None)
        first_line = head.split(b"\n", 1)[0]
        binary = not all(32 <= b < 127 or b in (9,) for b in first_line) or (
            b"\n" in head and not _looks_textual(head.split(b"\n", 1)[1])
        )
        return KeyedVectors.load_word2vec_format(str(p), binary=binary, unicode_errors="replace")
    except Exception as exc:  # gensim raises many kinds on broken files
        raise ModelError(
            f"{p}: not a readable embedding (expected gensim .kv, or word2vec text/binary): "
            f"{type(exc).__name__}: {exc}"
        ) from None


def _looks_textual(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(data) - 4  # a character cut at the end of the sniffed bytes
    return True


def save_keyed_vectors(vectors: object, path: str | Path) -> None:
    """Save as native ``.kv`` unless the name ends in ``.txt`` (word2vec text) or ``.bin``."""
    p = str(path)
    if p.endswith(".txt"):
        vectors.save_word2vec_format(p, binary=False)
    elif p.endswith(".bin"):
        vectors.save_word2vec_format(p, binary=True)
    else:
        vectors.save(p)


def neighbours(vectors: object, word: str, k: int = 20) -> list[tuple[str, float]]:
    """The ``k`` nearest words by cosine similarity; unknown words are an error."""
    if word not in vectors:
        raise ModelError(f"{word!r} is not in the embedding's vocabulary")
    return [(w, float(s)) for w, s in vectors.most_similar(word, topn=k)]
