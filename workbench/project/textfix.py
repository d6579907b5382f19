"""Text fixes beyond editing one sentence: several edits at once, split, join, insert, delete.

Sentence ids are dense indexes (``0..n-1`` per side) that units, articles and translations
refer to, so a split, join, insert or delete renumbers everything after the changed sentence on
that side. Each fix is one transaction and one undo step through the project's history, like
``Project.edit_sentence``: the units it touches are snapshotted by the :class:`Edit`, and the
renumbered tail of the side (texts, imported originals, articles and translation lines) by a
whole-side snapshot that :func:`restore_side` writes back on undo and redo.

What happens to units: a sentence split stays in its unit (the pair's text is unchanged, so its
decision stands); a join inside one unit keeps the decision too. A join across two units, a
deleted sentence, or an inserted one changes what a pair says, so the units concerned become
pending (an inserted sentence gets a unit of its own right where it was inserted). A sentence
made by a split or an insert has no imported original (``""``); a join joins the originals.

The journal records the fix (kind, side, index, texts before and after) and the units whose
content or decision changed; renumbering alone is not a change of a decision, so it is not
journalled as one (the audit summary would count it as a reversal).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from workbench.errors import InputError, ProjectError
from workbench.project import history, queries
from workbench.project.model import SIDES, parse_ids

if TYPE_CHECKING:
    from workbench.project.project import Project

_HI = ("src_hi", "tgt_hi")
_LO = ("src_lo", "tgt_lo")
_ARTICLES = ("source_articles", "target_articles")
# Scripts written without spaces between words: a join adds no space between two of these.
_NO_SPACE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _side(side: str) -> int:
    if side not in SIDES:
        raise InputError(f"unknown side {side!r}; choose source or target")
    return SIDES.index(side)


def _check_text(text: str) -> str:
    if "\n" in text or "\r" in text:
        raise InputError("a sentence cannot contain a line break; split it instead")
    return text


def join_texts(first: str, second: str) -> str:
    """Two sentences as one: a space between them, except between CJK characters."""
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return first + second
    if _NO_SPACE.match(first[-1]) and _NO_SPACE.match(second[0]):
        return first + second
    return f"{first} {second}"


# -- whole-side snapshots -----------------------------------------------------------------------
def side_state(conn: sqlite3.Connection, doc_id: int, side: int, start: int) -> dict:
    """Everything of one side from sentence ``start`` on that a renumbering changes."""
    sentences = conn.execute(
        "SELECT text, original FROM sentences WHERE doc_id = ? AND side = ? AND idx >= ? "
        "ORDER BY idx",
        (doc_id, side, start),
    ).fetchall()
    row = conn.execute(
        f"SELECT {_ARTICLES[side]} FROM documents WHERE id = ?", (doc_id,)
    ).fetchone()
    translations = {}
    for (tid,) in conn.execute(
        "SELECT id FROM translations WHERE doc_id = ? AND side = ?", (doc_id, side)
    ).fetchall():
        translations[str(tid)] = [
            t
            for (t,) in conn.execute(
                "SELECT text FROM translation_sentences WHERE translation_id = ? AND idx >= ? "
                "ORDER BY idx",
                (tid, start),
            )
        ]
    return {
        "start": start,
        "sentences": [list(r) for r in sentences],
        "articles": json.loads(row[0]),
        "translations": translations,
    }


def restore_side(conn: sqlite3.Connection, doc_id: int, side: int, state: Mapping) -> None:
    """Write a :func:`side_state` snapshot back (undo and redo of a structural fix)."""
    start = state["start"]
    conn.execute(
        "DELETE FROM sentences WHERE doc_id = ? AND side = ? AND idx >= ?", (doc_id, side, start)
    )
    conn.executemany(
        "INSERT INTO sentences (doc_id, side, idx, text, original) VALUES (?, ?, ?, ?, ?)",
        [(doc_id, side, start + k, t, o) for k, (t, o) in enumerate(state["sentences"])],
    )
    conn.execute(
        f"UPDATE documents SET {_ARTICLES[side]} = ? WHERE id = ?",
        (json.dumps(state["articles"]), doc_id),
    )
    for tid, texts in state["translations"].items():
        conn.execute(
            "DELETE FROM translation_sentences WHERE translation_id = ? AND idx >= ?",
            (int(tid), start),
        )
        conn.executemany(
            "INSERT INTO translation_sentences (translation_id, idx, text) VALUES (?, ?, ?)",
            [(int(tid), start + k, t) for k, t in enumerate(texts)],
        )


# -- the common machinery of a structural fix ---------------------------------------------------
class _Fix:
    """One structural fix on one side of one document, inside the caller's transaction."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        project: Project,
        kind: str,
        doc_id: int,
        side: int,
        start: int,
    ):
        self.conn, self.project, self.doc_id, self.side, self.start = (
            conn,
            project,
            doc_id,
            side,
            start,
        )
        if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
            raise ProjectError(f"{project.path}: no document {doc_id}")
        self.edit = history.Edit(conn, f"{kind} {SIDES[side]} sentence", doc_id)
        self.before = side_state(conn, doc_id, side, start)
        self.texts = [t for t, _o in self.before["sentences"]]  # texts from ``start`` on
        self.changed_units: list[int] = []

    def n_sentences(self) -> int:
        return self.start + len(self.texts)

    def text(self, idx: int) -> str:
        if not self.start <= idx < self.n_sentences():
            raise ProjectError(f"document {self.doc_id} has no {SIDES[self.side]} sentence {idx}")
        return self.texts[idx - self.start]

    def unit_of(self, idx: int) -> tuple[int, tuple, tuple] | None:
        """(id, source ids, target ids) of the unit holding sentence ``idx`` of this side."""
        rows = self.conn.execute(
            f"SELECT id, source_ids, target_ids FROM units WHERE doc_id = ? AND {_LO[self.side]} <= ? "
            f"AND {_HI[self.side]} >= ?",
            (self.doc_id, idx, idx),
        ).fetchall()
        for uid, s, t in rows:
            ids = (parse_ids(s), parse_ids(t))
            if idx in ids[self.side]:
                return uid, ids[0], ids[1]
        return None

    def current_ids(self, unit_id: int) -> tuple[tuple, tuple]:
        s, t = self.conn.execute(
            "SELECT source_ids, target_ids FROM units WHERE id = ?", (unit_id,)
        ).fetchone()
        return parse_ids(s), parse_ids(t)

    def renumber(self, mapping: Any, first: int) -> None:
        """Apply ``mapping`` (old id -> new id) to this side's ids >= ``first`` in every unit,
        keeping decisions (a renumbering is not a change of content)."""
        rows = self.conn.execute(
            f"SELECT id, source_ids, target_ids FROM units WHERE doc_id = ? AND {_HI[self.side]} >= ?",
            (self.doc_id, first),
        ).fetchall()
        self.edit.touch_units([r[0] for r in rows])
        for uid, s, t in rows:
            ids = [parse_ids(s), parse_ids(t)]
            ids[self.side] = tuple(mapping(i) if i >= first else i for i in ids[self.side])
            self.set_ids(uid, ids[0], ids[1], keep_status=True)

    def set_ids(self, unit_id: int, source: tuple, target: tuple, keep_status: bool) -> None:
        self.edit.touch_units([unit_id])
        if not source and not target:
            self.conn.execute("DELETE FROM units WHERE id = ?", (unit_id,))
        elif keep_status:
            self.conn.execute(
                "UPDATE units SET source_ids = ?, target_ids = ?, src_lo = ?, src_hi = ?, "
                "n_src = ?, tgt_lo = ?, tgt_hi = ?, n_tgt = ? WHERE id = ?",
                (*queries.id_columns(source, target), unit_id),
            )
        else:
            queries.set_unit_ids(self.conn, unit_id, source, target)
        if not keep_status:
            self.changed_units.append(unit_id)

    def shift_translations(self, at: int, insert: str | None, join: bool = False) -> None:
        """Keep translation lines in step: add a line at ``at`` (``insert``), or remove line
        ``at`` (joining it onto the one before when ``join``)."""
        for tid, texts in self.before["translations"].items():
            texts = list(texts)
            k = at - self.start
            if insert is not None:
                texts.insert(k, insert)
            elif join and 1 <= k < len(texts):
                texts[k - 1 : k + 1] = [join_texts(texts[k - 1], texts[k])]
            elif 0 <= k < len(texts):
                del texts[k]
            self.after_translations[tid] = texts

    def finish(self, sentences: list[list[str]], articles: list, journal: dict) -> None:
        """Write the side's new tail and the step (one undo step, journalled)."""
        after = {
            "start": self.start,
            "sentences": sentences,
            "articles": articles,
            "translations": {
                tid: self.after_translations.get(tid, texts)
                for tid, texts in self.before["translations"].items()
            },
        }
        restore_side(self.conn, self.doc_id, self.side, after)
        self.edit.sides.append([self.doc_id, self.side, self.before, after])
        views_before, views_after = {}, {}
        rows_after = history.unit_rows(self.conn, self.changed_units)
        for uid in self.changed_units:
            views_before[str(uid)] = history._journal_view(self.edit._units.get(uid))
            views_after[str(uid)] = history._journal_view(rows_after[uid])
        self.edit.finish(
            self.project.reviewer,
            {
                **views_before,
                "fix": journal["fix"],
                "side": SIDES[self.side],
                "before": journal["before"],
            },
            {
                **views_after,
                "fix": journal["fix"],
                "side": SIDES[self.side],
                "after": journal["after"],
            },
        )

    after_translations: dict[str, list[str]]


