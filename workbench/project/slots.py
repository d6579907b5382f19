"""Inserting and removing a sentence slot in one side of a document, renumbering after it.

Sentence ids are positions, so a text fix that splits, joins, inserts or deletes a sentence
shifts the ids of every later sentence on that side: in the sentences, in every translation
of that side, in the review units, in spot-check samples and judgements, and in the article
boundaries. An *insert* op and a *remove* op carry everything needed to be each other's exact
inverse, which is how the undo history replays them. Stored suggestion runs keep the ids of
their time (they record what the aligner said then).
"""

from __future__ import annotations

import json
import sqlite3

from workbench.project.joining import join_texts
from workbench.project.model import ids_text, parse_ids

_SIDE_COLUMNS = (
    ("source_ids", "src_lo", "src_hi", "n_src"),
    ("target_ids", "tgt_lo", "tgt_hi", "n_tgt"),
)


def _shift_ids(ids: tuple[int, ...], threshold: int, delta: int) -> tuple[int, ...]:
    return tuple(i + delta if i >= threshold else i for i in ids)


def _shift(conn: sqlite3.Connection, doc: int, side: int, threshold: int, delta: int) -> None:
    """Ids >= threshold on one side of a document move by delta (their targets are free)."""
    # Two passes through negative ids so that no primary key collides on the way.
    conn.execute(
        "UPDATE sentences SET idx = -(idx + ?) - 1 WHERE doc_id = ? AND side = ? AND idx >= ?",
        (delta, doc, side, threshold),
    )
    conn.execute(
        "UPDATE sentences SET idx = -idx - 1 WHERE doc_id = ? AND side = ? AND idx < 0", (doc, side)
    )
    translations = [
        t
        for (t,) in conn.execute(
            "SELECT id FROM translations WHERE doc_id = ? AND side = ?", (doc, side)
        )
    ]
    for tid in translations:
        conn.execute(
            "UPDATE translation_sentences SET idx = -(idx + ?) - 1 WHERE translation_id = ? "
            "AND idx >= ?",
            (delta, tid, threshold),
        )
        conn.execute(
            "UPDATE translation_sentences SET idx = -idx - 1 WHERE translation_id = ? AND idx < 0",
            (tid,),
        )
    ids_col, lo_col, hi_col, _n = _SIDE_COLUMNS[side]
    rows = conn.execute(
        f"SELECT id, {ids_col} FROM units WHERE doc_id = ? AND {hi_col} >= ?", (doc, threshold)
    ).fetchall()
    updates = []
    for uid, text in rows:
        ids = _shift_ids(parse_ids(text), threshold, delta)
        updates.append((ids_text(ids), min(ids), max(ids), uid))
    conn.executemany(
        f"UPDATE units SET {ids_col} = ?, {lo_col} = ?, {hi_col} = ? WHERE id = ?", updates
    )
    # Spot-check items and judgements name pairs by ids too.
    side_col = ("source_ids", "target_ids")[side]
    items = conn.execute(
        f"SELECT sample_id, k, {side_col} FROM sample_items WHERE doc_id = ?", (doc,)
    ).fetchall()
    conn.executemany(
        f"UPDATE sample_items SET {side_col} = ? WHERE sample_id = ? AND k = ?",
        [
            (ids_text(_shift_ids(parse_ids(t), threshold, delta)), s, k)
            for s, k, t in items
            if any(i >= threshold for i in parse_ids(t))
        ],
    )
    judged = conn.execute(
        "SELECT source_ids, target_ids, verdict, time, reviewer FROM judgements WHERE doc_id = ?",
        (doc,),
    ).fetchall()
    moved = [row for row in judged if any(i >= threshold for i in parse_ids(row[side]))]
    conn.executemany(
        "DELETE FROM judgements WHERE doc_id = ? AND source_ids = ? AND target_ids = ?",
        [(doc, s, t) for s, t, *_rest in moved],
    )
    renamed = []
    for row in moved:
        pair = list(row[:2])
        pair[side] = ids_text(_shift_ids(parse_ids(pair[side]), threshold, delta))
        renamed.append((doc, *pair, *row[2:]))
    conn.executemany("INSERT OR REPLACE INTO judgements VALUES (?, ?, ?, ?, ?, ?)", renamed)


def _set_articles(conn: sqlite3.Connection, doc: int, side: int, articles: list) -> None:
    column = ("source_articles", "target_articles")[side]
    conn.execute(f"UPDATE documents SET {column} = ? WHERE id = ?", (json.dumps(articles), doc))


