"""Per-unit confidence: forward–backward posteriors over the dp lattice, calibrated; its
metrics (AUC, calibration error, bulk-acceptable share) and the CLI contract (JSONL)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from workbench.align import Aligner, AlignerOptions, make_scorer
from workbench.align.banded_dp import build_lattice, viterbi
from workbench.align.evaluate import (
    auc,
    bulk_acceptable,
    confidence_scores,
    expected_calibration_error,
)
from workbench.align.posterior import Posteriors
from workbench.cli import main
from workbench.textio import Document

WORDS = [
    "alpine",
    "club",
    "members",
    "crossed",
    "the",
    "glacier",
    "at",
    "dawn",
    "while",
    "clouds",
    "gathered",
    "over",
    "the",
    "northern",
    "ridge",
    "and",
    "the",
    "guide",
    "counted",
    "ropes",
    "axes",
    "tents",
    "stoves",
    "maps",
    "lamps",
    "boots",
    "gloves",
    "hats",
    "food",
    "water",
    "fuel",
    "radios",
    "batteries",
    "flags",
    "poles",
    "pegs",
    "sacks",
    "knives",
    "spoons",
    "cups",
    "plates",
    "pans",
]


def _sentences(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n):
        words = rng.choice(WORDS, size=int(rng.integers(6, 14))).tolist()
        out.append(" ".join(words) + f" {k} .")
    return out


def test_posteriors_cover_every_sentence_once() -> None:
    """Forward–backward is exact: on every path each source sentence is in one bead, so the
    posteriors of all beads covering a sentence sum to 1."""
    src = _sentences(14)
    tgt = src[:5] + src[6:] + _sentences(2, seed=5)
    lat = build_lattice(make_scorer("bleu"), src, tgt, weight=8.0, band=6, max_merge=3)
    post = Posteriors(lat, temperature=2.0)
    cover = np.zeros(lat.n)
    for (di, dj), w in post.logw.items():
        if not di:
            continue
        for i in range(di, lat.n + 1):
            for j in range(max(lat.lo[i], dj), lat.hi[i] + 1):
                start, end = lat.cell(i - di, j - dj), lat.cell(i, j)
                if start >= 0 and end >= 0:
                    cover[i - di : i] += math.exp(
                        post.alpha[start] + w[end] + post.beta[end] - post.log_z
                    )
    assert np.allclose(cover, 1.0)
    path = viterbi(lat)
    assert all(0.0 <= post.bead(s, t) <= 1.0 for s, t, _ in path)


@pytest.mark.parametrize("method", ["dp", "bleualign"])
@pytest.mark.parametrize("with_mt", [True, False])
def test_every_unit_has_a_confidence_in_unit_interval(method: str, with_mt: bool) -> None:
    src = _sentences(20)
    tgt = src[:8] + _sentences(3, seed=9) + src[10:]  # two dropped, three foreign
    source, target = Document(src), Document(tgt)
    mt = [Document(src)] if with_mt else []
    units = Aligner(make_scorer("bleu"), AlignerOptions(method=method)).align(source, target, mt)
    assert any(not u.is_deletion for u in units)
    if method == "dp":
        assert any(u.is_deletion for u in units)
    for unit in units:
        assert unit.confidence is not None and 0.0 <= unit.confidence <= 1.0


def test_ableu_units_have_confidences() -> None:
    from workbench.align.selftrain import SelfTrainingOptions, self_trained_align

    src = _sentences(30)
    tgt = src[:10] + src[11:]
    units, _ = self_trained_align(
        Document(src),
        Document(tgt),
        [Document(src)],
        options=SelfTrainingOptions(epochs=2, vector_size=8),
    )
    assert all(u.confidence is not None and 0.0 <= u.confidence <= 1.0 for u in units)


def test_identical_text_is_confident_and_a_swapped_pair_is_not() -> None:
    src = _sentences(16)
    tgt = list(src)
    tgt[7], tgt[8] = tgt[8], tgt[7]  # a swapped pair: no monotone alignment is right there
    units = Aligner(make_scorer("bleu"), AlignerOptions()).align(
        Document(src), Document(tgt), [Document(src)]
    )
    by_source = {i: u for u in units for i in u.source}
    assert by_source[2].key == ((2,), (2,)) and by_source[2].confidence > 0.9
    assert by_source[13].key == ((13,), (13,)) and by_source[13].confidence > 0.9
    # The aligner joins the swapped sentences into one 2–2 unit, which is right ...
    assert by_source[7].key == ((7, 8), (7, 8))
    # ... and pairing a sentence with its neighbour's translation gets a low confidence.
    lattice = build_lattice(make_scorer("bleu"), src, tgt, src, weight=30.0, max_merge=4)
    post = Posteriors(lattice)
    assert post.bead((7,), (7,)) < 0.1 and post.bead((8,), (8,)) < 0.1
    assert post.bead((7, 8), (7, 8)) > 0.8


def test_metrics_on_hand_made_rankings() -> None:
    assert auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert auc([0.5, 0.5], [True, False]) == 0.5
    assert expected_calibration_error([0.95] * 20, [True] * 19 + [False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.9] * 10, [False] * 10) == pytest.approx(0.9)
    conf = [0.99, 0.98, 0.97, 0.96, 0.5, 0.4]
    right = [True, True, True, True, False, True]
    assert bulk_acceptable(conf, right, 0.98) == pytest.approx(4 / 6)
    # A tie is accepted or refused as a block.
    assert bulk_acceptable([0.9, 0.9, 0.1], [True, False, True], 0.98) == 0.0
    scores = confidence_scores(
        [((0,), (0,)), ((1,), (1,))], [((0,), (0,)), ((1,), (2,))], [0.9, 0.1]
    )
    assert scores.auc == 1.0 and scores.units == 2


def test_align_jsonl_parses_and_eval_reports_confidence(tmp_path, capsys) -> None:
    src = _sentences(12)
    tgt = src[:4] + _sentences(1, seed=3) + src[4:]
    paths = {}
    for name, lines in (("src", src), ("tgt", tgt), ("mt", src)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = tmp_path / "gold.txt"
    gold.write_text(
        "\n".join(f"[{i}]:[{i if i < 4 else i + 1}]" for i in range(12)) + "\n[]:[4]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    args = ["align", str(paths["src"]), str(paths["tgt"]), "--mt", str(paths["mt"])]
    assert main([*args, "--format", "jsonl", "--deletions", "-o", str(out)]) == 0
    objs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(objs) == 13
    for obj in objs:
        assert set(obj) == {"source", "target", "score", "confidence"}
        assert 0.0 <= obj["confidence"] <= 1.0
        assert obj["score"] is None or isinstance(obj["score"], float)
    assert {"source": [], "target": [4]}.items() <= next(o for o in objs if not o["source"]).items()
    assert main(["eval", "--gold", str(gold), "--test", str(out)]) == 0
    text = capsys.readouterr().out
    assert "strict     1.0000" in text and "AUC" in text and ">=98%" in text
    assert main([*args, "--format", "tsv", "--with-confidence"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 12 and all(0 <= float(r.split("\t")[2]) <= 1 for r in rows)


def test_aligning_never_reads_a_gold_alignment(monkeypatch) -> None:
    """Calibration is fixed in the code, never fitted on the document's gold: aligning must
    not read any alignment file or call the evaluation."""
    import workbench.align.evaluate as ev
    import workbench.align.units as un

    def forbidden(*_a: object, **_k: object) -> None:
        raise AssertionError("the aligner read an alignment or scored against gold")

    for mod, name in ((un, "read_alignments"), (un, "read_scored_alignments")):
        monkeypatch.setattr(mod, name, forbidden)
    for name in ("evaluate", "evaluate_many", "confidence_scores", "strict_correct"):
        monkeypatch.setattr(ev, name, forbidden)
    src = _sentences(10)
    units = Aligner(make_scorer("bleu")).align(Document(src), Document(src), [Document(src)])
    assert all(u.confidence is not None for u in units)


def test_every_shipped_calibration_map_reads_every_feature() -> None:
    from workbench.align import calibration as K
    from workbench.align.calibration_coefficients import COEFFICIENTS

    assert set(COEFFICIENTS) == {"bleu-mt", "bleu-nomt", "ableu-mt", "ableu-nomt"}
    for coef in COEFFICIENTS.values():
        assert len(coef) == len(K.FEATURES) + 1
        assert all(math.isfinite(c) for c in coef)


def test_calibration_key_follows_scorer_and_translation() -> None:
    from workbench.align.calibration import calibration_key
    from workbench.scoring.ableu import AbleuScorer

    assert calibration_key(make_scorer("bleu"), True) == "bleu-mt"
    assert calibration_key(make_scorer("bleu"), False) == "bleu-nomt"
    assert calibration_key(AbleuScorer.__new__(AbleuScorer), True) == "ableu-mt"
    assert calibration_key(object(), False) == "bleu-nomt"


def test_words_leaked_to_a_neighbour_are_counted() -> None:
    """A clause that moved across a sentence boundary: unit 0's source ends with "250 metres
    took two days", which its own target lacks and unit 1's target has."""
    from workbench.align.calibration import UnitTexts, unit_features

    source = ["first ropes above crevasse cost hours, 250 metres took two days", "sixteen hours"]
    target = ["first ropes above crevasse cost hours", "250 metres took days, sixteen hours"]
    rows = [((0,), (0,), 0.5, 0.99), ((1,), (1,), 0.5, 0.99)]
    leaked = unit_features(rows, 0, 0.0, UnitTexts(source, target), 0.5)
    moved_back = [target[0], "250 metres took two days, sixteen hours"]
    clean = unit_features(rows, 0, 0.0, UnitTexts(moved_back, target), 0.5)
    assert leaked[6] == 4  # "250", "metre(s)", "took", "days" ("two" is too short)
    assert clean[6] == 0
    assert leaked[9] > clean[9]


