"""Wiring the power tools into the review window with one call: ``install_power_tools(window)``.

It adds a "Power" menu with InterText-style structural moves, navigation jumps, bookmarks,
search and replace, text fixes, bulk decisions, re-align from here / selection, the audit
summary and the keys dialog, each acting on the window's controller and going through its undo
stack; then it applies the user's keymap (QSettings) to these actions and to the window's own
(matched by their menu texts), so every shortcut is remappable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QWidget

from workbench.gui.keymap_dialog import KeymapDialog, apply_keymap, load_keymap
from workbench.review import confidence, navigation

if TYPE_CHECKING:
    from workbench.gui.controller import ReviewController
    from workbench.gui.window import MainWindow
    from workbench.project import Project
    from workbench.project.model import Unit
    from workbench.review.state import ReviewState

# The review window's own actions, by their menu text (without "&" and "…").
WINDOW_ACTIONS = {
    "Accept": "review.accept",
    "Reject": "review.reject",
    "Skip to next unit": "review.skip",
    "Back to previous unit": "review.back",
    "Next pending unit": "nav.next_pending",
    "Merge with next unit": "structure.merge",
    "Split unit": "structure.split",
    "Move source sentence up": "structure.source_up",
    "Move source sentence down": "structure.source_down",
    "Move target sentence up": "structure.target_up",
    "Move target sentence down": "structure.target_down",
    "Undo": "edit.undo",
    "Redo": "edit.redo",
    "Find": "edit.find",
    "Find next": "edit.find_next",
    "Find previous": "edit.find_previous",
    "New project": "file.new",
    "Open project": "file.open",
    "Add documents": "file.add_documents",
    "Export pairs": "file.export",
    "Settings": "file.settings",
    "Quit": "file.quit",
    "Align again": "tools.align",
    "Translate with model": "tools.translate",
    "Cancel background task": "tools.cancel",
    "Shade word matches": "tools.shading",
    "Show machine translation column": "view.mt_column",
    "Filter: document": "view.filter_document",
    "Filter: status": "view.filter_status",
    "Filter: confidence": "view.filter_confidence",
    "Filter: unaligned": "view.filter_shape",
    "Order": "view.order",
    "Keyboard shortcuts": "help.keys",
    "Neighbours panel": "view.neighbours",
    "Retrain embedding from accepted pairs": "tools.retrain",
    "Retrain with an extra corpus": "tools.retrain_corpus",
    "New sample": "spotcheck.new",
    "Judge sample": "spotcheck.judge",
    "Report": "spotcheck.report",
}


def action_key(text: str) -> str:
    """A menu text as WINDOW_ACTIONS spells it ("&Undo Accept unit 3" -> "Undo")."""
    plain = text.replace("&", "").replace("…", "").strip()
    return "Undo" if plain.startswith("Undo") else "Redo" if plain.startswith("Redo") else plain


def window_actions(window: QWidget) -> dict[str, QAction]:
    """Command id -> QAction for the window's own actions that the keymap knows."""
    out = {}
    for action in window.actions():
        cid = WINDOW_ACTIONS.get(action_key(action.text()))
        if cid is not None and cid not in out:
            out[cid] = action
    return out


