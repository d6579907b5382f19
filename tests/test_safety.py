"""Issue 15: never lose or corrupt a curator's data. One or more tests per point of the issue."""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from workbench import Project
from workbench.cli import main
from workbench.corpus import ParallelPair, write_pairs
from workbench.errors import InputError, ProjectError
from workbench.textio import read_document, read_lines, split_lines

REPO = Path(__file__).resolve().parent.parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().split("\n")
    assert len(lines) == 1, err
    assert lines[0].startswith("workbench: error:"), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def project_file(tmp_path: Path) -> Path:
    path = tmp_path / "p.wbproj"
    with Project.create(path) as p:
        p.import_pairs(
            [ParallelPair(f"Satz {i}.", f"Phrase {i}.") for i in range(5)],
            name="d",
            source_lang="de",
            target_lang="fr",
            status="accepted",
        )
    return path


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, Path]:
    src, tgt = tmp_path / "a.de", tmp_path / "a.fr"
    src.write_text("Der Hund bellt.\nDie Katze schläft.\n", encoding="utf-8")
    tgt.write_text("Le chien aboie.\nLe chat dort.\n", encoding="utf-8")
    return src, tgt


# -- 1. no command writes over a project or over one of its inputs ------------------------------
@pytest.mark.parametrize("fmt", ["jsonl", "tsv", "tmx"])
def test_export_onto_the_project_itself_is_refused(project_file, capsys, fmt):
    before = digest(project_file)
    code = main(["project", "export", str(project_file), str(project_file), "--format", fmt])
    assert code == 2
    line = one_error_line(capsys)
    assert "p.wbproj" in line and "overwrite an input" in line
    assert digest(project_file) == before
    with Project.open(project_file, read_only=True) as p:
        assert p.stats().accepted == 5


def test_export_onto_the_project_through_a_symlink_is_refused(project_file, capsys, tmp_path):
    link = tmp_path / "link.jsonl"
    link.symlink_to(project_file)
    before = digest(project_file)
    assert main(["project", "export", str(project_file), str(link), "--format", "jsonl"]) == 2
    one_error_line(capsys)
    assert digest(project_file) == before and link.is_symlink()


def test_export_onto_another_project_is_refused(project_file, capsys, tmp_path):
    other = tmp_path / "other.wbproj"
    Project.create(other).close()
    before = digest(other)
    assert main(["project", "export", str(project_file), str(other), "--format", "tsv"]) == 2
    assert "is a workbench project" in one_error_line(capsys)
    assert digest(other) == before


def test_convert_onto_a_project_is_refused(project_file, capsys, tmp_path):
    tsv = tmp_path / "in.tsv"
    tsv.write_text("a\tb\n", encoding="utf-8")
    before = digest(project_file)
    assert main(["convert", str(tsv), str(project_file), "--to", "jsonl"]) == 2
    assert "workbench project" in one_error_line(capsys)
    assert digest(project_file) == before


