"""Bleualign's greedy gap filling (the ``bleualign`` method of :class:`~workbench.align.Aligner`).

After the anchors (1–1 pairs of the largest summed score), each gap between two anchors is
filled greedily as Bleualign does: grow an anchor into a 1–N / N–1 unit when the merged
sentences score better, pair the gap's first sentences when the scorer confirms them, align
balanced gaps by length (Gale–Church), and leave the rest as 1–0 / 0–1 units.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workbench.align.galechurch import gale_church, length_probability
from workbench.errors import InputError
from workbench.scoring.base import Scorer, Segments, harmonic_mean

if TYPE_CHECKING:
    from workbench.align.bleualign import AlignerOptions

Ids = tuple[int, ...]
Pair = tuple[Ids, Ids]
Anchors = Callable[[Segments, Segments, np.ndarray | None], list[tuple[int, int]]]


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


def greedy_align(
    scorer: Scorer,
    options: AlignerOptions,
    anchors_of: Anchors,
    trans: list[str],
    target: list[str],
    original: list[str] | None = None,
) -> dict[Pair, tuple[float | None, str]]:
    """Align ``trans`` (a translation of ``original``) with ``target``: the anchors
    (``anchors_of(cands, refs, prior)``, 1–1 pairs), then each gap between them filled.

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

    trans_tok = [scorer.tokenize(s) for s in trans]
    target_tok = [scorer.tokenize(s) for s in target]
    cands = scorer.prepare_tokens(trans_tok)
    refs = scorer.prepare_tokens(target_tok)
    prior = None
    if prior_fn is not None:
        prior = prior_fn(np.array(orig_chars)[:, None], np.array(tgt_chars)[None, :])
    anchors = anchors_of(cands, refs, prior)
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
            last, last_method = fill_gap(options, gaps, src_gap, tgt_gap, last, anchor, emit)
        else:
            emit(last, last_method)
            last, last_method = anchor, "anchor"
    src_gap = list(range((last[0][-1] + 1) if last[0] else 0, len(trans)))
    tgt_gap = list(range((last[1][-1] + 1) if last[1] else 0, len(target)))
    if src_gap or tgt_gap:
        last, last_method = fill_gap(options, gaps, src_gap, tgt_gap, last, ((), ()), emit)
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


def fill_gap(
    options: AlignerOptions,
    gaps: _GapScorer,
    src_gap: list[int],
    tgt_gap: list[int],
    pregap: Pair,
    postgap: Pair,
    emit: Callable[[Pair, str], None],
) -> tuple[Pair, str]:
    """Bleualign's gap filler; returns the (possibly grown) post-gap unit."""
    opt = options
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
    best = gaps.best_targets(sources, targets, opt.max_alternatives) if sources and targets else {}
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
