"""Spot-checks over a real project: samples, judgements surviving a kill, the report's figures
recomputed from the store, and the sample/judge/report commands."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

project_mod = pytest.importorskip("workbench.project")

from workbench.align.units import AlignmentUnit  # noqa: E402
from workbench.cli import main  # noqa: E402
from workbench.spotcheck.project_data import create_sample, gather_report  # noqa: E402
from workbench.textio import Document  # noqa: E402

Project = project_mod.Project

WORDS = [
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
]


def sentence(k: int) -> str:
    return " ".join(WORDS[(k * 7 + j * 3) % len(WORDS)] for j in range(5 + k % 4)) + f" n{k}"


def make_project(path: Path, docs: int = 2, n: int = 30) -> Project:
    """Documents whose "translation" is the target with every 5th sentence garbled."""
    project = Project.create(path)
    for d in range(docs):
        src = Document([f"s{d} {sentence(k)}" for k in range(n)], name=f"doc{d}")
        tgt = Document([sentence(k) for k in range(n)], name=f"doc{d}")
        doc_id = project.add_document(src, tgt, name=f"doc{d}", source_lang="xx", target_lang="yy")
        mt = [sentence(k) if k % 5 else "zzz qqq" for k in range(n)]
        project.set_translation(doc_id, mt, translator="test")
        # Two scorers' runs set by hand, so the expected figures are known exactly.
        bleu = [AlignmentUnit((k,), (k,), 0.05 * (k % 10), "anchor") for k in range(n) if k % 5]
        bleu += [AlignmentUnit((k,), (), None, "unaligned") for k in range(0, n, 5)]
        other = [AlignmentUnit((k,), (k,), 0.04 * (k % 10), "anchor") for k in range(n) if k % 3]
        other += [
            AlignmentUnit((k,), (k + 1 if k + 1 < n else k,), 0.01, "gap") for k in range(0, n, 3)
        ]
        project.set_suggestions(doc_id, other, "other")
        project.set_suggestions(doc_id, bleu, "bleu")
    return project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = make_project(tmp_path / "p.wbproj")
    yield p
    p.close()


def test_sample_is_reproducible_and_stored(project: Project) -> None:
    a, size, population = create_sample(project, size=10, seed=5, scorers=["bleu", "other"])
    b, _, _ = create_sample(project, size=10, seed=5, scorers=["bleu", "other"])
    keys = [
        [(i.doc_id, tuple(i.source_ids), tuple(i.target_ids)) for i in project.sample_items(s)]
        for s in (a, b)
    ]
    assert keys[0] == keys[1] and len(keys[0]) == size == 10
    # the union of both scorers' pairs, 1-0 units left out
    assert population == len(
        {
            k
            for d in project.documents()
            for r in project.suggestion_runs(d.id)
            for u in project.run_units(r.id)
            if u.source and u.target
            for k in [(d.id, u.source, u.target)]
        }
    )
    m, msize, _ = create_sample(project, margin=0.1, seed=1, scorers=["bleu"])
    assert msize == len(project.sample_items(m)) < 96


def test_report_figures_recomputed_from_the_store(project: Project) -> None:
    sample_id, _, _ = create_sample(project, size=40, seed=2, scorers=["bleu", "other"])
    items = project.sample_items(sample_id)
    for k, item in enumerate(items[:30]):
        verdict = ["correct", "correct", "incorrect", "unsure"][k % 4]
        project.judge(item.doc_id, item.source_ids, item.target_ids, verdict)
    report = gather_report(project, ["bleu", "other"], compute=False)

    # independently, straight from the store
    docs = project.documents()
    suggested = {}
    for name in ("bleu", "other"):
        pairs = set()
        for d in docs:
            run = [r for r in project.suggestion_runs(d.id) if r.scorer == name][-1]
            pairs |= {
                (d.id, tuple(u.source), tuple(u.target))
                for u in project.run_units(run.id)
                if u.source and u.target
            }
        suggested[name] = pairs
    for name, row in ((r.scorer, r) for r in report.rows):
        pairs = suggested[name]
        aligned_src = len({(d, i) for d, s, _ in pairs for i in s})
        aligned_tgt = len({(d, j) for d, _, t in pairs for j in t})
        total = sum(d.n_source + d.n_target for d in docs)
        assert row.pairs == len(pairs)
        assert row.yield_.overall == pytest.approx((aligned_src + aligned_tgt) / total)
        verdicts = [
            project.judgement(i.doc_id, i.source_ids, i.target_ids)
            for i in items
            if (i.doc_id, tuple(i.source_ids), tuple(i.target_ids)) in pairs
        ]
        correct, incorrect = verdicts.count("correct"), verdicts.count("incorrect")
        assert (row.accuracy.correct, row.accuracy.incorrect) == (correct, incorrect)
        assert row.accuracy.unjudged == verdicts.count(None)
        n, p, z = correct + incorrect, correct / (correct + incorrect), 1.959963984540054
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
        assert row.accuracy.proportion.low == pytest.approx(centre - half)
        assert row.accuracy.proportion.high == pytest.approx(centre + half)
    both = suggested["bleu"] & suggested["other"]
    either = suggested["bleu"] | suggested["other"]
    assert (report.agreement.both, report.agreement.either) == (len(both), len(either))


CHILD = textwrap.dedent(
    """
    import sys
    from workbench.project import Project
    project = Project.open(sys.argv[1])
    items = project.sample_items(int(sys.argv[2]))
    for k in range(100_000):
        item = items[k % len(items)]
        verdict = ["correct", "incorrect", "unsure"][(k // len(items) + k) % 3]
        project.judge(item.doc_id, item.source_ids, item.target_ids, verdict)
        print(k, verdict, flush=True)   # acknowledged: judge() has returned
    """
)


def test_judgements_survive_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "k.wbproj"
    with make_project(path, docs=1, n=40) as project:
        sample_id, size, _ = create_sample(project, size=25, seed=1, scorers=["bleu"])
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(sample_id)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if len(lines) == 2 * size + 7:  # mid-way through the third pass over the sample
            break
    proc.send_signal(signal.SIGKILL)
    # Whatever was acknowledged before the kill; a line the kill cut short (no newline yet)
    # acknowledges nothing.
    lines += proc.stdout.read().split("\n")[:-1]
    proc.wait(timeout=20)
    acked: dict[int, str] = {}
    for line in lines:
        k, verdict = line.split()
        acked[int(k) % size] = verdict
    in_flight = (int(lines[-1].split()[0]) + 1) % size  # may or may not have been stored
    with Project.open(path) as project:
        items = project.sample_items(sample_id)
        assert len(acked) == size
        for index, verdict in acked.items():
            if index != in_flight:
                item = items[index]
                assert item.verdict == verdict
                assert project.judgement(item.doc_id, item.source_ids, item.target_ids) == verdict


def test_commands_sample_judge_report(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "c.wbproj"
    make_project(path, docs=1, n=30).close()
    gold = tmp_path / "gold.txt"
    gold.write_text("".join(f"[{k}]:[{k}]\n" for k in range(30)))
    assert (
        main(
            [
                "sample",
                str(path),
                "--size",
                "12",
                "--seed",
                "3",
                "--scorer",
                "bleu",
                "--scorer",
                "other",
                "--stratify",
                "score",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("sample ") and "12 of" in out and "seed 3" in out
    sample_id = int(out.split()[1].rstrip(":"))
    assert main(["judge", str(path), str(sample_id), "--simulate-gold", str(gold)]) == 0
    csv, html = tmp_path / "r.csv", tmp_path / "r.html"
    assert (
        main(
            [
                "report",
                str(path),
                "--scorers",
                "bleu",
                "other",
                "--gold",
                str(gold),
                "--csv",
                str(csv),
                "--html",
                str(html),
                "--no-compute",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "bleu" in out and "other" in out and "±" in out
    import pandas as pd

    table = pd.read_csv(csv)
    overall = table[table["document"].isna()].set_index("scorer")
    # BLEU suggested exactly the gold pairs minus every 5th: precision 1, recall 24/30
    assert overall.loc["bleu", "strict_precision"] == 1.0
    assert overall.loc["bleu", "strict_recall"] == pytest.approx(24 / 30)
    assert overall.loc["bleu", "accuracy"] == 1.0
    page = html.read_text()
    assert page.count("data:image/png;base64,") == 3 and "<table>" in page
    # errors are one line
    assert main(["sample", str(path), "--size", "999", "--scorer", "bleu"]) == 2
    assert main(["judge", str(path), "77"]) == 2
    assert main(["sample", str(path), "--size", "0"]) == 2
    err = capsys.readouterr().err
    assert "larger than" in err and "no sample 77" in err and "at least one pair" in err


def test_sample_from_accepted_pairs_and_review_rows(project: Project) -> None:
    doc = project.documents()[0]
    rows = [u for u in project.units(doc.id) if u.is_pair]
    for u in rows[:7]:
        project.decide(u.id, "accepted")
    sample_id, size, population = create_sample(project, size=5, seed=1, source="accepted")
    accepted = {(doc.id, u.source_ids, u.target_ids) for u in rows[:7]}
    items = project.sample_items(sample_id)
    assert (size, population) == (5, 7)
    assert {(i.doc_id, i.source_ids, i.target_ids) for i in items} <= accepted
    for item in items[:4]:
        project.judge(item.doc_id, item.source_ids, item.target_ids, "correct")
    project.judge(items[4].doc_id, items[4].source_ids, items[4].target_ids, "incorrect")
    report = gather_report(project, ["bleu", "other"], compute=False)
    row = report.row("accepted")
    assert [r.scorer for r in report.rows] == ["bleu", "other", "accepted"]
    assert row.pairs == 7 and (row.accuracy.correct, row.accuracy.incorrect) == (4, 1)
    assert report.agreement_text("accepted") == "—"
    # the accepted sample does not count for the scorers
    assert report.row("bleu").accuracy.judged == 0
    stats = project.stats()
    assert row.yield_.aligned_source == stats.aligned_source
    assert row.yield_.aligned_target == stats.aligned_target
    no_row = gather_report(project, ["bleu"], compute=False, include_accepted=False)
    assert [r.scorer for r in no_row.rows] == ["bleu"]
    # without scorers: the review rows (the active run, here "bleu"), whatever their status
    _, _, population = create_sample(project, size=3, seed=1)
    assert population == sum(
        1 for d in project.documents() for u in project.units(d.id) if u.is_pair
    )


def test_computing_a_missing_run_keeps_the_reviewed_scorer(tmp_path: Path) -> None:
    from workbench.spotcheck.project_data import scorer_units

    with make_project(tmp_path / "m.wbproj", docs=1, n=20) as project:
        doc = project.documents()[0]
        before = [(u.source_ids, u.target_ids) for u in project.units(doc.id)]
        units = scorer_units(project, doc.id, "ableu")
        assert units and any(u.source and u.target for u in units)
        runs = project.suggestion_runs(doc.id)
        assert [r.scorer for r in runs if r.active] == ["bleu"]
        assert [(u.source_ids, u.target_ids) for u in project.units(doc.id)] == before
        # stored: asked again, the same units come back without aligning
        assert scorer_units(project, doc.id, "ableu", compute=False) == units


def test_terminal_judging_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    path = tmp_path / "t.wbproj"
    with make_project(path, docs=1, n=20) as project:
        sample_id, _, _ = create_sample(project, size=4, seed=2, scorers=["bleu"])
    answers = iter(["c", "x", "i", "b", "u", "q"])  # x: not a key; b: back to the 2nd pair
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["judge", str(path), str(sample_id)]) == 0
    out = capsys.readouterr()
    assert "1 of 4" in out.out and "MT:" in out.out and "type c, i, u" in out.err
    with Project.open(path) as project:
        assert [i.verdict for i in project.sample_items(sample_id)] == [
            "correct",
            "unsure",
            None,
            None,
        ]
    answers = iter(["i", "q"])  # resumes at the third pair
    assert main(["judge", str(path), str(sample_id)]) == 0
    assert "3 of 4" in capsys.readouterr().out
