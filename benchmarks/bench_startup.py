"""Start-up of the command line (issue 19): whole processes, side by side in one run.

Run: nice python benchmarks/bench_startup.py [--rounds 9] [--compare PATH] [--breakdown]

Every program runs ``--rounds`` times, the programs taking turns within each round so that they
share the machine's load; each figure is the median wall time of a whole process, with its
median CPU time (user + system, from ``wait4``), which a busy machine inflates far less. Read
the ratios to ``python -c pass`` and to ``import numpy`` rather than the seconds, and the load
average printed with them.

The programs run with byte-code caching on, into a temporary ``PYTHONPYCACHEPREFIX`` filled by
one warm-up round: what an installed workbench (whose ``.pyc`` files pip writes) does, even
where the environment sets ``PYTHONDONTWRITEBYTECODE`` (``--no-pyc`` measures that instead:
every workbench module is then compiled at every start).

``--python PATH`` runs every program with that interpreter instead of this one, e.g. a fresh
virtual environment holding only NumPy (``python -m venv /tmp/v && /tmp/v/bin/pip install
numpy``): the trees run from ``PYTHONPATH`` as here, but without this environment's ``.pth``
files (here a sandbox's certificate hook that imports certifi, and editable-install finders),
which cost every Python process, ``python -c pass`` included, 40-60 ms before ``main`` runs.

``--compare PATH`` runs the workbench programs of another checkout beside this tree's (e.g.
``git worktree add /tmp/before 0c48f1b``). ``--breakdown`` prints where this tree's
``workbench align`` start-up goes: ``python -X importtime`` self times summed per package.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one whole process; it must succeed."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out[-1000:]}{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def programs(
    folder: Path, trees: dict[str, Path], py: str = sys.executable
) -> dict[str, tuple[list[str], Path | None]]:
    """Label -> (command, tree on PYTHONPATH or None), every command run by interpreter ``py``."""
    s, t, m = (str(folder / n) for n in ("s.txt", "t.txt", "m.txt"))
    out: dict[str, tuple[list[str], Path | None]] = {
        "python -c pass": ([py, "-c", "pass"], None),
        "python -c 'import numpy'": ([py, "-c", "import numpy"], None),
    }
    for tag, tree in trees.items():
        wb = [py, "-m", "workbench"]
        out[f"{tag}: import what align needs"] = (
            [py, "-c", "import workbench.align.pipeline, workbench.scoring.bleu"],
            tree,
        )
        out[f"{tag}: workbench --version"] = ([*wb, "--version"], tree)
        out[f"{tag}: workbench --help"] = ([*wb, "--help"], tree)
        out[f"{tag}: workbench align (BLEU), one line"] = ([*wb, "align", s, t, "--mt", m], tree)
        out[f"{tag}: workbench score (BLEU), one line"] = ([*wb, "score", m, t], tree)
    return out


def environment(tree: Path | None, pycache: Path | None) -> dict[str, str]:
    """Offscreen Qt, ``tree`` on PYTHONPATH, and byte-code caching on (into ``pycache``, one
    folder per tree named by its whole path, so two trees never share byte code), as an
    installed workbench has it even where the environment sets PYTHONDONTWRITEBYTECODE:
    otherwise every workbench module is compiled at every start. bench_gui_open.py uses it too."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        name = tree.as_posix().strip("/").replace("/", "_") if tree else "python"
        env["PYTHONPYCACHEPREFIX"] = str(pycache / name)
    return env


def measure(
    progs: dict[str, tuple[list[str], Path | None]], folder: Path, rounds: int, pycache: Path | None
) -> dict[str, tuple[float, float]]:
    envs = {label: environment(tree, pycache) for label, (_, tree) in progs.items()}
    for label, (cmd, _) in progs.items():  # warm-up: byte code written, files in the cache
        run_once(cmd, folder, envs[label])
    walls: dict[str, list[float]] = {k: [] for k in progs}
    cpus: dict[str, list[float]] = {k: [] for k in progs}
    for _ in range(rounds):
        for label, (cmd, _) in progs.items():
            wall, cpu = run_once(cmd, folder, envs[label])
            walls[label].append(wall)
            cpus[label].append(cpu)
    return {k: (statistics.median(walls[k]), statistics.median(cpus[k])) for k in progs}


def print_table(results: dict[str, tuple[float, float]]) -> None:
    bare = results["python -c pass"]
    numpy = results["python -c 'import numpy'"]
    width = max(len(k) for k in results)
    print(f"{'program':<{width}}  {'wall':>7} {'cpu':>7}  {'wall/pass':>9} {'cpu/numpy':>9}")
    for label, (wall, cpu) in results.items():
        print(
            f"{label:<{width}}  {wall:6.3f}s {cpu:6.3f}s  {wall / bare[0]:8.2f}x "
            f"{cpu / numpy[1]:8.2f}x"
        )


def breakdown(folder: Path, pycache: Path | None, py: str = sys.executable) -> None:
    """Self times of ``python -X importtime -m workbench align`` summed per package."""
    cmd = [py, "-X", "importtime", "-m", "workbench", "align"]
    cmd += [str(folder / "s.txt"), str(folder / "t.txt"), "--mt", str(folder / "m.txt")]
    env = environment(REPO, pycache)
    done = subprocess.run(cmd, cwd=folder, env=env, capture_output=True, text=True, check=True)
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _, name = (part.strip() for part in line[len("import time:") :].split("|"))
        top = name.split(".")[0]
        key = (
            top
            if top in ("numpy", "site") or name.startswith("workbench")
            else "other (stdlib, site's .pth files)"
        )
        if name.startswith("workbench"):
            key = ".".join(name.split(".")[:2]) if name.count(".") else name
        totals[key] = totals.get(key, 0.0) + int(self_us) / 1e6
    print("\nwhere `workbench align` start-up goes (python -X importtime, self times summed):")
    for key, seconds in sorted(totals.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.001:
            print(f"  {key:<40} {seconds:6.3f}s")
    print(f"  {'imports in all':<40} {sum(totals.values()):6.3f}s")


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} CPUs)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9, help="rounds (median; default 9)")
    parser.add_argument("--compare", type=Path, help="another checkout to run beside this one")
    parser.add_argument("--no-pyc", action="store_true", help="no byte-code cache (as the env)")
    parser.add_argument("--breakdown", action="store_true", help="import time per package")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter for every program (e.g. a fresh venv with only NumPy installed)",
    )
    args = parser.parse_args()
    trees = {"this tree": REPO}
    if args.compare:
        trees = {args.compare.name: args.compare.resolve(), "this tree": REPO}
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        folder = Path(tmp)
        for name, text in (
            ("s.txt", "Guten Tag ."),
            ("t.txt", "Bonjour ."),
            ("m.txt", "Bonjour ."),
        ):
            (folder / name).write_text(text + "\n", encoding="utf-8")
        pycache = None if args.no_pyc else folder / "pycache"
        commit = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(
            f"Start-up, one-line files; median of {args.rounds} rounds, programs taking turns; "
            f"tree {commit}; {args.python}; byte-code cache {'off' if args.no_pyc else 'on'}; "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        )
        print(f"load average before: {load()}")
        results = measure(programs(folder, trees, args.python), folder, args.rounds, pycache)
        print(f"load average after:  {load()}")
        print_table(results)
        if args.breakdown:
            breakdown(folder, pycache, args.python)


if __name__ == "__main__":
    main()
