"""Training corpora for embeddings: line-parallel file pairs and two-column TSV files, tokenised."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from workbench.errors import InputError
from workbench.scoring.tokenize import DEFAULT_TOKENIZER, get_tokenizer
from workbench.textio import read_document

TokenPairs = list[tuple[list[str], list[str]]]
_LANGUAGE_SUFFIX = re.compile(r"^[a-z]{2,3}([_-][A-Za-z]{2,4})?$")


def language_from_path(path: str | Path) -> str | None:
    """``news.ko`` → ``ko``; None when the suffix does not look like a language code."""
    suffix = Path(path).suffix.lstrip(".")
    return suffix if _LANGUAGE_SUFFIX.match(suffix) else None


def read_file_pair(
    source: str | Path, target: str | Path, encoding: str = "utf-8"
) -> list[tuple[str, str]]:
    """Sentence pairs from two line-parallel files (``.EOA`` lines are skipped on both sides)."""
    src, tgt = read_document(source, encoding), read_document(target, encoding)
    if len(src.sentences) != len(tgt.sentences):
        raise InputError(
            f"{source} has {len(src.sentences)} sentences but {target} has "
            f"{len(tgt.sentences)}; training pairs must be line-parallel"
        )
    return list(zip(src.sentences, tgt.sentences, strict=True))


def read_tsv_pairs(path: str | Path, encoding: str = "utf-8") -> list[tuple[str, str]]:
    """Sentence pairs from a TSV corpus (the corpus module's format: escapes, optional header)."""
    from workbench.corpus import read_pairs

    return [(p.source, p.target) for p in read_pairs(path, "tsv", encoding=encoding)]


def read_training_pairs(
    file_pairs: Sequence[tuple[str | Path, str | Path]] = (),
    tsv_files: Sequence[str | Path] = (),
    *,
    tokenize: str = DEFAULT_TOKENIZER,
    lowercase: bool = False,
    encoding: str = "utf-8",
) -> TokenPairs:
    """Token pairs from every file pair and TSV file, in order; empty pairs are dropped."""
    split = get_tokenizer(tokenize, lowercase)
    texts: list[tuple[str, str]] = []
    for source, target in file_pairs:
        texts.extend(read_file_pair(source, target, encoding))
    for path in tsv_files:
        texts.extend(read_tsv_pairs(path, encoding))
    if not texts:
        raise InputError("no training pairs: give --pairs SRC TGT or --tsv FILE")
    pairs = [(split(s), split(t)) for s, t in texts]
    return [(s, t) for s, t in pairs if s or t]


def guess_side_names(file_pairs: Sequence[tuple[str | Path, str | Path]]) -> tuple[str, str] | None:
    """The two sides' language codes from the first file pair's suffixes (``.ko``/``.en``)."""
    if not file_pairs:
        return None
    src, tgt = (language_from_path(p) for p in file_pairs[0])
    return (src, tgt) if src and tgt and src != tgt else None
