"""Word tokenisation shared by the scorers and embedding training: sacrebleu's tokenizers.

``13a`` (the default) and ``none`` are implemented here, equal to sacrebleu's (tested), so that
aligning does not import sacrebleu (about a fifth of a second at start-up); the others are
sacrebleu's own, through its public API (``BLEU(tokenize=name).tokenizer``) when asked for.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

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
# The same rules, faster (a template with groups is expanded by Python code per match): the
# first rule matches single characters, so it is one ``str.translate``; the others get a
# function for their replacement and run only when their character is in the line.
# ``tests/test_startup.py`` checks the result against sacrebleu's and against ``_RULES_13A``.
_SPACED_13A = str.maketrans({c: f" {c} " for c in ' !"#$%&()*+/:;<=>?@[\\]^_`{|}~'})
_POINT_AFTER, _POINT_BEFORE, _DIGIT_DASH = (pattern for pattern, _ in _RULES_13A[1:])


def _spaced_after(m: re.Match[str]) -> str:
    return f"{m[1]} {m[2]} "


def _spaced_before(m: re.Match[str]) -> str:
    return f" {m[1]} {m[2]}"


@functools.lru_cache(maxsize=2**16)
def _tokenize_13a(line: str) -> str:
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&")
        line = line.replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} ".translate(_SPACED_13A)
    if "." in line or "," in line:
        line = _POINT_AFTER.sub(_spaced_after, line)
        line = _POINT_BEFORE.sub(_spaced_before, line)
    if "-" in line:
        line = _DIGIT_DASH.sub(_spaced_after, line)
    return " ".join(line.split())


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
