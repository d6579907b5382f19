"""Review window responsiveness: event-loop stalls during background work, and scrolling.

1. While a 5,000-sentence document is translated (a file translator: the line-aligned MT file
   Bleualign users have; ``--ct2`` uses a tiny real CTranslate2 model instead) and aligned on
   the TaskWorker, a QTimer ticks every 10 ms on the GUI thread; the longest gap between ticks
   is the longest stall a user would feel. Storing the 5,000 suggestions (GUI thread) is
   included.
2. A 100,000-pair project is scrolled page by page (Page Down on the view) and by random jumps;
   the time per page includes fetching rows from the store and painting the viewport.

Run: ``QT_QPA_PLATFORM=offscreen nice .venv/bin/python benchmarks/bench_gui.py``
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.ctranslate2_models import pseudo_sentences  # noqa: E402
from workbench.align import AlignmentUnit  # noqa: E402
from workbench.textio import Document  # noqa: E402


def make_documents(n: int, seed: int = 1) -> tuple[Document, Document, list[str]]:
    """A source, a target with realistic damage (dropped, inserted, merged sentences) and a
    "translation" of the source that is the target's wording, perturbed."""
    rng = random.Random(seed)
    target_base = pseudo_sentences(n, seed=seed)
    source = [f"src {i} " + s[::-1] for i, s in enumerate(target_base)]
    mt = []
    for s in target_base:
        words = s.split()
        if len(words) > 3:
            words[rng.randrange(len(words))] = "mtword"
        mt.append(" ".join(words))
    articles = [(a, min(a + 100, n)) for a in range(0, n, 100)]
    target: list[str] = []
    target_articles = []
    for start, stop in articles:
        first = len(target)
        for i in range(start, stop):
            s = target_base[i]
            r = rng.random()
            if r < 0.02:
                continue  # untranslated
            if r < 0.04 and len(target) > first:
                target[-1] = target[-1] + " " + s  # merged
                continue
            target.append(s)
            if r > 0.98:
                target.append(pseudo_sentences(1, seed=i + 10_000)[0])  # extra sentence
        target_articles.append((first, len(target)))
    return Document(source, articles), Document(target, target_articles), mt


def bench_stall(n: int, use_ct2: bool) -> dict:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from workbench.gui.app import make_application
    from workbench.gui.window import MainWindow
    from workbench.project import Project

    make_application(offscreen=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench_gui_"))
    source, target, mt = make_documents(n)
    project = Project.create(tmp / "bench.wbproj")
    doc_id = project.add_document(source, target, name="bench")
    if use_ct2:
        from tests.ctranslate2_models import build_tiny_models

        model: object = build_tiny_models(tmp / "models").marian
    else:
        mt_file = tmp / "mt.txt"
        mt_file.write_text("\n".join(mt) + "\n", encoding="utf-8")
        model = mt_file
    window = MainWindow(data_dir=tmp)
    window.resize(1280, 720)
    window.show()
    window.set_project(project)
    window.doc_combo.setCurrentIndex(1)

    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    outcome: list[str] = []
    window.task_done.connect(lambda what: (outcome.append(what), loop.quit()))
    start = time.perf_counter()
    clock.start()
    timer.start()
    if not window.translate_with_model(model):
        raise SystemExit("the task did not start")
    loop.exec()
    # keep ticking a little after the results were stored, to include any repaint
    end = QEventLoop()
    QTimer.singleShot(200, end.quit)
    end.exec()
    timer.stop()
    elapsed = time.perf_counter() - start
    units = project.count_units(doc_id)
    window.close()
    return {
        "outcome": outcome[0] if outcome else "?",
        "seconds": elapsed,
        "units": units,
        "ticks": len(gaps),
        "max_gap_ms": max(gaps),
        "p99_gap_ms": sorted(gaps)[int(0.99 * (len(gaps) - 1))],
    }


def bench_scroll(n: int, pages: int) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from workbench.gui.app import make_application
    from workbench.gui.window import MainWindow
    from workbench.project import Project

    make_application(offscreen=True)
    tmp = Path(tempfile.mkdtemp(prefix="bench_scroll_"))
    sentences = pseudo_sentences(2000, seed=3)
    source = Document([f"{i}: {sentences[i % 2000]}" for i in range(n)])
    target = Document([f"{i}. {sentences[(i * 7) % 2000]}" for i in range(n)])
    t0 = time.perf_counter()
    project = Project.create(tmp / "scroll.wbproj")
    doc_id = project.add_document(source, target, name="big")
    project.set_suggestions(
        doc_id, [AlignmentUnit((i,), (i,), 0.5, "anchor") for i in range(n)], "bleu"
    )
    build = time.perf_counter() - t0
    window = MainWindow(data_dir=tmp)
    window.resize(1280, 720)
    window.show()
    t0 = time.perf_counter()
    window.set_project(project)
    QApplication.processEvents()
    open_s = time.perf_counter() - t0
    view = window.view
    view.setFocus()
    page_times = []
    for _ in range(pages):
        t0 = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_PageDown)
        view.viewport().repaint()
        QApplication.processEvents()
        page_times.append((time.perf_counter() - t0) * 1000)
    rng = random.Random(0)
    jump_times = []
    for _ in range(50):
        t0 = time.perf_counter()
        window.controller.go_to_row(rng.randrange(n))
        view.viewport().repaint()
        QApplication.processEvents()
        jump_times.append((time.perf_counter() - t0) * 1000)
    result = {
        "units": window.model.rowCount(),
        "build_s": build,
        "open_s": open_s,
        "page_median_ms": statistics.median(page_times),
        "page_max_ms": max(page_times),
        "jump_median_ms": statistics.median(jump_times),
        "jump_max_ms": max(jump_times),
        "store_queries": window.model.page_loads,
        "row": window.controller.current_row(),
    }
    window.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=5000)
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--ct2", action="store_true", help="tiny CTranslate2 model, not a file")
    args = parser.parse_args()
    stall = bench_stall(args.sentences, args.ct2)
    print(
        f"background translate+align of {args.sentences} sentences "
        f"({'tiny CTranslate2 model' if args.ct2 else 'file translator'}): {stall['outcome']} in "
        f"{stall['seconds']:.1f} s, {stall['units']} units; heartbeat {stall['ticks']} ticks, "
        f"longest gap {stall['max_gap_ms']:.0f} ms, p99 {stall['p99_gap_ms']:.0f} ms"
    )
    scroll = bench_scroll(args.pairs, args.pages)
    print(
        f"scrolling {scroll['units']} pairs (project built in {scroll['build_s']:.1f} s, opened "
        f"in {scroll['open_s'] * 1000:.0f} ms): Page Down median {scroll['page_median_ms']:.1f} "
        f"ms, max {scroll['page_max_ms']:.1f} ms over {args.pages} pages; random jump median "
        f"{scroll['jump_median_ms']:.1f} ms, max {scroll['jump_max_ms']:.1f} ms; "
        f"{scroll['store_queries']} page queries"
    )


if __name__ == "__main__":
    main()
