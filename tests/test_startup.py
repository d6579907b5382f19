"""Start-up structure (issue 19): the command line imports heavy packages only when a command
needs them, and the built-in 13a tokenizer equals sacrebleu's. Speed itself is measured in
benchmarks/bench_speed.py, not asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TEXTBERG = REPO.parent / "shared" / "bench" / "textberg-dev"

HEAVY = (
    "gensim",
    "scipy",
    "pandas",
    "PySide6",
    "sacrebleu",
    "dask",
    "matplotlib",
    "torch",
    "langcodes",
)


def imported_after(code: str) -> set[str]:
    probe = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_command_line_imports_no_heavy_package() -> None:
    assert imported_after("from workbench.cli import build_parser; build_parser()") == set()


def test_aligning_a_short_document_imports_no_heavy_package(tmp_path) -> None:
    for name, text in (("s", "Guten Tag ."), ("t", "Bonjour ."), ("m", "Bonjour .")):
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    code = (
        "from workbench.cli import main\n"
        f"assert main(['align', {str(tmp_path / 's')!r}, {str(tmp_path / 't')!r}, "
        f"'--mt', {str(tmp_path / 'm')!r}]) == 0"
    )
    assert imported_after(code) == set()


LINES = [
    "Der Preis beträgt 1.234,56 Euro - oder $3.50 (netto)!",
    "He said: \"it's 5-6 o'clock\" & left; <skipped> a-\nb",
    "&quot;Quoted&quot; &amp; &lt;tagged&gt; text , with a trailing dot.",
    "Zahlen: 3.14, 2,5 und 1999-2001 -- ja.",
    "{braces} [brackets] `ticks` ~tilde~ @at #hash %pct ^caret *star +plus =eq /slash",
    "  leading and trailing spaces   ",
    "",
    "Ünïcödé «Guillemets» — and … ellipsis ¿qué? ¡sí!",
]


def test_built_in_13a_equals_sacrebleu(textberg_lines: list[str]) -> None:
    from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

    from workbench.scoring.tokenize import _tokenize_13a

    theirs = Tokenizer13a()
    for line in LINES + textberg_lines:
        assert _tokenize_13a(line) == theirs(line), line


def test_built_in_13a_equals_its_regex_rules() -> None:
    """The translate/function form of the 13a rules gives what the four regex substitutions
    give, on random strings dense in the characters the rules treat specially."""
    import random

    from workbench.scoring.tokenize import _RULES_13A, _tokenize_13a

    def by_rules(line: str) -> str:
        line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
        if "&" in line:
            line = line.replace("&quot;", '"').replace("&amp;", "&")
            line = line.replace("&lt;", "<").replace("&gt;", ">")
        line = f" {line} "
        for pattern, repl in _RULES_13A:
            line = pattern.sub(repl, line)
        return " ".join(line.split())

    rng = random.Random(19)
    alphabet = [*".,,..--09a Zé'\"&;<>()$/\\~`{}[]@\n\t«", "&amp;", "&quot;", "<skipped>"]
    for _ in range(20_000):
        line = "".join(rng.choices(alphabet, k=rng.randint(0, 14)))
        assert _tokenize_13a(line) == by_rules(line), repr(line)
    for line in LINES:
        assert _tokenize_13a(line) == by_rules(line), line


@pytest.mark.parametrize("lowercase", [False, True])
def test_tokenize_lines_equals_one_line_at_a_time(
    textberg_lines: list[str], lowercase: bool
) -> None:
    """The 13a rules run over many lines joined (`workbench score`, issue 19) give each line's
    tokens as tokenising it alone does: lines with runs of points and commas, digits around
    them, line breaks, ``\x01``, ``<skipped>`` and entities included (those set apart)."""
    import random

    from workbench.scoring.tokenize import get_tokenizer, tokenize_lines

    one = get_tokenizer("13a", lowercase)
    assert tokenize_lines(LINES + textberg_lines, "13a", lowercase) == [
        one(line) for line in LINES + textberg_lines
    ]
    rng = random.Random(19)
    alphabets = [
        [
            *".,,..--0919a Zé'\"&;<>()$/\\~`{}[]@\t«ΣİI\x01\n\r\x85\u2028",
            *("&amp;", "&quot;", "<skipped>", "<skip", "ped>"),
        ],
        [*".,-0919a ()"],  # dense in what the point and dash rules look at
    ]
    for alphabet in alphabets:
        for _ in range(4_000):
            lines = [
                "".join(rng.choices(alphabet, k=rng.randint(0, 12)))
                for _ in range(rng.randint(0, 6))
            ]
            assert tokenize_lines(lines, "13a", lowercase) == [one(x) for x in lines], lines
    # other tokenizers: one line at a time
    assert tokenize_lines(["a.b", "Ab"], "none", lowercase) == [
        get_tokenizer("none", lowercase)(x) for x in ["a.b", "Ab"]
    ]


def test_tokenizer_names_are_sacrebleus() -> None:
    from sacrebleu.metrics import BLEU

    from workbench.scoring.tokenize import TOKENIZERS

    assert sorted(TOKENIZERS) == sorted(BLEU.TOKENIZERS)


@pytest.fixture
def textberg_lines() -> list[str]:
    lines = []
    for name in ("dev.de", "dev.fr", "dev.mt-google.fr"):
        path = TEXTBERG / name
        if path.exists():
            lines += path.read_text(encoding="utf-8").splitlines()
    return lines


# -- plugins registered by name, imported on demand (issue 19) ----------------------------------
# Modules that plugin discovery at every start used to import (43 in all): the built-in
# formats and backends, the bundled plugins and the discovery itself. (Reading the entry
# points shows as importlib.metadata.)
PLUGIN_MODULES = {
    "workbench.plugins",
    "workbench.corpus.tsv",
    "workbench.corpus.tmx",
    "workbench.corpus.moses",
    "workbench.corpus.jsonl",
    "workbench.translate.ct2",
    "workbench.translate.file_backend",
    "workbench_chrf",
    "workbench_xliff",
}


# Records every module in sys.modules when the process exits (``-X importtime`` would miss the
# ones imported through importlib.import_module, which is how plugins are loaded).
_RECORD = (
    "import atexit, json, os, sys\n"
    "atexit.register(lambda: open(os.environ['WB_MODULES'], 'w').write(json.dumps(sorted(sys.modules))))\n"
)


def imported_by(args: list[str], cwd: Path) -> tuple[set[str], subprocess.CompletedProcess]:
    """Every module a whole process imported, and the process. ``args`` is ``["-m",
    "workbench", ...]`` (run as ``python -m workbench`` does, through runpy) or ``["-c", code]``."""
    if args[:2] == ["-m", "workbench"]:
        code = (
            f"{_RECORD}import runpy\nsys.argv = {['workbench', *args[2:]]!r}\n"
            "runpy.run_module('workbench', run_name='__main__', alter_sys=True)\n"
        )
    else:
        assert args[0] == "-c"
        code = _RECORD + args[1]
    record = cwd / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "WB_MODULES": str(record)},
    )
    return set(json.loads(record.read_text(encoding="utf-8"))), done


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> set[str]:
    """What the interpreter imports on its own (site, .pth files of editable installs)."""
    return imported_by(["-c", ""], tmp_path_factory.mktemp("bare"))[0]


@pytest.fixture
def one_line(tmp_path) -> list[str]:
    for name, text in (("s", "Guten Tag ."), ("t", "Bonjour ."), ("m", "Bonjour .")):
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
    return [str(tmp_path / n) for n in ("s", "t")] + ["--mt", str(tmp_path / "m")]


def test_align_imports_no_plugin_and_reads_no_entry_points(tmp_path, one_line, bare_python):
    names, done = imported_by(["-m", "workbench", "align", *one_line], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "[0]:[0]\n"
    assert names & PLUGIN_MODULES == set()
    # reading entry points means importlib.metadata (and the email parser for metadata)
    assert "importlib.metadata" not in names - bare_python
    assert "logging" not in names - bare_python  # only needed to report broken plugins
    assert {n.split(".")[0] for n in names} & set(HEAVY) == set()


def test_score_imports_no_plugin(tmp_path, one_line, bare_python):
    names, done = imported_by(["-m", "workbench", "score", one_line[0], one_line[1]], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert names & PLUGIN_MODULES == set()
    assert "importlib.metadata" not in names - bare_python


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["align", "--help"]])
def test_version_and_help_import_neither_numpy_nor_the_aligner(tmp_path, argv):
    names, done = imported_by(["-m", "workbench", *argv], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "numpy" not in names
    assert "workbench.align.bleualign" not in names
    assert names & PLUGIN_MODULES == set()
    if argv == ["--version"]:  # answered before any command's parser is built
        assert done.stdout.startswith("workbench ")
        assert {n for n in names if n.startswith("workbench.cli.")} <= {"workbench.cli.common"}


def test_a_built_in_format_imports_only_its_module(tmp_path):
    code = (
        "from workbench.corpus import exporter_for\n"
        "assert exporter_for('x.tsv', None).name == 'tsv'\n"
        "assert exporter_for(None, 'JSONL').name == 'jsonl'\n"
    )
    names, done = imported_by(["-c", code], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert {"workbench.corpus.tsv", "workbench.corpus.jsonl"} <= names
    assert names & PLUGIN_MODULES == {"workbench.corpus.tsv", "workbench.corpus.jsonl"}


def test_unknown_names_still_look_for_plugins_and_fail_clearly(tmp_path, one_line):
    _, done = imported_by(["-m", "workbench", "align", *one_line, "--scorer", "nope"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith(
        "workbench: error: unknown scorer 'nope'; available: bleu, ableu"
    )
    names, done = imported_by(
        ["-m", "workbench", "convert", one_line[0], str(tmp_path / "out.xlsx")], tmp_path
    )
    assert done.returncode == 2
    assert "importlib.metadata" in names  # .xlsx is no built-in suffix: plugins were asked
    assert "(known: jsonl, moses, tmx, tsv" in done.stderr


# -- one command's parser (issue 19) ------------------------------------------------------------
def _commands(parser) -> dict:
    import argparse

    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_a_command_alone_parses_and_helps_as_in_the_full_parser():
    from workbench.cli import _command_modules, build_parser

    full = _commands(build_parser())
    alone = 0
    for module in _command_modules():
        own = _commands(build_parser(only=module))
        for name, sub in own.items():  # eval is registered by evaluate.py
            assert sub.format_help() == full[name].format_help(), name
            assert sub.prog == full[name].prog == f"workbench {name}"
        alone += module in own
    assert alone >= len(_command_modules()) - 1


def test_align_imports_no_other_command(tmp_path, one_line):
    names, done = imported_by(["-m", "workbench", "align", *one_line], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    commands = {n for n in names if n.startswith("workbench.cli.")}
    assert commands == {"workbench.cli.align", "workbench.cli.common"}


def _error(parse, argv: list[str], capsys) -> tuple[object, str]:
    with pytest.raises(SystemExit) as exit_:
        parse(argv)
    return exit_.value.code, capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["align", "a", "b", "--bogus"],  # the top-level parser's error, as before
        ["align"],
        ["align", "a", "b", "--method", "x"],
        ["eval"],  # a command named unlike its module (evaluate.py): the full parser
        ["project", "nope"],
        ["nope"],
    ],
)
def test_the_one_command_parser_fails_as_the_full_parser(argv, capsys):
    from workbench.cli import build_parser, main

    assert _error(main, argv, capsys) == _error(build_parser().parse_args, argv, capsys)


def test_command_modules_are_still_listed():
    from workbench.cli import COMMAND_MODULES

    assert COMMAND_MODULES[0] == "gui" and {"align", "evaluate", "plugins"} <= set(COMMAND_MODULES)


def test_a_broken_plugin_is_a_warning_when_plugins_are_looked_for(tmp_path, one_line):
    """A distribution declaring a scorer whose module is missing: not even read when the
    command needs built-ins only; one warning line when a name sends the CLI to the plugins."""
    site = tmp_path / "site"
    info = site / "brokenplug-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: brokenplug\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[workbench.scorers]\nbroken = no_such_module_xyz:f\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(site)])}

    def workbench(*argv: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "workbench", *argv]
        return subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True)

    done = workbench("align", *one_line)
    assert done.returncode == 0 and done.stderr == ""
    done = workbench("align", *one_line, "--scorer", "nope")
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith("workbench: warning: skipped scorers plugin 'broken'")
    assert "no_such_module_xyz" in lines[0] and "brokenplug 0.1" in lines[0]
    assert lines[-1].startswith("workbench: error: unknown scorer 'nope'")
    done = workbench("plugins")
    assert done.returncode == 0 and "BROKEN" in done.stdout and "broken" in done.stdout


def test_subcommand_modules_are_listed_as_pkgutil_would() -> None:
    """The command line lists its subcommand modules from the package folder (not with
    pkgutil, for start-up): the same names pkgutil finds, no more, no fewer."""
    import pkgutil

    import workbench.cli as cli

    expected = sorted(
        m.name
        for m in pkgutil.iter_modules(cli.__path__)
        if not m.name.startswith("_") and m.name != "common"
    )
    assert cli._module_names() == expected
    assert "align" in expected and "gui" in expected
