"""The review-speed benchmark (benchmarks/bench_review.py) as a smoke test on the demo: the
keyboard-driven curator runs every operation and its decisions reach the store."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_review.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_review", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_review_speed_smoke(demo_window):
    bench = load_bench()
    project = demo_window.project
    units_before = project.count_units()
    report = bench.review(demo_window, 15, bench.score_oracle, jumps=3, filtered=3, undo_every=5)
    ops = report["operations"]
    assert ops["merge"] >= 1 and ops["split"] >= 1 and ops["undo"] == 3
    assert ops["next_low"] >= 1 and ops["filter"] == 1
    stats = project.stats()
    # Every decision the curator made (the one taken back and made again counts once) is in
    # the store, and nothing else is.
    assert stats.accepted + stats.rejected == report["decisions"] >= 15
    assert project.count_units() != units_before or ops["merge"] == ops["split"]
    assert 1.0 <= report["keys_per_decision"] <= 3.0
    assert report["decision_ms_median"] > 0
    assert report["longest_stall_ms"] >= report["decision_ms_median"] / 3


def test_gold_oracle_reads_merges_and_splits():
    bench = load_bench()

    class U:
        def __init__(self, s, t):
            self.source_ids, self.target_ids = s, t

    gold = {((0,), (0,)), ((1, 2), (1,)), ((3,), (2,))}
    decide = bench.gold_oracle(gold)
    assert decide(U((0,), (0,)), None, 0) == "A"
    assert decide(U((1,), (1,)), U((2,), ()), 1) == "M"
    assert decide(U((3,), (2, 3)), None, 2) == "S"
    assert decide(U((4,), (5,)), None, 3) == "R"


def test_table_refreshes_do_not_exhaust_true(qtbot):
    """PySide6 drops a reference to True on every dataChanged.emit (the window refreshes the
    table after each decision); importing workbench.gui compensates, so a long review session
    cannot abort with "bool_dealloc"."""
    import sys

    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    import workbench.gui  # noqa: F401

    model = QStandardItemModel(3, 3)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    for _ in range(50_000):
        model.dataChanged.emit(model.index(0, 0), model.index(2, 2))
    assert sys.getrefcount(True) > 1000
