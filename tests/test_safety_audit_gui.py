"""Data-safety audit, the window: fixing a sentence's text changes only what the curator
changed (docs/bad-input.md)."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from workbench.align import AlignmentUnit
from workbench.textio import Document

SOURCE = ["« Bonjour\u00a0», dit-il\u202f: à\u00a0demain.", "😀 Erster Teil. Zweiter Teil."]
TARGET = ["“Hello,” he said: see\u00a0you tomorrow.", "😀 First part. Second part."]


@pytest.fixture
def doc(project):
    d = project.add_document(Document(SOURCE), Document(TARGET), name="d")
    project.set_suggestions(d, [AlignmentUnit((i,), (i,), 0.5, "dp") for i in range(2)], "bleu")
    return d


def test_saving_a_fix_keeps_the_no_break_spaces(qtbot, project, doc):
    # toPlainText() gave every U+00A0 as a plain space: a fix elsewhere in the sentence, or
    # Save without any change, replaced them all.
    from workbench.gui.textfix import TextFixDialog

    dialog = TextFixDialog(project, project.units(doc)[0], "source")
    qtbot.addWidget(dialog)
    assert not dialog.save()  # unchanged: nothing stored
    assert project.source(doc).sentences[0] == SOURCE[0]
    fixed = SOURCE[0].replace("dit-il", "dit-elle")
    dialog.editor.setPlainText(fixed)
    assert dialog.save()
    assert project.source(doc).sentences[0] == fixed  # U+00A0 and U+202F kept
    dialog.editor.setPlainText("Deux\nlignes")  # a typed line break is still refused
    assert not dialog.save()
    assert project.source(doc).sentences[0] == fixed


def test_split_at_the_cursor_after_an_emoji_splits_where_the_cursor_is(qtbot, project, doc):
    # Qt's cursor counts UTF-16 units: an emoji before it moved the split one character on.
    from workbench.gui.textfix import TextFixDialog

    dialog = TextFixDialog(project, project.units(doc)[1], "target")
    qtbot.addWidget(dialog)
    text = TARGET[1]
    cursor = dialog.editor.textCursor()
    cursor.setPosition(len(text[: text.index("Second")].encode("utf-16-le")) // 2)
    dialog.editor.setTextCursor(cursor)
    assert dialog.split_at_cursor()
    assert project.target(doc).sentences[1:3] == ["😀 First part.", "Second part."]
