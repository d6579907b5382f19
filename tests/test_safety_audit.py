"""Data-safety audit: cases where real files changed or lost text, one test per case
(docs/bad-input.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.cli import main
from workbench.corpus import read_pairs

SOURCE = ["Der Hund\tbellt.", "Die Katze\rschläft.", r"C:\temp\new ist ein Pfad."]
TARGET = ["Le chien\taboie.", "Le chat\rdort.", r"C:\temp\new est un chemin."]


def _write_doc(path: Path, lines: list[str]) -> Path:
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


@pytest.fixture
def tabbed(tmp_path: Path) -> tuple[Path, Path]:
    return _write_doc(tmp_path / "a.de", SOURCE), _write_doc(tmp_path / "a.fr", TARGET)


@pytest.mark.parametrize("confidence", [False, True])
def test_align_tsv_keeps_a_tab_inside_a_sentence_in_its_column(tabbed, tmp_path, confidence):
    # A tab in a sentence made four columns of two; a lone \r split the row for other tools.
    src, tgt = tabbed
    out = tmp_path / "out.tsv"
    extra = ["--with-confidence"] if confidence else []
    argv = ["align", str(src), str(tgt), "--format", "tsv", "-o", str(out), *extra]
    assert main(argv) == 0
    rows = out.read_text(encoding="utf-8").split("\n")[1:-1]
    assert len(rows) == 3
    assert all(len(row.split("\t")) == (3 if confidence else 2) for row in rows)
    if not confidence:
        pairs = read_pairs(out)
        assert [p.source for p in pairs] == SOURCE
        assert [p.target for p in pairs] == TARGET


def test_align_tsv_without_tabs_is_written_verbatim(tmp_path, capsys):
    src = _write_doc(tmp_path / "a.de", ["Der Hund.", r"C:\temp\new ist ein Pfad."])
    tgt = _write_doc(tmp_path / "a.fr", ["Le chien.", r"C:\temp\new est un chemin."])
    assert main(["align", str(src), str(tgt), "--format", "tsv"]) == 0
    out = capsys.readouterr().out
    assert out.split("\n") == [
        "Der Hund.\tLe chien.",
        "C:\\temp\\new ist ein Pfad.\tC:\\temp\\new est un chemin.",
        "",
    ]


def test_batch_tsv_refuses_a_tab_in_a_sentence_instead_of_changing_it(tabbed, tmp_path, capsys):
    # The batch TSV replaced a tab or CR in a sentence by a space: the corpus silently changed.
    src, tgt = tabbed
    ok_src = _write_doc(tmp_path / "b.de", ["Ein Satz.", "Zwei."])
    ok_tgt = _write_doc(tmp_path / "b.fr", ["Une phrase.", "Deux."])
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(f"source\ttarget\n{src}\t{tgt}\n{ok_src}\t{ok_tgt}\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    assert main(["batch", str(manifest), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "failed a: source sentence 0 contains a tab" in err
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split("\t")[0] for r in rows[1:]] == ["b", "b"]
    assert "Der Hund bellt." not in out.read_text(encoding="utf-8")
    # A project holds any text: the same document aligns there, unchanged.
    project = tmp_path / "p.wbproj"
    assert main(["batch", str(manifest), "--project", str(project)]) == 0
    from workbench import Project

    with Project.open(project, read_only=True) as p:
        doc = next(d for d in p.documents() if d.name == "a")
        assert p.original(doc.id, "source").sentences == SOURCE


# -- a full disk while saving ----------------------------------------------------------------


def _fill_the_disk(project) -> None:
    """SQLite's own disk-full: the file may not grow by a single page."""
    conn = project._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")


