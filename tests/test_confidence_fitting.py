"""The documents the calibration maps without MT are fitted on (benchmarks/confidence.py):
built as the Korean–English test documents are, from other lines, so that what the maps learn
of such documents' base rate carries over."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest


@pytest.fixture
def bench_confidence():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        import confidence

        yield confidence
    finally:
        sys.path.pop(0)


def test_koen_fitting_documents_are_comparable_and_foreign_lines_are_far(bench_confidence):
    ko = [f"ko{i}" for i in range(1000)]
    en = [f"en{i}" for i in range(1000)]
    docs = bench_confidence.koen_fit_documents(ko, en)
    assert len(docs) == len(bench_confidence.KOEN_FIT) == 2
    for (source, target, gold), (_seed, window, _far) in zip(
        docs, bench_confidence.KOEN_FIT, strict=True
    ):
        pairs = [(s, t) for s, t in gold if s and t]
        # 20 % of each side dropped, so at most 80 % of the window's pairs survive on both.
        assert 0.5 * len(window) < len(pairs) <= 0.8 * len(window)
        for (i,), (j,) in pairs:
            assert source[i][2:] == target[j][2:] and int(source[i][2:]) in window
        paired_s = {i for s, _t in pairs for i in s}
        paired_t = {j for _s, t in pairs for j in t}
        inserted_s = [int(x[2:]) for k, x in enumerate(source) if k not in paired_s]
        inserted_t = [int(x[2:]) for k, x in enumerate(target) if k not in paired_t]
        foreign_s = [n for n in inserted_s if n not in window]
        foreign_t = [n for n in inserted_t if n not in window]
        assert foreign_s and foreign_t
        # Foreign lines at least 100 lines from the window; Korean and English ones from
        # different lines, so that no inserted pair translates each other.
        assert all(min(abs(n - w) for w in (window[0], window[-1])) >= 100 for n in foreign_s)
        assert all(min(abs(n - w) for w in (window[0], window[-1])) >= 100 for n in foreign_t)
        assert not set(foreign_s) & set(foreign_t)


def test_koen_fitting_documents_read_the_dev_split_not_the_test_documents(
    bench_confidence, monkeypatch
):
    """The Korean–English figures are reported on korean-english-park.test; the fitting
    documents come from korean-english-park.dev only."""
    from workbench.textio import Document

    read: list[str] = []

    def fake_read(path):
        read.append(Path(path).name)
        return Document([f"{Path(path).suffix}{i}" for i in range(1000)])

    monkeypatch.setattr(bench_confidence, "read_document", fake_read)
    docs = bench_confidence.koen_fit_documents()
    assert sorted(read) == ["korean-english-park.dev.en", "korean-english-park.dev.ko"]
    assert all(source and target and gold for source, target, gold in docs)
