"""Screenshots of the confidence in the review window (column and colour bands, the bulk
dialog's preview) and the spot-check reliability diagram. Run from the checkout root:
``QT_QPA_PLATFORM=offscreen python docs/screenshots/make_confidence_screenshots.py [BENCH]``.

The window shots show the bundled demo or, with BENCH (the textberg-dev folder, e.g.
../shared/bench/textberg-dev), that German–French document with its google MT, aligned by the
default aligner in a new project (real confidences, none made up). With BENCH, the reliability
diagram is drawn for the same alignment: 300 sampled pairs judged by the gold alignment (a
simulated judge: exact gold pair = correct, partial = unsure).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

from workbench.gui.app import make_application
from workbench.gui.window import MainWindow

OUT = Path("docs/screenshots")


def settle(app: object) -> None:
    for _ in range(5):
        app.processEvents()


def bench_project(bench: Path, path: Path) -> object:
    """textberg-dev (German–French, google MT) aligned in a new project by the default aligner."""
    from workbench.project import Project
    from workbench.textio import read_document

    project = Project.create(path)
    doc = project.add_document(
        read_document(bench / "dev.de"),
        read_document(bench / "dev.fr"),
        name="textberg-dev",
        source_lang="de",
        target_lang="fr",
    )
    project.set_translation(doc, read_document(bench / "dev.mt-google.fr").sentences, "google")
    project.align(doc)
    return project


def window_shots(app: object, tmp: Path, bench: Path | None) -> None:
    from workbench.gui.bulk import BulkDialog

    window = MainWindow(data_dir=tmp)
    window.resize(1500, 760)
    window.show()
    if bench is None:
        window.open_demo()
    else:
        window.set_project(bench_project(bench, tmp / "textberg.wbproj"))
    project = window.project
    units = project.units()
    rated = [u for u in units if u.confidence is not None]
    if not rated:
        sys.exit("no unit has a confidence: this aligner does not estimate one")
    print(f"{len(rated)} of {len(units)} units have a confidence")
    window.controller.go_to_row(60)
    settle(app)
    window.grab().save(str(OUT / "window-confidence.png"))
    window.order_combo.setCurrentIndex(window.order_combo.findData("confidence"))
    settle(app)
    window.grab().save(str(OUT / "window-least-confident.png"))
    dialog = BulkDialog(project, None, accept_at=0.9, reject_below=0.2, parent=window)
    dialog.show()
    settle(app)
    print(dialog.expected.text())
    dialog.grab().save(str(OUT / "bulk-confidence.png"))
    dialog.close()
    window.close()


def reliability_shot(bench: Path) -> None:
    from workbench.align.pipeline import AlignSettings, Documents, align
    from workbench.align.units import read_alignments
    from workbench.spotcheck.charts import reliability_figure
    from workbench.spotcheck.report import DocumentSize, build_report
    from workbench.spotcheck.sampling import Candidate, draw_sample
    from workbench.spotcheck.simulate import GoldJudge
    from workbench.textio import read_document

    source, target = read_document(bench / "dev.de"), read_document(bench / "dev.fr")
    mt = read_document(bench / "dev.mt-google.fr")
    units = align(AlignSettings(), Documents(source, target, [mt])).units
    gold = read_alignments(bench / "dev.gold")
    judge = GoldJudge(gold)
    candidates = [Candidate(1, u.source, u.target, u.score) for u in units if u.source and u.target]
    sample = draw_sample(candidates, min(300, len(candidates)), seed=1)
    report = build_report(
        {"bleu (google MT)": {1: units}},
        {1: DocumentSize("textberg-dev", len(source.sentences), len(target.sentences))},
        {"bleu (google MT)": [c.key for c in sample]},
        lambda key: judge.verdict(key[1], key[2]),
    )
    print(report.reliability_text())
    fig = reliability_figure(report)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.savefig(OUT / "spotcheck-reliability.png", dpi=110)


def main() -> None:
    app = make_application(offscreen=True)
    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp / "cfg"))
    bench = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    window_shots(app, tmp, bench)
    if bench is not None:
        reliability_shot(bench)


if __name__ == "__main__":
    main()
