"""The chrF scorer plugin (plugins/workbench-chrf): parity with sacrebleu, CLI use, discovery."""

from __future__ import annotations

import importlib.util
import random

import numpy as np
import pytest

from workbench import plugins
from workbench.cli import main

if importlib.util.find_spec("workbench_chrf") is None:
    pytest.skip(
        "the chrF plugin is not installed: pip install -e plugins/workbench-chrf",
        allow_module_level=True,
    )

from sacrebleu.metrics import CHRF

from workbench.scoring import make_scorer

WORDS = [
    "the",
    "cat",
    "sat",
    "on",
    "mat",
    "a",
    "big",
    "red",
    "house",
    "tree",
    ",",
    ".",
    "Hund",
    "Katze",
    "über",
    "Straße",
]


def sentences(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 9))) for _ in range(n)]


def test_chrf_is_discovered_from_its_distribution():
    found = plugins.discover(refresh=True)
    chrf = [p for p in found.plugins if p.name == "chrf"]
    assert chrf and chrf[0].group == "scorers" and chrf[0].distribution == "workbench-chrf"


@pytest.mark.parametrize("lowercase", [False, True])
def test_matrix_and_pair_scores_equal_sacrebleu_sentence_chrf(lowercase):
    scorer = make_scorer("chrf", lowercase=lowercase)
    cands, refs = sentences(1, 25), sentences(2, 20)
    reference = CHRF(lowercase=lowercase)
    expected = np.array(
        [[reference.sentence_score(c, [r]).score / 100 for r in refs] for c in cands]
    )
    a, b = scorer.prepare(cands), scorer.prepare(refs)
    assert np.allclose(scorer.matrix(a, b, symmetric=False), expected, atol=1e-12)
    grid = np.array([[i, j] for i in range(len(cands)) for j in range(len(refs))])
    assert np.allclose(
        scorer.pair_scores(a, b, grid, symmetric=False), expected.ravel(), atol=1e-12
    )
    symmetric = scorer.matrix(a, b)
    assert np.allclose(symmetric, scorer.pair_scores(a, b, grid).reshape(symmetric.shape))
    assert scorer.sentence_score(cands[3], [refs[3]]) == pytest.approx(expected[3, 3])


def test_chrf_in_score_and_align_commands(tmp_path, capsys):
    src = ["Der Hund schläft.", "Die Katze sitzt auf der Matte.", "Es regnet heute stark."]
    mt = ["The dog sleeps.", "The cat sits on the mat.", "It rains heavily today."]
    tgt = ["The dog is sleeping.", "Today it is raining heavily.", "A cat sits on the mat."]
    tgt = [tgt[0], tgt[2], tgt[1]]
    for name, lines in {"src": src, "mt": mt, "tgt": tgt}.items():
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["score", str(tmp_path / "mt"), str(tmp_path / "tgt"), "--scorer", "chrf"]) == 0
    scores = [float(x) for x in capsys.readouterr().out.split()]
    assert len(scores) == 3 and all(0 < s <= 1 for s in scores)
    out = tmp_path / "out.ids"
    args = ["align", str(tmp_path / "src"), str(tmp_path / "tgt"), "--mt", str(tmp_path / "mt")]
    assert main([*args, "--scorer", "chrf", "-o", str(out)]) == 0
    assert out.read_text().split("\n")[:3] == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
