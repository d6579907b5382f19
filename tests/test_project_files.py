"""The project file: not-a-project and damaged files, one writer, migrations, crash safety."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from workbench import Project
from workbench.align import AlignmentUnit
from workbench.errors import ProjectError
from workbench.project.schema import APPLICATION_ID, SCHEMA_V1, SCHEMA_VERSION
from workbench.textio import Document


def make_project(path, n=4):
    with Project.create(path) as p:
        d = p.add_document(
            Document([f"s{i}" for i in range(n)]), Document([f"t{i}" for i in range(n)])
        )
        p.set_suggestions(d, [AlignmentUnit((i,), (i,), 0.5, "anchor") for i in range(n)], "bleu")
    return d


def snapshot(path):
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is text\n" * 20, b"\x00\x01" * 300],
    ids=["empty", "text", "binary"],
)
def test_not_a_project_is_refused_untouched(tmp_path, content):
    path = tmp_path / "x.wbproj"
    path.write_bytes(content)
    before = snapshot(path)
    with pytest.raises(ProjectError, match="not a workbench project"):
        Project.open(path)
    assert snapshot(path) == before
    assert sorted(os.listdir(tmp_path)) == ["x.wbproj"]


def test_other_sqlite_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = snapshot(path)
    with pytest.raises(ProjectError, match="another application"):
        Project.open(path)
    assert snapshot(path) == before


def test_missing_project(tmp_path):
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(tmp_path / "nope.wbproj")


def test_damaged_project_is_refused_untouched(tmp_path):
    path = tmp_path / "p.wbproj"
    make_project(path, n=2000)
    data = bytearray(path.read_bytes())
    page = 4096
    for k in range(2 * page, len(data) - page, 3 * page):  # scribble over pages, keep header
        data[k + 100 : k + 300] = os.urandom(200)
    path.write_bytes(bytes(data))
    before = snapshot(path)
    with pytest.raises(ProjectError, match="damaged project file"):
        Project.open(path)
    assert snapshot(path) == before
    assert not (tmp_path / "p.wbproj.lock").exists()


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "p.wbproj"
    make_project(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="newer than this workbench"):
        Project.open(path)
    with pytest.raises(ProjectError, match="newer than this workbench"):
        Project.open(path, read_only=True)


def test_migration_from_version_1(tmp_path):
    path = tmp_path / "old.wbproj"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO documents VALUES (1, 'old', 'de', 'fr', 0, '[[0, 2]]', '[[0, 2]]')")
    conn.executemany(
        "INSERT INTO sentences VALUES (1, ?, ?, ?, ?)",
        [(0, 0, "a", "a"), (0, 1, "b", "b"), (1, 0, "x", "x"), (1, 1, "y", "y")],
    )
    conn.execute(
        "INSERT INTO units (doc_id, position, source_ids, target_ids, src_lo, src_hi, n_src, "
        "tgt_lo, tgt_hi, n_tgt, score, status, bookmark) "
        "VALUES (1, 1, '0,1', '0,1', 0, 1, 2, 0, 1, 2, 0.4, 'accepted', 1)"
    )
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        (u,) = p.units()
        assert (u.source_text, u.target_text, u.status, u.bookmark) == (
            "a b",
            "x y",
            "accepted",
            True,
        )
        assert u.bookmark_note == ""
        p.set_bookmark(u.id, note="migrated")
        p.translation_cache.put_many("m", {"a": "b"})
        assert [q.source for q in p.export_pairs()] == ["a b"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


HOLDER = textwrap.dedent(
    """
    import sys, time
    from workbench import Project
    p = Project.open(sys.argv[1])
    print("open", flush=True)
    time.sleep(30)
    """
)


def test_second_process_gets_in_use_error_or_read_only(tmp_path):
    path = tmp_path / "p.wbproj"
    make_project(path)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(
            ProjectError, match=rf"in use by another process \(pid {holder.pid} on host"
        ):
            Project.open(path)
        with Project.open(path, read_only=True) as p:
            assert p.count_units() == 4
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The kernel released the dead holder's lock: no stale lock.
    with Project.open(path) as p:
        assert p.count_units() == 4


def test_same_process_cannot_open_twice_for_writing(tmp_path):
    path = tmp_path / "p.wbproj"
    make_project(path)
    with Project.open(path), pytest.raises(ProjectError, match="in use"):
        Project.open(path)
    with Project.open(path):
        pass


WORKER = textwrap.dedent(
    """
    import sys
    from workbench import Project
    p = Project.open(sys.argv[1])
    ids = [u.id for u in p.units()]
    k = 0
    while True:
        uid = ids[k % len(ids)]
        status = "accepted" if (k // len(ids)) % 2 == 0 else "rejected"
        p.decide(uid, status)
        print(uid, status, flush=True)
        k += 1
    """
)


def test_killed_writer_loses_no_acknowledged_decision(tmp_path):
    path = tmp_path / "p.wbproj"
    make_project(path, n=300)
    rng = random.Random(5)
    for _round in range(4):
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert worker.stdout.readline()  # started deciding
        time.sleep(rng.uniform(0.05, 0.6))
        worker.send_signal(signal.SIGKILL)
        out, _ = worker.communicate()
        acknowledged = {}
        last = None
        # A line the kill cut short has no newline yet: it acknowledges nothing.
        for line in out.split("\n")[:-1]:
            uid, status = line.split()
            acknowledged[int(uid)] = status
            last = int(uid)
        assert acknowledged
        with Project.open(path) as p:
            conn = sqlite3.connect(path)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.close()
            order = [u.id for u in p.units()]
            # Only the decision after the last acknowledged one may differ (it may have been
            # committed, unacknowledged, when the process died).
            following = order[(order.index(last) + 1) % len(order)]
            differ = [u for u, s in acknowledged.items() if p.unit(u).status != s]
            assert differ in ([], [following])
            # Reset for the next round so that each round's decisions are new.
            p.decide_many(order, "pending")


def test_unit_ids_are_never_reused_so_undo_cannot_overwrite_another_documents_unit(tmp_path):
    """Deleting the newest unit (a merge) and then adding units to another document must not
    hand the deleted id out again: undoing the merge restores that id's row."""
    from workbench.corpus import ParallelPair
    from workbench.textio import Document

    with Project.create(tmp_path / "p.wbproj") as p:
        d = p.add_document(Document(["a b", "c d", "e f"]), Document(["A B", "C D", "E F"]))
        p.set_suggestions(d, [], "bleu")
        units = p.units(d)
        original = [(u.id, u.source_ids, u.target_ids) for u in units]
        p.merge_with_next(units[-2].id)  # deletes the newest unit
        d2 = p.import_pairs([ParallelPair("x", "X"), ParallelPair("y", "Y")])
        before = [(u.id, u.source_ids, u.target_ids) for u in p.units(d2)]
        assert p.undo()
        assert [(u.id, u.source_ids, u.target_ids) for u in p.units(d2)] == before
        assert [(u.id, u.source_ids, u.target_ids) for u in p.units(d)] == original


def test_migration_2_to_3_keeps_units_and_starts_ids_above_the_history(tmp_path):
    from workbench.project.schema import _V2_ADDITIONS

    path = tmp_path / "v2.wbproj"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1 + _V2_ADDITIONS)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 2")
    conn.execute("INSERT INTO documents VALUES (1, 'old', 'de', 'fr', 0, '[[0, 1]]', '[[0, 1]]')")
    conn.executemany("INSERT INTO sentences VALUES (1, ?, 0, ?, ?)", [(0, "a", "a"), (1, "x", "x")])
    conn.execute(
        "INSERT INTO units (id, doc_id, position, source_ids, target_ids, src_lo, src_hi, n_src,"
        " tgt_lo, tgt_hi, n_tgt, status) VALUES (3, 1, 1, '0', '0', 0, 0, 1, 0, 0, 1, 'accepted')"
    )
    # a history step that could restore a (deleted) unit 40
    conn.execute(
        "INSERT INTO history (time, action, doc_id, changes) VALUES (0, 'x', 1, ?)",
        ('{"ops": [{"units": [[40, null, null]]}]}',),
    )
    conn.commit()
    conn.close()
    with Project.open(path) as p:
        (u,) = p.units()
        assert (u.id, u.status, u.source_text, u.target_text) == (3, "accepted", "a", "x")
        new = p.insert_sentence(1, "target", 1, "y")
        assert new == 1
        assert max(x.id for x in p.units()) > 40
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert (
        "AUTOINCREMENT"
        in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'units'").fetchone()[0]
    )
    conn.close()
