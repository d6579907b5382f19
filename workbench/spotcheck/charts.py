"""The report's charts as matplotlib Figures (no pyplot: usable in threads, Qt and HTML alike).

Score distributions per scorer, accuracy per score band with Wilson intervals, and yield per
scorer. Document names and labels may be Korean or Chinese, so a CJK font installed on the
system is added after the default font as a fallback (matplotlib ≥ 3.6 falls back per glyph).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

from workbench.spotcheck.report import ComparisonReport
from workbench.spotcheck.stats import interval_name

# Colour-blind-safe pair (Okabe–Ito) for the first scorers, then matplotlib's cycle.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]


@cache
def cjk_font_family() -> str | None:
    """An installed font family with Hangul and Han glyphs (Noto CJK preferred), or None."""
    from matplotlib import font_manager

    names = sorted({f.name for f in font_manager.fontManager.ttflist})
    for wanted in ("Noto Sans CJK KR", "Noto Sans CJK JP", "Noto Sans CJK SC"):
        if wanted in names:
            return wanted
    for name in names:
        if "CJK" in name or "Nanum" in name or "WenQuanYi" in name:
            return name
    return None


@contextmanager
def chart_style() -> Iterator[None]:
    families = ["DejaVu Sans"]
    if cjk_font_family():
        families.append(cjk_font_family())
    with rc_context(
        {
            "font.family": families,
            "font.size": 10,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    ):
        yield


def score_distribution_figure(
    report: ComparisonReport, figsize: tuple[float, float] = (6.4, 3.6)
) -> Figure:
    """Histogram of the suggested pairs' scores, one outline per scorer."""
    with chart_style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
        top = max((max(r.scores) for r in report.rows if r.scores), default=1.0)
        bins = np.linspace(0, max(1.0, top), 41)
        for k, row in enumerate(report.rows):
            if row.scores:
                ax.hist(
                    row.scores,
                    bins=bins,
                    histtype="step",
                    linewidth=1.8,
                    color=COLOURS[k % len(COLOURS)],
                    label=f"{row.scorer} ({len(row.scores)})",
                )
        for edge in report.bands:
            ax.axvline(edge, color="#bbbbbb", linewidth=0.8, linestyle=":")
        ax.set_xlabel("score of a suggested pair (dotted: score bands)")
        ax.set_ylabel("pairs")
        ax.set_title("Score distribution per scorer")
        if any(r.scores for r in report.rows):
            fig.legend(frameon=False, loc="outside right upper")
        return fig


def band_accuracy_figure(
    report: ComparisonReport, figsize: tuple[float, float] = (6.4, 3.6)
) -> Figure:
    """Sampled accuracy per score band, bars per scorer with Wilson interval whiskers."""
    with chart_style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
        labels = list(report.rows[0].by_band) if report.rows else []
        x = np.arange(len(labels))
        width = 0.8 / max(1, len(report.rows))
        for k, row in enumerate(report.rows):
            props = [row.by_band[b].proportion for b in labels]
            values = np.array([p.value if p.trials else 0.0 for p in props]) * 100
            low = np.array([p.value - p.low if p.trials else 0.0 for p in props]) * 100
            high = np.array([p.high - p.value if p.trials else 0.0 for p in props]) * 100
            pos = x - 0.4 + width * (k + 0.5)
            ax.bar(
                pos,
                values,
                width,
                yerr=[low, high],
                capsize=3,
                color=COLOURS[k % len(COLOURS)],
                label=row.scorer,
                ecolor="#444444",
            )
            for xi, p in zip(pos, props, strict=True):
                # inside the bar's foot, clear of the interval whiskers at its top
                ax.text(
                    xi,
                    2,
                    f"n={p.trials}" if p.trials else "n=0",
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    rotation=90,
                    color="white" if p.trials else "#777777",
                )
        ax.set_xticks(x, labels)
        ax.set_ylim(0, 112)
        ax.set_xlabel("score band")
        ax.set_ylabel("correct among judged (%)")
        ax.set_title(
            f"Sampled accuracy per score band ({interval_name(report.confidence)} intervals)"
        )
        if report.rows:
            fig.legend(frameon=False, loc="outside right upper")
        return fig