def test_full_disk_while_saving_is_one_error_and_keeps_what_was_saved(tmp_path):
    from workbench import Project
    from workbench.corpus import ParallelPair
    from workbench.errors import ProjectError

    path = tmp_path / "p.wbproj"
    with Project.create(path) as project:
        project.import_pairs([ParallelPair("Der Hund.", "Le chien.")], name="kept")
        _fill_the_disk(project)
        big = [ParallelPair(f"Satz {i}. " * 30, f"Phrase {i}. " * 30) for i in range(300)]
        # SQLite rolled the transaction back itself; the ROLLBACK after it raised "cannot
        # rollback - no transaction is active", hiding the full disk behind a traceback.
        with pytest.raises(ProjectError, match=r"disk is full.*not saved"):
            project.import_pairs(big, name="lost")
        assert not project._conn.in_transaction
        project._conn.execute("PRAGMA max_page_count = 1073741823")  # space again
        project.import_pairs([ParallelPair("Die Katze.", "Le chat.")], name="later")
    with Project.open(path, read_only=True) as project:
        assert [d.name for d in project.documents()] == ["kept", "later"]
        assert project._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_full_disk_on_commit_rolls_back_and_says_so(tmp_path):
    import sqlite3

    from workbench import Project
    from workbench.corpus import ParallelPair
    from workbench.errors import ProjectError

    class CommitFails:
        """The connection, whose COMMIT fails as on a full disk (the transaction stays open)."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, *args: object) -> object:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("database or disk is full")
            return self.conn.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self.conn, name)

    path = tmp_path / "p.wbproj"
    with Project.create(path) as project:
        real = project._conn
        project._conn = CommitFails(real)
        with pytest.raises(ProjectError, match="cannot save"):
            project.import_pairs([ParallelPair("a", "b")], name="never")
        assert not real.in_transaction  # rolled back, so the next change can be saved
        project._conn = real
        project.import_pairs([ParallelPair("c", "d")], name="saved")
        assert [d.name for d in project.documents()] == ["saved"]


def test_full_disk_through_the_command_is_one_line(tmp_path, capsys, monkeypatch):
    from workbench import Project
    from workbench.project import storage

    path = tmp_path / "p.wbproj"
    Project.create(path).close()
    doc = _write_doc(tmp_path / "d.de", [f"Satz {i}. " * 40 for i in range(400)])
    real_set_up = storage.set_up

    def set_up_full(conn):
        real_set_up(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr("workbench.project.project.set_up", set_up_full)
    assert main(["project", "add", str(path), str(doc), str(doc)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err
    assert err.startswith(f"workbench: error: {path}: cannot save (database or disk is full)")
    monkeypatch.undo()
    with Project.open(path) as project:
        assert project.documents() == []


def test_project_create_on_a_full_disk_leaves_no_half_made_file(tmp_path, monkeypatch):
    import sqlite3

    from workbench import Project
    from workbench.errors import ProjectError

    def full(conn):
        raise sqlite3.OperationalError("database or disk is full")

    path = tmp_path / "p.wbproj"
    monkeypatch.setattr("workbench.project.project.create_schema", full)
    with pytest.raises(ProjectError, match="cannot create project"):
        Project.create(path)
    # It stayed as an empty file: "already exists", then "not a workbench project".
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    monkeypatch.undo()
    Project.create(path).close()
    assert path.exists()


def test_lock_opens_even_when_the_holder_note_cannot_be_written(tmp_path, monkeypatch):
    import errno

    from workbench import Project

    path = tmp_path / "p.wbproj"
    Project.create(path).close()

    def no_space(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("workbench.project.locking.os.write", no_space)
    with Project.open(path) as project:  # raised OSError, leaking a locked descriptor
        assert project.documents() == []
    monkeypatch.undo()
    with Project.open(path) as project:  # the lock was released with the project
        assert project.documents() == []


# -- batch outputs onto its inputs -------------------------------------------------------------


def _batch_folders(tmp_path: Path) -> tuple[Path, Path]:
    src, tgt = tmp_path / "src", tmp_path / "tgt"
    src.mkdir()
    tgt.mkdir()
    _write_doc(src / "a", ["Erster Satz hier.", "Zweiter Satz dort."])
    _write_doc(tgt / "a", ["Premier ici.", "Deuxieme la."])
    _write_doc(src / "a.tsv", ["Ein Satz.", "Zwei."])  # a document whose name ends in .tsv
    _write_doc(tgt / "a.tsv", ["Une phrase.", "Deux."])
    return src, tgt


def _digests(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_batch_into_its_source_folder_never_overwrites_a_document(tmp_path, capsys):
    # Document "a"'s result a.tsv replaced the source document a.tsv before it was read.
    src, tgt = _batch_folders(tmp_path)
    before = _digests(src)
    assert main(["batch", "--dirs", str(src), str(tgt), "-o", str(src)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("workbench: error: ") and "\n" not in err
    assert "would overwrite an input" in err and "a.tsv" in err
    assert _digests(src) == before  # nothing written, not even the state file


def test_batch_output_onto_its_manifest_is_refused(tmp_path, capsys):
    # `batch manifest.tsv -o manifest.tsv` replaced the manifest with the results.
    src, tgt = _batch_folders(tmp_path)
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(f"source\ttarget\n{src / 'a'}\t{tgt / 'a'}\n", encoding="utf-8")
    before = manifest.read_bytes()
    for out in (manifest, tmp_path / "." / "manifest.tsv"):
        assert main(["batch", str(manifest), "-o", str(out)]) == 2
        assert "would overwrite an input" in capsys.readouterr().err
    named = tmp_path / "named.tsv"  # a document named "named": its result is named.tsv
    named.write_text(f"name\tsource\ttarget\nnamed\t{src / 'a'}\t{tgt / 'a'}\n", "utf-8")
    named_before = named.read_bytes()
    assert main(["batch", str(named), "-o", str(tmp_path)]) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert manifest.read_bytes() == before
    assert named.read_bytes() == named_before
    assert not (tmp_path / "manifest.tsv.parts").exists()


# -- JSONL: half a surrogate pair ------------------------------------------------------------


@pytest.mark.parametrize("command", ["convert", "project import"])
def test_jsonl_with_a_lone_surrogate_is_one_error_line(tmp_path, capsys, command):
    # "\ud800" is valid JSON but no character: TSV export and project import died with a
    # UnicodeEncodeError traceback (the project's import was not saved, the TSV not written).
    from workbench import Project

    corpus = tmp_path / "in.jsonl"
    corpus.write_text(
        '{"source": "ok", "target": "gut"}\n'
        '{"source": "a\\ud800b", "target": "c"}\n'
        '{"source": "\\ud83d\\ude00", "target": "a real pair of halves"}\n',
        encoding="utf-8",
    )
    project = tmp_path / "p.wbproj"
    Project.create(project).close()
    before = project.read_bytes()
    argv = (
        ["convert", str(corpus), str(tmp_path / "out.tsv")]
        if command == "convert"
        else ["project", "import", str(project), str(corpus)]
    )
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith(f'workbench: error: {corpus}: line 2: field "source" holds \\ud800')
    assert not (tmp_path / "out.tsv").exists()
    assert project.read_bytes() == before
    corpus.write_text('{"source": "\\ud83d\\ude00", "target": "x"}\n', encoding="utf-8")
    assert [p.source for p in read_pairs(corpus)] == ["\U0001f600"]


# -- a project missing a table or column -----------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ["DROP TABLE units", "DROP TABLE journal", "ALTER TABLE sentences DROP COLUMN text"],
)
@pytest.mark.parametrize("read_only", [False, True])
def test_project_missing_a_table_is_refused_untouched(tmp_path, capsys, damage, read_only):
    # Another tool (or an incomplete copy) left a project without a table: the header and
    # quick_check pass, and every command died later with "no such table" in a traceback.
    import sqlite3

    from workbench import Project
    from workbench.corpus import ParallelPair

    path = tmp_path / "p.wbproj"
    with Project.create(path) as project:
        project.import_pairs([ParallelPair("a", "b")], name="d", status="accepted")
    conn = sqlite3.connect(path)
    conn.execute(damage)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    command = ["project", "stats"] if read_only else ["project", "align"]
    assert main([*command, str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert err.startswith(f"workbench: error: {path}: damaged project file (table ")
    assert path.read_bytes() == before


def test_project_with_a_second_name_is_not_opened_for_writing(tmp_path, capsys):
    # The lock and SQLite's write-ahead log go by the name a project is opened by: through a
    # hard link a second writer opened (its writes then failed as "disk I/O error"), and a
    # log left by a crash under one name is replayed over changes made under the other.
    import os

    from workbench import Project
    from workbench.corpus import ParallelPair
    from workbench.errors import ProjectError

    path = tmp_path / "p.wbproj"
    with Project.create(path) as project:
        project.import_pairs([ParallelPair("a", "b")], name="d", status="accepted")
    other = tmp_path / "other.wbproj"
    os.link(path, other)
    with Project.open(other, read_only=True) as project:
        assert len(project.documents()) == 1  # reading is fine
    for name in (path, other):
        with pytest.raises(ProjectError, match="has 2 names"):
            Project.open(name)
        assert main(["project", "align", str(name)]) == 2
        assert "hard links" in capsys.readouterr().err
    other.unlink()
    with Project.open(path) as project:
        assert len(project.documents()) == 1


# -- embed: outputs onto inputs --------------------------------------------------------------


def test_embed_train_and_table_never_write_over_what_they_read(tmp_path, capsys):
    # `embed train --pairs a.de a.fr -o a.de` replaced the document with the model, and
    # `embed table m.kv WORD -o m.kv` the model with the table (only the folder was checked).
    src = _write_doc(tmp_path / "a.de", ["Der Hund bellt.", "Die Katze schläft."])
    tgt = _write_doc(tmp_path / "a.fr", ["Le chien aboie.", "Le chat dort."])
    before = {p: p.read_bytes() for p in (src, tgt)}
    for out in (src, tgt, tmp_path / "." / "a.fr"):
        assert main(["embed", "train", "--pairs", str(src), str(tgt), "-o", str(out)]) == 2
        assert "would overwrite an input" in capsys.readouterr().err
    # a .txt model has a word-count file beside it (NAME.counts...): that is an output too
    from workbench.embeddings.storage import sidecar_path

    side = sidecar_path(tmp_path / "m.txt")
    side.write_bytes(src.read_bytes())
    argv = ["embed", "train", "--pairs", str(src), str(side), "-o", str(tmp_path / "m.txt")]
    assert main(argv) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (src, tgt)} == before
    model = tmp_path / "m.kv"
    assert main(["embed", "train", "--pairs", str(src), str(tgt), "-o", str(model)]) == 0
    kept = model.read_bytes()
    assert main(["embed", "table", str(model), "Hund", "-o", str(model)]) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert model.read_bytes() == kept


# -- translate --cache: a file that is not a cache -------------------------------------------


def test_translation_cache_refuses_a_project_or_another_database_untouched(tmp_path):
    # The cache set WAL mode and created its table in any SQLite file it was given (another
    # program's database), and on a project failed later with SQLite's "no such column".
    import sqlite3

    from workbench import Project
    from workbench.errors import InputError
    from workbench.translate.cache import SqliteTranslationCache

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.commit()
    conn.close()
    project = tmp_path / "p.wbproj"
    Project.create(project).close()
    for path, kind in ((other, "another database"), (project, "a workbench project")):
        before = path.read_bytes()
        with pytest.raises(InputError, match=f"is {kind}, not a translation cache"):
            SqliteTranslationCache(path)
        assert path.read_bytes() == before
    conn = sqlite3.connect(other)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["notes"]
    conn.close()
    cache = SqliteTranslationCache(tmp_path / "cache.db")  # a new file, and again
    cache.put_many("m", {"Hund": "chien"})
    cache.close()
    cache = SqliteTranslationCache(tmp_path / "cache.db")
    assert cache.get_many("m", ["Hund"]) == {"Hund": "chien"}
    cache.close()


# -- standard output on a full disk ----------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", ["align", "split"])
def test_output_redirected_to_a_full_disk_is_one_error_line(tmp_path, command):
    # `workbench align a b > out.txt` on a full disk died with an OSError traceback (or, for
    # a short output, failed only in Python's flush at exit).
    import os
    import subprocess
    import sys

    src = _write_doc(tmp_path / "a.de", ["Der Hund bellt.", "Die Katze schläft."])
    tgt = _write_doc(tmp_path / "a.fr", ["Le chien aboie.", "Le chat dort."])
    argv = (
        ["align", str(src), str(tgt)] if command == "align" else ["split", str(src), "--lang", "de"]
    )
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "workbench", *argv],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    errors = [line for line in done.stderr.splitlines() if "warning" not in line]
    assert done.returncode == 2, done.stderr
    assert errors == [
        "workbench: error: cannot write the output (No space left on device); it is incomplete"
    ]
