"""`workbench score --scorer ableu --embeddings KV` against the spec's formula written plainly.

Run: nice python benchmarks/bench_score.py [--pairs 12000] [--distinct] [--embeddings KV]
     [--threshold 0.5] [--cli] [--bleu]

Both sides score the same sentence pairs in one run, start-up excluded on both (imports, reading
the files, loading or training the embedding):

- fast: what `workbench score` runs after start-up (``cli.score``: make_scorer, prepare both
  sides, ``pair_scores(..., symmetric=False)``), the lines tokenised beforehand;
- straightforward: ABLEU exactly as /work/shared/docs/ABLEU.md §3 writes it, one pair at a
  time in pure Python (``straightforward_ableu`` below), with word similarities cached (a
  first pass fills the cache; only the second pass is timed), on the same tokens.

Tokenising (the same code for both) is timed on its own and left out of the in-process ratio.

The benchmark checks that both give the same score for every pair (to 1e-6) and prints pairs
per second and the ratio, in wall time and in CPU time (this process's; the machine is shared,
and CPU time moves less with its load).

``--cli`` also times the command itself, whole processes taking turns with the two above, two
ways: ``workbench score CANDS REFS --scorer ableu --embeddings KV`` on the pairs written to
files minus the same command on the first line of each file (its start-up: imports, reading
the embedding); and, in one process that imported the command's modules first, its ``main``
on all pairs minus ``main`` on the first lines (on a loaded machine the start-up's own
variation between processes is larger than the work left after subtracting it). Both include
reading the files, tokenising and printing, which the straightforward side is not charged
for.

``--bleu`` compares ``workbench score --scorer bleu`` with sacrebleu (sentence BLEU per pair, and
corpus BLEU over the pairs; order 2, no smoothing, 13a, as the command's defaults) on the same
pairs, tokenising included on both sides, in-process and (workbench) through the command line
minus its start-up; it checks that the sentence scores agree.

The pairs are machine translations of textberg-dev (``../shared/bench/textberg-dev``): each of
the three MT systems' French (and German) output against the other two systems' output of the
same sentences, repeated until ``--pairs`` pairs (one pass is 6,132 pairs, 5,948 distinct).
``--distinct`` repeats none: after that pass come each system's output against the human
translation (the gold alignment's links, sentences joined), then against the other systems'
output of the next sentence, the previous one, two after, ... (the near-diagonal pairs an
aligner scores), each pair taken once (see ``sentence_pairs``). Without ``--embeddings`` the
embedding is word2vec-pair learnt from counts (the self-training default) on every (source
sentence, MT) pair of the document in both directions.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "textberg-dev"
SYSTEMS = ("europarlfull", "europarllight", "google")


def straightforward_ableu(
    candidate: Sequence[str],
    reference: Sequence[str],
    sim: Callable[[str, str], float],
    order: int = 2,
) -> float:
    """ABLEU of one candidate against one reference, as spec §3 writes it (no smoothing)."""
    if not candidate or not reference:
        return 0.0
    log_p = 0.0
    for n in range(1, order + 1):
        cand = Counter(tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1))
        ref = Counter(tuple(reference[i : i + n]) for i in range(len(reference) - n + 1))
        total = sum(cand.values())
        clipped = 0.0
        for g, count in cand.items():
            # m(g) = max over the reference's distinct n-grams h of count_r(h) · sim_n(g, h)
            m = 0.0
            for h, ref_count in ref.items():
                product = 1.0
                for a, b in zip(g, h, strict=True):
                    product *= sim(a, b)
                m = max(m, ref_count * product ** (1.0 / n))
            clipped += min(count, m)
        if total == 0 or clipped == 0:
            return 0.0
        log_p += math.log(clipped / total)
    c, r = len(candidate), len(reference)
    brevity = 0.0 if c > r else 1.0 - r / c
    return math.exp(log_p / order + brevity)


def cached_similarity(kv: object, threshold: float) -> Callable[[str, str], float]:
    """sim(a, b) of spec §3: 1 for the same word; else the cosine of the two vectors, negatives
    clipped to 0 and values below ``threshold`` counted as 0; 0 when a word is unknown.
    Each word's unit vector and each pair's similarity are computed once."""
    units: dict[str, np.ndarray | None] = {}
    cache: dict[tuple[str, str], float] = {}

    def unit(word: str) -> np.ndarray | None:
        if word not in units:
            vector = None
            if word in kv:
                raw = np.asarray(kv.get_vector(word), dtype=np.float32)
                norm = float(np.linalg.norm(raw))
                vector = raw / norm if norm > 0 else None
            units[word] = vector
        return units[word]

    def sim(a: str, b: str) -> float:
        key = (a, b)
        value = cache.get(key)
        if value is None:
            if a == b:
                value = 1.0
            else:
                ua, ub = unit(a), unit(b)
                value = 0.0 if ua is None or ub is None else min(max(float(ua @ ub), 0.0), 1.0)
                if value < threshold:
                    value = 0.0
            cache[key] = value
        return value

    return sim


def sentence_pairs(count: int, distinct: bool = False) -> tuple[list[str], list[str]]:
    """``count`` (candidate, reference) pairs of textberg-dev.

    By default one pass of the MT systems' outputs against each other (6,132 pairs, 5,948 of
    them distinct), repeated until ``count``. With ``distinct`` no pair is repeated: after that
    pass come each system's output against the human translation (the gold alignment's links,
    their sentences joined), then each output against the other systems' output of the next
    sentence, the previous one, two after, ... (the near-diagonal pairs an aligner scores),
    each pair kept the first time it is met, until ``count``."""
    from workbench.textio import read_document

    outputs: dict[tuple[str, str], list[str]] = {}
    for lang in ("fr", "de"):
        for s in SYSTEMS:
            outputs[s, lang] = read_document(DATA / f"dev.mt-{s}.{lang}").sentences

    def mt_against_mt(offset: int) -> Iterator[tuple[str, str]]:
        for lang in ("fr", "de"):
            for a, b in itertools.permutations(SYSTEMS, 2):
                cand, ref = outputs[a, lang], outputs[b, lang]
                for i in range(max(0, -offset), min(len(cand), len(ref) - offset)):
                    yield cand[i], ref[i + offset]

    if not distinct:
        cands, refs = (list(x) for x in zip(*mt_against_mt(0), strict=True))
        repeat = -(-count // len(cands))
        return (cands * repeat)[:count], (refs * repeat)[:count]

    def mt_against_human() -> Iterator[tuple[str, str]]:
        # gold: German sentence numbers ↔ French ones; the French MT translates the German
        # text (line-aligned with dev.de), the German MT the French one
        human = {lang: read_document(DATA / f"dev.{lang}").sentences for lang in ("de", "fr")}
        for link in (DATA / "dev.gold").read_text(encoding="utf-8").split("\n"):
            if ":" not in link:
                continue
            de, fr = (json.loads(side) for side in link.split(":"))
            if not de or not fr:
                continue
            for s in SYSTEMS:
                yield (
                    " ".join(outputs[s, "fr"][i] for i in de),
                    " ".join(human["fr"][j] for j in fr),
                )
                yield (
                    " ".join(outputs[s, "de"][j] for j in fr),
                    " ".join(human["de"][i] for i in de),
                )

    offsets = itertools.chain.from_iterable((d, -d) for d in itertools.count(1))
    sources = itertools.chain(
        mt_against_mt(0),
        mt_against_human(),
        itertools.chain.from_iterable(mt_against_mt(d) for d in itertools.islice(offsets, 20)),
    )
    seen: dict[tuple[str, str], None] = {}
    for pair in sources:
        seen.setdefault(pair)
        if len(seen) == count:
            break
    if len(seen) < count:
        raise SystemExit(f"only {len(seen)} distinct pairs can be built from {DATA}")
    cands, refs = (list(x) for x in zip(*seen, strict=True))
    return cands, refs


def training_pairs() -> list[tuple[list[str], list[str]]]:
    from workbench.align.selftrain import translation_pairs
    from workbench.scoring import BleuScorer
    from workbench.textio import read_document

    words = BleuScorer(order=1, lowercase=False).tokenize
    src, tgt = read_document(DATA / "dev.de"), read_document(DATA / "dev.fr")
    pairs = []
    for s in SYSTEMS:
        mt, rev = read_document(DATA / f"dev.mt-{s}.fr"), read_document(DATA / f"dev.mt-{s}.de")
        pairs += translation_pairs(src, tgt, [mt], [rev], words)
    return pairs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, default=12_000, help="sentence pairs to score")
    ap.add_argument("--embeddings", help="a KeyedVectors file (default: learnt, see above)")
    ap.add_argument("--threshold", type=float, default=0.5, help="as `workbench score`")
    ap.add_argument("--order", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="rounds of both (median)")
    ap.add_argument(
        "--slow-pairs",
        type=int,
        default=0,
        help="time the straightforward formula on this many of the pairs only (0: all); "
        "the scores of all pairs are still compared",
    )
    ap.add_argument(
        "--distinct",
        action="store_true",
        help="no pair repeated: MT against MT, against the human translation, then against "
        "neighbouring sentences (see sentence_pairs)",
    )
    ap.add_argument("--cli", action="store_true", help="also time `workbench score` processes")
    ap.add_argument("--bleu", action="store_true", help="also compare BLEU with sacrebleu")
    args = ap.parse_args()
    if not (DATA / "dev.de").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from workbench.scoring import make_scorer

    if args.embeddings:
        from workbench.embeddings import load_keyed_vectors

        kv = load_keyed_vectors(args.embeddings)
        what = args.embeddings
    else:
        from workbench.embeddings import train_embeddings

        pairs = training_pairs()
        kv = train_embeddings(pairs, method="counts", vector_size=50)
        what = f"word2vec-pair from counts, {len(pairs)} (source, MT) pairs, {len(kv)} words"
    cands, refs = sentence_pairs(args.pairs, args.distinct)
    distinct = len(set(zip(cands, refs, strict=True)))
    print(
        f"{len(cands)} sentence pairs ({distinct} distinct), embedding: {what}, "
        f"threshold {args.threshold}"
    )
    tmp = tempfile.TemporaryDirectory()
    files = _write_files(Path(tmp.name), cands, refs, kv if args.cli else None, args.embeddings)

    # Both sides score tokenised sentences: tokenising (the same 13a code for both) is timed
    # on its own and left out of the ratio.
    t = time.perf_counter()
    scorer = make_scorer("ableu", kv, args.order, "13a", False, args.threshold)
    c_tok, r_tok = [scorer.tokenize(x) for x in cands], [scorer.tokenize(x) for x in refs]
    tokenise_s = time.perf_counter() - t

    idx = np.arange(len(cands))
    line = np.stack([idx, idx], 1)

    def fast_run() -> tuple[np.ndarray, object]:
        """What `workbench score` does once its arguments are read and the lines tokenised."""
        scorer = make_scorer("ableu", kv, args.order, "13a", False, args.threshold)
        c_seg, r_seg = scorer.prepare_tokens(c_tok), scorer.prepare_tokens(r_tok)
        return scorer.pair_scores(c_seg, r_seg, line, symmetric=False), scorer

    # straightforward: the formula per pair, similarities cached by a first pass (that pass
    # also gives the scores compared below)
    sim = cached_similarity(kv, args.threshold)
    slow_scores = [
        straightforward_ableu(c, r, sim, args.order) for c, r in zip(c_tok, r_tok, strict=True)
    ]
    timed = args.slow_pairs or len(cands)

    def slow_run() -> None:
        for c, r in zip(c_tok[:timed], r_tok[:timed], strict=True):
            straightforward_ableu(c, r, sim, args.order)

    ableu_cli = [
        "score",
        "--scorer",
        "ableu",
        "--embeddings",
        str(files.get("kv")),
        "--threshold",
        str(args.threshold),
        "--order",
        str(args.order),
    ]
    # the two (three with --cli) take turns, ``--repeat`` rounds, so that all see the same
    # load; medians
    fast_times, slow_times, cli_times, inside_times = [], [], [], []
    scale = len(cands) / timed
    for _ in range(args.repeat):
        with _Clock() as clock:
            fast, used = fast_run()
        fast_times.append(clock.seconds)
        with _Clock() as clock:
            slow_run()
        slow_times.append((clock.seconds[0] * scale, clock.seconds[1] * scale))
        if args.cli:
            cli_times.append(_cli_seconds(ableu_cli, files, len(cands)))
            inside_times.append(_cli_inside_seconds(ableu_cli, files, len(cands)))
    (fast_s, fast_cpu), (slow_s, slow_cpu) = _medians(fast_times), _medians(slow_times)
    route = "sparse" if used.sparse_route() else "dense"

    diff = float(np.max(np.abs(fast - np.asarray(slow_scores)))) if len(cands) else 0.0
    n = len(cands)
    print(f"medians of {args.repeat} rounds; pairs per second in wall time (CPU time):")
    print(f"  straightforward (spec §3, cached sims): {_rate(n, slow_s, slow_cpu)}")
    print(f"  workbench score ({route} route)        : {_rate(n, fast_s, fast_cpu)}")
    print(f"  ratio in-process                      : {_ratio(slow_s, slow_cpu, fast_s, fast_cpu)}")
    print(f"  (tokenising both sides, not in the in-process ratio: {tokenise_s:.2f} s)")
    if args.cli:
        full = _medians([f for f, _ in cli_times])
        start = _medians([s for _, s in cli_times])
        work = _medians([(f[0] - s[0], f[1] - s[1]) for f, s in cli_times])
        inside = _medians(inside_times)
        print(
            f"  `workbench score` process: {full[0]:.2f} s ({full[1]:.2f} s CPU); on one line "
            f"(start-up) {start[0]:.2f} s ({start[1]:.2f} s); difference (median per round) "
            f"{work[0]:.2f} s ({work[1]:.2f} s)"
        )
        print(f"  `workbench score`, start-up excluded   : {_rate(n, *work)}")
        print(f"  ratio through the command line        : {_ratio(slow_s, slow_cpu, *work)}")
        print(
            f"  `workbench score`'s main on all pairs minus main on the first lines, in one "
            f"process after its imports: {inside[0]:.2f} s ({inside[1]:.2f} s CPU)"
        )
        print(f"  `workbench score`, main minus main     : {_rate(n, *inside)}")
        print(f"  ratio, main minus main                : {_ratio(slow_s, slow_cpu, *inside)}")
    print(
        f"  largest score difference              : {diff:.2e} (nonzero scores: "
        f"{int(np.count_nonzero(fast))} of {len(fast)})"
    )
    if diff > 1e-6:
        print("MISMATCH: the two implementations disagree", file=sys.stderr)
        return 1
    if args.bleu:
        return _compare_bleu(cands, refs, files, args.repeat)
    return 0


def _write_files(
    folder: Path, cands: list[str], refs: list[str], kv: object, given: str | None
) -> dict[str, Path]:
    """The pairs as line-aligned files, their first lines as one-line files (for the start-up),
    and the embedding as a KeyedVectors file (the one given, or the learnt one saved)."""
    files = {
        "cands": folder / "cands.txt",
        "refs": folder / "refs.txt",
        "cand1": folder / "cand1.txt",
        "ref1": folder / "ref1.txt",
    }
    files["cands"].write_text("".join(f"{x}\n" for x in cands), encoding="utf-8")
    files["refs"].write_text("".join(f"{x}\n" for x in refs), encoding="utf-8")
    files["cand1"].write_text(f"{cands[0]}\n", encoding="utf-8")
    files["ref1"].write_text(f"{refs[0]}\n", encoding="utf-8")
    if given:
        files["kv"] = Path(given)
    elif kv is not None:
        from workbench.embeddings import save_keyed_vectors

        files["kv"] = folder / "pairs.kv"
        save_keyed_vectors(kv, files["kv"])
    return files


class _Clock:
    """Wall and CPU seconds (this process's, or with ``children`` its waited-for children's)
    of a ``with`` block: ``seconds`` = (wall, CPU)."""

    def __init__(self, children: bool = False):
        self.children = children
        self.seconds = (0.0, 0.0)

    def _cpu(self) -> float:
        if not self.children:
            return time.process_time()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def __enter__(self) -> _Clock:
        self._start = (time.perf_counter(), self._cpu())
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = (time.perf_counter() - self._start[0], self._cpu() - self._start[1])


def _medians(times: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in times), statistics.median(c for _, c in times)


def _rate(count: int, wall: float, cpu: float) -> str:
    return f"{count / wall:10.0f} pairs/s ({count / cpu:.0f} in CPU time)"


def _ratio(slow_wall: float, slow_cpu: float, wall: float, cpu: float) -> str:
    return f"{slow_wall / wall:10.1f}x ({slow_cpu / cpu:.1f}x in CPU time)"


def _score_command(options: list[str], files: dict[str, Path], cand: str, ref: str) -> list[str]:
    return [*options[:1], str(files[cand]), str(files[ref]), *options[1:]]


def _cli_seconds(
    options: list[str], files: dict[str, Path], count: int
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(wall, CPU) seconds of `workbench score` on all pairs and on the first line only
    (start-up); checks that the first prints one score per pair."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    out = []
    for cand, ref in (("cands", "refs"), ("cand1", "ref1")):
        command = [sys.executable, "-m", "workbench", *_score_command(options, files, cand, ref)]
        with _Clock(children=True) as clock:
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        out.append(clock.seconds)
        if cand == "cands" and len(done.stdout.splitlines()) != count:
            raise SystemExit(f"`workbench score` printed {len(done.stdout.splitlines())} lines")
    return out[0], out[1]


# A process that imports what `workbench score --scorer ableu` imports, then runs the
# command's `main` on the first lines (reading the embedding, starting the scorer) and on all
# pairs, and reports each call's wall and CPU seconds on stderr.
_INSIDE = """
import contextlib, io, json, sys, time
import gensim.models, numpy, scipy.sparse, threadpoolctl
import workbench.cli, workbench.cli.score, workbench.embeddings, workbench.scoring.ableu
from workbench.cli import main
seconds = []
for argv in json.loads(sys.argv[1]):
    out = io.StringIO()
    start = (time.perf_counter(), time.process_time())
    with contextlib.redirect_stdout(out):
        code = main(argv)
    seconds.append([time.perf_counter() - start[0], time.process_time() - start[1]])
    if code:
        sys.exit(code)
