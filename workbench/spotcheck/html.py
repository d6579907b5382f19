"""The comparison report as one self-contained HTML page (tables + charts as base64 PNG)."""

from __future__ import annotations

import html
import math
from datetime import datetime

from workbench.spotcheck.charts import figure_png_base64, report_figures
from workbench.spotcheck.report import GOLD_MEASURES, ComparisonReport, format_accuracy
from workbench.spotcheck.stats import interval_name

_STYLE = """
body { font-family: "DejaVu Sans", "Noto Sans CJK KR", "Noto Sans CJK JP", sans-serif;
       margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.7em; text-align: right; }
th:first-child, td:first-child, table.docs td:nth-child(2) { text-align: left; }
th { background: #f0f0f0; }
figure { display: inline-block; margin: 0.5em; }
.note { color: #555; font-size: 0.9em; }
"""


def _pct(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.2f} %"


def _f(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.3f}"


def report_html(report: ComparisonReport, title: str = "Spot-check and yield report") -> str:
    esc = html.escape
    has_gold = any(r.gold for r in report.rows)
    head = [
        "scorer",
        "yield",
        "source yield",
        "target yield",
        "pairs",
        "agreement",
        f"sampled accuracy ({interval_name(report.confidence)})",
    ]
    if has_gold:
        head += ["strict P", "strict R", "strict F1", "lax P", "lax R", "lax F1"]
    rows = []
    for r in report.rows:
        cells = [
            esc(r.scorer),
            _pct(r.yield_.overall),
            _pct(r.yield_.source),
            _pct(r.yield_.target),
            str(r.pairs),
            report.agreement_text(r.scorer),
            esc(format_accuracy(r.accuracy)),
        ]
        if has_gold:
            g = r.gold
            cells += [_f(getattr(g, n)) if g else "—" for n in GOLD_MEASURES]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    main = (
        "<table><tr>"
        + "".join(f"<th>{esc(h)}</th>" for h in head)
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )

    doc_head = [
        "scorer",
        "document",
        "sentences (src / tgt)",
        "yield",
        "pairs",
        "sampled accuracy",
    ] + (["strict F1", "lax F1"] if has_gold else [])
    doc_rows = []
    for r in report.rows:
        for doc_id, y in r.per_document.items():
            d = report.documents[doc_id]
            cells = [
                esc(r.scorer),
                esc(d.name or str(doc_id)),
                f"{d.n_source} / {d.n_target}",
                _pct(y.overall),
                str(r.per_document_pairs.get(doc_id, 0)),
                esc(format_accuracy(r.per_document_accuracy.get(doc_id))),
            ]
            if has_gold:
                g = r.per_document_gold.get(doc_id)
                cells += [_f(g.strict_f1) if g else "—", _f(g.lax_f1) if g else "—"]
            doc_rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    per_doc = (
        '<table class="docs"><tr>'
        + "".join(f"<th>{esc(h)}</th>" for h in doc_head)
        + "</tr>"
        + "".join(doc_rows)
        + "</table>"
    )

    reliability_rows = report.reliability_rows()
    reliability = (
        "<h2>Reliability of the confidence</h2>"
        '<table class="docs"><tr>'
        + "".join(
            f"<th>{h}</th>"
            for h in (
                "scorer",
                "confidence band",
                "pairs",
                "judged",
                "predicted accuracy",
                f"sampled accuracy ({interval_name(report.confidence)})",
            )
        )
        + "</tr>"
        + "".join(
            "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>"
            for cells in reliability_rows
        )
        + "</table>"
        + '<p class="note">Predicted accuracy = mean confidence of the band\'s judged pairs; '
        "a calibrated confidence has sampled ≈ predicted in every band.</p>"
        if reliability_rows
        else ""
    )
    figures = "".join(
        f'<figure><img alt="{esc(name)}" src="data:image/png;base64,{figure_png_base64(fig)}">'
        f"<figcaption>{esc(name)}</figcaption></figure>"
        for name, fig in report_figures(report)
    )
    notes = "".join(f"<li>{esc(n)}</li>" for n in report.notes)
    explain = (
        "Yield = sentences in aligned pairs / all sentences (both sides together; per side in "
        "its own column). Pairs = suggested units with both sides. Agreement = pairs suggested "
        "by every scorer / by any scorer "
        f"({report.agreement.both} / {report.agreement.either}). Sampled accuracy = correct / "
        "(correct + incorrect) among judged sample pairs this scorer suggested; unsure pairs "
        "are left out and counted."
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>{_STYLE}</style></head><body>
<h1>{esc(title)}</h1>
<p class="note">{len(report.documents)} document(s), generated {datetime.now():%Y-%m-%d %H:%M}.
</p>
{main}
<p class="note">{esc(explain)}</p>
<ul class="note">{notes}</ul>
{reliability}
{figures}
<h2>Per document</h2>
{per_doc}
</body></html>
"""
