"""Defaults of the search that the command line's options show (no NumPy to import here)."""

from __future__ import annotations

DP_WEIGHT = 30.0  # score bonus per bead in the dp method (measured on textberg-dev)
