"""Review speed: the window driven from the keyboard through a real document.

A scripted curator reviews the first N units of a project in the review window (pytest-qt's
QTest key clicks on the table, offscreen), the way a person works through suggestions:

- a unit that is right (it is a pair of the hand alignment) is accepted (A);
- a unit that is a pair once merged with the next one is merged (M), then accepted;
- a unit whose first half (the window's split) is a pair is split (S), then accepted;
- anything else is rejected (R);
- every 25th decision is taken back (Ctrl+Z) and made again;
- then the curator jumps to the next low-score unit (L, "Next low-score unit"; to be switched
  to issue 14's next low-confidence unit once the window has it) and decides it, 10 times;
- then filters the table to pending units (the Status filter: a click and an arrow key, it
  has no shortcut; a click back on the table) and decides 5 more.

With ``--gold`` the hand alignment decides; without one (the smoke test on the bundled demo)
units are accepted when their score is at least 0.2, and every 7th unit is merged and every
11th split, so that every operation runs.

Reported: keystrokes (and clicks) per decision, time per decision in the event loop (the key
events and everything they cause: store writes, model refresh, row fitting, repaint; median
and worst), and the longest stall (the longest single key's handling).

Run: ``QT_QPA_PLATFORM=offscreen nice python benchmarks/bench_review.py``
(``--units 200 --data ../shared/bench/textberg-dev --mt google``; ``--json FILE`` to keep the
figures). The project is built in a temporary folder; nothing is written elsewhere.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_DATA = REPO.parent / "shared" / "bench" / "textberg-dev"


@dataclass
class Tally:
    keys: int = 0
    clicks: int = 0
    decisions: int = 0
    key_times: list[float] = field(default_factory=list)
    decision_times: list[float] = field(default_factory=list)
    decision_cpu: list[float] = field(default_factory=list)
    ops: Counter = field(default_factory=Counter)
    _pending: float = 0.0
    _pending_cpu: float = 0.0

    def report(self) -> dict[str, Any]:
        times = sorted(self.decision_times)
        return {
            "decisions": self.decisions,
            "keystrokes": self.keys,
            "clicks": self.clicks,
            "keys_per_decision": round(self.keys / max(self.decisions, 1), 3),
            "inputs_per_decision": round((self.keys + self.clicks) / max(self.decisions, 1), 3),
            "decision_ms_median": round(1000 * statistics.median(times), 2) if times else None,
            "decision_ms_worst": round(1000 * times[-1], 2) if times else None,
            "longest_stall_ms": round(1000 * max(self.key_times), 2) if self.key_times else None,
            # CPU time of this process per decision: what the window itself costs, without
            # waiting for the disk (each decision is a committed, synced transaction) or for
            # other processes on a shared machine.
            "decision_cpu_ms_median": (
                round(1000 * statistics.median(self.decision_cpu), 2) if self.decision_cpu else None
            ),
            "operations": dict(self.ops),
        }


class Curator:
    """Presses keys on a review window and times what each press costs the event loop."""

    def __init__(self, window: Any) -> None:
        self.win = window
        self.tally = Tally()

    def _settle(self) -> None:
        from PySide6.QtWidgets import QApplication

        for _ in range(3):  # deferred work (row fitting, repaints) posted by the key
            QApplication.processEvents()

    def press(self, key: Any, modifier: Any = None, op: str = "") -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        start, cpu = time.perf_counter(), time.process_time()
        QTest.keyClick(self.win.view, key, modifier or Qt.KeyboardModifier.NoModifier)
        self._settle()
        spent = time.perf_counter() - start
        self.tally._pending_cpu += time.process_time() - cpu
        self.tally.keys += 1
        self.tally.key_times.append(spent)
        self.tally._pending += spent
        if op:
            self.tally.ops[op] += 1

    def decided(self) -> None:
        self.tally.decisions += 1
        self.tally.decision_times.append(self.tally._pending)
        self.tally.decision_cpu.append(self.tally._pending_cpu)
        self.tally._pending = self.tally._pending_cpu = 0.0

    def filter_pending(self) -> None:
        """The Status filter to "Pending": a click on the combo, Down until it shows, a click
        back on the table."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        win = self.win
        combo = win.status_combo
        start = time.perf_counter()
        combo.setFocus()
        self.tally.clicks += 1
        while combo.currentData() != "pending":
            QTest.keyClick(combo, Qt.Key.Key_Down)
            self.tally.keys += 1
        self._settle()
        win.view.setFocus()
        self.tally.clicks += 1
        spent = time.perf_counter() - start
        self.tally.key_times.append(spent)
        self.tally._pending += spent
        self.tally.ops["filter"] += 1


Oracle = Callable[[Any, Any, int], str]  # (unit, next unit, index) -> "A" | "R" | "M" | "S"


