"""Plugin discovery (install-independent: fake entry points) and the scorer registry."""

from __future__ import annotations

import importlib.metadata
import logging
import sys
import types

import numpy as np
import pytest

from workbench import plugins
from workbench.cli import main
from workbench.corpus import EXPORTERS
from workbench.errors import WorkbenchError
from workbench.scoring import BleuScorer, make_scorer
from workbench.scoring.registry import SCORERS
from workbench.translate import TRANSLATORS, open_translator


class GoodExporter:
    name = "fake"
    suffixes = (".fake",)

    def write(self, pairs, path, *, metadata=False, source_lang="und", target_lang="und"):
        return 0


def _scorer_factory(order=2, tokenize="13a", lowercase=False, **options):
    return BleuScorer(order=order, tokenize=tokenize, lowercase=lowercase)


def _raising_factory(order=2, tokenize="13a", lowercase=False, **options):
    raise RuntimeError("model missing")


def _not_a_scorer(order=2, tokenize="13a", lowercase=False, **options):
    return "not a scorer"


class EchoBackend:
    """A translator backend that "translates" a file by upper-casing its lines."""

    name = "echo"

    def accepts(self, path):
        return path.suffix == ".echo"

    def open(self, path, **options):
        backend = self

        class Echo:
            identity = f"echo:{path}"

            def translate(self, sentences, *, progress=None, cancel=None):
                return [s.upper() for s in sentences]

        assert backend is not None
        return Echo()


class _BrokenExporter:
    def __init__(self):
        raise ValueError("cannot start")


@pytest.fixture
def fake_plugins(monkeypatch):
    """A fake module of plugin objects and fake entry points naming them."""
    module = types.ModuleType("fake_workbench_plugin")
    module.good_scorer = _scorer_factory
    module.raising_scorer = _raising_factory
    module.wrong_result = _not_a_scorer
    module.not_callable = 42
    module.a_class = dict  # a class, but not a Scorer
    module.exporter = GoodExporter()
    module.broken_exporter = _BrokenExporter
    module.EchoBackend = EchoBackend
    module.bad_suffixes = type("E", (), {"name": "x", "suffixes": "xlf", "write": print})()
    monkeypatch.setitem(sys.modules, "fake_workbench_plugin", module)
    EP = importlib.metadata.EntryPoint
    groups = {
        "workbench.scorers": [
            EP("fakebleu", "fake_workbench_plugin:good_scorer", "workbench.scorers"),
            EP("raises", "fake_workbench_plugin:raising_scorer", "workbench.scorers"),
            EP("wrongresult", "fake_workbench_plugin:wrong_result", "workbench.scorers"),
            EP("notcallable", "fake_workbench_plugin:not_callable", "workbench.scorers"),
            EP("aclass", "fake_workbench_plugin:a_class", "workbench.scorers"),
            EP("missing", "no_such_module_xyz:factory", "workbench.scorers"),
            EP("fakebleu", "fake_workbench_plugin:raising_scorer", "workbench.scorers"),
        ],
        "workbench.exporters": [
            EP("fake", "fake_workbench_plugin:exporter", "workbench.exporters"),
            EP("brokenexp", "fake_workbench_plugin:broken_exporter", "workbench.exporters"),
            EP("badsuffix", "fake_workbench_plugin:bad_suffixes", "workbench.exporters"),
        ],
        "workbench.translators": [
            EP("echo", "fake_workbench_plugin:EchoBackend", "workbench.translators"),
            EP("noopen", "fake_workbench_plugin:exporter", "workbench.translators"),
        ],
    }

    def entry_points(*, group=None, **kwargs):
        return list(groups.get(group, []))

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    registries = [SCORERS, EXPORTERS, TRANSLATORS]
    saved = [dict(r) for r in registries]
    yield groups
    for registry, before in zip(registries, saved, strict=True):
        registry.clear()
        registry.update(before)
    plugins.discover(refresh=True)


