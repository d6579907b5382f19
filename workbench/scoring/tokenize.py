"""Word tokenisation shared by the scorers and embedding training: sacrebleu's tokenizers.

``13a`` (the default) and ``none`` are implemented here, equal to sacrebleu's (tested), so that
aligning does not import sacrebleu (about a fifth of a second at start-up); the others are
sacrebleu's own, through its public API (``BLEU(tokenize=name).tokenizer``) when asked for.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Sequence

from workbench.errors import WorkbenchError

DEFAULT_TOKENIZER = "13a"

# sacrebleu's tokenizer names (its public ``sacrebleu.metrics.BLEU.TOKENIZERS``; listed here
# so that naming them does not import sacrebleu; a test keeps them equal).
TOKENIZERS: tuple[str, ...] = (
    "none",
    "zh",
    "13a",
    "intl",
    "char",
    "ja-mecab",
    "ko-mecab",
    "spm",
    "flores101",
    "flores200",
    "spBLEU-1K",
)

# mteval-v13a's rules as sacrebleu's Tokenizer13a / TokenizerRegexp apply them.
_RULES_13A = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
]
# The same rules, faster. The first matches single characters: a character class with a
# function for the replacement (the space, which it also surrounds with spaces, is left
# alone: the other rules see a space next to a character either way, and ``split`` drops the
# extra ones). The others visit only the points, commas and dashes (``_point_rules``,
# ``_digit_dash``): a regular expression that starts with ``[^0-9]`` tries every position,
# and Python 3.11 expands a template with groups by Python code per match.
# ``tests/test_startup.py`` checks the result against sacrebleu's and against ``_RULES_13A``
# on random strings.
_SPACED_13A = re.compile(r"[!-&(-+/:-@\[-`{-~]")


def _spaced(m: re.Match[str]) -> str:
    return f" {m[0]} "


_POINT = re.compile(r"[.,]")
_DIGITS = frozenset("0123456789")


def _point_rules(text: str) -> str:
    """The second and third 13a rules (``([^0-9])([.,])`` → ``\\1 \\2 ``, then
    ``([.,])([^0-9])`` → `` \\1 \\2``) as ``re.sub`` applies them, visiting only the points
    and commas; a match starts where the previous one ended at the earliest, as in
    ``re.sub``'s scan."""
    pieces, done, end = [], 0, 0
    for q in [m.start() for m in _POINT.finditer(text, 1)]:
        if q - 1 >= end and text[q - 1] not in _DIGITS:
            pieces += (text[done : q - 1], text[q - 1], " ", text[q], " ")
            done = end = q + 1
    text = "".join([*pieces, text[done:]])
    pieces, done, end = [], 0, 0
    last = len(text) - 1
    for q in [m.start() for m in _POINT.finditer(text)]:
        if q >= end and q < last and text[q + 1] not in _DIGITS:
            pieces += (text[done:q], " ", text[q], " ", text[q + 1])
            done = end = q + 2
    return "".join([*pieces, text[done:]])


def _digit_dash(text: str) -> str:
    """The fourth 13a rule (``([0-9])(-)`` → ``\\1 \\2 ``), visiting the dashes only
    (a dash preceded by a digit cannot have been consumed by the previous match, which ends
    in a dash)."""
    pieces, done = [], 0
    q = text.find("-", 1)
    while q >= 0:
        if text[q - 1] in _DIGITS:
            pieces += (text[done:q], " - ")
            done = q + 1
        q = text.find("-", q + 1)
    return "".join([*pieces, text[done:]])


def _lone_points(text: str) -> str:
    """:func:`_point_rules` of a text where no two points or commas follow each other: then
    each of them is set apart unless it stands between two digits (a run of them is where
    the rules' left-to-right consumption makes a difference). Every point and comma gets a
    space on each side, and those between two digits, the only ones with a digit and one
    space on each side now, are joined again."""
    return _GLUED.sub(r"\1\2", text.replace(".", " . ").replace(",", " , "))


_GLUED = re.compile(r"([0-9]) ([.,]) (?=[0-9])")


