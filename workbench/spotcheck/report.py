"""The comparison report: several scorers' suggestions for the same documents, side by side.

Pure functions over plain data (units per document, sentence counts, a sample and a verdict
lookup), so that the figures can be checked without a project; :mod:`.project_data` gathers
that data from a :class:`~workbench.project.Project`.

A row per scorer: yield (aligned / all sentences, source, target, both), pairs suggested
(units with both sides), agreement (pairs suggested by every scorer / by any), sampled
accuracy with its Wilson interval, accuracy per score band, sampled accuracy per confidence
band next to the accuracy the confidence predicts (:mod:`.reliability`), and with a gold
alignment strict and lax precision, recall and F1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.align.evaluate import Scores, evaluate_many
from workbench.align.units import AlignmentUnit
from workbench.spotcheck.measures import (
    Accuracy,
    Agreement,
    Yield,
    accuracy,
    accuracy_by_band,
    agreement,
    document_yield,
    total_yield,
)
from workbench.spotcheck.reliability import (
    CONFIDENCE_BANDS,
    ReliabilityBand,
    calibration_error,
    has_confidence,
    reliability,
)
from workbench.spotcheck.sampling import DEFAULT_BANDS, PairKey

if TYPE_CHECKING:
    import pandas as pd

Pair = tuple[tuple[int, ...], tuple[int, ...]]
# The gold-alignment scores a report shows, in column order (fields of align.evaluate.Scores).
GOLD_MEASURES = (
    "strict_precision",
    "strict_recall",
    "strict_f1",
    "lax_precision",
    "lax_recall",
    "lax_f1",
)


@dataclass(frozen=True)
class DocumentSize:
    name: str
    n_source: int
    n_target: int


@dataclass
class ReportRow:
    scorer: str
    yield_: Yield
    per_document: dict[int, Yield]
    pairs: int
    shared: int  # of this scorer's pairs, how many every other scorer suggested too
    accuracy: Accuracy
    per_document_accuracy: dict[int, Accuracy]
    by_band: dict[str, Accuracy]
    scores: list[float]  # scores of the suggested pairs (for the distribution chart)
    per_document_pairs: dict[int, int] = field(default_factory=dict)
    gold: Scores | None = None
    per_document_gold: dict[int, Scores] = field(default_factory=dict)
    reliability: list[ReliabilityBand] = field(default_factory=list)  # per confidence band


@dataclass
class ComparisonReport:
    rows: list[ReportRow]
    documents: dict[int, DocumentSize]
    agreement: Agreement
    confidence: float = 0.95
    bands: tuple[float, ...] = DEFAULT_BANDS
    notes: list[str] = field(default_factory=list)  # e.g. which samples were used
    agreement_among: list[str] = field(default_factory=list)  # rows agreement is measured over

    def agreement_text(self, scorer: str) -> str:
        """The agreement figure for a row ("—" for a row outside the comparison, and when one
        scorer is compared: its "100.0 %" agreed with nothing)."""
        if scorer not in self.agreement_among or len(self.agreement_among) < 2:
            return "—"
        return f"{100 * self.agreement.ratio:.1f} %"

    def row(self, scorer: str) -> ReportRow:
        for r in self.rows:
            if r.scorer == scorer:
                return r
        raise KeyError(scorer)

    def records(self) -> list[dict[str, object]]:
        """One record per scorer overall, then per scorer and document (document ≠ "")."""
        out = []
        for r in self.rows:
            out.append(_record(r.scorer, "", r.yield_, r.pairs, r.accuracy, r.gold))
        for r in self.rows:
            for doc_id, y in r.per_document.items():
                out.append(
                    _record(
                        r.scorer,
                        self.documents[doc_id].name or str(doc_id),
                        y,
                        r.per_document_pairs.get(doc_id, 0),
                        r.per_document_accuracy.get(doc_id),
                        r.per_document_gold.get(doc_id),
                    )
                )
        return out

    def table(self) -> pd.DataFrame:
        import pandas as pd  # imported here so that `workbench --help` stays fast

        return pd.DataFrame.from_records(self.records())

    def text_table(self) -> str:
        """The two-row table of the method's report, for a terminal."""
        head = ["scorer", "yield", "yield src / tgt", "pairs", "agreement", "sampled accuracy"]
        if any(r.gold for r in self.rows):
            head += ["strict F1", "lax F1"]
        lines = []
        for r in self.rows:
            cells = [
                r.scorer,
                f"{100 * r.yield_.overall:.2f} %",
                f"{100 * r.yield_.source:.1f} / {100 * r.yield_.target:.1f} %",
                str(r.pairs),
                self.agreement_text(r.scorer),
                format_accuracy(r.accuracy),
            ]
            if r.gold:
                cells += [f"{r.gold.strict_f1:.3f}", f"{r.gold.lax_f1:.3f}"]
            elif len(head) > 6:
                cells += ["—", "—"]
            lines.append(cells)
        widths = [max(len(h), *(len(c[i]) for c in lines)) for i, h in enumerate(head)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        return "\n".join([fmt.format(*head)] + [fmt.format(*c) for c in lines])

    def reliability_rows(self) -> list[list[str]]:
        """The reliability table (scorer, band, pairs, judged, predicted, sampled accuracy)
        of the rows whose pairs have confidences; [] when none has."""
        out = []
        for r in self.rows:
            if not has_confidence(r.reliability):
                continue
            for b in r.reliability:
                predicted = "—" if math.isnan(b.predicted) else f"{100 * b.predicted:.1f} %"
                out.append(
                    [
                        r.scorer,
                        b.label,
                        str(b.pairs),
                        str(b.judged),
                        predicted,
                        format_accuracy(b.accuracy),
                    ]
                )
        return out

    def reliability_text(self) -> str:
        """The reliability table for a terminal ("" without confidences)."""
        rows = self.reliability_rows()
        if not rows:
            return ""
        head = ["scorer", "confidence", "pairs", "judged", "predicted", "sampled accuracy"]
        widths = [max(len(h), *(len(c[i]) for c in rows)) for i, h in enumerate(head)]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        ece = [
            f"{r.scorer} {100 * calibration_error(r.reliability):.1f} points"
            for r in self.rows
            if has_confidence(r.reliability) and not math.isnan(calibration_error(r.reliability))
        ]
        lines = [fmt.format(*head)] + [fmt.format(*c) for c in rows]
        if ece:
            lines.append("calibration error (judged pairs): " + ", ".join(ece))
        return "\n".join(lines)


def format_accuracy(acc: Accuracy | None) -> str:
    """``93.70 % ± 2.74 (n=300, 4 unsure, 95 % CI 90.36–95.92 %)``; ``—`` without judged pairs.

    "±" is half the interval's width; the interval itself ends the text, since near 0 % and
    100 % it is far from symmetric (10 of 10 correct: 100.00 % ± 13.87, but the interval is
    72.25–100 %, not 86–114 %)."""
    if acc is None or not acc.proportion.trials:
        return "—" if acc is None or not acc.unjudged else f"— ({acc.unjudged} to judge)"
    p = acc.proportion
    extra = [f"n={p.trials}"]
    if acc.unsure:
        extra.append(f"{acc.unsure} unsure")
    if acc.unjudged:
        extra.append(f"{acc.unjudged} to judge")
    extra.append(f"{100 * p.confidence:g} % CI {100 * p.low:.2f}–{100 * p.high:.2f} %")
    return f"{100 * p.value:.2f} % ± {100 * p.margin:.2f} ({', '.join(extra)})"


def _record(
    scorer: str,
    document: str,
    y: Yield,
    pairs: int,
    acc: Accuracy | None,
    gold: Scores | None,
) -> dict[str, object]:
    nan = math.nan
    p = acc.proportion if acc else None
    rec: dict[str, object] = {
        "scorer": scorer,
        "document": document,
        "source_sentences": y.total_source,
        "target_sentences": y.total_target,
        "aligned_source": y.aligned_source,
        "aligned_target": y.aligned_target,
        "yield_source": y.source,
        "yield_target": y.target,
        "yield": y.overall,
        "pairs": pairs,
        "judged": acc.judged if acc else 0,
        "correct": acc.correct if acc else 0,
        "incorrect": acc.incorrect if acc else 0,
        "unsure": acc.unsure if acc else 0,
        "unjudged": acc.unjudged if acc else 0,
        "accuracy": p.value if p and p.trials else nan,
        "accuracy_low": p.low if p and p.trials else nan,
        "accuracy_high": p.high if p and p.trials else nan,
    }
    for name in GOLD_MEASURES:
        rec[name] = getattr(gold, name) if gold else nan
    return rec


def _confidences(doc_id: int, units: Sequence[AlignmentUnit]) -> dict[PairKey, float | None]:
    return {
        (doc_id, tuple(u.source), tuple(u.target)): getattr(u, "confidence", None)
        for u in units
        if u.source and u.target
    }


def _pair_keys(doc_id: int, units: Sequence[AlignmentUnit]) -> dict[PairKey, float | None]:
    return {
        (doc_id, tuple(u.source), tuple(u.target)): u.score for u in units if u.source and u.target
    }


def build_report(
    suggestions: Mapping[str, Mapping[int, Sequence[AlignmentUnit]]],
    documents: Mapping[int, DocumentSize],
    samples: Mapping[str, Sequence[PairKey]],
    verdict: Callable[[PairKey], str | None],
    *,
    gold: Mapping[int, Sequence[Pair]] | None = None,
    bands: Sequence[float] = DEFAULT_BANDS,
    confidence: float = 0.95,
    notes: Sequence[str] = (),
    agreement_among: Sequence[str] | None = None,
    confidence_bands: Sequence[float] = CONFIDENCE_BANDS,
) -> ComparisonReport:
    """Compare scorers' suggestions on the same ``documents``.

    ``suggestions[scorer][doc_id]`` are that scorer's units; ``samples[scorer]`` the sampled
    pairs whose population contained that scorer's suggestions (items it did not suggest are
    ignored for it: see :mod:`.sampling` for why that stays unbiased); ``verdict(pair)`` looks a
    judgement up by pair, so a pair judged once counts for every scorer that suggested it.
    ``agreement_among`` names the rows agreement is measured over (default: all), so that a
    row such as the accepted pairs can be shown without counting as a scorer.
    """
    keys = {
        name: {
            k: s
            for doc_id in documents
            for k, s in _pair_keys(doc_id, per_doc.get(doc_id, ())).items()
        }
        for name, per_doc in suggestions.items()
    }
    aligner_confidence = {
        name: {
            k: c
            for doc_id in documents
            for k, c in _confidences(doc_id, per_doc.get(doc_id, ())).items()
        }
        for name, per_doc in suggestions.items()
    }
    among = list(suggestions) if agreement_among is None else list(agreement_among)
    sets = [set(keys[name]) for name in among]
    common = set.intersection(*sets) if sets else set()
    either = set.union(*sets) if sets else set()
    rows = []
    for name, per_doc in suggestions.items():
        suggested = keys[name]
        per_document = {
            doc_id: document_yield(
                ((u.source, u.target) for u in per_doc.get(doc_id, ())), d.n_source, d.n_target
            )
            for doc_id, d in documents.items()
        }
        sampled = [k for k in dict.fromkeys(samples.get(name, ())) if k in suggested]
        verdicts = {k: verdict(k) for k in sampled}
        per_doc_acc = {
            doc_id: accuracy((v for k, v in verdicts.items() if k[0] == doc_id), confidence)
            for doc_id in documents
        }
        gold_scores: Scores | None = None
        per_doc_gold: dict[int, Scores] = {}
        if gold is not None:
            ids = [d for d in documents if d in gold]
            tests = [
                [(u.source, u.target) for u in per_doc.get(d, ()) if u.source and u.target]
                for d in ids
            ]
            if ids:
                gold_scores = evaluate_many([gold[d] for d in ids], tests)
                per_doc_gold = {
                    d: evaluate_many([gold[d]], [t]) for d, t in zip(ids, tests, strict=True)
                }
        row = ReportRow(
            scorer=name,
            yield_=total_yield(per_document.values()),
            per_document=per_document,
            pairs=len(suggested),
            shared=len(set(suggested) & common) if name in among else 0,
            accuracy=accuracy(verdicts.values(), confidence),
            per_document_accuracy=per_doc_acc,
            by_band=accuracy_by_band(
                ((suggested[k], v) for k, v in verdicts.items()), bands, confidence
            ),
            scores=[s for s in suggested.values() if s is not None],
            per_document_pairs={d: sum(1 for k in suggested if k[0] == d) for d in documents},
            gold=gold_scores,
            per_document_gold=per_doc_gold,
            reliability=reliability(
                ((aligner_confidence[name][k], v) for k, v in verdicts.items()),
                aligner_confidence[name].values(),
                confidence_bands,
                confidence,
            ),
        )
        rows.append(row)
    return ComparisonReport(
        rows,
        dict(documents),
        Agreement(len(common), len(either)),
        confidence,
        tuple(bands),
        list(notes),
        among,
    )


__all__ = ["ComparisonReport", "DocumentSize", "ReportRow", "agreement", "build_report"]
