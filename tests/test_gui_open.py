"""Opening the review window on a project: what its start reads and imports (the time itself is
measured in benchmarks/bench_gui_open.py, not asserted here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from workbench.gui.fonts import _SAMPLE_SENTENCES, project_texts
from workbench.project import Project
from workbench.textio import Document

REPO = Path(__file__).resolve().parent.parent

_RECORD = (
    "import atexit, json, os, sys\n"
    "atexit.register(lambda: open(os.environ['WB_MODULES'], 'w')"
    ".write(json.dumps(sorted(sys.modules))))\n"
    "import runpy\n"
    "sys.argv = json.loads(os.environ['WB_ARGV'])\n"
    "runpy.run_module('workbench', run_name='__main__', alter_sys=True)\n"
)


def small_project(path: Path, documents: int = 3) -> Path:
    with Project.create(path) as project:
        for d in range(documents):
            doc = project.add_document(
                Document([f"부산 여객선 {d}.", "서울 날씨."]),
                Document([f"Busan ferry {d}.", "Seoul weather."]),
                name=f"d{d}",
            )
            project.align(doc)
    return path


def test_opening_the_window_imports_no_scipy_or_other_heavy_package(tmp_path):
    """The Spot-check menu imported scipy.stats (its Wilson intervals) at start: 1.3 s of the
    3.8 s the window took to open a 200-document project."""
    project = small_project(tmp_path / "p.wbproj")
    record = tmp_path / "modules.json"
    argv = ["workbench", "gui", str(project), "--screenshot", str(tmp_path / "shot.png")]
    done = subprocess.run(
        [sys.executable, "-c", _RECORD],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO),
            "QT_QPA_PLATFORM": "offscreen",
            "WB_MODULES": str(record),
            "WB_ARGV": json.dumps(argv),
        },
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert (tmp_path / "shot.png").stat().st_size > 0
    packages = {name.split(".")[0] for name in json.loads(record.read_text(encoding="utf-8"))}
    assert "PySide6" in packages and "workbench" in packages
    assert packages & {"scipy", "matplotlib", "gensim", "pandas", "sacrebleu", "torch"} == set()


def test_wilson_intervals_still_use_the_exact_normal_quantile():
    from workbench.spotcheck.stats import wilson_interval, z_value

    assert abs(z_value(0.95) - 1.959963984540054) < 1e-12
    interval = wilson_interval(90, 100)
    assert 0.82 < interval.low < 0.83 and 0.94 < interval.high < 0.95


def test_sentence_sample_is_bounded_per_side_in_document_order(tmp_path):
    with Project.create(tmp_path / "p.wbproj") as project:
        for d in range(3):
            project.add_document(
                Document([f"s{d}.{i}" for i in range(4)]),
                Document([f"t{d}.{i}" for i in range(3)]),
                name=f"d{d}",
            )
        assert project.sentence_sample(5) == [
            *("s0.0", "s0.1", "s0.2", "s0.3", "s1.0"),
            *("t0.0", "t0.1", "t0.2", "t1.0", "t1.1"),
        ]
        everything = project.sentence_sample(100)
        assert len(everything) == 3 * 4 + 3 * 3
        # a text fix is what the window shows, so it is what the font check samples
        project.edit_sentence(1, "source", 0, "고친 문장.")
        assert "고친 문장." in project.sentence_sample(1)


def test_font_sample_reaches_the_target_side_of_a_big_project(tmp_path):
    """The sample is bounded per side: a project whose sources alone exceed it still has its
    target sentences (another script) looked at."""
    many = _SAMPLE_SENTENCES + 10
    with Project.create(tmp_path / "p.wbproj") as project:
        project.add_document(Document(["Busan ferry."] * many), Document(["부산 여객선."] * 2))
        texts = list(project_texts(project))
    assert len(texts) == _SAMPLE_SENTENCES + 2
    assert texts[-1] == "부산 여객선."
