"""Language tags: BCP 47 normalisation and matching with ISO 639-1/2/3 codes (langcodes).

Everything that reads or compares a language goes through here, so ``de``, ``de_DE``,
``de-CH``, ``deu`` and ``ger`` are the same language everywhere (TMX ``xml:lang``,
``--source-lang``, Argos package metadata, NLLB language tokens).

>>> normalize("de_DE"), normalize("ger"), normalize("fra")
('de-DE', 'de', 'fr')
>>> same_language("deu", "de-CH"), same_language("de", "fr")
(True, False)
>>> nllb_code("fr")
'fra_Latn'
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import ModuleType

# NLLB/Flores-200 language tokens (``fra_Latn``) and M2M-100/mBART-style ones (``__fr__``).
_NLLB_TOKEN = re.compile(r"^([a-z]{3})_([A-Z][a-z]{3})$")
_M2M_TOKEN = re.compile(r"^__([a-z]{2,3}(?:_[A-Z]{2})?)__$")


def _langcodes() -> ModuleType:
    # Imported on first use: langcodes compiles hundreds of regular expressions at import
    # (0.2 s), and every command loads this module through the format plugins.
    import langcodes

    return langcodes


# langcodes' likely script for a few languages differs from the one NLLB's tokens use.
_SCRIPT_ALIASES = {"Kore": ("Hang",), "Jpan": ("Jpan", "Hira")}
UNDETERMINED = {"", "und", "mul", "zxx", "*all*"}


@lru_cache(maxsize=4096)
def normalize(code: str | None) -> str:
    """``code`` as a standard BCP 47 tag (``de_DE`` → ``de-DE``, ``deu``/``ger`` → ``de``).

    Empty, ``und`` and TMX's ``*all*`` give ``""``. A code langcodes cannot parse is kept,
    lower-cased with ``_`` made ``-``, so private or made-up codes still compare with
    themselves.
    """
    text = (code or "").strip().replace("_", "-")
    if text.lower() in UNDETERMINED:
        return ""
    try:
        tag = _langcodes().standardize_tag(text)
    except (ValueError, LookupError):
        return text.lower()
    return "" if tag in UNDETERMINED else tag


@lru_cache(maxsize=4096)
def primary(code: str | None) -> str:
    """The primary language subtag of ``code`` (``de-CH`` → ``de``, ``ger`` → ``de``)."""
    tag = normalize(code)
    if not tag:
        return ""
    try:
        # macro=True: an individual language counts as its macrolanguage (arb is ar, cmn zh).
        return (
            _langcodes().Language.get(_langcodes().standardize_tag(tag, macro=True)).language
            or (tag.split("-")[0])
        )
    except (ValueError, LookupError):
        return tag.split("-")[0]


def same_language(a: str | None, b: str | None) -> bool:
    """Whether two codes name the same language (regions and ISO 639 variants aside)."""
    pa, pb = primary(a), primary(b)
    return bool(pa) and pa == pb


def match_quality(wanted: str | None, found: str | None) -> int:
    """2: the same tag (after normalising), 1: the same language, 0: different/unknown."""
    a, b = normalize(wanted), normalize(found)
    if not a or not b:
        return 0
    if a.lower() == b.lower():
        return 2
    return 1 if same_language(a, b) else 0


def is_known(code: str | None) -> bool:
    """Whether ``code`` is a valid tag of a language with name data (``de``, ``deu``, ``kor``;
    not ``xx``, nor file suffixes such as ``txt`` or ``xml`` that are rare ISO 639-3 codes)."""
    tag = normalize(code)
    if not tag:
        return False
    try:
        language = _langcodes().Language.get(tag)
        return _langcodes().tag_is_valid(tag) and language.is_valid() and language.has_name_data()
    except (ValueError, LookupError):
        return False


def display(code: str | None) -> str:
    """``code`` with its English name for messages: ``de (German)``."""
    tag = normalize(code)
    if not tag:
        return "an unknown language"
    try:
        name = _langcodes().Language.get(tag).display_name()
    except (ValueError, LookupError):
        return tag
    return tag if name.lower().startswith("unknown") else f"{tag} ({name})"


def _alpha3(code: str) -> set[str]:
    out = set()
    try:
        language = _langcodes().Language.get(normalize(code))
        out.add(language.to_alpha3())
        out.add(language.to_alpha3(variant="B"))
    except (ValueError, LookupError):
        pass
    return out


def language_tokens(vocabulary: set[str] | list[str]) -> list[str]:
    """The language tokens in a model vocabulary (``fra_Latn``, ``__fr__``)."""
    return sorted(t for t in vocabulary if _NLLB_TOKEN.match(t) or _M2M_TOKEN.match(t))


def token_language(token: str) -> str:
    """The BCP 47 tag a language token stands for (``fra_Latn`` → ``fr-Latn``), or ``""``."""
    m = _NLLB_TOKEN.match(token)
    if m:
        return normalize(f"{m.group(1)}-{m.group(2)}")
    m = _M2M_TOKEN.match(token)
    return normalize(m.group(1)) if m else ""


def token_for(code: str, vocabulary: set[str] | list[str]) -> list[str]:
    """The language tokens of ``vocabulary`` for ``code``, best first.

    A script in ``code`` (``zh-Hant``) or the language's usual script decides between
    several tokens of one language (``zho_Hans``/``zho_Hant``); an empty list means the
    model does not know the language.
    """
    wanted = normalize(code)
    candidates = [t for t in language_tokens(vocabulary) if same_language(token_language(t), code)]
    if len(candidates) <= 1:
        return candidates
    script = _script(wanted)
    scripts = {script, *_SCRIPT_ALIASES.get(script, ())}
    best = [t for t in candidates if _token_script(t) in scripts]
    return best + [t for t in candidates if t not in best]


def _script(tag: str) -> str:
    try:
        return _langcodes().Language.get(tag).maximize().script or ""
    except (ValueError, LookupError):
        return ""


def _token_script(token: str) -> str:
    m = _NLLB_TOKEN.match(token)
    return m.group(2) if m else ""


def nllb_code(code: str) -> str:
    """The NLLB/Flores-200 token for ``code`` without a vocabulary (``fr`` → ``fra_Latn``)."""
    tag = normalize(code)
    alpha3 = sorted(_alpha3(tag))
    if not tag or not alpha3:
        return ""
    script = _script(tag)
    script = _SCRIPT_ALIASES.get(script, (script,))[0]
    try:
        three = _langcodes().Language.get(tag).to_alpha3()
    except (ValueError, LookupError):
        three = alpha3[0]
    return f"{three}_{script}" if script else ""