def yield_figure(report: ComparisonReport, figsize: tuple[float, float] = (6.4, 3.0)) -> Figure:
    """Yield (aligned / all sentences) per scorer: source side, target side and both."""
    with chart_style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
        sides = [("source", "source"), ("target", "target"), ("overall", "both")]
        y = np.arange(len(report.rows))
        height = 0.8 / len(sides)
        shades = ["#9ecae1", "#4292c6", "#08519c"]
        for k, (attr, label) in enumerate(sides):
            values = [100 * getattr(r.yield_, attr) for r in report.rows]
            pos = y - 0.4 + height * (k + 0.5)
            ax.barh(pos, values, height, color=shades[k], label=label)
            for p, v in zip(pos, values, strict=True):
                ax.text(v + 0.5, p, f"{v:.1f} %", va="center", fontsize=8)
        ax.set_yticks(y, [r.scorer for r in report.rows])
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.set_xlabel("aligned sentences / all sentences (%)")
        ax.set_title("Yield per scorer")
        fig.legend(frameon=False, loc="outside right upper", fontsize=8)
        return fig


def reliability_figure(
    report: ComparisonReport, figsize: tuple[float, float] = (6.4, 4.2)
) -> Figure:
    """Reliability diagram: per confidence band, sampled accuracy (95 % Wilson interval)
    against the accuracy the confidence predicts; a calibrated confidence lies on the
    diagonal. Point labels give the band and its judged pairs."""
    from workbench.spotcheck.reliability import NO_CONFIDENCE, has_confidence

    with chart_style():
        fig = Figure(figsize=figsize, layout="constrained")
        ax = fig.add_subplot()
        ax.plot(
            [0, 100], [0, 100], linestyle="--", color="#999999", linewidth=1, label="calibrated"
        )
        for k, row in enumerate(report.rows):
            if not has_confidence(row.reliability):
                continue
            bands = [b for b in row.reliability if b.label != NO_CONFIDENCE and b.judged]
            if not bands:
                continue
            x = np.array([100 * b.predicted for b in bands])
            props = [b.accuracy.proportion for b in bands]
            y = np.array([100 * p.value for p in props])
            low = np.array([100 * (p.value - p.low) for p in props])
            high = np.array([100 * (p.high - p.value) for p in props])
            colour = COLOURS[k % len(COLOURS)]
            ax.errorbar(x, y, yerr=[low, high], fmt="o-", color=colour, capsize=3, label=row.scorer)
            for xi, yi, b in zip(x, y, bands, strict=True):
                ax.annotate(
                    f"{b.label}, n={b.judged}",
                    (xi, yi),
                    textcoords="offset points",
                    xytext=(5, -12),
                    fontsize=7,
                    color="#444444",
                )
        ax.set_xlim(0, 102)
        ax.set_ylim(0, 105)
        ax.set_xlabel("predicted accuracy: mean confidence of the judged pairs (%)")
        ax.set_ylabel("sampled accuracy (%)")
        ax.set_title(
            f"Reliability per confidence band ({interval_name(report.confidence)} intervals)"
        )
        ax.legend(frameon=False, loc="upper left", fontsize=8)
        return fig


def report_figures(report: ComparisonReport) -> list[tuple[str, Figure]]:
    from workbench.spotcheck.reliability import has_confidence

    figures = [
        ("Yield", yield_figure(report)),
        ("Score distribution", score_distribution_figure(report)),
        ("Accuracy per score band", band_accuracy_figure(report)),
    ]
    if any(has_confidence(r.reliability) for r in report.rows):
        figures.append(("Reliability of the confidence", reliability_figure(report)))
    return figures


def figure_png_base64(fig: Figure, dpi: int = 110) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return base64.b64encode(buffer.getvalue()).decode("ascii")
