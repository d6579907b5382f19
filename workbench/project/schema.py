"""The project file's schema, its version, and the migrations from older versions.

The file is an SQLite database marked with :data:`APPLICATION_ID` (so "not a project" is
detectable from the header without opening it with SQLite) and ``PRAGMA user_version`` =
:data:`SCHEMA_VERSION`. Each migration is a function from version N to N+1, run in one
transaction; the DDL of every released version is kept here so that the migrations can be
tested against real old files.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator

from workbench.errors import ProjectError

APPLICATION_ID = 0x57424E43  # "WBNC": workbench corpus project
SCHEMA_VERSION = 5

# Version 1: no bookmark notes, no translation cache, no spot-check samples.
SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    source_lang TEXT NOT NULL DEFAULT '',
    target_lang TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    source_articles TEXT NOT NULL,
    target_articles TEXT NOT NULL
);
CREATE TABLE sentences (
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    side INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    original TEXT NOT NULL,
    PRIMARY KEY (doc_id, side, idx)
) WITHOUT ROWID;
CREATE TABLE translations (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    side INTEGER NOT NULL,
    translator TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE translation_sentences (
    translation_id INTEGER NOT NULL REFERENCES translations(id),
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (translation_id, idx)
) WITHOUT ROWID;
CREATE TABLE suggestion_runs (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    scorer TEXT NOT NULL,
    created REAL NOT NULL,
    params TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE suggestions (
    run_id INTEGER NOT NULL REFERENCES suggestion_runs(id),
    k INTEGER NOT NULL,
    source_ids TEXT NOT NULL,
    target_ids TEXT NOT NULL,
    score REAL,
    method TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, k)
) WITHOUT ROWID;
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id),
    position INTEGER NOT NULL,
    source_ids TEXT NOT NULL,
    target_ids TEXT NOT NULL,
    src_lo INTEGER, src_hi INTEGER, n_src INTEGER NOT NULL,
    tgt_lo INTEGER, tgt_hi INTEGER, n_tgt INTEGER NOT NULL,
    score REAL,
    scorer TEXT NOT NULL DEFAULT '',
    method TEXT NOT NULL DEFAULT '',
    run_id INTEGER,
    status TEXT NOT NULL DEFAULT 'pending',
    decided_at REAL,
    bookmark INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX units_position ON units(doc_id, position);
CREATE INDEX units_status ON units(status, doc_id, position);
CREATE TABLE journal (
    id INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    reviewer TEXT NOT NULL,
    action TEXT NOT NULL,
    doc_id INTEGER,
    unit_ids TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL
);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    action TEXT NOT NULL,
    doc_id INTEGER,
    changes TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
"""

# Version 2 additions (also the migration 1 -> 2).
_V2_ADDITIONS = """
ALTER TABLE units ADD COLUMN bookmark_note TEXT NOT NULL DEFAULT '';
CREATE TABLE translation_cache (
    identity TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    PRIMARY KEY (identity, source)
) WITHOUT ROWID;
CREATE TABLE samples (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    seed INTEGER,
    params TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE sample_items (
    sample_id INTEGER NOT NULL REFERENCES samples(id),
    k INTEGER NOT NULL,
    doc_id INTEGER NOT NULL,
    source_ids TEXT NOT NULL,
    target_ids TEXT NOT NULL,
    PRIMARY KEY (sample_id, k)
) WITHOUT ROWID;
CREATE TABLE judgements (
    doc_id INTEGER NOT NULL,
    source_ids TEXT NOT NULL,
    target_ids TEXT NOT NULL,
    verdict TEXT NOT NULL,
    time REAL NOT NULL,
    reviewer TEXT NOT NULL,
    PRIMARY KEY (doc_id, source_ids, target_ids)
) WITHOUT ROWID;
CREATE INDEX units_score ON units(doc_id, score);
CREATE INDEX journal_time ON journal(time);
"""


# Version 4 additions (also the migration 3 -> 4): the aligner's confidence per unit and per
# stored suggestion (NULL: not estimated, e.g. units aligned before version 4).
_V4_ADDITIONS = """
ALTER TABLE units ADD COLUMN confidence REAL;
ALTER TABLE suggestions ADD COLUMN confidence REAL;
CREATE INDEX units_confidence ON units(doc_id, confidence);
"""


