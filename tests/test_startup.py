"""Start-up structure (issue 19): the command line imports heavy packages only when a command
needs them, and the built-in 13a tokenizer equals sacrebleu's. Speed itself is measured in
benchmarks/bench_speed.py, not asserted here."""

from __future__ import annotations

import json
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
