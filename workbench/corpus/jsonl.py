"""JSON Lines: one object per line, ``{"source": ..., "target": ...}`` plus metadata fields.

Metadata fields (with ``metadata=True``): ``document`` (string), ``source_ids`` and
``target_ids`` (lists of sentence ids), ``score`` (number or null), ``scorer`` (string).
JSON string escaping carries every character, so any text round-trips exactly.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from workbench.corpus.fileio import atomic_output, read_lines
from workbench.corpus.pair import ParallelPair
from workbench.errors import InputError

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonlFormat:
    name = "jsonl"
    suffixes = (".jsonl", ".ndjson")

    def write(
        self,
        pairs: Iterable[ParallelPair],
        path: str | Path,
        *,
        metadata: bool = False,
        source_lang: str = "und",
        target_lang: str = "und",
    ) -> int:
        count = 0
        with atomic_output(path) as out:
            for pair in pairs:
                record: dict[str, Any] = {"source": pair.source, "target": pair.target}
                if metadata:
                    record["document"] = pair.document
                    record["source_ids"] = list(pair.source_ids)
                    record["target_ids"] = list(pair.target_ids)
                    # JSON has no NaN/Infinity; such a score is "no score".
                    score = pair.score
                    record["score"] = score if score is not None and math.isfinite(score) else None
                    record["scorer"] = pair.scorer
                # ensure_ascii=False keeps Korean/Chinese readable; json still escapes
                # newlines and control characters, so one record stays on one line.
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        return count

    def read(
        self,
        path: str | Path,
        *,
        encoding: str = "utf-8",
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> list[ParallelPair]:
        if isinstance(path, tuple):
            raise InputError("a JSONL corpus is one file, not two")
        pairs: list[ParallelPair] = []
        for number, line in enumerate(read_lines(path, encoding), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line, object_pairs_hook=unique_keys)
            except DuplicateKeyError as exc:
                raise InputError(f"{path}: line {number}: {exc}") from None
            except (json.JSONDecodeError, RecursionError) as exc:
                reason = getattr(exc, "msg", "nested too deeply")
                column = getattr(exc, "colno", None)
                where = f" at column {column}" if column else ""
                raise InputError(f"{path}: line {number}: not JSON ({reason}{where})") from None
            try:
                pairs.append(_pair(record))
            except ValueError as exc:
                raise InputError(f"{path}: line {number}: {exc}") from None
        if not pairs:
            raise InputError(f"{path}: no sentence pairs (empty corpus)")
        return pairs


class DuplicateKeyError(ValueError):
    """A JSON object that names a key twice."""


def unique_keys(items: list[tuple[str, Any]]) -> dict[str, Any]:
    """``json.loads``'s ``object_pairs_hook``: an object naming a key twice is refused.

    JSON parsers disagree on such an object (Python keeps the last value, others the first or
    refuse it), so a pair read from it could silently be another tool's other pair.
    """
    record: dict[str, Any] = {}
    for key, value in items:
        if key in record:
            raise DuplicateKeyError(
                f'the key "{key}" appears twice in one object (which value is meant is '
                "ambiguous); keep one"
            )
        record[key] = value
    return record


def _pair(record: object) -> ParallelPair:
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    for key in ("source", "target"):
        if key not in record:
            raise ValueError(f'missing field "{key}"')
    for key in ("source", "target", "document", "scorer"):
        if key in record and not isinstance(record[key], str):
            raise ValueError(f'field "{key}" must be a string')
        # JSON may write half of a UTF-16 pair ("\ud800"), which is no character: no file,
        # project or format can hold it.
        found = _LONE_SURROGATE.search(record.get(key, ""))
        if found:
            raise ValueError(
                f'field "{key}" holds \\u{ord(found.group()):04x} at character {found.start()}, '
                "half of a UTF-16 surrogate pair without its other half (not a character)"
            )
    ids = {}
    for key in ("source_ids", "target_ids"):
        value = record.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
        ):
            raise ValueError(f'field "{key}" must be a list of sentence ids (integers >= 0)')
        ids[key] = tuple(value)
    score = record.get("score")
    if score is not None and (
        isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score)
    ):
        raise ValueError('field "score" must be a number or null')
    return ParallelPair(
        record["source"],
        record["target"],
        document=record.get("document", ""),
        source_ids=ids["source_ids"],
        target_ids=ids["target_ids"],
        score=score,
        scorer=record.get("scorer", ""),
    )
