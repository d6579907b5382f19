"""Shared fixtures: the ../shared benchmark data (skipped when absent) and offscreen Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TEXTBERG = SHARED / "bench" / "textberg-dev"
KOEN = SHARED / "bench" / "koen"


@pytest.fixture
def textberg() -> Path:
    if not (TEXTBERG / "dev.de").exists():
        pytest.skip("../shared/bench/textberg-dev is absent (it is not part of a user's clone)")
    return TEXTBERG


@pytest.fixture
def koen() -> Path:
    if not (KOEN / "korean-english-park.dev.ko").exists():
        pytest.skip("../shared/bench/koen is absent (it is not part of a user's clone)")
    return KOEN
