"""Word tokenisation shared by the scorers and embedding training: sacrebleu's tokenizers."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

from sacrebleu.metrics.bleu import _TOKENIZERS

from workbench.errors import WorkbenchError

DEFAULT_TOKENIZER = "13a"


def tokenizer_names() -> list[str]:
    return sorted(_TOKENIZERS)


@functools.cache
def _sacrebleu_tokenizer(name: str) -> Callable[[str], str]:
    if name not in _TOKENIZERS:
        raise WorkbenchError(
            f"unknown tokenizer {name!r}; choose one of {', '.join(tokenizer_names())}"
        )
    module_name, class_name = _TOKENIZERS[name].rsplit(".", 1)
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
