"""The built-in plugins' static table (issue 19): equal to the entry points in pyproject.toml,
each object loadable and of the right kind, and the lazy registry behaving as the dict it
replaced. Which modules start-up imports is checked in tests/test_startup.py."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest

from workbench import plugins
from workbench.builtin_plugins import BUILTINS, Registry, builtins, load_target
from workbench.cli import main
from workbench.corpus import EXPORTERS
from workbench.scoring.registry import SCORERS
from workbench.translate import TRANSLATORS

REPO = Path(__file__).resolve().parents[1]


def test_table_equals_the_entry_points_in_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        (group.removeprefix("workbench."), name, target)
        for group, entries in project["project"]["entry-points"].items()
        for name, target in entries.items()
    }
    assert {(b.group, b.name, b.target) for b in BUILTINS} == declared
    assert [g.key for g in plugins.GROUPS] == ["scorers", "exporters", "translators"]


@pytest.mark.parametrize("builtin", BUILTINS, ids=lambda b: f"{b.group}:{b.name}")
def test_each_builtin_loads_and_passes_the_plugin_checks(builtin):
    obj = plugins._CHECKS[builtin.group](load_target(builtin.target))
    if builtin.group == "exporters":
        assert obj.name == builtin.name
        assert tuple(obj.suffixes) == builtin.suffixes  # the table's suffixes are the class's
    if builtin.group == "translators":
        assert obj.name == builtin.name


def test_registries_start_with_the_builtins_in_order():
    assert list(SCORERS)[:2] == [b.name for b in builtins("scorers")]
    assert list(EXPORTERS)[:4] == [b.name for b in builtins("exporters")]
    assert list(TRANSLATORS)[:2] == ["ctranslate2", "file"]  # CTranslate2 is tried first


def test_registry_imports_an_entry_when_its_value_is_read():
    registry: Registry[object] = Registry("exporters")
    assert "tmx" in registry and len(registry) == 4
    assert not registry.is_loaded("tmx")
    assert registry.suffixes("tmx") == (".tmx",)  # from the table, nothing imported
    tmx = registry["tmx"]
    assert type(tmx).__name__ == "TmxFormat" and registry.is_loaded("tmx")
    assert registry["tmx"] is tmx  # loaded once
    assert registry.get("nope") is None
    registry["other"] = tmx
    assert list(registry) == ["tsv", "tmx", "moses", "jsonl", "other"]
    del registry["other"]
    copy = dict(registry)  # reading every value imports every entry
    assert sorted(copy) == ["jsonl", "moses", "tmx", "tsv"]
    assert all(registry.is_loaded(n) for n in registry)
    assert "not imported" not in repr(registry)
    with pytest.raises(KeyError):
        registry["nope"]


def test_plugins_command_lists_builtins_and_installed_plugins(capsys):
    eps = {ep.name for ep in importlib.metadata.entry_points(group="workbench.exporters")}
    if "tsv" not in eps:
        pytest.skip("workbench is not installed (pip install -e .), so it has no entry points")
    plugins.discover(refresh=True)
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    for b in BUILTINS:
        line = next(x for x in out.splitlines() if x.split()[:1] == [b.name])
        assert "workbench" in line and b.target in line
    for name in eps - {b.name for b in builtins("exporters")}:  # e.g. xliff when installed
        assert f"  {name} " in out