def _begin(
    conn: sqlite3.Connection, project: Project, kind: str, doc_id: int, side: int, start: int
) -> _Fix:
    if start < 0:
        raise InputError(f"no sentence {start}: sentence ids start at 0")
    fix = _Fix(conn, project, kind, doc_id, side, start)
    fix.after_translations = {}
    return fix


def _articles_after(articles: list, at: int, delta: int, *, inserting: bool) -> list:
    """Article ranges after adding (``delta`` = 1) or removing (-1) the sentence at ``at``.

    An inserted sentence joins the article that holds sentence ``at`` (the last one when it is
    appended); a removed sentence leaves its article, which may not become empty."""
    out = []
    holder = None
    for k, (start, stop) in enumerate(articles):
        if start <= at < stop or (inserting and at == stop and k == len(articles) - 1):
            holder = k
            break
    if holder is None:
        raise InputError(f"sentence {at} is in no article")
    for k, (start, stop) in enumerate(articles):
        if k < holder:
            out.append([start, stop])
        elif k == holder:
            if stop + delta <= start:
                raise InputError(
                    "that would leave an empty article; delete the article's sentences elsewhere first"
                )
            out.append([start, stop + delta])
        else:
            out.append([start + delta, stop + delta])
    return out


# -- the fixes ----------------------------------------------------------------------------------
def edit_sentences(project: Project, doc_id: int, side: str, texts: Mapping[int, str]) -> int:
    """Fix several sentences' texts as one undo step (a replace-all); returns how many
    changed. Journalled like ``Project.edit_sentence`` (the imported text stays the original)."""
    s = _side(side)
    for text in texts.values():
        _check_text(text)
    with project._write() as conn:
        changed = []
        for idx, text in sorted(texts.items()):
            row = conn.execute(
                "SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
                (doc_id, s, idx),
            ).fetchone()
            if row is None:
                raise ProjectError(f"document {doc_id} has no {side} sentence {idx}")
            if row[0] != text:
                changed.append((idx, text))
        if not changed:
            return 0
        edit = history.Edit(conn, f"edit {side}", doc_id)
        for idx, text in changed:
            edit.touch_sentence(doc_id, s, idx)
            conn.execute(
                "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = ? AND idx = ?",
                (text, doc_id, s, idx),
            )
        edit.finish(project.reviewer)
    return len(changed)


