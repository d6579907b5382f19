"""One user action, one transaction: a failure (or a killed process) between the steps of an
action that writes several things leaves the project as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.corpus import ParallelPair
from workbench.project import Project
from workbench.textio import Document

DE = ["Das ist gut.", "Ich gehe heim.", "Der Hund bellt.", "Es regnet."]
FR = ["C'est bien.", "Je rentre.", "Le chien aboie.", "Il pleut."]
MT = ["C'est bien.", "Je rentre à la maison.", "Le chien aboie.", "Il pleut."]


class Injected(RuntimeError):
    """The failure injected between two steps."""


def write(path: Path, lines: list[str]) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def dump(path: Path) -> list[str]:
    """Every row of the project file (what "unchanged" is checked against)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def fail_on_call(monkeypatch: pytest.MonkeyPatch, owner: object, name: str, n: int = 1) -> None:
    """Make the ``n``-th call of ``owner.name`` raise (after the calls before it ran)."""
    original = getattr(owner, name)
    calls = []

    def failing(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == n:
            raise Injected(f"{name} failed")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.wbproj"
    Project.create(path).close()
    return path


@pytest.mark.parametrize("failing_call", [1, 2])
def test_project_add_stores_the_document_with_its_translations_or_nothing(
    tmp_path, project_file, monkeypatch, failing_call
):
    src, tgt = write(tmp_path / "de.txt", DE), write(tmp_path / "fr.txt", FR)
    mt, rev = write(tmp_path / "mt.txt", MT), write(tmp_path / "rev.txt", DE)
    before = dump(project_file)
    # The translation of the source (1st) or of the target (2nd) fails after the document
    # (and the first translation) were written.
    fail_on_call(monkeypatch, Project, "set_translation", failing_call)
    with pytest.raises(Injected):
        main(["project", "add", str(project_file), src, tgt, "--mt", mt, "--mt-reverse", rev])
    assert dump(project_file) == before
    monkeypatch.undo()
    assert (
        main(["project", "add", str(project_file), src, tgt, "--mt", mt, "--mt-reverse", rev]) == 0
    )
    with Project.open(project_file) as p:
        assert [d.id for d in p.documents()] == [1]
        assert p.translation(1).sentences == MT
        assert p.translation(1, "target").sentences == DE


def test_gui_add_document_files_is_one_transaction(tmp_path, project_file, monkeypatch):
    from workbench.gui.files import add_document_files

    src, tgt = write(tmp_path / "de.txt", DE), write(tmp_path / "fr.txt", FR)
    mt = write(tmp_path / "mt.txt", MT)
    before = dump(project_file)
    fail_on_call(monkeypatch, Project, "set_translation")
    with Project.open(project_file) as p, pytest.raises(Injected):
        add_document_files(p, src, tgt, mt)
    assert dump(project_file) == before


def test_import_pairs_stores_the_document_with_its_pairs_or_nothing(project_file, monkeypatch):
    from workbench.project import history

    pairs = [ParallelPair(s, t) for s, t in zip(DE, FR, strict=True)]
    before = dump(project_file)
    original = history.write_journal

    def journal(conn, reviewer, action, *rest, **kw):
        if action == "import pairs":  # the document is stored, its units are being stored
            raise Injected("import failed")
        return original(conn, reviewer, action, *rest, **kw)

    monkeypatch.setattr(history, "write_journal", journal)
    with Project.open(project_file) as p, pytest.raises(Injected):
        p.import_pairs(pairs, name="pairs")
    assert dump(project_file) == before


def test_align_stores_suggestions_and_the_model_kept_for_them_together(project_file, monkeypatch):
    from workbench.project import project_model

    with Project.open(project_file) as p:
        doc = p.add_document(Document(DE), Document(FR))
        p.set_translation(doc, MT, "file")
    before = dump(project_file)

    def after_alignment(*_args: object) -> None:
        raise Injected("keeping the model failed")

    monkeypatch.setattr(project_model, "after_alignment", after_alignment)
    with Project.open(project_file) as p:
        with pytest.raises(Injected):
            p.align(doc)
        with pytest.raises(Injected):
            p.realign(doc)
    assert dump(project_file) == before


def test_a_failed_step_inside_a_transaction_undoes_only_its_own_changes(project_file):
    with Project.open(project_file) as p:
        with p.transaction():
            doc = p.add_document(Document(DE), Document(FR))
            with pytest.raises(Exception, match="translation of the source"):
                p.set_translation(doc, MT[:2], "short")  # refused: nothing of it stored
            p.set_translation(doc, MT, "file")
        assert p.translation(doc).sentences == MT
        assert [a for e in p.journal() for a in [e.action]] == ["add document", "translation"]
    with Project.open(project_file) as p:
        assert p.translation(doc).sentences == MT


def test_nothing_of_a_transaction_is_on_disk_before_it_ends(project_file):
    with Project.open(project_file) as p, p.transaction():
        doc = p.add_document(Document(DE), Document(FR))
        reader = sqlite3.connect(project_file)
        try:
            assert reader.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 0
        finally:
            reader.close()
        p.set_translation(doc, MT, "file")
    with Project.open(project_file, read_only=True) as p:
        assert p.translation(doc).sentences == MT


def test_batch_into_a_project_stores_each_document_whole(tmp_path, monkeypatch):
    from workbench.batch import AlignSettings, items_from_dirs, run_batch

    for folder, lines in (("src", DE), ("tgt", FR), ("mt", MT)):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder / "doc.txt", lines)
    items = items_from_dirs(tmp_path / "src", tmp_path / "tgt", tmp_path / "mt")
    path = tmp_path / "b.wbproj"
    # The suggestions fail after the document and its translation were written.
    fail_on_call(monkeypatch, Project, "set_suggestions")
    with pytest.raises(Injected):
        run_batch(items, AlignSettings(), path, project=True, progress=False)
    with Project.open(path) as p:
        assert p.documents() == []
        assert p.get_setting("batch.documents") is None
    monkeypatch.undo()
    second = run_batch(items, AlignSettings(), path, project=True, progress=False)
    assert second.aligned == ["doc.txt"]
    with Project.open(path) as p:
        assert [d.name for d in p.documents()] == ["doc.txt"]
        assert len(p.suggestion_runs(1)) == 1


