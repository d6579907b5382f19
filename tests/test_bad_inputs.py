"""A table of bad inputs walked through every command that reads files (issue 15).

Each case runs ``python -m workbench ...`` in a subprocess and asserts: exit status 2, exactly
one line on stderr naming the file and the problem, no traceback, and no file changed or
created (every file of the work folder hashed before and after). By default every bad input
runs once through ``python -m workbench`` in a subprocess and the whole table (every command
that reads files times every bad input) runs in this process through the same entry point,
``workbench.cli.main``; the whole table in subprocesses is marked slow.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GOOD_SOURCE = "Der Hund bellt.\nDie Katze schläft.\nDas Haus ist groß.\n"
GOOD_TARGET = "Le chien aboie.\nLe chat dort.\nLa maison est grande.\n"


@dataclass(frozen=True)
class Bad:
    """A bad file: how to make it (returns its path) and what the error must say."""

    make: Callable[[Path], Path]
    problem: str  # a regular expression the error line must match


def _file(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _missing(name: str) -> Callable[[Path], Path]:
    return lambda folder: folder / name


def _folder(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.mkdir()
        return path

    return make


def _fifo(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        os.mkfifo(path)
        return path

    return make


def _dev_zero(folder: Path) -> Path:
    return Path("/dev/zero")


UTF16_NO_BOM = GOOD_SOURCE.encode("utf-16-le")
LATIN1 = "Grüße aus Köln.\nÄrger.\n".encode("latin-1")
BINARY = bytes(range(256)) * 8

# Bad documents (one sentence per line); the name's suffix suits pair-file slots too.
DOCUMENTS: dict[str, Bad] = {
    "missing": Bad(_missing("absent.tsv"), "no such file"),
    "folder": Bad(_folder("adir.tsv"), "is a directory"),
    "empty": Bad(_file("empty.tsv", b""), "empty"),
    "blank-lines": Bad(_file("blank.tsv", b"\n  \n\t\n"), "empty|no sentence"),
    "binary": Bad(_file("binary.tsv", BINARY), "binary"),
    "latin-1": Bad(_file("latin1.tsv", LATIN1), "not valid UTF-8 at byte offset"),
    "utf-16-no-bom": Bad(_file("utf16.tsv", UTF16_NO_BOM), "UTF-16 text without a byte-order"),
    "dev-zero": Bad(_dev_zero, "not a regular file"),
    "fifo": Bad(_fifo("fifo.tsv"), "not a regular file"),
}


def _damaged_project(folder: Path) -> Path:
    from workbench import Project
    from workbench.corpus import ParallelPair

    path = folder / "damaged.wbproj"
    with Project.create(path) as p:
        p.import_pairs([ParallelPair(f"s{i}", f"t{i}") for i in range(50)], name="d")
    data = bytearray(path.read_bytes())
    data[2 * 4096 : 2 * 4096 + 200] = b"\xff" * 200
    path.write_bytes(bytes(data))
    return path


def _other_database(folder: Path) -> Path:
    path = folder / "other.wbproj"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


PROJECTS: dict[str, Bad] = {
    "missing": Bad(_missing("absent.wbproj"), "no such project"),
    "folder": Bad(_folder("adir.wbproj"), "is a directory"),
    "empty": Bad(_file("empty.wbproj", b""), "not a workbench project"),
    "text": Bad(_file("text.wbproj", GOOD_SOURCE.encode()), "not a workbench project"),
    "other-database": Bad(_other_database, "another application"),
    "damaged": Bad(_damaged_project, "damaged project file"),
    "dev-zero": Bad(_dev_zero, "not a regular file"),
    "fifo": Bad(_fifo("fifo.wbproj"), "not a regular file"),
}


GOOD_NAMES = {
    "src": "good.de",
    "tgt": "good.fr",
    "mt": "good.mt.fr",
    "short": "short.mt.fr",
    "tsv": "good.tsv",
    "gold": "good.align",
    "manifest": "manifest.tsv",
    "project": "good.wbproj",
}


@pytest.fixture(scope="module")
def good_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The good files, made once and copied into each case's folder."""
    folder = tmp_path_factory.mktemp("good")
    _make_good_files(folder)
    return folder


def _good_files(folder: Path, template: Path) -> dict[str, Path]:
    for name in template.iterdir():
        shutil.copy2(name, folder / name.name)
    return {key: folder / name for key, name in GOOD_NAMES.items()}


