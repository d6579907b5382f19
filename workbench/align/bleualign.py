"""MT-based sentence alignment in the manner of Bleualign (Sennrich & Volk 2010, 2011).

Per article and translation: score every MT sentence against every target sentence, keep each
one's best few targets, find the order-preserving set of 1–1 pairs with the largest summed score
(anchors), then fill the gaps between anchors: grow an anchor into a 1–N / N–1 unit when the
merged sentences score better, pair the gap's first sentences when the scorer confirms them,
align balanced gaps by length (Gale–Church), and leave the rest as 1–0 / 0–1. The scorer is
pluggable (BLEU, ABLEU, plugins): the aligner only asks it for scores and n-gram statistics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from workbench.align.galechurch import gale_church, length_probability
from workbench.align.lexical import lexical_align
from workbench.align.units import AlignmentUnit
from workbench.errors import CancelledError, InputError
from workbench.scoring.base import Scorer, Segments, harmonic_mean
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
    # workbench.align.lexical). None = dp: on textberg-dev it beats the greedy gap filling
    # for every MT system and scorer (docs/evaluation.md, "Alignment quality").
    method: str | None = None
    dp_weight: float = 30.0  # score bonus per bead in the dp method (measured on textberg-dev)
    dp_max_merge: int = 4  # largest number of sentences on one side of a dp bead
    # Sentences either side of the anchor path searched by dp. None: 4 with a translation
    # (MT anchors are reliable: 4 and 12 give the same F1 on textberg-dev, 4 scores a third of
    # the beads), the wider default of workbench.align.lexical without one.
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


@dataclass
class _Candidate:
    score: float
    target: Ids
    matches: tuple[float, ...]


class _GapScorer:
    """Scores groups of consecutive sentences (concatenated) inside one gap."""

    def __init__(
        self,
        scorer: Scorer,
        trans: list[list[str]],
        target: list[list[str]],
        prior: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
        trans_chars: list[int] | None = None,
        target_chars: list[int] | None = None,
    ):
        self.scorer, self.trans, self.target = scorer, trans, target
        self.prior, self.trans_chars, self.target_chars = prior, trans_chars, target_chars

    def best_targets(
        self, sources: list[Ids], targets: list[Ids], keep: int
    ) -> dict[Ids, list[_Candidate]]:
        scorer = self.scorer
        cands = scorer.prepare_tokens([_concat(self.trans, ids) for ids in sources])
        refs = scorer.prepare_tokens([_concat(self.target, ids) for ids in targets])
        grid = np.stack(
            np.meshgrid(np.arange(len(sources)), np.arange(len(targets)), indexing="ij"), -1
        ).reshape(-1, 2)
        fwd = scorer.statistics(cands, refs, grid)
        bwd = scorer.statistics(refs, cands, grid[:, ::-1])
        scores = harmonic_mean(scorer.score_statistics(fwd), scorer.score_statistics(bwd))
        scores = scores.reshape(len(sources), len(targets))
        if self.prior is not None:
            src_len = np.array([sum(self.trans_chars[i] for i in ids) for ids in sources])
            tgt_len = np.array([sum(self.target_chars[j] for j in ids) for ids in targets])
            scores = scores * self.prior(src_len[:, None], tgt_len[None, :])
        matches = fwd.matches.reshape(len(sources), len(targets), -1)
        out: dict[Ids, list[_Candidate]] = {}
        for s, ids in enumerate(sources):
            order = np.argsort(-scores[s], kind="stable")[:keep]
            out[ids] = [
                _Candidate(float(scores[s, t]), targets[t], tuple(matches[s, t]))
                for t in order
                if scores[s, t] > 0
            ]
        return out


def _concat(sentences: list[list[str]], ids: Ids) -> list[str]:
    out: list[str] = []
    for i in ids:
        out.extend(sentences[i])
    return out


def _groups(items: list[Ids], max_merge: int) -> list[Ids]:
    """The items and every run of up to ``max_merge`` consecutive items, merged."""
    out = list(items)
    for n in range(2, max_merge + 1):
        for start in range(len(items) - n + 1):
            merged = tuple(i for ids in items[start : start + n] for i in ids)
            out.append(merged)
    return list(dict.fromkeys(ids for ids in out if ids))


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
            return [AlignmentUnit((i,), (), None, "unaligned") for i in range(len(source))] + [
                AlignmentUnit((), (j,), None, "unaligned") for j in range(len(target))
            ]
        runs: list[dict[Pair, tuple[float | None, str]]] = []
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
            runs.append({(t, s): v for (s, t), v in mirrored.items()})
        kept = runs[0]
        for other in runs[1:]:
            kept = {pair: v for pair, v in kept.items() if pair in other}
        return _with_deletions(kept, len(source), len(target))

    # -- one translation ------------------------------------------------------------------------
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
    ) -> dict[Pair, tuple[float | None, str]]:
        """Anchors, then the length-and-score dynamic programme in a band around them."""
        scorer = self.scorer
        cands = scorer.prepare(trans)
        refs = scorer.prepare(target)
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
        beads = lexical_align(
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
        )
        return {(s, t): (score, "dp") for s, t, score in beads if s and t}

    def _align_one(
        self, trans: list[str], target: list[str], original: list[str] | None = None
    ) -> dict[Pair, tuple[float | None, str]]:
        """Align ``trans`` (a translation of ``original``) with ``target``.

        With ``original`` given, scores are weighted by the length probability of the original
        sentences against the target sentences.
        """
        if len(trans) == 0:
            raise InputError("empty translation")
        prior_fn = None
        orig_chars = tgt_chars = None
        if original is not None:
            orig_chars = [len(s) for s in original]
            tgt_chars = [len(s) for s in target]
            ratio = max(sum(tgt_chars), 1) / max(sum(orig_chars), 1)

            def prior_fn(a: np.ndarray, b: np.ndarray) -> np.ndarray:
                return length_probability(a, b, ratio)

        scorer = self.scorer
        trans_tok = [scorer.tokenize(s) for s in trans]
        target_tok = [scorer.tokenize(s) for s in target]
        cands = scorer.prepare_tokens(trans_tok)
        refs = scorer.prepare_tokens(target_tok)
        prior = None
        if prior_fn is not None:
            prior = prior_fn(np.array(orig_chars)[:, None], np.array(tgt_chars)[None, :])
        anchors = self._anchors(cands, refs, prior)
        gaps = _GapScorer(scorer, trans_tok, target_tok, prior_fn, orig_chars, tgt_chars)
        result: dict[Pair, tuple[float | None, str]] = {}
        methods: dict[Pair, str] = {}

        def emit(pair: Pair, method: str) -> None:
            if pair[0] and pair[1]:
                methods[pair] = method

        last: Pair = ((), ())
        last_method = "anchor"
        for i, j in anchors:
            anchor: Pair = ((i,), (j,))
            src_gap = list(range((last[0][-1] + 1) if last[0] else 0, i))
            tgt_gap = list(range((last[1][-1] + 1) if last[1] else 0, j))
            if src_gap or tgt_gap:
                last, last_method = self._fill_gap(gaps, src_gap, tgt_gap, last, anchor, emit)
            else:
                emit(last, last_method)
                last, last_method = anchor, "anchor"
        src_gap = list(range((last[0][-1] + 1) if last[0] else 0, len(trans)))
        tgt_gap = list(range((last[1][-1] + 1) if last[1] else 0, len(target)))
        if src_gap or tgt_gap:
            last, last_method = self._fill_gap(gaps, src_gap, tgt_gap, last, ((), ()), emit)
        emit(last, last_method)

        # Final scores of every unit, its sentences concatenated, in one batch.
        pairs = list(methods)
        if pairs:
            s_seg = scorer.prepare_tokens([_concat(trans_tok, p[0]) for p in pairs])
            t_seg = scorer.prepare_tokens([_concat(target_tok, p[1]) for p in pairs])
            idx = np.arange(len(pairs))
            final = scorer.pair_scores(s_seg, t_seg, np.stack([idx, idx], 1))
            for pair, score in zip(pairs, final, strict=True):
                result[pair] = (float(score), methods[pair])
        return result

    def _fill_gap(
        self,
        gaps: _GapScorer,
        src_gap: list[int],
        tgt_gap: list[int],
        pregap: Pair,
        postgap: Pair,
        emit: Callable[[Pair, str], None],
    ) -> tuple[Pair, str]:
        """Bleualign's gap filler; returns the (possibly grown) post-gap unit."""
        opt = self.options
        w = opt.gap_window
        src_items = [pregap[0]] + [
            (s,) for k, s in enumerate(src_gap) if k < w or len(src_gap) - k <= w
        ]
        tgt_items = [pregap[1]] + [
            (t,) for k, t in enumerate(tgt_gap) if k < w or len(tgt_gap) - k <= w
        ]
        src_items.append(postgap[0])
        tgt_items.append(postgap[1])
        sources = _groups(_contiguous(src_items), opt.max_merge)
        targets = _groups(_contiguous(tgt_items), opt.max_merge)
        best = (
            gaps.best_targets(sources, targets, opt.max_alternatives) if sources and targets else {}
        )
        pre_method, post_method = "anchor", "anchor"

        def top(ids: Ids) -> _Candidate | None:
            found = best.get(ids)
            return found[0] if found else None

        while src_gap or tgt_gap:
            if src_gap and opt.max_merge > 1:
                # Grow the pre-gap unit by the gap's first source sentence if that scores better.
                if pregap[0] and len(pregap[0]) < opt.max_merge:
                    old, new = top(pregap[0]), top(pregap[0] + (src_gap[0],))
                    if old and new and _better(new, old) and new.target == pregap[1]:
                        pregap = (pregap[0] + (src_gap.pop(0),), pregap[1])
                        pre_method = "merge"
                        continue
                if postgap[0] and len(postgap[0]) < opt.max_merge:
                    old, new = top(postgap[0]), top((src_gap[-1],) + postgap[0])
                    if old and new and _better(new, old) and new.target == postgap[1]:
                        postgap = ((src_gap.pop(),) + postgap[0], postgap[1])
                        post_method = "merge"
                        continue
            if tgt_gap and opt.max_merge > 1:
                # A pre/post-gap source now prefers a target group that takes in gap sentences.
                for side in ("pre", "post"):
                    unit = pregap if side == "pre" else postgap
                    if not unit[0]:
                        continue
                    new = top(unit[0])
                    if (
                        new
                        and new.target not in (pregap[1], postgap[1])
                        and set(new.target) <= set(unit[1]) | set(tgt_gap)
                        and set(new.target) & set(tgt_gap)
                    ):
                        tgt_gap[:] = [t for t in tgt_gap if t not in new.target]
                        if side == "pre":
                            pregap, pre_method = (unit[0], new.target), "merge"
                        else:
                            postgap, post_method = (unit[0], new.target), "merge"
                        break
                else:
                    new = None
                if new is not None:
                    continue
            if src_gap and tgt_gap:
                if opt.gap_one_to_one:
                    first = top((src_gap[0],))
                    if first and first.target == (tgt_gap[0],):
                        emit(pregap, pre_method)
                        pregap, pre_method = ((src_gap.pop(0),), (tgt_gap.pop(0),)), "gap"
                        continue
                longer, shorter = max(len(src_gap), len(tgt_gap)), min(len(src_gap), len(tgt_gap))
                if opt.gale_church and (longer < 4 or longer / shorter < 2):
                    emit(pregap, pre_method)
                    pregap = ((), ())
                    src_len = [len(" ".join(gaps.trans[s])) for s in src_gap]
                    tgt_len = [len(" ".join(gaps.target[t])) for t in tgt_gap]
                    for s_ids, t_ids in gale_church(src_len, tgt_len):
                        emit(
                            (tuple(src_gap[k] for k in s_ids), tuple(tgt_gap[k] for k in t_ids)),
                            "length",
                        )
            break
        emit(pregap, pre_method)
        return postgap, post_method