def split_sentence(project: Project, doc_id: int, side: str, idx: int, at: int) -> tuple[int, int]:
    """Split sentence ``idx`` at character ``at`` into ``idx`` and ``idx + 1`` (both stay in
    the sentence's unit); returns the two ids."""
    s = _side(side)
    with project._write() as conn:
        fix = _begin(conn, project, "split", doc_id, s, idx)
        text = fix.text(idx)
        first, second = text[:at].strip(), text[at:].strip()
        if not 0 < at < len(text) or not first or not second:
            raise InputError(f"splitting “{text}” at {at} would leave an empty sentence")
        holder = fix.unit_of(idx)
        fix.renumber(lambda i: i + 1, idx + 1)
        if holder is not None:
            uid, src, tgt = holder
            ids = [src, tgt]
            ids[s] = tuple(sorted({*(i + 1 if i > idx else i for i in ids[s]), idx + 1}))
            fix.set_ids(uid, ids[0], ids[1], keep_status=True)
        tail = [list(r) for r in fix.before["sentences"]]
        tail[0:1] = [[first, tail[0][1]], [second, ""]]
        fix.shift_translations(idx + 1, "")
        fix.finish(
            tail,
            _articles_after(fix.before["articles"], idx, 1, inserting=True),
            {
                "fix": "split",
                "before": {str(idx): text},
                "after": {str(idx): first, str(idx + 1): second},
            },
        )
    return idx, idx + 1


