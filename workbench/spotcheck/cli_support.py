"""Input helpers shared by the spot-check commands: gold files matched to project documents."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.align.units import read_alignments
from workbench.errors import InputError

if TYPE_CHECKING:
    from workbench.project import Project

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def gold_by_document(project: Project, files: Sequence[str]) -> dict[int, list[Pair]]:
    """Gold alignments per document id: ``NAME=FILE`` by document name, or plain files in the
    project's document order (one per document)."""
    docs = project.documents()
    by_name = {d.name: d.id for d in docs}
    named = [f for f in files if "=" in f and f.split("=", 1)[0] in by_name]
    if named and len(named) != len(files):
        raise InputError("give gold files either all as NAME=FILE or all plain, not mixed")
    if named:
        return {by_name[f.split("=", 1)[0]]: read_alignments(f.split("=", 1)[1]) for f in files}
    if len(files) != len(docs):
        raise InputError(
            f"{len(files)} gold file(s) for {len(docs)} document(s); give one per document "
            "in project order, or NAME=FILE"
        )
    gold = {d.id: read_alignments(f) for d, f in zip(docs, files, strict=True)}
    for d in docs:
        for src, tgt in gold[d.id]:
            if any(i >= d.n_source for i in src) or any(j >= d.n_target for j in tgt):
                raise InputError(
                    f"gold for document {d.name or d.id} refers to sentences beyond its "
                    f"{d.n_source} / {d.n_target} sentences: wrong file?"
                )
    return gold
