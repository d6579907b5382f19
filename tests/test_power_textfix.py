"""Text fixes in the store: several edits, split, join, insert and delete sentences; export,
history, undo/redo, articles and translations kept in step."""

from __future__ import annotations

import pytest

from workbench.align import AlignmentUnit
from workbench.errors import InputError, ProjectError
from workbench.project.joining import join_texts
from workbench.textio import Document

SOURCE = [
    "Das ist gut.",
    "Ich gehe heim. Es ist spät.",
    "Der Hund bellt.",
    "Es regnet.",
    "Gute Nacht.",
]
TARGET = ["C'est bien.", "Je rentre. Il est tard.", "Le chien aboie.", "Il pleut.", "Bonne nuit."]
MT = ["C'est bien.", "Je rentre. Il est tard.", "Le chien aboie.", "Il pleut.", "Bonne nuit."]


@pytest.fixture
def doc(project):
    d = project.add_document(
        Document(SOURCE, [(0, 3), (3, 5)]), Document(TARGET, [(0, 3), (3, 5)]), name="d"
    )
    project.set_translation(d, MT, "mt")
    project.set_suggestions(d, [AlignmentUnit((i,), (i,), 0.5, "dp") for i in range(5)], "bleu")
    return d


def shape(project, d):
    return [(u.source_ids, u.target_ids, u.status) for u in project.units(d)]


def snapshot(project, d):
    return (
        shape(project, d),
        project.source(d),
        project.target(d),
        project.translation(d),
        project.original(d, "source").sentences,
    )


def test_edit_sentences_is_one_step_and_exports_edited_text(project, doc, tmp_path):
    ids = [u.id for u in project.units(doc)]
    project.decide_many(ids, "accepted")
    n = project.edit_sentences(doc, "target", {0: "C’est très bien.", 4: "Bonne nuit !"})
    assert n == 2
    out = tmp_path / "out.tsv"
    project.export(out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Das ist gut.\tC’est très bien."
    assert lines[-1] == "Gute Nacht.\tBonne nuit !"
    assert project.original(doc, "target").sentences[0] == "C'est bien."  # original kept
    entry = project.journal()[-1]
    assert entry.action == "edit target" and entry.before[f"sentence {doc}:1:0"] == "C'est bien."
    assert project.undo()  # both edits in one step
    assert project.target(doc).sentences == TARGET


def test_split_keeps_unit_and_decision_and_renumbers(project, doc, tmp_path):
    units = project.units(doc)
    project.decide(units[1].id, "accepted")
    project.decide(units[3].id, "rejected")
    before = snapshot(project, doc)
    text = SOURCE[1]
    assert project.split_sentence(doc, "source", 1, text.index("Es")) == (1, 2)
    src = project.source(doc)
    assert src.sentences[1:3] == ["Ich gehe heim.", "Es ist spät."]
    assert src.articles == [(0, 4), (4, 6)]
    assert shape(project, doc) == [
        ((0,), (0,), "pending"),
        ((1, 2), (1,), "accepted"),  # the split sentence stays in its (accepted) unit
        ((3,), (2,), "pending"),
        ((4,), (3,), "rejected"),
        ((5,), (4,), "pending"),
    ]
    # the translation keeps one line per source sentence
    assert len(project.translation(doc).sentences) == 6
    # the sentence keeps its imported text; the store records a split-off part's first text
    # as its original (it was not imported)
    assert project.original(doc, "source").sentences[1:3] == [text, "Es ist spät."]
    # export uses the edited text; the pair reads the same
    out = tmp_path / "o.tsv"
    project.export(out)
    assert out.read_text(encoding="utf-8").splitlines() == [f"{text}\t{TARGET[1]}"]
    after = snapshot(project, doc)
    assert project.undo()
    assert snapshot(project, doc) == before
    assert project.redo()
    assert snapshot(project, doc) == after


def test_join_across_units_makes_them_pending_and_undo_restores(project, doc):
    units = project.units(doc)
    project.decide_many([u.id for u in units], "accepted")
    before = snapshot(project, doc)
    project.join_sentences(doc, "target", 1)
    assert project.target(doc).sentences[1] == f"{TARGET[1]} {TARGET[2]}"
    assert project.target(doc).articles == [(0, 2), (2, 4)]
    assert shape(project, doc) == [
        ((0,), (0,), "accepted"),
        ((1,), (1,), "pending"),  # its pair now says more
        ((2,), (), "pending"),  # lost its target
        ((3,), (2,), "accepted"),  # renumbered, decision kept
        ((4,), (3,), "accepted"),
    ]
    assert project.undo()
    assert snapshot(project, doc) == before


def test_join_refuses_across_articles_and_at_the_end(project, doc):
    with pytest.raises(InputError, match="different articles"):
        project.join_sentences(doc, "source", 2)
    # the store names the missing next sentence
    with pytest.raises(ProjectError, match="no source sentence 5"):
        project.join_sentences(doc, "source", 4)


def test_insert_and_delete(project, doc):
    before = snapshot(project, doc)
    new_id = project.insert_sentence(doc, "target", 2, "Une phrase de plus.")
    assert new_id == 2  # the store returns the new sentence's id
    rows = project.units(doc)
    assert [(u.source_ids, u.target_ids) for u in rows] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((), (2,)),
        ((2,), (3,)),
        ((3,), (4,)),
        ((4,), (5,)),
    ]
    assert rows[2].target_ids == (new_id,) and rows[2].target_text == "Une phrase de plus."
    assert rows[2].status == "pending"
    assert project.target(doc).articles == [(0, 4), (4, 6)]
    assert project.undo()
    assert snapshot(project, doc) == before
    project.delete_sentence(doc, "source", 0)
    assert shape(project, doc)[0] == ((), (0,), "pending")
    assert project.source(doc).sentences == SOURCE[1:]
    assert project.translation(doc).sentences == MT[1:]
    assert project.undo()
    assert snapshot(project, doc) == before


