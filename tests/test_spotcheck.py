"""Spot-check statistics, sampling and the comparison report over plain data (no project)."""

from __future__ import annotations

import math
import random

import pytest

from workbench.align.units import AlignmentUnit
from workbench.errors import InputError
from workbench.spotcheck.measures import accuracy, agreement, document_yield, total_yield
from workbench.spotcheck.report import DocumentSize, build_report
from workbench.spotcheck.sampling import (
    Candidate,
    draw_sample,
    proportional_allocation,
    score_band,
)
from workbench.spotcheck.stats import sample_size, wilson_interval, z_value

# Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion: comparison
# of seven methods. Statistics in Medicine 17, 857-872, Table II, method 3 (Wilson score
# interval without continuity correction), 4 decimals as printed there.
NEWCOMBE_WILSON = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE_WILSON)
def test_wilson_interval_matches_newcombe_table(k: int, n: int, low: float, high: float) -> None:
    p = wilson_interval(k, n)
    assert p.low == pytest.approx(low, abs=5e-5)
    assert p.high == pytest.approx(high, abs=5e-5)


def test_wilson_interval_edges_and_errors() -> None:
    assert wilson_interval(10, 10).high == 1.0
    assert wilson_interval(0, 10).low == 0.0
    assert math.isnan(wilson_interval(0, 0).low)
    # wider at 99 % than at 95 %, narrower at 90 %
    w = {c: wilson_interval(40, 50, c) for c in (0.9, 0.95, 0.99)}
    assert w[0.99].margin > w[0.95].margin > w[0.9].margin
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    with pytest.raises(InputError):
        wilson_interval(11, 10)
    with pytest.raises(InputError):
        wilson_interval(1, 10, confidence=1.5)


def test_sample_size_for_a_margin() -> None:
    # The textbook figures: ±3 % needs 1,068 and ±5 % needs 385 at 95 % in the worst case.
    assert sample_size(0.03) == 1068
    assert sample_size(0.05) == 385
    # a prior of 90 % accuracy needs fewer: 1.96² · 0.09 / 0.03² = 384.1
    assert sample_size(0.03, expected=0.9) == 385
    # finite population correction: 1067.07 / (1 + 1066.07 / 1000) = 516.5
    assert sample_size(0.03, 1000) == 517
    assert sample_size(0.03, 50) == 48
    assert sample_size(0.03, 0) == 0
    with pytest.raises(InputError):
        sample_size(0)


def candidates(n: int, docs: int = 3) -> list[Candidate]:
    rnd = random.Random(0)
    return [
        Candidate(i % docs, (i,), (i + 1,), rnd.choice([None, rnd.random() * 0.8]))
        for i in range(n)
    ]


def test_sampling_is_reproducible_with_a_seed_and_order_free() -> None:
    pool = candidates(500)
    a = draw_sample(pool, 60, seed=7)
    b = draw_sample(list(reversed(pool)), 60, seed=7)
    c = draw_sample(pool, 60, seed=8)
    assert [x.key for x in a] == [x.key for x in b]
    assert {x.key for x in a} != {x.key for x in c}
    assert len({x.key for x in a}) == 60
    with pytest.raises(InputError):
        draw_sample(pool, 501, seed=1)


@pytest.mark.parametrize("stratify", ["score", "document"])
def test_stratified_sampling_allocates_proportionally(stratify: str) -> None:
    pool = candidates(600)
    sample = draw_sample(pool, 100, seed=3, stratify=stratify)
    assert sample == draw_sample(pool, 100, seed=3, stratify=stratify)

    def stratum(c: Candidate) -> object:
        return score_band(c.score) if stratify == "score" else c.doc_id

    sizes: dict[object, int] = {}
    for c in pool:
        sizes[stratum(c)] = sizes.get(stratum(c), 0) + 1
    drawn: dict[object, int] = {}
    for c in sample:
        drawn[stratum(c)] = drawn.get(stratum(c), 0) + 1
    for name, size in sizes.items():
        assert abs(drawn.get(name, 0) - 100 * size / 600) < 1


