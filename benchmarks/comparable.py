"""Comparable documents: alignment quality when part of each side has no counterpart (issue 21).

Run: python benchmarks/comparable.py [--seeds 1 2 3] [--scorer bleu ableu]
         [--reference /tmp/bleualign-ref] [--clean] [--koen]

Recipe (seeded, per seed): from ../shared/bench/textberg-dev, drop 20 % of each side's
sentences (a source sentence's MT lines go with it) and insert 15 % sentences copied from
far-away parts of the same text (at least a third of the document away), different ones on
each side: the gold units are split into two random halves, source insertions come from one
half and target insertions from the other, so an inserted source sentence never meets its own
translation. The gold follows: a unit that lost all of one side leaves its other sentences
unaligned (1–0 / 0–1), every inserted sentence is unaligned. Korean–English (--koen): 400
consecutive lines of ../shared/bench/koen/korean-english-park.test (line i translates line i),
the same drops and insertions (from lines at least 500 away), no MT.

Prints strict precision / recall / F1 and yield (sentences in two-sided units / all sentences)
per scorer and MT system, summed over the seeds, next to the true yield, the reference
Bleualign (--reference: a directory with the original tool's files, e.g. made by
`git --git-dir=/work/.mirror/rsennrich+Bleualign/repo archive HEAD | tar -x -C DIR`; skipped
when not given) and, with --clean, the same aligners on the clean document.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from workbench.align import Aligner, AlignerOptions, make_scorer, read_alignments
from workbench.align.evaluate import evaluate_many
from workbench.align.selftrain import SelfTrainingOptions, self_trained_align
from workbench.textio import Document, read_document

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
TEXTBERG = SHARED / "textberg-dev"
KOEN = SHARED / "koen"
SYSTEMS = ("europarlfull", "europarllight", "google")

Ids = tuple[int, ...]
Pair = tuple[Ids, Ids]


def make_comparable(
    source: Sequence[str],
    target: Sequence[str],
    mts: Sequence[Sequence[str]],
    gold: Sequence[Pair],
    seed: int,
    drop: float = 0.2,
    insert: float = 0.15,
    far: int | None = None,
    foreign: tuple[Sequence[str], Sequence[str]] | None = None,
) -> tuple[list[str], list[str], list[list[str]], list[Pair]]:
    """(source, target, MT files, gold) of a comparable document made from a parallel one.

    ``foreign``: (source-language, target-language) sentences to insert from instead of the
    document's own far-away sentences (they must not translate each other)."""
    rng = random.Random(seed)
    n, m = len(source), len(target)
    far = far if far is not None else max(n, m) // 3
    dropped_s = set(rng.sample(range(n), round(drop * n)))
    dropped_t = set(rng.sample(range(m), round(drop * m)))
    units = [u for u in gold if u[0] and u[1]]
    rng.shuffle(units)
    half_s = [i for s, _ in units[: len(units) // 2] for i in s]
    half_t = [j for _, t in units[len(units) // 2 :] for j in t]

    if foreign is not None:
        half_s, half_t = list(range(len(foreign[0]))), list(range(len(foreign[1])))

    def side(
        length: int, dropped: set[int], pool: list[int]
    ) -> tuple[list[tuple[str, int]], dict[int, int]]:
        kept = [i for i in range(length) if i not in dropped]
        items: list[tuple[str, int]] = [("orig", i) for i in kept]
        for _ in range(round(insert * len(kept))):
            pos = rng.randrange(len(items) + 1)
            near = items[min(pos, len(items) - 1)][1] if items else 0
            choices = pool if foreign else [q for q in pool if abs(q - near) >= far] or pool
            items.insert(pos, ("ins", rng.choice(choices)))
        new_id = {i: k for k, (kind, i) in enumerate(items) if kind == "orig"}
        return items, new_id

    s_items, s_new = side(n, dropped_s, half_s)
    t_items, t_new = side(m, dropped_t, half_t)
    s_text = foreign[0] if foreign else source
    t_text = foreign[1] if foreign else target
    new_source = [source[i] if kind == "orig" else s_text[i] for kind, i in s_items]
    new_target = [target[j] if kind == "orig" else t_text[j] for kind, j in t_items]
    new_mts = [[mt[i] for _, i in s_items] for mt in mts]  # foreign: no MT given
    new_gold: list[Pair] = []
    for s, t in gold:
        s2 = tuple(s_new[i] for i in s if i in s_new)
        t2 = tuple(t_new[j] for j in t if j in t_new)
        if s2 and t2:
            new_gold.append((s2, t2))
        else:
            new_gold += [((i,), ()) for i in s2] + [((), (j,)) for j in t2]
    new_gold += [((k,), ()) for k, (kind, _) in enumerate(s_items) if kind == "ins"]
    new_gold += [((), (k,)) for k, (kind, _) in enumerate(t_items) if kind == "ins"]
    new_gold.sort(key=lambda u: (u[0][:1] or u[1][:1], bool(u[0])))
    return new_source, new_target, new_mts, new_gold


def true_yield(gold: Sequence[Pair], n: int, m: int) -> float:
    return sum(len(s) + len(t) for s, t in gold if s and t) / (n + m)


def unit_yield(units: Sequence[Pair], n: int, m: int) -> float:
    return sum(len(s) + len(t) for s, t in units if s and t) / (n + m)


def reference_bleualign(
    path: str, source: list[str], target: list[str], mt: list[str]
) -> list[Pair]:
    """The original Bleualign's 1–1 … N–1 units (0-based ids) for one article."""
    sys.path.insert(0, path)
    try:
        from bleualign.align import Aligner as Reference
    finally:
        sys.path.pop(0)
    options = {
        "srcfile": io.StringIO("\n".join(source) + "\n"),
        "targetfile": io.StringIO("\n".join(target) + "\n"),
        "srctotarget": [io.StringIO("\n".join(mt) + "\n")],
        "targettosrc": [],
        "output": None,
        "verbosity": 0,
        "num_processes": 1,
        "log_to": io.StringIO(),
    }
    aligner = Reference(options)
    with contextlib.redirect_stdout(io.StringIO()):
        aligner.mainloop()
    return [(tuple(s), tuple(t)) for (s, t), _ in aligner.multialign]


def run_aligner(scorer: str, source: Document, target: Document, mt: list[Document]) -> list[Pair]:
    if scorer == "ableu":
        units, _ = self_trained_align(
            source,
            target,
            mt,
            options=SelfTrainingOptions(),
            aligner_options=AlignerOptions(),
        )
    else:
        units = Aligner(make_scorer("bleu", lowercase=True, order=2 if mt else 1)).align(
            source, target, mt
        )
    return [u.key for u in units if not u.is_deletion]


def row(name: str, golds: list, tests: list, sizes: list, seconds: float | None = None) -> str:
    s = evaluate_many(golds, tests)
    y = sum(unit_yield(t, n, m) * (n + m) for t, (n, m) in zip(tests, sizes, strict=True))
    y /= sum(n + m for n, m in sizes)
    t = f" | {seconds:.1f} s |" if seconds is not None else " | |"
    return (
        f"{name} | {s.strict_precision:.3f} / {s.strict_recall:.3f} / **{s.strict_f1:.3f}** | "
        f"{y:.1%}{t}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3], help="recipe seeds")
    parser.add_argument("--scorer", nargs="+", default=["bleu", "ableu"], help="bleu, ableu")
    parser.add_argument("--systems", nargs="+", default=list(SYSTEMS), help="MT systems")
    parser.add_argument(
        "--reference",
        help="directory holding the reference Bleualign's files (skipped if not given)",
    )
    parser.add_argument("--clean", action="store_true", help="also align the clean document")
    parser.add_argument("--koen", action="store_true", help="also Korean-English, no MT")
    parser.add_argument("--only-koen", action="store_true", help="only Korean-English")
    args = parser.parse_args()
    if not (TEXTBERG / "dev.de").exists():
        print(f"skipped: {TEXTBERG} is absent")
        return 0
    if not args.reference:
        print("reference Bleualign skipped: give --reference DIR")
    src = read_document(TEXTBERG / "dev.de").sentences
    tgt = read_document(TEXTBERG / "dev.fr").sentences
    gold = read_alignments(TEXTBERG / "dev.gold")
    mts = {s: read_document(TEXTBERG / f"dev.mt-{s}.fr").sentences for s in args.systems}
    print("| document | aligner | MT system | strict P / R / F1 | yield | time |")
    print("|---|---|---|---|---|---|")
    if not args.only_koen:
        docs = [
            make_comparable(src, tgt, [mts[s] for s in args.systems], gold, seed)
            for seed in args.seeds
        ]
        sizes = [(len(d[0]), len(d[1])) for d in docs]
        golds = [d[3] for d in docs]
        ty = sum(true_yield(g, n, m) * (n + m) for g, (n, m) in zip(golds, sizes, strict=True))
        print(
            f"| comparable, seeds {args.seeds} | true yield | | | {ty / sum(map(sum, sizes)):.1%} | |"
        )
        for k, system in enumerate(args.systems):
            if args.reference:
                t0 = time.perf_counter()
                tests = [reference_bleualign(args.reference, d[0], d[1], d[2][k]) for d in docs]
                line = row("reference Bleualign", golds, tests, sizes, time.perf_counter() - t0)
                print(f"| comparable | {line.replace(' | ', f' | {system} | ', 1)}")
            for scorer in args.scorer:
                t0 = time.perf_counter()
                tests = [
                    run_aligner(scorer, Document(d[0]), Document(d[1]), [Document(d[2][k])])
                    for d in docs
                ]
                line = row(scorer, golds, tests, sizes, time.perf_counter() - t0)
                print(f"| comparable | {line.replace(' | ', f' | {system} | ', 1)}")
            if args.clean:
                for scorer in args.scorer:
                    t0 = time.perf_counter()
                    test = run_aligner(
                        scorer, Document(src), Document(tgt), [Document(mts[system])]
                    )
                    line = row(
                        scorer,
                        [gold],
                        [test],
                        [(len(src), len(tgt))],
                        time.perf_counter() - t0,
                    )
                    print(f"| clean | {line.replace(' | ', f' | {system} | ', 1)}")
    if args.koen or args.only_koen:
        koen(args)
    return 0


def koen_documents(
    seeds: Sequence[int],
) -> list[tuple[list[str], list[str], list[Pair]]]:
    """Korean–English comparable documents (source, target, gold), one per seed."""
    ko = read_document(KOEN / "korean-english-park.test.ko").sentences
    en = read_document(KOEN / "korean-english-park.test.en").sentences
    docs = []
    for seed in seeds:
        # 400 parallel lines; foreign sentences from lines at least 500 away, the Korean ones
        # and the English ones from different lines.
        rng = random.Random(seed)
        start = rng.randrange(0, len(ko) - 400)
        far = [i for i in range(len(ko)) if i < start - 500 or i >= start + 900]
        rng.shuffle(far)
        half = len(far) // 2
        foreign = ([ko[i] for i in far[:half]], [en[i] for i in far[half:]])
        window = range(start, start + 400)
        s, t, _, g = make_comparable(
            [ko[i] for i in window],
            [en[i] for i in window],
            [],
            [((k,), (k,)) for k in range(400)],
            seed,
            foreign=foreign,
        )
        docs.append((s, t, g))
    return docs


def koen(args: argparse.Namespace) -> None:
    docs = koen_documents(args.seeds)
    sizes = [(len(d[0]), len(d[1])) for d in docs]
    golds = [d[2] for d in docs]
    ty = sum(true_yield(g, n, m) * (n + m) for g, (n, m) in zip(golds, sizes, strict=True))
    print(
        f"| Korean-English comparable | true yield | none | | {ty / sum(map(sum, sizes)):.1%} | |"
    )
    for scorer in args.scorer:
        t0 = time.perf_counter()
        tests = [run_aligner(scorer, Document(d[0]), Document(d[1]), []) for d in docs]
        line = row(scorer, golds, tests, sizes, time.perf_counter() - t0)
        print(f"| Korean-English comparable | {line.replace(' | ', ' | none | ', 1)}")


if __name__ == "__main__":
    sys.exit(main())
