"""The :class:`Aligner` façade: MT-based sentence alignment in the manner of Bleualign
(Sennrich & Volk 2010, 2011) over a pluggable scorer.

Per article and translation: score every MT sentence against every target sentence, keep each
one's best few targets and find the order-preserving set of 1–1 pairs with the largest summed
score (anchors, :func:`best_chain`). Then one of two methods: ``dp`` (default), the banded
dynamic programme around the anchors (:mod:`workbench.align.banded_dp`), or ``bleualign``,
Bleualign's greedy gap filling (:mod:`workbench.align.gapfill`). Several translations are
intersected; sentences no unit covers become 1–0 / 0–1 units. The scorer is pluggable (BLEU,
ABLEU, plugins): the aligner only asks it for scores and n-gram statistics.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.align.banded_dp import Lattice, build_lattice, viterbi
from workbench.align.calibration import UnitTexts, calibration_key
from workbench.align.defaults import DP_WEIGHT
from workbench.align.evidence import (
    deletion_share,
    document_deletions,
    prune_merges,
    with_cross_margin,
)
from workbench.align.gapfill import greedy_align
from workbench.align.posterior import mea_lattice, posteriors, with_deletions
from workbench.align.units import AlignmentUnit
from workbench.errors import CancelledError, InputError
from workbench.scoring.base import Scorer, Segments
from workbench.textio import Document, check_parallel, check_same_articles

Ids = tuple[int, ...]
Pair = tuple[Ids, Ids]


@dataclass
class AlignerOptions:
    """Settings of the alignment search (defaults are Bleualign's)."""

    max_alternatives: int = 3  # best targets kept per MT sentence for the anchor search
    max_merge: int = (
        4  # largest N for 1–N / N–1 units (Bleualign: 2; 4 measured better on textberg-dev)
    )
    gap_window: int = 12  # gap sentences (from each end) considered for re-scoring
    gap_one_to_one: bool = True  # pair a gap's first sentences when the scorer confirms it
    gale_church: bool = True  # align balanced leftover gaps by sentence length
    min_score: float = 0.0  # anchors must score above this
    # Multiply scores by the Gale–Church length probability (ratio estimated per article).
    # None: only when no translation is given, where cross-lingual word scores are weak.
    length_prior: bool | None = None
    # "bleualign": anchors + Bleualign's greedy gap filling; "dp": anchors place a band in
    # which one dynamic programme over beads up to dp_max_merge × dp_max_merge weighs
    # Gale–Church length costs against the scores of the merged sentences (see
    # workbench.align.banded_dp). None = dp: on textberg-dev it beats the greedy gap filling
    # for every MT system and scorer (docs/evaluation.md, "Alignment quality").
    method: str | None = None
    dp_weight: float = DP_WEIGHT  # score bonus per bead in the dp method (align/defaults.py)
    dp_max_merge: int = 4  # largest number of sentences on one side of a dp bead
    # Sentences either side of the anchor path searched by dp. None: 4 with a translation
    # (MT anchors are reliable: 4 and 12 give the same F1 on textberg-dev, 4 scores a third of
    # the beads), the wider default of workbench.align.banded_dp without one.
    dp_band: int | None = None
    # With a translation, dp also rewards a bead by this fraction of the exact unigram BLEU of
    # its source sentences against its target sentences: names, numbers and cognates that the
    # MT system changed or dropped still tie the right sentences together. Scorer-independent
    # (always exact BLEU), so BLEU and ABLEU runs get the same extra evidence. 0.2 measured on
    # textberg-dev: +0.015 / +0.005 / +0.017 strict F1 (europarlfull / europarllight / google).
    source_target_weight: float = 0.2
    # With a cross-lingual scorer given to the Aligner (ABLEU over a bilingual word2vec-pair
    # space), that scorer replaces the exact view above with this weight: soft matches tie a
    # source word to its translation, not only names and numbers to themselves, so the view
    # carries more evidence and earns more weight. 1.0 measured on textberg-dev (0.7 / 1.5:
    # lower on two of the three MT systems; docs/evaluation.md, "Alignment quality").
    cross_lingual_weight: float = 1.0
    # Leaving a sentence unaligned in dp costs this (None: −log of Gale–Church's 1–0 prior,
    # 5.3), and with dp_background each bead's score counts only above that quantile of the
    # scores its bead type gets over the band (what random pairs of the document score); dp
    # emits a pair only if forward–backward over its lattice gives it at least
    # dp_min_posterior. 3.5 / 0.1 / 0.25 raise strict F1 on comparable documents by 5–9
    # points and BLEU's on clean textberg-dev too, but not yet safe as defaults: on a short
    # excerpt whose band is off they leave long runs unaligned (docs/comparable.md).
    dp_deletion_cost: float | None = None
    dp_background: float | None = None
    dp_min_posterior: float = 0.0
    # Comparable documents (docs/comparable.md): re-estimate the share of sentences this
    # document leaves unaligned (expectation–maximisation over dp's lattice, from 10 %) and
    # use it when it raises the lattice's log-likelihood by more than this many nats per
    # sentence, else keep Gale–Church's 1 %. On textberg-dev clean documents gain 0.03–0.08
    # (kept as they are), made comparable 0.40–0.52. None: never re-estimate.
    dp_reestimate_gain: float | None = 0.15
    # On such a document (deletion share re-estimated), an end sentence of a merged unit is
    # left unaligned while the unit scores as well without it: a merge must raise the match,
    # not just even out the lengths (docs/comparable.md). Clean documents are not touched.
    dp_prune_merges: bool = True
    # On such a document dp's path is the one of largest summed posterior (maximum expected
    # accuracy), each pair bead counting this much more (a negative gain favours pairs over
    # the deletions they replace); None: decoded as dp_decoding says. The cheapest path
    # glues more: ABLEU yield 75 % where 70 % is true; with MEA (−0.25) 72–73 %, strict F1
    # +0.2 to +0.8 points (docs/comparable.md).
    dp_comparable_mea_gain: float | None = -0.25
    # On such a document with a second view (the cross-lingual or source–target scores), each
    # pair bead's cross score counts as a margin: minus this share of the mean of its
    # sentences' dp_margin_neighbours best cross scores in the band (what the sentence scores
    # against anything; evidence.with_cross_margin), the deletion share then re-estimated;
    # None: no margin. The margin lowers the cross bonus, so the path is decoded with
    # dp_comparable_margin_mea_gain instead of dp_comparable_mea_gain. Comparable
    # textberg-dev, seeds 1–6: ABLEU precision +1.7 to +3.3 points, strict F1 +0.7 to +2.4,
    # yield within 1.2 points of the true one; BLEU F1 −0.6 to +0.7 (docs/comparable.md).
    dp_comparable_margin: float | None = 0.5
    dp_margin_neighbours: int = 3
    dp_comparable_margin_mea_gain: float = -0.3
    # "viterbi": dp's cheapest path; "mea": the path of largest summed bead posterior
    # (maximum expected accuracy). Viterbi stays the default: MEA lowered strict F1 on
    # textberg-dev (docs/confidence.md).
    dp_decoding: str = "viterbi"


@dataclass
class _Run:
    """One translation's alignment: units (pair → score, method, posterior) and each
    sentence's posterior probability of being left unaligned."""

    pairs: dict[Pair, tuple[float | None, str, float]]
    unaligned_source: np.ndarray
    unaligned_target: np.ndarray


def best_chain(points: list[tuple[int, int, float]], width: int) -> list[tuple[int, int]]:
    """The strictly increasing (i, j) chain of largest summed score (a sparse DP).

    Points are processed row by row with a Fenwick tree of prefix maxima over j, so the cost is
    O(P log width) for P candidate pairs instead of a full n × m table.
    """
    tree_val = [0.0] * (width + 1)
    tree_arg = [-1] * (width + 1)

    def query(j: int) -> tuple[float, int]:  # best over columns < j
        best, arg = 0.0, -1
        while j > 0:
            if tree_val[j] > best:
                best, arg = tree_val[j], tree_arg[j]
            j -= j & -j
        return best, arg

    def update(j: int, value: float, arg: int) -> None:
        j += 1
        while j <= width:
            if value > tree_val[j]:
                tree_val[j], tree_arg[j] = value, arg
            j += j & -j

    points = sorted(points)
    total = [0.0] * len(points)
    prev = [-1] * len(points)
    start = 0
    while start < len(points):
        stop = start
        while stop < len(points) and points[stop][0] == points[start][0]:
            stop += 1
        for p in range(start, stop):  # same row: read before any of the row is written
            best, arg = query(points[p][1])
            total[p], prev[p] = best + points[p][2], arg
        for p in range(start, stop):
            update(points[p][1], total[p], p)
        start = stop
    if not points:
        return []
    p = int(np.argmax(total))
    chain = []
    while p >= 0:
        chain.append((points[p][0], points[p][1]))
        p = prev[p]
    chain.reverse()
    return chain


def _bead_score(lattice: Lattice, src: Ids, tgt: Ids) -> float:
    """The scorer's score of the bead joining these consecutive ids, from the lattice."""
    return float(lattice.bead_scores[(len(src), len(tgt))][lattice.cell(src[-1] + 1, tgt[-1] + 1)])


class Aligner:
    """Bleualign's algorithm over any :class:`~workbench.scoring.base.Scorer`."""

    def __init__(
        self,
        scorer: Scorer,
        options: AlignerOptions | None = None,
        cross_lingual: Scorer | None = None,
    ):
        """``cross_lingual``: a scorer of source-language sentences against target-language
        ones (ABLEU in a bilingual word2vec-pair space); with a translation, the dp method adds
        its score of each bead's original sentences against its target sentences, weighted by
        ``options.cross_lingual_weight``, in place of the exact source–target view."""
        self.scorer = scorer
        self.options = options or AlignerOptions()
        self.cross_lingual = cross_lingual

    # -- documents ------------------------------------------------------------------------------
    def align(
        self,
        source: Document,
        target: Document,
        mt: Sequence[Document] = (),
        mt_reverse: Sequence[Document] = (),
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> list[AlignmentUnit]:
        """Align two documents article by article; ids are document-level sentence ids.

        ``mt`` are translations of ``source`` into the target language (line-aligned with the
        source), ``mt_reverse`` translations of ``target`` into the source language. With
        several, only alignments found with every one are kept (Bleualign's intersection).
        With none, the source is scored against the target directly (useful with a bilingual
        word2vec-pair embedding).
        """
        check_same_articles(source, target)
        for doc in mt:
            check_parallel(source, doc)
        for doc in mt_reverse:
            check_parallel(target, doc, what="reverse translation")
        units: list[AlignmentUnit] = []
        total = len(source.articles)
        for a, ((s0, s1), (t0, t1)) in enumerate(
            zip(source.articles, target.articles, strict=True)
        ):
            if cancel and cancel():
                raise CancelledError("alignment cancelled")
            src = source.sentences[s0:s1]
            tgt = target.sentences[t0:t1]
            forward = [doc.sentences[s0:s1] for doc in mt]
            backward = [doc.sentences[t0:t1] for doc in mt_reverse]
            for unit in self.align_article(src, tgt, forward, backward):
                units.append(
                    AlignmentUnit(
                        tuple(i + s0 for i in unit.source),
                        tuple(j + t0 for j in unit.target),
                        unit.score,
                        unit.method,
                        unit.confidence,
                    )
                )
            if progress:
                progress(a + 1, total)
        return units

    def align_article(
        self,
        source: list[str],
        target: list[str],
        mt: Sequence[list[str]] = (),
        mt_reverse: Sequence[list[str]] = (),
    ) -> list[AlignmentUnit]:
        """Align one article (local ids), combining all translations given."""
        if not source or not target:
            # Nothing to align with: surely unaligned.
            return [AlignmentUnit((i,), (), None, "unaligned", 1.0) for i in range(len(source))] + [
                AlignmentUnit((), (j,), None, "unaligned", 1.0) for j in range(len(target))
            ]
        runs: list[_Run] = []
        no_mt = not mt and not mt_reverse
        prior = self.options.length_prior
        if prior is None:
            prior = no_mt
        method = self.options.method or "dp"
        if method not in ("bleualign", "dp"):
            raise InputError(f"unknown alignment method {method!r}; choose bleualign or dp")
        one = self._align_dp if method == "dp" else self._align_one
        for trans in mt or ([] if mt_reverse else [source]):
            runs.append(one(trans, target, source if prior or method == "dp" else None))
        for trans in mt_reverse:
            mirrored = one(trans, source, target if prior or method == "dp" else None)
            runs.append(
                _Run(
                    {(t, s): v for (s, t), v in mirrored.pairs.items()},
                    mirrored.unaligned_target,
                    mirrored.unaligned_source,
                )
            )
        kept = runs[0].pairs
        for other in runs[1:]:
            # Bleualign's intersection; a unit is as sure as its least sure run says.
            kept = {
                pair: (v[0], v[1], min(v[2], other.pairs[pair][2]))
                for pair, v in kept.items()
                if pair in other.pairs
            }
        unaligned_s = np.mean([r.unaligned_source for r in runs], axis=0)
        unaligned_t = np.mean([r.unaligned_target for r in runs], axis=0)
        # The calibration compares words in one language: the first translation of the source
        # (or the source against the reverse translation of the target), else the texts as
        # they are (names and numbers).
        # Sentence boundaries are read in the texts themselves.
        if mt:
            texts = UnitTexts(mt[0], target, original_source=source)
        elif mt_reverse:
            texts = UnitTexts(source, mt_reverse[0], original_target=target)
        else:
            texts = UnitTexts(source, target)
        key = calibration_key(self.scorer, not no_mt)
        return with_deletions(kept, len(source), len(target), unaligned_s, unaligned_t, texts, key)

    # -- one translation ------------------------------------------------------------------------
    def _align_one(
        self, trans: list[str], target: list[str], original: list[str] | None = None
    ) -> _Run:
        """Anchors, then Bleualign's greedy gap filling (:mod:`workbench.align.gapfill`); each
        unit's posterior from the dp method's lattice (the greedy filling has none)."""
        units = greedy_align(self.scorer, self.options, self._anchors, trans, target, original)
        post = posteriors(self._lattice(trans, target, original))
        pairs = {pair: (score, method, post.bead(*pair)) for pair, (score, method) in units.items()}
        return _Run(pairs, post.unaligned_source(), post.unaligned_target())

    def _anchors(
        self, cands: Segments, refs: Segments, prior: np.ndarray | None = None
    ) -> list[tuple[int, int]]:
        """1–1 pairs of the largest summed score among each MT sentence's best targets."""
        opt = self.options
        scores = self.scorer.matrix(cands, refs, symmetric=True, keep=opt.max_alternatives)
        if prior is not None:
            scores = scores * prior
        keep = min(opt.max_alternatives, scores.shape[1])
        top = np.argpartition(-scores, keep - 1, axis=1)[:, :keep]
        points = [
            (i, int(j), float(scores[i, j]))
            for i in range(len(cands))
            for j in top[i]
            if scores[i, j] > opt.min_score
        ]
        return best_chain(points, len(refs))

    def _align_dp(
        self, trans: list[str], target: list[str], original: list[str] | None = None
    ) -> _Run:
        """Anchors, then the length-and-score dynamic programme in a band around them; each
        unit's posterior from forward–backward over the same lattice."""
        lattice = self._lattice(trans, target, original)
        post = posteriors(lattice)
        floor = self.options.dp_min_posterior
        comparable = lattice.deletion_rate is not None
        gain = self.options.dp_comparable_mea_gain if comparable else None
        if gain is not None and lattice.cross_margin:
            gain = self.options.dp_comparable_margin_mea_gain
        if self.options.dp_decoding == "mea" or gain is not None:
            path = [
                (s, t, _bead_score(lattice, s, t) if s and t else None)
                for s, t, _ in viterbi(mea_lattice(post, gain or 0.0))
            ]
        else:
            path = viterbi(lattice)
        if self.options.dp_prune_merges and comparable:
            kept = prune_merges(lattice, [(s, t) for s, t, _ in path if s and t])
            path = [(s, t, _bead_score(lattice, s, t)) for s, t in kept]
        pairs = {}
        for s, t, score in path:
            if s and t:
                p = post.bead(s, t)
                if p >= floor:
                    pairs[(s, t)] = (score, "dp", p)
        return _Run(pairs, post.unaligned_source(), post.unaligned_target())

    def _lattice(
        self,
        trans: list[str],
        target: list[str],
        original: list[str] | None = None,
        anchors: list[tuple[int, int]] | None = None,
    ) -> Lattice:
        """The dp method's lattice: its band around the anchors, its bead costs."""
        scorer = self.scorer
        cands = scorer.prepare(trans)
        refs = scorer.prepare(target)
        if anchors is None:
            anchors = self._anchors(cands, refs)
        opt = self.options
        translated = original is not None and trans is not original
        cross, cross_weight = None, 0.0
        if translated and self.cross_lingual is not None and opt.cross_lingual_weight > 0:
            cross, cross_weight = self.cross_lingual, opt.cross_lingual_weight
        elif translated and opt.source_target_weight > 0:
            from workbench.scoring.bleu import BleuScorer

            cross = BleuScorer(
                order=1, tokenize=getattr(scorer, "tokenize_name", "13a"), lowercase=True
            )
            cross_weight = opt.source_target_weight
        lattice = build_lattice(
            scorer,
            trans,
            target,
            original,
            weight=opt.dp_weight,
            anchors=anchors,
            max_merge=opt.dp_max_merge,
            band=opt.dp_band or (4 if translated else None),
            cross_scorer=cross,
            cross_weight=cross_weight,
            source_segments=cands,
            target_segments=refs,
            deletion_cost=opt.dp_deletion_cost,
            background=opt.dp_background,
        )
        if opt.dp_reestimate_gain is not None:
            assumed = deletion_share(opt.dp_deletion_cost)
            moved, _, _ = document_deletions(lattice, assumed, min_gain=opt.dp_reestimate_gain)
            margin = opt.dp_comparable_margin
            if moved.deletion_rate is not None and margin:
                # A comparable document: the cross view's scores count as margins over each
                # sentence's background, and the deletion share is estimated again for them.
                margined = with_cross_margin(lattice, margin, opt.dp_margin_neighbours)
                if margined.cross_margin:
                    again, _, _ = document_deletions(margined, assumed, min_gain=-math.inf)
                    if again.deletion_rate is not None:
                        moved = again
            lattice = moved
        return lattice
