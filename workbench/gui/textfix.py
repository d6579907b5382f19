"""Text fixes from the review window: edit, split, join, insert, delete a sentence, and regex
search and replace.

Every change goes through ``perform`` (the window's undo stack; the project directly without
one), to the store's ``Project.edit_sentence(s)``, ``split_sentence``, ``join_sentences``,
``insert_sentence`` and ``delete_sentence``, so each is journalled, one undo step, and used by
exports; the imported text stays in the project.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.errors import WorkbenchError
from workbench.gui.bulk import Perform, direct_perform
from workbench.review import navigation

if TYPE_CHECKING:
    from workbench.project import Project


def sentence_history(
    project: Project, doc_id: int, side: str, idx: int
) -> list[tuple[float, str, str]]:
    """(time, reviewer, text after) of every journalled text edit of one sentence."""
    key = f"sentence {doc_id}:{0 if side == 'source' else 1}:{idx}"
    out = []
    for entry in project.journal():
        if isinstance(entry.after, dict) and key in entry.after:
            out.append((entry.time, entry.reviewer, entry.after[key] or ""))
    return out


class TextFixDialog(QDialog):
    """Fix the text of one unit's sentences: pick a side and sentence, edit, then Save, or
    Split at the cursor, Join with the next, Insert before/after, Delete."""

    def __init__(
        self,
        project: Project,
        unit: Any,
        side: str = "source",
        *,
        perform: Perform | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fix sentence text")
        self.project, self.doc_id = project, unit.doc_id
        self.unit_ids = {"source": unit.source_ids, "target": unit.target_ids}
        self.perform = perform or direct_perform
        self.side_box = QComboBox()
        self.side_box.addItems(["source", "target"])
        self.sentence_box = QComboBox()
        self.editor = QPlainTextEdit()
        self.editor.setMaximumHeight(110)
        self.original = QLabel()
        self.original.setWordWrap(True)
        self.original.setStyleSheet("color: palette(mid)")
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Side:", self.side_box)
        form.addRow("Sentence:", self.sentence_box)
        form.addRow("Text:", self.editor)
        form.addRow("Imported text:", self.original)
        form.addRow("History:", self.history)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, text, slot in (
            ("save", "&Save edit", self.save),
            ("split", "S&plit at cursor", self.split_at_cursor),
            ("join", "&Join with next", self.join_next),
            ("insert_before", "Insert &before", lambda: self.insert(after=False)),
            ("insert_after", "Insert &after", lambda: self.insert(after=True)),
            ("delete", "&Delete", self.delete),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[name] = button
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.side_box.currentTextChanged.connect(self._fill_sentences)
        self.sentence_box.currentIndexChanged.connect(self._show_sentence)
        if not self.unit_ids[side] and self.unit_ids["target" if side == "source" else "source"]:
            side = "target" if side == "source" else "source"
        self.side_box.setCurrentText(side)
        self._fill_sentences()
        self.resize(760, 380)

    # -- what is shown --------------------------------------------------------------------------
    @property
    def side(self) -> str:
        return self.side_box.currentText()

    def current_sentence(self) -> int | None:
        data = self.sentence_box.currentData()
        return None if data is None else int(data)

    def _texts(self) -> list[str]:
        doc = (self.project.source if self.side == "source" else self.project.target)(self.doc_id)
        return doc.sentences

    def _fill_sentences(self, *_: Any, select: int | None = None) -> None:
        self.sentence_box.blockSignals(True)
        self.sentence_box.clear()
        for i in self.unit_ids[self.side]:
            # Counted from 1, as the table's rows and a curator count (the data is the id).
            self.sentence_box.addItem(f"{self.side} sentence {i + 1}", i)
        if select is not None and select in self.unit_ids[self.side]:
            self.sentence_box.setCurrentIndex(list(self.unit_ids[self.side]).index(select))
        self.sentence_box.blockSignals(False)
        self._show_sentence()

    def _show_sentence(self, *_: Any) -> None:
        idx = self.current_sentence()
        has = idx is not None
        for name in ("save", "split", "join", "delete"):
            self.buttons[name].setEnabled(has)
        if not has:
            self.editor.setPlainText("")
            self.original.setText("(this unit has no sentence on this side: insert one)")
            self.history.setText("")
            return
        self.editor.setPlainText(self._texts()[idx])
        imported = self.project.original(self.doc_id, self.side).sentences[idx]
        # A sentence made by a split or an insert has its first text as its "imported" one.
        self.original.setText(imported)
        edits = sentence_history(self.project, self.doc_id, self.side, idx)
        self.history.setText(
            "; ".join(f"{who}: “{text}”" for _t, who, text in edits[-3:]) or "no edits yet"
        )

    def _articles(self) -> list[list[int]]:
        doc = (self.project.source if self.side == "source" else self.project.target)(self.doc_id)
        return [list(a) for a in doc.articles]

    def _refused_join(self, idx: int) -> str | None:
        """Why the store would refuse to join sentence ``idx`` with the next, in the dialog's
        numbers (the store's message counts from 0), or None."""
        articles = self._articles()
        if idx + 1 >= (articles[-1][1] if articles else len(self._texts())):
            return f"{self.side} sentence {idx + 1} is the document's last; nothing to join"
        if any(a == idx + 1 for a, _b in articles):
            return (
                f"{self.side} sentences {idx + 1} and {idx + 2} are in different articles "
                "(.EOA between them)"
            )
        return None

    def _run(self, text: str, action: Callable[[], Any]) -> bool:
        _result, error = self.perform(text, action)
        self.message.setText(error or "")
        return error is None

    def _reload(self, select: int | None) -> None:
        """After a structural fix the unit's sentence ids moved: read them again."""
        units = self.project.units(self.doc_id)
        for u in units:
            ids = u.source_ids if self.side == "source" else u.target_ids
            if select in ids:
                self.unit_ids = {"source": u.source_ids, "target": u.target_ids}
                break
        self._fill_sentences(select=select)

    def editor_text(self, shown: str = "") -> str:
        """The editor's text exactly as it stands (``shown``: the sentence put in it).

        ``toPlainText()`` turns every no-break space into a plain space and U+2028 into a line
        feed: saving a fix changed the rest of the sentence without a word. A line break the
        curator typed (a new block, U+2029 in the raw text) is a line feed, which the store
        refuses ("split it instead")."""
        raw = self.editor.document().toRawText()
        if raw.count("\u2029") > shown.count("\u2029"):
            raw = raw.replace("\u2029", "\n")
        return raw.strip()

    def cursor_index(self) -> int:
        """The cursor as an index into the sentence: Qt counts UTF-16 units, so every
        character outside the BMP (an emoji, a rare CJK character) before it counted twice."""
        position = self.editor.textCursor().position()
        raw = self.editor.document().toRawText()
        return len(raw.encode("utf-16-le")[: 2 * position].decode("utf-16-le", "replace"))

    # -- the fixes --------------------------------------------------------------------------
    def save(self) -> bool:
        idx = self.current_sentence()
        text = self.editor_text(self._texts()[idx])
        if text == self._texts()[idx]:
            # No store step would be made: pushing an undo command for it would desync.
            self.message.setText("unchanged")
            return False
        ok = self._run(
            f"Fix {self.side} sentence {idx + 1}",
            lambda: self.project.edit_sentence(self.doc_id, self.side, idx, text),
        )
        if ok:
            self._show_sentence()
        return ok

    def split_at_cursor(self) -> bool:
        idx = self.current_sentence()
        at = self.cursor_index()
        ok = self._run(
            f"Split {self.side} sentence {idx + 1}",
            lambda: self.project.split_sentence(self.doc_id, self.side, idx, at),
        )
        if ok:
            self._reload(idx)
        return ok

    def join_next(self) -> bool:
        idx = self.current_sentence()
        refused = self._refused_join(idx)
        if refused:
            self.message.setText(refused)
            return False
        ok = self._run(
            f"Join {self.side} sentences {idx + 1} and {idx + 2}",
            lambda: self.project.join_sentences(self.doc_id, self.side, idx),
        )
        if ok:
            self._reload(idx)
        return ok

    def insert(self, after: bool, text: str | None = None) -> bool:
        """Insert the editor's text (or ``text``) as a new sentence before or after the
        current one (after the side's last sentence when this unit has none on this side);
        it becomes a pending unit of its own."""
        current = self.current_sentence()
        at = len(self._texts()) if current is None else current + 1 if after else current
        text = text if text is not None else self.editor_text()
        ok = self._run(
            f"Insert {self.side} sentence {at + 1}",
            lambda: self.project.insert_sentence(self.doc_id, self.side, at, text),
        )
        if ok:
            self.message.setText(f"inserted {self.side} sentence {at + 1} as a unit of its own")
            if current is not None:
                self._reload(current if after else current + 1)
        return ok

    def delete(self) -> bool:
        idx = self.current_sentence()
        if [idx, idx + 1] in self._articles():
            self.message.setText(
                f"{self.side} sentence {idx + 1} is its article's only sentence; deleting it "
                "would leave an empty article"
            )
            return False
        ok = self._run(
            f"Delete {self.side} sentence {idx + 1}",
            lambda: self.project.delete_sentence(self.doc_id, self.side, idx),
        )
        if ok:
            self.unit_ids[self.side] = tuple(i for i in self.unit_ids[self.side] if i != idx)
            self._fill_sentences()
        return ok


class SearchReplaceDialog(QDialog):
    """Regex search over any pane, and replace in source or target text (one undo step per
    "Replace all"). ``go_to(unit)`` is called with each unit found (the window moves its
    cursor there); ``current_unit()`` says where the search starts."""

    def __init__(
        self,
        project: Project,
        *,
        doc_id: int | None = None,
        current_unit: Callable[[], int | None] = lambda: None,
        go_to: Callable[[Any], None] = lambda unit: None,
        perform: Perform | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search and replace (regular expressions)")
        self.project, self.doc_id = project, doc_id
        self.current_unit, self.go_to = current_unit, go_to
        self.perform = perform or direct_perform
        self.pattern = QLineEdit()
        self.replacement = QLineEdit()
        self.pane = QComboBox()
        self.pane.addItems(list(navigation.PANES))
        self.ignore_case = QCheckBox("Ignore case")
        self.ignore_case.setChecked(True)
        self.message = QLabel()
        self.found: Any = None
        form = QFormLayout()
        form.addRow("Find (regex):", self.pattern)
        form.addRow("Replace with:", self.replacement)
        form.addRow("Pane:", self.pane)
        form.addRow("", self.ignore_case)
        row = QHBoxLayout()
        for text, slot in (
            ("Find &next", lambda: self.find(False)),
            ("Find &previous", lambda: self.find(True)),
            ("&Replace in this unit", lambda: self.replace(all_units=False)),
            ("Replace &all", lambda: self.replace(all_units=True)),
        ):
            b = QPushButton(text)
            b.clicked.connect(slot)
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def find(self, backwards: bool = False) -> Any:
        try:
            unit = navigation.search(
                self.project,
                self.pattern.text(),
                self.pane.currentText(),
                self.current_unit(),
                doc_id=self.doc_id,
                backwards=backwards,
                ignore_case=self.ignore_case.isChecked(),
            )
        except WorkbenchError as exc:  # a bad pattern
            self.message.setText(str(exc))
            return None
        self.found = unit
        if unit is None:
            self.message.setText("not found")
            return None
        # The unit's store id meant nothing to the curator ("unit 5123" in a table of 400
        # rows): say where it is, sentences counted from 1 as everywhere in the window.
        ids = unit.source_ids or unit.target_ids
        side = "source" if unit.source_ids else "target"
        where = f"{side} sentence {ids[0] + 1}" if ids else "an empty unit"
        shown = self.go_to(unit)
        self.message.setText(
            f"found: document {unit.doc_id}, {where}"
            + (" (hidden by the table's filter)" if shown is False else "")
        )
        return unit

    def replace(self, all_units: bool) -> int:
        pane = self.pane.currentText()
        if pane not in ("source", "target"):
            self.message.setText("choose the source or target pane to replace in")
            return 0
        docs = (
            [self.doc_id] if self.doc_id is not None else [d.id for d in self.project.documents()]
        )
        unit_id = self.current_unit()
        if not all_units:
            if unit_id is None:
                self.message.setText("no current unit")
                return 0
            unit = self.project.unit(unit_id)
            docs = [unit.doc_id]
            ids = list(unit.source_ids if pane == "source" else unit.target_ids)
        planned: dict[int, dict[int, str]] = {}
        for d in docs:
            try:
                changes = navigation.planned_replacements(
                    self.project,
                    d,
                    pane,
                    self.pattern.text(),
                    self.replacement.text(),
                    sentence_ids=None if all_units else ids,
                    ignore_case=self.ignore_case.isChecked(),
                )
            except WorkbenchError as exc:
                self.message.setText(str(exc))
                return 0
            if changes:
                planned[d] = changes
        if not planned:  # no store step, so no undo command either
            self.message.setText("0 sentence(s) changed")
            return 0
        # Every document in one step: one Ctrl+Z takes the whole replace-all back (it took
        # back the last document's part), and a killed process leaves all of it or none.
        n = sum(len(c) for c in planned.values())
        result, error = self.perform(
            f"Replace “{self.pattern.text()}” in {pane} ({n} sentences)",
            lambda: self.project.edit_documents_sentences(pane, planned),
        )
        if error:
            self.message.setText(error)
            return 0
        changed = int(result or 0)
        self.message.setText(f"{changed} sentence(s) changed")
        return changed
