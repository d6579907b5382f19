"""Peak memory of exports against the number of pairs (issue 15: exports stream).

Every measurement is a fresh subprocess, so its peak resident set size (``ru_maxrss``) is that
export's alone. Two kinds of run, for each size and format:

- ``pairs``: ``workbench.corpus.write_pairs`` fed by a generator of synthetic pairs (what a
  streaming exporter sees: nothing is held unless the exporter holds it);
- ``project``: ``workbench project export`` of a project holding that many accepted pairs
  (the project is built once per size in another subprocess, not measured).

A ``baseline`` row is the same subprocess that only generates the pairs without writing them:
the interpreter and the imported libraries. Flat memory means the ``peak MB`` column does not
grow with ``pairs``.

    nice python benchmarks/bench_export_memory.py                        # 10k, 100k, 1M pairs
    nice python benchmarks/bench_export_memory.py --sizes 10000 100000 --kinds pairs
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORMATS = ("tsv", "tmx", "moses", "jsonl")
SUFFIX = {"tsv": ".tsv", "tmx": ".tmx", "moses": "", "jsonl": ".jsonl"}


def synthetic_pairs(n: int) -> Iterator[object]:
    """``n`` pairs of realistic length (about 80 characters a side) with metadata."""
    from workbench.corpus import ParallelPair

    for i in range(n):
        yield ParallelPair(
            f"Der {i}. Satz des Dokuments erzählt, was der Hund im Garten gefunden hat.",
            f"La phrase {i} du document raconte ce que le chien a trouvé dans le jardin.",
            f"doc{i // 1000}",
            (i,),
            (i,),
            0.5,
            "bleu",
        )


def child(kind: str, fmt: str, n: int, folder: Path) -> None:
    """One measured run; prints ``peak_kb seconds``."""
    start = time.perf_counter()
    if kind == "baseline":
        import workbench.corpus  # noqa: F401  (the libraries an export imports)

        for _ in synthetic_pairs(n):
            pass
    elif kind == "pairs":
        from workbench.corpus import write_pairs

        out = folder / f"out{SUFFIX[fmt]}"
        written = write_pairs(
            synthetic_pairs(n), out, fmt, metadata=True, source_lang="de", target_lang="fr"
        )
        assert written == n
    else:  # project
        from workbench.cli import main

        out = folder / f"out{SUFFIX[fmt]}"
        code = main(["project", "export", str(folder / "p.wbproj"), str(out), "--format", fmt])
        assert code == 0
    seconds = time.perf_counter() - start
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, f"{seconds:.1f}")


def build_project(folder: Path, n: int) -> None:
    """A project with ``n`` accepted pairs (in chunks of documents, so building stays small)."""
    from workbench import Project

    chunk = 100_000
    with Project.create(folder / "p.wbproj") as project:
        for first in range(0, n, chunk):
            pairs = list(synthetic_pairs(min(chunk, n - first)))
            project.import_pairs(
                pairs,
                name=f"part{first // chunk}",
                source_lang="de",
                target_lang="fr",
                status="accepted",
            )


def run(args: list[str]) -> tuple[float, float]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode:
        raise SystemExit(f"child {args} failed:\n{done.stderr}")
    kb, seconds = done.stdout.split()
    return int(kb) / 1024, float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--kinds", nargs="+", default=["pairs", "project"])
    parser.add_argument("--child", nargs=4, metavar=("KIND", "FMT", "N", "FOLDER"))
    parser.add_argument("--build", nargs=2, metavar=("FOLDER", "N"))
    args = parser.parse_args()
    if args.child:
        kind, fmt, n, folder = args.child
        child(kind, fmt, int(n), Path(folder))
        return
    if args.build:
        build_project(Path(args.build[0]), int(args.build[1]))
        return
    print("| run | format | pairs | peak MB (ru_maxrss) | seconds |")
    print("|---|---|---:|---:|---:|")
    for kind in args.kinds:
        for n in args.sizes:
            with tempfile.TemporaryDirectory(prefix="wb-export-mem-") as tmp:
                folder = Path(tmp)
                if kind == "project":
                    env = dict(os.environ, PYTHONPATH=str(REPO))
                    subprocess.run(
                        [sys.executable, __file__, "--build", tmp, str(n)], check=True, env=env
                    )
                if kind == "pairs":
                    mb, s = run(["--child", "baseline", "-", str(n), tmp])
                    print(f"| baseline (generate only) | - | {n:,} | {mb:.0f} | {s:.1f} |")
                for fmt in args.formats:
                    mb, s = run(["--child", kind, fmt, str(n), tmp])
                    print(f"| {kind} | {fmt} | {n:,} | {mb:.0f} | {s:.1f} |", flush=True)


if __name__ == "__main__":
    main()
