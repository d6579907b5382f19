"""Text fixes that change sentence ids: split, join, insert, delete — with exact undo/redo."""

from __future__ import annotations

import pytest

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.errors import InputError, ProjectError
from workbench.textio import Document

SOURCE = ["Das ist gut. Ich gehe heim.", "Der Hund", "bellt.", "Es regnet.", "Gute Nacht."]
TARGET = ["C'est bien.", "Je rentre.", "Le chien aboie.", "Il pleut.", "Bonne nuit."]
MT = ["It is good. I go home.", "The dog", "barks.", "It rains.", "Good night."]


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.wbproj") as p:
        yield p


@pytest.fixture
def doc(project):
    d = project.add_document(Document(SOURCE, [(0, 3), (3, 5)]), Document(TARGET, [(0, 3), (3, 5)]))
    project.set_translation(d, MT, "mt")
    project.set_suggestions(
        d,
        [
            AlignmentUnit((0,), (0, 1), 0.5, "merge"),
            AlignmentUnit((1, 2), (2,), 0.6, "merge"),
            AlignmentUnit((3,), (3,), 0.7, "anchor"),
            AlignmentUnit((4,), (4,), 0.8, "anchor"),
        ],
        "bleu",
    )
    project.decide(project.units(d)[0].id, "accepted")
    project.create_sample("s", [(d, (3,), (3,))], seed=1, params={})
    project.judge(d, (3,), (3,), "correct")
    return d


def state(project, d):
    return (
        project.source(d).sentences,
        project.source(d).articles,
        project.original(d).sentences,
        project.translation(d).sentences,
        [(u.source_ids, u.target_ids, u.status, u.source_text) for u in project.units(d)],
        [(i.source_ids, i.verdict) for i in project.sample_items(1)],
    )


def check_undo_redo(project, d, before):
    after = state(project, d)
    assert project.undo()
    assert state(project, d) == before
    assert project.redo()
    assert state(project, d) == after


def test_split_sentence_keeps_the_decision(project, doc):
    before = state(project, doc)
    project.split_sentence(doc, "source", 0, len("Das ist gut."))
    src = project.source(doc)
    assert src.sentences[:2] == ["Das ist gut.", "Ich gehe heim."]
    assert src.articles == [(0, 4), (4, 6)]
    assert project.translation(doc).sentences[:2] == ["It is good. I go home.", ""]
    units = project.units(doc)
    assert (units[0].source_ids, units[0].status) == ((0, 1), "accepted")
    assert units[1].source_ids == (2, 3) and units[2].source_ids == (4,)
    assert project.judgement(doc, (4,), (3,)) == "correct"  # renumbered with the sentence
    assert [i.source_ids for i in project.sample_items(1)] == [(4,)]
    check_undo_redo(project, doc, before)
    with pytest.raises(InputError, match="empty sentence"):
        project.split_sentence(doc, "source", 0, 0)


def test_join_sentences_across_units_and_reopen(project, doc, tmp_path):
    before = state(project, doc)
    project.join_sentences(doc, "target", 1)  # "Je rentre." joins "Le chien aboie." (unit 2)
    tgt = project.target(doc)
    assert tgt.sentences[:2] == ["C'est bien.", "Je rentre. Le chien aboie."]
    assert tgt.articles == [(0, 2), (2, 4)]
    units = project.units(doc)
    assert [(u.source_ids, u.target_ids, u.status) for u in units[:2]] == [
        ((0,), (0, 1), "pending"),
        ((1, 2), (), "pending"),
    ]
    check_undo_redo(project, doc, before)
    with pytest.raises(InputError, match="different articles"):
        project.join_sentences(doc, "source", 2)


def test_join_within_a_unit_joins_the_translation(project, doc):
    project.join_sentences(doc, "source", 1)
    assert project.source(doc).sentences[1] == "Der Hund bellt."
    assert project.translation(doc).sentences[1] == "The dog barks."
    u = project.units(doc)[1]
    assert (u.source_ids, u.status, u.score) == ((1,), "pending", 0.6)


