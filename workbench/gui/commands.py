"""Undoable review actions: a QUndoStack whose commands replay the project's own history.

Every edit is done by the project store, which journals it and keeps a persistent undo
history. A command here only records that one step happened: undoing it calls
``project.undo()`` and redoing it ``project.redo()``. Because every edit made in the window
goes through this stack, the stack and the store's history stay in step (the store's history
also survives a restart; the stack starts empty in each session).

A re-alignment of a document drops that document's steps from the store's history (its units
were rebuilt outside it); :meth:`ReviewUndoStack.keep_surviving` then keeps the window's steps
on the other documents, each command knowing its store step by ``step``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from workbench.errors import NotSavedError, WorkbenchError

if TYPE_CHECKING:
    from workbench.project import Project


class ProjectCommand(QUndoCommand):
    """One step of the project's history, already done when pushed."""

    def __init__(
        self,
        stack: ReviewUndoStack,
        text: str,
        focus_unit: int | None,
        step: tuple[int, float] | None = None,
    ) -> None:
        super().__init__(text)
        self._stack = stack
        self._done = True  # the action ran before the push; the first redo() is a no-op
        self.focus_unit = focus_unit
        self.step = step  # the store's (id, time) of this step (Project.history_mark)

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._replay(forward=True)

    def undo(self) -> None:
        if self._stack.rebuilding:  # keep_surviving moves the index back: nothing to replay
            return
        self._replay(forward=False)

    def _replay(self, *, forward: bool) -> None:
        project = self._stack.project
        try:
            if not (project.redo() if forward else project.undo()):
                self.setObsolete(True)
        except WorkbenchError as exc:
            # The stack has moved but the store has not: start the stack afresh (the store's
            # own history is intact) rather than let Ctrl+Z name one step and undo another.
            self._stack.refused(exc, forget=True)
        self._stack.changed_by_history(self)


class ReviewUndoStack(QUndoStack):
    """A QUndoStack bound to a project. ``perform(text, action)`` runs ``action`` against the
    store and, when it succeeded, pushes the undo step; a refused action (a store error such as
    merging the last unit) pushes nothing and returns the error message."""

    # A change the store could not save: the window shows it in a message box, so that a
    # curator who believes it made never misses it (a status line goes by unseen).
    not_saved = Signal(str)
    failed = Signal(str)  # any other refusal of an undo or redo, as one line

    def __init__(
        self,
        project: Project,
        on_change: Callable[[ProjectCommand | None], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self._on_change = on_change
        self.rebuilding = False

    def perform(
        self, text: str, action: Callable[[], Any], focus_unit: int | None = None
    ) -> tuple[Any, str | None]:
        mark = self.project.history_mark()
        try:
            result = action()
        except WorkbenchError as exc:
            if isinstance(exc, NotSavedError):
                self.not_saved.emit(str(exc))
            return None, str(exc)
        # An action the store found nothing to do for (accepting an accepted unit) records no
        # step; a command pushed for it would undo the step before it.
        new_mark = self.project.history_mark()
        if new_mark != mark:
            self.push(ProjectCommand(self, text, focus_unit, new_mark))
        self._on_change(None)
        return result, None

    def refused(self, exc: WorkbenchError, *, forget: bool = False) -> None:
        """Report a refused undo or redo; ``forget``: clear the stack once it is done."""
        if forget:
            QTimer.singleShot(0, self.clear)
        (self.not_saved if isinstance(exc, NotSavedError) else self.failed).emit(str(exc))

    def keep_surviving(self) -> int:
        """After the store dropped steps from its history (a re-alignment forgets its
        document's): keep the commands whose step is still there, in order, undone ones
        still redoable; returns how many were dropped. When what is left would not name the
        store's next undo and redo exactly, nothing is kept (every command is dropped)."""
        commands = [self.command(k) for k in range(self.count())]
        if not commands:
            return 0
        history = {(i, t): undone for i, t, undone in self.project.history_steps()}
        known = [c for c in commands if isinstance(c, ProjectCommand) and c.step is not None]
        done = [c for c in known[: self.index()] if history.get(c.step) is False]
        undone = [c for c in known[self.index() :] if history.get(c.step) is True]
        if len(done) + len(undone) == len(commands):
            return 0
        store_done = [s for s, u in history.items() if not u]
        store_undone = [s for s, u in history.items() if u]
        fits = (not done or store_done[-1:] == [done[-1].step]) and (
            not undone or store_undone[:1] == [undone[0].step]
        )
        if not fits:
            done, undone = [], []
        kept = [(c.text(), c.focus_unit, c.step) for c in done + undone]
        self.clear()
        for text, focus_unit, step in kept:
            self.push(ProjectCommand(self, text, focus_unit, step))
        self.rebuilding = True
        try:
            self.setIndex(len(done))
        finally:
            self.rebuilding = False
        return len(commands) - len(kept)

    def changed_by_history(self, command: ProjectCommand) -> None:
        self._on_change(command)