def _insert(conn: sqlite3.Connection, op: dict, articles: list) -> None:
    doc, side, at = op["doc"], op["side"], op["at"]
    _shift(conn, doc, side, at, 1)
    conn.execute(
        "INSERT INTO sentences (doc_id, side, idx, text, original) VALUES (?, ?, ?, ?, ?)",
        (doc, side, at, op["text"], op["original"]),
    )
    conn.executemany(
        "INSERT INTO translation_sentences (translation_id, idx, text) VALUES (?, ?, ?)",
        [(int(tid), at, text) for tid, text in op["mt"].items()],
    )
    for tid, old in op.get("mt_joined", {}).items():  # undoing a join: the MT of `at - 1`
        conn.execute(
            "UPDATE translation_sentences SET text = ? WHERE translation_id = ? AND idx = ?",
            (old, int(tid), at - 1),
        )
    # Undoing a removal: samples and judgements that named the sentence, as they were.
    side_col = ("source_ids", "target_ids")[side]
    conn.executemany(
        f"UPDATE sample_items SET {side_col} = ? WHERE sample_id = ? AND k = ?",
        [(ids, sample, k) for sample, k, ids in op.get("samples", [])],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO judgements VALUES (?, ?, ?, ?, ?, ?)",
        [tuple(row) for row in op.get("judgements", [])],
    )
    _set_articles(conn, doc, side, articles)


def _remove(conn: sqlite3.Connection, op: dict, articles: list) -> None:
    doc, side, at = op["doc"], op["side"], op["at"]
    for tid, old in op.get("mt_joined", {}).items():  # a join: MT of `at` joins `at - 1`'s
        extra = op["mt"].get(tid, "")
        conn.execute(
            "UPDATE translation_sentences SET text = ? WHERE translation_id = ? AND idx = ?",
            (join_texts(old, extra), int(tid), at - 1),
        )
    conn.execute("DELETE FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?", (doc, side, at))
    conn.executemany(
        "DELETE FROM translation_sentences WHERE translation_id = ? AND idx = ?",
        [(int(tid), at) for tid in op["mt"]],
    )
    # Samples lose the sentence from their pair; a judgement of a pair that changed goes.
    side_col = ("source_ids", "target_ids")[side]
    conn.executemany(
        f"UPDATE sample_items SET {side_col} = ? WHERE sample_id = ? AND k = ?",
        [
            (ids_text(tuple(i for i in parse_ids(ids) if i != at)), sample, k)
            for sample, k, ids in op.get("samples", [])
        ],
    )
    conn.executemany(
        "DELETE FROM judgements WHERE doc_id = ? AND source_ids = ? AND target_ids = ?",
        [tuple(row[:3]) for row in op.get("judgements", [])],
    )
    _shift(conn, doc, side, at + 1, -1)
    _set_articles(conn, doc, side, articles)


def apply(conn: sqlite3.Connection, op: dict, forward: bool) -> None:
    """Apply a slot op (forward) or its inverse."""
    before, after = op["articles"]
    if (op["kind"] == "insert") == forward:
        _insert(conn, op, after if forward else before)
    else:
        _remove(conn, op, after if forward else before)


def insert_op(
    doc: int, side: int, at: int, text: str, translations: list[int], articles: tuple
) -> dict:
    """An op inserting sentence ``text`` as id ``at`` (empty in every translation)."""
    return {
        "kind": "insert",
        "doc": doc,
        "side": side,
        "at": at,
        "text": text,
        "original": text,
        "mt": {str(t): "" for t in translations},
        "articles": list(articles),
    }


def remove_op(
    conn: sqlite3.Connection, doc: int, side: int, at: int, articles: tuple, join_mt: bool = False
) -> dict:
    """An op removing sentence ``at``, remembering what the inverse needs to put back."""
    text, original = conn.execute(
        "SELECT text, original FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?",
        (doc, side, at),
    ).fetchone()
    mt = {}
    joined = {}
    for (tid,) in conn.execute(
        "SELECT id FROM translations WHERE doc_id = ? AND side = ?", (doc, side)
    ).fetchall():
        row = conn.execute(
            "SELECT text FROM translation_sentences WHERE translation_id = ? AND idx = ?",
            (tid, at),
        ).fetchone()
        mt[str(tid)] = row[0] if row else ""
        if join_mt:
            prev = conn.execute(
                "SELECT text FROM translation_sentences WHERE translation_id = ? AND idx = ?",
                (tid, at - 1),
            ).fetchone()
            joined[str(tid)] = prev[0] if prev else ""
    side_col = ("source_ids", "target_ids")[side]
    samples = [
        list(row)
        for row in conn.execute(
            f"SELECT sample_id, k, {side_col} FROM sample_items WHERE doc_id = ?", (doc,)
        )
        if at in parse_ids(row[2])
    ]
    judgements = [
        list(row)
        for row in conn.execute(
            "SELECT doc_id, source_ids, target_ids, verdict, time, reviewer FROM judgements WHERE doc_id = ?",
            (doc,),
        )
        if at in parse_ids(row[1 + side])
    ]
    op = {
        "samples": samples,
        "judgements": judgements,
        "kind": "remove",
        "doc": doc,
        "side": side,
        "at": at,
        "text": text,
        "original": original,
        "mt": mt,
        "articles": list(articles),
    }
    if join_mt:
        op["mt_joined"] = joined
    return op
