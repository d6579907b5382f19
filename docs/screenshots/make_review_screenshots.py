"""Screenshots of the review window for docs/review-window.md (issue 20), offscreen.

Run from the repository root: ``python docs/screenshots/make_review_screenshots.py``. It builds
a German–French project from ``../shared/bench/textberg-dev`` (Google MT both ways) aligned
with self-trained ABLEU in a temporary folder (a few minutes: word2vec-pair training), then
shoots it at 1024×640 (light and dark) and at 800×500, and the bundled Korean demo at
1024×640. ``--project P`` reuses a project built the same way. Nothing is written outside the
temporary folder and this one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DATA = REPO.parent / "shared" / "bench" / "textberg-dev"


def workbench(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "workbench", *args], check=True)


def build_de_fr(folder: Path) -> Path:
    path = folder / "textberg-de-fr.wbproj"
    workbench("project", "create", str(path))
    workbench(
        "project",
        "add",
        str(path),
        str(DATA / "dev.de"),
        str(DATA / "dev.fr"),
        "--mt",
        str(DATA / "dev.mt-google.fr"),
        "--mt-reverse",
        str(DATA / "dev.mt-google.de"),
        "--name",
        "textberg-dev",
    )
    workbench("project", "align", str(path), "--scorer", "ableu")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, help="a German–French project built as above")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = args.project or build_de_fr(folder)
        shots = [
            ([str(project), "--size", "1024x640"], "review-ableu-de-fr.png"),
            ([str(project), "--size", "1024x640", "--dark"], "review-ableu-de-fr-dark.png"),
            ([str(project), "--size", "800x500"], "review-ableu-de-fr-800x500.png"),
            (["--data-dir", str(folder / "data"), "--size", "1024x640"], "review-demo-ko.png"),
        ]
        for args_, name in shots:
            workbench("gui", *args_, "--screenshot", str(HERE / name))


if __name__ == "__main__":
    main()
