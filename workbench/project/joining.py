"""How two sentences read once joined into one (a join text fix, and its translation lines)."""

from __future__ import annotations

import re

# Scripts written without spaces between words (CJK punctuation, kana, Han, full-width forms):
# two sentences that meet on these characters are joined without a space.
_NO_SPACE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def join_texts(first: str, second: str) -> str:
    """Two sentences as one: one space between them, none between two CJK characters.

    >>> join_texts("今天下雨。", "我们回家。")
    '今天下雨。我们回家。'
    >>> join_texts("It rains", " today.")
    'It rains today.'
    """
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first + second
    if _NO_SPACE.match(first[-1]) and _NO_SPACE.match(second[0]):
        return first + second
    return f"{first} {second}"
