"""Machine translation for the aligner: CTranslate2 models, files of translations, a cache.

Qt-free. :func:`open_translator` picks a backend from :data:`TRANSLATORS` by the model's
layout; :func:`translate_document` translates a document's distinct uncached sentences.
"""

from workbench.translate.base import (
    TRANSLATORS,
    TranslationCache,
    Translator,
    TranslatorBackend,
    open_translator,
    register_translator,
)
from workbench.translate.cache import MemoryTranslationCache, SqliteTranslationCache
from workbench.translate.ct2 import CTranslate2Backend, CTranslate2Translator, find_layout
from workbench.translate.document import translate_document
from workbench.translate.file_backend import FileBackend, FileTranslator

register_translator(CTranslate2Backend())
register_translator(FileBackend())

__all__ = [
    "TRANSLATORS",
    "CTranslate2Backend",
    "CTranslate2Translator",
    "FileBackend",
    "FileTranslator",
    "MemoryTranslationCache",
    "SqliteTranslationCache",
    "TranslationCache",
    "Translator",
    "TranslatorBackend",
    "find_layout",
    "open_translator",
    "register_translator",
    "translate_document",
]
