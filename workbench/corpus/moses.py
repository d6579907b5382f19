"""Moses two-file corpora: ``PATH.<source_lang>`` and ``PATH.<target_lang>``, line by line.

The files hold plain text (what Moses, fairseq or OpenNMT expect), so nothing is escaped: a
sentence containing a line feed, carriage return or NUL cannot be written and is rejected
with an error naming the pair, never silently split. With ``metadata=True`` a third file
``PATH.meta`` (TSV with a header: document, source_ids, target_ids, score, scorer) is written
alongside, and read back when present.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path

from workbench.corpus.escaping import escape, unescape
from workbench.corpus.fileio import atomic_output, first_char_needs_bom, read_lines
from workbench.corpus.pair import (
    METADATA_FIELDS,
    PairList,
    ParallelPair,
    metadata_texts,
    parse_metadata,
)
from workbench.corpus.unwritable import Unwritable
from workbench.errors import InputError
from workbench.languages import is_known, normalize

_LANG_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_LINE_BREAKING = re.compile(r"[\n\r\0]")
META_SUFFIX = ".meta"


def moses_paths(prefix: str | Path, source_lang: str, target_lang: str) -> tuple[Path, Path]:
    for lang in (source_lang, target_lang):
        if not _LANG_CODE.fullmatch(lang or ""):
            raise InputError(
                f"Moses files are named PATH.<language>; {lang!r} is not a usable language code"
            )
    if source_lang == target_lang:
        raise InputError(
            f"Moses export needs two different language codes (got {source_lang!r} for both); "
            "pass --source-lang and --target-lang"
        )
    prefix = Path(prefix)
    return (
        prefix.with_name(f"{prefix.name}.{source_lang}"),
        prefix.with_name(f"{prefix.name}.{target_lang}"),
    )


class MosesFormat:
    name = "moses"
    suffixes: tuple[str, ...] = ()  # a prefix has no telling suffix: ask for "moses"

    def output_paths(self, path: str | Path, source_lang: str, target_lang: str) -> list[Path]:
        """The files an export to the prefix ``path`` writes (or removes): both sides, meta."""
        return [*moses_paths(path, source_lang, target_lang), Path(f"{path}{META_SUFFIX}")]

    def write(
        self,
        pairs: Iterable[ParallelPair],
        path: str | Path,
        *,
        metadata: bool = False,
        source_lang: str = "und",
        target_lang: str = "und",
        skip_invalid: bool = False,
        skipped: list[str] | None = None,
    ) -> int:
        source_path, target_path = moses_paths(path, source_lang, target_lang)
        unwritable = Unwritable("Moses", skip_invalid, skipped)
        meta_path = Path(f"{path}{META_SUFFIX}")
        # Streamed into all files at once (memory flat in the number of pairs). Pairs the
        # format cannot hold are collected as they come; refusing them at the end discards
        # every temporary file, so nothing is written and no file is half replaced.
        count = 0
        with ExitStack() as files:
            source_out = files.enter_context(atomic_output(source_path))
            target_out = files.enter_context(atomic_output(target_path))
            meta_out = files.enter_context(atomic_output(meta_path)) if metadata else None
            if meta_out is not None:
                meta_out.write("\t".join(METADATA_FIELDS) + "\n")
            for number, pair in enumerate(pairs, start=1):
                if unwritable.check(number, pair, _problem(pair)):
                    continue
                count += 1
                for out, text in ((source_out, pair.source), (target_out, pair.target)):
                    if count == 1 and first_char_needs_bom(text):
                        out.write("\ufeff")
                    out.write(text + "\n")
                if meta_out is not None:
                    meta_out.write("\t".join(metadata_texts(pair, escape).values()) + "\n")
            unwritable.finish(path)
        if not metadata:
            # A metadata file left by an earlier export would describe other pairs.
            meta_path.unlink(missing_ok=True)
        return count

    def read(
        self,
        path: str | Path | tuple[str | Path, str | Path],
        *,
        encoding: str = "utf-8",
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> list[ParallelPair]:
        meta_path: Path | None = None
        if isinstance(path, tuple):
            source_path, target_path = (Path(p) for p in path)
        else:
            if not source_lang or not target_lang:
                raise InputError(
                    f"{path}: reading a Moses corpus needs the source and target languages "
                    "(files PATH.<lang>) or the two file paths"
                )
            source_path, target_path = (
                find_side(p, lang)
                for p, lang in zip(
                    moses_paths(path, source_lang, target_lang),
                    (source_lang, target_lang),
                    strict=True,
                )
            )
            meta_path = Path(f"{path}{META_SUFFIX}")
        sources = read_lines(source_path, encoding)
        targets = read_lines(target_path, encoding)
        if len(sources) != len(targets):
            raise InputError(
                f"{target_path}: {len(targets)} lines but {source_path} has {len(sources)}; "
                "Moses files must be line-aligned"
            )
        if not sources:
            raise InputError(f"{source_path}: no sentence pairs (empty corpus)")
        languages = [
            normalize(given) or _suffix_language(p)
            for given, p in ((source_lang, source_path), (target_lang, target_path))
        ]
        if meta_path is not None and meta_path.is_file():
            metas = _read_meta(meta_path, len(sources), encoding)
            return PairList(
                ParallelPair(s, t, **m) for s, t, m in zip(sources, targets, metas, strict=True)
            ).with_languages(*languages)
        return PairList(
            ParallelPair(s, t) for s, t in zip(sources, targets, strict=True)
        ).with_languages(*languages)


def find_side(path: Path, lang: str) -> Path:
    """``PATH.<lang>``, or the one ``PATH.<code>`` beside it whose code names the same
    language (``--source-lang deu`` finds ``corpus.de``, ``de`` finds ``corpus.de_DE``)."""
    if path.exists() or not path.parent.is_dir():
        return path
    from workbench.languages import match_quality

    prefix = path.name[: -len(lang) - 1]
    found = [
        p
        for p in path.parent.glob(f"{glob.escape(prefix)}.*")
        if p.is_file() and match_quality(lang, p.name[len(prefix) + 1 :])
    ]
    return found[0] if len(found) == 1 else path


def _suffix_language(path: Path) -> str:
    """The language a Moses file's suffix names (``corpus.de`` → ``de``), else ``""``."""
    suffix = path.suffix[1:]
    return normalize(suffix) if suffix and is_known(suffix) else ""


