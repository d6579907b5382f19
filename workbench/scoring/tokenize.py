"""Word tokenisation shared by the scorers and embedding training: sacrebleu's tokenizers.

``13a`` (the default) and ``none`` are implemented here, equal to sacrebleu's (tested), so that
aligning does not import sacrebleu (about a fifth of a second at start-up); the others are
sacrebleu's own, imported when asked for.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable

from workbench.errors import WorkbenchError

DEFAULT_TOKENIZER = "13a"

# sacrebleu's tokenizer names (sacrebleu.metrics.bleu._TOKENIZERS; a test keeps them equal).
TOKENIZERS: dict[str, str] = {
    "none": "tokenizer_none.NoneTokenizer",
    "zh": "tokenizer_zh.TokenizerZh",
    "13a": "tokenizer_13a.Tokenizer13a",
    "intl": "tokenizer_intl.TokenizerV14International",
    "char": "tokenizer_char.TokenizerChar",
    "ja-mecab": "tokenizer_ja_mecab.TokenizerJaMecab",
    "ko-mecab": "tokenizer_ko_mecab.TokenizerKoMecab",
    "spm": "tokenizer_spm.TokenizerSPM",
    "flores101": "tokenizer_spm.Flores101Tokenizer",
    "flores200": "tokenizer_spm.Flores200Tokenizer",
    "spBLEU-1K": "tokenizer_spm.spBLEU1KTokenizer",
}

# mteval-v13a's rules as sacrebleu's Tokenizer13a / TokenizerRegexp apply them.
_RULES_13A = [
    (re.compile(r"([\{-\~\[-\` -\&\(-\+\:-\@\/])"), r" \1 "),
    (re.compile(r"([^0-9])([\.,])"), r"\1 \2 "),
    (re.compile(r"([\.,])([^0-9])"), r" \1 \2"),
    (re.compile(r"([0-9])(-)"), r"\1 \2 "),
]


@functools.lru_cache(maxsize=2**16)
def _tokenize_13a(line: str) -> str:
    line = line.replace("<skipped>", "").replace("-\n", "").replace("\n", " ")
    if "&" in line:
        line = line.replace("&quot;", '"').replace("&amp;", "&")
        line = line.replace("&lt;", "<").replace("&gt;", ">")
    line = f" {line} "
    for pattern, repl in _RULES_13A:
        line = pattern.sub(repl, line)
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
    module_name, class_name = TOKENIZERS[name].rsplit(".", 1)
    module = importlib.import_module(f"sacrebleu.tokenizers.{module_name}")
    try:
        return getattr(module, class_name)()
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
