"""Re-alignment around fixed (curator-accepted) pairs: workbench.align.anchored.align_around."""

from __future__ import annotations

import pytest

from workbench.align import Aligner, make_scorer
from workbench.align.anchored import align_around
from workbench.errors import InputError
from workbench.textio import Document

WORDS = [
    "alpha",
    "bravo",
    "charlie",
    "delta",
    "echo",
    "foxtrot",
    "golf",
    "hotel",
    "india",
    "juliet",
    "kilo",
    "lima",
    "mike",
]


def _sentence(k: int) -> str:
    return " ".join(WORDS[(k + x) % len(WORDS)] + str(k) for x in range(4 + k % 3))


def _docs(n: int = 8) -> tuple[Document, Document, Document]:
    sentences = [_sentence(k) for k in range(n)]
    source = Document([s.upper() for s in sentences])  # "another language"
    target = Document(list(sentences))
    mt = Document(list(sentences))  # a perfect translation of the source
    return source, target, mt


def _covered(units, side):
    return sorted(i for u in units for i in getattr(u, side))


def test_without_fixed_pairs_it_is_a_plain_alignment():
    source, target, mt = _docs()
    aligner = Aligner(make_scorer("bleu", lowercase=True))
    units = align_around(aligner, source, target, [mt], [], [])
    assert [u.key for u in units] == [u.key for u in aligner.align(source, target, [mt])]


def test_fixed_pairs_are_kept_and_nothing_crosses_them():
    source, target, mt = _docs()
    aligner = Aligner(make_scorer("bleu", lowercase=True))
    # The curator accepted a (wrong-looking) 2-1 and a 1-1 that shifts the diagonal.
    fixed = [((2, 3), (2,)), ((5,), (4,))]
    units = align_around(aligner, source, target, [mt], [], fixed)
    keys = [u.key for u in units]
    for pair in fixed:
        assert pair in keys
        assert next(u for u in units if u.key == pair).method == "fixed"
    # every sentence exactly once
    assert _covered(units, "source") == list(range(8))
    assert _covered(units, "target") == list(range(8))
    # the gap between the fixed units is target 3 alone: it cannot pair with source 4's
    # neighbours beyond the anchors, and source 4 stays inside that gap
    for u in units:
        if 4 in u.source:
            assert set(u.target) <= {3}
        if 3 in u.target:
            assert set(u.source) <= {4}
    # gaps before and after are aligned normally (a perfect MT: 1-1 on the diagonal)
    assert ((0,), (0,)) in keys and ((1,), (1,)) in keys
    assert ((7,), (7,)) in keys
    # document order: first source ids increase
    firsts = [u.source[0] for u in units if u.source]
    assert firsts == sorted(firsts)


def test_region_limits_what_is_realigned():
    source, target, mt = _docs()
    aligner = Aligner(make_scorer("bleu", lowercase=True))
    units = align_around(aligner, source, target, [mt], [], [((4,), (4,))], region=(2, 7, 2, 7))
    assert _covered(units, "source") == [2, 3, 4, 5, 6]
    assert _covered(units, "target") == [2, 3, 4, 5, 6]
    assert {u.key for u in units} >= {((2,), (2,)), ((4,), (4,)), ((6,), (6,))}


def test_fixed_deletions_take_sentences_out_and_articles_stay_boundaries():
    sentences = [_sentence(k) for k in range(6)]
    source = Document([s.upper() for s in sentences], [(0, 3), (3, 6)])
    target = Document(list(sentences), [(0, 3), (3, 6)])
    mt = Document(list(sentences), [(0, 3), (3, 6)])
    aligner = Aligner(make_scorer("bleu", lowercase=True))
    units = align_around(aligner, source, target, [mt], [], [((1,), ())])
    keys = [u.key for u in units]
    assert ((1,), ()) in keys
    assert ((), (1,)) in keys  # target 1's partner was taken out
    for u in units:
        if u.source and u.target:
            assert (u.source[0] < 3) == (u.target[0] < 3)


@pytest.mark.parametrize(
    "fixed",
    [
        [((0,), (3,)), ((2,), (1,))],  # out of order
        [((0,), (0,)), ((0,), (1,))],  # overlapping
        [((0, 2), (0,))],  # not consecutive
        [((9,), (0,))],  # out of range
        [((), ())],  # empty
    ],
)
def test_bad_fixed_pairs_are_input_errors(fixed):
    source, target, mt = _docs()
    aligner = Aligner(make_scorer("bleu", lowercase=True))
    with pytest.raises(InputError):
        align_around(aligner, source, target, [mt], [], fixed)


def test_fixed_pair_across_articles_is_an_input_error():
    sentences = [_sentence(k) for k in range(4)]
    source = Document([s.upper() for s in sentences], [(0, 2), (2, 4)])
    target = Document(list(sentences), [(0, 2), (2, 4)])
    aligner = Aligner(make_scorer("bleu", lowercase=True))
    with pytest.raises(InputError):
        align_around(aligner, source, target, [], [], [((1, 2), (1,))])
    with pytest.raises(InputError):
        align_around(aligner, source, target, [], [], [((0,), (3,))])
    with pytest.raises(InputError):
        align_around(aligner, source, target, [], [], [], region=(0, 9, 0, 4))