class PowerTools:
    """The power-tool actions of one review window: its ``controller`` drives them, its
    ``state`` says how to re-align, their dialogs open over ``host`` (the window)."""

    def __init__(self, state: ReviewState, host: QWidget, controller: ReviewController) -> None:
        self.state = state
        self.host = host
        self.controller = controller
        self.actions: dict[str, QAction] = {}

    @property
    def project(self) -> Project:
        return self.controller.project

    def perform(self, text: str, action: Callable[[], Any]) -> tuple[Any, str | None]:
        return self.controller.undo_stack.perform(text, action)

    def _say(self, text: str) -> None:
        self.controller.message.emit(text)

    def current_side(self) -> str:
        from workbench.gui.model import COL_TARGET

        index = self.controller.view.currentIndex()
        return "target" if index.isValid() and index.column() == COL_TARGET else "source"

    # -- structure (InterText keys) -------------------------------------------------------------
    def text_down(self) -> None:
        """Enter: the current side's text starts a new unit below (the other side stays)."""
        unit = self.controller.current_unit()
        if unit is None:
            return
        side = self.current_side()
        at = (0, len(unit.target_ids)) if side == "source" else (len(unit.source_ids), 0)
        row = self.controller.current_row()
        # Through the controller: a refusal names the row, a reset decision is said.
        self.controller._perform(
            f"Move {side} text down (unit {row + 1})",
            lambda: self.project.split_unit(unit.id, *at),
            structural=True,
        )
        self.controller.go_to_row(row)

    def text_up(self) -> None:
        """Backspace: a unit with one empty side joins the previous unit; otherwise the
        current side's first sentence moves up into it."""
        unit = self.controller.current_unit()
        if unit is None:
            return
        row = self.controller.current_row()
        if not unit.source_ids or not unit.target_ids:
            previous = self.project.neighbour(unit.id, -1)
            if previous is None:
                self._say("this is the first unit; nothing above to join")
                return
            self.controller._perform(
                f"Move text up into unit {row}",
                lambda: self.project.merge_with_next(previous.id),
                structural=True,
            )
            self.controller.go_to_row(row - 1)
        else:
            self.controller.move_sentence(self.current_side(), "up")

    def shift_up(self) -> None:
        self.controller.move_sentence(self.current_side(), "up")

    def pop_down(self) -> None:
        self.controller.move_sentence(self.current_side(), "down")

    # -- navigation -----------------------------------------------------------------------------
    def go_to_unit(self, unit: Unit) -> bool:
        row = self.controller.model.row_of_unit(unit.id, self.controller.current_row())
        if row < 0:
            self._say("the unit found is hidden by the filter: show all statuses / units")
            return False
        self.controller.go_to_row(row)
        return True

    def jump(self, kind: str, backwards: bool = False) -> bool:
        unit = self.controller.current_unit()
        doc_id = self.controller.model.filter.doc_id
        low_score = float(self.project.get_setting("low_score", 0.2))
        threshold = {
            "low_score": low_score,
            "low_confidence": confidence.edges(self.project)[0],
        }.get(kind)
        found = navigation.next_unit(
            self.project,
            kind,
            unit.id if unit else None,
            doc_id=doc_id,
            backwards=backwards,
            threshold=threshold,
            score_threshold=low_score if kind == "low_confidence" else None,
        )
        if found is None:
            self._say(f"no {kind.replace('_', ' ')} unit")
            return False
        if kind == "low_confidence" and found.confidence is None:
            self._say(
                f"this unit has no confidence (aligned before confidences were stored): "
                f"chosen by its score, below {low_score:g}"
            )
        return self.go_to_unit(found)

    def bookmark(self) -> None:
        unit = self.controller.current_unit()
        if unit is None:
            return
        note, ok = QInputDialog.getText(
            self.host,
            "Bookmark",
            "Note (empty and OK removes a bookmark):",
            text=unit.bookmark_note,
        )
        if not ok:
            return
        on = bool(note) or not unit.bookmark
        self.perform(
            "Bookmark" if on else "Remove bookmark",
            lambda: self.project.set_bookmark(unit.id, on, note),
        )

    def search(self) -> None:
        from workbench.gui.textfix import SearchReplaceDialog

        def current() -> int | None:
            unit = self.controller.current_unit()
            return unit.id if unit else None

        SearchReplaceDialog(
            self.project,
            doc_id=self.controller.model.filter.doc_id,
            current_unit=current,
            go_to=self.go_to_unit,
            perform=self.perform,
            parent=self.host,
        ).exec()

    # -- dialogs --------------------------------------------------------------------------------
    def text_fix(self) -> None:
        from workbench.gui.textfix import TextFixDialog

        unit = self.controller.current_unit()
        if unit is not None:
            TextFixDialog(
                self.project, unit, self.current_side(), perform=self.perform, parent=self.host
            ).exec()

    def visible_units(self) -> list[int]:
        view = self.controller.view
        top = view.rowAt(0)
        bottom = view.rowAt(view.viewport().height() - 1)
        if top < 0:
            return []
        bottom = bottom if bottom >= 0 else self.controller.model.rowCount() - 1
        units = (self.controller.model.unit_at(r) for r in range(top, bottom + 1))
        return [u.id for u in units if u is not None]

    def bulk(self) -> None:
        from workbench.gui.bulk import BulkDialog

        unit = self.controller.current_unit()
        BulkDialog(
            self.project,
            self.controller.model.filter.doc_id,
            cursor_unit=unit.id if unit else None,
            visible_units=self.visible_units(),
            perform=self.perform,
            parent=self.host,
        ).exec()

    def realign(self, selection: bool) -> None:
        unit = self.controller.current_unit()
        if unit is None:
            return
        rows = sorted({i.row() for i in self.controller.view.selectionModel().selectedRows()})
        units = [self.controller.model.unit_at(r) for r in rows] if selection else []
        units = [u for u in units if u is not None and u.doc_id == unit.doc_id] or [unit]
        start = min(u.position for u in units)
        end = max(u.position for u in units) if selection else None
        from workbench.review.tasks import realign_range

        # On a worker (a long document or self-training took many seconds on this thread,
        # the window frozen); stored as one undo step when it is done.
        realign_range(
            self.state,
            unit.doc_id,
            start,
            end,
            self.perform,
            "Re-align selection" if selection else "Re-align from here",
        )

    def audit(self) -> None:
        from workbench.gui.audit import AuditDialog

        AuditDialog(self.project, parent=self.host).exec()

    def keys(self) -> None:
        dialog = KeymapDialog(load_keymap(), store=None, parent=self.host)
        if dialog.exec():
            from workbench.gui.keymap_dialog import save_keymap

            save_keymap(dialog.keymap)
            self.apply_keys(dialog.keymap)

    def all_actions(self) -> dict[str, QAction]:
        return {**window_actions(self.host), **self.actions}

    def apply_keys(self, keymap: dict[str, list[str]] | None = None) -> None:
        apply_keymap(self.all_actions(), keymap if keymap is not None else load_keymap())


