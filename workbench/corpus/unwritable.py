"""Pairs a format cannot hold: refused all together with a clear list, or skipped on request.

No exporter changes text silently. A pair whose text a format cannot represent (a line break
in a Moses file, a control character XML cannot hold) makes the export fail with one error
that names every such pair (up to :data:`SHOWN`) and why, unless ``skip_invalid`` is given:
then those pairs are left out and counted (the CLI prints how many, and which).
"""

from __future__ import annotations

from pathlib import Path

from workbench.corpus.pair import ParallelPair
from workbench.errors import InputError

SHOWN = 10  # pairs named in an error or summary


def where_from(pair: ParallelPair) -> str:
    """Where a pair came from, when known: `` (doc.de, source sentence 5)``, else ``""``."""
    where = []
    if pair.document:
        where.append(pair.document)
    if pair.source_ids:
        ids = ",".join(str(i + 1) for i in pair.source_ids)
        where.append(f"source sentence{'s' if len(pair.source_ids) > 1 else ''} {ids}")
    return f" ({', '.join(where)})" if where else ""


class Unwritable:
    """Collects the pairs an exporter cannot write; ``finish`` refuses or reports them."""

    def __init__(self, fmt: str, skip: bool, skipped: list[str] | None = None) -> None:
        self.fmt = fmt
        self.skip = skip
        self.found: list[str] = [] if skipped is None else skipped

    def check(self, number: int, pair: ParallelPair, problem: str | None) -> bool:
        """Record ``problem`` (None: the pair is fine); True when the pair must be left out."""
        if problem is None:
            return False
        self.found.append(f"pair {number}: {problem}{where_from(pair)}")
        return True

    def finish(self, path: str | Path) -> None:
        """Raise when pairs were found and skipping was not asked for (nothing is written)."""
        if not self.found or self.skip:
            return
        shown = "; ".join(self.found[:SHOWN])
        more = f"; and {len(self.found) - SHOWN} more" if len(self.found) > SHOWN else ""
        raise InputError(
            f"{path}: {len(self.found)} pair{'s' if len(self.found) > 1 else ''} cannot be "
            f"written as {self.fmt}: {shown}{more}. Nothing was written; --skip-invalid "
            "leaves them out (export as TSV or JSONL keeps them, or edit the sentences)"
        )


def summary(skipped: list[str]) -> str:
    """`` (2 skipped: pair 3: ...; pair 9: ...)`` for a CLI's summary line, or ``""``."""
    if not skipped:
        return ""
    shown = "; ".join(skipped[:SHOWN])
    more = f"; and {len(skipped) - SHOWN} more" if len(skipped) > SHOWN else ""
    return f", {len(skipped)} skipped ({shown}{more})"
