"""Sentence surgery: editing a sentence's text, splitting, joining, inserting and deleting
sentences (units follow; every change is one undo step).

A part of :class:`~workbench.project.Project`, over
:class:`~workbench.project.base.StoreBase`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping

from workbench.errors import InputError, ProjectError
from workbench.project import history, queries, slots
from workbench.project.base import StoreBase, _side
from workbench.project.joining import join_texts


class TextEditStore(StoreBase):
    """Sentence surgery."""

    def edit_sentence(self, doc_id: int, side: str, sentence_id: int, text: str) -> None:
        """Fix a sentence's text (exports use it); the imported text is kept as the original."""
        s = _side(side)
        if "\n" in text or "\r" in text:
            raise InputError("a sentence cannot contain a line break; split it instead")
        with self._write() as conn:
            row = conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                (doc_id, s, sentence_id),
            ).fetchone()
            if row is None:
                raise ProjectError(f"document {doc_id} has no {side} sentence {sentence_id}")
            if row[0] == text:
                return
            edit = history.Edit(conn, f"edit {side}", doc_id)
            edit.touch_sentence(doc_id, s, sentence_id)
            queries.mark_edited(conn, edit, doc_id, s, [sentence_id])
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (text, doc_id, s, sentence_id),
            )
            edit.finish(self.reviewer)

    def edit_sentences(self, doc_id: int, side: str, texts: Mapping[int, str]) -> int:
        """Fix several sentences' texts (a replace-all) as ONE undo step and one journal entry;
        returns how many changed. The imported texts are kept as the originals."""
        return self.edit_documents_sentences(side, {doc_id: texts})

    def edit_documents_sentences(self, side: str, texts: Mapping[int, Mapping[int, str]]) -> int:
        """:meth:`edit_sentences` over several documents (``{doc_id: {sentence: text}}``), as
        ONE undo step: a replace-all over a project is made, undone and redone whole (and a
        killed process leaves all of it or none)."""
        s = _side(side)
        if any("\n" in t or "\r" in t for doc in texts.values() for t in doc.values()):
            raise InputError("a sentence cannot contain a line break; split it instead")
        with self._write() as conn:
            changed = []
            for doc_id, doc_texts in sorted(texts.items()):
                for sentence_id, text in sorted(doc_texts.items()):
                    row = conn.execute(
                        "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                        (doc_id, s, sentence_id),
                    ).fetchone()
                    if row is None:
                        raise ProjectError(
                            f"document {doc_id} has no {side} sentence {sentence_id}"
                        )
                    if row[0] != text:
                        changed.append((text, doc_id, s, sentence_id))
            if not changed:
                return 0
            docs = {doc_id for _text, doc_id, _s, _idx in changed}
            # A step over several documents has no doc_id (history.forget_document).
            edit = history.Edit(conn, f"edit {side}", docs.pop() if len(docs) == 1 else None)
            by_doc: dict[int, list[int]] = {}
            for _text, doc_id, _s, sentence_id in changed:
                edit.touch_sentence(doc_id, s, sentence_id)
                by_doc.setdefault(doc_id, []).append(sentence_id)
            for doc_id, sentence_ids in by_doc.items():
                queries.mark_edited(conn, edit, doc_id, s, sentence_ids)
            conn.executemany(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?", changed
            )
            edit.finish(self.reviewer)
        return len(changed)

    def _sentence_edit_context(
        self, conn: sqlite3.Connection, doc_id: int, side: str, sentence_id: int, extra: int = 0
    ) -> tuple[int, list[list[int]], list[int], int]:
        """Side index, articles, translation ids and sentence count, with ``sentence_id``
        (and ``extra`` sentences after it) checked to exist."""
        s = _side(side)
        row = self._doc_row(doc_id)
        articles = [list(a) for a in json.loads(row[5 + s])]
        n = articles[-1][1] if articles else 0
        if not (sentence_id >= 0 and sentence_id + extra < n):
            raise ProjectError(f"document {doc_id} has no {side} sentence {sentence_id + extra}")
        translations = [
            t
            for (t,) in conn.execute(
                "SELECT id FROM translations WHERE doc_id = ? AND side = ?", (doc_id, s)
            )
        ]
        return s, articles, translations, n

    def split_sentence(self, doc_id: int, side: str, sentence_id: int, at: int) -> tuple[int, int]:
        """Split a sentence at character ``at`` (a segmentation fix); the second part becomes
        the next sentence, in the same unit. Later sentence ids move up by one. Returns the
        ids of the two parts."""
        with self._write() as conn:
            s, articles, translations, _n = self._sentence_edit_context(
                conn, doc_id, side, sentence_id
            )
            text = conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                (doc_id, s, sentence_id),
            ).fetchone()[0]
            left, right = text[:at].strip(), text[at:].strip()
            if not left or not right:
                raise InputError(f"splitting at {at} would leave an empty sentence")
            after = [[a + (a > sentence_id), b + (b > sentence_id)] for a, b in articles]
            edit = history.Edit(conn, f"split {side} sentence", doc_id)
            edit.slot(
                slots.insert_op(doc_id, s, sentence_id + 1, right, translations, (articles, after))
            )
            edit.touch_sentence(doc_id, s, sentence_id)
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (left, doc_id, s, sentence_id),
            )
            unit = queries.unit_with_sentence(conn, doc_id, s, sentence_id)
            if unit is not None:
                edit.touch_units([unit[0]])
                ids = [list(unit[1]), list(unit[2])]
                ids[s] = sorted({*ids[s], sentence_id + 1})
                queries.set_unit_ids(conn, unit[0], tuple(ids[0]), tuple(ids[1]), keep=True)
            edit.finish(self.reviewer)
        return sentence_id, sentence_id + 1

    def join_sentences(self, doc_id: int, side: str, sentence_id: int) -> int:
        """Join a sentence with the next one (same article), without a space between two CJK
        sentences. Within one unit the decision stays; across two units both become pending.
        Later sentence ids move down by one. Returns the joined sentence's id."""
        with self._write() as conn:
            s, articles, _translations, _n = self._sentence_edit_context(
                conn, doc_id, side, sentence_id, extra=1
            )
            if any(a == sentence_id + 1 for a, _b in articles):
                raise InputError(
                    f"{side} sentences {sentence_id} and {sentence_id + 1} are in different "
                    "articles (.EOA between them)"
                )
            texts = [
                t
                for (t,) in conn.execute(
                    "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx IN (?, ?) "
                    "ORDER BY idx",
                    (doc_id, s, sentence_id, sentence_id + 1),
                )
            ]
            edit = history.Edit(conn, f"join {side} sentences", doc_id)
            edit.touch_sentence(doc_id, s, sentence_id)
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (join_texts(*texts), doc_id, s, sentence_id),
            )
            first = queries.unit_with_sentence(conn, doc_id, s, sentence_id)
            second = queries.unit_with_sentence(conn, doc_id, s, sentence_id + 1)
            if second is not None:
                edit.touch_units([second[0]])
                ids = [list(second[1]), list(second[2])]
                ids[s].remove(sentence_id + 1)
                same = first is not None and first[0] == second[0]
                if ids[0] or ids[1]:
                    queries.set_unit_ids(conn, second[0], tuple(ids[0]), tuple(ids[1]), keep=same)
                else:
                    conn.execute("DELETE FROM units WHERE id = ?", (second[0],))
                if first is not None and not same:
                    edit.touch_units([first[0]])
                    queries.set_unit_ids(conn, first[0], first[1], first[2])
            after = [[a - (a > sentence_id + 1), b - (b > sentence_id + 1)] for a, b in articles]
            edit.slot(
                slots.remove_op(conn, doc_id, s, sentence_id + 1, (articles, after), join_mt=True)
            )
            edit.finish(self.reviewer)
        return sentence_id

    def insert_sentence(self, doc_id: int, side: str, before_id: int, text: str) -> int:
        """Insert a sentence (a missing line) as id ``before_id`` (= the sentence count to
        append), in a new unit of its own — or, when ``before_id`` falls inside a unit of
        several sentences, into that unit (which becomes pending), so that text stays in
        order; later ids move up by one. Returns its id."""
        if not text.strip() or "\n" in text or "\r" in text:
            raise InputError("an inserted sentence needs text, without line breaks")
        with self._write() as conn:
            s = _side(side)
            row = self._doc_row(doc_id)
            articles = [list(a) for a in json.loads(row[5 + s])]
            n = articles[-1][1] if articles else 0
            if not 0 <= before_id <= n:
                raise ProjectError(f"document {doc_id}: cannot insert before {side} {before_id}")
            translations = [
                t
                for (t,) in conn.execute(
                    "SELECT id FROM translations WHERE doc_id = ? AND side = ?", (doc_id, s)
                )
            ]
            if before_id == n:
                after = [list(a) for a in articles]
                after[-1][1] += 1
            else:
                after = [[a + (a > before_id), b + (b > before_id)] for a, b in articles]
            # Where the new unit goes: before the unit holding the sentence it precedes.
            holder = queries.unit_with_sentence(conn, doc_id, s, before_id)
            if holder is not None and min(holder[1 + s]) < before_id:
                # Inside a unit: a unit of its own would come before the unit's earlier
                # sentences and put the text out of order.
                edit = history.Edit(conn, f"insert {side} sentence", doc_id)
                edit.slot(
                    slots.insert_op(
                        doc_id, s, before_id, text.strip(), translations, (articles, after)
                    )
                )
                unit = queries.unit_with_sentence(conn, doc_id, s, before_id - 1)
                edit.touch_units([unit[0]])
                ids = [list(unit[1]), list(unit[2])]
                ids[s] = sorted({*ids[s], before_id})
                queries.set_unit_ids(conn, unit[0], tuple(ids[0]), tuple(ids[1]))
                edit.finish(self.reviewer)
                return before_id
            if holder is None and before_id > 0:
                prev = queries.unit_with_sentence(conn, doc_id, s, before_id - 1)
                anchor = None if prev is None else prev[3]
            elif holder is not None:
                row = queries.neighbour_row(conn, doc_id, holder[3], -1)
                anchor = row[1] if row else holder[3] - (1 << 20)
            else:
                anchor = None
            if anchor is None:
                last = conn.execute(
                    "SELECT MAX(position) FROM units WHERE doc_id = ?", (doc_id,)
                ).fetchone()[0]
                anchor = last if last is not None else 0
            edit = history.Edit(conn, f"insert {side} sentence", doc_id)
            edit.slot(
                slots.insert_op(doc_id, s, before_id, text.strip(), translations, (articles, after))
            )
            (position,) = queries.free_positions(conn, edit, doc_id, anchor, 1)
            ids = (((before_id,), ()), ((), (before_id,)))[s]
            edit.new_unit(queries.insert_manual_unit(conn, doc_id, position, *ids))
            edit.finish(self.reviewer)
        return before_id

    def delete_sentence(self, doc_id: int, side: str, sentence_id: int) -> None:
        """Delete a sentence (e.g. OCR noise); its unit becomes pending (or goes, if empty);
        later ids move down by one. Undo puts it back."""
        with self._write() as conn:
            s, articles, _translations, _n = self._sentence_edit_context(
                conn, doc_id, side, sentence_id
            )
            # An article left without sentences would no longer pair with the other side's.
            if [sentence_id, sentence_id + 1] in articles:
                raise InputError(
                    f"{side} sentence {sentence_id} is its article's only sentence; deleting it "
                    "would leave an empty article"
                )
            edit = history.Edit(conn, f"delete {side} sentence", doc_id)
            unit = queries.unit_with_sentence(conn, doc_id, s, sentence_id)
            if unit is not None:
                edit.touch_units([unit[0]])
                ids = [list(unit[1]), list(unit[2])]
                ids[s].remove(sentence_id)
                if ids[0] or ids[1]:
                    queries.set_unit_ids(conn, unit[0], tuple(ids[0]), tuple(ids[1]))
                else:
                    conn.execute("DELETE FROM units WHERE id = ?", (unit[0],))
            after = [[a - (a > sentence_id), b - (b > sentence_id)] for a, b in articles]
            edit.slot(slots.remove_op(conn, doc_id, s, sentence_id, (articles, after)))
            edit.finish(self.reviewer)
