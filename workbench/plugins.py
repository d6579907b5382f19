"""Plugins: scorers, exporters and translator backends from other distributions, Qt-free.

A plugin is a Python distribution that declares entry points in one of three groups; the
workbench's own built-ins are declared the same way in its ``pyproject.toml``::

    [project.entry-points."workbench.scorers"]
    chrf = "workbench_chrf:chrf_scorer"

``workbench.scorers``
    A :class:`workbench.scoring.base.Scorer` subclass or a factory called as
    ``factory(order=..., tokenize=..., lowercase=..., **options) -> Scorer``; ``options``
    holds ``embeddings`` and ``threshold`` (take what you use, accept the rest with
    ``**options``). Registered in :data:`workbench.scoring.registry.SCORERS` under the entry
    point's name, so ``make_scorer(name)``, ``workbench align --scorer NAME`` and
    ``workbench score --scorer NAME`` use it.
``workbench.exporters``
    An object following :class:`workbench.corpus.Exporter` (``name``, ``suffixes`` — a tuple
    such as ``(".xlf",)`` — and ``write(pairs, path, *, metadata, source_lang, target_lang)
    -> int``, the number of pairs written), or a class / no-argument factory returning one.
    Registered in :data:`workbench.corpus.EXPORTERS` under the entry point's name.
``workbench.translators``
    A translator backend (``name``, ``accepts(path) -> bool``, ``open(path, **options) ->
    Translator``) or a class / no-argument factory returning one. Registered in
    :data:`workbench.translate.TRANSLATORS` under the entry point's name.

:func:`discover` loads every entry point once. It is not run at start-up: the built-ins are
known by name without reading any distribution's metadata (:mod:`workbench.builtin_plugins`)
and imported when used, and the registries call :func:`discover` only when asked for a name
(or a file suffix, or a model no built-in backend reads) they do not know; ``workbench
plugins`` and the settings page call it to list everything. A broken plugin — its module does
not import, its object has the wrong type, its factory raises — is skipped and reported as a
:class:`PluginProblem` (also logged as a warning); it is never fatal. A name declared twice is
a problem too: the first (built-ins first, then by distribution name) is kept. Keep the module
an entry point names light to import (import heavy libraries inside the factory).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from workbench.plugin_warnings import logger, warnings_on_terminal

if TYPE_CHECKING:
    import importlib.metadata


DISTRIBUTION = "workbench"  # the distribution whose entry points are the built-ins


@dataclass(frozen=True)
class PluginGroup:
    """One kind of plugin: its entry point group and the registry it feeds."""

    key: str  # "scorers", "exporters", "translators"
    entry_point_group: str
    registry_module: str  # module holding the registry (imported when the group is loaded)
    registry_name: str
    description: str


GROUPS: tuple[PluginGroup, ...] = (
    PluginGroup(
        "scorers",
        "workbench.scorers",
        "workbench.scoring.registry",
        "SCORERS",
        "sentence-pair scorers (Scorer subclass or factory)",
    ),
    PluginGroup(
        "exporters",
        "workbench.exporters",
        "workbench.corpus",
        "EXPORTERS",
        "parallel-corpus file formats (Exporter)",
    ),
    PluginGroup(
        "translators",
        "workbench.translators",
        "workbench.translate",
        "TRANSLATORS",
        "machine-translation backends (TranslatorBackend)",
    ),
)


@dataclass(frozen=True)
class Plugin:
    """A plugin that loaded and was registered."""

    group: str
    name: str
    target: str  # the entry point's "module:attribute"
    distribution: str
    version: str


@dataclass(frozen=True)
class PluginProblem:
    """A plugin that was skipped, and why (one line)."""

    group: str
    name: str
    target: str
    distribution: str
    version: str
    error: str

    def __str__(self) -> str:
        return (
            f"{self.group} plugin {self.name!r} ({self.target}, from {self.distribution} "
            f"{self.version}): {self.error}"
        )


@dataclass(frozen=True)
class Discovery:
    """The outcome of :func:`discover`: what was registered and what was skipped."""

    plugins: tuple[Plugin, ...]
    problems: tuple[PluginProblem, ...]

    def names(self, group: str) -> list[str]:
        return [p.name for p in self.plugins if p.group == group]


@dataclass(frozen=True)
class PluginRow:
    """One line of the plugin list shown by ``workbench plugins`` and the GUI's settings."""

    group: str
    name: str
    distribution: str
    version: str
    status: str  # "ok" or "broken"
    detail: str  # the entry point target, or the error of a broken plugin


class PluginError(Exception):
    """Why one plugin object was refused (wrong type); becomes a :class:`PluginProblem`."""


# -- checking one loaded object per group --------------------------------------------------------
def _is_scorer_factory(obj: object) -> Any:
    from workbench.scoring.base import Scorer

    if isinstance(obj, type):
        if not issubclass(obj, Scorer):
            raise PluginError(f"class {obj.__name__} is not a workbench Scorer subclass")
        return obj
    if not callable(obj):
        raise PluginError(f"{type(obj).__name__} object is not a Scorer subclass or factory")
    return obj


def _instance(obj: object, required: tuple[str, ...], what: str) -> Any:
    """The object itself if it has the ``required`` attributes, else what calling it returns."""
    if not all(hasattr(obj, a) for a in required) or isinstance(obj, type):
        if not callable(obj):
            raise PluginError(f"{type(obj).__name__} object is not {what} or a factory of one")
        obj = obj()  # a class or factory; an exception here is reported by the caller
    missing = [a for a in required if not hasattr(obj, a)]
    if missing:
        raise PluginError(f"{type(obj).__name__} is not {what}: no {', '.join(missing)}")
    return obj


