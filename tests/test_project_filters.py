"""The store's id-only selections that bulk decisions and navigation use: exclusive and
inclusive score bounds, places across documents, "before" and "among" filters."""

from __future__ import annotations

from workbench.align import AlignmentUnit
from workbench.textio import Document


def _two_documents(project):
    docs = []
    for name in ("a", "b"):
        d = project.add_document(Document(["x", "y", "z"]), Document(["X", "Y", "Z"]), name=name)
        scores = (0.2, 0.5, 0.8)
        project.set_suggestions(
            d, [AlignmentUnit((i,), (i,), s, "dp") for i, s in enumerate(scores)], "bleu"
        )
        docs.append(d)
    return docs, [project.units(d) for d in docs]


def test_score_bounds_are_inclusive_or_exclusive(project):
    (a, _b), _units = _two_documents(project)
    assert project.count_units(a, max_score=0.5) == 2
    assert project.count_units(a, below_score=0.5) == 1
    assert project.count_units(below_score=0.5) == 2


def test_next_unit_crosses_documents_from_a_place(project):
    (a, b), (ua, ub) = _two_documents(project)
    last_a = (a, ua[-1].position)
    assert project.next_unit(None, last_a).id == ub[0].id
    assert project.next_unit(None, (b, ub[0].position), direction=-1).id == ua[-1].id
    assert project.next_unit(None, last_a, below_score=0.5).id == ub[0].id
    assert project.next_unit(a, last_a) is None
    assert project.next_unit(None, None, direction=-1).id == ub[-1].id


def test_unit_ids_before_a_place_and_among_ids_in_document_order(project):
    (a, b), (ua, ub) = _two_documents(project)
    assert project.unit_ids(before=(b, ub[1].position)) == [u.id for u in ua] + [ub[0].id]
    assert project.unit_ids(a, before=(a, ua[1].position)) == [ua[0].id]
    project.decide(ub[0].id, "accepted")
    among = [ub[1].id, ub[0].id, ua[2].id, ub[1].id]
    assert project.unit_ids(status="pending", among=among) == [ua[2].id, ub[1].id]
    assert project.unit_ids(among=[]) == []