def test_broken_plugins_are_reported_and_skipped(fake_plugins, caplog):
    with caplog.at_level(logging.WARNING, logger="workbench.plugins"):
        found = plugins.discover(refresh=True)
    problems = {(p.group, p.name): p.error for p in found.problems}
    assert "fakebleu" in found.names("scorers")
    assert "wrong type" in problems[("scorers", "notcallable")]
    assert "not a workbench Scorer subclass" in problems[("scorers", "aclass")]
    assert "ModuleNotFoundError" in problems[("scorers", "missing")]
    assert "already taken" in problems[("scorers", "fakebleu")]
    assert "missing" not in SCORERS and "aclass" not in SCORERS
    # every problem was logged as a warning naming the plugin
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "'missing'" in logged and "no_such_module_xyz" in logged
    assert isinstance(EXPORTERS["fake"], GoodExporter)
    assert "ValueError: cannot start" in problems[("exporters", "brokenexp")]
    assert "suffixes" in problems[("exporters", "badsuffix")]
    assert isinstance(TRANSLATORS["echo"], EchoBackend)
    assert "not a translator backend" in problems[("translators", "noopen")]


def test_translator_plugin_is_used_by_open_translator(fake_plugins, tmp_path):
    plugins.discover(refresh=True)
    model = tmp_path / "m.echo"
    model.write_text("")
    # Plugins come after the built-ins, which take any file or folder: name the backend.
    assert list(TRANSLATORS)[-1] == "echo"
    translator = open_translator(model, backend="echo")
    assert translator.translate(["hallo"]) == ["HALLO"]
    assert translator.identity == f"echo:{model}"


def test_discover_is_cached_until_refresh(fake_plugins):
    first = plugins.discover(refresh=True)
    assert plugins.discover() is first
    fake_plugins["workbench.scorers"].clear()
    assert plugins.discover() is first
    assert plugins.discover(refresh=True).names("scorers") == []


def test_make_scorer_uses_the_registry(fake_plugins):
    plugins.discover(refresh=True)
    scorer = make_scorer("fakebleu", order=3)
    assert isinstance(scorer, BleuScorer) and scorer.order == 3
    with pytest.raises(WorkbenchError, match="failed to start: RuntimeError: model missing"):
        make_scorer("raises")
    with pytest.raises(WorkbenchError, match="returned a str, not a workbench Scorer"):
        make_scorer("wrongresult")
    with pytest.raises(WorkbenchError, match=r"unknown scorer 'nope'; available: bleu, ableu"):
        make_scorer("nope")


def test_builtin_scorers_keep_their_behaviour():
    bleu = make_scorer("bleu", order=2)
    assert isinstance(bleu, BleuScorer)
    a = bleu.prepare(["the cat sat on the mat"])
    b = bleu.prepare(["the cat sat on a mat"])
    other = BleuScorer(order=2)
    direct = other.pair_scores(
        other.prepare(["the cat sat on the mat"]),
        other.prepare(["the cat sat on a mat"]),
        np.array([[0, 0]]),
    )
    assert bleu.pair_scores(a, b, np.array([[0, 0]]))[0] == pytest.approx(direct[0])
    ableu = make_scorer("ableu", embeddings=None, threshold=0.7)
    assert type(ableu).__name__ == "AbleuScorer"


def test_builtins_are_entry_points_of_the_workbench_distribution():
    eps = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="workbench.scorers")}
    if "bleu" not in eps:
        pytest.skip("workbench is not installed (pip install -e .), so it has no entry points")
    assert eps["bleu"] == "workbench.scoring.registry:bleu_scorer"
    found = plugins.discover(refresh=True)
    rows = {(r.group, r.name): r for r in plugins.plugin_rows(found)}
    assert rows[("scorers", "bleu")].distribution == "workbench"
    assert rows[("scorers", "bleu")].status == "ok"


def test_plugins_command_lists_broken_ones(fake_plugins, capsys):
    plugins.discover(refresh=True)
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "workbench.scorers:" in out and "fakebleu" in out
    assert "BROKEN" in out and "no_such_module_xyz" in out