def _contiguous(items: list[Ids]) -> list[Ids]:
    return [ids for ids in items if ids]


def _better(new: _Candidate, old: _Candidate) -> bool:
    return new.score > old.score and new.matches > old.matches


def _with_deletions(
    kept: dict[Pair, tuple[float | None, str]], n_source: int, n_target: int
) -> list[AlignmentUnit]:
    """Units in document order, with every sentence no unit covers as a 1–0 or 0–1 unit."""
    units = sorted(kept.items(), key=lambda kv: (kv[0][0][0], kv[0][1][0]))
    used_s = {i for (s, _), _v in units for i in s}
    used_t = {j for (_, t), _v in units for j in t}
    out: list[AlignmentUnit] = []
    next_s = next_t = 0

    def flush(upto_s: int, upto_t: int) -> None:
        nonlocal next_s, next_t
        while next_s < upto_s:
            if next_s not in used_s:
                out.append(AlignmentUnit((next_s,), (), None, "unaligned"))
            next_s += 1
        while next_t < upto_t:
            if next_t not in used_t:
                out.append(AlignmentUnit((), (next_t,), None, "unaligned"))
            next_t += 1

    for (s, t), (score, method) in units:
        flush(min(s), min(t))
        out.append(AlignmentUnit(s, t, score, method))
        next_s, next_t = max(next_s, max(s) + 1), max(next_t, max(t) + 1)
    flush(n_source, n_target)
    return out
