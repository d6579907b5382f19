"""Self-trained ABLEU in a project: one model per project against one per document (issue 19).

    nice python benchmarks/bench_project_model.py --before REV [--parts 10] [--systems ...]

textberg-dev (../shared/bench/textberg-dev, German → French, 468 × 554 sentences) is cut into
``--parts`` documents at places where no gold alignment crosses the cut, and stored in a project
with each part's MT (``dev.mt-SYSTEM.fr``). Then, whole processes taking turns, for the tree at
git revision ``--before`` (per-document self-training; exported into a temporary folder with
``git archive``) and for this tree (the project model):

- ``workbench project align P --scorer ableu``: every document, from a fresh copy of the project
  (the first alignment: the project model is trained here);
- the same command again on that project (a second pass: the model is stored);
- ``workbench project realign P --doc 1`` with ABLEU (re-aligning one document);
- ``workbench project add`` of one more document (the first one's text again), then
  ``project align P --doc 11`` (the project model is retrained on all 11 documents here);

and, for reference, ``project align --scorer bleu`` with this tree. Strict F1 of each
project's units against dev.gold (ids mapped back to the whole document; 1-0 / 0-1 units left
out, as in benchmarks/eval_textberg.py; before the 11th document is added), per MT system,
with wall time, CPU time (user + system, in brackets: steadier than wall time on a shared
machine) and peak memory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "bench" / "textberg-dev"
SYSTEMS = ("europarlfull", "europarllight", "google")


def cut_points(gold: list, n_src: int, n_tgt: int, parts: int) -> list[tuple[int, int]]:
    """(source, target) sentence ids where a part starts, ``parts`` of them (the first (0, 0)):
    places no gold unit crosses, nearest to equal shares of the source."""
    units = sorted((u for u in gold if u[0] and u[1]), key=lambda u: (min(u[0]), min(u[1])))
    suffix_s, suffix_t = [n_src] * (len(units) + 1), [n_tgt] * (len(units) + 1)
    for i in range(len(units) - 1, -1, -1):
        suffix_s[i] = min(suffix_s[i + 1], *units[i][0])
        suffix_t[i] = min(suffix_t[i + 1], *units[i][1])
    candidates = []
    max_s = max_t = -1
    for i, (src, tgt) in enumerate(units[:-1]):
        max_s, max_t = max(max_s, *src), max(max_t, *tgt)
        if max_s < suffix_s[i + 1] and max_t < suffix_t[i + 1]:
            candidates.append((max_s + 1, max_t + 1))
    cuts = [(0, 0)]
    for k in range(1, parts):
        want = k * n_src / parts
        best = min(candidates, key=lambda c: abs(c[0] - want))
        if best not in cuts:
            cuts.append(best)
    return sorted(cuts)


def build_project(path: Path, system: str, parts: int) -> list[tuple[int, int]]:
    """The project file, and each document's (source, target) offset in the whole document."""
    from workbench.align import read_alignments
    from workbench.project import Project
    from workbench.textio import Document, read_document

    src, tgt = read_document(DATA / "dev.de"), read_document(DATA / "dev.fr")
    mt = read_document(DATA / f"dev.mt-{system}.fr")
    gold = read_alignments(DATA / "dev.gold")
    cuts = cut_points(gold, len(src.sentences), len(tgt.sentences), parts)
    ends = [*cuts[1:], (len(src.sentences), len(tgt.sentences))]
    with Project.create(path) as project:
        project.set_setting("reviewer", "bench")
        for k, ((s0, t0), (s1, t1)) in enumerate(zip(cuts, ends, strict=True)):
            doc = project.add_document(
                Document(src.sentences[s0:s1], name=f"part{k + 1}"),
                Document(tgt.sentences[t0:t1]),
                source_lang="de",
                target_lang="fr",
            )
            project.set_translation(doc, mt.sentences[s0:s1], f"file: dev.mt-{system}.fr")
    return cuts


