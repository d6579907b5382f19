"""The project store: documents, suggestions, decisions, edits, undo/redo, export."""

from __future__ import annotations

import pytest

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.errors import InputError, ProjectError
from workbench.textio import Document

SOURCE = ["Das ist gut.", "Ich gehe heim.", "Der Hund bellt.", "Es regnet.", "Gute Nacht."]
TARGET = ["C'est bien.", "Je rentre.", "Le chien aboie.", "Il pleut.", "Bonne nuit."]
MT = ["C'est bien.", "Je rentre à la maison.", "Le chien aboie.", "Il pleut.", "Bonne nuit."]


def one_to_one(n: int, score: float = 0.5) -> list[AlignmentUnit]:
    return [AlignmentUnit((i,), (i,), score, "anchor") for i in range(n)]


@pytest.fixture
def doc(project):
    doc_id = project.add_document(
        Document(SOURCE, name="de.txt"), Document(TARGET), source_lang="de", target_lang="fr"
    )
    project.set_suggestions(doc_id, one_to_one(5), "bleu")
    return doc_id


def shape(project, doc_id):
    return [(u.source_ids, u.target_ids, u.status) for u in project.units(doc_id)]


def test_create_refuses_existing_file(tmp_path):
    (tmp_path / "x").write_text("hello")
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "x")


def test_documents_texts_and_settings_survive_reopen(tmp_path):
    path = tmp_path / "p.wbproj"
    with Project.create(path) as p:
        d = p.add_document(
            Document(SOURCE, [(0, 2), (2, 5)]),
            Document(TARGET, [(0, 2), (2, 5)]),
            name="n",
            source_lang="de",
            target_lang="fr",
        )
        p.set_setting("keys", {"accept": "A", "n": [1, 2]})
        p.set_translation(d, MT, "opus-mt de-fr")
    with Project.open(path) as p:
        (info,) = p.documents()
        assert (info.id, info.name, info.n_source, info.n_target) == (d, "n", 5, 5)
        assert p.source(d).sentences == SOURCE and p.source(d).articles == [(0, 2), (2, 5)]
        assert p.target(d).sentences == TARGET
        assert p.get_setting("keys") == {"accept": "A", "n": [1, 2]}
        assert p.get_setting("missing", 7) == 7
        mt = p.translation(d)
        assert mt.sentences == MT and mt.name == "opus-mt de-fr"
        assert p.translation(d, "target") is None


def test_translation_must_be_line_aligned(project, doc):
    with pytest.raises(InputError, match="4 sentences"):
        project.set_translation(doc, MT[:4], "x")


def test_units_pages_filters_and_texts(project, doc):
    project.set_translation(doc, MT, "mt")
    assert project.count_units(doc) == 5
    page = project.units(doc, offset=1, limit=2)
    assert [u.source_ids for u in page] == [(1,), (2,)]
    assert page[0].source_text == SOURCE[1] and page[0].target_text == TARGET[1]
    assert page[0].mt_text == MT[1]
    assert page[0].scorer == "bleu" and page[0].score == 0.5 and page[0].status == "pending"
    nxt = project.units(doc, after=page[-1].position, limit=10)
    assert [u.source_ids for u in nxt] == [(3,), (4,)]
    project.decide(page[0].id, "accepted")
    assert project.count_units(doc, status="accepted") == 1
    assert [u.id for u in project.units(status="accepted")] == [page[0].id]
    assert project.unit(page[0].id).status == "accepted"
    assert project.unit(page[0].id).decided_at is not None
    with pytest.raises(InputError):
        project.units(doc, status="maybe")
    with pytest.raises(ProjectError, match="no unit"):
        project.unit(999)


def test_decisions_are_journalled_with_reviewer_and_undoable(project, doc):
    ids = [u.id for u in project.units(doc)]
    project.decide(ids[0], "accepted")
    assert project.decide_many(ids[1:4], "rejected") == 3
    entries = [e for e in project.journal() if e.action.startswith("decide")]
    assert [e.action for e in entries] == ["decide", "decide many"]
    assert all(e.reviewer == "ann" for e in entries)
    assert entries[1].unit_ids == tuple(ids[1:4])
    assert entries[1].before == {"status groups": [["pending", ids[1:4]]]}
    assert entries[1].after == {"status groups": [["rejected", ids[1:4]]]}
    assert project.undo()  # decide_many is one step
    assert [s for *_x, s in shape(project, doc)] == ["accepted"] + ["pending"] * 4
    assert project.redo()
    assert project.stats().rejected == 3
    assert project.journal()[-1].action == "redo decide many"


