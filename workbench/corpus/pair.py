"""A sentence pair of a parallel corpus, with where it came from."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ParallelPair:
    """One aligned unit: source text, target text and optional provenance.

    ``source_ids`` / ``target_ids`` are the 0-based sentence ids in the document the texts were
    taken from (several for an n-m unit); ``score`` is the aligner's score under ``scorer``.
    """

    source: str
    target: str
    document: str = ""
    source_ids: tuple[int, ...] = ()
    target_ids: tuple[int, ...] = ()
    score: float | None = None
    scorer: str = ""

    def __post_init__(self) -> None:
        # Callers often hold ids as lists (from JSON, SQLite, numpy); a frozen pair must be
        # hashable and compare equal however it was built, so ids are always int tuples.
        object.__setattr__(self, "source_ids", _int_tuple(self.source_ids, "source_ids"))
        object.__setattr__(self, "target_ids", _int_tuple(self.target_ids, "target_ids"))
        if self.score is not None:
            object.__setattr__(self, "score", float(self.score))
        for name in ("source", "target", "document", "scorer"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"ParallelPair.{name} must be a str")

    def text_only(self) -> ParallelPair:
        """The same texts without any metadata (what a text-only format keeps)."""
        return ParallelPair(self.source, self.target)


class PairList(list):
    """The pairs read from a corpus, with the languages the file itself declares.

    A plain ``list`` of :class:`ParallelPair` for every other purpose; ``source_lang`` and
    ``target_lang`` are BCP 47 tags (e.g. a TMX's header ``srclang`` and its ``xml:lang``
    attributes, a Moses file's suffixes), ``""`` when the file does not say.
    """

    source_lang: str = ""
    target_lang: str = ""
    format: str = ""  # the exporter name of the format read (tsv, tmx, moses, ...)
    # What reading left out or changed, one line each without the file's name, for the
    # command to print as a note (e.g. TMX inline codes removed); set per instance.
    notes: tuple[str, ...] = ()

    def with_languages(self, source_lang: str, target_lang: str) -> PairList:
        self.source_lang, self.target_lang = source_lang, target_lang
        return self


def _int_tuple(values: Iterable[int], what: str) -> tuple[int, ...]:
    out = tuple(int(v) for v in values)
    if any(v < 0 for v in out):
        raise ValueError(f"ParallelPair.{what} must be non-negative sentence ids")
    return out


# Metadata fields in the order every format writes them.
METADATA_FIELDS = ("document", "source_ids", "target_ids", "score", "scorer")


def format_ids(ids: tuple[int, ...]) -> str:
    """Sentence ids as text: ``"3,4"``; no ids: ``""``."""
    return ",".join(str(i) for i in ids)


def parse_ids(text: str) -> tuple[int, ...]:
    """Inverse of :func:`format_ids`; raises ValueError on anything else."""
    if not text:
        return ()
    parts = text.split(",")
    if not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"{text!r} is not a comma-separated list of sentence ids")
    return tuple(int(p) for p in parts)


def format_score(score: float | None) -> str:
    # repr round-trips a float exactly; no score is an empty field.
    return "" if score is None else repr(float(score))


def parse_score(text: str) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if math.isnan(value):
        raise ValueError(f"{text!r} is not a number")
    return value


def _same(text: str) -> str:
    return text


def metadata_texts(pair: ParallelPair, encode: Callable[[str], str] = _same) -> dict[str, str]:
    """The pair's metadata as text fields, in :data:`METADATA_FIELDS` order (what the text
    formats write); ``encode`` (e.g. tab escaping) is applied to the free-text fields,
    document and scorer."""
    return {
        "document": encode(pair.document),
        "source_ids": format_ids(pair.source_ids),
        "target_ids": format_ids(pair.target_ids),
        "score": format_score(pair.score),
        "scorer": encode(pair.scorer),
    }


def parse_metadata(
    texts: Mapping[str, str], decode: Callable[[str], str] = _same
) -> dict[str, Any]:
    """Inverse of :func:`metadata_texts`: ParallelPair keyword arguments from the metadata
    fields present in ``texts`` (other keys ignored); raises ValueError on a bad one."""
    out: dict[str, Any] = {}
    for field in METADATA_FIELDS:
        if field not in texts:
            continue
        text = texts[field]
        if field in ("source_ids", "target_ids"):
            out[field] = parse_ids(text)
        elif field == "score":
            out[field] = parse_score(text)
        else:
            out[field] = decode(text)
    return out