def test_delete_refuses_emptying_an_article_and_bad_input(project, tmp_path):
    d = project.add_document(
        Document(["a", "b"], [(0, 1), (1, 2)]), Document(["x", "y"], [(0, 1), (1, 2)])
    )
    with pytest.raises(InputError, match="empty article"):
        project.delete_sentence(d, "source", 1)
    with pytest.raises(ProjectError, match="no source sentence 7"):
        project.split_sentence(d, "source", 7, 1)
    with pytest.raises(InputError, match="empty sentence"):
        project.split_sentence(d, "source", 0, 1)
    with pytest.raises(InputError, match="line break"):
        project.insert_sentence(d, "source", 0, "a\nb")
    with pytest.raises(InputError, match="unknown side"):
        project.delete_sentence(d, "middle", 0)


def test_join_texts_spacing():
    assert join_texts("今天下雨。", "我们回家。") == "今天下雨。我们回家。"
    assert join_texts("비가 온다.", "집에 간다.") == "비가 온다. 집에 간다."
    assert join_texts("It rains", " today.") == "It rains today."


def test_fix_is_journalled_without_counting_renumbering_as_reversal(project, doc):
    units = project.units(doc)
    project.decide_many([u.id for u in units], "accepted")
    project.split_sentence(doc, "source", 1, SOURCE[1].index("Es"))
    entry = project.journal()[-1]
    assert entry.action == "split source sentence" and entry.reviewer == "ann"
    # the store journals the sentence texts by key "sentence doc:side:id"
    assert entry.before[f"sentence {doc}:0:1"] == SOURCE[1]
    assert entry.after[f"sentence {doc}:0:1"] == "Ich gehe heim."
    assert entry.after[f"sentence {doc}:0:2"] == "Es ist spät."
    assert project.audit_summary().loc[0, "reversed"] == 0


def test_join_sentences_joins_cjk_without_a_space_and_undoes(project):
    d = project.add_document(
        Document(["今天下雨。", "我们回家。", "好。"]),
        Document(["It rains.", "We go home.", "Good."]),
    )
    project.set_translation(d, ["It rains today.", "We go home.", "Good."], "mt", side="source")
    project.set_suggestions(d, [AlignmentUnit((i,), (i,), 0.5, "dp") for i in range(3)], "bleu")
    assert project.join_sentences(d, "source", 0) == 0
    assert project.source(d).sentences == ["今天下雨。我们回家。", "好。"]
    assert project.translation(d).sentences == ["It rains today. We go home.", "Good."]
    assert project.join_sentences(d, "target", 0) == 0
    assert project.target(d).sentences == ["It rains. We go home.", "Good."]
    assert project.undo() and project.undo()
    assert project.source(d).sentences == ["今天下雨。", "我们回家。", "好。"]
    assert project.translation(d).sentences == ["It rains today.", "We go home.", "Good."]


def test_edit_sentences_without_change_records_no_step(project, doc):
    assert project.edit_sentences(doc, "source", {0: SOURCE[0]}) == 0
    assert not project.can_undo()
    with pytest.raises(ProjectError, match="no source sentence 9"):
        project.edit_sentences(doc, "source", {9: "x"})
    with pytest.raises(InputError, match="line break"):
        project.edit_sentences(doc, "source", {0: "a\nb"})