def test_undo_redo_survive_reopening(tmp_path):
    path = tmp_path / "p.wbproj"
    with Project.create(path) as p:
        d = p.add_document(Document(SOURCE), Document(TARGET))
        p.set_suggestions(d, one_to_one(5), "bleu")
        first = p.units(d)[0].id
        p.decide(first, "accepted")
        p.merge_with_next(first)
        p.edit_sentence(d, "source", 4, "Gute Nacht!")
    with Project.open(path) as p:
        assert p.can_undo() and not p.can_redo()
        assert p.undo()  # the text fix
        assert p.source(d).sentences[4] == "Gute Nacht."
        assert p.undo()  # the merge
        assert len(p.units(d)) == 5 and p.units(d)[0].status == "accepted"
    with Project.open(path) as p:
        assert p.can_redo()
        assert p.redo() and p.redo()
        assert not p.redo()
        assert p.units(d)[0].source_ids == (0, 1)
        assert p.source(d).sentences[4] == "Gute Nacht!"
        assert p.original(d).sentences[4] == "Gute Nacht."


def test_a_new_edit_drops_the_redo_stack(project, doc):
    ids = [u.id for u in project.units(doc)]
    project.decide(ids[0], "accepted")
    project.undo()
    project.decide(ids[1], "rejected")
    assert not project.can_redo()


def test_merge_split_and_move(project, doc):
    ids = [u.id for u in project.units(doc)]
    merged = project.merge_with_next(ids[1])
    assert shape(project, doc)[1] == ((1, 2), (1, 2), "pending")
    a, b = project.split_unit(merged, 1, 2)
    assert shape(project, doc)[1:3] == [((1,), (1, 2), "pending"), ((2,), (), "pending")]
    project.move_sentence(a, "target", "down")
    assert shape(project, doc)[1:3] == [((1,), (1,), "pending"), ((2,), (2,), "pending")]
    project.move_sentence(b, "source", "up")
    assert shape(project, doc)[1:3] == [((1, 2), (1,), "pending"), ((), (2,), "pending")]
    # Moving the only sentence out of a unit removes it; at the ends a new unit is made.
    project.move_sentence(ids[0], "source", "up")
    assert shape(project, doc)[0] == ((0,), (), "pending")
    assert shape(project, doc)[1] == ((), (0,), "pending")
    with pytest.raises(ProjectError, match="nothing follows"):
        project.merge_with_next(project.units(doc)[-1].id)
    with pytest.raises(InputError, match="empty unit"):
        project.split_unit(ids[3], 1, 1)
    while project.undo():
        pass
    assert shape(project, doc) == [((i,), (i,), "pending") for i in range(5)]


def test_many_splits_at_one_place_renumber_neighbours(project, doc):
    first = project.units(doc)[0].id
    project.merge_with_next(first)
    for _ in range(3):
        project.merge_with_next(first)
    # 30 split/merge rounds at the same place exhaust the gap between two positions.
    for _ in range(30):
        project.split_unit(first, 1, 1)
        project.merge_with_next(first)
        project.split_unit(first, 4, 4)
        project.merge_with_next(first)
    for k in range(4):
        project.split_unit(first, 4 - k, 4 - k)
    assert [u.source_ids for u in project.units(doc)] == [(i,) for i in range(5)]
    positions = [u.position for u in project.units(doc)]
    assert positions == sorted(set(positions))


def test_edit_sentence_is_exported_and_original_kept(project, doc):
    ids = [u.id for u in project.units(doc)]
    project.decide_many(ids, "accepted")
    project.edit_sentence(doc, "target", 2, "Le chien aboie fort.")
    pairs = list(project.export_pairs())
    assert pairs[2].target == "Le chien aboie fort."
    assert project.original(doc, "target").sentences[2] == "Le chien aboie."
    with pytest.raises(InputError, match="line break"):
        project.edit_sentence(doc, "target", 2, "a\nb")
    with pytest.raises(ProjectError, match="no target sentence 9"):
        project.edit_sentence(doc, "target", 9, "x")


def test_export_pairs_filters(project, doc):
    units = project.units(doc)
    project.set_suggestions(
        doc,
        [
            AlignmentUnit((0,), (0,), 0.9, "anchor"),
            AlignmentUnit((1,), (1,), 0.2, "anchor"),
            AlignmentUnit((2, 3), (2, 3), 0.6, "merge"),
        ],
        "ableu",
    )
    units = project.units(doc)
    assert [(u.source_ids, u.target_ids) for u in units] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2, 3), (2, 3)),
        ((4,), ()),
        ((), (4,)),
    ]
    project.decide_many([u.id for u in units], "accepted")
    project.decide(units[1].id, "rejected")
    pairs = list(project.export_pairs())
    assert [(p.source_ids, p.target_ids) for p in pairs] == [((0,), (0,)), ((2, 3), (2, 3))]
    assert pairs[1].source == "Der Hund bellt. Es regnet." and pairs[1].scorer == "ableu"
    assert pairs[0].document == "de.txt" and pairs[0].score == 0.9
    assert [p.source_ids for p in project.export_pairs(min_score=0.7)] == [(0,)]
    stats = project.stats(doc)
    assert (stats.accepted, stats.rejected, stats.pending) == (4, 1, 0)
    assert (stats.aligned_source, stats.total_source, stats.accepted_pairs) == (3, 5, 2)
    assert stats.source_yield == pytest.approx(0.6)


