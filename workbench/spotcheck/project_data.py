"""Spot-checks over a :class:`~workbench.project.Project`: suggestions per scorer, samples, report.

Only the Project's public API is used. Suggestions are stored as suggestion runs (one per
scorer per document); a scorer's run that does not exist yet is computed here with the same
settings as ``workbench align`` (ABLEU without an embedding: the self-trained path) and stored,
so that a sample drawn from it and the report read the very same units later (self-trained
ABLEU over the project's model, as ``project align``: :mod:`workbench.project.project_model`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.align import AlignmentUnit
from workbench.errors import InputError
from workbench.spotcheck.report import ComparisonReport, DocumentSize, build_report
from workbench.spotcheck.sampling import DEFAULT_BANDS, Candidate, PairKey, draw_sample
from workbench.spotcheck.stats import sample_size

if TYPE_CHECKING:
    from workbench.project import Project

Progress = Callable[[str], None]
ACCEPTED = "accepted"  # the report's row of curated pairs, and a sample's source


def stored_units(project: Project, doc_id: int, scorer: str) -> list[AlignmentUnit] | None:
    """The latest stored suggestion run of ``scorer`` for a document, or None."""
    runs = [r for r in project.suggestion_runs(doc_id) if r.scorer == scorer]
    if not runs:
        return None
    latest = max(runs, key=lambda r: (r.created, r.id))
    return list(project.run_units(latest.id))


def compute_units(
    project: Project, doc_id: int, scorer: str, embeddings: str | Path | object | None = None
) -> list[AlignmentUnit]:
    """Align a project document with ``scorer`` as ``workbench project align`` would (not
    stored; self-trained ABLEU over the project's model, trained and kept if need be)."""
    from workbench.align import pipeline
    from workbench.project.project_model import project_model

    settings = pipeline.AlignSettings(scorer=scorer, embeddings=embeddings)
    shared = project_model(project, settings, doc_id)
    return pipeline.align(
        settings, pipeline.project_documents(project, doc_id), shared=shared
    ).units


def scorer_units(
    project: Project,
    doc_id: int,
    scorer: str,
    *,
    embeddings: str | Path | object | None = None,
    compute: bool = True,
    progress: Progress | None = None,
) -> list[AlignmentUnit]:
    units = stored_units(project, doc_id, scorer)
    if units is not None:
        return units
    if not compute:
        raise InputError(f"document {doc_id} has no {scorer} suggestions; align it first")
    if progress:
        progress(f"aligning document {doc_id} with {scorer}")
    units = compute_units(project, doc_id, scorer, embeddings)
    store_run(project, doc_id, units, scorer)
    return stored_units(project, doc_id, scorer) or units


def check_scorers(
    project: Project,
    scorers: Sequence[str],
    *,
    compute: bool = True,
    embeddings: str | Path | object | None = None,
) -> str | Path | object | None:
    """Before any work: every name is a scorer, or a stored suggestion run's in every document
    (a run needs no scorer to be read), and an ``embeddings`` file a run to compute may need
    loads. Either used to be found only when the first document was aligned: after
    "aligning document 1 with NAME" on stderr, and after the runs of the names before it had
    been computed and stored.

    Returns what to align with: the loaded KeyedVectors when a run is to be computed with an
    embedding file (loaded once, here), else ``embeddings`` as given."""
    from workbench.scoring.registry import SCORERS, available_scorers

    if not compute:  # without compute, a missing run is its own error
        return embeddings
    docs = project.documents()

    def stored(name: str) -> bool:
        return all(any(r.scorer == name for r in project.suggestion_runs(d.id)) for d in docs)

    to_compute = [name for name in scorers if not stored(name)]
    unknown = [name for name in to_compute if name not in SCORERS]
    if unknown:
        available = available_scorers()  # discovers plugins
        for name in unknown:
            if name not in available:
                raise InputError(f"unknown scorer {name!r}; available: {', '.join(available)}")
    if isinstance(embeddings, str | Path) and to_compute:
        from workbench.embeddings import load_keyed_vectors

        # Missing, empty or unreadable: one error line now, before any run is computed.
        return load_keyed_vectors(embeddings)
    return embeddings


def store_run(project: Project, doc_id: int, units: Sequence[AlignmentUnit], scorer: str) -> None:
    """Store a scorer's units as a suggestion run without changing which scorer is reviewed.

    The store makes every new run the document's review rows; when another scorer's run was
    being reviewed, it is stored again right after (same units), so the curator's rows stay
    that scorer's. Decisions are kept either way. One transaction: a killed process never
    leaves the other scorer's units as the review rows.
    """
    with project.transaction():
        runs = project.suggestion_runs(doc_id)
        active = next((r for r in runs if r.active), None)
        project.set_suggestions(doc_id, units, scorer, params={"spotcheck": True})
        if active is not None and active.scorer != scorer:
            project.set_suggestions(
                doc_id, project.run_units(active.id), active.scorer, params={"restored": active.id}
            )


# -- samples ---------------------------------------------------------------------------------


def candidates(
    project: Project,
    *,
    source: str = "suggestions",
    scorers: Sequence[str] = (),
    embeddings: str | Path | None = None,
    progress: Progress | None = None,
) -> list[Candidate]:
    """What a sample is drawn from: pairs (units with both sides) of every document.

    ``source="suggestions"``: the union of the given scorers' suggestion runs (their scores:
    the first scorer's where several suggested the same pair), or without scorers the review
    rows whatever their status; ``source="accepted"``: the accepted review rows.
    """
    out: dict[PairKey, Candidate] = {}
    if source == "suggestions":
        embeddings = check_scorers(project, scorers, embeddings=embeddings)
    for doc in project.documents():
        if source == "accepted":
            units = accepted_units(project, doc.id)
        elif source == "suggestions" and scorers:
            units = [
                u
                for name in scorers
                for u in scorer_units(
                    project, doc.id, name, embeddings=embeddings, progress=progress
                )
            ]
        elif source == "suggestions":
            rows = project.units(doc.id)
            units = [
                AlignmentUnit(
                    tuple(u.source_ids), tuple(u.target_ids), u.score, u.method, u.confidence
                )
                for u in rows
            ]
        else:
            raise InputError(f"unknown sample source {source!r}; choose suggestions or accepted")
        for u in units:
            if u.source and u.target:
                c = Candidate(doc.id, tuple(u.source), tuple(u.target), u.score)
                out.setdefault(c.key, c)
    return list(out.values())


def create_sample(
    project: Project,
    *,
    size: int | None = None,
    margin: float | None = None,
    expected: float = 0.5,
    confidence: float = 0.95,
    seed: int,
    stratify: str | None = None,
    source: str = "suggestions",
    scorers: Sequence[str] = (),
    name: str = "",
    embeddings: str | Path | None = None,
    progress: Progress | None = None,
) -> tuple[int, int, int]:
    """Draw and store a sample; returns (sample id, sample size, population size)."""
    if (size is None) == (margin is None):
        raise InputError("give either a sample size or a margin, not both")
    if size is not None and size < 1:
        raise InputError(f"a sample needs at least one pair, not {size}")
    pool = candidates(
        project, source=source, scorers=scorers, embeddings=embeddings, progress=progress
    )
    if not pool:
        what = "accepted pairs" if source == "accepted" else "suggested pairs"
        raise InputError(f"the project has no {what} to sample from")
    if size is None:
        size = sample_size(margin, len(pool), expected=expected, confidence=confidence)
    if size > len(pool):
        raise InputError(f"sample size {size} is larger than the {len(pool)} pairs to sample")
    chosen = draw_sample(pool, size, seed=seed, stratify=stratify, bands=DEFAULT_BANDS)
    params = {
        "from": source,
        "scorers": list(scorers),
        "stratify": stratify,
        "size": size,
        "margin": margin,
        "expected": expected,
        "confidence": confidence,
        "population": len(pool),
        "bands": list(DEFAULT_BANDS),
    }
    name = name or f"{source} {'+'.join(scorers) or 'review'} n={size} seed={seed}"
    sample_id = project.create_sample(name, [c.key for c in chosen], seed=seed, params=params)
    return sample_id, size, len(pool)


# -- the report ------------------------------------------------------------------------------


def sample_for(project: Project, scorer: str) -> Any | None:
    """The latest sample drawn from suggestions that included ``scorer``'s."""
    matching = [
        s
        for s in project.samples()
        if (s.params or {}).get("from") == "suggestions"
        and scorer in (s.params or {}).get("scorers", [])
    ]
    return max(matching, key=lambda s: s.id) if matching else None


def item_key(item: Any) -> PairKey:
    return (item.doc_id, tuple(item.source_ids), tuple(item.target_ids))


def gather_report(
    project: Project,
    scorers: Sequence[str] = ("bleu", "ableu"),
    *,
    embeddings: str | Path | None = None,
    gold: dict[int, list] | None = None,
    sample_ids: Sequence[int] = (),
    compute: bool = True,
    confidence: float = 0.95,
    include_accepted: bool = True,
    progress: Progress | None = None,
) -> ComparisonReport:
    """The comparison report of ``scorers`` over every document of the project.

    The accuracy of a scorer comes from ``sample_ids`` when given (each sample counts for the
    scorers its population contained; a sample from the review rows or accepted pairs counts
    for every scorer), else from the latest sample drawn from suggestions that included it.
    """
    docs = project.documents()
    if not docs:
        raise InputError("the project has no documents")
    embeddings = check_scorers(project, scorers, compute=compute, embeddings=embeddings)
    sizes = {d.id: DocumentSize(d.name, d.n_source, d.n_target) for d in docs}
    suggestions = {
        name: {
            d.id: scorer_units(
                project, d.id, name, embeddings=embeddings, compute=compute, progress=progress
            )
            for d in docs
        }
        for name in scorers
    }
    rows = list(scorers)
    if include_accepted:
        accepted = {d.id: accepted_units(project, d.id) for d in docs}
        if any(accepted.values()):
            suggestions[ACCEPTED] = accepted
            rows.append(ACCEPTED)
    known = {s.id: s for s in project.samples()}
    samples: dict[str, list[PairKey]] = {}
    verdicts: dict[PairKey, str | None] = {}
    notes = []
    for name in rows:
        if name == ACCEPTED:
            from_accepted = [s for s in known.values() if (s.params or {}).get("from") == ACCEPTED]
            if sample_ids:
                from_accepted = [s for s in from_accepted if s.id in sample_ids]
            chosen = [max(from_accepted, key=lambda s: s.id)] if from_accepted else []
        elif sample_ids:
            missing = [i for i in sample_ids if i not in known]
            if missing:
                raise InputError(f"no sample {missing[0]} in this project")
            chosen = [
                known[i]
                for i in sample_ids
                if (known[i].params or {}).get("from") != ACCEPTED
                and (not known[i].params.get("scorers") or name in known[i].params["scorers"])
            ]
        else:
            latest = sample_for(project, name)
            chosen = [latest] if latest else []
        keys: list[PairKey] = []
        for s in chosen:
            for item in project.sample_items(s.id):
                keys.append(item_key(item))
                verdicts[item_key(item)] = item.verdict
        samples[name] = keys
        used = ", ".join(f"#{s.id} {s.name!r}" for s in chosen) or "none"
        notes.append(f"{name}: accuracy from sample(s) {used}")

    def verdict(key: PairKey) -> str | None:
        if key in verdicts:
            return verdicts[key]
        return project.judgement(*key)

    return build_report(
        suggestions,
        sizes,
        samples,
        verdict,
        gold=gold,
        confidence=confidence,
        notes=notes,
        agreement_among=list(scorers),
    )


def accepted_units(project: Project, doc_id: int) -> list[AlignmentUnit]:
    """The document's accepted review rows as alignment units."""
    return [
        AlignmentUnit(tuple(u.source_ids), tuple(u.target_ids), u.score, u.method, u.confidence)
        for u in project.units(doc_id, status="accepted")
    ]
