"""The spot-check report's reliability diagram: sampled accuracy per confidence band next to
the accuracy the confidence predicts."""

from __future__ import annotations

import math

import pytest

from workbench.align import AlignmentUnit
from workbench.spotcheck.reliability import band_labels, calibration_error, reliability
from workbench.spotcheck.report import DocumentSize, build_report


def test_bands_predicted_and_sampled_accuracy():
    bands = reliability(
        [
            (0.97, "correct"),
            (0.99, "incorrect"),
            (0.6, "correct"),
            (0.4, "unsure"),
            (None, "correct"),
        ],
        [0.97, 0.99, 0.96, 0.6, 0.4, None, None],
    )
    assert [b.label for b in bands] == [*band_labels(), "no confidence"]
    assert band_labels() == ["< 50 %", "50–70 %", "70–90 %", "90–95 %", "≥ 95 %"]
    top = bands[4]
    assert (top.pairs, top.judged) == (3, 2)
    assert top.predicted == pytest.approx(0.98)  # mean confidence of its judged pairs
    assert top.accuracy.proportion.value == pytest.approx(0.5)
    assert bands[0].judged == 0 and bands[0].accuracy.unsure == 1
    assert bands[0].predicted == pytest.approx(0.4)  # none judged: the band's mean
    assert math.isnan(bands[2].predicted) and bands[2].pairs == 0
    assert (bands[5].pairs, bands[5].judged) == (2, 1)
    # judged-weighted gap: top band |0.5 - 0.98| (2 pairs), 50-70 band |1 - 0.6| (1 pair)
    assert calibration_error(bands) == pytest.approx((2 * 0.48 + 1 * 0.4) / 3)


def test_report_shows_reliability_only_with_confidences():
    from workbench.spotcheck.charts import report_figures
    from workbench.spotcheck.html import report_html

    U = AlignmentUnit
    units = {0: [U((i,), (i,), 0.3, "anchor", c) for i, c in enumerate([0.99, 0.98, 0.3, 0.96])]}
    verdicts = {
        (0, (i,), (i,)): v for i, v in enumerate(["correct", "correct", "incorrect", "incorrect"])
    }
    report = build_report(
        {"bleu": units}, {0: DocumentSize("d", 4, 4)}, {"bleu": list(verdicts)}, verdicts.get
    )
    rows = report.reliability_rows()
    assert rows[0] == ["bleu", "< 50 %", "1", "1", "30.0 %", rows[0][5]]
    assert rows[0][5].startswith("0.00 %")
    assert rows[4][:5] == ["bleu", "≥ 95 %", "3", "3", "97.7 %"]
    assert rows[4][5].startswith("66.67 %")
    text = report.reliability_text()
    assert "predicted" in text and "calibration error" in text
    assert "Reliability of the confidence" in [name for name, _ in report_figures(report)]
    assert "Reliability of the confidence" in report_html(report)
    old = build_report(
        {"bleu": {0: [U((0,), (0,), 0.3)]}},
        {0: DocumentSize("d", 1, 1)},
        {"bleu": []},
        verdicts.get,
    )
    assert old.reliability_rows() == [] and old.reliability_text() == ""
    assert "Reliability of the confidence" not in [name for name, _ in report_figures(old)]


def test_project_report_carries_the_stored_confidences(project, qtbot):
    from workbench.gui.spotcheck import ReportView
    from workbench.spotcheck.project_data import ACCEPTED, gather_report
    from workbench.textio import Document

    d = project.add_document(Document(["a", "b", "c"]), Document(["x", "y", "z"]))
    confidences = [0.99, 0.97, 0.2]
    project.set_suggestions(
        d, [AlignmentUnit((i,), (i,), 0.4, "anchor", c) for i, c in enumerate(confidences)], "bleu"
    )
    units = project.units(d)
    project.decide_many([u.id for u in units], "accepted")
    pairs = [(d, u.source_ids, u.target_ids) for u in units]
    project.create_sample("all", pairs, seed=1, params={"from": ACCEPTED})
    for (doc, s, t), verdict in zip(pairs, ["correct", "correct", "incorrect"], strict=True):
        project.judge(doc, s, t, verdict)
    report = gather_report(project, scorers=(), compute=False)
    row = report.row(ACCEPTED)
    assert [b.judged for b in row.reliability] == [1, 0, 0, 0, 2]
    assert row.reliability[4].predicted == pytest.approx(0.98)
    view = ReportView(report)
    qtbot.addWidget(view)
    tabs = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert "Reliability of the confidence" in tabs and "Reliability table" in tabs