def test_export_writes_through_corpus_formats(project, doc, tmp_path):
    from workbench.corpus import read_pairs

    project.decide_many([u.id for u in project.units(doc)][:3], "accepted")
    out = tmp_path / "out.tsv"
    assert project.export(out) == 3
    assert [(p.source, p.target) for p in read_pairs(out)] == list(
        zip(SOURCE[:3], TARGET[:3], strict=True)
    )


def test_realign_keeps_decided_units(project, doc):
    units = project.units(doc)
    project.decide(units[1].id, "accepted")
    project.decide(units[3].id, "rejected")
    # New suggestions crossing the decided units are dropped; the rest fill the gaps.
    project.set_suggestions(
        doc,
        [
            AlignmentUnit((0, 1), (0,), 0.7, "merge"),
            AlignmentUnit((2,), (2,), 0.8, "anchor"),
            AlignmentUnit((4,), (4,), 0.9, "anchor"),
        ],
        "ableu",
    )
    assert shape(project, doc) == [
        ((0,), (), "pending"),
        ((), (0,), "pending"),
        ((1,), (1,), "accepted"),
        ((2,), (2,), "pending"),
        ((3,), (3,), "rejected"),
        ((4,), (4,), "pending"),
    ]
    kept = project.units(doc)
    assert kept[2].id == units[1].id and kept[4].id == units[3].id
    assert kept[3].score == 0.8 and kept[3].scorer == "ableu"
    assert len(project.suggestion_runs(doc)) == 2
    assert project.suggestion_runs(doc)[-1].active
    assert [u.source for u in project.run_units(project.suggestion_runs(doc)[0].id)] == [
        (i,) for i in range(5)
    ]


def test_realign_range_only_touches_pending_units_inside(project, doc):
    project.set_translation(doc, MT, "mt")
    project.set_suggestions(
        doc,
        [
            AlignmentUnit((0, 1), (0, 1), 0.1, "merge"),
            AlignmentUnit((2, 3), (2,), 0.1, "x"),
            AlignmentUnit((4,), (3, 4), 0.1, "x"),
        ],
        "bleu",
    )
    units = project.units(doc)
    project.decide(units[1].id, "accepted")
    project.realign(doc, start_position=units[0].position, end_position=units[0].position)
    assert shape(project, doc) == [
        ((0,), (0,), "pending"),
        ((1,), (1,), "pending"),
        ((2, 3), (2,), "accepted"),
        ((4,), (3, 4), "pending"),
    ]
    made = project.realign(doc)
    assert made == 4  # two runs of pending units, each re-aligned on its own
    assert shape(project, doc)[2:] == [
        ((2, 3), (2,), "accepted"),
        ((), (3,), "pending"),
        ((4,), (4,), "pending"),
    ]
    assert project.undo()
    assert shape(project, doc)[3] == ((4,), (3, 4), "pending")


def test_bookmarks_with_notes(project, doc):
    uid = project.units(doc)[2].id
    project.set_bookmark(uid, note="check the verb")
    assert project.unit(uid).bookmark and project.unit(uid).bookmark_note == "check the verb"
    assert project.count_units(bookmarked=True) == 1
    project.undo()
    assert not project.unit(uid).bookmark


def test_translation_cache(project):
    cache = project.translation_cache
    assert cache.get_many("m", ["a"]) == {}
    cache.put_many("m", {"a": "x", "b": "y"})
    cache.put_many("other", {"a": "z"})
    assert cache.get_many("m", ["a", "b", "c", "a"]) == {"a": "x", "b": "y"}


def test_samples_and_judgements(project, doc):
    sid = project.create_sample(
        "s1", [(doc, (0,), (0,)), (doc, (2, 3), (2,))], seed=3, params={"n": 2}
    )
    project.judge(doc, (2, 3), (2,), "incorrect")
    (info,) = project.samples()
    assert (info.name, info.seed, info.params, info.n_items) == ("s1", 3, {"n": 2}, 2)
    items = project.sample_items(sid)
    assert [i.verdict for i in items] == [None, "incorrect"]
    assert items[1].source_text == "Der Hund bellt. Es regnet."
    assert project.judgement(doc, (2, 3), (2,)) == "incorrect"
    project.judge(doc, (2, 3), (2,), None)
    assert project.judgement(doc, (2, 3), (2,)) is None
    with pytest.raises(InputError):
        project.judge(doc, (0,), (0,), "great")


