"""Fitting new suggestions around decided units: every sentence exactly once, decided kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.align import AlignmentUnit
from workbench.project.gaps import fill_around


@st.composite
def alignment(draw, n_source: int, n_target: int):
    """A monotone alignment (1-1, 1-2, 2-1, 1-0, 0-1 beads) of n_source x n_target sentences."""
    units, i, j = [], 0, 0
    while i < n_source or j < n_target:
        options = []
        if i < n_source and j < n_target:
            options.append((1, 1))
        if i + 1 < n_source and j < n_target:
            options.append((2, 1))
        if i < n_source and j + 1 < n_target:
            options.append((1, 2))
        if i < n_source:
            options.append((1, 0))
        if j < n_target:
            options.append((0, 1))
        a, b = draw(st.sampled_from(options))
        units.append((tuple(range(i, i + a)), tuple(range(j, j + b))))
        i, j = i + a, j + b
    return units


@st.composite
def case(draw):
    n_s = draw(st.integers(0, 12))
    n_t = draw(st.integers(0, 12))
    old = draw(alignment(n_s, n_t))
    new = draw(alignment(n_s, n_t))
    keep = draw(st.lists(st.booleans(), min_size=len(old), max_size=len(old)))
    fixed = [u for u, k in zip(old, keep, strict=True) if k]
    return n_s, n_t, fixed, [AlignmentUnit(s, t, 0.5, "x") for s, t in new]


@settings(max_examples=300, deadline=None)
@given(case())
def test_fill_around_covers_every_sentence_once_and_keeps_decided_units(c):
    n_s, n_t, fixed, suggestions = c
    layout = fill_around(fixed, suggestions, n_s, n_t)
    assert [item for item in layout if isinstance(item, int)] == list(range(len(fixed)))
    units = [
        fixed[item] if isinstance(item, int) else (item.source, item.target) for item in layout
    ]
    assert sorted(i for s, _t in units for i in s) == list(range(n_s))
    assert sorted(j for _s, t in units for j in t) == list(range(n_t))
    # Document order: each side's ids increase along the units.
    assert [i for s, _t in units for i in s] == list(range(n_s))
    assert [j for _s, t in units for j in t] == list(range(n_t))
    # Without decided units, every pair suggested is kept as it is.
    if not fixed:
        kept = {(item.source, item.target) for item in layout}
        assert {(u.source, u.target) for u in suggestions if u.source and u.target} <= kept
