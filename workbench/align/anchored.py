"""Re-align around fixed anchors: keep the curator's accepted pairs, re-align what lies between.

A review session accepts some units and then asks for the rest to be aligned again (after an
edit, with another scorer, with a better translation). Accepted units must not move, and
nothing may cross them: each stretch of sentences between two consecutive fixed pairs (a gap)
is aligned on its own with :meth:`Aligner.align_article`, as if it were a small article, and
its local ids are mapped back to document ids. `.EOA` article boundaries stay hard boundaries.
Qt-free, so the project store and the review window share it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from workbench.align.bleualign import Aligner
from workbench.align.units import AlignmentUnit
from workbench.errors import InputError
from workbench.textio import Document, check_parallel, check_same_articles

Ids = tuple[int, ...]
Pair = tuple[Ids, Ids]
Region = tuple[int, int, int, int]


def _article_of(ids: Ids, articles: list[tuple[int, int]]) -> int:
    for k, (start, stop) in enumerate(articles):
        if start <= ids[0] < stop:
            if ids[-1] >= stop:
                break
            return k
    raise InputError(f"fixed unit {list(ids)} crosses an article boundary (.EOA)")


def _check_ids(ids: Ids, n: int, side: str) -> None:
    if list(ids) != sorted(set(ids)):
        raise InputError(f"fixed unit's {side} ids {list(ids)} are not increasing")
    if ids and (ids[0] < 0 or ids[-1] >= n):
        raise InputError(f"fixed unit's {side} ids {list(ids)} are outside 0..{n - 1}")
    if ids and ids != tuple(range(ids[0], ids[-1] + 1)):
        raise InputError(f"fixed unit's {side} ids {list(ids)} are not consecutive")


def align_around(
    aligner: Aligner,
    source: Document,
    target: Document,
    mt: Sequence[Document] = (),
    mt_reverse: Sequence[Document] = (),
    fixed: Sequence[Pair] = (),
    region: Region | None = None,
) -> list[AlignmentUnit]:
    """Keep ``fixed`` (document-level (source ids, target ids) pairs) and re-align the rest.

    Fixed pairs with both sides are anchors: the sentences strictly between two consecutive
    anchors of one article form a gap, aligned independently of every other gap. Fixed 1–0 /
    0–1 units only take their sentence out of its gap. ``region`` = (source start, source stop,
    target start, target stop), stops exclusive, limits re-alignment to the sentences inside
    it; sentences outside it are not in the result (the caller keeps what it had there).

    Returns the fixed units (method ``fixed``, score None) and the new units, deletions
    included, in document order. Fixed pairs that overlap, cross an `.EOA` boundary or are
    out of order (their targets must increase with their sources) are an :class:`InputError`.
    """
    check_same_articles(source, target)
    for doc in mt:
        check_parallel(source, doc)
    for doc in mt_reverse:
        check_parallel(target, doc, what="reverse translation")
    n, m = len(source), len(target)
    s_lo, s_hi, t_lo, t_hi = region if region is not None else (0, n, 0, m)
    if not (0 <= s_lo <= s_hi <= n and 0 <= t_lo <= t_hi <= m):
        raise InputError(f"region {region} is outside the documents ({n} x {m} sentences)")

    fixed_units: list[AlignmentUnit] = []
    used_s: set[int] = set()
    used_t: set[int] = set()
    # anchors per article: (source ids, target ids), both non-empty
    anchors: dict[int, list[Pair]] = {}
    for src_ids, tgt_ids in fixed:
        src_ids, tgt_ids = tuple(src_ids), tuple(tgt_ids)
        if not src_ids and not tgt_ids:
            raise InputError("a fixed unit has neither source nor target sentences")
        _check_ids(src_ids, n, "source")
        _check_ids(tgt_ids, m, "target")
        if used_s & set(src_ids) or used_t & set(tgt_ids):
            raise InputError(f"fixed units overlap at [{list(src_ids)}]:[{list(tgt_ids)}]")
        used_s.update(src_ids)
        used_t.update(tgt_ids)
        fixed_units.append(AlignmentUnit(src_ids, tgt_ids, None, "fixed", 1.0))
        if src_ids and tgt_ids:
            a = _article_of(src_ids, source.articles)
            if _article_of(tgt_ids, target.articles) != a:
                raise InputError(
                    f"fixed unit {list(src_ids)}:{list(tgt_ids)} joins different articles"
                )
            anchors.setdefault(a, []).append((src_ids, tgt_ids))

    new_units: list[AlignmentUnit] = []
    for a, ((a_s0, a_s1), (a_t0, a_t1)) in enumerate(
        zip(source.articles, target.articles, strict=True)
    ):
        chain = sorted(anchors.get(a, []))
        for (_, prev_t), (_, next_t) in itertools.pairwise(chain):
            if next_t[0] <= prev_t[-1]:
                raise InputError(
                    f"fixed units are out of order: target {list(next_t)} follows "
                    f"{list(prev_t)} on the source side but precedes it on the target side"
                )
        bounds = [((), ()), *chain, ((), ())]
        for (prev_s, prev_t), (next_s, next_t) in itertools.pairwise(bounds):
            s_start = prev_s[-1] + 1 if prev_s else a_s0
            s_stop = next_s[0] if next_s else a_s1
            t_start = prev_t[-1] + 1 if prev_t else a_t0
            t_stop = next_t[0] if next_t else a_t1
            src_gap = [i for i in range(max(s_start, s_lo), min(s_stop, s_hi)) if i not in used_s]
            tgt_gap = [j for j in range(max(t_start, t_lo), min(t_stop, t_hi)) if j not in used_t]
            new_units.extend(align_gap(aligner, source, target, mt, mt_reverse, src_gap, tgt_gap))
    return _in_document_order(fixed_units + new_units)


def align_gap(
    aligner: Aligner,
    source: Document,
    target: Document,
    mt: Sequence[Document],
    mt_reverse: Sequence[Document],
    src_gap: list[int],
    tgt_gap: list[int],
) -> list[AlignmentUnit]:
    """Align the gap's sentences as one small article; local ids mapped back to the document."""
    if not src_gap or not tgt_gap:
        # Nothing to align with: surely unaligned.
        return [AlignmentUnit((i,), (), None, "unaligned", 1.0) for i in src_gap] + [
            AlignmentUnit((), (j,), None, "unaligned", 1.0) for j in tgt_gap
        ]
    units = aligner.align_article(
        [source.sentences[i] for i in src_gap],
        [target.sentences[j] for j in tgt_gap],
        [[doc.sentences[i] for i in src_gap] for doc in mt],
        [[doc.sentences[j] for j in tgt_gap] for doc in mt_reverse],
    )
    return [
        AlignmentUnit(
            tuple(src_gap[i] for i in unit.source),
            tuple(tgt_gap[j] for j in unit.target),
            unit.score,
            unit.method,
            unit.confidence,
        )
        for unit in units
    ]


def _in_document_order(units: list[AlignmentUnit]) -> list[AlignmentUnit]:
    """Two-sided units by source id, each 1–0 / 0–1 unit just before the first unit after it."""
    paired = sorted((u for u in units if u.source and u.target), key=lambda u: u.source[0])
    src_only = sorted((u for u in units if not u.target), key=lambda u: u.source[0])
    tgt_only = sorted((u for u in units if not u.source), key=lambda u: u.target[0])
    out: list[AlignmentUnit] = []
    s = t = 0
    for unit in paired:
        while s < len(src_only) and src_only[s].source[0] < unit.source[0]:
            out.append(src_only[s])
            s += 1
        while t < len(tgt_only) and tgt_only[t].target[0] < unit.target[0]:
            out.append(tgt_only[t])
            t += 1
        out.append(unit)
    return out + src_only[s:] + tgt_only[t:]
