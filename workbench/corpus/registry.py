"""The exporter registry and the format-independent entry points ``write_pairs``/``read_pairs``.

Built-in formats register through :func:`register_exporter`, exactly as plugins do. An
exporter only has to ``write``; one that also has ``read(path, *, encoding, source_lang,
target_lang)`` can be imported from too.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from workbench.builtin_plugins import Registry
from workbench.corpus.pair import PairList, ParallelPair
from workbench.errors import InputError
from workbench.languages import normalize

PathOrPair = str | Path | tuple[str | Path, str | Path]


@runtime_checkable
class Exporter(Protocol):
    """A corpus format that can be written (what exporter plugins implement)."""

    name: str
    suffixes: tuple[str, ...]

    def write(
        self,
        pairs: Iterable[ParallelPair],
        path: str | Path,
        *,
        metadata: bool = False,
        source_lang: str = "und",
        target_lang: str = "und",
    ) -> int: ...


# The built-in formats (TSV, TMX, Moses, JSONL) are registered by name and imported when first
# used (workbench/builtin_plugins.py); plugins are added by workbench.plugins.discover().
EXPORTERS: Registry[Exporter] = Registry("exporters")


def register_exporter(exporter: Exporter, *, replace: bool = False) -> Exporter:
    """Add ``exporter`` under its ``name``; a second one of the same name needs ``replace``."""
    if not isinstance(exporter, Exporter):
        raise TypeError(f"{exporter!r} is not an exporter (needs name, suffixes and write)")
    if exporter.name in EXPORTERS and not replace and EXPORTERS[exporter.name] is not exporter:
        raise ValueError(f"an exporter named {exporter.name!r} is already registered")
    EXPORTERS[exporter.name] = exporter
    return exporter


def _known() -> str:
    return ", ".join(sorted(EXPORTERS))


def exporter_for(path: str | Path | None, fmt: str | None) -> Exporter:
    """The exporter named ``fmt``, or the one whose suffix ``path`` has (plugins included).

    Plugins are looked for (:func:`workbench.plugins.discover`, cached) only when no
    registered format has that name or claims that suffix, so a built-in format is found
    without reading any distribution's entry points.
    """
    if fmt is not None:
        name = fmt.lower()
        if name not in EXPORTERS:
            _discover()
        try:
            return EXPORTERS[name]
        except KeyError:
            raise InputError(f"unknown corpus format {fmt!r} (known: {_known()})") from None
    name = Path(path).name.lower() if path is not None else ""
    exporter = _by_suffix(name)
    if exporter is None:
        _discover()
        exporter = _by_suffix(name)
    if exporter is not None:
        return exporter
    raise InputError(
        f"{path}: cannot tell the corpus format from the file name; give it explicitly "
        f"(known: {_known()})"
    )


def _discover() -> None:
    from workbench.plugins import discover

    discover()  # cached after the first call; adds plugin exporters to EXPORTERS


def _by_suffix(name: str) -> Exporter | None:
    """The registered exporter whose suffix ``name`` ends with, the longest suffix first (so
    that ".tmx.xml"-style suffixes beat ".xml"); only that exporter is imported."""
    by_suffix = sorted(
        ((s.lower(), e) for e in EXPORTERS for s in EXPORTERS.suffixes(e)),
        key=lambda item: -len(item[0]),
    )
    for suffix, exporter in by_suffix:
        if name and name.endswith(suffix):
            return EXPORTERS[exporter]
    return None


def write_pairs(
    pairs: Iterable[ParallelPair],
    path: str | Path,
    fmt: str | None = None,
    *,
    metadata: bool = False,
    source_lang: str = "und",
    target_lang: str = "und",
    original_format: str | None = None,
    skip_invalid: bool = False,
    skipped: list[str] | None = None,
    inputs: Iterable[str | Path | None] = (),
) -> int:
    """Write ``pairs`` to ``path`` in ``fmt`` (default: from the suffix); returns how many.

    ``original_format`` names where the pairs came from (TMX writes it as ``o-tmf``). A pair
    the format cannot hold makes the export fail, naming every such pair, unless
    ``skip_invalid``: then they are left out and described in ``skipped`` (a list to fill).
    Both are passed to exporters whose ``write`` takes them.

    Every file the exporter will write (``output_paths`` for formats of several files) is
    checked first (:func:`workbench.safeio.check_output`): never one of ``inputs``, never a
    workbench project, never a folder or a path in a missing folder.
    """
    from workbench.safeio import check_output

    exporter = exporter_for(path, fmt)
    inputs = list(inputs)
    for target in output_paths(exporter, path, source_lang, target_lang):
        check_output(target, inputs)
    extra: dict[str, object] = {}
    if original_format and _takes(exporter.write, "original_format"):
        extra["original_format"] = original_format
    if _takes(exporter.write, "skip_invalid"):
        extra["skip_invalid"] = skip_invalid
        if skipped is not None:
            extra["skipped"] = skipped
    return exporter.write(
        pairs, path, metadata=metadata, source_lang=source_lang, target_lang=target_lang, **extra
    )


def _takes(function: object, name: str) -> bool:
    import inspect

    try:
        return name in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def output_paths(
    exporter: Exporter, path: str | Path, source_lang: str = "und", target_lang: str = "und"
) -> list[Path]:
    """The files ``exporter`` writes for ``path``: its ``output_paths`` if it has one."""
    paths = getattr(exporter, "output_paths", None)
    if paths is None:
        return [Path(path)]
    return list(paths(path, source_lang, target_lang))


def input_paths(
    path: PathOrPair,
    fmt: str | None = None,
    *,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> list[Path]:
    """The files :func:`read_pairs` reads for ``path`` (Moses: both sides and metadata)."""
    if isinstance(path, tuple):
        return [Path(p) for p in path]
    moses = (fmt or "").lower() == "moses" or (
        fmt is None and _is_moses_prefix(Path(path), source_lang, target_lang)
    )
    if moses and "moses" in EXPORTERS and source_lang and target_lang:
        return [*output_paths(EXPORTERS["moses"], path, source_lang, target_lang), Path(path)]
    return [Path(path)]


def read_pairs(
    path: PathOrPair,
    fmt: str | None = None,
    *,
    encoding: str = "utf-8",
    source_lang: str | None = None,
    target_lang: str | None = None,
    tsv_escaped: bool | None = None,
) -> PairList:
    """Read a parallel corpus written in any readable format.

    ``path`` is one file, or for Moses the common prefix (with both languages given) or a
    ``(source_file, target_file)`` tuple. Without ``fmt`` the suffix decides; a prefix whose
    ``PATH.<source_lang>`` and ``PATH.<target_lang>`` exist is read as Moses. Compressed
    files (gzip, bzip2, xz, zip; see :mod:`workbench.corpus.compressed`) are read as the
    format under the compression suffix. ``tsv_escaped`` overrides the TSV rule that only
    files the workbench wrote are unescaped (True: unescape, False: verbatim).

    The result is a list of pairs whose ``source_lang``/``target_lang`` are the languages
    given, else those the file declares (TMX header and ``xml:lang``, Moses suffixes).
    """
    if not isinstance(path, tuple):
        from workbench.corpus.compressed import SUFFIXES, compression_of, read_compressed

        kind = compression_of(Path(path))
        suffix = Path(path).suffix.lower()
        if kind is None and fmt is None and suffix in SUFFIXES and Path(path).is_file():
            # Read by its name under the suffix it would be "cannot tell the corpus format".
            raise InputError(
                f"{path}: named {suffix} but not a {SUFFIXES[suffix]} file (damaged, or "
                "renamed?); give --format to read it as it is"
            )
        if kind is not None:
            return read_compressed(
                Path(path),
                kind,
                fmt,
                source_lang,
                target_lang,
                lambda inner, inner_fmt, src, tgt: read_pairs(
                    inner,
                    inner_fmt,
                    encoding=encoding,
                    source_lang=src,
                    target_lang=tgt,
                    tsv_escaped=tsv_escaped,
                ),
            )
    if isinstance(path, tuple):
        exporter = exporter_for(None, fmt or "moses")
    elif fmt is None and _is_moses_prefix(Path(path), source_lang, target_lang):
        exporter = EXPORTERS["moses"]
    else:
        exporter = exporter_for(path, fmt)
    reader = getattr(exporter, "read", None)
    if reader is None:
        raise InputError(f"the {exporter.name} format can be written but not read")
    options = {} if tsv_escaped is None or exporter.name != "tsv" else {"escaped": tsv_escaped}
    pairs = reader(
        path, encoding=encoding, source_lang=source_lang, target_lang=target_lang, **options
    )
    result = pairs if isinstance(pairs, PairList) else PairList(pairs)
    result.format = result.format or exporter.name
    return result.with_languages(
        normalize(source_lang) or result.source_lang, normalize(target_lang) or result.target_lang
    )


def _is_moses_prefix(path: Path, source_lang: str | None, target_lang: str | None) -> bool:
    if "moses" not in EXPORTERS or not source_lang or not target_lang or path.exists():
        return False
    from workbench.corpus.moses import find_side

    return (
        find_side(path.with_name(f"{path.name}.{source_lang}"), source_lang).is_file()
        and find_side(path.with_name(f"{path.name}.{target_lang}"), target_lang).is_file()
    )
