"""The user guide's runnable blocks run as written on a fresh copy of the repository, as the
README's do (tests/test_readme.py): blocks marked ```bash runnable, each followed by a
```text output block whose lines the output must contain. Only blocks that need nothing but
the repository (the bundled demo) are marked; the others use ../shared or the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_readme import REPO, run_runnable_blocks, runnable_steps

GUIDE = REPO / "docs" / "user-guide.md"


def test_user_guide_has_a_runnable_spot_check() -> None:
    steps = runnable_steps(GUIDE.read_text(encoding="utf-8"))
    commands = "\n".join(body for body, _ in steps)
    assert "workbench sample" in commands and "workbench report" in commands
    assert all(expected for _, expected in steps)
    assert "../shared" not in commands  # a fresh clone has no ../shared


@pytest.mark.slow
def test_user_guide_runnable_blocks_run_as_written(tmp_path: Path) -> None:
    run_runnable_blocks(GUIDE, tmp_path)
