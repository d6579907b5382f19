"""Re-aligning keeps what the curator made: a pending merge, split, moved sentence or text fix
is a fixed anchor like a decided unit; only the aligner's suggestions nobody touched are
replaced. The same core (Project.set_suggestions, project.realign) serves `project align`,
`project realign`, `workbench realign` and the window."""

from __future__ import annotations

import sqlite3

import pytest
from helpers_flood import FLOOD_EN
from helpers_schema import drop_history_columns

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.cli import main
from workbench.errors import ProjectError
from workbench.project import schema
from workbench.textio import Document

TARGET = FLOOD_EN
SOURCE = [f"Quelle {i}: {t}" for i, t in enumerate(TARGET)]  # any text; MT carries the signal
WRONG = [  # the aligner's first (wrong in the middle) suggestions
    AlignmentUnit((0,), (0,), 0.9, "dp"),
    AlignmentUnit((1, 2), (1,), 0.3, "dp"),
    AlignmentUnit((3,), (2, 3), 0.2, "dp"),
    AlignmentUnit((4,), (4,), 0.8, "dp"),
    AlignmentUnit((5,), (5,), 0.05, "dp"),
]


@pytest.fixture
def doc(project):
    d = project.add_document(Document(SOURCE), Document(TARGET), name="flood")
    project.set_translation(d, TARGET, "oracle")  # realign makes every unit 1-1
    project.set_suggestions(d, WRONG, "bleu")
    return d


def layout(project, d):
    return [(u.source_ids, u.target_ids, u.status) for u in project.units(d)]


def one_to_one(n: int) -> list[AlignmentUnit]:
    return [AlignmentUnit((i,), (i,), 0.5, "dp") for i in range(n)]


def test_edits_mark_units_edited_and_undo_takes_the_mark_back(project, doc):
    units = project.units(doc)
    assert not any(u.edited for u in units)  # the aligner's
    project.set_bookmark(units[0].id, note="?")  # not an edit of the pair
    project.decide(units[0].id, "accepted")
    assert not project.unit(units[0].id).edited
    merged = project.merge_with_next(units[3].id)
    assert project.unit(merged).edited
    project.edit_sentence(doc, "target", 2, TARGET[2] + " (fixed)")
    assert project.unit(units[2].id).edited  # the unit holding target 2
    assert project.undo()  # the text fix
    assert not project.unit(units[2].id).edited
    assert project.undo()  # the merge
    assert not any(u.edited for u in project.units(doc))
    a, b = project.split_unit(units[1].id, 1, 1)
    assert project.unit(a).edited and project.unit(b).edited
    project.move_sentence(units[4].id, "source", "up")
    assert project.unit(units[4].id).edited
    assert project.unit(units[3].id).edited  # the unit that took the sentence


def test_a_replace_all_marks_the_units_it_changed_in_one_step(project, doc):
    assert project.edit_sentences(doc, "target", {1: "Fixed one.", 3: "Fixed three."}) == 2
    assert [u.edited for u in project.units(doc)] == [False, True, True, False, False]
    assert project.undo()
    assert not any(u.edited for u in project.units(doc))


def test_align_keeps_pending_merges_splits_moves_and_text_fixes(project, doc):
    units = project.units(doc)
    project.decide(units[0].id, "accepted")
    a, _b = project.split_unit(units[1].id, 1, 1)  # (1):(1) and (2):()
    project.edit_sentence(doc, "target", 2, TARGET[2] + " (fixed)")  # in (3):(2,3)
    merged = project.merge_with_next(units[3].id)  # (4,5):(4,5)
    kept = {u.id: (u.source_ids, u.target_ids) for u in project.units(doc)}
    # The aligner now says 1-1 everywhere: only untouched suggestions may change (none are
    # left but the decided one, which stays too).
    project.set_suggestions(doc, one_to_one(6), "ableu")
    assert {u.id: (u.source_ids, u.target_ids) for u in project.units(doc)} == kept
    assert layout(project, doc) == [
        ((0,), (0,), "accepted"),
        ((1,), (1,), "pending"),
        ((2,), (), "pending"),
        ((3,), (2, 3), "pending"),
        ((4, 5), (4, 5), "pending"),
    ]
    assert project.unit(merged).method == "manual" and project.unit(a).edited
    assert project.journal()[-1].after["kept"] == 5


def test_align_replaces_only_the_untouched_suggestions(project, doc):
    units = project.units(doc)
    merged = project.merge_with_next(units[3].id)  # (4,5):(4,5), the curator's
    project.set_suggestions(doc, one_to_one(6), "ableu")
    assert layout(project, doc) == [
        ((0,), (0,), "pending"),
        ((1,), (1,), "pending"),
        ((2,), (2,), "pending"),
        ((3,), (3,), "pending"),
        ((4, 5), (4, 5), "pending"),
    ]
    after = project.units(doc)
    assert after[-1].id == merged and after[-1].edited
    assert [u.scorer for u in after[:4]] == ["ableu"] * 4 and not any(u.edited for u in after[:4])
    # Aligned again, it stays again (the suggestions (4):(4), (5):(5) would cross it).
    project.set_suggestions(doc, WRONG, "bleu")
    assert layout(project, doc)[-1] == ((4, 5), (4, 5), "pending")