def test_proportional_allocation_sums_exactly() -> None:
    assert proportional_allocation([1, 1, 1], 2) == [1, 1, 0]
    assert proportional_allocation([10, 20, 70], 10) == [1, 2, 7]
    assert sum(proportional_allocation([3, 7, 11, 13], 17)) == 17


def test_yield_counts_each_sentence_once_and_skips_deletions() -> None:
    y = document_yield([((0,), (0, 1)), ((1,), ()), ((), (2,)), ((2, 3), (3,))], 5, 4)
    assert (y.aligned_source, y.aligned_target) == (3, 3)
    assert y.source == 3 / 5 and y.target == 3 / 4 and y.overall == 6 / 9
    t = total_yield([y, document_yield([((0,), (0,))], 1, 2)])
    assert (t.aligned_source, t.total_source, t.aligned_target, t.total_target) == (4, 6, 4, 6)


def test_accuracy_leaves_unsure_out_and_agreement_is_jaccard() -> None:
    a = accuracy(["correct"] * 8 + ["incorrect"] * 2 + ["unsure", None, None])
    assert (a.correct, a.incorrect, a.unsure, a.unjudged) == (8, 2, 1, 2)
    assert a.proportion.value == 0.8 and a.proportion.trials == 10
    g = agreement({1, 2, 3}, {2, 3, 4, 5})
    assert (g.both, g.either, g.ratio) == (2, 5, 0.4)


def test_build_report_on_a_small_case() -> None:
    U = AlignmentUnit
    bleu = {0: [U((0,), (0,), 0.5), U((1,), (1,), 0.05), U((2,), (), None)]}
    ableu = {0: [U((0,), (0,), 0.6), U((1,), (1,), 0.3), U((2,), (2,), 0.2)]}
    docs = {0: DocumentSize("d", 3, 3)}
    verdicts = {
        (0, (0,), (0,)): "correct",
        (0, (1,), (1,)): "incorrect",
        (0, (2,), (2,)): "correct",
    }
    sample = list(verdicts)
    report = build_report(
        {"bleu": bleu, "ableu": ableu},
        docs,
        {"bleu": sample, "ableu": sample},
        verdicts.get,
        gold={0: [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]},
    )
    b, a = report.row("bleu"), report.row("ableu")
    assert (b.pairs, a.pairs) == (2, 3)
    assert b.yield_.overall == 4 / 6 and a.yield_.overall == 1.0
    assert (report.agreement.both, report.agreement.either) == (2, 3)
    # the sampled pair (2)-(2) was not suggested by BLEU, so it does not count for BLEU
    assert (b.accuracy.correct, b.accuracy.incorrect) == (1, 1)
    assert (a.accuracy.correct, a.accuracy.incorrect) == (2, 1)
    assert a.gold is not None and a.gold.strict_f1 == 1.0
    assert b.gold is not None and b.gold.strict_recall == pytest.approx(2 / 3)
    assert b.by_band["≥ 0.5"].correct == 1 and b.by_band["< 0.1"].incorrect == 1
    table = report.table()
    assert list(table["scorer"][:2]) == ["bleu", "ableu"]
    assert "sampled accuracy" in report.text_table()


def test_charts_render_korean_and_chinese_labels() -> None:
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from workbench.spotcheck.charts import cjk_font_family, report_figures

    if cjk_font_family() is None:
        pytest.skip("no CJK font installed")
    U = AlignmentUnit
    units = {0: [U((0,), (0,), 0.4), U((1,), (1,), 0.15)]}
    report = build_report(
        {"채점기 BLEU": units, "评分 ABLEU": units},
        {0: DocumentSize("문서", 2, 2)},
        {"채점기 BLEU": [(0, (0,), (0,))]},
        lambda key: "correct",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" would fail here
        for _, fig in report_figures(report):
            FigureCanvasAgg(fig).draw()
