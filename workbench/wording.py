"""Wording shared by user-facing messages: counts with the right number (``1 pair``, ``2 pairs``).

Outside tools may parse summary lines such as ``N pairs written to OUT``: the plural stays
exactly as it was for every count but 1, and only ``1 pair`` changes.
"""

from __future__ import annotations

_IRREGULAR = {"was": "were", "has": "have", "is": "are", "this": "these"}


def plural(word: str) -> str:
    """The plural of a noun or verb used in a count (``pair`` -> ``pairs``, ``has`` -> ``have``)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def count(n: int, singular: str, plural_form: str | None = None) -> str:
    """``n`` with ``singular`` (for 1) or its plural: ``count(1, "pair")`` = ``1 pair``."""
    return f"{n} {singular if n == 1 else (plural_form or plural(singular))}"


def noun(n: int, singular: str, plural_form: str | None = None) -> str:
    """The word alone, in the number ``n`` asks for (``noun(2, "pair")`` = ``pairs``)."""
    return singular if n == 1 else (plural_form or plural(singular))
