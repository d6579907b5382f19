"""Batch alignment throughput (document pairs per minute): in-process, and Dask 1 vs 2 workers.

Document pairs come from ../shared/bench/textberg-dev: the German–French dev document is cut
into chunks at gold-alignment boundaries that no gold unit crosses, and every chunk is paired
with each of the three machine translations of its German side into French, so every pair is a
real alignment task of its own. Run with ``nice``:

    nice .venv/bin/python benchmarks/bench_batch.py [--chunk 20] [--repeat 1]

Dask runs are timed twice: from scratch (``--workers N``: cluster start-up and the worker\nprocesses' first imports included) and on a cluster already started and warm (``--scheduler``).
"""

from __future__ import annotations

import argparse
import itertools
import os
import tempfile
import time
from pathlib import Path

from workbench.align import read_alignments
from workbench.batch import AlignSettings, BatchItem, run_batch

REPO = Path(__file__).resolve().parent.parent
TEXTBERG = REPO.parent / "shared" / "bench" / "textberg-dev"
SYSTEMS = ("mt-google", "mt-europarlfull", "mt-europarllight")


def cut_points(
    gold: list[tuple[tuple[int, ...], tuple[int, ...]]], every: int
) -> list[tuple[int, int]]:
    """(source, target) line numbers where the gold alignment can be cut, about every N lines."""
    units = sorted((u for u in gold if u[0] and u[1]), key=lambda u: (min(u[0]), min(u[1])))
    cuts, last = [], 0
    max_s = max_t = -1
    for k, (s, t) in enumerate(units[:-1]):
        max_s, max_t = max(max_s, *s), max(max_t, *t)
        nxt = units[k + 1]
        clean = min(nxt[0]) == max_s + 1 and min(nxt[1]) == max_t + 1
        if clean and max_s + 1 - last >= every:
            cuts.append((max_s + 1, max_t + 1))
            last = max_s + 1
    return cuts


def build_documents(folder: Path, every: int, repeat: int) -> list[BatchItem]:
    lines = {
        name: (TEXTBERG / f"dev.{name}").read_text(encoding="utf-8").splitlines()
        for name in ("de", "fr", *(f"{s}.fr" for s in SYSTEMS))
    }
    cuts = cut_points(read_alignments(TEXTBERG / "dev.gold"), every)
    bounds = [(0, 0), *cuts, (len(lines["de"]), len(lines["fr"]))]
    items = []
    for r in range(repeat):
        for c, ((s0, t0), (s1, t1)) in enumerate(itertools.pairwise(bounds)):
            for system in SYSTEMS:
                name = f"r{r}-chunk{c:02d}-{system}"
                paths = {}
                for side, key, a, b in (
                    ("src", "de", s0, s1),
                    ("tgt", "fr", t0, t1),
                    ("mt", f"{system}.fr", s0, s1),
                ):
                    p = folder / f"{name}.{side}"
                    p.write_text("\n".join(lines[key][a:b]) + "\n", encoding="utf-8")
                    paths[side] = p
                items.append(BatchItem(name, paths["src"], paths["tgt"], (paths["mt"],)))
    return items


def timed(items, settings, out, **kw) -> tuple[float, int]:
    start = time.perf_counter()
    report = run_batch(items, settings, out, progress=False, **kw)
    seconds = time.perf_counter() - start
    assert report.ok, report.failed
    return seconds, len(report.aligned)


def warm_cluster(workers: int, items, settings):
    """A LocalCluster whose worker processes have imported and run the aligner once."""
    import logging

    from dask.distributed import Client, LocalCluster

    from workbench.batch import _job_args, _read_job, align_contents

    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    )
    client = Client(cluster)
    client.wait_for_workers(workers)
    job = _job_args(_read_job(items[0], settings))
    for address in client.scheduler_info()["workers"]:
        client.submit(align_contents, *job, settings, workers=[address], pure=False).result()
    client.close()
    return cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunk", type=int, default=20, help="about this many lines per document")
    parser.add_argument("--repeat", type=int, default=1, help="copies of the document set")
    parser.add_argument("--scorer", default="bleu")
    args = parser.parse_args()
    if not (TEXTBERG / "dev.de").exists():
        raise SystemExit(f"{TEXTBERG} is absent")
    settings = AlignSettings(scorer=args.scorer)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        items = build_documents(folder, args.chunk, args.repeat)
        sizes = [len(i.source.read_text(encoding="utf-8").splitlines()) for i in items]
        print(
            f"{len(items)} document pairs, {min(sizes)}-{max(sizes)} source lines each "
            f"({sum(sizes)} in all), scorer {args.scorer}, {os.cpu_count()} CPUs"
        )
        print(f"{'run':<44}{'seconds':>9}{'pairs/min':>11}")

        def show(label: str, seconds: float, n: int) -> None:
            print(f"{label:<44}{seconds:>9.1f}{60 * n / seconds:>11.0f}")

        show("in-process (no Dask)", *timed(items, settings, folder / "out-serial"))
        for workers in (1, 2):
            out = folder / f"out-cold-{workers}"
            show(
                f"LocalCluster {workers} worker(s), incl. start-up",
                *timed(items, settings, out, workers=workers),
            )
        for workers in (1, 2):
            cluster = warm_cluster(workers, items, settings)
            try:
                out = folder / f"out-warm-{workers}"
                show(
                    f"LocalCluster {workers} worker(s), started and warm",
                    *timed(items, settings, out, scheduler=cluster.scheduler_address),
                )
            finally:
                cluster.close()


if __name__ == "__main__":
    main()
