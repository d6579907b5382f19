"""From what the aligner knows of a unit to the probability that it is exactly right.

A unit's bead posterior (:mod:`workbench.align.posterior`) is the lattice's own belief, and
the lattice is sure of many wrong units: most of the aligner's mistakes on textberg-dev are
pieces of a true 2–2 or 2–3 unit, where a clause moved across a sentence boundary (“…, 250
Höhenmeter erforderten zwei Tage.” / “Il fallut deux jours pour gravir 250 m. Six heures…”).
Each piece scores well on its own and every method agrees on it. What gives it away is the
words: some of the unit's words are missing from its other side and found instead in the
neighbouring unit's other side (here “250”, “deux”, “jours”). :func:`unit_features` counts
such *leaked* words (word stems, from the translation when there is one, else the source
itself: names and numbers) next to the posteriors of the unit and its neighbours; and the
sentence boundaries at the unit's edges that look like a wrong split (an abbreviation's full
stop, a colon, a continuation in lowercase: "Leiter Ch ." / "Evans , …"). A logistic map
fitted once (``benchmarks/confidence.py --fit``, which writes
:mod:`workbench.align.calibration_coefficients`) turns them into a confidence. One map per
scorer family (BLEU, ABLEU) and per setting (with a translation, without). No gold is read
here: the maps are fixed constants, fitted on other documents.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

from workbench.align import calibration_coefficients as C

Ids = tuple[int, ...]
Sides = tuple[frozenset[str], frozenset[str]]

# benchmarks/confidence.py sets this to a list to collect every unit's (features, deletion).
FEATURE_LOG: list[tuple[list[float], bool]] | None = None

FEATURES = (
    "posterior log-odds",
    "previous pair's posterior log-odds (5 when the neighbour is no pair)",
    "next pair's posterior log-odds (5 when the neighbour is no pair)",
    "largest unaligned posterior of an adjacent sentence",
    "source sentences",
    "target sentences",
    "leaked words (to adjacent pairs)",
    "leaked words / the unit's words",
    "leaked words (to adjacent unaligned sentences)",
    "log((leaked + 0.5) / (shared + 1))",
    "unmatched words / all words",
    "the unit's score (0 when none)",
    "the article's mean pair score",
    "log(1 + the unit's words), short fragments being often pieces of larger units",
    "weak sentence boundaries at the unit's edges (see boundary_weakness)",
    "numbers on one side only / numbers on either side (original texts)",
    "numbers leaked to adjacent units (original texts)",
    "word stems leaked to adjacent units, original texts (names, numbers, cognates)",
    "the adjacent pairs' largest share of numbers on one side only",
    "posterior log-odds, capped at 3",
    "|source − target sentences|, missed sentence breaks counted (see inner_breaks)",
)

# The features the shipped maps weigh (indices into FEATURES); the others get weight 0. Chosen
# by fitting on one half of textberg-dev and testing on the other (both ways, BLEU): the
# neighbours' posteriors, the raw leaked-word counts, the unmatched share and the article's
# mean score fitted the half they were fitted on and cost AUC and bulk share on the other
# (docs/confidence.md, "Held out").
# The last six (third round, 2026-11-29) are read in the original texts, which a poor
# translation cannot blur: numbers, names and cognates that one side of the unit has and its
# other side lacks (bibliography fragments: "1956 ) , p.310-329 ." / "1956 , p. 310-329 ) ."),
# the same found in a neighbouring unit's other side or lacking there, and sentence counts that
# differ once the sentence breaks the splitter missed are counted ("… gravir 250 m. Six heures
# …"); the capped log-odds give an unsure posterior (0.7 rather than 0.999) more weight than
# the saturated ones alone. Together they raised the held-out AUC and bulk share
# (docs/confidence.md, "Third round").
SELECTED = (0, 3, 4, 5, 7, 9, 11, 13, 14, 15, 16, 17, 18, 19, 20)

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")
# A sentence end the splitter missed: final punctuation, a space, a capitalised word
# ("… 6900 m. Il s' agit …"); not initials ("A. J.M.Smyth", "L. S.").
_INNER_BREAK = re.compile(r"[.!?]\s+[A-ZÀ-ÖØ-Ý][a-zà-öø-ÿ]")
_NO_PAIR = 5.0
# A sentence that ends like one: final punctuation, possibly followed by closing quotes or
# brackets.
_FINAL = re.compile(r"[.!?。…\"»”’')\]]\s*$")
# …or seems to: a final full stop after a short word of letters ("Ch .", "Nov .", "ca."), an
# abbreviation the sentence splitter took for a sentence end.
_ABBREVIATION = re.compile(r"(?:^|[\s(])[^\W\d_]{1,3}\s*\.\s*$")
_CONTINUATION = ",;:)»-"


def boundary_weakness(before: str, after: str) -> int:
    """How much the boundary between two consecutive sentences looks like a wrong split (0–2):
    one point when ``before`` does not end like a sentence (no final punctuation, a colon or
    comma, an abbreviation's full stop), one when ``after`` starts like a continuation (a
    lowercase letter, a comma, a closing bracket). Most confident mistakes on textberg-dev are
    pieces of a larger true unit split there ("Leiter Ch ." / "Evans , …")."""
    b, a = before.strip(), after.strip()
    weak = 0
    if not _FINAL.search(b) or b.endswith((":", ",", ";", "-")) or _ABBREVIATION.search(b):
        weak += 1
    if a[:1].islower() or (a[:1] and a[:1] in _CONTINUATION):
        weak += 1
    return weak


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def stems(text: str) -> frozenset[str]:
    """Word stems that can tie a sentence to its translation: the first five letters of
    words of four letters or more, and numbers."""
    return frozenset(w[:5] for w in _WORD.findall(text.lower()) if len(w) >= 4 or w.isdigit())


class UnitTexts:
    """An article's two sides as the calibration compares them: ``source`` in the target's
    language where a translation exists (else the source itself), and ``target``; the
    sentence boundaries are read in ``original_source`` / ``original_target`` where given (the
    texts as they are, not their translations), else in ``source`` / ``target``."""

    def __init__(
        self,
        source: Sequence[str],
        target: Sequence[str],
        original_source: Sequence[str] | None = None,
        original_target: Sequence[str] | None = None,
    ):
        self.source = [stems(s) for s in source]
        self.target = [stems(t) for t in target]
        orig_s, orig_t = original_source or source, original_target or target
        self.weak_source = _weak_boundaries(orig_s)
        self.weak_target = _weak_boundaries(orig_t)
        # The original texts: their stems (the translation's where there is none), numbers
        # and missed sentence breaks.
        self.orig_source = self.source if original_source is None else [stems(x) for x in orig_s]
        self.orig_target = self.target if original_target is None else [stems(x) for x in orig_t]
        self.numbers_source = [frozenset(_NUMBER.findall(x)) for x in orig_s]
        self.numbers_target = [frozenset(_NUMBER.findall(x)) for x in orig_t]
        self.breaks_source = [inner_breaks(x) for x in orig_s]
        self.breaks_target = [inner_breaks(x) for x in orig_t]
        self._units: dict[tuple[Ids, Ids], tuple[Sides, Sides, Sides]] = {}

    def unit(self, src: Ids, tgt: Ids) -> tuple[Sides, Sides, Sides]:
        """(stems as compared, stems of the original texts, numbers) of the unit's two sides,
        computed once per unit (each unit is also its neighbours' neighbour)."""
        key = (src, tgt)
        found = self._units.get(key)
        if found is None:
            sides = self.sides(src, tgt)
            same = self.orig_source is self.source and self.orig_target is self.target
            original = sides if same else self.original_sides(src, tgt)
            found = self._units[key] = (sides, original, self.numbers(src, tgt))
        return found

    def weakness(self, src: Ids, tgt: Ids) -> float:
        """The weakness of the boundaries at the unit's edges, both sides (0–8)."""
        total = 0
        for ids, weak in ((src, self.weak_source), (tgt, self.weak_target)):
            if ids:
                total += weak[ids[0]] + weak[ids[-1] + 1]
        return float(total)

    def sides(self, src: Ids, tgt: Ids) -> tuple[frozenset[str], frozenset[str]]:
        s = frozenset().union(*(self.source[i] for i in src))
        t = frozenset().union(*(self.target[j] for j in tgt))
        return s, t

    def original_sides(self, src: Ids, tgt: Ids) -> tuple[frozenset[str], frozenset[str]]:
        """The unit's stems in the original texts (source language / target language)."""
        s = frozenset().union(*(self.orig_source[i] for i in src))
        t = frozenset().union(*(self.orig_target[j] for j in tgt))
        return s, t

    def numbers(self, src: Ids, tgt: Ids) -> tuple[frozenset[str], frozenset[str]]:
        """The numbers of the unit's two sides (original texts)."""
        s = frozenset().union(*(self.numbers_source[i] for i in src))
        t = frozenset().union(*(self.numbers_target[j] for j in tgt))
        return s, t

    def number_share(self, src: Ids, tgt: Ids) -> float:
        """The share of the unit's numbers found on one side only (0 without numbers)."""
        return _one_side_share(self.unit(src, tgt)[2])

    def sentence_difference(self, src: Ids, tgt: Ids) -> float:
        """|source sentences − target sentences|, each sentence counted with the sentence
        breaks the splitter missed in it."""
        s = len(src) + sum(self.breaks_source[i] for i in src)
        t = len(tgt) + sum(self.breaks_target[j] for j in tgt)
        return float(abs(s - t))


def _one_side_share(numbers: Sides) -> float:
    s, t = numbers
    return len(s ^ t) / max(1, len(s | t))


def inner_breaks(sentence: str) -> int:
    """Sentence ends inside ``sentence`` that the splitter missed (final punctuation, a space,
    a capitalised word: "… 6900 m. Il s' agit …"); its own final punctuation not counted."""
    return len(_INNER_BREAK.findall(sentence.strip()[:-1]))


def leaked(unit: Sides, neighbour: Sides) -> int:
    """Items (stems, numbers) of one side of ``unit`` missing from its other side and found on
    the other side of ``neighbour`` (and not on the neighbour's own same side)."""
    (us, ut), (vs, vt) = unit, neighbour
    return len((us - ut) & (vt - vs)) + len((ut - us) & (vs - vt))


def _weak_boundaries(sentences: Sequence[str]) -> list[int]:
    """``out[i]``: the weakness of the boundary before sentence ``i`` (0 at either end)."""
    inner = [boundary_weakness(a, b) for a, b in itertools.pairwise(sentences)]
    return [0, *inner, 0]


def calibration_key(scorer: object, translated: bool) -> str:
    """Which fitted map a unit gets: ``ableu-mt``, ``ableu-nomt``, ``bleu-mt``,
    ``bleu-nomt`` (any other scorer gets BLEU's)."""
    family = "ableu" if "ableu" in type(scorer).__name__.lower() else "bleu"
    return f"{family}-{'mt' if translated else 'nomt'}"


def unit_features(
    units: Sequence[tuple[Ids, Ids, float | None, float]],
    k: int,
    adjacent_unaligned: float,
    texts: UnitTexts | None,
    mean_score: float,
) -> list[float]:
    """The features (:data:`FEATURES`) of pair ``units[k]``; ``units`` are (source ids,
    target ids, score, posterior) in document order, 1–0/0–1 units included."""
    s, t, score, posterior = units[k]

    def neighbour(x: int) -> float:
        if 0 <= x < len(units) and units[x][0] and units[x][1]:
            return _logit(units[x][3])
        return _NO_PAIR

    leak = leak_unaligned = shared = unmatched = weakness = 0.0
    number_share = number_leak = original_leak = neighbour_numbers = sentences = 0.0
    size = 1
    if texts is not None:
        weakness = texts.weakness(s, t)
        (ms, tt), original, numbers = texts.unit(s, t)
        for x in (k - 1, k + 1):
            if not 0 <= x < len(units):
                continue
            xs, xt = units[x][0], units[x][1]
            x_sides, x_original, x_numbers = texts.unit(xs, xt)
            found = leaked((ms, tt), x_sides)
            number_leak += leaked(numbers, x_numbers)
            original_leak += leaked(original, x_original)
            if xs and xt:
                leak += found
                neighbour_numbers = max(neighbour_numbers, _one_side_share(x_numbers))
            else:
                leak_unaligned += found
        shared = len(ms & tt)
        size = max(1, len(ms) + len(tt))
        unmatched = len(ms ^ tt) / max(1, len(ms | tt))
        number_share = _one_side_share(numbers)
        sentences = texts.sentence_difference(s, t)
    log_odds = _logit(posterior)
    return [
        log_odds,
        neighbour(k - 1),
        neighbour(k + 1),
        adjacent_unaligned,
        float(len(s)),
        float(len(t)),
        leak,
        leak / size,
        leak_unaligned,
        math.log((leak + leak_unaligned + 0.5) / (shared + 1)),
        unmatched,
        score or 0.0,
        mean_score,
        math.log1p(size if texts is not None else 0.0),
        weakness,
        number_share,
        number_leak,
        original_leak,
        neighbour_numbers,
        min(log_odds, 3.0),
        sentences,
    ]


def confidence(features: list[float], key: str) -> float:
    """The fitted logistic map ``key`` (see :func:`calibration_key`) of a pair's features."""
    if FEATURE_LOG is not None:
        FEATURE_LOG.append((list(features), False))
    coef = C.COEFFICIENTS.get(key) or C.COEFFICIENTS["bleu-mt"]
    z = coef[0] + sum(c * f for c, f in zip(coef[1:], features, strict=True))
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def deletion_confidence(posterior: float) -> float:
    """A 1–0/0–1 unit: the lattice's posterior that the sentence is unaligned, as it is (too
    few gold deletions in the fitting documents to fit a map on)."""
    if FEATURE_LOG is not None:
        FEATURE_LOG.append(([posterior], True))
    return float(min(max(posterior, 0.0), 1.0))