def write_part(folder: Path, template: Path) -> list[str]:
    """The template's first document as files, and ``project add`` arguments for it (one
    more document: the same sentences again, so the project's text changes)."""
    from workbench.project import Project

    with Project.open(template, read_only=True) as project:
        doc = project.documents()[0].id
        texts = {
            "de": project.source(doc).sentences,
            "fr": project.target(doc).sentences,
            "mt": project.translation(doc, "source").sentences,
        }
    for side, lines in texts.items():
        (folder / f"extra.{side}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(folder / "extra.de"), str(folder / "extra.fr"), "--mt", str(folder / "extra.mt")]


def strict_f1(path: Path, offsets: list[tuple[int, int]]) -> float:
    from workbench.align import read_alignments
    from workbench.align.evaluate import evaluate
    from workbench.project import Project

    keys = []
    with Project.open(path, read_only=True) as project:
        for info, (s0, t0) in zip(project.documents(), offsets, strict=True):
            for u in project.units(info.id):
                if u.source_ids and u.target_ids:
                    keys.append(
                        (tuple(s0 + i for i in u.source_ids), tuple(t0 + j for j in u.target_ids))
                    )
    return evaluate(read_alignments(DATA / "dev.gold"), keys).strict_f1


def run(tree: Path, *args: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak memory (MiB) of
    ``python -m workbench ARGS`` with ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree), QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", *args],
        # ``python -m`` puts the working folder first on sys.path, before PYTHONPATH: run in
        # the tree itself, or every tree runs the code of the folder the benchmark started in.
        cwd=tree,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(args)}\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--before",
        help="git revision (or a folder holding such a tree) with per-document training; "
        "without it those rows are skipped",
    )
    ap.add_argument("--parts", type=int, default=10, help="documents cut from textberg-dev")
    ap.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    ap.add_argument("--no-bleu", action="store_true", help="leave out the BLEU reference row")
    args = ap.parse_args()
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        trees = {}
        if args.before and Path(args.before).is_dir():
            trees[f"per document ({Path(args.before).name})"] = Path(args.before)
        elif args.before:
            before = folder / "before"
            before.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(REPO), "archive", args.before],
                check=True,
                capture_output=True,
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
            trees[f"per document ({args.before})"] = before
        else:
            print("per-document rows skipped: give --before REV (a commit before issue 19's)")
        trees["project model (this tree)"] = REPO
        print(
            "| MT system | alignment | strict F1 | project align, first | project align, "
            "again | project realign --doc 1 | a document added, aligned | peak memory |"
        )
        print("|---|---|---|---|---|---|---|---|")
        ableu = ("--scorer", "ableu")
        for system in args.systems:
            template = folder / f"{system}.wbproj"
            offsets = build_project(template, system, args.parts)
            extra = write_part(folder, template)
            rows: dict[str, list] = {name: [] for name in trees}
            paths = {}
            for name in trees:
                paths[name] = folder / f"{system}-{len(paths)}.wbproj"
                shutil.copy(template, paths[name])
            steps = [
                ("project", "align", "{p}", *ableu),  # the first alignment
                ("project", "align", "{p}", *ableu),  # the same command again
                ("project", "realign", "{p}", "--doc", "1", *ableu),
            ]
            for step in steps:  # the trees taking turns
                for name, tree in trees.items():
                    rows[name].append(run(tree, *(a.format(p=paths[name]) for a in step)))
            f1s = {name: strict_f1(paths[name], offsets) for name in trees}
            new = str(len(offsets) + 1)
            for name, tree in trees.items():  # one more document, aligned on its own
                run(tree, "project", "add", str(paths[name]), *extra)
                rows[name].append(
                    run(tree, "project", "align", str(paths[name]), "--doc", new, *ableu)
                )
            for name in trees:
                times = " | ".join(f"{w:.1f} s ({c:.1f} s)" for w, c, _m in rows[name])
                mem = max(m for _w, _c, m in rows[name])
                print(
                    f"| {system} | ABLEU, {name} | {f1s[name]:.3f} | {times} | {mem:.0f} MiB |",
                    flush=True,
                )
            if not args.no_bleu:
                bleu = folder / f"{system}-bleu.wbproj"
                shutil.copy(template, bleu)
                wall, cpu, mem = run(REPO, "project", "align", str(bleu), "--scorer", "bleu")
                f1 = strict_f1(bleu, offsets)
                print(
                    f"| {system} | BLEU | {f1:.3f} | {wall:.1f} s ({cpu:.1f} s) | | | | "
                    f"{mem:.0f} MiB |",
                    flush=True,
                )
        print(f"\n{len(offsets)} documents; source offsets {[s for s, _t in offsets]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
