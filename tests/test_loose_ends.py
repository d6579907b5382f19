"""Issue 17's loose ends: unused code gone, sacrebleu through its public API, a quick loop."""

from __future__ import annotations

import inspect

import pytest

from workbench.errors import WorkbenchError


def test_unused_code_is_gone():
    from workbench.align.evaluate import Scores
    from workbench.corpus.pair import ParallelPair
    from workbench.embeddings import neighbourhood
    from workbench.plugins import Plugin
    from workbench.project.model import ProjectStats
    from workbench.scoring import registry
    from workbench.scoring.base import Scorer
    from workbench.textio import Document

    gone = [
        (Scorer, "words_of"),
        (registry, "register_scorer"),
        (neighbourhood, "vectors_of"),
        (Document, "article_sentences"),
        (ParallelPair, "has_metadata"),
        (ProjectStats, "target_yield"),
        (Plugin, "builtin"),
        (Scores, "as_dict"),
    ]
    assert [name for owner, name in gone if hasattr(owner, name)] == []


def test_tokenizers_come_from_sacrebleus_public_api():
    from workbench.scoring import tokenize

    assert "import _TOKENIZERS" not in inspect.getsource(tokenize)
    assert {"13a", "intl", "char", "none", "zh"} <= set(tokenize.tokenizer_names())
    assert tokenize.get_tokenizer("13a", lowercase=True)("Hello, World!") == [
        "hello",
        ",",
        "world",
        "!",
    ]
    with pytest.raises(WorkbenchError, match="unknown tokenizer 'nope'"):
        tokenize.get_tokenizer("nope")


def test_tests_on_the_benchmark_data_are_left_out_of_the_quick_loop():
    import subprocess
    import sys
    from pathlib import Path

    tests = Path(__file__).parent
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--collect-only",
            "-m",
            "not slow",
            "-p",
            "no:cacheprovider",
            str(tests / "test_selftrain.py"),
        ],
        capture_output=True,
        text=True,
        cwd=tests.parent,
        check=True,
    ).stdout
    assert "test_self_training_is_reproducible_with_a_seed" in out
    assert "textberg" not in out and "test_default_ableu_align_reads_no_gold" not in out
