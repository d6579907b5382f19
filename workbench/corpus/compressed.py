"""Compressed corpora as OPUS ships them: ``.tmx.gz``, ``.tsv.gz``, Moses ``.zip`` archives.

A gzip, bzip2 or xz file is recognised by its first bytes (so ``--format`` works with any
name) and read as the format its name has under the compression suffix (``x.tmx.gz`` is TMX).
A zip archive holding two files named ``*.<language>`` (``Europarl.de-fr.de`` and
``Europarl.de-fr.fr``, next to a README or an ids file) is a Moses corpus; one holding a
single corpus file is read as that file. The data is unpacked into a private temporary folder
that is removed afterwards; errors name the archive (and the member), never the temporary
copy.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from workbench.corpus.pair import PairList
from workbench.errors import InputError
from workbench.languages import is_known, match_quality, normalize

SUFFIXES = {".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zip": "zip"}
_OPENERS: dict[str, Callable[..., IO[bytes]]] = {
    "gzip": gzip.open,
    "bzip2": bz2.open,
    "xz": lzma.open,
}
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_PAIR_IN_NAME = re.compile(
    r"(?:^|[._])([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?)-([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]+)?)(?:[._]|$)"
)

# read(path_or_pair, fmt, source_lang, target_lang) -> pairs: read_pairs on the unpacked copy.
Reader = Callable[[str | Path | tuple[Path, Path], str | None, str | None, str | None], PairList]


def compression_of(path: Path) -> str | None:
    """``gzip``, ``bzip2``, ``xz`` or ``zip`` when ``path`` is such a file, else None."""
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(10)
    except OSError:
        return None
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if _BZIP2.match(head):
        return "bzip2"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    return None


def inner_name(path: Path) -> str:
    """The file name under the compression suffix: ``de-fr.tmx.gz`` → ``de-fr.tmx``."""
    name = path.name
    suffix = Path(name).suffix.lower()
    return name[: -len(suffix)] if suffix in SUFFIXES else name


def read_compressed(
    path: Path,
    kind: str,
    fmt: str | None,
    source_lang: str | None,
    target_lang: str | None,
    read: Reader,
) -> PairList:
    """Unpack ``path`` (compression ``kind``) into a temporary folder and ``read`` it there."""
    with tempfile.TemporaryDirectory(prefix="workbench-unpack-") as folder:
        tmp = Path(folder)
        if kind == "zip":
            return _read_zip(path, tmp, fmt, source_lang, target_lang, read)
        inner = tmp / (inner_name(path) or "corpus")
        try:
            with _OPENERS[kind](path, "rb") as src, open(inner, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
        except (OSError, EOFError, lzma.LZMAError, zipfile.BadZipFile) as exc:
            raise InputError(f"{path}: damaged {kind} file ({exc})") from None
        with _renamed_errors({inner: path}):
            return read(inner, fmt, source_lang, target_lang)


class _renamed_errors:
    """Re-raise an InputError with the temporary paths replaced by what the user named."""

    def __init__(self, names: dict[Path, str | Path]) -> None:
        self.names = names

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, exc: BaseException | None, tb: object) -> bool:
        if isinstance(exc, InputError):
            message = str(exc)
            for temporary, shown in self.names.items():
                message = message.replace(str(temporary), str(shown))
            raise InputError(message) from None
        return False


def _members(archive: zipfile.ZipFile) -> list[str]:
    return [
        info.filename
        for info in archive.infolist()
        if not info.is_dir() and not info.filename.startswith("__MACOSX/")
    ]


def _language_suffix(member: str) -> str:
    suffix = Path(member).suffix[1:]
    return suffix if suffix and is_known(suffix) else ""


def _read_zip(
    path: Path,
    tmp: Path,
    fmt: str | None,
    source_lang: str | None,
    target_lang: str | None,
    read: Reader,
) -> PairList:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"{path}: damaged zip archive ({exc})") from None
    with archive:
        members = _members(archive)
        if fmt is None or fmt.lower() == "moses":
            chosen = _moses_members(path, members, source_lang, target_lang)
            if chosen is not None:
                (src, src_lang), (tgt, tgt_lang) = chosen
                files = (
                    _extract(archive, path, src, tmp / "s"),
                    _extract(archive, path, tgt, tmp / "t"),
                )
                with _renamed_errors(
                    {f: f"{path}:{m}" for f, m in zip(files, (src, tgt), strict=True)}
                ):
                    pairs = read(files, "moses", source_lang, target_lang)
                return pairs.with_languages(
                    normalize(source_lang or src_lang), normalize(target_lang or tgt_lang)
                )
            if fmt is not None:
                raise InputError(
                    f"{path}: a Moses archive holds two files named *.<language>; found "
                    f"{', '.join(members) or 'none'}"
                    + ("" if source_lang and target_lang else " (give --source-lang/--target-lang)")
                )
        corpora = [m for m in members if not _is_documentation(m)]
        if len(corpora) != 1:
            raise InputError(
                f"{path}: cannot tell which file of the archive to read ({', '.join(members)}); "
                "a Moses archive holds two files named *.<language>, any other one corpus file"
            )
        file = _extract(archive, path, corpora[0], tmp / "one")
        with _renamed_errors({file: f"{path}:{corpora[0]}"}):
            return read(file, fmt, source_lang, target_lang)


def _is_documentation(member: str) -> bool:
    name = Path(member).name.lower()
    return name.startswith(("readme", "license", "licence")) or name.endswith(".xml")


def _extract(archive: zipfile.ZipFile, path: Path, member: str, folder: Path) -> Path:
    folder.mkdir()
    out = folder / Path(member).name
    try:
        with archive.open(member) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise InputError(f"{path}: cannot unpack {member} ({exc})") from None
    return out


def _moses_members(
    path: Path, members: list[str], source_lang: str | None, target_lang: str | None
) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The (member, language) of each side, or None when the archive is not a Moses pair."""
    if source_lang and target_lang:
        sides = []
        for lang in (source_lang, target_lang):
            ranked = sorted(
                ((match_quality(lang, Path(m).suffix[1:]), m) for m in members),
                key=lambda item: -item[0],
            )
            best = [m for q, m in ranked if q and q == ranked[0][0]]
            if len(best) != 1:
                return None
            sides.append((best[0], Path(best[0]).suffix[1:]))
        return (sides[0], sides[1]) if sides[0][0] != sides[1][0] else None
    tagged = [(m, _language_suffix(m)) for m in members if _language_suffix(m)]
    if len(tagged) != 2 or match_quality(tagged[0][1], tagged[1][1]) == 2:
        return None
    # OPUS names say the direction: de-fr.txt.zip holding Europarl.de-fr.de / .fr.
    for name in (path.name, *(Path(m).stem for m, _ in tagged)):
        found = _PAIR_IN_NAME.search(name)
        if not found:
            continue
        first, second = found.group(1), found.group(2)
        a, b = tagged
        if match_quality(first, b[1]) == 2 and match_quality(second, a[1]) == 2:
            return b, a
        if match_quality(first, a[1]) == 2 and match_quality(second, b[1]) == 2:
            return a, b
    if source_lang:
        a, b = tagged
        return (
            (b, a)
            if match_quality(source_lang, b[1]) > match_quality(source_lang, a[1])
            else (a, b)
        )
    if target_lang:
        a, b = tagged
        return (
            (b, a)
            if match_quality(target_lang, a[1]) > match_quality(target_lang, b[1])
            else (a, b)
        )
    return tagged[0], tagged[1]