def _rules_13a(text: str, lone_points: bool = False) -> str:
    """The 13a rules after the line-break ones, on one line or on several joined by
    `` \x01 `` (no rule matches across a space: each line comes out as it would alone,
    spaces aside). ``lone_points``: no two points or commas follow each other in ``text``."""
    if "&" in text:
        text = text.replace("&quot;", '"').replace("&amp;", "&")
        text = text.replace("&lt;", "<").replace("&gt;", ">")
    text = _SPACED_13A.sub(_spaced, f" {text} ")
    if lone_points:
        text = _lone_points(text)
    elif "." in text or "," in text:
        text = _point_rules(text)
    if "-" in text:
        text = _digit_dash(text)
    return text


@functools.lru_cache(maxsize=2**16)
def _tokenize_13a(line: str) -> str:
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    return " ".join(_rules_13a(line).split())


def _tokenize_none(line: str) -> str:
    return line


_BUILT_IN: dict[str, Callable[[str], str]] = {"13a": _tokenize_13a, "none": _tokenize_none}


def tokenizer_names() -> list[str]:
    return sorted(TOKENIZERS)


@functools.cache
def _sacrebleu_tokenizer(name: str) -> Callable[[str], str]:
    if name in _BUILT_IN:
        return _BUILT_IN[name]
    if name not in TOKENIZERS:
        raise WorkbenchError(
            f"unknown tokenizer {name!r}; choose one of {', '.join(tokenizer_names())}"
        )
    from sacrebleu.metrics import BLEU

    try:
        return BLEU(tokenize=name).tokenizer
    except Exception as exc:  # e.g. ko-mecab without its optional dependency
        raise WorkbenchError(f"tokenizer {name!r} is not available: {exc}") from None


def get_tokenizer(
    name: str = DEFAULT_TOKENIZER, lowercase: bool = False
) -> Callable[[str], list[str]]:
    """A function from a sentence to its word tokens, as sacrebleu's BLEU would see them."""
    base = _sacrebleu_tokenizer(name)

    def tokenize(text: str) -> list[str]:
        if lowercase:
            text = text.lower()
        return base(text.rstrip()).split()

    return tokenize


def tokenize_lines(
    lines: Sequence[str], name: str = DEFAULT_TOKENIZER, lowercase: bool = False
) -> list[list[str]]:
    """``get_tokenizer(name, lowercase)`` of each line, for many lines at once.

    With ``13a`` the rules run once over all lines joined by `` \x01 `` (no rule matches
    across a space: each line comes out as it would alone, spaces aside) and the text is
    split once, the ``\x01`` tokens marking where each line ends. A line holding a line break
    or ``<skipped>`` (which the rules treat first), ``\x01``, or two points or commas in a
    row (:func:`_lone_points`) is tokenised on its own.
    """
    tokenize = get_tokenizer(name, lowercase)
    if _sacrebleu_tokenizer(name) is not _tokenize_13a or len(lines) < 2:
        return [tokenize(line) for line in lines]
    texts = [(line.lower() if lowercase else line).rstrip() for line in lines]
    text = " \x01 ".join(texts)
    if text.count("\x01") != len(texts) - 1:
        return [tokenize(line) for line in lines]
    own = _lines_on_their_own(text, texts)
    if own:
        text = " \x01 ".join([t for i, t in enumerate(texts) if i not in own])
    tokens = _rules_13a(text, lone_points=True).split()
    # where each joined line's tokens end: the "\x01" tokens, and the end
    ends = [*itertools.compress(itertools.count(), map("\x01".__eq__, tokens)), len(tokens)]
    starts = [0, *(end + 1 for end in ends[:-1])]
    joined = iter([tokens[a:b] for a, b in zip(starts, ends, strict=True)])
    return [tokenize(line) if i in own else next(joined) for i, line in enumerate(lines)]


def _lines_on_their_own(text: str, texts: list[str]) -> set[int]:
    """The lines of ``text`` (``texts`` joined by `` \x01 ``) that tokenize_lines leaves
    out of its joined text: those holding a line break, ``<skipped>`` (which the rules treat
    first) or two points or commas in a row (see :func:`_lone_points`)."""
    found = []
    for mark in ("..", ".,", ",.", ",,", "\n", "<skipped>"):
        q = text.find(mark)
        while q >= 0:
            found.append(q)
            q = text.find(mark, q + 1)
    if not found:
        return set()
    offsets = list(itertools.accumulate((len(t) + 3 for t in texts[:-1]), initial=0))
    return {bisect.bisect_right(offsets, q) - 1 for q in found}
