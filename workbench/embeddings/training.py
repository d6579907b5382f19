"""word2vec-pair training (spec §4) with gensim, plain word2vec for comparison, FastText option.

word2vec-pair mixes each sentence pair into one training sentence (source and target tokens
shuffled together, seeded) so a word's context includes its translation: neighbours become
near-synonyms and translations in both languages, where plain word2vec puts antonyms close.

Every trained vector set records, per word, how often it occurred on each side of the corpus
(vector attributes ``source_count`` / ``target_count``) and the two sides' names
(``side_names``, e.g. ``("ko", "en")``), so neighbour views can say which language a
neighbour comes from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from workbench.errors import CancelledError, ModelError

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

TokenPair = tuple[Sequence[str], Sequence[str]]

MODES = ("pair", "plain")
#: How word2vec-pair is learnt: gensim's skip-gram (``skipgram``) or positive PMI of words
#: sharing a pair reduced by SVD (``counts``, :mod:`workbench.embeddings.counts`).
METHODS = ("skipgram", "counts")
DEFAULT_SIDE_NAMES = ("source", "target")
# Character n-gram lengths of the subword model (gensim's defaults). Korean words are short
# strings of syllables, so 2-grams help there (``--ngrams 2 5``).
DEFAULT_NGRAMS = (3, 6)
# gensim's default number of FastText n-gram hash buckets: the most we ever use.
DEFAULT_BUCKETS = 2_000_000
MIN_BUCKETS = 10_000


def auto_buckets(sentences: Iterable[Sequence[str]], ngrams: tuple[int, int]) -> int:
    """Enough FastText hash buckets for every character n-gram of the training vocabulary.

    gensim's fixed 2,000,000 buckets suit web-scale corpora; for a project's accepted pairs
    they make a model of 800 MB of mostly untouched rows (100 dimensions). Sizing the table to
    the n-grams actually seen keeps collisions among known n-grams rare and the file small.
    """
    min_n, max_n = ngrams
    seen: set[str] = set()
    for word in {w for sentence in sentences for w in sentence}:
        padded = f"<{word}>"
        for n in range(min_n, max_n + 1):
            seen.update(padded[i : i + n] for i in range(len(padded) - n + 1))
    return max(MIN_BUCKETS, min(DEFAULT_BUCKETS, 2 * len(seen)))


def mixed_sentences(pairs: Iterable[TokenPair], seed: int = 1) -> list[list[str]]:
    """Each pair's tokens shuffled together; pair k uses its own seeded generator."""
    out = []
    for k, (src, tgt) in enumerate(pairs):
        mixed = list(src) + list(tgt)
        np.random.default_rng([seed, k]).shuffle(mixed)
        if mixed:
            out.append(mixed)
    return out


