"""The numbers a curator is shown mean what they say (docs/evaluation.md, "Audit of the numbers").

Each test recomputes a figure independently (closed forms, scipy's own Wilson interval, exact
binomial sums, plain counting) and fails on the code before the audit's fixes.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binom, binomtest

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.cli import main
from workbench.spotcheck.html import report_html
from workbench.spotcheck.measures import accuracy
from workbench.spotcheck.report import DocumentSize, build_report, format_accuracy
from workbench.spotcheck.sampling import Candidate, draw_sample
from workbench.spotcheck.stats import accuracy_interval, wilson_interval, z_value
from workbench.textio import Document


def worst_coverage(n: int, grid: np.ndarray, interval) -> float:
    """The least exact coverage over accuracies ``grid`` with ``n`` judged pairs: at each p,
    the probability of the outcomes k whose interval contains p."""
    k = np.arange(n + 1)
    ends = [interval(int(i), n) for i in k]
    low = np.array([e.low for e in ends])[None, :]
    high = np.array([e.high for e in ends])[None, :]
    p = grid[:, None]
    inside = (low <= p) & (p <= high)
    return float((binom.pmf(k[None, :], n, p) * inside).sum(axis=1).min())


@pytest.mark.parametrize("n", [10, 20, 50])
def test_the_accuracy_interval_covers_95_percent_near_100_and_0_percent(n: int) -> None:
    # Plain Wilson falls to 0.835 / 0.837 / 0.845 here (an accuracy of 98-99.7 %: a very good
    # aligner's few judged pairs in one document or band); the shown interval must not.
    grid = np.linspace(0.9, 0.9995, 400)
    assert worst_coverage(n, grid, accuracy_interval) >= 0.91
    assert worst_coverage(n, 1 - grid, accuracy_interval) >= 0.91
    assert worst_coverage(n, grid, wilson_interval) < 0.86  # why


def test_the_accuracy_interval_is_wilson_away_from_the_boundary_and_poisson_at_it() -> None:
    for k, n in [(5, 10), (40, 50), (81, 263), (270, 300)]:
        ref = binomtest(k, n).proportion_ci(0.95, method="wilson")
        got = accuracy_interval(k, n)
        assert got.low == pytest.approx(ref.low, abs=1e-12)
        assert got.high == pytest.approx(ref.high, abs=1e-12)
    # One wrong of ten: the upper end is 1 - χ²(0.05; 2) / 20 = 1 + ln(0.95) / 10.
    assert accuracy_interval(9, 10).high == pytest.approx(1 + math.log(0.95) / 10, abs=1e-12)
    assert accuracy_interval(1, 10).low == pytest.approx(-math.log(0.95) / 10, abs=1e-12)
    # From 51 pairs on, three wrong are treated so too (x* = 3), not four.
    assert accuracy_interval(57, 60).high > wilson_interval(57, 60).high
    assert accuracy_interval(56, 60).high == wilson_interval(56, 60).high
    # All right: Wilson's [n / (n + z²), 1], unchanged.
    z = z_value(0.95)
    assert accuracy_interval(10, 10).low == pytest.approx(10 / (10 + z * z), abs=1e-12)
    assert accuracy_interval(10, 10).high == 1.0
    assert math.isnan(accuracy_interval(0, 0).low)
    # The report's accuracy uses it.
    acc = accuracy(["correct"] * 19 + ["incorrect"])
    assert acc.proportion.high == accuracy_interval(19, 20).high > wilson_interval(19, 20).high


def test_the_accuracy_text_ends_with_the_interval_itself() -> None:
    # 10 of 10: "100.00 % ± 13.88" alone reads as 86-114 %; the interval is 72.25-100 %.
    text = format_accuracy(accuracy(["correct"] * 10 + ["unsure"]))
    assert text.startswith("100.00 % ± 13.88 (n=10, 1 unsure")
    assert text.endswith("95 % CI 72.25–100.00 %)")


def test_a_report_at_90_percent_says_90_percent() -> None:
    units = {0: [AlignmentUnit((0,), (0,), 0.5), AlignmentUnit((1,), (1,), 0.2)]}
    verdicts = {(0, (0,), (0,)): "correct", (0, (1,), (1,)): "incorrect"}
    report = build_report(
        {"bleu": units},
        {0: DocumentSize("d", 2, 2)},
        {"bleu": list(verdicts)},
        verdicts.get,
        confidence=0.9,
    )
    page = report_html(report)
    assert "sampled accuracy (90 % Wilson)" in page and "95 % Wilson" not in page
    assert "90 % CI" in report.text_table()


def test_a_stratified_sample_gives_every_unit_the_same_chance() -> None:
    # Two score bands of 4 and 11 pairs, 5 drawn: shares 1.33 and 3.67. Rounding them the
    # same way for every seed (1 and 4) gave the first band's pairs a chance of 1/4 and the
    # second's 4/11, where every pair's is 1/3.
    pool = [Candidate(1, (i,), (i,), 0.05 if i < 4 else 0.6) for i in range(15)]
    seeds = 1500
    drawn = np.zeros(15)
    for seed in range(seeds):
        for c in draw_sample(pool, 5, seed=seed, stratify="score"):
            drawn[c.source_ids[0]] += 1
    chance = drawn / seeds
    assert chance[:4].mean() == pytest.approx(1 / 3, abs=0.03)
    assert chance[4:].mean() == pytest.approx(1 / 3, abs=0.03)
    counts = {
        len([c for c in draw_sample(pool, 5, seed=s, stratify="score") if c.score < 0.1])
        for s in range(50)
    }
    assert counts == {1, 2}  # never fewer than the share rounded down nor more than up


def test_project_stats_yield_counts_both_sides(tmp_path, capsys) -> None:
    path = tmp_path / "y.wbproj"
    with Project.create(path) as project:
        doc = project.add_document(
            Document(["a", "b", "c"]), Document(["A", "B1", "B2", "C", "D"]), name="d"
        )
        project.set_suggestions(
            doc,
            [
                AlignmentUnit((0,), (0,), 0.5),
                AlignmentUnit((1,), (1, 2), 0.5),
                AlignmentUnit((2,), (), None),
                AlignmentUnit((), (3,), None),
                AlignmentUnit((), (4,), None),
            ],
            "bleu",
        )
        project.decide_many([u.id for u in project.units(doc)], "accepted")
        stats = project.stats(doc)
        # source 2 of 3, target 3 of 5: 5 of 8 sentences (the window's status bar says so)
        assert stats.overall_yield == 5 / 8 and stats.source_yield == 2 / 3
    assert main(["project", "stats", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[-5:] == ["yield", "yield", "src", "/", "tgt"]
    row = out[1].split()
    assert row[-4:] == ["62.5%", "66.7%", "/", "60.0%"]