def test_insert_and_delete_sentence(project, doc):
    before = state(project, doc)
    project.insert_sentence(doc, "target", 3, "Il fait froid.")
    tgt = project.target(doc)
    assert tgt.sentences[3] == "Il fait froid." and tgt.articles == [(0, 3), (3, 6)]
    shapes = [(u.source_ids, u.target_ids) for u in project.units(doc)]
    assert shapes[2:] == [((), (3,)), ((3,), (4,)), ((4,), (5,))]
    check_undo_redo(project, doc, before)
    project.undo()
    project.insert_sentence(doc, "source", 5, "Ende.")  # append: joins the last article
    assert project.source(doc).articles == [(0, 3), (3, 6)]
    assert [(u.source_ids, u.target_ids) for u in project.units(doc)][-1] == ((5,), ())
    project.undo()
    project.delete_sentence(doc, "source", 3)
    assert project.source(doc).sentences == [*SOURCE[:3], "Gute Nacht."]
    assert project.source(doc).articles == [(0, 3), (3, 4)]
    shapes = [(u.source_ids, u.target_ids, u.status) for u in project.units(doc)]
    assert shapes[2:] == [((), (3,), "pending"), ((3,), (4,), "pending")]
    check_undo_redo(project, doc, before)
    with pytest.raises(ProjectError, match="no source sentence 9"):
        project.delete_sentence(doc, "source", 9)


def test_text_fixes_survive_reopen_and_export(tmp_path):
    path = tmp_path / "p.wbproj"
    with Project.create(path) as p:
        d = p.add_document(Document(["A. B.", "C."]), Document(["a.", "b.", "c."]))
        p.set_suggestions(
            d,
            [AlignmentUnit((0,), (0, 1), 0.5, "merge"), AlignmentUnit((1,), (2,), 0.5, "anchor")],
            "bleu",
        )
        p.split_sentence(d, "source", 0, 2)
        p.decide_many([u.id for u in p.units(d)], "accepted")
    with Project.open(path) as p:
        assert [(q.source, q.target) for q in p.export_pairs()] == [
            ("A. B.", "a. b."),
            ("C.", "c."),
        ]
        assert [q.source_ids for q in p.export_pairs()] == [(0, 1), (2,)]
        p.undo()
        p.undo()
        assert p.source(d).sentences == ["A. B.", "C."]


def test_insert_inside_a_unit_keeps_the_text_in_order(project, doc):
    """Target sentence 1 is the second sentence of the accepted unit [0]:[0,1]: a sentence
    inserted before it belongs to that unit (now pending), not to a new unit before it."""
    assert project.insert_sentence(doc, "target", 1, "Vraiment.") == 1
    units = project.units(doc)
    assert [(u.source_ids, u.target_ids) for u in units] == [
        ((0,), (0, 1, 2)),
        ((1, 2), (3,)),
        ((3,), (4,)),
        ((4,), (5,)),
    ]
    assert units[0].status == "pending"
    assert units[0].target_text == "C'est bien. Vraiment. Je rentre."
    covered = [j for u in units for j in u.target_ids]
    assert covered == sorted(covered) == list(range(6))
    assert project.undo()
    first = project.units(doc)[0]
    assert (first.source_ids, first.target_ids, first.status) == ((0,), (0, 1), "accepted")


def test_merge_and_move_refuse_to_join_articles(project):
    d = project.add_document(
        Document(["a", "b"], [(0, 1), (1, 2)]), Document(["A", "B"], [(0, 1), (1, 2)])
    )
    project.set_suggestions(d, [AlignmentUnit((0,), (0,)), AlignmentUnit((1,), (1,))], "bleu")
    first, second = project.units(d)
    with pytest.raises(InputError, match="articles"):
        project.merge_with_next(first.id)
    with pytest.raises(InputError, match="articles"):
        project.move_sentence(second.id, "source", "up")
    assert [(u.source_ids, u.target_ids) for u in project.units(d)] == [((0,), (0,)), ((1,), (1,))]
    assert not project.can_undo()  # nothing was recorded
