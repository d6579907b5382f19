"""ABLEU without hand-made embeddings: align, learn word2vec-pair from confident pairs, re-align.

No gold data is used, only the documents: a first pass (BLEU, or ABLEU with the embedding the
user gave) proposes units; those scoring at least ``min_score`` become a small parallel corpus
of (MT sentence, target sentence) pairs — both in the target language, so the embedding learns
which words the MT system and the human translator use for the same thing (inflections,
synonyms). With a reverse translation the (reverse MT, source) pairs are added the same way,
and without any MT the (source, target) pairs themselves are used, placing both languages in
one space. ``iterations`` repeats train → re-align on the new confident pairs.

Why subword (FastText) by default: one document is a tiny corpus where most words occur once
or twice; character n-grams still relate ``montagne``/``montagnes`` or ``이쁘다``/``예쁘다``-style
variants, where whole-word vectors of rare words are mostly noise (a word2vec-pair model of a
textberg-dev document puts thousands of unrelated word pairs above cosine 0.99). Why a high
threshold (0.9), mutual nearest neighbours (3) and exact numbers: on so little data every word
of a training pair ends up close to every other, so only a word's few mutual nearest words
are trustworthy, and numbers (1849 ~ 1850 by their characters) are evidence only when equal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from workbench.align.bleualign import Aligner, AlignerOptions
from workbench.align.units import AlignmentUnit
from workbench.errors import CancelledError
from workbench.scoring import AbleuScorer, BleuScorer, WordSimilarity
from workbench.scoring.similarity import MaxSimilarity
from workbench.textio import Document


@dataclass
class SelfTrainingOptions:
    iterations: int = 1  # train → re-align rounds
    min_score: float = 0.2  # units scoring at least this train the embedding
    subword: bool = True  # FastText character n-grams (see module docstring)
    threshold: float = 0.9  # word similarities below this count as 0
    mutual: int | None = 3  # only each other's 3 nearest words match (see WordSimilarity)
    exact_numbers: bool = True  # tokens with digits match only themselves
    vector_size: int = 16  # small and few epochs: as good on textberg-dev, 3x faster to train
    epochs: int = 5
    seed: int = 1
    # FastText n-gram hash buckets: a document has a few thousand words, gensim's default
    # 2,000,000 buckets (128 MB of 16-d vectors, plus training copies) only cost memory and
    # time; 200,000 gave the same F1 on textberg-dev (within ±0.003) with a tenth of the memory.
    bucket: int = 200_000


def confident_pairs(
    units: Sequence[AlignmentUnit],
    source: Document,
    target: Document,
    mt: Sequence[Document],
    mt_reverse: Sequence[Document],
    min_score: float,
    tokenize: Callable[[str], list[str]],
) -> list[tuple[list[str], list[str]]]:
    """Token pairs for word2vec-pair training from the units the aligner is sure of."""
    pairs: list[tuple[list[str], list[str]]] = []
    for unit in units:
        if unit.is_deletion or unit.score is None or unit.score < min_score:
            continue

        def text(doc: Document, ids: tuple[int, ...]) -> list[str]:
            return tokenize(" ".join(doc.sentences[i] for i in ids))

        for doc in mt:
            pairs.append((text(doc, unit.source), text(target, unit.target)))
        for doc in mt_reverse:
            pairs.append((text(doc, unit.target), text(source, unit.source)))
        if not mt and not mt_reverse:
            pairs.append((text(source, unit.source), text(target, unit.target)))
    return pairs


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
    """Align with ABLEU over an embedding learnt from the documents; returns (units, vectors).

    ``embeddings`` (a KeyedVectors) is used for the first pass and kept alongside each newly
    trained one (similarity = the larger of the two).
    """
    from workbench.embeddings import train_embeddings

    opt = options or SelfTrainingOptions()
    given = WordSimilarity(embeddings, threshold=opt.threshold) if embeddings is not None else None
    if given is not None:
        first = AbleuScorer(given, order=order, tokenize=tokenize, lowercase=lowercase)
    else:
        first = BleuScorer(order=order, tokenize=tokenize, lowercase=lowercase)
    if progress:
        progress("first alignment pass", 0.0)
    units = Aligner(first, aligner_options).align(source, target, mt, mt_reverse, cancel=cancel)
    vectors = embeddings
    for round_ in range(opt.iterations):
        if cancel and cancel():
            raise CancelledError("self-training cancelled")
        pairs = confident_pairs(
            units, source, target, mt, mt_reverse, opt.min_score, first.tokenize
        )
        if len(pairs) < 2:
            break  # nothing to learn from: keep the first pass
        if progress:
            progress(
                f"training word2vec-pair on {len(pairs)} pairs", (round_ + 0.3) / opt.iterations
            )
        vectors = train_embeddings(
            pairs,
            mode="pair",
            subword=opt.subword,
            vector_size=opt.vector_size,
            epochs=opt.epochs,
            seed=opt.seed,
            cancel=cancel,
            bucket=opt.bucket,
        )
        learnt = WordSimilarity(
            vectors, threshold=opt.threshold, mutual=opt.mutual, exact_numbers=opt.exact_numbers
        )
        similarity = MaxSimilarity([given, learnt]) if given is not None else learnt
        scorer = AbleuScorer(similarity, order=order, tokenize=tokenize, lowercase=lowercase)
        if progress:
            progress("re-aligning with ABLEU", (round_ + 0.6) / opt.iterations)
        units = Aligner(scorer, aligner_options).align(
            source, target, mt, mt_reverse, cancel=cancel
        )
    if progress:
        progress("done", 1.0)
    return units, vectors
