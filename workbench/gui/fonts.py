"""Missing fonts: say once, in the window, when a project's text needs glyphs no font has.

Without a CJK font Qt draws Korean or Chinese as empty boxes and says nothing. At start the
window samples the project's sentences, asks the installed fonts for each script's characters
and, when some have no glyph in any font, shows one line in the status bar with the command
that fixes it (and a button to dismiss it). The glyph lookup is a parameter, so tests can
replace it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.gui.window import MainWindow
    from workbench.project import Project

FIX_COMMAND = "sudo apt install fonts-noto-cjk"
# Characters tried per 128-code-point block: a font covers a script's block or it does not,
# so a few characters per block answer for all of them (Hangul alone spans 87 blocks).
_PER_BLOCK = 2
# Enough text to meet every script a project uses, little enough to read at start at once.
_SAMPLE_SENTENCES = 2000  # per side


def _visible(char: str) -> bool:
    """Characters a font has to draw (not ASCII, spaces, controls or combining marks)."""
    if ord(char) < 0x80:
        return False
    category = unicodedata.category(char)
    return category[0] not in "CZM"


def sample_characters(texts: Iterable[str]) -> list[str]:
    """A few distinct visible characters from each 128-code-point block the texts use."""
    per_block: dict[int, list[str]] = {}
    # Each distinct character once, in code-point order (the set is made in C): the sample of a
    # 10,000-sentence Korean project is 400,000 characters but about 1,200 distinct ones, and
    # looking at every character in Python took 0.2 s of the window's start.
    for char in sorted(set("".join(texts))):
        if not _visible(char):
            continue
        chosen = per_block.setdefault(ord(char) >> 7, [])
        if len(chosen) < _PER_BLOCK:
            chosen.append(char)
    return [c for block in sorted(per_block) for c in per_block[block]]


def installed_font_lookup() -> Callable[[str], bool]:
    """``has_glyph(char)``: whether some installed font (QFontDatabase) has a glyph for it."""
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    metrics: list[Any] = []
    for family in QFontDatabase.families():
        font = QFont(family)
        font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
        metrics.append(QFontMetrics(font))
    cache: dict[str, bool] = {}

    def has_glyph(char: str) -> bool:
        if char not in cache:
            cache[char] = any(m.inFontUcs4(ord(char)) for m in metrics)
        return cache[char]

    return has_glyph


def missing_glyphs(
    texts: Iterable[str], has_glyph: Callable[[str], bool] | None = None
) -> list[str]:
    """Sampled characters of ``texts`` that no installed font can draw."""
    lookup = has_glyph or installed_font_lookup()
    return [c for c in sample_characters(texts) if not lookup(c)]


def project_texts(project: Project) -> Iterable[str]:
    """A bounded sample of the project's text: the first sentences of each side, documents in
    order, aligned or not (one query per side; reading the first units with their texts took
    ten times as long)."""
    return project.sentence_sample(_SAMPLE_SENTENCES)


def _script(char: str) -> str:
    word = unicodedata.name(char, "other").split(" ")[0]
    return word if word == "CJK" else word.title()


def warning_text(missing: list[str]) -> str:
    scripts = ", ".join(sorted({_script(c) for c in missing}))
    return f"No installed font has {scripts} letters (shown as boxes). Fix: {FIX_COMMAND}"


def warn_missing_fonts(
    window: MainWindow, has_glyph: Callable[[str], bool] | None = None
) -> str | None:
    """Check the window's project once; show a dismissable status-bar line when glyphs are
    missing. Returns the text shown, or None."""
    project = window.state.project
    if getattr(window, "font_warning", None) is not None or project is None:
        return None
    missing = missing_glyphs(project_texts(project), has_glyph)
    if not missing:
        return None
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

    text = warning_text(missing)
    banner = QWidget(window)
    banner.setObjectName("fontWarning")
    layout = QHBoxLayout(banner)
    layout.setContentsMargins(4, 0, 4, 0)
    label = QLabel(f"⚠ {text}", banner)
    label.setTextInteractionFlags(label.textInteractionFlags() | label_selectable())
    label.setStyleSheet("color: #b35c00; font-weight: bold;")
    close = QToolButton(banner)
    close.setText("✕")
    close.setToolTip("Dismiss")
    close.setAutoRaise(True)
    close.clicked.connect(banner.hide)
    layout.addWidget(label)
    layout.addWidget(close)
    layout.addStretch(1)
    window.statusBar().insertWidget(0, banner, 1)
    window.font_warning = banner
    return text


def label_selectable() -> Any:
    """Text selection in the warning, so the command can be copied."""
    from PySide6.QtCore import Qt

    return Qt.TextInteractionFlag.TextSelectableByMouse
