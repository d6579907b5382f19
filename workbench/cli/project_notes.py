"""The notes project commands print on stderr: what an export left out and why, what a
re-alignment kept. Every count says 1 pair, N pairs (:mod:`workbench.wording`)."""

from __future__ import annotations

from typing import Any

from workbench.wording import count, noun


def empty_note(pairs: list) -> str:
    """The note of an export on the pairs with an empty side it left out, by kind."""
    both = sum(1 for p in pairs if not p.source and not p.target)
    kinds = [
        f"{both} blank against blank" if both else "",
        f"{len(pairs) - both} blank against a sentence" if len(pairs) > both else "",
    ]
    return (
        f"note: {count(len(pairs), 'pair')} with an empty side {noun(len(pairs), 'was')} left "
        f"out ({', '.join(k for k in kinds if k)}; no training data); --keep-empty exports them"
    )


def missing_note(project: Any, docs: list, with_pending: bool, what: str) -> str:
    """The note of an export by ``what`` (score or confidence) on the pairs it left out for
    having none, by why: the curator's merges, splits and moved sentences and imported pairs
    have neither (re-aligning keeps the first as they are and never aligned the second); old
    pairs have no confidence (re-aligning gives one), pairs aligned by length no score. An
    accepted merge used to vanish from a --min-score export without a word."""
    statuses = ["accepted", "pending"] if with_pending else ["accepted"]
    missing_value = {"has_score" if what == "score" else "has_confidence": False}

    def tally(method: str | None = None) -> int:
        return sum(
            project.count_units(d, status=s, shape="pair", method=method, **missing_value)
            for d in docs
            for s in statuses
        )

    missing = tally()
    if not missing:
        return ""
    hand, imported = tally("manual"), tally("imported")
    rest = missing - hand - imported
    if what == "confidence" and rest == missing:
        return (
            f"note: {count(missing, 'pair')} {noun(missing, 'has')} no confidence (aligned "
            "before confidences were stored; re-align their documents) and "
            f"{noun(missing, 'was')} left out"
        )
    why_rest = (
        "aligned before confidences were stored (re-align their documents)"
        if what == "confidence"
        else "aligned by sentence length, without a score"
    )
    parts = [
        f"{hand} made by hand (merged, split or a sentence moved; such pairs keep none)"
        if hand
        else "",
        f"{imported} imported (never aligned here)" if imported else "",
        f"{rest} {why_rest}" if rest else "",
    ]
    why = "; ".join(p for p in parts if p)
    left = f"{noun(missing, 'has')} no {what} and {noun(missing, 'was')} left out"
    return f"note: {count(missing, 'pair')} {left}: {why}"


def imported_kept_note(project: Any, doc_id: int) -> str:
    """A re-alignment keeps the pairs `project import` brought in (someone's alignment, not
    the aligner's suggestions); the note says so, and how to align them."""
    kept = project.count_units(doc_id, status="pending", method="imported")
    if not kept:
        return ""
    return (
        f"note: document {doc_id}: {count(kept, 'pending imported pair')} kept as "
        f"{noun(kept, 'it', 'they')} {noun(kept, 'was', 'were')} imported (a re-alignment "
        f"replaces the aligner's suggestions only); `workbench project align {project.path} "
        f"--doc {doc_id}` aligns the document anew"
    )


def same_document_note(project: Any, doc_id: int) -> str:
    """A note when the document just added holds the same sentences, both sides, as one
    already there: a command run twice by accident (its pairs would be reviewed and exported
    twice). A note, not a refusal: the same texts with another translation are a way to
    compare MT systems."""
    new = project.document(doc_id)
    source, target = project.source(doc_id).sentences, project.target(doc_id).sentences
    for d in project.documents():
        if (
            d.id != doc_id
            and (d.n_source, d.n_target) == (new.n_source, new.n_target)
            and project.source(d.id).sentences == source
            and project.target(d.id).sentences == target
        ):
            return (
                f"note: document {doc_id} holds the same sentences as document {d.id} "
                f"({d.name}): added twice? Both would be reviewed and exported "
                f"(`workbench project stats {project.path}` lists the documents)"
            )
    return ""
