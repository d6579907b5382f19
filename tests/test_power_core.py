"""Power tools, Qt-free: keymap, navigation, bulk plans, re-align around decided units, the
realign command, and the audit summary recomputed from the journal."""

from __future__ import annotations

import itertools

import pytest
from helpers_flood import FLOOD_EN

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.cli import main
from workbench.errors import InputError
from workbench.review import bulk, keymap, navigation
from workbench.textio import Document

TARGET = FLOOD_EN
SOURCE = [f"Quelle {i}: {t}" for i, t in enumerate(TARGET)]  # any text; MT carries the signal


@pytest.fixture
def doc(project):
    d = project.add_document(Document(SOURCE), Document(TARGET), name="flood")
    project.set_translation(d, TARGET, "oracle")
    # Wrong suggestions in the middle, right ones at the ends.
    units = [
        AlignmentUnit((0,), (0,), 0.9, "dp"),
        AlignmentUnit((1, 2), (1,), 0.3, "dp"),
        AlignmentUnit((3,), (2, 3), 0.2, "dp"),
        AlignmentUnit((4,), (4,), 0.8, "dp"),
        AlignmentUnit((5,), (5,), 0.05, "dp"),
    ]
    project.set_suggestions(d, units, "bleu")
    return d


def shape(project, d):
    return [(u.source_ids, u.target_ids, u.status) for u in project.units(d)]


# -- keymap ---------------------------------------------------------------------------------------
def test_defaults_have_intertext_keys_and_no_conflicts():
    keys = keymap.default_keymap()
    assert keys["structure.text_down"] == ["Return"]
    assert keys["structure.text_up"] == ["Backspace"]
    assert keys["structure.shift_up"] == ["Ctrl+Up"] and keys["structure.pop_down"] == ["Ctrl+Down"]
    assert keys["structure.split"][0] == "Ctrl+Return"
    assert keys["structure.merge"][0] == "Ctrl+Backspace"
    assert keys["review.accept"] == ["A"] and "R" in keys["review.reject"]
    assert keymap.conflicts(keys) == []


def test_rebind_refuses_conflicts_naming_the_other_command():
    keys = keymap.default_keymap()
    with pytest.raises(keymap.KeyConflictError, match="“Reject”"):
        keymap.rebind(keys, "review.accept", ["r"])
    new = keymap.rebind(keys, "review.accept", ["ctrl+enter".replace("ctrl+enter", "F8")])
    assert new["review.accept"] == ["F8"] and keys["review.accept"] == ["A"]
    assert keymap.owner_of(new, "f8") == "review.accept"
    assert keymap.overrides_of(new) == {"review.accept": ["F8"]}


def test_overrides_round_trip_and_bad_settings():
    full = keymap.rebind(keymap.default_keymap(), "review.accept", ["Ctrl+Enter"] and ["F9"])
    stored = keymap.overrides_of(full)
    assert keymap.resolve(keymap.load_overrides(__import__("json").dumps(stored))) == full
    with pytest.raises(InputError, match="not JSON"):
        keymap.load_overrides("{")
    with pytest.raises(InputError, match="both"):
        keymap.load_overrides({"review.accept": ["X"], "review.reject": ["X"]})
    with pytest.raises(InputError, match="unknown modifier"):
        keymap.normalise_key("Hyper+A")
    assert keymap.normalise_key("shift+ctrl+z") == "Ctrl+Shift+Z"


def test_an_override_takes_a_key_away_from_a_default():
    full = keymap.resolve({"review.accept": ["Return"]})
    assert full["review.accept"] == ["Return"] and full["structure.text_down"] == []


# -- navigation -----------------------------------------------------------------------------------
def test_jumps_by_kind_wrap_and_go_backwards(project, doc):
    units = project.units(doc)
    project.decide(units[0].id, "accepted")
    project.set_bookmark(units[3].id, True, "check the date")
    first = navigation.next_unit(project, "pending", units[0].id)
    assert first.id == units[1].id
    assert navigation.next_unit(project, "pending", units[4].id).id == units[1].id  # wraps
    assert navigation.next_unit(project, "pending", units[1].id, backwards=True).id == units[4].id
    assert navigation.next_unit(project, "low_score", units[1].id, threshold=0.25).id == units[2].id
    assert navigation.next_unit(project, "non_1_1", units[2].id).id == units[1].id
    assert navigation.next_unit(project, "bookmarked", None).bookmark_note == "check the date"
    assert navigation.next_unit(project, "empty_side", None) is None
    with pytest.raises(InputError, match="threshold"):
        navigation.next_unit(project, "low_score", None)
    assert [u.id for u in navigation.bookmarks(project, doc)] == [units[3].id]
    assert navigation.toggle_bookmark(project, units[3].id) is False