def plain_sentences(pairs: Iterable[TokenPair]) -> list[list[str]]:
    """Each side of each pair as its own sentence (plain word2vec on both languages)."""
    return [list(s) for pair in pairs for s in pair if s]


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
    *,
    side_names: tuple[str, str] | None = None,
    ngrams: tuple[int, int] = DEFAULT_NGRAMS,
    initial: object | None = None,
    bucket: int | None = None,
    method: str = "skipgram",
) -> object:
    """Train word2vec-pair (``mode='pair'``) or plain word2vec on each side (``'plain'``).

    ``pairs`` are (source tokens, target tokens). ``subword`` uses gensim's FastText
    (character n-grams of lengths ``ngrams``) for languages such as Korean where a word rarely
    repeats in the same form. ``workers=1`` makes training reproducible for a seed.
    ``progress`` gets the finished fraction after each epoch; ``cancel`` returning true stops
    training with :class:`CancelledError`. ``initial`` (KeyedVectors of the same
    dimensionality) warm-starts the words it knows from its vectors. ``bucket``: hash buckets
    for FastText's character n-grams; None sizes them to the n-grams of the training
    vocabulary (:func:`auto_buckets`, at most gensim's default 2,000,000). Returns gensim
    KeyedVectors carrying per-word side counts (see module docstring).

    ``method='counts'`` (word2vec-pair only) learns the same kind of space from counts
    instead (:func:`workbench.embeddings.counts.train_count_embeddings`): deterministic,
    seconds where skip-gram takes minutes, no gensim needed; ``epochs``, ``window``,
    ``workers`` do not apply, and it has no subwords and no warm start.
    """
    if method not in METHODS:
        raise ModelError(f"unknown training method {method!r}; choose {' or '.join(METHODS)}")
    if method == "counts":
        return _train_counts(
            pairs,
            mode,
            subword,
            vector_size,
            min_count,
            seed,
            progress,
            cancel,
            side_names,
            initial,
        )
    from gensim.models import FastText, Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec

    pairs = [(list(s), list(t)) for s, t in pairs]
    if mode == "pair":
        sentences = mixed_sentences(pairs, seed)
        # The window spans the whole mixed sentence: a word's context is its translation.
        win = window or max((len(s) for s in sentences), default=5)
    elif mode == "plain":
        sentences = plain_sentences(pairs)
        win = window or 5
    else:
        raise ModelError(f"unknown embedding mode {mode!r}; choose pair or plain")
    if not sentences:
        raise ModelError("no training sentences: the parallel corpus is empty")
    if vector_size < 1 or epochs < 1:
        raise ModelError("vector size and epochs must be at least 1")
    if initial is not None and getattr(initial, "vector_size", None) != vector_size:
        raise ModelError(
            f"the base embedding has {getattr(initial, 'vector_size', '?')} dimensions, "
            f"training asked for {vector_size}"
        )

    class _Report(CallbackAny2Vec):
        def __init__(self) -> None:
            self.done = 0

        def on_epoch_end(self, model: object) -> None:
            self.done += 1
            if cancel and cancel():
                raise CancelledError("embedding training cancelled")
            if progress:
                progress(self.done / epochs)

    if cancel and cancel():
        raise CancelledError("embedding training cancelled")
    if subword:
        min_n, max_n = ngrams
        if not 1 <= min_n <= max_n:
            raise ModelError(f"character n-gram lengths {min_n}..{max_n} are not a valid range")
    common = {
        "vector_size": vector_size,
        "window": win,
        "min_count": min_count,
        "sg": 1,
        "seed": seed,
        "workers": workers,
    }
    if subword and bucket is None:
        bucket = auto_buckets(sentences, ngrams)
    if subword and bucket < 1:
        raise ModelError(f"the number of n-gram buckets must be at least 1, not {bucket}")
    model = (
        FastText(**common, min_n=min_n, max_n=max_n, bucket=bucket)
        if subword
        else Word2Vec(**common)
    )
    model.build_vocab(sentences)
    if not len(model.wv.index_to_key):
        raise ModelError(f"no word occurs at least {min_count} times: nothing to train")
    if initial is not None:
        _warm_start(model, initial)
    model.train(
        sentences,
        total_examples=len(sentences),
        epochs=epochs,
        callbacks=[_Report()],
    )
    vectors = model.wv
    record_sides(vectors, pairs, side_names)
    return vectors


def _train_counts(
    pairs: Iterable[TokenPair],
    mode: str,
    subword: bool,
    vector_size: int,
    min_count: int,
    seed: int,
    progress: Callable[[float], None] | None,
    cancel: Callable[[], bool] | None,
    side_names: tuple[str, str] | None,
    initial: object | None,
) -> object:
    from workbench.embeddings.counts import train_count_embeddings

    if mode != "pair":
        raise ModelError("the counts method learns word2vec-pair only (mode 'pair')")
    if subword:
        raise ModelError("the counts method has no subwords: use the skipgram method")
    if initial is not None:
        raise ModelError("the counts method has no warm start: use the skipgram method")
    if min_count != 1:
        raise ModelError("the counts method keeps every word (min_count 1)")
    return train_count_embeddings(
        list(pairs),
        vector_size=vector_size,
        seed=seed,
        side_names=side_names,
        progress=progress,
        cancel=cancel,
    )


def _warm_start(model: object, initial: object) -> None:
    """Start the words ``initial`` knows from its vectors (FastText: the word-level part)."""
    wv = model.wv
    # FastText keeps trained word-level vectors in vectors_vocab; plain word2vec in vectors.
    target = wv.vectors_vocab if hasattr(wv, "vectors_vocab") else wv.vectors
    for i, word in enumerate(wv.index_to_key):
        if word in initial.key_to_index:
            target[i] = initial.get_vector(word)


def record_sides(
    vectors: KeyedVectors, pairs: Sequence[TokenPair], side_names: tuple[str, str] | None = None
) -> None:
    """Store each word's count on each side and the sides' names on the KeyedVectors."""
    source = Counter(w for src, _ in pairs for w in src)
    target = Counter(w for _, tgt in pairs for w in tgt)
    set_side_counts(
        vectors,
        [source[w] for w in vectors.index_to_key],
        [target[w] for w in vectors.index_to_key],
        side_names,
    )


def set_side_counts(
    vectors: KeyedVectors,
    source_counts: Sequence[int],
    target_counts: Sequence[int],
    side_names: tuple[str, str] | None = None,
) -> None:
    """Attach per-word side counts (in ``index_to_key`` order) and the sides' names."""
    vectors.allocate_vecattrs(["source_count", "target_count"], [int, int])
    vectors.expandos["source_count"][:] = np.asarray(source_counts, dtype=np.int64)
    vectors.expandos["target_count"][:] = np.asarray(target_counts, dtype=np.int64)
    vectors.side_names = tuple(side_names or DEFAULT_SIDE_NAMES)
