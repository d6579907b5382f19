"""ABLEU without hand-made embeddings: learn word2vec-pair from the documents, then align.

No gold data is used, only the documents. With a machine translation the training corpus is
there before any alignment: each source sentence and its MT output are a parallel pair by
construction (and each target sentence with its reverse translation, when one is given). A
word2vec-pair model of those pairs places source-language and target-language words in one
space, and ABLEU uses it twice per bead:

- MT vs target, as Bleualign does. Both sides are in the target language; a soft match here
  is between two words the MT system uses for the same source words, so only near-identical
  use counts (threshold 0.97, mutual nearest neighbours).
- Source vs target, order 1, in the shared space (the view the spec proposes for alignment
  without MT). With exact matching this view only sees names and numbers and gets a small
  weight (``AlignerOptions.source_target_weight``); with the pair space it also ties
  ``Gipfel`` to ``sommet``, where the MT system chose ``pic``, and gets a full one
  (``AlignerOptions.cross_lingual_weight``).

Without any MT there is nothing parallel yet: a first pass (BLEU, or ABLEU over the embedding
the user gave) proposes units, and those scoring at least ``min_score`` are the training pairs.
``iterations`` > 1 repeats train → re-align, each round adding the previous round's confident
(source, target) units to the training pairs.

How the space is learnt (``method``): by default from counts (positive PMI of words sharing a
pair, reduced by SVD, :mod:`workbench.embeddings.counts`), the space skip-gram over the whole
mixed pair approximates: deterministic, under a second where 50 epochs of gensim's skip-gram
take a minute or more, and on textberg-dev as good (docs/speed.md). ``method="skipgram"``
trains gensim's skip-gram as before. Why whole words, 50 dimensions and (skip-gram) 50 epochs:
a document gives a few hundred pairs, and on textberg-dev these settings beat FastText
subwords and fewer epochs (20 epochs: −0.001 to −0.009 strict F1; 100 epochs: no better, twice
the time). Why mutual nearest neighbours (3) and
exact numbers: on so little data every word of a pair ends up close to every other word of it,
so only a word's few mutual nearest words are trustworthy, and numbers (1849 ~ 1850) are
evidence only when equal.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.align.bleualign import Aligner, AlignerOptions
from workbench.align.units import AlignmentUnit
from workbench.errors import CancelledError
from workbench.scoring import AbleuScorer, BleuScorer, WordSimilarity
from workbench.scoring.similarity import MaxSimilarity
from workbench.textio import Document

if TYPE_CHECKING:
    from gensim.models import KeyedVectors

TokenPair = tuple[list[str], list[str]]


@dataclass
class SelfTrainingOptions:
    iterations: int = 1  # train → re-align rounds
    min_score: float = 0.2  # units scoring at least this join the training pairs
    subword: bool = False  # FastText character n-grams instead of whole words
    # MT-vs-target soft matches (both words in the target language) count from this cosine.
    threshold: float = 0.97
    # Source-vs-target soft matches (a word and its translation) count from this cosine; with
    # mutual nearest neighbours the threshold rarely decides (0.3 and 0.5 give the same F1).
    cross_threshold: float = 0.5
    mutual: int | None = 3  # only each other's 3 nearest words match (see WordSimilarity)
    exact_numbers: bool = True  # tokens with digits match only themselves
    vector_size: int = 50
    epochs: int = 50  # skip-gram only
    # "counts" (PPMI + SVD, workbench.embeddings.counts) or "skipgram" (gensim)
    method: str = "counts"
    # Without MT the training pairs are a first pass's units, fewer and noisier: the earlier
    # settings (FastText subwords, 16 dimensions, 5 epochs, source–target cosine ≥ 0.9) keep
    # the Korean–English test document at 0.60 strict F1, where the settings above give 0.51.
    no_mt_subword: bool = True
    no_mt_vector_size: int = 16
    no_mt_epochs: int = 5
    no_mt_threshold: float = 0.9
    no_mt_method: str = "skipgram"  # subwords need skip-gram (FastText)
    window: int | None = None  # None: the whole mixed sentence (see workbench.embeddings)
    seed: int = 1
    bucket: int | None = None  # FastText hash buckets (None: sized to the vocabulary)


def _words(doc: Document, ids: Sequence[int], tokenize: Callable[[str], list[str]]) -> list[str]:
    return tokenize(" ".join(doc.sentences[i] for i in ids))


def translation_pairs(
    source: Document,
    target: Document,
    mt: Sequence[Document],
    mt_reverse: Sequence[Document],
    tokenize: Callable[[str], list[str]],
) -> list[TokenPair]:
    """(source sentence, its MT) and (reverse MT, target sentence) token pairs: parallel by
    construction, so no alignment is needed to learn from them. Pairs with an empty side are
    left out."""
    pairs: list[TokenPair] = []
    for doc in mt:
        pairs += zip(map(tokenize, source.sentences), map(tokenize, doc.sentences), strict=True)
    for doc in mt_reverse:
        pairs += zip(map(tokenize, doc.sentences), map(tokenize, target.sentences), strict=True)
    return [(s, t) for s, t in pairs if s and t]


def confident_pairs(
    units: Sequence[AlignmentUnit],
    source: Document,
    target: Document,
    min_score: float,
    tokenize: Callable[[str], list[str]],
) -> list[TokenPair]:
    """(source, target) token pairs of the units the aligner is sure of."""
    pairs: list[TokenPair] = []
    for unit in units:
        if unit.is_deletion or unit.score is None or unit.score < min_score:
            continue
        pairs.append((_words(source, unit.source, tokenize), _words(target, unit.target, tokenize)))
    return pairs


# Recently trained models by what they were trained on. Training is deterministic for a seed
# (counts: always; skip-gram: with one worker thread), so a hit is exactly what training again would give; it spares the
# window's "re-align from here" and repeated project runs the training (seconds to minutes).
_TRAINED: OrderedDict[str, object] = OrderedDict()
_TRAINED_KEEP = 4


def _trained(
    pairs: list[TokenPair],
    cancel: Callable[[], bool] | None = None,
    progress: Callable[[float], None] | None = None,
    **params: object,
) -> object:
    from workbench.embeddings import train_embeddings

    digest = hashlib.sha1(repr(sorted(params.items())).encode("utf-8"))
    for src, tgt in pairs:
        digest.update("\x1f".join(src).encode("utf-8") + b"\x1e")
        digest.update("\x1f".join(tgt).encode("utf-8") + b"\x1d")
    key = digest.hexdigest()
    if key in _TRAINED:
        _TRAINED.move_to_end(key)
        return _TRAINED[key]
    vectors = train_embeddings(pairs, mode="pair", cancel=cancel, progress=progress, **params)
    _TRAINED[key] = vectors
    while len(_TRAINED) > _TRAINED_KEEP:
        _TRAINED.popitem(last=False)
    return vectors


def self_trained_aligner(
    source: Document,
    target: Document,
    mt: Sequence[Document] = (),
    mt_reverse: Sequence[Document] = (),
    embeddings: object | None = None,
    options: SelfTrainingOptions | None = None,
    aligner_options: AlignerOptions | None = None,
    order: int = 2,
    tokenize: str = "13a",
    lowercase: bool = True,
    progress: Callable[[str, float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[Aligner, object | None]:
    """An ABLEU :class:`Aligner` over a word2vec-pair embedding learnt from these documents,
    and that embedding: (aligner, vectors). Use the aligner on the same documents (whole, or
    around fixed pairs with :func:`workbench.align.anchored.align_around`).

    ``embeddings`` (a KeyedVectors) is kept alongside each newly trained one (similarity = the
    larger of the two), and scores the first pass when one is needed (no MT).
    """
    opt = options or SelfTrainingOptions()
    translated = bool(mt or mt_reverse)
    words = BleuScorer(order=1, tokenize=tokenize, lowercase=lowercase).tokenize

    def scorer_over(kv: KeyedVectors | None, threshold: float, n: int) -> AbleuScorer | BleuScorer:
        sims = []
        if embeddings is not None:
            sims.append(WordSimilarity(embeddings, threshold=threshold))
        if kv is not None:
            sims.append(
                WordSimilarity(
                    kv, threshold=threshold, mutual=opt.mutual, exact_numbers=opt.exact_numbers
                )
            )
        if not sims:
            return BleuScorer(order=n, tokenize=tokenize, lowercase=lowercase)
        sim = sims[0] if len(sims) == 1 else MaxSimilarity(sims)
        return AbleuScorer(sim, order=n, tokenize=tokenize, lowercase=lowercase)

    def aligner_over(kv: KeyedVectors | None) -> Aligner:
        # Without MT the main scorer itself compares the two languages.
        main = scorer_over(kv, opt.threshold if translated else opt.no_mt_threshold, order)
        cross = None
        if translated and (kv is not None or embeddings is not None):
            cross = scorer_over(kv, opt.cross_threshold, 1)
        return Aligner(main, aligner_options, cross_lingual=cross)

    aligner = aligner_over(None)
    vectors = embeddings
    for round_ in range(opt.iterations):
        if cancel and cancel():
            raise CancelledError("self-training cancelled")
        # Each round's share of the progress (the final alignment is the last 10 %).
        start = 0.9 * round_ / opt.iterations
        stop = 0.9 * (round_ + 1) / opt.iterations
        pairs = translation_pairs(source, target, mt, mt_reverse, words)
        if round_ > 0 or not translated:  # learn from the previous pass's units too
            if progress:
                progress("aligning", start)
            units = aligner.align(source, target, mt, mt_reverse, cancel=cancel)
            pairs += confident_pairs(units, source, target, opt.min_score, words)
            start += 0.2 * (stop - start)
        if len(pairs) < 2:
            break  # nothing to learn from
        stage = f"training word2vec-pair on {len(pairs)} pairs"

        def epochs_done(
            fraction: float, stage: str = stage, a: float = start, b: float = stop
        ) -> None:
            if progress:
                progress(stage, a + fraction * (b - a))

        epochs_done(0.0)
        vectors = _trained(
            pairs,
            progress=epochs_done,
            subword=opt.subword if translated else opt.no_mt_subword,
            vector_size=opt.vector_size if translated else opt.no_mt_vector_size,
            epochs=opt.epochs if translated else opt.no_mt_epochs,
            window=opt.window,
            seed=opt.seed,
            bucket=opt.bucket,
            method=opt.method if translated else opt.no_mt_method,
            cancel=cancel,
        )
        aligner = aligner_over(vectors)
    return aligner, vectors


def self_trained_align(
    source: Document,
    target: Document,
    mt: Sequence[Document] = (),
    mt_reverse: Sequence[Document] = (),
    embeddings: object | None = None,
    options: SelfTrainingOptions | None = None,
    aligner_options: AlignerOptions | None = None,
    order: int = 2,
    tokenize: str = "13a",
    lowercase: bool = True,
    progress: Callable[[str, float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> tuple[list[AlignmentUnit], object | None]:
    """Align with ABLEU over a word2vec-pair embedding learnt from the documents; returns
    (units, vectors). See :func:`self_trained_aligner`."""
    aligner, vectors = self_trained_aligner(
        source,
        target,
        mt,
        mt_reverse,
        embeddings,
        options,
        aligner_options,
        order,
        tokenize,
        lowercase,
        progress,
        cancel,
    )
    if progress:
        progress("aligning with ABLEU", 0.9)
    units = aligner.align(source, target, mt, mt_reverse, cancel=cancel)
    if progress:
        progress("done", 1.0)
    return units, vectors
