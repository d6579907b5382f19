"""The per-reviewer audit summary, recomputed from the journal."""

from __future__ import annotations

import pandas as pd
import pytest

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.project.audit import audit_summary
from workbench.project.model import JournalEntry
from workbench.textio import Document


def entry(t, reviewer, unit, before, after, action="decide"):
    return JournalEntry(
        0,
        t,
        reviewer,
        action,
        1,
        (unit,),
        {str(unit): {"status": before, "source_ids": "1", "target_ids": "1"}},
        {str(unit): {"status": after, "source_ids": "1", "target_ids": "1"}},
    )


def test_summary_from_a_handmade_journal():
    entries = [
        entry(0.0, "ann", 1, "pending", "accepted"),
        entry(30.0, "ann", 2, "pending", "accepted"),
        entry(1000.0, "ann", 3, "pending", "rejected"),  # after a long pause: capped at 60 s
        entry(1010.0, "bob", 2, "accepted", "rejected"),  # reverses ann's decision on 2
        entry(1020.0, "bob", 3, "rejected", "pending", action="undo decide"),  # reverses 3
    ]
    table = audit_summary(entries, idle_seconds=60).set_index("reviewer")
    ann, bob = table.loc["ann"], table.loc["bob"]
    assert (ann.decided, ann.accepted, ann.rejected, ann.reversed) == (3, 2, 1, 2)
    assert ann.active_minutes == pytest.approx(1.5)
    assert ann.pairs_per_minute == pytest.approx(2.0)
    assert ann.accept_ratio == pytest.approx(2 / 3)
    assert (bob.decided, bob.rejected, bob.reversed) == (1, 1, 0)
    assert pd.isna(bob.pairs_per_minute)  # one decision: no active time to divide by


def test_summary_of_a_project_and_csv(tmp_path):
    with Project.create(tmp_path / "p.wbproj") as p:
        d = p.add_document(Document(list("abcd")), Document(list("wxyz")))
        p.set_suggestions(d, [AlignmentUnit((i,), (i,), 0.5, "anchor") for i in range(4)], "bleu")
        ids = [u.id for u in p.units(d)]
        p.set_setting("reviewer", "ann")
        p.decide_many(ids[:3], "accepted")
        p.decide(ids[3], "rejected")
        p.set_setting("reviewer", "bob")
        p.decide(ids[0], "rejected")
        p.undo()  # ann's accept was reversed once (by bob); bob's reject was reversed (undone)
        table = p.audit_summary().set_index("reviewer")
        journal = [e for e in p.journal() if e.action in ("decide", "decide many")]
        ann_times = [e.time for e in journal if e.reviewer == "ann"]
        assert table.loc["ann"].decided == 4 and table.loc["ann"].accepted == 3
        assert table.loc["ann"].reversed == 1
        assert table.loc["ann"].active_minutes == pytest.approx(
            (ann_times[1] - ann_times[0]) / 60, abs=1e-3
        )
        assert table.loc["bob"].reversed == 1  # bob's reject was undone
        out = tmp_path / "audit.csv"
        assert p.export_audit(out) == 2
        assert out.read_text().splitlines()[0].startswith("reviewer,decided,accepted")
