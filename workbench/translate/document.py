"""Translating a whole document: distinct uncached sentences only, `.EOA` boundaries kept."""

from __future__ import annotations

from workbench.errors import CancelledError
from workbench.textio import Document
from workbench.translate.base import Cancel, Progress, TranslationCache, Translator

# Sentences handed to the translator per call; the cache is filled after each, so a
# cancelled run keeps what it finished.
CHUNK = 256


def translate_document(
    doc: Document,
    translator: Translator,
    *,
    cache: TranslationCache | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Document:
    """The translation of ``doc``, sentence by sentence, with the same articles.

    Only distinct sentences missing from ``cache`` are translated; progress counts those
    (done, total). Cancellation is checked between chunks and batches and raises
    :class:`~workbench.errors.CancelledError`.
    """
    name = f"{doc.name} (translated)" if doc.name else "translation"
    if getattr(translator, "line_aligned", False):
        # A file of translations maps line to line; nothing to cache or de-duplicate.
        lines = translator.translate(list(doc.sentences), progress=progress, cancel=cancel)
        return Document(list(lines), list(doc.articles), name)
    distinct = list(dict.fromkeys(s for s in doc.sentences if s.strip()))
    known = cache.get_many(translator.identity, distinct) if cache is not None else {}
    # Longest first within the document order would not matter: the translator sorts by
    # length inside a call, and chunks of similar length keep batches tight.
    todo = sorted((s for s in distinct if s not in known), key=len)
    total = len(todo)
    if progress is not None:
        progress(0, total)
    translated: dict[str, str] = dict(known)
    for start in range(0, total, CHUNK):
        if cancel is not None and cancel():
            raise CancelledError("translation cancelled")
        chunk = todo[start : start + CHUNK]

        def chunk_progress(done: int, _total: int, offset: int = start) -> None:
            if progress is not None:
                progress(offset + done, total)

        outputs = translator.translate(chunk, progress=chunk_progress, cancel=cancel)
        new = dict(zip(chunk, outputs, strict=True))
        if cache is not None:
            cache.put_many(translator.identity, new)
        translated.update(new)
    sentences = [translated.get(s, "") if s.strip() else "" for s in doc.sentences]
    return Document(sentences, list(doc.articles), name)