def test_regex_search_in_panes_and_replace_as_one_step(project, doc):
    units = project.units(doc)
    hit = navigation.search(project, r"\bbridge\b", "target", units[0].id)
    assert hit.id == units[2].id  # unit (3,)-(2,3) holds target sentence 2
    assert navigation.search(project, r"quelle 5", "source", units[4].id).id == units[4].id
    assert navigation.search(project, r"quelle 5", "target", None) is None
    back = navigation.search(project, "cattle", "any", units[3].id, backwards=True)
    assert back.id == units[1].id
    with pytest.raises(InputError, match="bad regular expression"):
        navigation.search(project, "(", "any")
    n = navigation.replace_in_sentences(project, doc, "target", r"\bthe (\w+)", r"the big \1")
    assert n == 5  # all but "Farmers moved their cattle…"
    assert project.target(doc).sentences[2] == "the big old bridge was closed in the big morning."
    assert project.undo()
    assert project.target(doc).sentences == TARGET
    with pytest.raises(InputError, match="source or target"):
        navigation.replace_in_sentences(project, doc, "mt", "a", "b")


# -- bulk -----------------------------------------------------------------------------------------
def test_bulk_plans_touch_only_pending_and_undo_in_one_step(project, doc):
    units = project.units(doc)
    project.decide(units[3].id, "rejected")  # decided: never touched by a bulk action
    at_least = bulk.plan(project, "accept_at_least", doc_id=doc, threshold=0.3)
    assert at_least.unit_ids == (units[0].id, units[1].id)
    assert bulk.count(project, "accept_at_least", doc_id=doc, threshold=0.3) == 2
    below = bulk.plan(project, "reject_below", doc_id=doc, threshold=0.3)
    assert below.unit_ids == (units[2].id, units[4].id)
    above = bulk.plan(project, "accept_above", cursor_unit=units[4].id)
    assert above.unit_ids == (units[0].id, units[1].id, units[2].id)
    page = bulk.plan(project, "confirm_page", visible_units=[units[3].id, units[4].id])
    assert page.unit_ids == (units[4].id,)
    before = shape(project, doc)
    assert bulk.apply(project, above) == 3
    assert [s for *_ids, s in shape(project, doc)] == ["accepted"] * 3 + ["rejected", "pending"]
    assert project.undo()  # one step reverts all three
    assert shape(project, doc) == before
    counts, edges = bulk.score_histogram(project, doc, bins=5)
    assert sum(counts) == 4 and len(edges) == 6


# -- re-align around anchors --------------------------------------------------------------------
def test_realign_keeps_decided_units_and_changes_pending_ones(project, doc):
    units = project.units(doc)
    project.decide(units[0].id, "accepted")
    project.decide(units[3].id, "accepted")
    project.decide(units[4].id, "rejected")
    made = project.realign(doc)
    after = project.units(doc)
    assert made == 3
    assert shape(project, doc) == [
        ((0,), (0,), "accepted"),
        ((1,), (1,), "pending"),
        ((2,), (2,), "pending"),
        ((3,), (3,), "pending"),
        ((4,), (4,), "accepted"),
        ((5,), (5,), "rejected"),
    ]
    kept = {u.id for u in after} & {units[0].id, units[3].id, units[4].id}
    assert kept == {units[0].id, units[3].id, units[4].id}  # the same rows, untouched
    assert project.undo()
    assert shape(project, doc)[1] == ((1, 2), (1,), "pending")


def test_realign_command_with_a_range(project, doc, capsys):
    units = project.units(doc)
    project.decide(units[0].id, "accepted")
    path = project.path
    project.close()
    assert main(["realign", str(path), "--doc", str(doc), "--from", "2", "--to", "2"]) == 0
    assert "1 accepted and 0 rejected kept" in capsys.readouterr().out
    with Project.open(path) as p:
        # Only unit 2's sentences were re-aligned; unit 3 (outside the range) is unchanged.
        assert shape(p, doc)[:4] == [
            ((0,), (0,), "accepted"),
            ((1,), (1,), "pending"),
            ((2,), (), "pending"),
            ((3,), (2, 3), "pending"),
        ]
    assert main(["realign", str(path), "--doc", "9"]) != 0
    assert "no document 9" in capsys.readouterr().err


