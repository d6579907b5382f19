"""Shared fixtures: the ../shared benchmark data (skipped when absent), offscreen Qt, and an
empty project with a reviewer."""

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
def project(tmp_path):
    """An empty project whose reviewer is "ann" (a module needing another kind defines its
    own ``project`` fixture, which takes precedence)."""
    from workbench import Project

    with Project.create(tmp_path / "p.wbproj") as p:
        p.set_setting("reviewer", "ann")
        yield p


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
