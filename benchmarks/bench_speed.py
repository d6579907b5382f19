"""Speed of `workbench align` against the original Bleualign (issue 19), whole processes.

Run: nice python benchmarks/bench_speed.py --reference /path/to/Bleualign [--ableu] [--scale]
     [--copies N] [--baseline TREE]   (--copies 1: textberg-dev itself, 468 x 554 sentences)

``--reference`` is a Bleualign checkout or git directory (cloned into a temporary folder; its
code is never copied into this repository); without it the reference columns are skipped with a
message. The document is textberg-dev (../shared/bench) repeated ``--copies`` times with `.EOA`
between the copies (4 copies: 1,872 × 2,216 sentences, 4 articles).

Every figure is the median of ``--repeat`` runs of a whole process (start-up included), the
programs taking turns within each round so that they share the machine's load: read the ratios,
which hold on a noisy machine, rather than the seconds.
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
DATA = REPO.parent / "shared" / "bench" / "textberg-dev"


def run_process(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (MiB) of one whole
    process (benchmarks/bench_growth.py uses it too)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def medians(commands: dict[str, list[str]], cwd: Path, repeat: int) -> dict[str, tuple]:
    """Median wall time and peak memory per command, the commands taking turns per round."""
    walls: dict[str, list[float]] = {k: [] for k in commands}
    mems: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            wall, _, mem = run_process(cmd, cwd)
            walls[name].append(wall)
            mems[name].append(mem)
    return {k: (statistics.median(walls[k]), max(mems[k])) for k in commands}


def write_document(
    folder: Path, copies: int, stem: str = "doc", articles: bool = True
) -> dict[str, Path]:
    """textberg-dev's German, French and French MT repeated ``copies`` times (``.EOA``
    between the copies unless ``articles`` is false: then one long article)."""
    out = {}
    for side, name in (("de", "dev.de"), ("fr", "dev.fr"), ("mt", "dev.mt-europarlfull.fr")):
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        text = []
        for k in range(copies):
            if k and articles:
                text.append(".EOA")
            text.extend(lines)
        path = folder / f"{stem}.{side}"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        out[side] = path
    return out


def reference_script(path: str | None, folder: Path) -> Path | None:
    if not path:
        print("reference Bleualign: skipped (give --reference PATH: a checkout or git dir)\n")
        return None
    clone = folder / "bleualign-ref"
    subprocess.run(
        ["git", "clone", "--quiet", "--depth", "1", f"file://{Path(path).resolve()}", str(clone)],
        check=True,
    )
    script = clone / "bleualign.py"
    if not script.exists():
        raise SystemExit(f"{path}: no bleualign.py in it")
    return script


def align_cmd(files: dict[str, Path], *extra: str) -> list[str]:
    files_args = [str(files["de"]), str(files["fr"]), "--mt", str(files["mt"])]
    return [sys.executable, "-m", "workbench", "align", *files_args, *extra]


def ref_cmd(script: Path, files: dict[str, Path], out: Path) -> list[str]:
    return [
        sys.executable,
        str(script),
        "-s",
        str(files["de"]),
        "-t",
        str(files["fr"]),
        "--srctotarget",
        str(files["mt"]),
        "-o",
        str(out),
    ]


def table(results: dict[str, tuple], base: str) -> None:
    b = results[base][0]
    for name, (wall, mem) in results.items():
        print(f"  {name:42s} {wall:8.2f} s  {wall / b:6.2f}x  {mem:7.0f} MiB", flush=True)
    print(flush=True)


def sentences(path: Path) -> int:
    return sum(1 for x in path.read_text(encoding="utf-8").splitlines() if x != ".EOA")


def startup_and_document(args: argparse.Namespace, folder: Path, script: Path | None) -> None:
    one = {s: folder / f"one.{s}" for s in ("de", "fr", "mt")}
    for side, text in zip(one, ("Guten Tag .", "Bonjour .", "Bonjour ."), strict=True):
        one[side].write_text(text + "\n", encoding="utf-8")
    print(f"Start-up: one-line files, median of {args.repeat} whole processes")
    programs = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import numpy'": [sys.executable, "-c", "import numpy"],
        "workbench align (BLEU), one line": align_cmd(one),
    }
    table(medians(programs, folder, args.repeat), "python -c pass")
    files = write_document(folder, args.copies)
    print(
        f"textberg-dev x {args.copies}: {sentences(files['de'])} x {sentences(files['fr'])} "
        f"sentences, {args.copies} articles; median of {args.repeat} whole processes"
    )
    commands = {}
    if script:
        commands["reference Bleualign"] = ref_cmd(script, files, folder / "ref")
    if args.baseline:
        base = ["env", f"PYTHONPATH={Path(args.baseline).resolve()}"]
        commands["baseline tree: BLEU"] = [*base, *align_cmd(files)]
        if args.ableu:
            commands["baseline tree: ABLEU"] = [*base, *align_cmd(files, "--scorer", "ableu")]
    commands["workbench align (BLEU)"] = align_cmd(files)
    if args.ableu:
        commands["workbench align --scorer ableu"] = align_cmd(files, "--scorer", "ableu")
    results = medians(commands, folder, args.repeat)
    table(results, next(iter(commands)))
    if args.ableu:
        if args.baseline:
            print("  baseline tree:", end="")
            ableu_summary(
                results["baseline tree: BLEU"],
                results["baseline tree: ABLEU"],
                sentences(files["de"]),
            )
        ableu_summary(
            results["workbench align (BLEU)"],
            results["workbench align --scorer ableu"],
            sentences(files["de"]),
        )


def ableu_summary(bleu: tuple, ableu: tuple, n: int) -> None:
    """Self-trained ABLEU against BLEU on the same document: the ratio of whole-process times,
    and each per 1,000 source sentences."""
    print(
        f"  ABLEU / BLEU: {ableu[0] / bleu[0]:.2f}x per document ({n} source sentences); "
        f"per 1,000 source sentences: BLEU {1000 * bleu[0] / n:.2f} s, "
        f"ABLEU {1000 * ableu[0] / n:.2f} s\n",
        flush=True,
    )


def scale(args: argparse.Namespace, folder: Path, script: Path | None, sizes: list[int]) -> None:
    kind = "one article" if args.one_article else "one article per copy"
    print(f"Growth: textberg-dev repeated ({kind}); wall time and peak memory per process")
    for copies in sizes:
        doc = write_document(folder, copies, f"s{copies}", articles=not args.one_article)
        label = f"{sentences(doc['de'])} x {sentences(doc['fr'])}"
        cmds = {}
        if script:
            cmds[f"reference, {label}"] = ref_cmd(script, doc, folder / "r")
        cmds[f"BLEU, {label}"] = align_cmd(doc)
        if args.ableu:
            cmds[f"ABLEU, {label}"] = align_cmd(doc, "--scorer", "ableu")
        repeat = args.repeat if copies <= 11 else 1
        results = medians(cmds, folder, repeat)
        table(results, next(iter(cmds)))
        if args.ableu:
            ableu_summary(
                results[f"BLEU, {label}"], results[f"ABLEU, {label}"], sentences(doc["de"])
            )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reference", help="Bleualign checkout or git directory (else skipped)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per program (median)")
    ap.add_argument("--copies", type=int, default=4, help="textberg-dev copies in the document")
    ap.add_argument("--ableu", action="store_true", help="also self-trained ABLEU")
    ap.add_argument(
        "--scale",
        type=int,
        nargs="*",
        metavar="COPIES",
        help="time and memory of BLEU (and ABLEU with --ableu) for documents of these many "
        "copies of textberg-dev (no number: 1 4 11 22 43, i.e. ~470 to ~20,000 sentences per "
        "side); medians of --repeat up to 11 copies, single runs above",
    )
    ap.add_argument(
        "--one-article",
        action="store_true",
        help="with --scale: no .EOA between the copies (one long article)",
    )
    ap.add_argument(
        "--baseline",
        metavar="TREE",
        help="also time another checkout of workbench (e.g. the tree before a change) on the "
        "same document, in the same rounds",
    )
    ap.add_argument(
        "--skip-main", action="store_true", help="only the --scale table (no start-up, no 4 copies)"
    )
    args = ap.parse_args()
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        script = reference_script(args.reference, folder)
        if not args.skip_main:
            startup_and_document(args, folder, script)
        if args.scale is not None:
            scale(args, folder, script, args.scale or [1, 4, 11, 22, 43])
    return 0


if __name__ == "__main__":
    sys.exit(main())