def join_sentences(project: Project, doc_id: int, side: str, idx: int) -> int:
    """Join sentence ``idx + 1`` onto sentence ``idx`` (same article); returns ``idx``."""
    s = _side(side)
    with project._write() as conn:
        fix = _begin(conn, project, "join", doc_id, s, idx)
        first, second = fix.text(idx), fix.text(idx + 1) if idx + 1 < fix.n_sentences() else None
        if second is None:
            raise InputError(f"{side} sentence {idx} is the last one; nothing follows to join")
        articles = fix.before["articles"]
        if any(stop == idx + 1 for _start, stop in articles):
            raise InputError(f"{side} sentences {idx} and {idx + 1} are in different articles")
        a, b = fix.unit_of(idx), fix.unit_of(idx + 1)
        same = a is not None and b is not None and a[0] == b[0]
        # Take sentence idx + 1 out of its unit first, then renumber the rest down.
        if b is not None:
            ids = [b[1], b[2]]
            ids[s] = tuple(i for i in ids[s] if i != idx + 1)
            fix.set_ids(b[0], ids[0], ids[1], keep_status=same)
        fix.renumber(lambda i: i - 1, idx + 2)
        if a is not None and not same:
            fix.set_ids(a[0], *fix.current_ids(a[0]), keep_status=False)
        tail = [list(r) for r in fix.before["sentences"]]
        joined = join_texts(first, second)
        tail[0:2] = [[joined, join_texts(tail[0][1], tail[1][1])]]
        fix.shift_translations(idx + 1, None, join=True)
        fix.finish(
            tail,
            _articles_after(articles, idx + 1, -1, inserting=False),
            {
                "fix": "join",
                "before": {str(idx): first, str(idx + 1): second},
                "after": {str(idx): joined},
            },
        )
    return idx


def insert_sentence(project: Project, doc_id: int, side: str, idx: int, text: str) -> int:
    """Insert a sentence before sentence ``idx`` (``idx`` = the count appends); it gets a
    pending unit of its own in place. Returns the new unit's id."""
    s = _side(side)
    if not _check_text(text).strip():
        raise InputError("an inserted sentence needs some text")
    with project._write() as conn:
        fix = _begin(conn, project, "insert", doc_id, s, idx)
        n = fix.n_sentences()
        if not 0 <= idx <= n:
            raise ProjectError(
                f"document {doc_id} has {n} {side} sentences; cannot insert at {idx}"
            )
        fix.renumber(lambda i: i + 1, idx)
        # Place the new unit after the unit holding the previous sentence (before all
        # units when there is none), so it shows where it was inserted.
        prev = conn.execute(
            f"SELECT position FROM units WHERE doc_id = ? AND {_HI[s]} < ? "
            "ORDER BY position DESC LIMIT 1",
            (doc_id, idx),
        ).fetchone()
        if prev is not None:
            (position,) = queries.free_positions(conn, fix.edit, doc_id, prev[0], 1)
        else:
            position = queries.position_before_first(conn, doc_id)
        ids = ((idx,), ()) if s == 0 else ((), (idx,))
        new_id = queries.insert_manual_unit(conn, doc_id, position, *ids)
        fix.edit.new_unit(new_id)
        fix.changed_units.append(new_id)
        tail = [[text.strip(), ""], *(list(r) for r in fix.before["sentences"])]
        fix.shift_translations(idx, "")
        fix.finish(
            tail,
            _articles_after(fix.before["articles"], idx, 1, inserting=True),
            {"fix": "insert", "before": {}, "after": {str(idx): text.strip()}},
        )
    return new_id


def delete_sentence(project: Project, doc_id: int, side: str, idx: int) -> None:
    """Delete a sentence (its unit becomes pending, or goes when nothing is left in it)."""
    s = _side(side)
    with project._write() as conn:
        fix = _begin(conn, project, "delete", doc_id, s, idx)
        text = fix.text(idx)
        articles = _articles_after(fix.before["articles"], idx, -1, inserting=False)
        holder = fix.unit_of(idx)
        if holder is not None:
            ids = [holder[1], holder[2]]
            ids[s] = tuple(i for i in ids[s] if i != idx)
            fix.set_ids(holder[0], ids[0], ids[1], keep_status=False)
        fix.renumber(lambda i: i - 1, idx + 1)
        tail = [list(r) for r in fix.before["sentences"][1:]]
        fix.shift_translations(idx, None)
        fix.finish(tail, articles, {"fix": "delete", "before": {str(idx): text}, "after": {}})
