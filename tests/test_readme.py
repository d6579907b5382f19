"""The README's first commands run as written on a fresh copy of the repository (issue 18).

Every fenced block whose info string is ``bash runnable`` is run with bash from the root of a
temporary copy of the repository's tracked files (what a fresh clone has: no ``../shared``, no
build outputs), in README order, in the same folder, so later blocks see earlier blocks' files.
The ``text output`` block that follows a runnable block lists lines its output must contain
(compared with runs of spaces collapsed). ``workbench`` is this checkout's code, whatever is
installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def readme_blocks(text: str) -> list[tuple[str, str]]:
    """(info string, body) of every fenced block, in order."""
    return [(m.group(1).strip(), m.group(2)) for m in FENCE.finditer(text)]


def runnable_steps(text: str) -> list[tuple[str, list[str]]]:
    """(commands, expected output lines) for each ``bash runnable`` block."""
    blocks = readme_blocks(text)
    steps: list[tuple[str, list[str]]] = []
    for i, (info, body) in enumerate(blocks):
        if info.split()[:2] != ["bash", "runnable"]:
            continue
        expected: list[str] = []
        if i + 1 < len(blocks) and blocks[i + 1][0].split()[:2] == ["text", "output"]:
            expected = [line for line in blocks[i + 1][1].splitlines() if line.strip()]
        steps.append((body, expected))
    return steps


def _squash(s: str) -> str:
    return re.sub(r"[ \t]+", " ", s).strip()


def _fresh_copy(dest: Path) -> None:
    """The tracked files of this checkout (a fresh clone's content), else the whole tree."""
    try:
        names = (
            subprocess.run(
                ["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True
            )
            .stdout.decode()
            .split("\0")
        )
    except (OSError, subprocess.CalledProcessError):
        shutil.copytree(REPO, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git"))
        return
    for name in filter(None, names):
        src = REPO / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def test_readme_parser_finds_blocks_and_expectations() -> None:
    text = "a\n```bash runnable\necho hi\n```\n\n```text output\nhi\n```\n```bash\nno\n```\n"
    assert runnable_steps(text) == [("echo hi\n", ["hi"])]


def test_readme_has_runnable_first_steps() -> None:
    steps = runnable_steps(README.read_text(encoding="utf-8"))
    assert len(steps) >= 2
    commands = "\n".join(body for body, _ in steps)
    assert "workbench align" in commands and "project export" in commands
    assert "../shared" not in commands  # a fresh clone has no ../shared


def test_readme_is_short() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 150


@pytest.mark.slow
def test_readme_runnable_blocks_run_as_written(tmp_path: Path) -> None:
    run_runnable_blocks(README, tmp_path)


def run_runnable_blocks(page: Path, tmp_path: Path) -> None:
    """Run ``page``'s ``bash runnable`` blocks in order in a fresh copy of the repository and
    check each ``text output`` block's lines (also used for the docs' runnable blocks)."""
    clone = tmp_path / "clone"
    clone.mkdir()
    _fresh_copy(clone)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "workbench"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m workbench "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(REPO)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(tmp_path / "home")  # nothing of the user's is read or written
    env.pop("XDG_DATA_HOME", None)
    for body, expected in runnable_steps(page.read_text(encoding="utf-8")):
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", body],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"{page.name} block failed:\n{body}\n{output}"
        squashed = _squash(output)
        for line in expected:
            assert _squash(line) in squashed, f"{line!r} not printed by:\n{body}\n{output}"