sys.stdout.write(out.getvalue())
print(json.dumps(seconds), file=sys.stderr)
"""


def _cli_inside_seconds(
    options: list[str], files: dict[str, Path], count: int
) -> tuple[float, float]:
    """(wall, CPU) seconds of `workbench score`'s ``main`` on all pairs minus ``main`` on the
    first lines, both timed inside one process that imported the command's modules first:
    start-up (imports, reading the embedding) left out without subtracting another process's
    time, whose variation on a loaded machine is larger than the work."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    argv = [_score_command(options, files, c, r) for c, r in (("cand1", "ref1"), ("cands", "refs"))]
    done = subprocess.run(
        [sys.executable, "-c", _INSIDE, json.dumps(argv)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    if len(done.stdout.splitlines()) != count:
        raise SystemExit(f"`workbench score` printed {len(done.stdout.splitlines())} lines")
    (one_wall, one_cpu), (wall, cpu) = json.loads(done.stderr.strip().splitlines()[-1])
    return wall - one_wall, cpu - one_cpu


def _compare_bleu(cands: list[str], refs: list[str], files: dict[str, Path], repeat: int) -> int:
    """`workbench score --scorer bleu` against sacrebleu's sentence and corpus BLEU."""
    import logging

    from sacrebleu.metrics import BLEU

    from workbench.scoring import make_scorer

    # sacrebleu warns (logs) on every sentence_score without effective_order: silenced, so
    # that its time is its scoring's, not the log's
    logging.getLogger("sacrebleu").setLevel(logging.ERROR)

    def ours() -> np.ndarray:
        scorer = make_scorer("bleu", None, 2, "13a", False, None)
        idx = np.arange(len(cands))
        return scorer.pair_scores(
            scorer.prepare(cands), scorer.prepare(refs), np.stack([idx, idx], 1), symmetric=False
        )

    def sacre_sentences() -> list[float]:
        bleu = BLEU(max_ngram_order=2, smooth_method="none", tokenize="13a")
        return [bleu.sentence_score(c, [r]).score / 100 for c, r in zip(cands, refs, strict=True)]

    def sacre_corpus() -> float:
        return BLEU(max_ngram_order=2, smooth_method="none", tokenize="13a").corpus_score(
            cands, [refs]
        )

    options = ["score", "--scorer", "bleu"]
    times: dict[str, list[float]] = {"ours": [], "sentence": [], "corpus": [], "cli": []}
    for _ in range(repeat):
        for name, run in (("ours", ours), ("sentence", sacre_sentences), ("corpus", sacre_corpus)):
            t = time.perf_counter()
            result = run()
            times[name].append(time.perf_counter() - t)
            if name == "ours":
                got = result
            elif name == "sentence":
                expected = np.asarray(result)
        full, start = _cli_seconds(options, files, len(cands))
        times["cli"].append(full[0] - start[0])
    med = {name: statistics.median(values) for name, values in times.items()}
    diff = float(np.max(np.abs(got - expected))) if len(cands) else 0.0
    print(f"BLEU (order 2, no smoothing, 13a), {len(cands)} pairs, tokenising included:")
    print(f"  sacrebleu sentence_score per pair    : {med['sentence']:8.2f} s")
    print(f"  sacrebleu corpus_score               : {med['corpus']:8.2f} s")
    print(f"  workbench score, in-process          : {med['ours']:8.2f} s")
    print(f"  workbench score, process − start-up  : {med['cli']:8.2f} s")
    for name in ("ours", "cli"):
        print(
            f"  {name:>4}: {med[name] / med['sentence']:.2f}x sacrebleu's sentence BLEU time, "
            f"{med[name] / med['corpus']:.2f}x its corpus BLEU time"
        )
    print(f"  largest sentence-score difference    : {diff:.2e}")
    if diff > 1e-9:
        print("MISMATCH: workbench BLEU and sacrebleu disagree", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
