"""Fitting new suggestions around the units a curator already decided.

Decided units are never changed by a re-alignment. The sentences they do not cover fall into
gaps (before the first decided unit, between two, after the last); a new suggestion is kept
when it lies entirely inside one gap, and every sentence of a gap that no kept suggestion
covers becomes a 1–0 or 0–1 unit.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from workbench.align.units import AlignmentUnit

Ids = tuple[int, ...]


def _bounds(fixed: Sequence[tuple[Ids, Ids]], side: int, n: int) -> tuple[list[int], list[int]]:
    """Per gap k (0..len(fixed)): the largest id of fixed units before it, smallest after."""
    before = [-1]
    for unit in fixed:
        ids = unit[side]
        before.append(max(before[-1], max(ids)) if ids else before[-1])
    after = [n]
    for unit in reversed(fixed):
        ids = unit[side]
        after.append(min(after[-1], min(ids)) if ids else after[-1])
    after.reverse()
    return before, after


def _gaps_containing(lo_id: int, hi_id: int, before: list[int], after: list[int]) -> range:
    # before[] and after[] are non-decreasing in k; gap k contains [lo_id, hi_id] when
    # before[k] < lo_id and after[k] > hi_id.
    first = bisect_right(after, hi_id)
    last = bisect_left(before, lo_id) - 1
    return range(first, last + 1)


def fill_around(
    fixed: Sequence[tuple[Ids, Ids]],
    suggestions: Sequence[AlignmentUnit],
    n_source: int,
    n_target: int,
) -> list[int | AlignmentUnit]:
    """The document's units in order: an int k stands for ``fixed[k]``, kept as it is."""
    src_before, src_after = _bounds(fixed, 0, n_source)
    tgt_before, tgt_after = _bounds(fixed, 1, n_target)
    covered_s = {i for s, _t in fixed for i in s}
    covered_t = {j for _s, t in fixed for j in t}
    n_gaps = len(fixed) + 1
    chosen: list[list[AlignmentUnit]] = [[] for _ in range(n_gaps)]
    used_s: set[int] = set()
    used_t: set[int] = set()
    for unit in sorted((u for u in suggestions if u.source and u.target), key=_order):
        if any(i in used_s or i in covered_s or not 0 <= i < n_source for i in unit.source):
            continue
        if any(j in used_t or j in covered_t or not 0 <= j < n_target for j in unit.target):
            continue
        gs = _gaps_containing(min(unit.source), max(unit.source), src_before, src_after)
        gt = _gaps_containing(min(unit.target), max(unit.target), tgt_before, tgt_after)
        first, last = max(gs.start, gt.start), min(gs.stop, gt.stop) - 1
        if first > last:
            continue  # crosses a decided unit
        chosen[first].append(unit)
        used_s.update(unit.source)
        used_t.update(unit.target)
    left_s = _leftovers(fixed, chosen, 0, n_source, src_before, src_after)
    left_t = _leftovers(fixed, chosen, 1, n_target, tgt_before, tgt_after)
    out: list[int | AlignmentUnit] = []
    for k in range(n_gaps):
        out.extend(_interleave(chosen[k], left_s[k], left_t[k]))
        if k < len(fixed):
            out.append(k)
    return out


def _leftovers(
    fixed: Sequence[tuple[Ids, Ids]],
    chosen: list[list[AlignmentUnit]],
    side: int,
    n: int,
    before: list[int],
    after: list[int],
) -> list[list[int]]:
    """Per gap, the sentences of one side that no unit covers, in a gap that keeps the
    side's order: never before a gap holding an earlier sentence."""
    where: dict[int, int] = {}  # sentence -> the gap after which it is known to come
    for k, unit in enumerate(fixed):
        where.update(dict.fromkeys(unit[side], k + 1))
    for g, units in enumerate(chosen):
        for unit in units:
            where.update(dict.fromkeys((unit.source, unit.target)[side], g))
    out: list[list[int]] = [[] for _ in range(len(fixed) + 1)]
    floor = 0
    for i in range(n):
        if i in where:
            floor = max(floor, where[i])
            continue
        gap = max(floor, _gaps_containing(i, i, before, after).start)
        out[gap].append(i)
        floor = gap
    return out


def _order(unit: AlignmentUnit) -> tuple[int, int]:
    return (min(unit.source), min(unit.target))


def _interleave(
    pairs: list[AlignmentUnit], left_s: list[int], left_t: list[int]
) -> list[AlignmentUnit]:
    """Pairs in order with each leftover sentence as a 1–0/0–1 unit where it belongs."""
    out: list[AlignmentUnit] = []
    si = ti = 0
    for unit in pairs:
        while si < len(left_s) and left_s[si] < min(unit.source):
            out.append(AlignmentUnit((left_s[si],), (), None, "unaligned"))
            si += 1
        while ti < len(left_t) and left_t[ti] < min(unit.target):
            out.append(AlignmentUnit((), (left_t[ti],), None, "unaligned"))
            ti += 1
        out.append(unit)
    out.extend(AlignmentUnit((i,), (), None, "unaligned") for i in left_s[si:])
    out.extend(AlignmentUnit((), (j,), None, "unaligned") for j in left_t[ti:])
    return out
