"""The calibration's features read in the original texts (issue 14, third round): numbers on
one side only or leaked to a neighbour, word stems leaked in the original texts, sentence
breaks the splitter missed, the capped posterior log-odds."""

from __future__ import annotations

import math

import pytest

from workbench.align.calibration import (
    FEATURES,
    SELECTED,
    UnitTexts,
    confidence,
    inner_breaks,
    unit_features,
)

NUMBER_SHARE, NUMBER_LEAK, ORIGINAL_LEAK, NEIGHBOUR_NUMBERS, CAPPED, SENTENCES = range(15, 21)


def test_the_new_features_are_named_and_weighed() -> None:
    assert len(FEATURES) == 21
    assert "numbers" in FEATURES[NUMBER_SHARE] and "original" in FEATURES[ORIGINAL_LEAK]
    assert all(i in SELECTED for i in range(15, 21))


def test_numbers_on_one_side_and_numbers_leaked_to_a_neighbour() -> None:
    """A bibliography reference cut in the wrong place: "85" is missing from unit 0's target
    and found in unit 1's."""
    source = ["Expedition 1955 , Band 12 , S. 85", "Bericht 1956 ."]
    cut = ["Expédition 1955 , vol. 12", ", p. 85 . Rapport 1956 ."]
    rows = [((0,), (0,), 0.5, 0.999), ((1,), (1,), 0.5, 0.999)]
    first = unit_features(rows, 0, 0.0, UnitTexts(source, cut), 0.5)
    second = unit_features(rows, 1, 0.0, UnitTexts(source, cut), 0.5)
    assert first[NUMBER_SHARE] == pytest.approx(1 / 3)  # 85 of {1955, 12, 85}
    assert first[NUMBER_LEAK] == 1
    assert second[NUMBER_SHARE] == pytest.approx(1 / 2)  # 85 of {85, 1956}
    assert second[NEIGHBOUR_NUMBERS] == pytest.approx(1 / 3)
    whole = ["Expédition 1955 , vol. 12 , p. 85", "Rapport 1956 ."]
    clean = unit_features(rows, 0, 0.0, UnitTexts(source, whole), 0.5)
    assert clean[NUMBER_SHARE] == clean[NUMBER_LEAK] == clean[NEIGHBOUR_NUMBERS] == 0


def test_numbers_are_read_in_the_original_source_not_in_its_translation() -> None:
    mt = ["Expedition 1955 , volume 12", "report"]
    target = ["Expédition 1955 , vol. 12", "Rapport 1956 ."]
    original = ["Expedition 1955 , Band 12", "Bericht 1956 ."]
    rows = [((0,), (0,), 0.5, 0.999), ((1,), (1,), 0.5, 0.999)]
    assert unit_features(rows, 1, 0.0, UnitTexts(mt, target), 0.5)[NUMBER_SHARE] == 1.0
    texts = UnitTexts(mt, target, original_source=original)
    assert unit_features(rows, 1, 0.0, texts, 0.5)[NUMBER_SHARE] == 0.0


def test_word_stems_leaked_in_the_original_texts() -> None:
    """The translation lost a name ("Kulti") that the original source has and the next unit's
    target has: the leak shows in the original texts only."""
    mt = ["the glacier was crossed", "then the ridge"]
    original = ["Der Kulti Gletscher wurde überquert", "dann der Grat"]
    target = ["le glacier fut traversé", "Kulti , puis l' arête"]
    rows = [((0,), (0,), 0.5, 0.999), ((1,), (1,), 0.5, 0.999)]
    with_original = UnitTexts(mt, target, original_source=original)
    assert unit_features(rows, 0, 0.0, with_original, 0.5)[ORIGINAL_LEAK] == 1
    assert unit_features(rows, 0, 0.0, UnitTexts(mt, target), 0.5)[ORIGINAL_LEAK] == 0


def test_missed_sentence_breaks_count_as_sentences() -> None:
    assert inner_breaks("Il fallut deux jours pour gravir 250 m. Six heures de marche .") == 1
    assert inner_breaks("A. J.M.Smyth ( voir Les Alpes , 1956 , p. 83 ) .") == 0
    assert inner_breaks("Traduit par L. S. )") == 0
    assert inner_breaks("Fin .") == 0
    texts = UnitTexts(["Zwei Tage .", "Sechs Stunden ."], ["Deux jours pour 250 m. Six heures ."])
    rows = [((0,), (0,), 0.5, 0.999)]
    assert unit_features(rows, 0, 0.0, texts, 0.5)[SENTENCES] == 1
    assert texts.sentence_difference((0, 1), (0,)) == 0


def test_the_capped_log_odds() -> None:
    texts = UnitTexts(["a b c ."], ["a b c ."])
    for posterior, capped in ((0.999, 3.0), (0.6, math.log(0.6 / 0.4))):
        f = unit_features([((0,), (0,), 0.5, posterior)], 0, 0.0, texts, 0.5)
        assert f[CAPPED] == pytest.approx(capped)


@pytest.mark.parametrize("key", ["bleu-mt", "ableu-mt", "bleu-nomt", "ableu-nomt"])
def test_numbers_that_disagree_lower_the_confidence(key: str) -> None:
    """The same pair, once with its page number on both sides and once with the page number
    cut off into the next unit: every shipped map trusts the second less."""
    source = ["Die Alpen 1956 , Seite 310 .", "Bericht 1957 ."]
    rows = [((0,), (0,), 0.5, 0.999), ((1,), (1,), 0.5, 0.999)]
    whole = UnitTexts(source, ["Les Alpes 1956 , page 310 .", "Rapport 1957 ."])
    cut = UnitTexts(source, ["Les Alpes 1956 , page", "310 . Rapport 1957 ."])
    a = confidence(unit_features(rows, 0, 0.0, whole, 0.5), key)
    b = confidence(unit_features(rows, 0, 0.0, cut, 0.5), key)
    assert b < a - 0.05
