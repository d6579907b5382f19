"""Opening the review window on a large project, and working in it: side by side in one run.

Run: ``QT_QPA_PLATFORM=offscreen nice python benchmarks/bench_gui_open.py --data
../shared/bench/koen [--compare /tmp/before] [--rounds 5]``

The project: ``--documents`` (200) Korean–English documents of ``--sentences`` (50) sentence
pairs each, cut in turn from the koen files of ``--data`` (every third document lacks its last
English sentence), aligned without machine translation by ``workbench batch`` into a temporary
folder (about 30 s; ``--project P.wbproj`` uses a project you have instead, never writing to it:
every process works on a copy).

1. **Whole processes** (taking turns within each round, so they share the machine's load;
   medians of wall and CPU time): ``python -c pass``; a bare PySide6 window (QApplication,
   QMainWindow with an empty QTableView, shown, rendered to a PNG); ``workbench gui P
   --screenshot F.png`` of this tree and, with ``--compare TREE``, of another checkout (e.g.
   ``mkdir /tmp/before && git archive 211edaa | tar -x -C /tmp/before``). Read the ratios.
2. **Where the start goes**, per phase in a fresh process of each tree (wall and CPU time):
   importing Qt, importing the window's modules, constructing it, opening the project, the
   missing-font check, showing it until the first paint and five event-loop rounds more (the
   rows fitted to the shown column widths and painted: a settled, usable window).
3. **Working on it** in the same processes: choosing another document in the filter bar (20
   documents), changing the status, confidence, shape and order filters (and back), and
   accepting a unit with the A key (20 units). Each figure is everything the action causes in
   the event loop (store queries, row fitting, repaint; three rounds of it), median and worst
   wall time and median CPU time.

Byte code is cached (a temporary PYTHONPYCACHEPREFIX, written by a warm-up round) even where
the environment sets PYTHONDONTWRITEBYTECODE, as pip's install of the workbench has it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import environment as startup_environment  # noqa: E402

KOEN_FILES = (
    ("korean-english-park.test.ko", "korean-english-park.test.en"),
    ("korean-english-park.dev.ko", "korean-english-park.dev.en"),
    ("jhe-koen-dev.ko", "jhe-koen-dev.en"),
    ("jhe-koen-eval.ko", "jhe-koen-eval.en"),
    ("northkorean-english.test.nk", "northkorean-english.test.en"),
    ("northkorean-english.dev.nk", "northkorean-english.dev.en"),
)

BARE_QT = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1280, 720)
window.show()
for _ in range(5):
    app.processEvents()
window.grab().save(sys.argv[1], "PNG")
"""

# Runs in a fresh process with the tree under test on PYTHONPATH; prints one JSON line.
CHILD = r"""
import json, random, sys, time
marks = []
def mark():
    marks.append((time.perf_counter(), time.process_time()))
mark()
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication
mark()
from workbench.gui import app as gapp
from workbench.gui.window import MainWindow
mark()
qapp = gapp.make_application(offscreen=True)
window = MainWindow(data_dir=__import__("pathlib").Path(sys.argv[2]))
mark()
window.open_project(sys.argv[1])
mark()
from workbench.gui.fonts import warn_missing_fonts
warn_missing_fonts(window)
mark()

class Paints(QObject):
    count = 0
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            Paints.count += 1
        return False

paints = Paints()
window.view.viewport().installEventFilter(paints)
window.resize(1280, 720)
window.show()
while Paints.count == 0:
    qapp.processEvents()
for _ in range(5):  # what the first paint left: the rows fitted to the shown widths, repainted
    qapp.processEvents()
mark()
names = ["import Qt (QtWidgets)", "import the window's modules", "construct the window",
         "open the project", "missing-font check", "show: rows fitted and painted"]
phases = {n: (marks[i + 1][0] - marks[i][0], marks[i + 1][1] - marks[i][1])
          for i, n in enumerate(names)}

def timed(action):
    start, cpu = time.perf_counter(), time.process_time()
    action()
    for _ in range(3):
        qapp.processEvents()
    return time.perf_counter() - start, time.process_time() - cpu

rng = random.Random(5)
combo = window.doc_combo
docs = [rng.randrange(1, combo.count()) for _ in range(20)]
switch = [timed(lambda k=k: combo.setCurrentIndex(k)) for k in docs]
switch.append(timed(lambda: combo.setCurrentIndex(0)))
filters = []
for name in ("status_combo", "band_combo", "shape_combo", "order_combo"):
    box = getattr(window, name)
    for k in (1, 0):
        filters.append(timed(lambda box=box, k=k: box.setCurrentIndex(k)))
from PySide6.QtTest import QTest
window.activateWindow()
window.view.setFocus()
accept = [timed(lambda: QTest.keyClick(window.view, Qt.Key.Key_A)) for _ in range(20)]
window.close()
print(json.dumps({"phases": phases, "switch document": switch, "change a filter": filters,
                  "accept (A)": accept}))
"""


