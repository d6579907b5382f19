"""How far better unmatched-sentence detection alone could take dp on comparable documents.

Run: python benchmarks/comparable_oracle.py [--seeds 1 2 3] [--scorer bleu ableu]

On the comparable documents of benchmarks/comparable.py, dp's own lattice (default options,
the deletion share re-estimated as in ``Aligner``) is decoded twice: by its cheapest path
(dp's decoding before maximum expected accuracy and pruning, docs/comparable.md), and with an
oracle that knows from the gold which sentences have no counterpart (each such sentence is
left unaligned for free, no pair bead may contain one). The oracle's strict F1 is a ceiling
for any change that only decides better *which* sentences to leave alone: what it still gets
wrong are boundaries between sentences that do have counterparts, and units that lost part of a
side (a 2–1 unit whose second source sentence was dropped is a 1–1 unit of the wrong length).
Also printed: gold pairs the lattice cannot produce at all (length cost over the cut-off).

--clean-priors adds a second oracle: the same knowledge, but the sentences that do have a
counterpart keep Gale–Church's priors (the lattice before the deletion share is re-estimated:
a re-estimated share of ~0.5 also makes it cheap to leave a matched sentence out).
--partial-cap C gives that oracle a length model for partial units: every pair bead in the
band is scored (|z| up to 12 instead of the cut-off at a length cost of 10), and its length
cost c is replaced by −log(e^−c + e^−C), so a unit of the wrong length ratio costs at most
about C and the scores decide.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import replace

import numpy as np
from comparable import SYSTEMS, TEXTBERG, make_comparable

from workbench.align import Aligner, banded_dp, make_scorer, read_alignments
from workbench.align.banded_dp import Lattice, bead_priors, viterbi
from workbench.align.evaluate import evaluate_many
from workbench.align.selftrain import SelfTrainingOptions, self_trained_aligner
from workbench.textio import Document, read_document

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def oracle_lattice(lattice: Lattice, gold: list[Pair]) -> Lattice:
    """The lattice with gold's unmatched sentences left alone for free and kept out of pairs."""
    n, m = lattice.n, lattice.m
    alone_s = np.zeros(n + 1, dtype=bool)  # by the row that ends the sentence
    alone_t = np.zeros(m + 1, dtype=bool)
    for s, t in gold:
        if s and not t:
            alone_s[[i + 1 for i in s]] = True
        if t and not s:
            alone_t[[j + 1 for j in t]] = True
    rows = np.repeat(np.arange(n + 1), np.diff(lattice.offset))
    cols = np.arange(lattice.offset[-1]) - lattice.offset[rows] + lattice.lo[rows]
    cum_s, cum_t = np.cumsum(alone_s), np.cumsum(alone_t)
    cost = {}
    for (di, dj), c in lattice.bead_cost.items():
        if di and dj:
            bad = (cum_s[rows] - cum_s[np.maximum(rows - di, 0)] > 0) | (
                cum_t[cols] - cum_t[np.maximum(cols - dj, 0)] > 0
            )
            cost[(di, dj)] = np.where(bad, np.inf, c)
        elif di:
            cost[(di, dj)] = np.where(alone_s[rows], -20.0, c)
        else:
            cost[(di, dj)] = np.where(alone_t[cols], -20.0, c)
    return replace(lattice, bead_cost=cost)


def capped_lattice(
    aligner: Aligner, mt: list[str], target: list[str], source: list[str], cap: float
) -> Lattice:
    """dp's lattice at Gale–Church's priors with every pair bead of the band scored (|z| ≤ 12)
    and its length cost c softly capped: −log(e^−c + e^−cap)."""
    options = aligner.options
    weight = options.dp_weight
    aligner.options = replace(options, dp_weight=0.0, dp_reestimate_gain=None)
    saved = banded_dp.MAX_LENGTH_COST, banded_dp._Z_MAX
    banded_dp.MAX_LENGTH_COST, banded_dp._Z_MAX = math.inf, 12.0
    try:
        plain = aligner._lattice(mt, target, source)  # costs: −log prior + length cost
    finally:
        banded_dp.MAX_LENGTH_COST, banded_dp._Z_MAX = saved
        aligner.options = options
    if aligner.cross_lingual is not None:
        cross_weight = options.cross_lingual_weight
    else:
        cross_weight = options.source_target_weight
    prior = {k: -math.log(p) for k, p in bead_priors(options.dp_max_merge).items()}
    cost = {}
    for k, c in plain.bead_cost.items():
        if k[0] and k[1]:
            length = -np.logaddexp(-(c - prior[k]), -cap)
            c = prior[k] + length - weight * plain.bead_scores[k]
            if k in plain.cross_scores:
                c = c - weight * cross_weight * plain.cross_scores[k]
        cost[k] = c
    return replace(plain, bead_cost=cost)


