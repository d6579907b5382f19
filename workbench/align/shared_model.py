"""One word2vec-pair model for many documents (a project's or a batch's), trained once; Qt-free.

Self-trained ABLEU (``--scorer ableu`` without ``--embeddings``) learns word2vec-pair from a
document's (source sentence, its MT) pairs before aligning it (:mod:`workbench.align.selftrain`).
Over many documents, training once on all their pairs is both faster (one model instead of one
per document) and closer to the method's own report, which trained word2vec-pair once on the
whole parallel corpus. This module holds what the project and ``workbench batch`` share:

- :func:`uses_shared_model`: whether the settings train exactly what a shared model replaces:
  ABLEU, no embedding given, the default single round. ``iterations`` > 1 asks for the
  train → re-align loop on each document's own confident units, which no shared model can
  stand in for: that stays per document. Documents without any MT are trained on a first
  pass's units (per document, as before): only translated documents use a shared model.
- :func:`corpus_digest`: a digest of exactly what training reads (each translated document's
  source and MT sentences, reverse MT and target sentences, the training parameters, the
  tokenizer): a stored model is reused while its digest matches and retrained when a document
  is added, removed or its text or translation changes.
- :func:`train_shared`: the model, trained with the same parameters as one self-training round
  (so a corpus of one document gives that document's own model), in its stored form (float32
  whole-word vectors with side counts; what a reader of the project gets back).
- :func:`shared_aligner`: the aligner a document gets over that model, the scorers built as
  self-training builds them; the word-similarity objects (and their nearest-neighbour mask, a
  vocabulary × vocabulary product) are built once per model and reused for every document.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from workbench.align.bleualign import Aligner

if TYPE_CHECKING:
    from workbench.align.pipeline import AlignSettings, Documents

#: Bump when what a digest covers changes (older stored models are then retrained once).
DIGEST_VERSION = 1


def uses_shared_model(settings: AlignSettings, docs: Documents | None = None) -> bool:
    """True when ``settings`` self-train ABLEU with one round and no given embedding (and,
    with ``docs``, those documents have a translation to learn from)."""
    return (
        settings.scorer == "ableu"
        and settings.embeddings is None
        and settings.rounds == 1
        and (docs is None or docs.translated)
    )


def training_params(settings: AlignSettings) -> dict[str, Any]:
    """word2vec-pair's parameters: those of one self-training round on a translated document."""
    opt = settings.self_training_options()
    return {
        "subword": opt.subword,
        "vector_size": opt.vector_size,
        "epochs": opt.epochs,
        "window": opt.window,
        "seed": opt.seed,
        "bucket": opt.bucket,
        "method": opt.method,  # counts (PPMI + SVD) or gensim's skip-gram
    }


def corpus_digest(corpus: Iterable[Documents], settings: AlignSettings) -> str:
    """A digest of what :func:`train_shared` learns from (see the module's docstring)."""
    head = {
        "version": DIGEST_VERSION,
        "params": training_params(settings),
        "tokenize": settings.tokenize,
        "lowercase": settings.lowercase,
    }
    h = hashlib.sha1(json.dumps(head, sort_keys=True).encode("utf-8"))

    def text(lines: Sequence[str]) -> None:
        data = "\n".join(lines).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)

    for docs in corpus:
        for mt in docs.mt:
            h.update(b"mt")
            text(docs.source.sentences)
            text(mt.sentences)
        for rev in docs.mt_reverse:
            h.update(b"rev")
            text(rev.sentences)
            text(docs.target.sentences)
    return h.hexdigest()


def training_pairs(corpus: Iterable[Documents], settings: AlignSettings) -> list:
    """Every document's (source, MT) and (reverse MT, target) token pairs, in order."""
    from workbench.align.selftrain import translation_pairs
    from workbench.scoring import BleuScorer

    words = BleuScorer(order=1, tokenize=settings.tokenize, lowercase=settings.lowercase).tokenize
    pairs: list = []
    for docs in corpus:
        pairs += translation_pairs(docs.source, docs.target, docs.mt, docs.mt_reverse, words)
    return pairs


def train_shared(
    corpus: Sequence[Documents],
    settings: AlignSettings,
    progress: Callable[[float], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Any | None:
    """word2vec-pair over the corpus's translation pairs, in its stored form; None when there
    are fewer than 2 pairs (nothing to learn: documents then align with BLEU, as
    self-training does)."""
    from workbench.embeddings import train_embeddings
    from workbench.project.embeddings import pack, unpack

    pairs = training_pairs(corpus, settings)
    if len(pairs) < 2:
        return None
    vectors = train_embeddings(
        pairs, mode="pair", progress=progress, cancel=cancel, **training_params(settings)
    )
    # Align with exactly what the project (or a batch's workers) will read back.
    return unpack(pack(vectors))


# Word similarities per model: building one costs a vocabulary × vocabulary product (the
# mutual-neighbour mask), paid once per model rather than once per document.
_SIMILARITIES: OrderedDict[tuple[int, float, int | None, bool], Any] = OrderedDict()
_MODELS: dict[int, Any] = {}  # keeps each cached model alive, so that its id stays its own
_KEEP = 4


def _similarity(vectors: Any, threshold: float, mutual: int | None, numbers: bool) -> Any:
    from workbench.scoring import WordSimilarity

    key = (id(vectors), float(threshold), mutual, numbers)
    if key in _SIMILARITIES:
        _SIMILARITIES.move_to_end(key)
        return _SIMILARITIES[key]
    sim = WordSimilarity(vectors, threshold=threshold, mutual=mutual, exact_numbers=numbers)
    _SIMILARITIES[key] = sim
    _MODELS[id(vectors)] = vectors
    while len(_SIMILARITIES) > _KEEP:
        _SIMILARITIES.popitem(last=False)
    live = {k[0] for k in _SIMILARITIES}
    for k in [k for k in _MODELS if k not in live]:
        del _MODELS[k]
    return sim


def shared_aligner(settings: AlignSettings, docs: Documents, vectors: Any | None) -> Aligner:
    """ABLEU over a shared model for translated ``docs``, as one self-training round builds it
    (MT vs target at the self-training threshold, source vs target at the cross threshold,
    mutual nearest neighbours, exact numbers); BLEU when ``vectors`` is None."""
    from workbench.scoring import AbleuScorer, BleuScorer

    order = settings.order_for(docs.translated)
    options = settings.aligner_options()
    tok, low = settings.tokenize, settings.lowercase
    if vectors is None:
        return Aligner(BleuScorer(order=order, tokenize=tok, lowercase=low), options)
    opt = settings.self_training_options()
    main = _similarity(vectors, opt.threshold, opt.mutual, opt.exact_numbers)
    cross = _similarity(vectors, opt.cross_threshold, opt.mutual, opt.exact_numbers)
    return Aligner(
        AbleuScorer(main, order=order, tokenize=tok, lowercase=low),
        options,
        cross_lingual=AbleuScorer(cross, order=1, tokenize=tok, lowercase=low),
    )
