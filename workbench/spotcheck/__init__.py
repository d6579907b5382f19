"""Accuracy spot-checks and the yield report (Qt-free).

- :mod:`.stats`: Wilson intervals, sample sizes for a margin;
- :mod:`.sampling`: seeded (stratified) random samples of alignment units;
- :mod:`.measures`: yield, accuracy from judgements, agreement between scorers;
- :mod:`.report`: the comparison report of several scorers on the same documents.
"""

from workbench.spotcheck.measures import Accuracy, Agreement, Yield, accuracy, agreement
from workbench.spotcheck.sampling import Candidate, draw_sample
from workbench.spotcheck.stats import Proportion, sample_size, wilson_interval

__all__ = [
    "Accuracy",
    "Agreement",
    "Candidate",
    "Proportion",
    "Yield",
    "accuracy",
    "agreement",
    "draw_sample",
    "sample_size",
    "wilson_interval",
]