def test_convert_onto_its_input_through_a_second_path_is_refused(capsys, tmp_path):
    tsv = tmp_path / "in.tsv"
    tsv.write_text("a\tb\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    second = tmp_path / "sub" / ".." / "in.tsv"
    before = digest(tsv)
    assert main(["convert", str(tsv), str(second)]) == 2
    assert "overwrite an input" in one_error_line(capsys)
    assert digest(tsv) == before


def test_align_and_translate_output_onto_an_input_are_refused(docs, capsys, tmp_path):
    src, tgt = docs
    link = tmp_path / "link.txt"
    link.symlink_to(tgt)
    before = digest(src), digest(tgt)
    assert main(["align", str(src), str(tgt), "-o", str(link)]) == 2
    one_error_line(capsys)
    assert main(["align", str(src), str(tgt), "--mt", str(tgt), "-o", str(src)]) == 2
    one_error_line(capsys)
    assert main(["translate", str(src), "--model", str(tgt), "-o", str(src)]) == 2
    one_error_line(capsys)
    assert (digest(src), digest(tgt)) == before and link.is_symlink()


# -- 2. a line ends only in \n or \r\n -----------------------------------------------------------
SEPARATORS = "\u2028\u2029\u0085\x0c\x0b\r"


def test_unicode_separators_are_characters_inside_a_sentence(tmp_path):
    path = tmp_path / "doc.txt"
    lines = [f"Satz{c}mit Trenner {k}." for k, c in enumerate(SEPARATORS)]
    path.write_bytes(("\r\n".join(lines[:3]) + "\n" + "\n".join(lines[3:]) + "\n").encode())
    doc = read_document(path)
    assert len(doc) == len(SEPARATORS) == path.read_bytes().count(b"\n")
    assert doc.sentences[1] == "Satz\u2029mit Trenner 1."
    assert split_lines("a\u2028b\r\nc\rd\n") == ["a\u2028b", "c\rd"]
    assert read_lines(path)[0] == lines[0]


def test_every_document_reader_keeps_ids_on_separators(tmp_path, capsys):
    from workbench.align.units import read_alignments
    from workbench.translate.file_backend import FileTranslator

    src, tgt, mt = tmp_path / "s.txt", tmp_path / "t.txt", tmp_path / "mt.txt"
    src.write_text("Eins\u2028zwei.\nDrei\x0cvier.\nFünf.\n", encoding="utf-8")
    tgt.write_text("One\u0085two.\nThree\x0bfour.\nFive.\n", encoding="utf-8")
    mt.write_text("One\u2029two.\nThree four.\nFive.\n", encoding="utf-8")
    gold = tmp_path / "gold"
    gold.write_text("[0]:[0]\u2028\n[1]:[1]\n", encoding="utf-8")
    assert len(read_alignments(gold)) == 2
    assert len(FileTranslator(mt).document) == 3
    # align: the ids it prints are the files' line numbers
    out = tmp_path / "out.align"
    assert main(["align", str(src), str(tgt), "--mt", str(mt), "-o", str(out)]) == 0
    ids = [int(x) for x in re.findall(r"\d+", out.read_text())]
    assert max(ids) == 2
    # project add: three sentences per side
    p = tmp_path / "p.wbproj"
    assert main(["project", "create", str(p)]) == 0
    assert main(["project", "add", str(p), str(src), str(tgt), "--mt", str(mt)]) == 0
    with Project.open(p, read_only=True) as project:
        (info,) = project.documents()
        assert (info.n_source, info.n_target) == (3, 3)
        assert project.source(info.id).sentences[0] == "Eins\u2028zwei."
    capsys.readouterr()


def test_translate_keeps_line_count_on_separators(tmp_path, capsys):
    src, mt = tmp_path / "s.txt", tmp_path / "mt.txt"
    src.write_text("Eins\u2028zwei.\nDrei.\n", encoding="utf-8")
    mt.write_text("One\u2028two.\nThree.\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["translate", str(src), "--model", str(mt), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "One\u2028two.\nThree.\n"


# -- 3. the single-writer lock is on what the path resolves to ----------------------------------
def test_second_writer_through_a_symlink_is_refused(project_file, tmp_path):
    link = tmp_path / "link.wbproj"
    link.symlink_to(project_file)
    (tmp_path / "sub").mkdir()
    with Project.open(project_file):
        with pytest.raises(ProjectError, match="in use"):
            Project.open(link)
        with pytest.raises(ProjectError, match="in use"):
            Project.open(tmp_path / "sub" / ".." / "p.wbproj")
    with Project.open(link), pytest.raises(ProjectError, match="in use"):
        Project.open(project_file)  # released, the link opens; now the path is refused


# -- 4. exports stream --------------------------------------------------------------------------
def _peak_bytes(fmt: str, n: int, path: Path) -> int:
    def pairs():
        for i in range(n):
            yield ParallelPair(
                f"Quelle Nummer {i} " * 4, f"Cible numéro {i} " * 4, "doc", (i,), (i,)
            )

    tracemalloc.start()
    try:
        assert (
            write_pairs(pairs(), path, fmt, metadata=True, source_lang="de", target_lang="fr") == n
        )
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["tsv", "tmx", "moses", "jsonl"])
def test_export_memory_does_not_grow_with_the_number_of_pairs(tmp_path, fmt):
    small = _peak_bytes(fmt, 500, tmp_path / f"small.{fmt}")
    large = _peak_bytes(fmt, 10_000, tmp_path / f"large.{fmt}")
    # Holding the pairs would take 20 times as much; streaming stays within a few buffers.
    assert large < small * 2 + 2_000_000, (small, large)


def test_project_export_pages_through_the_units(tmp_path):
    path = tmp_path / "big.wbproj"
    n = 6000
    with Project.create(path) as p:
        p.import_pairs(
            [ParallelPair(f"s{i}", f"t{i}") for i in range(n)], name="d", status="accepted"
        )
    with Project.open(path, read_only=True) as p:
        pairs = p.export_pairs()
        first = next(pairs)
        assert first.source == "s0"
        assert not isinstance(pairs, list)
        assert sum(1 for _ in pairs) == n - 1


# -- 5. unwritable output paths -----------------------------------------------------------------
def test_output_in_a_missing_folder_or_onto_a_folder_is_one_line(
    docs, project_file, tmp_path, capsys
):
    src, tgt = docs
    missing = tmp_path / "missing" / "x.out"
    cases = [
        ["align", str(src), str(tgt), "-o", str(missing)],
        ["align", str(src), str(tgt), "-o", str(tmp_path)],
        ["translate", str(src), "--model", str(tgt), "-o", str(missing)],
        ["translate", str(src), "--model", str(tgt), "-o", str(tmp_path)],
        ["project", "export", str(project_file), str(missing.with_suffix(".tsv"))],
        ["project", "export", str(project_file), str(tmp_path), "--format", "tsv"],
        ["project", "audit", str(project_file), "--csv", str(missing.with_suffix(".csv"))],
        ["convert", str(src), str(missing.with_suffix(".tsv")), "--from", "moses"],
        ["split", str(src), "--lang", "de", "-o", str(missing)],
    ]
    for argv in cases:
        assert main(argv) == 2, argv
        line = one_error_line(capsys)
        assert "None" not in line, line
        assert "missing" in line or "is a folder" in line or "is a directory" in line, line
    assert not (tmp_path / "missing").exists()


def test_audit_csv_in_a_missing_folder_says_what_to_do(project_file, tmp_path, capsys):
    assert main(["project", "audit", str(project_file), "--csv", "missing/a.csv"]) == 2
    line = one_error_line(capsys)
    assert "does not exist" in line and "create it" in line


# -- 6. byte-order marks ------------------------------------------------------------------------
@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_bom_is_recognised_without_the_flag(tmp_path, codec):
    path = tmp_path / "doc.txt"
    text = "Grüße aus Köln.\n한국어 문장.\n"
    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}.get(codec, b"")
    path.write_bytes(bom + text.encode(codec))
    assert read_document(path).sentences == ["Grüße aus Köln.", "한국어 문장."]


