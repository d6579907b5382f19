"""Reliability of the confidence column on documents its maps were not fitted on.

Run: python benchmarks/reliability.py [--scorer bleu ableu] [--systems ...] [--skip-held-out]

The confidence a curator sees (``AlignmentUnit.confidence``: the estimated probability that a
pair is exactly right) is bucketed by the bands ``workbench report`` uses (< 50 %, 50–70 %,
70–90 %, 90–95 %, ≥ 95 %) and each band's mean confidence is set next to the share of its
pairs that are exactly right against the gold (strict), with that share's 95 % interval (the
report's interval, workbench.spotcheck.stats.accuracy_interval). A calibrated confidence has
every band's share right inside its interval around the mean confidence.

Documents, none of them fitted on by the map that scores them:

- ``koen``: the Korean–English comparable test documents of benchmarks/comparable.py (seeds
  1–3, korean-english-park.test, no MT), shipped maps ``bleu-nomt`` / ``ableu-nomt`` (fitted on
  textberg-dev and korean-english-park.dev).
- ``held-out``: textberg-dev's halves with MT (three systems pooled) and without, each half
  scored by a map fitted by benchmarks/confidence.py's own procedure (``fit_map``) on the
  other half only (the shipped maps with MT were fitted on the whole of textberg-dev, so
  textberg-dev cannot test them; this tests the procedure that made them).
- ``comparable``: the textberg-dev comparable document of benchmarks/comparable.py (seed 1,
  20 % dropped, 15 % inserted), shipped maps. Its sentences are textberg-dev's (fitted on with
  MT), its drops and insertions are not: partly in-sample, shown for contrast.

Only pairs (units with both sides) are counted: 1–0 / 0–1 units carry their unaligned
posterior, which no map calibrates.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from comparable import TEXTBERG, koen_documents, make_comparable
from confidence import (
    SYSTEMS,
    _first_half,
    align_logged,
    apply_map,
    fit_map,
    koen_fit_documents,
)

from workbench.align import read_alignments
from workbench.align.evaluate import strict_correct
from workbench.spotcheck.reliability import CONFIDENCE_BANDS, band_labels, band_of
from workbench.spotcheck.stats import accuracy_interval
from workbench.textio import Document, read_document


def table(name: str, scorer: str, conf: Sequence[float], right: Sequence[bool]) -> None:
    """Markdown rows: one per confidence band, then the whole set."""
    labels = band_labels(CONFIDENCE_BANDS)
    groups: list[list[tuple[float, bool]]] = [[] for _ in labels]
    for c, r in zip(conf, right, strict=True):
        groups[band_of(c, CONFIDENCE_BANDS)].append((c, r))
    ece = 0.0
    for label, items in [
        *zip(labels, groups, strict=True),
        ("all", list(zip(conf, right, strict=True))),
    ]:
        if not items:
            print(f"| {name} | {scorer} | {label} | 0 | – | – | – |")
            continue
        n, k = len(items), sum(r for _, r in items)
        mean = sum(c for c, _ in items) / n
        p = accuracy_interval(k, n)
        flag = "" if p.low <= mean <= p.high else " ✗"
        if label != "all":
            ece += n / len(conf) * abs(mean - k / n)
        print(
            f"| {name} | {scorer} | {label} | {n} | {100 * mean:.1f} % | "
            f"{100 * k / n:.1f} % [{100 * p.low:.1f}–{100 * p.high:.1f}]{flag} | "
            f"{100 * (mean - k / n):+.1f} |"
            + (f" ECE (5 bands) {ece:.3f}" if label == "all" else "")
        )


def pairs_of(units, gold) -> tuple[list[float], list[bool]]:
    pairs = [u for u in units if not u.is_deletion]
    return [u.confidence for u in pairs], strict_correct(gold, [u.key for u in pairs])


def koen(scorers: Sequence[str]) -> None:
    docs = koen_documents([1, 2, 3])
    for scorer in scorers:
        conf: list[float] = []
        right: list[bool] = []
        for s, t, g in docs:
            units, _ = align_logged(scorer, Document(s), Document(t), [])
            c, r = pairs_of(units, g)
            conf += c
            right += r
        table("Korean–English comparable, seeds 1–3 (shipped map)", scorer, conf, right)


def comparable(scorers: Sequence[str], systems: Sequence[str]) -> None:
    src = read_document(TEXTBERG / "dev.de").sentences
    tgt = read_document(TEXTBERG / "dev.fr").sentences
    gold = read_alignments(TEXTBERG / "dev.gold")
    for scorer in scorers:
        conf: list[float] = []
        right: list[bool] = []
        for system in systems:
            mt = read_document(TEXTBERG / f"dev.mt-{system}.fr").sentences
            s, t, m, g = make_comparable(src, tgt, [mt], gold, seed=1)
            units, _ = align_logged(scorer, Document(s), Document(t), [Document(m[0])])
            c, r = pairs_of(units, g)
            conf += c
            right += r
        table("textberg-dev comparable, seed 1, MT (shipped map)", scorer, conf, right)


def held_out(scorers: Sequence[str], systems: Sequence[str]) -> None:
    """Each half scored by a map fitted (fit_map, as --fit does) on the other half."""
    src, tgt = read_document(TEXTBERG / "dev.de"), read_document(TEXTBERG / "dev.fr")
    gold = read_alignments(TEXTBERG / "dev.gold")
    half_s, half_t = len(src.sentences) // 2, len(tgt.sentences) // 2
    koen_docs = koen_fit_documents()
    for scorer in scorers:
        for with_mt in (True, False):
            rows = []  # (features, right, half)
            for system in systems if with_mt else ["none"]:
                mt = [read_document(TEXTBERG / f"dev.mt-{system}.fr")] if with_mt else []
                units, log = align_logged(scorer, src, tgt, mt)
                right = strict_correct(gold, [u.key for u in units])
                for u, (f, deletion), r in zip(units, log, right, strict=True):
                    if not deletion:
                        rows.append((f, r, 0 if _first_half(u, half_s, half_t) else 1))
            extra: list[tuple[list[float], bool]] = []
            key = f"{scorer}-{'mt' if with_mt else 'nomt'}"
            if not with_mt:  # the no-MT maps are fitted with the Korean–English documents
                for ks, kt, kg in koen_docs:
                    units, log = align_logged(scorer, Document(ks), Document(kt), [])
                    right = strict_correct(kg, [u.key for u in units])
                    extra += [(f, r) for (f, d), r in zip(log, right, strict=True) if not d]
            conf: list[float] = []
            right_all: list[bool] = []
            for fitted in (0, 1):
                x = [f for f, _r, h in rows if h == fitted] + [f for f, _r in extra]
                y = [r for _f, r, h in rows if h == fitted] + [r for _f, r in extra]
                coef = fit_map(x, y, key)
                conf += [float(apply_map(coef, f)) for f, _r, h in rows if h != fitted]
                right_all += [r for _f, r, h in rows if h != fitted]
            what = f"MT {'+'.join(systems)}" if with_mt else "no MT"
            table(
                f"textberg-dev halves, {what} (map fitted on the other half)",
                scorer,
                conf,
                right_all,
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scorer", nargs="+", default=["bleu", "ableu"], help="bleu, ableu")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), help="MT systems")
    parser.add_argument("--skip-held-out", action="store_true", help="not the halves")
    args = parser.parse_args()
    if not (TEXTBERG / "dev.de").exists():
        print(f"skipped: {TEXTBERG} is absent")
        return 0
    t0 = time.perf_counter()
    print("| documents | scorer | confidence | pairs | mean confidence | right [95 %] | gap |")
    print("|---|---|---|---|---|---|---|")
    koen(args.scorer)
    comparable(args.scorer, args.systems)
    if not args.skip_held_out:
        held_out(args.scorer, args.systems)
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