def _problem(pair: ParallelPair) -> str | None:
    """Why a one-sentence-per-line file cannot hold the pair, or None."""
    for side in ("source", "target"):
        found = _LINE_BREAKING.search(getattr(pair, side))
        if found:
            return (
                f"the {side} sentence contains {_describe(found.group())}, which a "
                "one-sentence-per-line Moses file cannot hold"
            )
    return None


def _describe(char: str) -> str:
    return {"\n": "a line break", "\r": "a carriage return", "\0": "a NUL character"}[char]


def _read_meta(path: Path, expected: int, encoding: str) -> list[dict]:
    lines = read_lines(path, encoding)
    if not lines or lines[0].split("\t") != list(METADATA_FIELDS):
        raise InputError(f"{path}: not a metadata file (header {'/'.join(METADATA_FIELDS)})")
    if len(lines) - 1 != expected:
        raise InputError(f"{path}: {len(lines) - 1} metadata lines for {expected} pairs")
    metas = []
    for number, line in enumerate(lines[1:], start=2):
        fields = line.split("\t")
        if len(fields) != len(METADATA_FIELDS):
            raise InputError(
                f"{path}: line {number}: {len(fields)} columns, expected {len(METADATA_FIELDS)}"
            )
        try:
            metas.append(parse_metadata(dict(zip(METADATA_FIELDS, fields, strict=True)), unescape))
        except ValueError as exc:
            raise InputError(f"{path}: line {number}: {exc}") from None
    return metas
