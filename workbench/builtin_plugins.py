"""The built-in plugins, known by name without importing them, and the lazy registry they sit in.

Start-up must not pay for formats and backends a command does not use (issue 19): the
exporters and translator backends of the workbench itself are listed here statically (name →
``"module:attribute"``, plus what a lookup needs before import: an exporter's suffixes), and
:class:`Registry` imports one the first time it is asked for it. Third-party plugins are found
through entry points by :func:`workbench.plugins.discover`, which runs only when a name is not
built in or when something lists every plugin (``workbench plugins``, the settings page).

The table mirrors the entry points this distribution declares in ``pyproject.toml`` (a test
keeps the two equal), so an installed workbench lists its built-ins beside the plugins.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Builtin:
    """One built-in plugin: its group (``scorers``, ``exporters``, ``translators``) and name,
    the object its entry point names, and (exporters) the file suffixes it claims."""

    group: str
    name: str
    target: str  # "module:attribute", as in pyproject.toml
    suffixes: tuple[str, ...] = ()


BUILTINS: tuple[Builtin, ...] = (
    Builtin("scorers", "bleu", "workbench.scoring.registry:bleu_scorer"),
    Builtin("scorers", "ableu", "workbench.scoring.registry:ableu_scorer"),
    Builtin("exporters", "tsv", "workbench.corpus.tsv:TsvFormat", (".tsv", ".tab")),
    Builtin("exporters", "tmx", "workbench.corpus.tmx:TmxFormat", (".tmx",)),
    Builtin("exporters", "moses", "workbench.corpus.moses:MosesFormat"),
    Builtin("exporters", "jsonl", "workbench.corpus.jsonl:JsonlFormat", (".jsonl", ".ndjson")),
    Builtin("translators", "ctranslate2", "workbench.translate.ct2:CTranslate2Backend"),
    Builtin("translators", "file", "workbench.translate.file_backend:FileBackend"),
)


def builtins(group: str) -> list[Builtin]:
    """The group's built-ins, in registration order."""
    return [b for b in BUILTINS if b.group == group]


def load_target(target: str) -> object:
    """The object ``"module:attribute"`` names, imported now."""
    module, _, attribute = target.partition(":")
    obj: object = importlib.import_module(module)
    for part in attribute.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class _Lazy:
    builtin: Builtin

    def load(self) -> object:
        obj = load_target(self.builtin.target)
        return obj() if isinstance(obj, type) else obj  # a class is the no-argument factory


class Registry(MutableMapping[str, T], Generic[T]):
    """A name → object mapping whose built-in entries are imported on first access.

    Behaves as the dict it replaces (insertion order, ``in``, ``del``, iteration over names);
    reading a value — ``[]``, ``get``, ``values()``, ``items()`` — imports that entry's module
    if it is a built-in not used yet. ``in`` and iterating names import nothing.
    """

    def __init__(self, group: str) -> None:
        self.group = group
        self._items: dict[str, object] = {b.name: _Lazy(b) for b in builtins(group)}

    def __getitem__(self, name: str) -> T:
        value = self._items[name]
        if isinstance(value, _Lazy):
            value = value.load()
            self._items[name] = value
        return value  # type: ignore[return-value]

    def __setitem__(self, name: str, value: T) -> None:
        self._items[name] = value

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items  # (the mixin's would read, and so import, the value)

    def is_loaded(self, name: str) -> bool:
        """Whether ``name``'s object exists already (False for a built-in not used yet)."""
        return not isinstance(self._items[name], _Lazy)

    def suffixes(self, name: str) -> tuple[str, ...]:
        """An exporter's suffixes, read from the built-in table while it is not imported."""
        value = self._items[name]
        if isinstance(value, _Lazy):
            return value.builtin.suffixes
        return tuple(getattr(value, "suffixes", ()))

    def __repr__(self) -> str:
        names = ", ".join(
            f"{n}{'' if self.is_loaded(n) else ' (not imported)'}" for n in self._items
        )
        return f"<{self.group} registry: {names}>"


__all__ = ["BUILTINS", "Builtin", "Registry", "builtins", "load_target"]
