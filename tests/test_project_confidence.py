"""Per-unit confidence in the project: stored with each unit, migrated, filtered, ordered,
exported (``--min-confidence``); units without one behave as before."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from helpers_schema import drop_history_columns

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.errors import InputError
from workbench.project import schema
from workbench.textio import Document

SOURCE = ["Guten Tag.", "Ich gehe nach Hause.", "Der Hund bellt.", "Es regnet.", "Gute Nacht."]
TARGET = ["Bonjour.", "Je rentre à la maison.", "Le chien aboie.", "Il pleut.", "Bonne nuit."]
EXPORT = [sys.executable, "-m", "workbench", "project", "export"]
CONFIDENCES = [0.95, 0.4, 0.75, None, 0.1]


def units_with_confidence() -> list[AlignmentUnit]:
    return [AlignmentUnit((i,), (i,), 0.5 - i / 10, "anchor", c) for i, c in enumerate(CONFIDENCES)]


@pytest.fixture
def doc(project):
    doc_id = project.add_document(
        Document(SOURCE, name="de.txt"), Document(TARGET), source_lang="de", target_lang="fr"
    )
    project.set_suggestions(doc_id, units_with_confidence(), "bleu")
    return doc_id


def test_confidence_is_stored_with_units_and_runs(project, doc):
    assert [u.confidence for u in project.units(doc)] == CONFIDENCES
    (run,) = project.suggestion_runs(doc)
    assert [u.confidence for u in project.run_units(run.id)] == CONFIDENCES
    assert sorted(project.confidences(doc)) == sorted(c for c in CONFIDENCES if c is not None)


def test_a_confidence_outside_0_1_is_refused_and_nothing_stored(project, doc):
    with pytest.raises(InputError, match="not a probability"):
        project.set_suggestions(doc, [AlignmentUnit((0,), (0,), 0.1, "x", 1.5)], "bleu")
    assert [u.confidence for u in project.units(doc)] == CONFIDENCES


def test_filters_and_least_confident_first(project, doc):
    def ids(**kw):
        return [u.source_ids[0] for u in project.units(doc, **kw)]

    assert ids(min_confidence=0.75) == [0, 2]
    assert ids(below_confidence=0.75) == [1, 4]
    assert ids(has_confidence=False) == [3]
    assert project.count_units(doc, min_confidence=0.4, below_confidence=0.9) == 2
    # least confident first; the unit without a confidence last (it falls back to its score)
    assert ids(order="confidence") == [4, 1, 2, 0, 3]
    # navigation's "low confidence": below 0.5, or without one, a score below the threshold
    low = project.unit_ids(doc, low_confidence=(0.5, 0.25))
    assert [project.unit(u).source_ids[0] for u in low] == [1, 3, 4]
    assert project.unit_ids(doc, low_confidence=(0.5, 0.1)) == low[:1] + low[2:]


def test_manual_edits_drop_the_confidence_and_undo_restores_it(project, doc):
    first = project.units(doc)[0]
    project.merge_with_next(first.id)
    merged = project.units(doc)[0]
    assert merged.method == "manual" and merged.confidence is None
    assert project.undo()
    assert [u.confidence for u in project.units(doc)] == CONFIDENCES


def test_realign_stores_the_aligners_confidences(project, doc, monkeypatch):
    from workbench.align.bleualign import Aligner

    def align_article(self, source, target, mt, mt_reverse):
        return [AlignmentUnit((i,), (i,), 0.3, "anchor", 0.6) for i in range(len(source))]

    monkeypatch.setattr(Aligner, "align_article", align_article)
    project.realign(doc)
    assert [u.confidence for u in project.units(doc)] == [0.6] * 5


def test_export_min_confidence(project, doc, tmp_path):
    project.decide_many([u.id for u in project.units(doc)], "accepted")
    assert [p.source_ids for p in project.export_pairs(min_confidence=0.5)] == [(0,), (2,)]
    out = tmp_path / "out.tsv"
    path = project.path
    project.close()
    run = subprocess.run(
        [*EXPORT, str(path), str(out), "--min-confidence", "0.7"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").splitlines() == [
        "Guten Tag.\tBonjour.",
        "Der Hund bellt.\tLe chien aboie.",
    ]
    assert "1 pair has no confidence" in run.stderr
    bad = subprocess.run(
        [*EXPORT, str(path), str(tmp_path / "x"), "--min-confidence", "70"],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "not a probability" in bad.stderr
    assert not (tmp_path / "x").exists()


def _downgrade_to_v3(path) -> None:
    """Make a version-3 file of a project: what a workbench before confidences wrote."""
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE units DROP COLUMN edited")  # version 5's
    conn.execute("DROP INDEX units_confidence")
    conn.execute("ALTER TABLE units DROP COLUMN confidence")
    conn.execute("ALTER TABLE suggestions DROP COLUMN confidence")
    drop_history_columns(conn, 2)  # rows had no confidence (nor edited) column
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()


def _units_sql(conn: sqlite3.Connection) -> list[str]:
    return sorted(
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'sqlite_sequence'"
        )
    )


def test_migration_from_version_3_keeps_decisions_history_and_bookmarks(tmp_path):
    # the downgraded file has exactly version 3's schema
    ref = sqlite3.connect(tmp_path / "ref.sqlite")
    for statement in schema._statements(schema.SCHEMA_V1) + schema._statements(
        schema._V2_ADDITIONS
    ):
        ref.execute(statement)
    schema._migrate_2_to_3(ref)
    path = tmp_path / "old.wbproj"
    with Project.create(path) as p:
        p.set_setting("reviewer", "ann")
        d = p.add_document(Document(SOURCE), Document(TARGET))
        p.set_suggestions(
            d, [AlignmentUnit((i,), (i,), 0.1 * i, "anchor") for i in range(5)], "bleu"
        )
        units = p.units(d)
        p.decide(units[0].id, "accepted")
        p.decide(units[4].id, "rejected")
        p.set_bookmark(units[2].id, note="check")
        p.merge_with_next(units[1].id)  # a history step holding whole unit rows
    _downgrade_to_v3(path)
    conn = sqlite3.connect(path)
    assert _units_sql(conn) == _units_sql(ref)
    conn.close()

    with Project.open(path) as p:
        units = p.units(d)
        assert [(u.source_ids, u.target_ids, u.status) for u in units] == [
            ((0,), (0,), "accepted"),
            ((1, 2), (1, 2), "pending"),
            ((3,), (3,), "pending"),
            ((4,), (4,), "rejected"),
        ]
        assert all(u.confidence is None for u in units)
        # least confident first falls back to the score (lowest first; unscored last)
        assert [u.source_ids for u in p.units(d, order="confidence")] == [
            (0,),
            (3,),
            (4,),
            (1, 2),
        ]
        # the pre-migration history step still undoes (its rows lack the new column)
        assert p.undo()
        restored = p.units(d)
        assert [u.source_ids for u in restored] == [(i,) for i in range(5)]
        assert restored[2].bookmark_note == "check"
        assert all(u.confidence is None for u in restored)
        assert p.redo() and p.undo()
        # a new alignment stores confidences next to the kept decisions
        p.set_suggestions(
            d, [AlignmentUnit((i,), (i,), 0.5, "anchor", 0.8) for i in range(5)], "bleu"
        )
        after = p.units(d)
        assert [(u.status, u.confidence) for u in after] == [
            ("accepted", None),
            ("pending", 0.8),
            ("pending", 0.8),
            ("pending", 0.8),
            ("rejected", None),
        ]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 5
    conn.close()
