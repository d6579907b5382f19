"""`workbench gui`: screenshots offscreen, argument errors, the demo from the installed command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import COMMAND_MODULES, main

REPO = Path(__file__).resolve().parent.parent


def test_gui_is_the_default_command():
    assert "gui" in COMMAND_MODULES


def test_bad_size_is_a_one_line_error(capsys, tmp_path):
    assert main(["gui", "--size", "big", "--screenshot", str(tmp_path / "x.png")]) == 2
    assert "--size must look like 1280x720" in capsys.readouterr().err
    assert main(["gui", "--size", "100x100", "--screenshot", str(tmp_path / "x.png")]) == 2


def test_missing_project_is_a_one_line_error(capsys, tmp_path):
    code = main(["gui", str(tmp_path / "nope.wbproj"), "--screenshot", str(tmp_path / "x.png")])
    assert code == 2
    assert "no such project" in capsys.readouterr().err


def test_damaged_project_in_a_screenshot_run_is_an_error_not_a_blank_window(capsys, tmp_path):
    damaged = tmp_path / "damaged.wbproj"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = damaged.read_bytes()
    code = main(["gui", str(damaged), "--screenshot", str(tmp_path / "x.png")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("workbench: error:") and "damaged.wbproj" in err and "\n" not in err
    assert damaged.read_bytes() == before  # never overwritten


@pytest.mark.slow
def test_installed_command_opens_the_demo_and_writes_a_screenshot(tmp_path):
    """The console script of the editable install, run from an unrelated folder, finds the
    demo texts, creates and aligns the demo project, and renders the window."""
    exe = shutil.which("workbench", path=str(Path(sys.executable).parent))
    assert exe, "the workbench console script is not installed in this environment"
    png = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    done = subprocess.run(
        [
            exe,
            "gui",
            "--screenshot",
            str(png),
            "--size",
            "1280x720",
            "--dark",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "demo.wbproj").exists()
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 720)


def test_demo_texts_are_packaged_as_data_files():
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    files = config["tool"]["setuptools"]["data-files"]["share/workbench/demo"]
    for name in ("ko.txt", "en.txt", "mt.en.txt"):
        assert f"resources/demo/{name}" in files
        assert (REPO / "resources" / "demo" / name).is_file()
    ko = (REPO / "resources/demo/ko.txt").read_text(encoding="utf-8").splitlines()
    mt = (REPO / "resources/demo/mt.en.txt").read_text(encoding="utf-8").splitlines()
    assert len(ko) == len(mt) >= 25