def test_read_only_refuses_changes(tmp_path):
    path = tmp_path / "p.wbproj"
    with Project.create(path) as p:
        p.add_document(Document(SOURCE), Document(TARGET))
    with Project.open(path, read_only=True) as p:
        assert len(p.documents()) == 1
        with pytest.raises(ProjectError, match="read-only"):
            p.set_setting("a", 1)


def test_align_stores_a_run(project):
    d = project.add_document(Document(SOURCE), Document(TARGET))
    project.set_translation(d, MT, "mt")
    run = project.align(d, scorer="bleu")
    assert project.suggestion_runs(d)[-1].id == run
    units = project.units(d)
    assert [(u.source_ids, u.target_ids) for u in units] == [((i,), (i,)) for i in range(5)]
    assert units[0].score > 0 and units[0].scorer == "bleu"


def test_realigning_a_document_resets_its_undo_history_but_keeps_decisions(project, doc):
    other = project.add_document(Document(SOURCE), Document(TARGET))
    project.set_suggestions(other, one_to_one(5), "bleu")
    mine, theirs = project.units(doc)[0].id, project.units(other)[0].id
    project.decide(theirs, "accepted")
    project.decide(mine, "accepted")
    project.decide_many([mine, theirs], "rejected")  # spans both documents
    project.set_suggestions(doc, one_to_one(5, 0.9), "ableu")
    assert project.unit(mine).status == "rejected"
    assert project.undo()  # the other document's own step is still undoable
    assert project.unit(theirs).status == "pending"
    assert not project.can_undo()


def test_navigation_bulk_ids_and_scores(project, doc):
    project.set_suggestions(
        doc,
        [
            AlignmentUnit((0,), (0,), 0.9, "anchor"),
            AlignmentUnit((1, 2), (1,), 0.2, "merge"),
            AlignmentUnit((3,), (3,), 0.6, "anchor"),
        ],
        "bleu",
    )
    units = project.units(doc)  # [0]:[0] [1,2]:[1] []:[2] [3]:[3] [4]:[] []:[4]
    assert project.count_units(doc, shape="non-1-1") == 4
    assert project.count_units(doc, shape="empty-side") == 3
    assert [u.id for u in project.units(doc, shape="pair")] == [units[k].id for k in (0, 1, 3)]
    nxt = project.next_unit(doc, units[0].position, shape="non-1-1")
    assert nxt.id == units[1].id
    assert project.next_unit(doc, units[1].position, max_score=0.7).id == units[3].id
    assert project.next_unit(doc, units[3].position, direction=-1, shape="empty-side").id == (
        units[2].id
    )
    project.set_bookmark(units[4].id, note="?")
    assert project.next_unit(doc, None, bookmarked=True).id == units[4].id
    assert project.next_unit(doc, units[4].position, bookmarked=True) is None
    assert sorted(project.scores(doc)) == [0.2, 0.6, 0.9]
    high = project.unit_ids(doc, min_score=0.5)
    assert high == [units[0].id, units[3].id]
    assert project.unit_ids(doc, end_position=units[1].position) == [units[0].id, units[1].id]
    assert project.decide_many(high, "accepted") == 2
    project.undo()
    assert project.count_units(doc, status="accepted") == 0


def test_suggestions_outside_the_document_are_refused(project, doc):
    with pytest.raises(InputError, match="outside document"):
        project.set_suggestions(doc, [AlignmentUnit((5,), (0,), 0.5, "anchor")], "bleu")
    assert project.count_units(doc) == 5


def test_ableu_without_embeddings_learns_from_the_document(project):
    d = project.add_document(Document(SOURCE), Document(TARGET))
    project.set_translation(d, MT, "mt")
    project.align(d, scorer="ableu")
    run = project.suggestion_runs(d)[-1]
    (params,) = (
        project._db()
        .execute("SELECT params FROM suggestion_runs WHERE id = ?", (run.id,))
        .fetchone()
    )
    assert "w2v" in params  # the signature names the learnt embedding, not exact matching
    units = project.units(d)
    assert [(u.source_ids, u.target_ids) for u in units] == [((i,), (i,)) for i in range(5)]
    assert units[0].scorer == "ableu"
    assert project.realign(d, scorer="ableu") == 5