def test_a_spot_check_run_is_stored_with_the_review_rows_restored_or_not_at_all(
    project_file, monkeypatch
):
    from workbench.align import AlignmentUnit
    from workbench.spotcheck.project_data import store_run

    with Project.open(project_file) as p:
        doc = p.add_document(Document(DE), Document(FR))
        p.set_suggestions(doc, [AlignmentUnit((i,), (i,), 0.5, "dp") for i in range(4)], "bleu")
    before = dump(project_file)
    # The other scorer's units are stored as the review rows, then restoring the reviewed
    # scorer's rows fails: the curator must not be left reviewing the other scorer's units.
    fail_on_call(monkeypatch, Project, "set_suggestions", 2)
    other = [AlignmentUnit((0, 1), (0, 1), 0.1, "dp"), AlignmentUnit((2, 3), (2, 3), 0.1, "dp")]
    with Project.open(project_file) as p, pytest.raises(Injected):
        store_run(p, doc, other, "ableu")
    assert dump(project_file) == before


def test_project_create_stores_the_reviewer_with_the_file(tmp_path, monkeypatch):
    # The reviewer was a second transaction: a failure (or a kill) after the file was made
    # left a project without it, and running the command again said "already exists".
    def set_setting(*_args: object) -> None:
        raise Injected("set_setting failed")

    monkeypatch.setattr(Project, "set_setting", set_setting)
    path = tmp_path / "new.wbproj"
    assert main(["project", "create", str(path), "--reviewer", "ann"]) == 0
    monkeypatch.undo()
    with Project.open(path) as p:
        assert p.get_setting("reviewer") == "ann"


def test_nothing_is_saved_after_sqlite_rolled_the_transaction_back_itself(project_file):
    from workbench.errors import NotSavedError

    with Project.open(project_file) as p:
        with pytest.raises(NotSavedError, match="not saved"), p.transaction():
            p.set_setting("first", 1)
            p._db().execute("ROLLBACK")  # what SQLite does itself on a full disk
            with pytest.raises(NotSavedError, match="not saved"):
                p.set_setting("second", 2)  # caught by the caller, who goes on
        assert p.settings() == {}
        p.set_setting("third", 3)  # the next action saves normally
    with Project.open(project_file) as p:
        assert p.settings() == {"third": 3}
