"""The document pairs of a batch: a manifest file or two folders with matching file names.

Qt-free and free of alignment: it only resolves paths and checks names, so that a bad manifest
is refused before any work starts.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputError
from workbench.textio import read_text, split_lines

MANIFEST_COLUMNS = ("name", "source", "target", "translation", "reverse_translation")


@dataclass(frozen=True)
class BatchItem:
    """One document pair to align, with translations of the source (``mt``) and the target."""

    name: str
    source: Path
    target: Path
    mt: tuple[Path, ...] = ()
    mt_reverse: tuple[Path, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        return (self.source, self.target, *self.mt, *self.mt_reverse)


def read_manifest(path: str | Path) -> list[BatchItem]:
    """Document pairs from a TSV (tab-separated) or CSV (``.csv``) manifest.

    Columns, by header: ``source`` and ``target`` (required), ``name`` (default: the source
    file's name without suffix), ``translation`` (the source translated into the target
    language; several columns ``translation``, ``translation2``, … or several paths in one
    cell separated by ``;``) and ``reverse_translation`` (the target translated into the
    source language). Without a header the columns are source, target, translation….
    Relative paths are resolved against the manifest's folder; empty lines and lines starting
    with ``#`` are ignored.
    """
    path = Path(path)
    try:
        text = read_text(path)
    except InputError as exc:
        raise InputError(f"cannot read the manifest: {exc}") from None
    delimiter = "," if path.suffix.lower() == ".csv" else "\t"
    rows = [
        (number, [cell.strip() for cell in row])
        for number, row in enumerate(csv.reader(split_lines(text), delimiter=delimiter), 1)
        if row and any(c.strip() for c in row) and not row[0].lstrip().startswith("#")
    ]
    if not rows:
        raise InputError(f"{path}: empty manifest (expected source and target columns)")
    header = [c.lower() for c in rows[0][1]]
    if "source" in header and "target" in header:
        columns = header
        rows = rows[1:]
    elif any(c in MANIFEST_COLUMNS for c in header):
        raise InputError(f"{path}:1: the header needs both a 'source' and a 'target' column")
    else:
        width = max(len(r) for _, r in rows)
        columns = ["source", "target"] + ["translation"] * max(width - 2, 0)
    unknown = [c for c in columns if not _column_kind(c)]
    if unknown:
        raise InputError(
            f"{path}:1: unknown column {unknown[0]!r}; use {', '.join(MANIFEST_COLUMNS)}"
        )
    base = path.parent
    items: list[BatchItem] = []
    for number, row in rows:
        cells: dict[str, list[Path]] = {"name": [], "source": [], "target": [], "mt": [], "rev": []}
        names: list[str] = []
        for column, cell in zip(columns, row, strict=False):
            kind = _column_kind(column)
            if not cell:
                continue
            if kind == "name":
                names.append(cell)
                continue
            for part in cell.split(";") if kind in ("mt", "rev") else [cell]:
                if part.strip():
                    cells[kind].append(_resolve(base, part.strip()))
        if not cells["source"] or not cells["target"]:
            raise InputError(f"{path}:{number}: a row needs a source and a target path")
        source = cells["source"][0]
        name = names[0] if names else source.stem
        items.append(
            BatchItem(name, source, cells["target"][0], tuple(cells["mt"]), tuple(cells["rev"]))
        )
    check_unique(items, str(path))
    return items


def _column_kind(column: str) -> str | None:
    if column in ("name", "source", "target"):
        return column
    if re.fullmatch(r"(translation|mt)\d*", column):
        return "mt"
    if re.fullmatch(r"(reverse_translation|mt_reverse)\d*", column):
        return "rev"
    return None


def _resolve(base: Path, text: str) -> Path:
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


def items_from_dirs(
    source_dir: str | Path,
    target_dir: str | Path,
    mt_dir: str | Path | None = None,
    mt_reverse_dir: str | Path | None = None,
) -> list[BatchItem]:
    """One pair per file in ``source_dir``, with the same-named file in the other folders."""
    folders = [Path(d) for d in (source_dir, target_dir, mt_dir, mt_reverse_dir) if d is not None]
    for folder in folders:
        if not folder.is_dir():
            raise InputError(f"{folder}: not a folder")
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    names = sorted(
        p.name for p in source_dir.iterdir() if p.is_file() and not p.name.startswith(".")
    )
    if not names:
        raise InputError(f"{source_dir}: no files to align")
    return [
        BatchItem(
            name,
            source_dir / name,
            target_dir / name,
            (Path(mt_dir) / name,) if mt_dir is not None else (),
            (Path(mt_reverse_dir) / name,) if mt_reverse_dir is not None else (),
        )
        for name in names
    ]


def check_unique(items: Sequence[BatchItem], where: str) -> None:
    seen: dict[str, int] = {}
    for k, item in enumerate(items):
        if item.name in seen:
            raise InputError(
                f"{where}: document name {item.name!r} appears twice (entries {seen[item.name] + 1} "
                f"and {k + 1}); give each row a distinct name column"
            )
        seen[item.name] = k