def _check_exporter(obj: object) -> Any:
    exporter = _instance(obj, ("name", "suffixes", "write"), "an Exporter")
    suffixes = exporter.suffixes
    if not isinstance(exporter.name, str) or not exporter.name:
        raise PluginError("exporter name must be a non-empty string")
    if not isinstance(suffixes, tuple | list) or not all(
        isinstance(s, str) and s.startswith(".") for s in suffixes
    ):
        raise PluginError(f"exporter suffixes must be a tuple like ('.xlf',), not {suffixes!r}")
    if not callable(exporter.write):
        raise PluginError("exporter write is not callable")
    return exporter


def _check_translator(obj: object) -> Any:
    backend = _instance(obj, ("name", "accepts", "open"), "a translator backend")
    if not callable(backend.accepts) or not callable(backend.open):
        raise PluginError("translator backend accepts/open are not callable")
    return backend


_CHECKS: dict[str, Callable[[object], Any]] = {
    "scorers": _is_scorer_factory,
    "exporters": _check_exporter,
    "translators": _check_translator,
}


# -- discovery ----------------------------------------------------------------------------------
def _distribution(ep: importlib.metadata.EntryPoint) -> tuple[str, str]:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "?", "?"
    try:
        return dist.metadata["Name"] or "?", dist.version or "?"
    except Exception:  # damaged metadata must not stop discovery
        return "?", "?"


def _entry_points(group: str) -> list[importlib.metadata.EntryPoint]:
    """The group's entry points, built-ins first, then by distribution and name.

    Looked up through ``importlib.metadata.entry_points`` at call time (tests replace it).
    An editable install and a stale copy of one distribution can declare the same entry point
    twice; those duplicates are dropped.
    """
    import importlib.metadata  # reading every distribution's metadata: only when discovering

    seen: set[tuple[str, str, str]] = set()
    eps = []
    for ep in importlib.metadata.entry_points(group=group):
        key = (_distribution(ep)[0], ep.name, ep.value)
        if key not in seen:
            seen.add(key)
            eps.append(ep)
    return sorted(
        eps, key=lambda ep: (_distribution(ep)[0] != DISTRIBUTION, _distribution(ep)[0], ep.name)
    )


def _registry(group: PluginGroup) -> dict[str, Any]:
    module = importlib.import_module(group.registry_module)
    return getattr(module, group.registry_name)


_lock = threading.RLock()
_cached: Discovery | None = None
_running = False  # a plugin whose import asks for discovery must not start it again


def discover(*, refresh: bool = False) -> Discovery:
    """Load every plugin into its registry once; later calls return the cached result.

    ``refresh`` loads them again (after installing a plugin, or in tests).
    """
    global _cached, _running
    with _lock:
        if _running:
            return Discovery((), ())
        if _cached is not None and not refresh:
            return _cached
        plugins: list[Plugin] = []
        problems: list[PluginProblem] = []
        _running = True
        try:
            for group in GROUPS:
                _discover_group(group, plugins, problems)
        finally:
            _running = False
        for problem in problems:
            logger().warning("skipped %s", problem)
        _cached = Discovery(tuple(plugins), tuple(problems))
        return _cached


def _discover_group(
    group: PluginGroup, plugins: list[Plugin], problems: list[PluginProblem]
) -> None:
    try:
        eps = _entry_points(group.entry_point_group)
    except Exception as exc:  # broken metadata of some distribution
        problems.append(
            PluginProblem(group.key, "*", group.entry_point_group, "?", "?", _describe(exc))
        )
        return
    if not eps:
        return
    taken: dict[str, str] = {}
    registry: dict[str, Any] | None = None
    for ep in eps:
        dist, version = _distribution(ep)

        def problem(
            error: str,
            ep: importlib.metadata.EntryPoint = ep,
            dist: str = dist,
            version: str = version,
        ) -> None:
            problems.append(PluginProblem(group.key, ep.name, ep.value, dist, version, error))

        if ep.name in taken:
            problem(f"name already taken by {taken[ep.name]}")
            continue
        if registry is None:
            try:
                registry = _registry(group)
            except ImportError as exc:
                problem(f"this workbench has no {group.registry_module} ({_describe(exc)})")
                continue
        try:
            obj = _CHECKS[group.key](ep.load())
        except PluginError as exc:
            problem(f"wrong type: {exc}")
            continue
        except Exception as exc:  # import errors, a factory's bug: never fatal
            problem(_describe(exc))
            continue
        registry[ep.name] = obj
        taken[ep.name] = dist
        plugins.append(Plugin(group.key, ep.name, ep.value, dist, version))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def plugin_rows(discovery: Discovery | None = None) -> list[PluginRow]:
    """Rows for a plugin table (CLI and GUI): loaded plugins, then broken ones, per group."""
    found = discovery or discover()
    rows: list[PluginRow] = []
    for group in GROUPS:
        for p in found.plugins:
            if p.group == group.key:
                rows.append(PluginRow(p.group, p.name, p.distribution, p.version, "ok", p.target))
        for q in found.problems:
            if q.group == group.key:
                rows.append(
                    PluginRow(q.group, q.name, q.distribution, q.version, "broken", q.error)
                )
    return rows


__all__ = [
    "GROUPS",
    "Discovery",
    "Plugin",
    "PluginGroup",
    "PluginProblem",
    "PluginRow",
    "discover",
    "plugin_rows",
    "warnings_on_terminal",
]
