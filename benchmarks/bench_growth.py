"""How `workbench align`'s time and memory grow with the document (issue 19), whole processes.

Run: nice python benchmarks/bench_growth.py [--sizes 500 1000 2000 5000 10000 20000]
     [--scorers bleu ableu] [--distinct] [--repeat N]

Each size is a document of textberg-dev's article (../shared/bench/textberg-dev: German,
French and the europarlfull French MT; 468 × 554 sentences) repeated, ``.EOA`` between the
copies, as many copies as come nearest to the size (at least one): 500 → 468, 20,000 → 20,124
source sentences. ``--distinct`` gives every copy its own vocabulary (each word of copy k,
in all three files, gets the suffix ``q`` + k spelt in letters): the worst case for what
grows with the vocabulary (self-trained ABLEU's word-by-word nearest-neighbour lists), where
real text's vocabulary grows more slowly than its length.

Per size and scorer (``bleu``; ``ableu`` = ``--scorer ableu`` without ``--embeddings``:
self-trained), one whole process (start-up included; median of ``--repeat``): wall seconds,
CPU seconds (user + system: steadier on a shared machine), peak resident memory of the
process (``ru_maxrss``), wall and CPU seconds per 1,000 source sentences, and the machine's
1-minute load average when the run ended (on a shared machine read the load with the figures).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench_speed import run_process  # same folder: whole processes, timed alike

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "bench" / "textberg-dev"
FILES = (("de", "dev.de"), ("fr", "dev.fr"), ("mt", "dev.mt-europarlfull.fr"))


def copies_for(size: int, article: int) -> int:
    """Copies of an ``article``-sentence article nearest to ``size`` sentences (at least 1)."""
    return max(1, round(size / article))


def tag(k: int) -> str:
    """Copy k's vocabulary suffix: ``q`` and k's digits spelt as letters (0 → a ... 9 → j)."""
    return "q" + "".join(chr(ord("a") + int(d)) for d in str(k))


def distinct_line(line: str, k: int) -> str:
    """``line`` with copy k's suffix on every word holding a letter or digit (punctuation
    stays shared, as it is in real text); copy 0 unchanged."""
    if not k:
        return line
    suffix = tag(k)
    return " ".join(w + suffix if any(c.isalnum() for c in w) else w for w in line.split())


def write_document(folder: Path, copies: int, distinct: bool = False) -> dict[str, Path]:
    """textberg-dev repeated ``copies`` times, ``.EOA`` between the copies."""
    out = {}
    for side, name in FILES:
        lines = (DATA / name).read_text(encoding="utf-8").splitlines()
        text: list[str] = []
        for k in range(copies):
            if k:
                text.append(".EOA")
            text.extend(distinct_line(x, k) if distinct else x for x in lines)
        path = folder / f"doc{copies}{'d' if distinct else ''}.{side}"
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        out[side] = path
    return out


def sentences(path: Path) -> int:
    return sum(1 for x in path.read_text(encoding="utf-8").splitlines() if x != ".EOA")


def align_cmd(files: dict[str, Path], scorer: str, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "workbench",
        "align",
        str(files["de"]),
        str(files["fr"]),
        "--mt",
        str(files["mt"]),
        "--scorer",
        scorer,
        "-o",
        str(out),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[500, 1000, 2000, 5000, 10000, 20000],
        help="document sizes in source sentences (rounded to whole copies of textberg-dev)",
    )
    ap.add_argument("--scorers", nargs="+", default=["bleu", "ableu"], help="bleu, ableu, ...")
    ap.add_argument("--distinct", action="store_true", help="every copy its own vocabulary")
    ap.add_argument("--repeat", type=int, default=1, help="runs per cell (median)")
    args = ap.parse_args()
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    article = sentences(DATA / "dev.de")
    kind = "each copy its own vocabulary" if args.distinct else "the same article repeated"
    print(f"textberg-dev x copies ({kind}); whole processes, median of {args.repeat}")
    print(
        "| source × target sentences | scorer | wall | CPU | peak RSS | per 1,000 source "
        "sentences: wall / CPU | load average (1 min) |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for size in args.sizes:
            files = write_document(folder, copies_for(size, article), args.distinct)
            n, m = sentences(files["de"]), sentences(files["fr"])
            for scorer in args.scorers:
                runs = [
                    run_process(align_cmd(files, scorer, folder / "out.txt"), folder)
                    for _ in range(args.repeat)
                ]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                rss = max(r[2] for r in runs)
                print(
                    f"| {n:,} × {m:,} | {scorer} | {wall:.1f} s | {cpu:.1f} s | {rss:.0f} MiB "
                    f"| {1000 * wall / n:.1f} s / {1000 * cpu / n:.2f} s | {os.getloadavg()[0]:.1f} |",
                    flush=True,
                )
            for path in files.values():
                path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
