"""What the review window shades, and how strongly: "why this pair" per word, per cell.

For every unit the :class:`Explainer` gives each text cell its shaded spans
``(start, end, match, weight)``:

- **MT and target**: each word's best match on the other side (exact, or similar through the
  embedding ABLEU scored with); a target word without one may still have a pair-space partner
  in the *source* sentence, which shades it as similar too.
- **Source**: source words found in the target as they are (names, numbers) or whose
  pair-space partner is there (self-trained ABLEU's word2vec-pair model, kept in the project by
  :mod:`workbench.project.embeddings`).

``weight`` says how much the match tells (:class:`~workbench.scoring.weights.WordWeights`:
inverse document frequency over the document's sentences on that side), so content words,
names and numbers are shaded and words found in most sentences are not. Weights and the
embedding come per document from a :class:`ShadingContext` (built once per document by
:class:`ProjectShading`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.scoring.explain import EXACT, NONE, SOFT, WordMatch, explain_pair
from workbench.scoring.weights import WordWeights, is_word

if TYPE_CHECKING:
    from workbench.project import Project

Shade = tuple[int, int, WordMatch, float]  # (start, end, match, weight)
SIDES = ("source", "mt", "target")


@dataclass
class ShadingContext:
    """One document's word weights per side and the embeddings that score its pairs."""

    weights: dict[str, WordWeights] = field(default_factory=dict)
    similarity: Any = None  # MT vs target (both in the target language)
    cross: Any = None  # source vs target (the pair space)
    model: str = ""  # what the embedding is, for tooltips and the status bar

    def weight(self, side: str, token: str) -> float:
        weights = self.weights.get(side)
        if weights is None:
            return 1.0 if is_word(token) else 0.0
        return weights.weight(token)


class Explainer:
    """Shaded spans of a unit's three texts, cached by unit id and texts."""

    def __init__(
        self,
        tokenize: Callable[[str], list[str]],
        similarity: Any = None,
        capacity: int = 2000,
        context: Callable[[int | None], ShadingContext | None] | None = None,
    ) -> None:
        self.tokenize = tokenize
        self.similarity = similarity
        self.capacity = capacity
        self.context = context
        self._cache: OrderedDict[tuple, tuple[list[Shade], list[Shade], list[Shade]]] = (
            OrderedDict()
        )

    def context_for(self, unit: Any) -> ShadingContext:
        found = self.context(getattr(unit, "doc_id", None)) if self.context else None
        return found or ShadingContext()

    def cells(self, unit: Any) -> tuple[list[Shade], list[Shade], list[Shade]]:
        """Shades of the source, MT and target cells."""
        key = (unit.id, unit.source_text, unit.mt_text, unit.target_text)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        ctx = self.context_for(unit)
        similarity = ctx.similarity if ctx.similarity is not None else self.similarity
        source, mt, target = unit.source_text or "", unit.mt_text or "", unit.target_text or ""
        mt_spans, tgt_spans = explain_pair(mt, target, self.tokenize, similarity)
        src_spans: list = []
        if source and target:
            src_spans, tgt_vs_src = explain_pair(source, target, self.tokenize, ctx.cross)
            if len(tgt_vs_src) == len(tgt_spans):
                tgt_spans = [
                    (a, b, _from_source(m, o) if m.kind == NONE else m)
                    for (a, b, m), (_, _, o) in zip(tgt_spans, tgt_vs_src, strict=True)
                ]
        hit = (
            [(a, b, m, ctx.weight("source", m.token)) for a, b, m in src_spans],
            [(a, b, m, ctx.weight("mt", m.token)) for a, b, m in mt_spans],
            [(a, b, m, ctx.weight("target", m.token)) for a, b, m in tgt_spans],
        )
        self._cache[key] = hit
        if len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return hit

    def spans(self, unit: Any) -> tuple[list[tuple[int, int, WordMatch]], ...]:
        """(MT spans, target spans) as ``(start, end, match)``."""
        _, mt, target = self.cells(unit)
        return [s[:3] for s in mt], [s[:3] for s in target]


def _from_source(match: WordMatch, against_source: WordMatch) -> WordMatch:
    """A target word unmatched in the MT, matched in the source instead (or still none)."""
    if against_source.kind == NONE:
        return match
    return WordMatch(
        match.token, against_source.kind, against_source.best, against_source.sim, "source"
    )


def match_tooltip(match: WordMatch, other_side: str, describe: str = "") -> str:
    where = match.side or other_side
    note = f" · {describe}" if describe else ""
    if match.kind == EXACT:
        return f"“{match.token}” also occurs in the {where} (exact match){note}"
    if match.kind == SOFT:
        if match.best == match.token:
            return f"“{match.token}” also occurs in the {where}{note}"
        return f"“{match.token}” ≈ “{match.best}” in the {where} (similarity {match.sim:.2f}){note}"
    return f"“{match.token}”: no match in the {where}{note}"


class ProjectShading:
    """Per-document :class:`ShadingContext` of a project (cached), for :class:`Explainer`.

    Weights come from the document's own sentences on each side. The embedding: ``similarity``
    (the window's ABLEU setting) when given; else, for ABLEU, the word2vec-pair model kept for
    the document (or the project) with the thresholds self-training aligned with.

    """

    def __init__(
        self,
        project: Project,
        tokenize: Callable[[str], list[str]],
        use_stored_model: bool,
    ) -> None:
        """``use_stored_model``: the window aligns with ABLEU and no embedding is set (a
        document whose latest suggestions came from ABLEU uses its kept model anyway)."""
        self.project = project
        self.tokenize = tokenize
        self.use_stored_model = use_stored_model
        self._contexts: dict[int | None, ShadingContext | None] = {}

    def __call__(self, doc_id: int | None) -> ShadingContext | None:
        if doc_id not in self._contexts:
            try:
                self._contexts[doc_id] = self._build(doc_id)
            except Exception:  # a closed or damaged project: shade without a context
                self._contexts[doc_id] = None
        return self._contexts[doc_id]

    def _build(self, doc_id: int | None) -> ShadingContext | None:
        if doc_id is None or self.project is None:
            return None
        project = self.project
        source, target = project.source(doc_id), project.target(doc_id)
        mt = project.translation(doc_id, "source")
        weights = {
            "source": WordWeights.from_sentences(source.sentences, self.tokenize),
            "target": WordWeights.from_sentences(target.sentences, self.tokenize),
        }
        if mt is not None:
            weights["mt"] = WordWeights.from_sentences(mt.sentences, self.tokenize)
        ctx = ShadingContext(weights)
        runs = project.suggestion_runs(doc_id)
        if self.use_stored_model or (runs and runs[-1].scorer == "ableu"):
            from workbench.align.selftrain import SelfTrainingOptions
            from workbench.project.embeddings import load_embedding
            from workbench.scoring import WordSimilarity

            vectors = load_embedding(project, doc_id)
            if vectors is not None:
                opt = SelfTrainingOptions()

                def space(threshold: float) -> WordSimilarity:
                    return WordSimilarity(
                        vectors,
                        threshold=threshold,
                        mutual=opt.mutual,
                        exact_numbers=opt.exact_numbers,
                    )

                translated = mt is not None or project.translation(doc_id, "target")
                if translated:
                    ctx.similarity = space(opt.threshold)
                    ctx.cross = space(opt.cross_threshold)
                else:
                    ctx.cross = space(opt.no_mt_threshold)
                ctx.model = (
                    f"word2vec-pair kept with the project ({len(vectors.index_to_key)} words)"
                )
        return ctx