def unreachable(lattice: Lattice, gold: list[Pair]) -> int:
    """Gold pairs that no path through the lattice contains."""
    out = 0
    for s, t in gold:
        if s and t:
            k = (len(s), len(t))
            x = lattice.cell(s[-1] + 1, t[-1] + 1)
            out += k not in lattice.bead_cost or x < 0 or not np.isfinite(lattice.bead_cost[k][x])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--scorer", nargs="+", default=["bleu", "ableu"])
    parser.add_argument("--clean-priors", action="store_true", help="second oracle (see above)")
    parser.add_argument("--partial-cap", type=float, help="its length cost capped at this")
    args = parser.parse_args()
    if not (TEXTBERG / "dev.de").exists():
        print(f"skipped: {TEXTBERG} is absent")
        return 0
    src = read_document(TEXTBERG / "dev.de").sentences
    tgt = read_document(TEXTBERG / "dev.fr").sentences
    gold = read_alignments(TEXTBERG / "dev.gold")
    mts = [read_document(TEXTBERG / f"dev.mt-{s}.fr").sentences for s in SYSTEMS]
    docs = [make_comparable(src, tgt, mts, gold, seed) for seed in args.seeds]
    second = args.clean_priors or args.partial_cap is not None
    extra = " | oracle, Gale–Church's priors" if second else ""
    if args.partial_cap is not None:
        extra += f", partial units (cap {args.partial_cap:g})"
    print(f"| scorer | MT system | dp strict P / R / F1 | oracle P / R / F1{extra} | unreachable |")
    print("|---|---|---|---|---|" + ("---|" if second else ""))
    for scorer in args.scorer:
        for k, system in enumerate(SYSTEMS):
            golds, found, ideal, lost, total = [], [], [], 0, 0
            ideal2: list[list[Pair]] = []
            for s, t, m, g in docs:
                source, target, mt = Document(s), Document(t), [Document(m[k])]
                if scorer == "ableu":
                    aligner, _ = self_trained_aligner(
                        source, target, mt, options=SelfTrainingOptions()
                    )
                else:
                    aligner = Aligner(make_scorer("bleu", lowercase=True, order=2))
                lattice = aligner._lattice(m[k], t, s)
                golds.append(g)
                found.append([(a, b) for a, b, _ in viterbi(lattice) if a and b])
                ideal.append([(a, b) for a, b, _ in viterbi(oracle_lattice(lattice, g)) if a and b])
                lost += unreachable(lattice, g)
                if second:
                    if args.partial_cap is not None:
                        plain = capped_lattice(aligner, m[k], t, s, args.partial_cap)
                    else:
                        options = aligner.options
                        aligner.options = replace(options, dp_reestimate_gain=None)
                        plain = aligner._lattice(m[k], t, s)
                        aligner.options = options
                    path = viterbi(oracle_lattice(plain, g))
                    ideal2.append([(a, b) for a, b, _ in path if a and b])
                total += sum(bool(a and b) for a, b in g)
            cells = []
            for test in (found, ideal, ideal2) if second else (found, ideal):
                r = evaluate_many(golds, test)
                cells.append(
                    f"{r.strict_precision:.3f} / {r.strict_recall:.3f} / **{r.strict_f1:.3f}**"
                )
            print(f"| {scorer} | {system} | {' | '.join(cells)} | {lost} of {total} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
