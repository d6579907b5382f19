"""Confidence intervals for a sampled accuracy and the sample size a margin needs.

Why Wilson's score interval: with accuracies near 90 % and samples of a few hundred the
textbook (Wald) interval ``p ± z·sqrt(p(1-p)/n)`` is too narrow and can exceed 100 %; Wilson's
interval keeps its nominal coverage there and is never outside [0, 1] (Newcombe 1998,
"Two-sided confidence intervals for the single proportion", Statistics in Medicine 17).

Why not plain Wilson for the figures shown (:func:`accuracy_interval`): near 0 % and 100 %
with small samples its coverage dips far below the nominal level. The exact coverage of the
95 % Wilson interval (binomial sums over every outcome, docs/evaluation.md "Audit of the
numbers") falls to 0.84 at an accuracy of 98 % with 10 judged pairs, 0.84 at 99 % with 20 and
0.85 at 99.7 % with 50: exactly where a curator judges a few pairs per document or per band of
a very good aligner. Brown, Cai and DasGupta's modification (2001, "Interval estimation for a
binomial proportion", Statistical Science 16, §4.1.1) replaces the end near the boundary by the
one-sided Poisson bound when 1–2 pairs (3 from 51 pairs on) are wrong (or right): minimum
coverage 0.92–0.93 for every n, mean 0.95, the interval unchanged everywhere else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from workbench.errors import InputError


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile for ``confidence`` (1.959964 for 0.95)."""
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be between 0 and 1 (exclusive), got {confidence}")
    # Imported when first used: scipy.stats is 1.3 s of the review window's start (its Spot-check
    # menu imports this module) and the window computes no interval until a report is asked for.
    from scipy.stats import norm

    return float(norm.ppf(1 - (1 - confidence) / 2))


@dataclass(frozen=True)
class Proportion:
    """``successes`` out of ``trials`` with its Wilson interval ``[low, high]``."""

    successes: int
    trials: int
    low: float
    high: float
    confidence: float = 0.95

    @property
    def value(self) -> float:
        return self.successes / self.trials if self.trials else math.nan

    @property
    def margin(self) -> float:
        """Half the interval's width (the "±" figure)."""
        return (self.high - self.low) / 2 if self.trials else math.nan

    def format(self, digits: int = 1) -> str:
        """``93.7 % [91.0–95.6] (n=300)`` style text; ``—`` when nothing was judged."""
        if not self.trials:
            return "—"
        return (
            f"{100 * self.value:.{digits}f} % [{100 * self.low:.{digits}f}–"
            f"{100 * self.high:.{digits}f}] (n={self.trials})"
        )


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> Proportion:
    """Wilson's score interval for a binomial proportion (no continuity correction)."""
    if trials < 0 or successes < 0 or successes > trials:
        raise InputError(f"need 0 <= successes <= trials, got {successes} of {trials}")
    if trials == 0:
        return Proportion(0, 0, math.nan, math.nan, confidence)
    z = z_value(confidence)
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
    # k = 0 and k = n put one end exactly at 0 or 1; set it so rather than keep rounding noise.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return Proportion(successes, trials, low, high, confidence)


def accuracy_interval(successes: int, trials: int, confidence: float = 0.95) -> Proportion:
    """The interval every sampled accuracy is shown with: Wilson's, modified at the boundary
    (Brown, Cai and DasGupta 2001, §4.1.1; see the module's docstring for why).

    With ``x`` = ``successes`` in 1..x* (x* = 2 up to 50 trials, 3 above) the lower end is the
    one-sided Poisson bound ``χ²(1 − confidence; 2x) / (2n)``; with ``n − x`` in 1..x* the
    upper end is one minus it. Elsewhere it is :func:`wilson_interval`."""
    p = wilson_interval(successes, trials, confidence)
    if trials == 0:
        return p
    from scipy.stats import chi2  # imported when used, as in z_value

    limit = 2 if trials <= 50 else 3
    low, high = p.low, p.high
    alpha = 1 - confidence
    if 1 <= successes <= limit:
        low = float(chi2.ppf(alpha, 2 * successes)) / (2 * trials)
    failures = trials - successes
    if 1 <= failures <= limit:
        high = 1 - float(chi2.ppf(alpha, 2 * failures)) / (2 * trials)
    return Proportion(successes, trials, low, high, confidence)


def interval_name(confidence: float) -> str:
    """How tables and charts name the interval at ``confidence``: ``95 % Wilson`` (a report
    made with ``--confidence 0.9`` said "95 %" in its headers, charts and notes)."""
    return f"{100 * confidence:g} % Wilson"


def sample_size(
    margin: float,
    population: int | None = None,
    *,
    expected: float = 0.5,
    confidence: float = 0.95,
) -> int:
    """Pairs to judge so that the interval's half-width is about ``margin``.

    ``expected`` is a prior estimate of the accuracy (0.5 is the worst case, the safe default);
    with a ``population`` size the finite population correction applies: sampling 300 of 400
    units leaves far less uncertainty than 300 of a million.
    """
    if not 0 < margin < 1:
        raise InputError(f"margin must be between 0 and 1, e.g. 0.03 for ±3 %, got {margin}")
    if not 0 <= expected <= 1:
        raise InputError(f"expected accuracy must be between 0 and 1, got {expected}")
    if population is not None and population < 0:
        raise InputError(f"population must not be negative, got {population}")
    z = z_value(confidence)
    # A prior of exactly 0 or 1 would ask for no sample at all; keep at least the variance of
    # one error in a hundred so the estimate can still be checked.
    p = min(max(expected, 0.01), 0.99)
    n0 = z * z * p * (1 - p) / (margin * margin)
    if population is not None:
        if population == 0:
            return 0
        n0 = n0 / (1 + (n0 - 1) / population)
        return min(population, math.ceil(n0 - 1e-9))
    return math.ceil(n0 - 1e-9)
