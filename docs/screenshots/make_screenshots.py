"""Regenerate the README and docs/ screenshots with `workbench gui --screenshot` (offscreen).

Run from the repository root: ``python docs/screenshots/make_screenshots.py``. The first
picture is the demo exactly as a new user sees it; the others show a partly reviewed copy of
the demo (nine decisions made through the project API); the last is the demo on a machine
without a CJK font (fontconfig limited to DejaVu, as a fresh Debian has): boxes for the Korean
column and the window's warning with the command that fixes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def reviewed_demo(folder: Path) -> Path:
    from workbench.gui.demo import create_demo_project

    path = folder / "reviewed.wbproj"
    project = create_demo_project(path)
    units = project.units()
    for unit in units[:9]:
        project.decide(unit.id, "accepted")
    project.decide(units[5].id, "rejected")
    project.close()
    return path


FONTS_WITHOUT_CJK = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def shoot(*args: str, env: dict[str, str] | None = None) -> None:
    cmd = [sys.executable, "-m", "workbench", "gui", *args]
    subprocess.run(cmd, check=True, env=env)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shoot("--data-dir", str(folder / "data"), "--screenshot", str(HERE / "review-demo.png"))
        project = str(reviewed_demo(folder))
        shoot(
            project, "--dark", "--size", "1600x900", "--screenshot", str(HERE / "review-dark.png")
        )
        conf = folder / "fonts.conf"
        conf.write_text(FONTS_WITHOUT_CJK.format(cache=folder / "fc-cache"))
        shoot(
            "--data-dir",
            str(folder / "data"),
            "--screenshot",
            str(HERE / "font-warning.png"),
            env=dict(os.environ, FONTCONFIG_FILE=str(conf)),
        )


if __name__ == "__main__":
    main()