def test_project_realign_takes_rows_as_realign_does(project, doc, capsys):
    """`project realign --from/--to` are 1-based rows, as the window shows them (issue 18: they
    were internal positions, so `--from 2 --to 2` re-aligned nothing)."""
    units = project.units(doc)
    project.decide(units[0].id, "accepted")
    path = project.path
    project.close()
    args = ["--doc", str(doc), "--from", "2", "--to", "2"]
    assert main(["project", "realign", str(path), *args]) == 0
    assert "document 1: 2 pending units re-aligned" in capsys.readouterr().out
    with Project.open(path) as p:
        assert shape(p, doc)[:4] == [
            ((0,), (0,), "accepted"),
            ((1,), (1,), "pending"),
            ((2,), (), "pending"),
            ((3,), (2, 3), "pending"),
        ]
    assert main(["project", "realign", str(path), "--doc", str(doc), "--from", "99"]) == 2
    assert "fewer than 99 units" in capsys.readouterr().err


# -- audit ----------------------------------------------------------------------------------------
def journal_states(side):
    """(unit key, (status, source ids, target ids)) from a journal before/after mapping: unit
    views, and decisions journalled compactly as "status groups" ([[status, [ids]], ...],
    whose ids are unknown: None)."""
    for key, view in (side or {}).items():
        if key == "status groups":
            for status, unit_ids in view:
                for u in unit_ids:
                    yield str(u), (status, None, None)
        elif isinstance(view, dict) and "status" in view:
            yield key, (view["status"], view["source_ids"], view["target_ids"])


def differs(a, b):
    """Another state: another status, or other sentences where both are known."""
    return a[0] != b[0] or (a[1] is not None and b[1] is not None and a[1:] != b[1:])


def recompute_audit(entries, idle=300.0):
    """The audit figures from the raw journal, written independently of the store's code:
    decisions are journal entries 'decide'/'decide many' whose after-status is accepted or
    rejected; a decision is reversed when a later entry gives its unit another state."""
    out, last_state, owner = {}, {}, {}
    for e in entries:
        for key, state in journal_states(e.after):
            if key in owner and differs(owner[key][1], state):
                out[owner.pop(key)[0]]["reversed"] += 1
            if e.action in ("decide", "decide many") and state[0] != "pending":
                r = out.setdefault(
                    e.reviewer, {"decided": 0, "accepted": 0, "reversed": 0, "times": []}
                )
                r["decided"] += 1
                r["accepted"] += state[0] == "accepted"
                owner[key] = (e.reviewer, state)
            last_state[key] = state
        if e.action in ("decide", "decide many"):
            out.setdefault(e.reviewer, {"decided": 0, "accepted": 0, "reversed": 0, "times": []})
            out[e.reviewer]["times"].append(e.time)
    for r in out.values():
        t = sorted(r["times"])
        r["minutes"] = sum(min(b - a, idle) for a, b in itertools.pairwise(t)) / 60
    return out


def test_audit_summary_matches_a_recomputation_from_the_journal(project, doc, monkeypatch):
    import time as time_module

    clock = [1_000_000.0]
    monkeypatch.setattr(time_module, "time", lambda: clock[0])
    units = project.units(doc)
    for u in units[:3]:
        clock[0] += 4.0
        project.decide(u.id, "accepted")
    project.set_setting("reviewer", "bob")
    clock[0] += 10.0
    project.decide(units[1].id, "rejected")  # reverses ann's decision
    clock[0] += 2000.0  # a long pause: capped at the idle limit
    bulk.apply(project, bulk.plan(project, "reject_below", doc_id=doc, threshold=0.5))
    summary = project.audit_summary().set_index("reviewer")
    mine = recompute_audit(project.journal())
    assert set(summary.index) == set(mine) == {"ann", "bob"}
    for name, r in mine.items():
        row = summary.loc[name]
        assert row["decided"] == r["decided"]
        assert row["accepted"] == r["accepted"]
        assert row["reversed"] == r["reversed"]
        assert row["active_minutes"] == pytest.approx(r["minutes"], abs=1e-3)
        assert row["pairs_per_minute"] == pytest.approx(r["decided"] / r["minutes"], rel=1e-3)
    assert mine["ann"]["reversed"] == 1 and mine["bob"]["decided"] == 2