def _make_good_files(folder: Path) -> dict[str, Path]:
    from workbench import Project
    from workbench.corpus import ParallelPair

    files = {
        "src": folder / "good.de",
        "tgt": folder / "good.fr",
        "mt": folder / "good.mt.fr",
        "short": folder / "short.mt.fr",
        "tsv": folder / "good.tsv",
        "gold": folder / "good.align",
        "manifest": folder / "manifest.tsv",
        "project": folder / "good.wbproj",
    }
    files["src"].write_text(GOOD_SOURCE, encoding="utf-8")
    files["tgt"].write_text(GOOD_TARGET, encoding="utf-8")
    files["mt"].write_text(GOOD_TARGET, encoding="utf-8")
    files["short"].write_text("Le chien aboie.\n", encoding="utf-8")
    files["tsv"].write_text("Der Hund.\tLe chien.\nDie Katze.\tLe chat.\n", encoding="utf-8")
    files["gold"].write_text("[0]:[0]\n[1]:[1]\n[2]:[2]\n", encoding="utf-8")
    with Project.create(files["project"]) as p:
        p.import_pairs(
            [ParallelPair("Der Hund.", "Le chien."), ParallelPair("Die Katze.", "Le chat.")],
            name="d",
            status="accepted",
        )
    return files


# Every command that reads files, with its file slots. ``{bad}`` is the bad file, ``{out}`` an
# output path that must not be created, other names are good files. Kind: which table applies.
COMMANDS: dict[str, tuple[str, list[str]]] = {
    "align source": ("doc", ["align", "{bad}", "{tgt}", "-o", "{out}"]),
    "align target": ("doc", ["align", "{src}", "{bad}", "-o", "{out}"]),
    "align --mt": ("doc", ["align", "{src}", "{tgt}", "--mt", "{bad}", "-o", "{out}"]),
    "translate": ("doc", ["translate", "{bad}", "--model", "{mt}", "-o", "{out}"]),
    "translate --model file": ("doc", ["translate", "{src}", "--model", "{bad}", "-o", "{out}"]),
    "score": ("doc", ["score", "{src}", "{bad}"]),
    "split": ("doc", ["split", "{bad}", "--lang", "de", "-o", "{out}"]),
    "eval --gold": ("doc", ["eval", "--gold", "{bad}", "--test", "{gold}"]),
    "convert": ("doc", ["convert", "{bad}", "{out}.jsonl", "--from", "tsv"]),
    "embed train": ("doc", ["embed", "train", "--pairs", "{src}", "{bad}", "-o", "{out}.kv"]),
    "batch manifest": ("doc", ["batch", "{bad}", "-o", "{out}.tsv"]),
    "project add source": ("doc", ["project", "add", "{project}", "{bad}", "{tgt}"]),
    "project add --mt": ("doc", ["project", "add", "{project}", "{src}", "{tgt}", "--mt", "{bad}"]),
    "project import": ("doc", ["project", "import", "{project}", "{bad}", "--format", "tsv"]),
    "project add (project)": ("project", ["project", "add", "{bad}", "{src}", "{tgt}"]),
    "project import (project)": ("project", ["project", "import", "{bad}", "{tsv}"]),
    "project export": ("project", ["project", "export", "{bad}", "{out}.tsv"]),
    "project stats": ("project", ["project", "stats", "{bad}"]),
    "project audit": ("project", ["project", "audit", "{bad}", "--csv", "{out}.csv"]),
    "project align": ("project", ["project", "align", "{bad}"]),
    "realign": ("project", ["realign", "{bad}", "--doc", "1"]),
    "sample": ("project", ["sample", "{bad}", "--size", "1"]),
    "report": ("project", ["report", "{bad}", "--no-compute"]),
    "gui --screenshot": ("project", ["gui", "{bad}", "--screenshot", "{out}.png"]),
}

# Line-count mismatches: the translation has one line, the source three.
MISMATCHED: dict[str, list[str]] = {
    "align --mt": ["align", "{src}", "{tgt}", "--mt", "{short}", "-o", "{out}"],
    # Self-training pairs source and MT lines before the aligner runs (it used to crash there).
    "align --mt --scorer ableu": [
        *("align", "{src}", "{tgt}", "--mt", "{short}", "--scorer", "ableu", "-o", "{out}"),
    ],
    "align --mt-reverse --scorer ableu": [
        *("align", "{src}", "{tgt}", "--mt-reverse", "{short}", "--scorer", "ableu", "-o", "{out}"),
    ],
    "project add --mt": ["project", "add", "{project}", "{src}", "{tgt}", "--mt", "{short}"],
    "translate --model file": ["translate", "{src}", "--model", "{short}", "-o", "{out}"],
    "score": ["score", "{src}", "{short}"],
    "embed train": ["embed", "train", "--pairs", "{src}", "{short}", "-o", "{out}.kv"],
}