def install_power_tools(window: MainWindow) -> PowerTools:
    """Add the Power menu and its actions to a review window and apply the stored keymap."""
    from workbench.review.keymap import BY_ID

    tools = PowerTools(window.state, window, window.controller)
    menu = window.menuBar().addMenu("&Power")
    slots: dict[str, Callable[[], Any]] = {
        "structure.text_down": tools.text_down,
        "structure.text_up": tools.text_up,
        "structure.shift_up": tools.shift_up,
        "structure.pop_down": tools.pop_down,
        "review.reset": lambda: tools.controller.decide("pending"),
        "nav.prev_pending": lambda: tools.jump("pending", backwards=True),
        "nav.next_low_score": lambda: tools.jump("low_score"),
        "nav.next_low_confidence": lambda: tools.jump("low_confidence"),
        "nav.next_non_1_1": lambda: tools.jump("non_1_1"),
        "nav.next_empty_side": lambda: tools.jump("empty_side"),
        "nav.next_bookmark": lambda: tools.jump("bookmarked"),
        "nav.toggle_bookmark": tools.bookmark,
        "nav.search": tools.search,
        "edit.text": tools.text_fix,
        "tools.bulk": tools.bulk,
        "tools.realign_from_here": lambda: tools.realign(False),
        "tools.realign_selection": lambda: tools.realign(True),
        "tools.audit": tools.audit,
        "tools.keys": tools.keys,
    }
    for cid, slot in slots.items():
        action = QAction(BY_ID[cid].label, window)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _=False, slot=slot: slot())
        menu.addAction(action)
        window.addAction(action)
        tools.actions[cid] = action
    tools.apply_keys()
    return tools