def test_encoding_utf16_works_with_and_without_bom(tmp_path, docs, capsys):
    src, tgt = docs
    bom = tmp_path / "bom.txt"
    bom.write_bytes(src.read_text(encoding="utf-8").encode("utf-16"))
    assert read_document(bom, "utf-16").sentences[0] == "Der Hund bellt."
    plain = tmp_path / "le.txt"
    plain.write_bytes(src.read_text(encoding="utf-8").encode("utf-16-le"))
    with pytest.raises(InputError, match="UTF-16 text without a byte-order mark"):
        read_document(plain)
    assert read_document(plain, "utf-16-le").sentences[1] == "Die Katze schläft."
    out = tmp_path / "out.align"
    assert main(["align", str(bom), str(tgt), "--encoding", "utf-16", "-o", str(out)]) == 0
    assert out.read_text().strip()


# -- 7. non-regular and endless inputs ----------------------------------------------------------
def test_dev_zero_and_a_fifo_are_refused_at_once(tmp_path, docs):
    src, _ = docs
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for bad in ("/dev/zero", str(fifo)):
        done = subprocess.run(
            [sys.executable, "-m", "workbench", "align", bad, str(src)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert done.returncode == 2
        assert "not a regular file" in done.stderr and bad in done.stderr
        assert len(done.stderr.strip().split("\n")) == 1


# -- 8. no screenshot of an unopenable project --------------------------------------------------
def test_screenshot_of_an_unopenable_project_writes_no_png(tmp_path, capsys):
    damaged = tmp_path / "damaged.wbproj"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    png = tmp_path / "x.png"
    assert main(["gui", str(damaged), "--screenshot", str(png)]) == 2
    one_error_line(capsys)
    assert not png.exists()
    assert main(["gui", str(tmp_path / "nope.wbproj"), "--screenshot", str(png)]) == 2
    assert not png.exists()


# -- 9. nonsense options ------------------------------------------------------------------------
def test_nonsense_options_are_refused_with_one_line(docs, project_file, tmp_path, capsys):
    src, tgt = docs
    p, out = str(project_file), str(tmp_path / "o.tsv")
    cases = [
        (["align", str(src), str(tgt), "--order", "0"], "--order 0"),
        (["align", str(src), str(tgt), "--order", "-3"], "--order -3"),
        (["align", str(src), str(tgt), "--threshold", "nan"], "--threshold nan"),
        (["align", str(src), str(tgt), "--dp-weight", "inf"], "--dp-weight inf"),
        (["score", str(src), str(tgt), "--order", "0"], "--order 0"),
        (["project", "export", p, out, "--min-score", "nan"], "--min-score nan"),
        (["project", "export", p, out, "--min-score=-inf"], "--min-score -inf"),
        (["project", "realign", p, "--doc", "1", "--from", "100", "--to", "5"], "--from 100"),
        (["project", "align", p, "--order", "0"], "--order 0"),
        (["project", "audit", p, "--idle", "-1"], "--idle -1"),
        (["translate", str(src), "--model", str(tgt), "--beam-size", "0"], "--beam-size 0"),
        (["sample", p, "--size", "-5"], "at least one pair"),
        (["sample", p, "--margin", "nan"], "--margin nan"),
        (["report", p, "--confidence", "1.5"], "--confidence 1.5"),
        (["embed", "neighbours", str(src), "word", "-k", "0"], "-k 0"),
    ]
    before = digest(project_file)
    for argv, shown in cases:
        assert main(argv) == 2, argv
        assert shown in one_error_line(capsys), argv
    assert digest(project_file) == before
    assert not (tmp_path / "o.tsv").exists()


# -- 10. clear one-line messages ----------------------------------------------------------------
def test_text_format_without_languages_names_the_real_flags(docs, project_file, capsys):
    src, tgt = docs
    assert main(["project", "add", str(project_file), str(src), str(tgt), "--format", "text"]) == 2
    line = one_error_line(capsys)
    assert "--source-lang" in line and "--target-lang" in line and "--lang " not in line


def test_damaged_project_message_is_one_line_saying_what_to_do(project_file, capsys):
    data = bytearray(project_file.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[2 * page : 2 * page + 200] = b"\xff" * 200  # a b-tree page's header
    project_file.write_bytes(bytes(data))
    before = digest(project_file)
    assert main(["project", "stats", str(project_file)]) == 2
    line = one_error_line(capsys)
    assert "damaged project file" in line and "backup" in line
    assert digest(project_file) == before


# -- 11. one atomic-write helper, umask and existing modes --------------------------------------
def test_exports_respect_the_umask_and_keep_an_existing_mode(project_file, tmp_path, capsys):
    out = tmp_path / "pairs.tsv"
    old = os.umask(0o022)
    try:
        assert main(["project", "export", str(project_file), str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        os.chmod(out, 0o640)
        assert main(["project", "export", str(project_file), str(out)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        os.umask(0o077)
        fresh = tmp_path / "fresh.jsonl"
        assert main(["project", "export", str(project_file), str(fresh)]) == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    finally:
        os.umask(old)
    capsys.readouterr()


def test_one_atomic_write_helper():
    """Only workbench/safeio.py makes temporary files and renames them over a target."""
    offenders = []
    for path in (REPO / "workbench").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "safeio.py" and ("mkstemp" in text or "os.replace(" in text):
            offenders.append(str(path.relative_to(REPO)))
    assert offenders == []


def test_a_failed_export_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "pairs.tsv"
    out.write_text("old\tfile\n", encoding="utf-8")

    def pairs():
        yield ParallelPair("a", "b")
        raise RuntimeError("the source of pairs failed")

    with pytest.raises(RuntimeError):
        write_pairs(pairs(), out)
    assert out.read_text(encoding="utf-8") == "old\tfile\n"
    assert os.listdir(tmp_path) == ["pairs.tsv"]


# -- 12. one white-space rule -------------------------------------------------------------------
def test_project_add_and_import_strip_the_same_way(tmp_path, capsys):
    src, tgt, tsv = tmp_path / "s.txt", tmp_path / "t.txt", tmp_path / "pairs.tsv"
    src.write_text("  Hallo Welt. \t\n\u3000Zweiter Satz.\u00a0\n", encoding="utf-8")
    tgt.write_text(" Hello world.\n Second sentence.  \n", encoding="utf-8")
    tsv.write_text(
        "  Hallo Welt.  \t Hello world.\n\u3000Zweiter Satz.\u00a0\t Second sentence.  \n",
        encoding="utf-8",
    )
    p = tmp_path / "p.wbproj"
    assert main(["project", "create", str(p)]) == 0
    assert main(["project", "add", str(p), str(src), str(tgt)]) == 0
    assert main(["project", "import", str(p), str(tsv)]) == 0
    with Project.open(p, read_only=True) as project:
        added, imported = (d.id for d in project.documents())
        assert project.source(added).sentences == ["Hallo Welt.", "Zweiter Satz."]
        assert project.source(imported).sentences == ["Hallo Welt.", "Zweiter Satz."]
        assert project.target(added).sentences == project.target(imported).sentences
    capsys.readouterr()