# Version 5 additions (also the migration 4 -> 5): who made a unit. ``edited`` is 1 for a unit
# the curator made or edited (a merge, a split, a moved sentence, a text fix), 0 for the
# aligner's suggestion nobody touched; re-aligning keeps edited units like decided ones.
_V5_ADDITIONS = """
ALTER TABLE units ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
"""


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the current schema in an empty database (inside the caller's transaction)."""
    for statement in _statements(SCHEMA_V1) + _statements(_V2_ADDITIONS):
        conn.execute(statement)
    _migrate_2_to_3(conn)
    _migrate_3_to_4(conn)
    _migrate_4_to_5(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V2_ADDITIONS):
        conn.execute(statement)


def _ints(value: object) -> Iterator[int]:
    if isinstance(value, bool):
        return
    if isinstance(value, int):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _ints(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _ints(item)


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Unit ids are never reused (AUTOINCREMENT).

    The undo history stores unit rows by id; with plain ``INTEGER PRIMARY KEY`` SQLite gave a
    new unit (say, of another document's new alignment) the id of a deleted one, and undoing
    the deletion then overwrote the newcomer. The table is rebuilt with AUTOINCREMENT and the
    id sequence starts above every id the history may still restore (every integer in it:
    over-estimating only skips ids).
    """
    columns = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(units)"))
    table_sql = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'units'"
    ).fetchone()[0]
    index_sql = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'units' "
            "AND sql IS NOT NULL"
        )
    ]
    new_sql = table_sql.replace("CREATE TABLE units", "CREATE TABLE units_v3", 1).replace(
        "id INTEGER PRIMARY KEY", "id INTEGER PRIMARY KEY AUTOINCREMENT", 1
    )
    conn.execute(new_sql)
    conn.execute(f"INSERT INTO units_v3 ({columns}) SELECT {columns} FROM units")
    conn.execute("DROP TABLE units")
    conn.execute("ALTER TABLE units_v3 RENAME TO units")
    for sql in index_sql:
        conn.execute(sql)
    high = conn.execute("SELECT COALESCE(MAX(id), 0) FROM units").fetchone()[0]
    for (changes,) in conn.execute("SELECT changes FROM history"):
        high = max(high, max(_ints(json.loads(changes)), default=0))
    conn.execute("DELETE FROM sqlite_sequence WHERE name = 'units'")
    conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('units', ?)", (high,))


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    """Units and suggestions get a ``confidence`` column; existing rows keep everything and
    have none (NULL) until their document is aligned again."""
    for statement in _statements(_V4_ADDITIONS):
        conn.execute(statement)


def _migrate_4_to_5(conn: sqlite3.Connection) -> None:
    """Units get an ``edited`` flag. Before version 5 a unit the curator reshaped (merge,
    split, moved sentence, a sentence inserted or deleted) had the method ``manual``, and a
    fixed sentence differs from its original: those units are marked; every other unit is the
    aligner's (or an import's) as it was made."""
    for statement in _statements(_V5_ADDITIONS):
        conn.execute(statement)
    conn.execute("UPDATE units SET edited = 1 WHERE method = 'manual'")
    fixed = {
        (doc_id, side, idx)
        for doc_id, side, idx in conn.execute(
            "SELECT doc_id, side, idx FROM sentences WHERE text != original"
        )
    }
    if not fixed:
        return
    marked = [
        (uid,)
        for uid, doc_id, source, target in conn.execute(
            "SELECT id, doc_id, source_ids, target_ids FROM units WHERE edited = 0"
        )
        if any(
            (doc_id, side, int(i)) in fixed
            for side, ids in ((0, source), (1, target))
            for i in ids.split(",")
            if i
        )
    ]
    conn.executemany("UPDATE units SET edited = 1 WHERE id = ?", marked)


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
}


def migrate(conn: sqlite3.Connection, path: object) -> int:
    """Bring the schema up to :data:`SCHEMA_VERSION`, one step per transaction.

    Returns the version the file had. A file from a newer workbench is refused, untouched.
    """
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise ProjectError(
            f"{path}: project schema version {found} is newer than this workbench supports "
            f"({SCHEMA_VERSION}); upgrade the workbench"
        )
    if found < 1:
        raise ProjectError(f"{path}: not a workbench project (no schema version)")
    version = found
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:  # SQLite rolls back itself on a full disk or I/O error
                conn.execute("ROLLBACK")
            raise
    return found
