"""Confidence intervals for a sampled accuracy and the sample size a margin needs.

Why Wilson's score interval: with accuracies near 90 % and samples of a few hundred the
textbook (Wald) interval ``p ± z·sqrt(p(1-p)/n)`` is too narrow and can exceed 100 %; Wilson's
interval keeps its nominal coverage there and is never outside [0, 1] (Newcombe 1998,
"Two-sided confidence intervals for the single proportion", Statistics in Medicine 17).
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
