"""The review window's menus and actions (their texts and keys) — the table the help overlay
and the keymap show."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from workbench.gui.window import MainWindow


def make_action(
    window: MainWindow, text: str, keys: list[str] | str, slot: Callable[[], Any], menu: QMenu
) -> QAction:
    """An action in ``menu`` with its keys, working while the menu bar is hidden too."""
    action = QAction(text, window)
    keys = [keys] if isinstance(keys, str) else keys
    action.setShortcuts([QKeySequence(k) for k in keys if k])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _=False: slot())
    menu.addAction(action)
    window.addAction(action)  # shortcuts work while the menu bar is hidden, too
    return action


def build_actions(window: MainWindow) -> None:
    """The menus and their actions; the help overlay lists ``window.action_groups``."""
    menus = window.menuBar()
    c = window.controller
    search = window.search_bar
    file_menu = menus.addMenu("&File")
    review = menus.addMenu("&Review")
    edit = menus.addMenu("&Edit")
    tools = menus.addMenu("&Tools")
    window.view_menu = menus.addMenu("&View")
    window.spotcheck_menu = menus.addMenu("&Spot-check")
    help_menu = menus.addMenu("&Help")

    def a(text: str, keys: list[str] | str, slot: Callable[[], Any], menu: QMenu) -> QAction:
        return make_action(window, text, keys, slot, menu)

    file_actions = [
        a("&New project…", "Ctrl+N", window.new_project_dialog, file_menu),
        a("&Open project…", "Ctrl+O", window.open_project_dialog, file_menu),
    ]
    window.recent_menu = file_menu.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(window._fill_recent_menu)
    file_actions += [
        a("&Add documents…", "Ctrl+Shift+O", window.add_documents_dialog, file_menu),
        a("&Export pairs…", "Ctrl+E", window.export_dialog, file_menu),
        a("Open the &demo project", "", window.open_demo, file_menu),
        a("&Settings…", "Ctrl+,", window.settings_dialog, file_menu),
        a("&Quit", "Ctrl+Q", window.close, file_menu),
    ]
    window.review_actions = [
        a("&Accept", "A", c.accept, review),
        a("&Reject", ["R", "Delete"], c.reject, review),
        a("&Skip to next unit", ["Space", "J"], c.next_unit, review),
        a("&Back to previous unit", ["K", "Shift+Space"], c.previous_unit, review),
        a("Next &pending unit", "N", c.next_pending, review),
    ]
    review.addSeparator()
    window.structure_actions = [
        a("&Merge with next unit", "M", c.merge_with_next, review),
        a("S&plit unit", "S", c.split, review),
        a(
            "Move source sentence &up",
            "Alt+Up",
            lambda: c.move_sentence("source", "up"),
            review,
        ),
        a(
            "Move source sentence &down",
            "Alt+Down",
            lambda: c.move_sentence("source", "down"),
            review,
        ),
        a(
            "Move target sentence up",
            "Alt+Shift+Up",
            lambda: c.move_sentence("target", "up"),
            review,
        ),
        a(
            "Move target sentence down",
            "Alt+Shift+Down",
            lambda: c.move_sentence("target", "down"),
            review,
        ),
    ]
    window.undo_action = a("&Undo", ["Ctrl+Z"], c.undo, edit)
    window.redo_action = a("&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], c.redo, edit)
    c.undo_stack.undoTextChanged.connect(window._undo_text)
    c.undo_stack.redoTextChanged.connect(window._redo_text)
    edit.addSeparator()
    edit_actions = [
        window.undo_action,
        window.redo_action,
        a("&Find…", "Ctrl+F", search.open_search, edit),
        a("Find &next", "F3", lambda: search.find_next(False), edit),
        a("Find pre&vious", "Shift+F3", lambda: search.find_next(True), edit),
    ]
    tool_actions = [
        a("&Align again", "Ctrl+L", window.align_current_document, tools),
        a("&Translate with model…", "Ctrl+T", window.translate_with_model, tools),
        a("&Cancel background task", "Ctrl+.", window.cancel_task, tools),
    ]
    window.shading_action = a("Shade &word matches", "Ctrl+W", window.toggle_shading, tools)
    window.shading_action.setCheckable(True)
    window.shading_action.setChecked(True)
    window.tools_menu = tools
    # On a narrow window the MT column gives its width to source and target.
    window.mt_column_action = a(
        "Show &machine translation column",
        "Ctrl+Shift+M",
        window.toggle_mt_column,
        window.view_menu,
    )
    window.mt_column_action.setCheckable(True)
    window.mt_column_action.setChecked(True)
    # The filters from the keyboard (their combos take no Tab focus, so that Tab, A, R…
    # stay the table's): each key opens one filter's list.
    window.view_menu.addSeparator()
    bar = window.filter_bar
    window.filter_actions = [
        a(text, key, lambda combo=combo: bar.choose(combo), window.view_menu)
        for text, key, combo in (
            ("Filter: &document…", "Ctrl+1", bar.doc_combo),
            ("Filter: &status…", "Ctrl+2", bar.status_combo),
            ("Filter: &confidence…", "Ctrl+3", bar.band_combo),
            ("Filter: &unaligned…", "Ctrl+4", bar.shape_combo),
            ("&Order…", "Ctrl+5", bar.order_combo),
        )
    ]
    help_actions = [a("&Keyboard shortcuts", ["F1", "?"], window.toggle_help, help_menu)]
    close_help = QAction("Close overlay", window)
    close_help.setShortcut(QKeySequence("Escape"))
    close_help.triggered.connect(window.help_overlay_hide)
    window.addAction(close_help)
    window.action_groups = [
        ("Review", window.review_actions),
        ("Structure", window.structure_actions),
        # The filters here: a group of their own made the F1 panel too big for 1024×640.
        ("Edit, filters", edit_actions + tool_actions[:2] + window.filter_actions),
        ("File", [*file_actions[:4], *help_actions]),
    ]