def test_realign_aligns_around_the_curators_units(project, doc):
    units = project.units(doc)
    merged = project.merge_with_next(units[3].id)  # (4,5):(4,5)
    made = project.realign(doc)
    assert made == 4  # the run (0):(0) (1,2):(1) (3):(2,3) became four 1-1 units
    assert layout(project, doc) == [
        ((0,), (0,), "pending"),
        ((1,), (1,), "pending"),
        ((2,), (2,), "pending"),
        ((3,), (3,), "pending"),
        ((4, 5), (4, 5), "pending"),
    ]
    assert project.units(doc)[-1].id == merged


def test_realign_keeps_a_text_fixed_unit_as_an_anchor(project, doc):
    project.edit_sentence(doc, "source", 3, SOURCE[3] + " (fixed)")  # in (3):(2,3)
    fixed = project.units(doc)[2]
    assert fixed.edited
    project.realign(doc)
    after = project.units(doc)
    assert (fixed.id, fixed.source_ids, fixed.target_ids) in {
        (u.id, u.source_ids, u.target_ids) for u in after
    }
    # the run before it, (1,2):(1), was re-aligned on its own sentences
    assert layout(project, doc)[:3] == [
        ((0,), (0,), "pending"),
        ((1,), (1,), "pending"),
        ((2,), (), "pending"),
    ]


def test_pending_runs_for_the_window_leave_out_edited_units(project, doc):
    units = project.units(doc)
    project.merge_with_next(units[3].id)
    runs = project.pending_runs(doc)
    assert [[r[0] for r in run] for run in runs] == [[u.id for u in units[:3]]]


def test_store_realigned_leaves_a_run_the_curator_edited_meanwhile(project, doc):
    from workbench.align import pipeline
    from workbench.align.pipeline import AlignSettings
    from workbench.project import realign

    docs = pipeline.project_documents(project, doc)
    basis = project.alignment_basis(doc)
    runs = project.pending_runs(doc)
    aligner, _vectors = pipeline.build_aligner(AlignSettings("bleu"), docs)
    aligned = realign.align_runs(aligner, runs, docs.source, docs.target, docs.mt[0], None)
    # Meanwhile (the window's worker was aligning) the curator moves a sentence.
    project.move_sentence(project.units(doc)[1].id, "source", "down")
    before = layout(project, doc)
    summary = project.store_realigned(doc, runs, aligned, "bleu", basis)
    assert "left as they are" in summary
    assert layout(project, doc) == before


def test_cli_project_align_and_realign_keep_a_pending_merge(project, doc, capsys):
    units = project.units(doc)
    merged = project.merge_with_next(units[3].id)
    path = project.path
    project.close()
    assert main(["project", "align", str(path), "--doc", str(doc)]) == 0
    with Project.open(path) as p:
        after = p.units(doc)
        assert (after[-1].id, after[-1].source_ids, after[-1].target_ids) == (
            merged,
            (4, 5),
            (4, 5),
        )
        assert [u.source_ids for u in after[:-1]] == [(0,), (1,), (2,), (3,)]
        split = p.split_unit(after[1].id, 1, 0)  # (1):() and ():(1), pending
    assert main(["realign", str(path), "--doc", str(doc)]) == 0
    assert main(["project", "realign", str(path), "--doc", str(doc)]) == 0
    with Project.open(path) as p:
        ids = {u.id: (u.source_ids, u.target_ids) for u in p.units(doc)}
        assert ids[split[0]] == ((1,), ()) and ids[split[1]] == ((), (1,))
        assert ids[merged] == ((4, 5), (4, 5))


# -- old project files ------------------------------------------------------------------------
def _downgrade_to_v4(path) -> None:
    """Make a version-4 file of a project: what a workbench before the ``edited`` flag wrote."""
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE units DROP COLUMN edited")
    drop_history_columns(conn, 1)  # rows had no edited column
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()


def test_a_version_4_file_gets_the_flag_on_open_and_keeps_the_curators_units(
    project, doc, tmp_path
):
    units = project.units(doc)
    project.decide(units[0].id, "accepted")
    project.edit_sentence(doc, "target", 1, TARGET[1] + " (fixed)")  # in (1,2):(1)
    merged = project.merge_with_next(units[3].id)  # method "manual"
    path = project.path
    project.close()
    _downgrade_to_v4(path)
    data = path.read_bytes()
    # Read-only (export, stats) never rewrites the file: it is refused as before, untouched.
    with pytest.raises(ProjectError, match="open it for writing once"):
        Project.open(path, read_only=True)
    assert path.read_bytes() == data
    with Project.open(path) as p:
        edited = {u.id: u.edited for u in p.units(doc)}
        assert edited == {
            units[0].id: False,  # decided, not edited
            units[1].id: True,  # its target sentence was fixed
            units[2].id: False,
            merged: True,
        }
        # the history saved before the flag still undoes and redoes (the merge)
        assert p.undo()
        assert [u.edited for u in p.units(doc)][3:] == [False, False]
        assert p.redo()
        assert p.unit(merged).edited
        p.set_suggestions(doc, one_to_one(6), "ableu")
        assert layout(p, doc) == [
            ((0,), (0,), "accepted"),
            ((1, 2), (1,), "pending"),
            ((), (2,), "pending"),
            ((3,), (3,), "pending"),
            ((4, 5), (4, 5), "pending"),
        ]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 5
    conn.close()
