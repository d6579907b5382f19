"""Exact coverage of the sampled-accuracy intervals (docs/evaluation.md, "Audit of the numbers").

Run: python benchmarks/interval_coverage.py [--n 10 20 50 100 300] [--confidence 0.95]

For each number of judged pairs n, the exact coverage (the binomial probability of every
outcome whose interval contains the true accuracy p) over p in [0.5, 1) (the same below 0.5 by
symmetry): its minimum, where, and its mean, for Wilson's interval (workbench's until this
audit), the interval the report shows now (Wilson modified at the boundary, Brown, Cai and
DasGupta 2001) and Clopper–Pearson (exact, from scipy) for contrast. Also checks that
workbench's Wilson interval equals scipy's (binomtest(...).proportion_ci(method="wilson")).
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.stats import binom, binomtest

from workbench.spotcheck.stats import Proportion, accuracy_interval, wilson_interval


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> Proportion:
    ci = binomtest(k, n).proportion_ci(confidence, method="exact")
    return Proportion(k, n, ci.low, ci.high, confidence)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", nargs="+", type=int, default=[10, 20, 50, 100, 300])
    parser.add_argument("--confidence", type=float, default=0.95)
    args = parser.parse_args()
    worst = 0.0
    for n in args.n:
        for k in range(n + 1):
            ref = binomtest(k, n).proportion_ci(args.confidence, method="wilson")
            w = wilson_interval(k, n, args.confidence)
            worst = max(worst, abs(w.low - ref.low), abs(w.high - ref.high))
    print(f"Wilson against scipy's: largest difference {worst:.1e}")
    grid = np.linspace(0.5, 0.99995, 4000)[:, None]
    print("| interval | n | least coverage (at p) | mean coverage | mean width |")
    print("|---|---|---|---|---|")
    for name, f in (
        ("Wilson (before)", wilson_interval),
        ("shown now (modified Wilson)", accuracy_interval),
        ("Clopper–Pearson", clopper_pearson),
    ):
        for n in args.n:
            k = np.arange(n + 1)
            ends = [f(int(i), n, args.confidence) for i in k]
            low = np.array([e.low for e in ends])[None, :]
            high = np.array([e.high for e in ends])[None, :]
            inside = (low <= grid) & (grid <= high)
            cov = (binom.pmf(k[None, :], n, grid) * inside).sum(axis=1)
            i = int(cov.argmin())
            width = float(np.mean(high - low))
            print(
                f"| {name} | {n} | {cov[i]:.3f} (p = {grid[i, 0]:.4f}) | {cov.mean():.3f} | "
                f"{width:.3f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
