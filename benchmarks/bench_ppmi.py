"""Self-trained ABLEU's PPMI counts (issue 19): ``cooccurrence_ppmi`` of one tree against
another's, in turns, in fresh processes (each tree imported from its own path).

Run: nice python benchmarks/bench_ppmi.py SOURCE TARGET [--baseline TREE] [--rounds 2]
[--times 5] [--copies 2]

SOURCE and TARGET are line-aligned text files (e.g. textberg-dev × 4's ``x4.de`` and
``x4.fr``); each line pair, split at white space, is one training pair, the whole list
repeated ``--copies`` times. Each figure is the best and the median of ``--times`` calls in one
process (after a warm-up call that imports scipy.sparse); the trees take turns ``--rounds``
times so that they share the machine's load.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from workbench.embeddings.counts import cooccurrence_ppmi
src = open(sys.argv[2], encoding="utf-8").read().split("\\n")
tgt = open(sys.argv[3], encoding="utf-8").read().split("\\n")
pairs = [(s.split(), t.split()) for s, t in zip(src, tgt)] * int(sys.argv[4])
cooccurrence_ppmi(pairs[:10])
times = []
for _ in range(int(sys.argv[5])):
    start = time.perf_counter()
    cooccurrence_ppmi(pairs)
    times.append(time.perf_counter() - start)
times.sort()
tokens = sum(len(s) + len(t) for s, t in pairs)
print(f"{tokens:,} tokens: best {times[0]:.3f} s, median {times[len(times) // 2]:.3f} s")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--baseline", type=Path, help="another tree to time side by side")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--times", type=int, default=5)
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    trees = [("this tree", Path(__file__).resolve().parents[1])]
    if args.baseline:
        trees.insert(0, ("baseline tree", args.baseline.resolve()))
    for _ in range(args.rounds):
        for name, tree in trees:
            argv = [str(tree), str(args.source), str(args.target), str(args.copies)]
            out = subprocess.run(
                [sys.executable, "-c", _CHILD, *argv, str(args.times)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            print(f"  {name:14} {out}")


if __name__ == "__main__":
    main()
