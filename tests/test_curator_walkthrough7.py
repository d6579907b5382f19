"""Findings of the seventh curator walkthrough (docs/bad-input.md, "Curator walkthrough
(seventh session)"): each test fails without its fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.align import AlignmentUnit
from workbench.cli import main
from workbench.errors import InputError
from workbench.project import Project
from workbench.textio import Document, read_document

DE_LATIN1 = "Grüße aus Köln.\nDas Wetter ist schön.\n".encode("latin-1")
FR_UTF8 = "Salutations de Cologne.\nIl fait beau à l'été.\n".encode()


def _files(tmp_path: Path) -> tuple[str, str]:
    src, tgt = tmp_path / "de.txt", tmp_path / "fr.txt"
    src.write_bytes(DE_LATIN1)
    tgt.write_bytes(FR_UTF8)
    return str(src), str(tgt)


# -- --encoding applies to every file: a UTF-8 one beside a Latin-1 one was garbled -----------
def test_utf8_file_read_with_a_legacy_encoding_is_refused(tmp_path):
    src, tgt = _files(tmp_path)
    assert read_document(src, encoding="latin-1").sentences[0] == "Grüße aus Köln."
    with pytest.raises(InputError, match=r"fr\.txt: this is UTF-8 text, which --encoding cp1252"):
        read_document(tgt, encoding="cp1252")  # was 'Il fait beau Ã\xa0 l'Ã©tÃ©.'
    ascii_only = tmp_path / "a.txt"
    ascii_only.write_bytes(b"plain text\n")
    assert read_document(ascii_only, encoding="latin-1").sentences == ["plain text"]


def test_project_add_of_a_utf8_target_with_encoding_latin1_changes_nothing(tmp_path, capsys):
    src, tgt = _files(tmp_path)
    proj = tmp_path / "p.wbproj"
    assert main(["project", "create", str(proj)]) == 0
    before = proj.read_bytes()
    assert main(["project", "add", str(proj), src, tgt, "--encoding", "latin-1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "fr.txt: this is UTF-8 text" in err[0]
    assert "'à' read as 'Ã" in err[0] and "convert the latin-1 file(s) to UTF-8" in err[0]
    assert proj.read_bytes() == before
    with Project.open(proj, read_only=True) as project:
        assert project.documents() == []


# -- a blank line inside a unit put a stray space into the exported text ----------------------
def _blank_line_project(tmp_path: Path) -> Path:
    path = tmp_path / "b.wbproj"
    with Project.create(path) as project:
        doc = project.add_document(
            Document(["", "Erster Satz.", "Zweiter Satz."], name="de"),
            Document(["Première phrase.", "Deuxième phrase.", ""], name="fr"),
        )
        project.set_suggestions(
            doc, [AlignmentUnit((0, 1), (0,)), AlignmentUnit((2,), (1, 2))], "bleu"
        )
        for unit in project.units(doc):
            project.decide(unit.id, "accepted")
    return path


def test_export_of_a_unit_holding_a_blank_line_has_no_stray_space(tmp_path, capsys):
    path = _blank_line_project(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["project", "export", str(path), str(out)]) == 0
    pairs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # was " Erster Satz." and "Deuxième phrase. ": text in none of the sentences
    assert [(p["source"], p["target"]) for p in pairs] == [
        ("Erster Satz.", "Première phrase."),
        ("Zweiter Satz.", "Deuxième phrase."),
    ]
    tsv = tmp_path / "out.tsv"
    assert main(["project", "export", str(path), str(tsv)]) == 0
    # the round trip through an import gives the same bytes (the import strips white space)
    again = tmp_path / "again.wbproj"
    assert main(["project", "create", str(again)]) == 0
    assert main(["project", "import", str(again), str(tsv)]) == 0
    assert main(["project", "export", str(again), str(tmp_path / "again.tsv"), "--all"]) == 0
    assert (tmp_path / "again.tsv").read_bytes() == tsv.read_bytes()


# -- the summary named a Moses prefix, a file that is not there -------------------------------
def test_moses_export_names_the_files_it_wrote(tmp_path, capsys):
    path = _blank_line_project(tmp_path)
    out = tmp_path / "corpus"
    args = ["project", "export", str(path), str(out), "--format", "moses"]
    assert main([*args, "--source-lang", "de", "--target-lang", "fr"]) == 0
    err = capsys.readouterr().err
    assert f"2 pairs written to {out}.de, {out}.fr\n" in err and not out.exists()
    tsv = tmp_path / "c.tsv"
    assert main(["project", "export", str(path), str(tsv)]) == 0
    assert capsys.readouterr().err.endswith(f"2 pairs written to {tsv}\n")
    moses = tmp_path / "m"
    convert = ["convert", str(tsv), str(moses), "--to", "moses"]
    assert main([*convert, "--source-lang", "de", "--target-lang", "fr"]) == 0
    assert f"2 pairs written to {moses}.de, {moses}.fr (moses)" in capsys.readouterr().err


# -- project align of untranslated documents trained (or "reused") the project model ---------
def test_ableu_alignment_of_untranslated_documents_leaves_the_project_model_alone(tmp_path, capsys):
    from workbench.project.embeddings import embedding_params

    de = ["Das Haus ist rot.", "Der Hund schläft.", "Es regnet heute.", "Wir gehen heim."]
    fr = ["La maison est rouge.", "Le chien dort.", "Il pleut aujourd'hui.", "Nous rentrons."]
    path = tmp_path / "m.wbproj"
    with Project.create(path) as project:
        a = project.add_document(Document(de * 6), Document(fr * 6))
        project.set_translation(a, fr * 6, "file", "source")
        b = project.add_document(Document(de * 3), Document(fr * 3))
    assert main(["project", "align", str(path), "--doc", str(b), "--scorer", "ableu"]) == 0
    assert "project model" not in capsys.readouterr().err
    with Project.open(path, read_only=True) as project:
        assert embedding_params(project) is None  # nothing trained on document a for b
        assert project.count_units(b) > 0


# -- the window: counts of the document the table shows, a whole filter label ----------------
def test_status_bar_counts_the_document_the_table_shows(main_window, tmp_path):
    path = tmp_path / "w.wbproj"
    with Project.create(path) as project:
        for n in (3, 5):
            doc = project.add_document(
                Document([f"s{i}" for i in range(n)], name=f"d{n}"),
                Document([f"t{i}" for i in range(n)]),
            )
            project.set_suggestions(doc, [AlignmentUnit((i,), (i,)) for i in range(n)], "bleu")
        project.decide(project.units(1)[0].id, "accepted")
    assert main_window.open_project(path)
    assert "1 accepted" in main_window.stats_label.text()
    assert "7 pending" in main_window.stats_label.text()
    main_window.filter_bar.doc_combo.setCurrentIndex(2)  # d5: 5 pending, none accepted
    text = main_window.stats_label.text()
    assert text.startswith("d5:") and "0 accepted" in text and "• 5 pending" in text
    assert "(0/10 sentences)" in text
    main_window.filter_bar.doc_combo.setCurrentIndex(0)
    assert "• 7 pending" in main_window.stats_label.text()


def test_confidence_filter_label_is_not_cut(main_window):
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    for width in (1280, 1000):
        main_window.resize(width, 600)
        combo = main_window.filter_bar.band_combo
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
        )
        assert combo.fontMetrics().horizontalAdvance("All confidences") <= field.width()
    assert main_window.minimumSizeHint().width() <= 683


# -- report --scorers bleu showed "agreement 100.0 %": one scorer agrees with nothing ----------
def test_report_of_one_scorer_shows_no_agreement(tmp_path, capsys):
    path = _blank_line_project(tmp_path)
    assert main(["report", str(path), "--scorers", "bleu", "--no-compute", "--no-accepted"]) == 0
    header, row = capsys.readouterr().out.splitlines()[:2]
    column = header.index("agreement")
    assert row[column:].split()[0] == "—"  # was 100.0 %


def _merged_project(path: Path) -> Path:
    """Four aligned pairs (score 0.5, confidence 0.9), the first two merged by the curator."""
    with Project.create(path) as project:
        doc = project.add_document(
            Document([f"Satz {i}." for i in range(4)]), Document([f"Phrase {i}." for i in range(4)])
        )
        units = [AlignmentUnit((i,), (i,), 0.5, confidence=0.9) for i in range(4)]
        project.set_suggestions(doc, units, "bleu")
        project.merge_with_next(project.units(doc)[0].id)
    return path


# -- export --min-confidence told the curator to re-align pairs re-aligning never changes -----
def test_min_confidence_note_says_why_pairs_have_none(tmp_path, capsys):
    path = _merged_project(tmp_path / "c.wbproj")  # the curator's merge: no confidence
    tsv = tmp_path / "in.tsv"
    tsv.write_text("Eins.\tUn.\nZwei.\tDeux.\n", encoding="utf-8")
    assert main(["project", "import", str(path), str(tsv)]) == 0
    capsys.readouterr()
    out = tmp_path / "out.tsv"
    assert main(["project", "export", str(path), str(out), "--all", "--min-confidence", "0.5"]) == 0
    err = capsys.readouterr().err
    # was "(aligned before confidences were stored; re-align their documents)": wrong for both
    assert (
        "note: 3 pairs have no confidence and were left out: 1 made by hand (merged, split or "
        "a sentence moved; such pairs keep none); 2 imported (never aligned here)\n"
    ) in err
    assert "re-align" not in err
    assert out.read_text(encoding="utf-8").splitlines() == [
        "Satz 2.\tPhrase 2.",
        "Satz 3.\tPhrase 3.",
    ]


def _small_project(path: Path, docs: int = 2, n: int = 3) -> Path:
    with Project.create(path) as project:
        for k in range(docs):
            doc = project.add_document(
                Document([f"s{k}.{i}" for i in range(n)], name=f"d{k}"),
                Document([f"t{k}.{i}" for i in range(n)]),
            )
            project.set_suggestions(doc, [AlignmentUnit((i,), (i,)) for i in range(n)], "bleu")
        project.decide(project.units()[0].id, "accepted")
    return path


# -- the filter bar said what the table no longer showed ---------------------------------------
def test_opening_another_project_shows_the_filter_bar_as_the_table_is(main_window, tmp_path):
    one = _small_project(tmp_path / "one.wbproj")
    two = _small_project(tmp_path / "two.wbproj")
    assert main_window.open_project(one)
    bar = main_window.filter_bar
    bar.status_combo.setCurrentIndex(bar.status_combo.findData("accepted"))
    bar.order_combo.setCurrentIndex(1)
    assert main_window.model.rowCount() == 1
    assert main_window.open_project(two)
    # the table shows every unit in document order: the combos said "Accepted", "Least
    # confident first"
    assert main_window.model.rowCount() == 6
    combos = (bar.doc_combo, bar.status_combo, bar.band_combo, bar.shape_combo, bar.order_combo)
    assert [c.currentIndex() for c in combos] == [0, 0, 0, 0, 0]
    assert bar.unit_filter() == main_window.model.filter


def test_adding_documents_keeps_the_chosen_document(main_window, tmp_path):
    path = _small_project(tmp_path / "p.wbproj")
    assert main_window.open_project(path)
    bar = main_window.filter_bar
    bar.doc_combo.setCurrentIndex(2)
    bar.band_combo.setCurrentIndex(4)  # no confidence
    assert main_window.model.rowCount() == 3
    src, tgt = tmp_path / "a.txt", tmp_path / "b.txt"
    src.write_text("Eins.\nZwei.\n", encoding="utf-8")
    tgt.write_text("Un.\nDeux.\n", encoding="utf-8")
    assert main_window.add_documents(src, tgt) == 3
    main_window.stop_tasks()
    # the combo said "All documents" (and "All confidences") while the table showed d1's rows
    assert bar.doc_combo.currentText() == "d1" and bar.band_combo.currentIndex() == 4
    assert bar.unit_filter() == main_window.model.filter
    assert main_window.stats_label.text().startswith("d1:")


# -- export --min-score dropped the curator's accepted merge without a word ---------------------
def test_min_score_export_counts_the_pairs_without_a_score(tmp_path, capsys):
    path = _merged_project(tmp_path / "s.wbproj")
    with Project.open(path) as project:
        units = project.units(project.documents()[0].id)
        project.decide_many([u.id for u in units], "accepted")
        assert units[0].score is None  # the merge
    out = tmp_path / "out.tsv"
    assert main(["project", "export", str(path), str(out), "--min-score", "0.2"]) == 0
    err = capsys.readouterr().err
    assert (
        "note: 1 pair has no score and was left out: 1 made by hand (merged, split or a "
        "sentence moved; such pairs keep none)\n2 pairs written to"
    ) in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_status_bar_shortens_a_long_document_name(main_window, tmp_path):
    path = tmp_path / "w.wbproj"
    long_name = "korean-english-park.dev.lines-201-260-with-blank-lines.ko"
    with Project.create(path) as project:
        doc = project.add_document(Document(["a", "b"]), Document(["c", "d"]), name=long_name)
        project.set_suggestions(doc, [AlignmentUnit((0,), (0,)), AlignmentUnit((1,), (1,))], "bleu")
    assert main_window.open_project(path)
    main_window.resize(800, 500)
    main_window.filter_bar.doc_combo.setCurrentIndex(1)
    label = main_window.stats_label
    assert label.text().startswith("korean-english-park…:") and "(0/4 sentences)" in label.text()
    assert long_name in label.toolTip()
    assert label.fontMetrics().horizontalAdvance(label.text()) < 620  # the counts fit at 800 px


def test_judge_shows_no_stray_space_for_a_blank_line(tmp_path, capsys, monkeypatch):
    import io

    path = _blank_line_project(tmp_path)
    with Project.open(path) as project:
        project.set_translation(1, ["", "First sentence.", "Second sentence."], "file", "source")
    assert main(["sample", str(path), "--size", "2", "--seed", "1", "--from", "accepted"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("s\ns\nq\n"))
    capsys.readouterr()
    main(["judge", str(path), "1"])
    out = capsys.readouterr().out
    shown = [line for line in out.splitlines() if line.startswith(("source:", "MT:", "target:"))]
    assert shown and all(not line.endswith(" ") for line in shown)
    for prefix in ("source: ", "MT:     ", "target: "):  # the text itself starts at once
        assert all(not line[len(prefix)].isspace() for line in shown if line.startswith(prefix))


# -- F1's panel cut the Power tools' keys off below 1280 pixels ------------------------------
@pytest.mark.parametrize("size", [(1280, 720), (1024, 640), (800, 500)])
def test_help_overlay_shows_every_key_or_scrolls(main_window, size):
    main_window.resize(*size)
    main_window.toggle_help()
    overlay = main_window.help_overlay
    assert overlay.isVisible()
    hint, room = overlay.label.sizeHint(), overlay.size()
    if size != (800, 500):  # every key in view at once (at 1024×640 the right column was cut)
        assert hint.width() <= room.width() and hint.height() <= room.height()
    else:  # too small for the whole panel: it scrolls
        assert overlay.scroll.verticalScrollBar().maximum() > 0
    assert "Ctrl+Shift+K" in overlay.label.text()  # the last Power tools key