def build_project(data: Path, folder: Path, documents: int, sentences: int) -> Path:
    """``documents`` koen documents of ``sentences`` pairs, aligned without MT by ``batch``."""
    ko: list[str] = []
    en: list[str] = []
    for source, target in KOEN_FILES:
        ko += (data / source).read_text(encoding="utf-8").splitlines()
        en += (data / target).read_text(encoding="utf-8").splitlines()
    texts = folder / "texts"
    texts.mkdir()
    rows = ["source\ttarget\tname"]
    for d in range(documents):
        lines = [(d * sentences + i) % len(ko) for i in range(sentences)]
        target = [en[i] for i in lines]
        if d % 3 == 1:
            target = target[:-1]  # a sentence the translation lacks
        (texts / f"d{d:03}.ko").write_text("\n".join(ko[i] for i in lines) + "\n", "utf-8")
        (texts / f"d{d:03}.en").write_text("\n".join(target) + "\n", "utf-8")
        rows.append(f"d{d:03}.ko\td{d:03}.en\tdoc{d:03}")
    (texts / "manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    project = folder / "koen.wbproj"
    cmd = [sys.executable, "-m", "workbench", "batch", str(texts / "manifest.tsv")]
    subprocess.run(
        [*cmd, "--project", str(project)], check=True, env=environment(REPO), capture_output=True
    )
    return project


PYCACHE: Path | None = None  # set by main: byte code of every tree, written by the warm-up


def environment(tree: Path | None) -> dict[str, str]:
    """bench_startup's environment, with this run's byte-code cache."""
    return startup_environment(tree, PYCACHE)


def run_once(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds (user + system) of one whole process, and its standard output (a
    line or two: read after it ends)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = (
        s.read().decode("utf-8", "replace") if s else "" for s in (proc.stdout, proc.stderr)
    )
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out[-1000:]}{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, out


def whole_processes(
    project: Path, trees: dict[str, Path], folder: Path, rounds: int
) -> dict[str, tuple[float, float]]:
    py = sys.executable
    shot = str(folder / "shot.png")
    progs: dict[str, tuple[list[str], Path | None]] = {
        "python -c pass": ([py, "-c", "pass"], None),
        "bare PySide6 window (QMainWindow + QTableView, PNG)": ([py, "-c", BARE_QT, shot], None),
    }
    for tag, tree in trees.items():
        progs[f"{tag}: workbench gui P --screenshot F.png"] = (
            [py, "-m", "workbench", "gui", str(project), "--screenshot", shot],
            tree,
        )
    envs = {label: environment(tree) for label, (_, tree) in progs.items()}
    for label, (cmd, _) in progs.items():  # warm-up: byte code, the file cache
        run_once(cmd, envs[label], folder)
    walls: dict[str, list[float]] = {k: [] for k in progs}
    cpus: dict[str, list[float]] = {k: [] for k in progs}
    for _ in range(rounds):
        for label, (cmd, _) in progs.items():
            wall, cpu, _ = run_once(cmd, envs[label], folder)
            walls[label].append(wall)
            cpus[label].append(cpu)
    return {k: (statistics.median(walls[k]), statistics.median(cpus[k])) for k in progs}


def in_process(project: Path, trees: dict[str, Path], folder: Path, rounds: int) -> dict:
    """Phases and actions per tree (fresh processes taking turns, each on its own copy of the
    project, since accepting writes to it); medians over the rounds of each process's figures."""
    runs: dict[str, list[dict]] = {tag: [] for tag in trees}
    for r in range(rounds):
        for tag, tree in trees.items():
            work = folder / f"{tag}-{r}"
            work.mkdir()
            copy = work / project.name
            shutil.copy2(project, copy)
            cmd = [sys.executable, "-c", CHILD, str(copy), str(work)]
            _, _, out = run_once(cmd, environment(tree), work)
            runs[tag].append(json.loads(out.strip().splitlines()[-1]))
            shutil.rmtree(work)
    summary: dict[str, dict] = {}
    for tag, results in runs.items():
        phases = {
            name: (
                statistics.median(res["phases"][name][0] for res in results),
                statistics.median(res["phases"][name][1] for res in results),
            )
            for name in results[0]["phases"]
        }
        actions = {}
        for name in ("switch document", "change a filter", "accept (A)"):
            times = [t for res in results for t in res[name]]
            walls = [wall for wall, _ in times]
            cpus = [cpu for _, cpu in times]
            actions[name] = (statistics.median(walls), max(walls), statistics.median(cpus))
        summary[tag] = {"phases": phases, "actions": actions}
    return summary


def print_report(processes: dict, phases: dict, trees: dict[str, Path]) -> None:
    bare = processes["python -c pass"]
    qt = processes["bare PySide6 window (QMainWindow + QTableView, PNG)"]
    width = max(len(k) for k in processes)
    print(f"load average {os.getloadavg()[0]:.2f} (a shared machine: read the ratios)\n")
    print(f"{'whole process':<{width}}  {'wall':>7} {'cpu':>7}  {'wall/pass':>9} {'wall/Qt':>8}")
    for label, (wall, cpu) in processes.items():
        print(
            f"{label:<{width}}  {wall:6.3f}s {cpu:6.3f}s  {wall / bare[0]:8.2f}x "
            f"{wall / qt[0]:7.2f}x"
        )
    tags = list(trees)
    names = list(phases[tags[0]]["phases"])
    width = max(len(n) for n in [*names, "phase (median seconds: wall / cpu)"]) + 10
    print(f"\n{'phase (median seconds: wall / cpu)':<{width}}" + "".join(f"{t:>16}" for t in tags))
    for name in names:
        cells = [phases[t]["phases"][name] for t in tags]
        print(f"{name:<{width}}" + "".join(f" {w:7.3f} /{c:6.3f}" for w, c in cells))
    totals = [[sum(v[i] for v in phases[t]["phases"].values()) for i in (0, 1)] for t in tags]
    print(f"{'to a settled window':<{width}}" + "".join(f" {w:7.3f} /{c:6.3f}" for w, c in totals))
    head = "action (ms: wall median / worst / cpu median)"
    print(f"\n{head:<{width}}" + "".join(f"{t:>22}" for t in tags))
    for name in phases[tags[0]]["actions"]:
        cells = []
        for t in tags:
            median, worst, cpu = phases[t]["actions"][name]
            cells.append(f"{1000 * median:6.0f} /{1000 * worst:6.0f} /{1000 * cpu:5.0f}")
        print(f"{name:<{width}}" + "".join(f"{c:>22}" for c in cells))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, help="the koen folder (../shared/bench/koen)")
    parser.add_argument("--project", type=Path, help="a project to open instead (copied)")
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=50, help="pairs per document")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="another checkout, measured beside this one")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    if args.project is None and args.data is None:
        print("give --data ../shared/bench/koen (or --project P.wbproj)", file=sys.stderr)
        return 2
    trees = {"this tree": REPO}
    if args.compare is not None:
        trees["compared"] = args.compare.resolve()
    global PYCACHE
    with tempfile.TemporaryDirectory(prefix="bench_gui_open_") as tmp:
        folder = Path(tmp)
        PYCACHE = folder / "pycache"
        if args.project is not None:
            project = folder / args.project.name
            shutil.copy2(args.project, project)
        else:
            start = time.perf_counter()
            project = build_project(args.data, folder, args.documents, args.sentences)
            print(
                f"built {args.documents} documents x {args.sentences} pairs in "
                f"{time.perf_counter() - start:.0f} s",
                file=sys.stderr,
            )
        processes = whole_processes(project, trees, folder, args.rounds)
        phases = in_process(project, trees, folder, args.rounds)
    print_report(processes, phases, trees)
    if args.json is not None:
        args.json.write_text(
            json.dumps({"processes": processes, "in_process": phases}, indent=1), "utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
