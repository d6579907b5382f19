"""Importing documents: one sentence per line, or raw text split into sentences (sentencex).

Raw text: paragraphs are separated by blank lines and a sentence never crosses one; a single
line break inside a paragraph is a soft wrap (joined with a space, or with nothing between
two Chinese/Japanese characters); a line holding only ``.EOA`` ends an article, as in
one-sentence-per-line files.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from workbench.errors import InputError
from workbench.textio import EOA, Document, read_document, read_text, split_lines

# Writing systems without spaces between words or sentences: a wrapped line joins with nothing,
# and a sentence may legitimately start right after the previous one's end mark.
_NO_SPACE_LANGUAGES = {"zh", "ja", "th", "lo", "km", "my", "bo", "yue", "wuu"}
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u3000]*\n\s*")

# Abbreviations sentencex's rules split after (checked on its French output): titles before a
# name and reference abbreviations before a number. Merged back into the next sentence.
_ABBREVIATIONS = {
    "fr": {"M", "MM", "Mme", "Mmes", "Mlle", "Mlles", "Mgr", "Me", "Dr", "Pr", "St", "Ste"}
    | {"p", "pp", "chap", "vol", "art", "cf", "env", "fig", "éd", "n°", "no"},
}
_LAST_WORD = re.compile(r"(\S+)\.\s*$")
# sentencex 1.0.x panics (a Rust panic: a traceback, not an error) on a single capital letter
# followed by a multi-byte space and a full stop ("chapitre I\u00a0.", "Y\u202f."): it slices
# its UTF-8 bytes as if the space were one byte. Such a space is given to it as " " (one
# character for one, so every piece maps back onto the original text at the same offsets).
_SPACE_BEFORE_STOP = re.compile(
    "[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000](?=[.])"
)


def split_sentences(text: str, language: str) -> list[str]:
    """Split raw ``text`` (paragraphs separated by blank lines) into sentences.

    ``language`` is an ISO 639 code (``de``, ``fr``, ``en``, ``ko``, ``zh``; a region such as
    ``de-CH`` is ignored); languages sentencex has no rules for get its generic rules.
    Sentences are stripped of surrounding white space; empty ones are dropped.
    """
    code = _language_code(language)
    text = text.replace("\r\n", "\n")  # a lone \r is a character, as in every reader
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        joined = _join_wrapped_lines(paragraph)
        if not joined.strip():
            continue
        pieces = _repair(_segment(code, joined), code)
        sentences.extend(p.strip() for p in pieces if p.strip())
    return sentences


def _segment(code: str, text: str) -> list[str]:
    """sentencex's pieces of ``text``, taken from ``text`` itself (see _SPACE_BEFORE_STOP)."""
    from sentencex import segment

    safe = _SPACE_BEFORE_STOP.sub(" ", text)
    pieces = list(segment(code, safe))
    if safe == text:
        return pieces
    out, start = [], 0
    for piece in pieces:
        out.append(text[start : start + len(piece)])
        start += len(piece)
    if start != len(text):  # sentencex always returns the whole text in order; if not, say so
        raise InputError("the sentence splitter lost part of the text; split it by hand")
    return out


def read_sentences(
    path: str | Path,
    *,
    fmt: str = "lines",
    language: str | None = None,
    encoding: str = "utf-8",
) -> Document:
    """Read a document: ``fmt="lines"`` one sentence per line, ``"text"`` raw text to split.

    Both keep ``.EOA`` lines as article boundaries. Raw text needs ``language``.
    """
    if fmt == "lines":
        return read_document(path, encoding)
    if fmt != "text":
        raise InputError(f"unknown document format {fmt!r} (lines or text)")
    if not language:
        raise InputError(
            f"{path}: splitting raw text into sentences needs its language; pass "
            "--source-lang and --target-lang (project add) or --lang (split)"
        )
    text = read_text(path, encoding)
    sentences: list[str] = []
    articles: list[tuple[int, int]] = []
    for article in _split_articles(text):
        start = len(sentences)
        sentences.extend(split_sentences(article, language))
        articles.append((start, len(sentences)))
    if not sentences:
        raise InputError(f"{path}: empty document (no text)")
    return Document(sentences, articles, name=str(path))


def _language_code(language: str) -> str:
    from workbench.languages import primary

    code = (language or "").strip().lower().replace("_", "-").split("-")[0]
    if not code.isalpha():
        raise InputError(f"{language!r} is not a language code (e.g. en, de, fr, ko, zh)")
    # sentencex knows ISO 639-1 codes: deu/ger are de, kor is ko.
    return primary(language) or code


def _split_articles(text: str) -> list[str]:
    articles: list[list[str]] = [[]]
    for line in split_lines(text):
        if line.strip() == EOA:
            articles.append([])
        else:
            articles[-1].append(line)
    # A trailing `.EOA` ends the last article rather than opening an empty one (as textio).
    if len(articles) > 1 and not "".join(articles[-1]).strip():
        articles.pop()
    return ["\n".join(lines) for lines in articles]


def _is_cjk(char: str) -> bool:
    name = unicodedata.name(char, "")
    return name.startswith(("CJK", "HIRAGANA", "KATAKANA", "FULLWIDTH", "IDEOGRAPHIC"))


def _join_wrapped_lines(paragraph: str) -> str:
    lines = [line.strip() for line in paragraph.split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    joined = lines[0]
    for line in lines[1:]:
        glue = "" if _is_cjk(joined[-1]) and _is_cjk(line[0]) else " "
        joined += glue + line
    return joined


def _repair(pieces: list[str], code: str) -> list[str]:
    """Undo two kinds of false splits sentencex makes.

    - after an abbreviation it does not know for the language (French ``M. Dupont``);
    - where nothing separates the pieces in a language that puts spaces between sentences,
      as a Korean quotation followed by its particle: ``“정말?”이라고 물었다.``
    """
    abbreviations = _ABBREVIATIONS.get(code, set())
    out: list[str] = []
    for piece in pieces:
        if out and _continues(out[-1], piece, code, abbreviations):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _continues(previous: str, piece: str, code: str, abbreviations: set[str]) -> bool:
    if not piece.strip():
        return True
    last = _LAST_WORD.search(previous)
    if last and last.group(1) in abbreviations:
        return True
    glued = not previous[-1:].isspace() and not piece[:1].isspace()
    return code not in _NO_SPACE_LANGUAGES and glued and piece[0].isalnum()
