"""The spot-check report on ../shared/bench/textberg-dev: BLEU vs ABLEU, per MT system.

Run: python benchmarks/spotcheck_textberg.py [--mt google europarlfull europarllight]
        [--size 300] [--seed 1] [--out DIR] [--screenshots docs/screenshots]

For each MT system: a project holding dev.de / dev.fr with that translation; then the very
commands a user runs —

    workbench project create P
    workbench project add P dev.de dev.fr --mt dev.mt-google.fr --source-lang de ...
    workbench sample P --size 300 --seed 1 --scorer bleu --scorer ableu
    workbench judge P SAMPLE --simulate-gold dev.gold
    workbench report P --scorers bleu ableu --gold dev.gold --csv OUT.csv --html OUT.html

The judge is SIMULATED: it consults dev.gold (exact gold pair: correct; overlapping a gold
pair without matching it: unsure; otherwise: incorrect). ABLEU has no embedding given, so it
learns one from the documents (the self-trained path of `workbench align --scorer ableu`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from workbench.cli import main as workbench
from workbench.textio import read_document

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "textberg-dev"


def build_project(path: Path, mt_system: str) -> None:
    run(["project", "create", str(path)])
    run(
        [
            "project",
            "add",
            str(path),
            str(DATA / "dev.de"),
            str(DATA / "dev.fr"),
            "--mt",
            str(DATA / f"dev.mt-{mt_system}.fr"),
            "--translator",
            mt_system,
            "--source-lang",
            "de",
            "--target-lang",
            "fr",
            "--name",
            "textberg-dev",
        ]
    )


def run(argv: list[str]) -> None:
    print("$ workbench " + " ".join(argv), flush=True)
    code = workbench(argv)
    if code:
        sys.exit(code)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mt", nargs="+", default=["google"])
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="keep projects and reports here")
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args()
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="spotcheck-"))
    out.mkdir(parents=True, exist_ok=True)
    for system in args.mt:
        project = out / f"textberg-{system}.wbproj"
        if project.exists():
            project.unlink()
        build_project(project, system)
        # the report first aligns (and stores) both scorers' runs, so the sample draws on them
        run(["report", str(project), "--scorers", "bleu", "ableu"])
        run(
            [
                "sample",
                str(project),
                "--size",
                str(args.size),
                "--seed",
                str(args.seed),
                "--scorer",
                "bleu",
                "--scorer",
                "ableu",
                "--name",
                f"{system} union",
            ]
        )
        from workbench.project import Project

        with Project.open(project) as p:
            sample_id = max(s.id for s in p.samples())
        run(["judge", str(project), str(sample_id), "--simulate-gold", str(DATA / "dev.gold")])
        gold = str(DATA / "dev.gold")
        report = ["report", str(project), "--scorers", "bleu", "ableu", "--gold", gold]
        run([*report, "--csv", str(out / f"report-{system}.csv")])
        run([*report, "--html", str(out / f"report-{system}.html")])
        if args.screenshots and system == args.mt[0]:
            screenshots(project, sample_id, args.screenshots)
        # a stricter simulated judge: a partial pair (overlapping gold) counts as wrong
        run(
            [
                "judge",
                str(project),
                str(sample_id),
                "--simulate-gold",
                gold,
                "--partial",
                "incorrect",
            ]
        )
        run([*report, "--csv", str(out / f"report-{system}-strict.csv")])
    print(f"projects and reports in {out}")
    return 0


def screenshots(project_path: Path, sample_id: int, folder: Path) -> None:
    """The judging view (first pairs judged again by key, resumed mid-way) and the report."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from workbench.gui.spotcheck import JudgingView, ReportView
    from workbench.project import Project
    from workbench.spotcheck.cli_support import gold_by_document
    from workbench.spotcheck.project_data import gather_report

    app = QApplication.instance() or QApplication([])
    folder.mkdir(parents=True, exist_ok=True)
    with Project.open(project_path) as project:
        gold = gold_by_document(project, [str(DATA / "dev.gold")])
        report = gather_report(project, ["bleu", "ableu"], gold=gold, compute=False)
        view = ReportView(report)
        view.resize(1100, 760)
        view.tabs.setCurrentIndex(2)  # accuracy per score band
        view.show()
        app.processEvents()
        view.grab().save(str(folder / "spotcheck-report.png"))
        view.tabs.setCurrentIndex(1)
        app.processEvents()
        view.grab().save(str(folder / "spotcheck-report-scores.png"))
        view.close()
        view.deleteLater()
        judging = JudgingView(project, sample_id)
        judging.resize(900, 600)
        judging.index = 41  # as if resumed at pair 42
        judging.refresh()
        judging.show()
        app.processEvents()
        judging.grab().save(str(folder / "spotcheck-judging.png"))
        judging.close()
        judging.deleteLater()
        app.processEvents()
    korean_screenshot(folder, app)
    print(f"screenshots in {folder}")


def korean_screenshot(folder: Path, app: object) -> None:
    """The judging view on Korean–English (no MT: self-trained ABLEU), for CJK rendering."""
    from workbench.gui.spotcheck import JudgingView
    from workbench.project import Project
    from workbench.spotcheck.project_data import create_sample

    koen = DATA.parent / "koen"
    if not (koen / "korean-english-park.dev.ko").exists():
        return
    ko = read_document(koen / "korean-english-park.dev.ko").sentences[:150]
    en = read_document(koen / "korean-english-park.dev.en").sentences[:150]
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "koen.wbproj") as p:
        from workbench.textio import Document

        p.add_document(
            Document(ko),
            Document(en),
            name="korean-english-park dev",
            source_lang="ko",
            target_lang="en",
        )
        sample_id, _, _ = create_sample(p, size=20, seed=3, scorers=["ableu"])
        view = JudgingView(p, sample_id)
        view.resize(900, 560)
        view.give("correct")
        view.give("incorrect")
        view.show()
        app.processEvents()
        view.grab().save(str(folder / "spotcheck-judging-ko.png"))
        view.close()
        view.deleteLater()
        app.processEvents()


if __name__ == "__main__":
    sys.exit(main())
