"""`workbench judge PROJECT SAMPLE`: judge a sample's pairs in the terminal (or from gold).

Each verdict is stored in the project as soon as it is given, so quitting (or a crash) loses
nothing and the next run starts at the first pair not judged yet.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.project import Project

ORDER = 51  # position in `workbench --help`

_KEYS = {"c": "correct", "i": "incorrect", "u": "unsure"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("judge", help="judge a sample's pairs: correct / incorrect / unsure")
    p.add_argument("project", help="project file")
    p.add_argument("sample", type=int, help="sample id (see `workbench sample`)")
    p.add_argument(
        "--simulate-gold",
        nargs="+",
        metavar="FILE",
        help="do not ask: judge from gold alignment files (one per document, in project order)"
        " — a simulated judge for measurements, not a person",
    )
    p.add_argument(
        "--partial",
        choices=["unsure", "incorrect", "correct"],
        default="unsure",
        help="with --simulate-gold: verdict for a pair that overlaps gold without matching it (default unsure)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.errors import InputError
    from workbench.project import Project

    with Project.open(args.project) as project:
        if args.sample not in {s.id for s in project.samples()}:
            raise InputError(f"{args.project}: no sample {args.sample}")
        items = project.sample_items(args.sample)
        if args.simulate_gold:
            return simulate(project, items, args.simulate_gold, args.partial)
        return ask(project, items)


def simulate(project: Project, items: list, gold_files: list[str], partial: str) -> int:
    from workbench.spotcheck.cli_support import gold_by_document
    from workbench.spotcheck.simulate import GoldJudge

    gold = gold_by_document(project, gold_files)
    judges = {doc_id: GoldJudge(pairs) for doc_id, pairs in gold.items()}
    counts: dict[str, int] = {}
    for item in items:
        judge = judges.get(item.doc_id)
        if judge is None:
            continue
        verdict = judge.verdict(item.source_ids, item.target_ids)
        if verdict == "unsure":
            verdict = partial
        project.judge(item.doc_id, item.source_ids, item.target_ids, verdict)
        counts[verdict] = counts.get(verdict, 0) + 1
    summary = ", ".join(f"{v} {n}" for v, n in sorted(counts.items()))
    print(f"simulated judge (gold): {summary}")
    return 0


def ask(project: Project, items: list) -> int:
    if not items:
        print("the sample is empty")
        return 0
    index = next((k for k, it in enumerate(items) if it.verdict is None), None)
    if index is None:
        print("the one pair is judged" if len(items) == 1 else f"all {len(items)} pairs are judged")
        return 0
    verdicts = [it.verdict for it in items]
    while 0 <= index < len(items):
        item = items[index]
        print(f"\n— {index + 1} of {len(items)} (document {item.doc_id}) —")
        print(f"source: {item.source_text}")
        mt = project.translation(item.doc_id, "source")
        if mt is not None:
            from workbench.textio import join_sentences

            print(f"MT:     {join_sentences(mt.sentences[i] for i in item.source_ids)}")
        print(f"target: {item.target_text}")
        if verdicts[index]:
            print(f"(judged: {verdicts[index]})")
        try:
            answer = input("[c]orrect [i]ncorrect [u]nsure [b]ack [s]kip [q]uit > ").strip()
        except EOFError:
            break
        key = answer[:1].lower()
        if key == "q":
            break
        if key == "b":
            index = max(0, index - 1)
            continue
        if key == "s":
            index += 1
            continue
        if key not in _KEYS:
            print("type c, i, u, b, s or q", file=sys.stderr)
            continue
        project.judge(item.doc_id, item.source_ids, item.target_ids, _KEYS[key])
        verdicts[index] = _KEYS[key]
        index += 1
    done = sum(v is not None for v in verdicts)
    print(f"{done} of {len(items)} judged")
    return 0