def split_halves(unit: Any) -> tuple[tuple, tuple]:
    """The first half of a unit as the window's Split makes it (ReviewController.split)."""
    src, tgt = tuple(unit.source_ids), tuple(unit.target_ids)
    n_src, n_tgt = len(src), len(tgt)
    source_at = (n_src + 1) // 2
    target_at = n_tgt // 2 if n_src == 1 and n_tgt <= 1 else (n_tgt + 1) // 2
    if n_src == 0:
        source_at, target_at = 0, (n_tgt + 1) // 2
    return src[:source_at], tgt[:target_at]


def gold_oracle(gold: set[tuple[tuple, tuple]]) -> Oracle:
    def decide(unit: Any, following: Any, _index: int) -> str:
        pair = (tuple(unit.source_ids), tuple(unit.target_ids))
        if pair in gold:
            return "A"
        if following is not None:
            merged = (
                tuple(sorted(pair[0] + tuple(following.source_ids))),
                tuple(sorted(pair[1] + tuple(following.target_ids))),
            )
            if merged in gold:
                return "M"
        if len(unit.source_ids) + len(unit.target_ids) > 2 and split_halves(unit) in gold:
            return "S"
        return "R"

    return decide


def score_oracle(unit: Any, following: Any, index: int) -> str:
    """Without a hand alignment: accept from score 0.2; merge every 7th, split every 11th."""
    if index % 7 == 3 and following is not None:
        return "M"
    if index % 11 == 5 and len(unit.source_ids) + len(unit.target_ids) >= 2:
        return "S"
    return "A" if (unit.score or 0.0) >= 0.2 else "R"


def review(
    window: Any,
    n_units: int,
    oracle: Oracle,
    jumps: int = 10,
    filtered: int = 5,
    undo_every: int = 25,
) -> dict:
    """Drive ``window`` (a project open, focus on the table) through ``n_units`` decisions and
    the jump / filter phases; returns the tally's report."""
    from PySide6.QtCore import Qt

    key = Qt.Key
    curator = Curator(window)
    c = window.controller
    model = window.model
    c.go_to_row(0)
    curator._settle()

    def decide_current(index: int) -> bool:
        row = c.current_row()
        unit = model.unit_at(row)
        if unit is None:
            return False
        verdict = oracle(unit, model.unit_at(row + 1), index)
        if verdict == "M":
            curator.press(key.Key_M, op="merge")
            verdict = "A"
        elif verdict == "S":
            curator.press(key.Key_S, op="split")
            verdict = "A"
        curator.press(key.Key_A if verdict == "A" else key.Key_R, op=verdict)
        curator.decided()
        return True

    for index in range(n_units):
        if not decide_current(index):
            break
        if index % undo_every == undo_every - 1:  # taken back (Ctrl+Z) and made again
            curator.press(key.Key_Z, Qt.KeyboardModifier.ControlModifier, op="undo")
            curator.tally.decisions -= 1
            curator.tally.decision_times.pop()
            curator.tally.decision_cpu.pop()
            decide_current(index)
    for index in range(jumps):
        curator.press(key.Key_L, op="next_low")
        unit = c.current_unit()
        if unit is None or unit.status != "pending":
            break
        decide_current(n_units + index)
    curator.filter_pending()
    for index in range(filtered):
        if not decide_current(n_units + jumps + index):
            break
    return curator.tally.report()


def build_project(folder: Path, data: Path, mt: str, n_units: int) -> tuple[Path, set]:
    from workbench.align.units import read_alignments
    from workbench.project import Project
    from workbench.textio import read_document

    path = folder / "review.wbproj"
    with Project.create(path) as project:
        doc = project.add_document(
            read_document(data / "dev.de"), read_document(data / "dev.fr"), name="textberg-dev"
        )
        project.set_translation(
            doc, read_document(data / f"dev.mt-{mt}.fr").sentences, f"file:dev.mt-{mt}.fr"
        )
        project.align(doc, scorer="bleu")
    gold = {(tuple(s), tuple(t)) for s, t in read_alignments(data / "dev.gold")}
    return path, gold


def open_window(project: Path, size: tuple[int, int], data_dir: Path) -> Any:
    from PySide6.QtWidgets import QApplication

    from workbench.gui.app import make_application
    from workbench.gui.window import MainWindow

    make_application(offscreen=True)
    win = MainWindow(data_dir=data_dir)
    win.resize(*size)
    win.show()
    win.open_project(project)
    win.view.setFocus()
    for _ in range(5):
        QApplication.processEvents()
    return win


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--mt", default="google")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not (args.data / "dev.de").exists():
        print(f"skipped: {args.data} is absent (textberg-dev from ../shared)", file=sys.stderr)
        return 0
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="bench_review_") as tmp:
        folder = Path(tmp)
        project, gold = build_project(folder, args.data, args.mt, args.units)
        win = open_window(project, (width, height), folder)
        try:
            report = review(win, args.units, gold_oracle(gold))
        finally:
            win.close()
    report.update({"document": "textberg-dev", "mt": args.mt, "size": args.size})
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
