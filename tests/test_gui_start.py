"""Starting the window: missing-font warning, Qt's noise off the terminal, the demo's folder
(issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.gui.demo import DEMO_PROJECT, migrate_demo
from workbench.gui.fonts import (
    FIX_COMMAND,
    installed_font_lookup,
    missing_glyphs,
    sample_characters,
    warn_missing_fonts,
)

REPO = Path(__file__).resolve().parent.parent


# -- fonts ----------------------------------------------------------------------------------------
def no_hangul(char: str) -> bool:
    """A font lookup for a machine without a CJK font: no Hangul syllables."""
    return not 0xAC00 <= ord(char) <= 0xD7A3


def test_sample_takes_a_few_visible_characters_per_block():
    chars = sample_characters(["abc 부산시가 국내 최초로", "Café – “ok”", "부산"])
    assert "a" not in chars and " " not in chars  # ASCII is every font's
    assert chars.count("é") == 1
    hangul = [c for c in chars if 0xAC00 <= ord(c) <= 0xD7A3]
    assert 1 <= len(hangul) <= 2 * len({ord(c) >> 7 for c in "부산시가국내최초로"})


def test_missing_glyphs_uses_the_lookup_it_is_given():
    texts = ["Busan has begun.", "부산시가 국내 최초로"]
    missing = missing_glyphs(texts, no_hangul)
    assert missing and all(not no_hangul(c) for c in missing)
    assert missing_glyphs(texts, lambda c: True) == []
    assert missing_glyphs(["only ASCII here"], lambda c: False) == []


def test_installed_fonts_are_asked(qapp):
    has_glyph = installed_font_lookup()
    assert has_glyph("é")  # any Latin font has it
    assert not has_glyph("\U0010fffd")  # private use, plane 16: no font draws it


def test_window_says_once_when_the_demo_needs_a_font_it_lacks(demo_window):
    text = warn_missing_fonts(demo_window, has_glyph=no_hangul)
    assert text is not None and "Hangul" in text and FIX_COMMAND in text
    from PySide6.QtWidgets import QLabel, QToolButton

    banner = demo_window.font_warning
    assert banner.isVisible() and FIX_COMMAND in banner.findChild(QLabel).text()
    assert warn_missing_fonts(demo_window, has_glyph=no_hangul) is None  # once

    banner.findChild(QToolButton).click()  # dismissable
    assert not banner.isVisible()


def test_no_warning_when_every_glyph_is_there(demo_window):
    assert warn_missing_fonts(demo_window, has_glyph=lambda c: True) is None
    assert getattr(demo_window, "font_warning", None) is None


# -- the demo's folder ----------------------------------------------------------------------------
def test_migrate_demo_moves_the_project_and_its_side_files(tmp_path):
    old, new = tmp_path / "workbench" / "workbench", tmp_path / "workbench"
    old.mkdir(parents=True)
    for name in (DEMO_PROJECT, f"{DEMO_PROJECT}-wal", f"{DEMO_PROJECT}.kv", "other.txt"):
        (old / name).write_text(name)
    assert migrate_demo(old, new)
    assert (new / DEMO_PROJECT).read_text() == DEMO_PROJECT
    assert (new / f"{DEMO_PROJECT}.kv").exists() and (new / f"{DEMO_PROJECT}-wal").exists()
    assert not (old / DEMO_PROJECT).exists() and (old / "other.txt").exists()
    assert not migrate_demo(old, new)  # nothing left to move


def test_migrate_demo_never_replaces_a_demo_in_the_new_place(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / DEMO_PROJECT).write_text("old")
    (new / DEMO_PROJECT).write_text("new")
    assert not migrate_demo(old, new)
    assert (new / DEMO_PROJECT).read_text() == "new" and (old / DEMO_PROJECT).exists()


def test_data_folder_is_not_doubled_and_an_old_demo_is_found(tmp_path, monkeypatch, qapp):
    from workbench.gui.app import user_data_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    old = tmp_path / "share" / "workbench" / "workbench"
    old.mkdir(parents=True)
    (old / DEMO_PROJECT).write_text("reviewed before")
    folder = user_data_dir()
    assert folder == tmp_path / "share" / "workbench"
    assert (folder / DEMO_PROJECT).read_text() == "reviewed before"
    assert not old.exists()


# -- Qt's messages --------------------------------------------------------------------------------
def test_qt_messages_are_hidden_unless_verbose(capfd, qapp):
    from PySide6.QtCore import qWarning

    from workbench.gui.app import install_qt_message_handler

    try:
        install_qt_message_handler(verbose=False)
        qWarning("This plugin does not support propagateSizeHints()")
        assert capfd.readouterr().err == ""
        install_qt_message_handler(verbose=True)
        qWarning("This plugin does not support propagateSizeHints()")
        assert "propagateSizeHints" in capfd.readouterr().err
    finally:
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(None)


def test_verbose_alone_opens_the_window_verbosely(monkeypatch):
    import workbench.gui.app as app

    calls = []
    monkeypatch.setattr(app, "run", lambda project=None, **kw: calls.append((project, kw)) or 0)
    assert main(["--verbose"]) == 0
    assert main(["gui", "--verbose"]) == 0
    assert main(["gui"]) == 0
    assert [kw["verbose"] for _, kw in calls] == [True, True, False]


@pytest.mark.slow
def test_a_screenshot_run_prints_nothing_of_qt(tmp_path):
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "cfg"),
    )
    args = [sys.executable, "-m", "workbench", "gui", "--data-dir", str(tmp_path / "data")]
    quiet = subprocess.run(
        [*args, "--screenshot", str(tmp_path / "a.png")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_project_sample_is_bounded_and_covers_unaligned_documents(tmp_path):
    from workbench.gui.fonts import project_texts
    from workbench.project import Project
    from workbench.textio import Document

    with Project.create(tmp_path / "p.wbproj") as project:
        doc = project.add_document(
            Document(["부산 여객선."] * 3), Document(["Busan ferry."] * 3), name="d"
        )
        assert "부산 여객선." in list(project_texts(project))  # not aligned yet: sentences
        project.align(doc)
        texts = list(project_texts(project))
        assert "부산 여객선." in texts and "Busan ferry." in texts
