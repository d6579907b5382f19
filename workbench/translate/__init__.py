"""Machine translation for the aligner: CTranslate2 models, files of translations, a cache.

Qt-free. :func:`open_translator` picks a backend from :data:`TRANSLATORS` by the model's
layout; :func:`translate_document` translates a document's distinct uncached sentences.
"""

from typing import TYPE_CHECKING

from workbench.lazy import lazy_names
from workbench.translate.base import (
    TRANSLATORS,
    TranslationCache,
    Translator,
    TranslatorBackend,
    open_translator,
    register_translator,
)
from workbench.translate.cache import MemoryTranslationCache, SqliteTranslationCache
from workbench.translate.document import translate_document

if TYPE_CHECKING:
    from workbench.translate.ct2 import CTranslate2Backend, CTranslate2Translator, find_layout
    from workbench.translate.file_backend import FileBackend, FileTranslator

# The built-in backends are in TRANSLATORS by name (workbench/builtin_plugins.py); their
# modules, and these names, are imported when first used (PEP 562).
_LAZY = {
    "CTranslate2Backend": "workbench.translate.ct2",
    "CTranslate2Translator": "workbench.translate.ct2",
    "find_layout": "workbench.translate.ct2",
    "FileBackend": "workbench.translate.file_backend",
    "FileTranslator": "workbench.translate.file_backend",
}

__getattr__ = lazy_names(__name__, _LAZY)


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