def test_a_clause_moved_across_units_lowers_the_confidence() -> None:
    """Both pieces of a true 2–2 unit whose sentence boundary moved: the lattice is sure of
    the two 1–1 pieces, the leaked words make the confidence drop."""
    src = _sentences(12, seed=3)
    mid = src[5].split()
    moved = " ".join(mid[-4:])
    tgt = list(src)
    tgt[5] = " ".join(mid[:-4])
    tgt[6] = moved + " " + src[6]
    units = Aligner(make_scorer("bleu")).align(Document(src), Document(tgt), [Document(src)])
    by_source = {i: u for u in units for i in u.source}
    clean = Aligner(make_scorer("bleu")).align(Document(src), Document(src), [Document(src)])
    clean_by_source = {i: u for u in clean for i in u.source}
    assert by_source[5].key == ((5,), (5,)) and by_source[6].key == ((6,), (6,))
    assert by_source[5].confidence < clean_by_source[5].confidence - 0.05
    assert by_source[6].confidence < clean_by_source[6].confidence - 0.05


def test_weak_sentence_boundaries_are_scored() -> None:
    """A split at an abbreviation or a colon, or before a continuation, is weak; a boundary
    between two ordinary sentences is not."""
    from workbench.align.calibration import UnitTexts, boundary_weakness

    assert boundary_weakness("Der Berg ist hoch .", "Er ist steil .") == 0
    assert boundary_weakness("Ein Satz !", "« Noch einer » .") == 0
    assert boundary_weakness("7. Kangchendzönga , ca. 8597 m , Leiter Ch .", "Evans , Band .") == 1
    assert boundary_weakness("G.O.Dyhrenfurth :", "« Dämon Himalaya » ( Basel :") == 1
    assert boundary_weakness("Am 3. Juli kamen sie", "und legten Lager II an .") == 2
    assert boundary_weakness("Es war schön .", ", sagte er .") == 1
    # The boundaries are read in the original texts, not in a translation.
    mt = ["Nothing happened .", "Then nothing more ."]
    target = ["Rien ne bougeait .", "Puis plus rien ."]
    texts = UnitTexts(mt, target, original_source=["Nichts geschah", "dann nichts mehr ."])
    assert texts.weakness((0,), (0,)) == 2.0  # after "Nichts geschah": no full stop, lowercase
    assert texts.weakness((1,), (1,)) == 2.0
    assert UnitTexts(mt, target).weakness((0,), (0,)) == 0.0


def test_a_piece_split_at_an_abbreviation_gets_a_lower_confidence() -> None:
    """The same 1–1 pair, once between ordinary boundaries and once cut from its neighbour at
    an abbreviation's full stop ("… Leiter Ch ." / "Evans …"): the weak boundary lowers it."""
    from workbench.align.calibration import SELECTED, UnitTexts, confidence, unit_features

    assert 14 in SELECTED
    rows = [((0,), (0,), 0.5, 0.999), ((1,), (1,), 0.5, 0.999)]
    # The same second pair both times (same words, so only the boundaries before it differ).
    clean = UnitTexts(
        ["Leiter ist dabei .", "Evans , Band stieg auf"], ["Chef présent .", "Evans ; Band monta"]
    )
    split = UnitTexts(["Leiter Ch .", "Evans , Band stieg auf"], ["Chef Ch.", "Evans ; Band monta"])
    for key in ("bleu-mt", "ableu-mt", "bleu-nomt", "ableu-nomt"):
        a = confidence(unit_features(rows, 1, 0.0, clean, 0.5), key)
        b = confidence(unit_features(rows, 1, 0.0, split, 0.5), key)
        assert b < a
