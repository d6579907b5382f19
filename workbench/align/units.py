"""Alignment units and their file format: one per line, ``[0,1]:[2]`` (source : target ids)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import InputError
from workbench.textio import read_lines

_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


@dataclass(frozen=True, order=True)
class AlignmentUnit:
    """One alignment: source sentence ids and target sentence ids (either may be empty).

    ``score`` is the scorer's similarity for the pair (None for length-based or empty units),
    ``method`` says which step made it: ``anchor`` (1–1 from the dynamic programme), ``merge``
    (1–N/N–1 found by re-scoring), ``gap`` (1–1 inside a gap), ``length`` (Gale–Church) or
    ``unaligned`` (1–0/0–1). ``confidence`` is the aligner's estimate of the probability that
    the unit is exactly right (in [0, 1]; None where none was estimated).
    """

    source: tuple[int, ...]
    target: tuple[int, ...]
    score: float | None = field(default=None, compare=False)
    method: str = field(default="", compare=False)
    confidence: float | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return (self.source, self.target)

    @property
    def is_deletion(self) -> bool:
        return not self.source or not self.target

    def __str__(self) -> str:
        return format_unit(self.source, self.target)


def format_unit(source: Iterable[int], target: Iterable[int]) -> str:
    return f"[{','.join(map(str, source))}]:[{','.join(map(str, target))}]"


def parse_unit(line: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    match = _LINE.match(line)
    if not match:
        raise ValueError(line)

    def ids(text: str) -> tuple[int, ...]:
        return tuple(int(x) for x in text.replace(" ", "").split(",") if x)

    return ids(match.group(1)), ids(match.group(2))


def read_alignments(path: str | Path) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Read an alignment file (gold or test, ids or JSONL); a malformed line is an error
    naming it."""
    return [pair for pair, _ in read_scored_alignments(path)]


def read_scored_alignments(
    path: str | Path,
) -> list[tuple[tuple[tuple[int, ...], tuple[int, ...]], float | None]]:
    """Read an alignment file: ``[0,1]:[2]`` lines, or JSONL objects as ``workbench align
    --format jsonl`` writes them (``{"source": [..], "target": [..], "confidence": ..}``);
    returns (pair, confidence or None) per unit."""
    out: list[tuple[tuple[tuple[int, ...], tuple[int, ...]], float | None]] = []
    seen: tuple[dict[int, int], dict[int, int]] = ({}, {})  # sentence id -> line
    for number, line in enumerate(read_lines(path), 1):
        if line.lstrip().startswith("{"):
            out.append(_json_unit(path, number, line))
        elif not line.strip():
            continue
        else:
            try:
                out.append((parse_unit(line), None))
            except ValueError:
                raise InputError(
                    f"{path}:{number}: not an alignment line (expected e.g. [0,1]:[2]): "
                    f"{line[:60]!r}"
                ) from None
        _check_once(path, number, out[-1][0], seen)
    if not out:
        raise InputError(f"{path}: empty alignment file (no lines like [0,1]:[2])")
    return out


def _check_once(
    path: str | Path,
    number: int,
    unit: tuple[tuple[int, ...], tuple[int, ...]],
    seen: tuple[dict[int, int], dict[int, int]],
) -> None:
    """An alignment is a partition: a sentence in two units (or twice in one) would be
    counted twice, and precision and recall would no longer be what they say."""
    for side, ids, lines in zip(("source", "target"), unit, seen, strict=True):
        for i in ids:
            if i in lines:
                where = "this line" if lines[i] == number else f"line {lines[i]}"
                raise InputError(
                    f"{path}:{number}: {side} sentence {i} is already in a unit on {where}; "
                    "each sentence belongs to one unit at most"
                )
            lines[i] = number


def _json_unit(
    path: str | Path, number: int, line: str
) -> tuple[tuple[tuple[int, ...], tuple[int, ...]], float | None]:
    from workbench.corpus.jsonl import DuplicateKeyError, unique_keys

    try:
        obj = json.loads(line, object_pairs_hook=unique_keys)
    except DuplicateKeyError as exc:
        raise InputError(f"{path}:{number}: {exc}") from None
    except ValueError:
        obj = None
    try:
        pair = (_json_ids(obj["source"]), _json_ids(obj["target"]))
        conf = obj.get("confidence")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError(
            f"{path}:{number}: not a JSONL alignment unit (expected "
            f'{{"source": [ids], "target": [ids], ...}}): {line[:60]!r}'
        ) from None
    if conf is None:
        return pair, None
    # NaN, an infinity or 7 made the AUC "nan" and a calibration error out of any scale.
    if isinstance(conf, bool) or not isinstance(conf, int | float) or not 0 <= conf <= 1:
        raise InputError(
            f"{path}:{number}: confidence {json.dumps(conf)} is not a probability "
            "(a number from 0 to 1, or null)"
        )
    return pair, float(conf)


def _json_ids(values: object) -> tuple[int, ...]:
    """Sentence ids: whole numbers from 0 (``int()`` made 0.5 id 0 and ``true`` id 1)."""
    if not isinstance(values, list):
        raise TypeError(values)
    ids = []
    for value in values:
        whole = isinstance(value, float) and value.is_integer()
        if isinstance(value, bool) or not (isinstance(value, int) or whole) or value < 0:
            raise ValueError(value)
        ids.append(int(value))
    return tuple(ids)