def _hashes(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif not path.is_dir():
            out[str(path.relative_to(folder))] = "special"
    return out


def _run_subprocess(argv: list[str], folder: Path, capsys: object) -> tuple[int, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "workbench", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    return done.returncode, done.stderr


def _run_in_process(argv: list[str], folder: Path, capsys: object) -> tuple[int, str]:
    from workbench.cli import main

    capsys.readouterr()  # type: ignore[attr-defined]
    code = main(argv)
    return code, capsys.readouterr().err  # type: ignore[attr-defined]


Runner = Callable[[list[str], Path, object], tuple[int, str]]


def check_refused(
    template: list[str],
    bad: Bad | None,
    folder: Path,
    problem: str,
    run: Runner,
    capsys: object,
    good: Path,
) -> None:
    files = _good_files(folder, good)
    path = bad.make(folder) if bad is not None else files["short"]
    names = {k: str(v) for k, v in files.items()} | {"bad": str(path), "out": str(folder / "o")}
    argv = [part.format(**names) for part in template]
    before = _hashes(folder)
    code, stderr = run(argv, folder, capsys)
    err = stderr.strip()
    assert code == 2, (argv, code, stderr)
    assert "Traceback" not in stderr, stderr
    assert len(err.split("\n")) == 1, f"not one line: {err!r}"
    assert err.startswith("workbench: error: "), err
    assert path.name in err, f"the file is not named: {err!r}"
    assert re.search(problem, err), f"{problem!r} not in {err!r}"
    assert _hashes(folder) == before, "a file was changed or created"


def _table(command: str) -> dict[str, Bad]:
    return PROJECTS if COMMANDS[command][0] == "project" else DOCUMENTS


ALL = [(c, b) for c in COMMANDS for b in _table(c)]

# In a subprocess by default: every bad input once, each through a different command.
SUBPROCESS = [
    ("align source", "missing"),
    ("align --mt", "folder"),
    ("translate", "empty"),
    ("translate --model file", "blank-lines"),
    ("convert", "binary"),
    ("split", "latin-1"),
    ("project import", "utf-16-no-bom"),
    ("align target", "dev-zero"),
    ("project add source", "fifo"),
    ("project stats", "missing"),
    ("project export", "folder"),
    ("project audit", "empty"),
    ("project add (project)", "text"),
    ("project import (project)", "other-database"),
    ("gui --screenshot", "damaged"),
    ("sample", "dev-zero"),
    ("project align", "fifo"),
]
# Where a slot reads a bad input its own way, the problem it names.
OVERRIDES: dict[tuple[str, str], str] = {
    ("translate --model file", "folder"): "not a CTranslate2 model",  # a folder is a model
    ("project import", "blank-lines"): "columns, expected 2",  # a TSV line without a tab
    ("convert", "blank-lines"): "columns, expected 2",
}
MISMATCH_PROBLEM = r"\b1 (translation )?lines?\b|has 1\b|1 sentences"


def test_the_tables_cover_every_bad_input():
    assert {b for c, b in SUBPROCESS if COMMANDS[c][0] == "doc"} == set(DOCUMENTS)
    assert {b for c, b in SUBPROCESS if COMMANDS[c][0] == "project"} == set(PROJECTS)


@pytest.mark.parametrize(("command", "bad"), SUBPROCESS, ids=[f"{c}-{b}" for c, b in SUBPROCESS])
def test_bad_input_is_refused_by_the_installed_command(
    tmp_path, capsys, good_template, command, bad
):
    table = _table(command)
    problem = OVERRIDES.get((command, bad), table[bad].problem)
    check_refused(
        COMMANDS[command][1], table[bad], tmp_path, problem, _run_subprocess, capsys, good_template
    )


def test_mismatched_translation_is_refused_by_the_installed_command(
    tmp_path, capsys, good_template
):
    check_refused(
        MISMATCHED["align --mt"],
        None,
        tmp_path,
        MISMATCH_PROBLEM,
        _run_subprocess,
        capsys,
        good_template,
    )


@pytest.mark.parametrize(("command", "bad"), ALL, ids=[f"{c}-{b}" for c, b in ALL])
def test_every_command_refuses_every_bad_input(tmp_path, capsys, good_template, command, bad):
    """The whole table in this process (the same checks, without a start-up per case)."""
    table = _table(command)
    problem = OVERRIDES.get((command, bad), table[bad].problem)
    check_refused(
        COMMANDS[command][1], table[bad], tmp_path, problem, _run_in_process, capsys, good_template
    )


@pytest.mark.parametrize("command", sorted(MISMATCHED))
def test_every_mismatched_translation_is_refused(tmp_path, capsys, good_template, command):
    check_refused(
        MISMATCHED[command],
        None,
        tmp_path,
        MISMATCH_PROBLEM,
        _run_in_process,
        capsys,
        good_template,
    )


@pytest.mark.slow
@pytest.mark.parametrize(("command", "bad"), ALL, ids=[f"{c}-{b}" for c, b in ALL])
def test_every_bad_input_through_every_installed_command(
    tmp_path, capsys, good_template, command, bad
):
    table = _table(command)
    problem = OVERRIDES.get((command, bad), table[bad].problem)
    check_refused(
        COMMANDS[command][1], table[bad], tmp_path, problem, _run_subprocess, capsys, good_template
    )
