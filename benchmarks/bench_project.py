"""Project store at scale: a project of 1,000,000 sentence pairs (one document).

    nice python benchmarks/bench_project.py [--pairs 1000000] [--dir /tmp]

Builds the project through the public API (add_document, set_suggestions: bulk inserts in
big transactions), then, in a fresh process so that its peak memory is its own, measures:
open time (with and without the quick_check), count_units, a page of 100 units at the
start, middle and end of the document by ``after=`` (index seek) and by ``offset=``,
decide() latency (each a committed, synced transaction) and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build(path: Path, n: int) -> dict:
    from workbench.align import AlignmentUnit
    from workbench.project import Project
    from workbench.textio import Document

    words = [
        "the",
        "of",
        "a",
        "curator",
        "checks",
        "every",
        "pair",
        "before",
        "export",
        "and",
        "keeps",
        "what",
        "is",
        "right",
    ]

    def sentence(i: int, lang: str) -> str:
        return f"{lang} {i}: " + " ".join(words[(i + k) % len(words)] for k in range(8)) + "."

    t0 = time.perf_counter()
    source = Document([sentence(i, "de") for i in range(n)], name="big")
    target = Document([sentence(i, "fr") for i in range(n)])
    with Project.create(path) as project:
        doc = project.add_document(source, target, source_lang="de", target_lang="fr")
        t1 = time.perf_counter()
        del source, target
        units = [AlignmentUnit((i,), (i,), 0.5 + (i % 50) / 100, "anchor") for i in range(n)]
        project.set_suggestions(doc, units, "bleu")
        t2 = time.perf_counter()
    return {
        "pairs": n,
        "add_document_s": round(t1 - t0, 1),
        "set_suggestions_s": round(t2 - t1, 1),
        "file_mb": round(path.stat().st_size / 1e6, 1),
    }


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(times), 2)


def measure(path: Path) -> dict:
    from workbench.project import Project

    out: dict = {}
    t = time.perf_counter()
    Project.open(path, read_only=True, check=False).close()
    out["open_without_check_ms"] = round((time.perf_counter() - t) * 1000, 1)
    t = time.perf_counter()
    project = Project.open(path)
    out["open_with_quick_check_ms"] = round((time.perf_counter() - t) * 1000, 1)
    doc = project.documents()[0].id
    n = project.count_units(doc)
    out["count_units_ms"] = timed(lambda: project.count_units(doc))
    out["count_pending_ms"] = timed(lambda: project.count_units(doc, status="pending"))
    first = project.units(doc, limit=1)[0].position
    step = first  # positions are evenly spread after an alignment
    for label, k in (("start", 0), ("middle", n // 2), ("end", n - 100)):
        after = first + (k - 1) * step
        page = project.units(doc, after=after, limit=100)
        assert len(page) == 100 and page[0].source_ids == (k,), (label, page[0])
        out[f"page_after_{label}_ms"] = timed(
            lambda a=after: project.units(doc, after=a, limit=100)
        )
        out[f"page_offset_{label}_ms"] = timed(
            lambda k=k: project.units(doc, offset=k, limit=100), repeat=3
        )
    ids = [u.id for u in project.units(doc, after=first * 1000, limit=200)]
    latencies = []
    for k, uid in enumerate(ids):
        t = time.perf_counter()
        project.decide(uid, "accepted" if k % 2 else "rejected")
        latencies.append((time.perf_counter() - t) * 1000)
    latencies.sort()
    out["decide_median_ms"] = round(statistics.median(latencies), 2)
    out["decide_p95_ms"] = round(latencies[int(len(latencies) * 0.95)], 2)
    t = time.perf_counter()
    project.decide_many(ids, "pending")
    out["decide_many_200_ms"] = round((time.perf_counter() - t) * 1000, 1)
    out["peak_rss_open_page_decide_mb"] = peak_rss_mb()
    t = time.perf_counter()
    everything = project.unit_ids(doc)
    out["unit_ids_all_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    project.decide_many(everything, "accepted")  # "accept all": one transaction, one undo step
    out["decide_many_all_s"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    project.undo()
    out["undo_all_s"] = round(time.perf_counter() - t, 1)
    assert project.count_units(doc, status="accepted") == 0
    out["units"] = n
    project.close()
    out["peak_rss_with_accept_all_mb"] = peak_rss_mb()
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's ru_maxrss of a fork-and-exec'd child can
    still count the parent's memory copied at fork, so the kernel's VmHWM is read first."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--dir", default=None, help="where to put the project (default: temp)")
    parser.add_argument("--measure", metavar="PROJECT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = Path(tmp) / "big.wbproj"
        built = build(path, args.pairs)
        built["build_peak_rss_mb"] = peak_rss_mb()
        print(json.dumps(built), flush=True)
        result = subprocess.run(
            [sys.executable, __file__, "--measure", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(result.stdout.strip())


if __name__ == "__main__":
    main()
