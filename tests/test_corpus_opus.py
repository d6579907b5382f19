"""Corpora as curators have them (issue 16): compressed OPUS files, foreign TSVs, language
tags from other tools, and TMX exports that validators accept."""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from workbench.cli import main
from workbench.corpus import ParallelPair, read_pairs, write_pairs
from workbench.errors import InputError
from workbench.languages import display, match_quality, nllb_code, normalize, same_language

PAIRS = [
    ParallelPair("Guten Tag.", "Bonjour."),
    ParallelPair("Wie geht es?", "Comment ça va ?"),
    ParallelPair("Öffne C:\\temp\\new", "Ouvrez C:\\temp\\new"),
]


def _tmx(langs: tuple[str, str], header: str | None = None) -> bytes:
    src, tgt = langs
    head = f' srclang="{header}"' if header is not None else ""
    units = "".join(
        f'<tu><tuv xml:lang="{src}"><seg>{p.source}</seg></tuv>'
        f'<tuv xml:lang="{tgt}"><seg>{p.target}</seg></tuv></tu>\n'
        for p in PAIRS[:2]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
        f'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext"'
        f"{head}/><body>\n{units}</body></tmx>\n"
    ).encode()


# 1. compressed corpora -------------------------------------------------------------------


def test_gzip_bzip2_xz_tmx_and_tsv_read_directly(tmp_path: Path):
    tmx = _tmx(("de", "fr"), "de")
    tsv = "".join(f"{p.source}\t{p.target}\n" for p in PAIRS).encode()
    for name, data, opener in [
        ("de-fr.tmx.gz", tmx, gzip.compress),
        ("de-fr.tsv.gz", tsv, gzip.compress),
        ("de-fr.tmx.bz2", tmx, bz2.compress),
        ("de-fr.tsv.xz", tsv, lzma.compress),
    ]:
        path = tmp_path / name
        path.write_bytes(opener(data))
        expected = PAIRS[:2] if ".tmx" in name else PAIRS
        assert read_pairs(path) == expected, name
    # --format with a name that says nothing: the bytes tell the compression.
    odd = tmp_path / "download.bin"
    odd.write_bytes(gzip.compress(tmx))
    assert read_pairs(odd, "tmx") == PAIRS[:2]
    assert read_pairs(odd, "tmx").source_lang == "de"


def test_opus_moses_zip_with_two_files(tmp_path: Path):
    archive = tmp_path / "de-fr.txt.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README", "OPUS corpus")
        zf.writestr("LICENSE", "CC-BY")
        # fr before de in the archive: the name (de-fr) says the direction.
        zf.writestr("Europarl.de-fr.fr", "".join(p.target + "\n" for p in PAIRS))
        zf.writestr("Europarl.de-fr.de", "".join(p.source + "\n" for p in PAIRS))
        zf.writestr("Europarl.de-fr.xml", "<ids/>")
    pairs = read_pairs(archive)
    assert pairs == PAIRS
    assert (pairs.source_lang, pairs.target_lang, pairs.format) == ("de", "fr", "moses")
    # Asked the other way round, with ISO 639-2 codes.
    back = read_pairs(archive, "moses", source_lang="fra", target_lang="ger")
    assert back == [ParallelPair(p.target, p.source) for p in PAIRS]
    # A line-count mismatch names the member in the archive, not a temporary file.
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("c.de", "a\nb\n")
        zf.writestr("c.fr", "a\n")
    with pytest.raises(InputError, match=r"broken\.zip:c\.fr: 1 lines but .*broken\.zip:c\.de"):
        read_pairs(broken)


def test_zip_without_a_moses_pair_is_refused_clearly(tmp_path: Path):
    archive = tmp_path / "stuff.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "x\n")
        zf.writestr("b.txt", "y\n")
    with pytest.raises(InputError, match=r"stuff\.zip: cannot tell which file .*a\.txt, b\.txt"):
        read_pairs(archive)
    damaged = tmp_path / "d.tsv.gz"
    damaged.write_bytes(gzip.compress(b"a\tb\n" * 100)[:-6])
    with pytest.raises(InputError, match=r"d\.tsv\.gz: damaged gzip file"):
        read_pairs(damaged)


def test_cli_imports_and_converts_compressed(tmp_path: Path, capsys):
    gz = tmp_path / "en-de.tmx.gz"
    gz.write_bytes(gzip.compress(_tmx(("de_DE", "fr"), "de_DE")))
    out = tmp_path / "out.jsonl"
    assert main(["convert", str(gz), str(out)]) == 0
    assert read_pairs(out) == PAIRS[:2]


# 2. a foreign TSV is read verbatim --------------------------------------------------------


def test_foreign_tsv_with_backslashes_is_read_verbatim(tmp_path: Path):
    foreign = tmp_path / "gnome.tsv"
    lines = ["Open C:\\temp\\new\tÖffne C:\\temp\\new", "Line\\nbreak \\\\ kept\tZeile\\numbruch"]
    foreign.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pairs = read_pairs(foreign)
    assert [(p.source, p.target) for p in pairs] == [tuple(line.split("\t")) for line in lines]
    # The user may say it is escaped.
    assert read_pairs(foreign, tsv_escaped=True)[0].source == "Open C:\temp\new"


def test_own_tsv_is_marked_and_round_trips(tmp_path: Path):
    tricky = [ParallelPair("a\tb", "C:\\temp\\new"), ParallelPair("x\ny", "z")]
    path = tmp_path / "ours.tsv"
    write_pairs(tricky, path)
    assert path.read_text(encoding="utf-8").startswith("# workbench TSV:")
    assert read_pairs(path) == tricky
    assert read_pairs(path, tsv_escaped=False)[0].target == "C:\\\\temp\\\\new"
    # Text that needs no escaping: a plain two-column file, identical either way.
    plain = tmp_path / "plain.tsv"
    write_pairs(PAIRS[:2], plain)
    assert (
        plain.read_text(encoding="utf-8") == "Guten Tag.\tBonjour.\nWie geht es?\tComment ça va ?\n"
    )
    # With metadata the header marks the file.
    meta = tmp_path / "meta.tsv"
    write_pairs([ParallelPair("C:\\x", "y", score=0.5)], meta, metadata=True)
    assert read_pairs(meta)[0].source == "C:\\x"


def test_first_sentence_that_reads_like_the_marker_survives(tmp_path: Path):
    # Found by hypothesis: a first source "# workbench TSV:" was taken for the marker line and
    # dropped on reading, so the pairs came back shifted.
    pairs = [ParallelPair("# workbench TSV:", ""), ParallelPair("", "")]
    path = tmp_path / "marker.tsv"
    write_pairs(pairs, path)
    assert read_pairs(path) == pairs
    pairs = [ParallelPair("# workbench TSV: notes", "x"), ParallelPair("y", "z")]
    write_pairs(pairs, path)
    assert read_pairs(path) == pairs


def test_cli_tsv_escaped_flag(tmp_path: Path):
    foreign = tmp_path / "f.tsv"
    foreign.write_text("a\\tb\tc\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["convert", str(foreign), str(out)]) == 0
    assert read_pairs(out)[0].source == "a\\tb"
    assert main(["convert", str(foreign), str(out), "--tsv-escaped"]) == 0
    assert read_pairs(out)[0].source == "a\tb"


# 3. language codes -----------------------------------------------------------------------


def test_language_tags_normalise_and_match():
    assert normalize("de_DE") == "de-DE" and normalize("ger") == "de" and normalize("deu") == "de"
    assert normalize("*all*") == "" and normalize("und") == ""
    assert same_language("de", "deu") and same_language("ger", "de_CH")
    assert same_language("arb", "ar") and not same_language("de", "nl")
    assert match_quality("de", "de") == 2 and match_quality("de", "de-AT") == 1
    assert nllb_code("fr") == "fra_Latn" and nllb_code("zh-TW") == "zho_Hant"
    assert display("ger") == "de (German)"


@pytest.mark.parametrize("tags", [("de_DE", "fr_FR"), ("deu", "fra"), ("ger", "fre")])
def test_tmx_tags_match_iso_codes(tmp_path: Path, tags):
    path = tmp_path / "m.tmx"
    path.write_bytes(_tmx(tags, tags[0]))
    assert read_pairs(path, source_lang="de", target_lang="fr") == PAIRS[:2]
    assert read_pairs(path, source_lang="fr", target_lang="de") == [
        ParallelPair(p.target, p.source) for p in PAIRS[:2]
    ]


def test_tmx_languages_come_from_the_file(tmp_path: Path):
    path = tmp_path / "m.tmx"
    path.write_bytes(_tmx(("fr-CA", "de_DE"), "fr-CA"))
    pairs = read_pairs(path)
    assert (pairs.source_lang, pairs.target_lang) == ("fr-CA", "de-DE")
    # No header srclang: the first <tuv> is the source.
    path.write_bytes(_tmx(("deu", "fra")))
    pairs = read_pairs(path)
    assert (pairs.source_lang, pairs.target_lang) == ("de", "fr")


def test_project_import_takes_tmx_languages_and_export_writes_them(tmp_path: Path):
    from workbench.project import Project

    tmx = tmp_path / "memory.tmx"
    tmx.write_bytes(_tmx(("deu", "fr_FR"), "deu"))
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    assert main(["project", "import", str(project), str(tmx), "--status", "accepted"]) == 0
    with Project.open(project, read_only=True) as p:
        doc = p.documents()[0]
        assert (doc.source_lang, doc.target_lang) == ("de", "fr-FR")
    out = tmp_path / "out.tmx"
    assert main(["project", "export", str(project), str(out)]) == 0
    root = etree.parse(str(out)).getroot()
    assert root.find("header").get("srclang") == "de"
    assert {t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in root.iter("tuv")} == {
        "de",
        "fr-FR",
    }


# 5. TMX with --metadata is valid ------------------------------------------------------------

# The TMX 1.4b DTD's structural rules for what the workbench writes (the DTD itself is not
# shipped with any package here); attributes the exporter does not use are left out.
TMX14_DTD = """
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #FIXED "1.4">
<!ELEMENT header (note|ude|prop)*>
<!ATTLIST header creationtool CDATA #REQUIRED creationtoolversion CDATA #REQUIRED
  segtype (block|paragraph|sentence|phrase) #REQUIRED o-tmf CDATA #REQUIRED
  adminlang CDATA #REQUIRED srclang CDATA #REQUIRED datatype CDATA #REQUIRED
  o-encoding CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT body (tu*)>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ATTLIST tu tuid CDATA #IMPLIED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED
  usagecount CDATA #IMPLIED lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED
  creationtoolversion CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED segtype (block|paragraph|sentence|phrase) #IMPLIED
  changeid CDATA #IMPLIED o-tmf CDATA #IMPLIED srclang CDATA #IMPLIED>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv xml:lang CDATA #REQUIRED o-encoding CDATA #IMPLIED datatype CDATA #IMPLIED
  usagecount CDATA #IMPLIED lastusagedate CDATA #IMPLIED creationtool CDATA #IMPLIED
  creationtoolversion CDATA #IMPLIED creationdate CDATA #IMPLIED creationid CDATA #IMPLIED
  changedate CDATA #IMPLIED o-tmf CDATA #IMPLIED changeid CDATA #IMPLIED>
<!ELEMENT seg (#PCDATA)>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED xml:lang CDATA #IMPLIED o-encoding CDATA #IMPLIED>
<!ELEMENT note (#PCDATA)>
<!ELEMENT ude (map+)>
<!ELEMENT map EMPTY>
"""


def test_tmx_metadata_export_is_valid(tmp_path: Path):
    pairs = [
        ParallelPair("Hallo.", "Salut.", "a.de", (0,), (0,), None, ""),  # no score, no scorer
        ParallelPair("Ja.", "Oui.", "a.de", (1, 2), (1,), 0.75, "bleu"),
        ParallelPair("Nein.", "Non."),
    ]
    out = tmp_path / "m.tmx"
    source = tmp_path / "in.tsv"
    write_pairs(pairs, source, metadata=True)
    assert main(["convert", str(source), str(out), "--metadata", "--source-lang", "de_DE",
                 "--target-lang", "fre"]) == 0  # fmt: skip
    tree = etree.parse(str(out))
    dtd = etree.DTD(__import__("io").StringIO(TMX14_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    header = tree.getroot().find("header")
    assert header.get("o-tmf") == "tsv" and header.get("datatype") == "plaintext"
    assert header.get("srclang") == "de-DE"
    props = list(tree.getroot().iter("prop"))
    assert props and all(p.text for p in props)  # no empty <prop>, above all no empty x-score
    scores = [p.text for p in props if p.get("type") == "x-score"]
    assert scores == ["0.75"]
    assert read_pairs(out) == pairs  # still an exact round trip
    PythonTmx = pytest.importorskip("PythonTmx")  # python-tmx, the validator users run
    PythonTmx.utils.validate(PythonTmx.from_element(tree.getroot()))


# 4. project export sets languages ------------------------------------------------------------


def test_project_export_takes_source_and_target_lang(tmp_path: Path, capsys):
    tsv = tmp_path / "pairs.tsv"
    write_pairs(PAIRS, tsv)
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    assert main(["project", "import", str(project), str(tsv), "--status", "accepted"]) == 0
    prefix = tmp_path / "corpus"
    assert main(["project", "export", str(project), str(prefix), "--format", "moses"]) == 2
    assert "pass --source-lang and --target-lang" in capsys.readouterr().err
    args = ["--format", "moses", "--source-lang", "deu", "--target-lang", "fr_FR"]
    assert main(["project", "export", str(project), str(prefix), *args]) == 0
    assert (tmp_path / "corpus.de").read_text(encoding="utf-8").splitlines()[0] == "Guten Tag."
    assert (tmp_path / "corpus.fr-FR").is_file()
    out = tmp_path / "o.tmx"
    assert main(["project", "export", str(project), str(out), "--source-lang", "de"]) == 0
    assert etree.parse(str(out)).getroot().find("header").get("srclang") == "de"


# 6. no exporter changes text silently; plugin formats are --format choices ----------------


def test_xliff_refuses_control_characters_instead_of_dropping(tmp_path: Path, capsys):
    pytest.importorskip("workbench_xliff")
    pairs = [ParallelPair("Zeile\vweich", "ligne\vdouce"), ParallelPair("Ja.", "Oui.")]
    out = tmp_path / "o.xlf"
    with pytest.raises(InputError, match=r"pair 1: the source contains U\+000B.*--skip-invalid"):
        write_pairs(pairs, out, source_lang="de", target_lang="fr")
    assert not out.exists()
    skipped: list[str] = []
    assert write_pairs(pairs, out, skip_invalid=True, skipped=skipped) == 1
    assert len(skipped) == 1 and skipped[0].startswith("pair 1: the source contains U+000B")
    assert read_pairs(out) == [ParallelPair("Ja.", "Oui.")]


def test_plugin_exporter_is_a_format_for_project_export(tmp_path: Path, capsys):
    pytest.importorskip("workbench_xliff")
    tsv = tmp_path / "pairs.tsv"
    write_pairs(PAIRS, tsv)
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    assert main(["project", "import", str(project), str(tsv), "--status", "accepted"]) == 0
    out = tmp_path / "out.data"
    assert main(["project", "export", str(project), str(out), "--format", "xliff"]) == 0
    assert read_pairs(out, "xliff") == PAIRS
    assert main(["project", "export", str(project), str(out), "--format", "docx"]) == 2
    assert "unknown corpus format 'docx'" in capsys.readouterr().err


# 7. Moses export names the pairs it cannot write; --skip-invalid --------------------------


def test_moses_export_reports_every_bad_pair_and_skips_on_request(tmp_path: Path, capsys):
    pairs = [
        ParallelPair("Eins.", "Un."),
        ParallelPair("Zwei\nZeilen.", "Deux.", "a.de", (1,), (1,)),
        ParallelPair("Drei.", "Trois."),
        ParallelPair("Vier.", "Qua\rtre.", "a.de", (3, 4), (3,)),
    ]
    tsv = tmp_path / "in.tsv"
    write_pairs(pairs, tsv, metadata=True)
    prefix = tmp_path / "c"
    base = ["convert", str(tsv), str(prefix), "--to", "moses", "--source-lang", "de"]
    base += ["--target-lang", "fr"]
    assert main(base) == 2
    err = capsys.readouterr().err
    assert "2 pairs cannot be written as Moses" in err
    assert "pair 2: the source sentence contains a line break" in err and "a.de" in err
    assert "pair 4: the target sentence contains a carriage return" in err
    assert "--skip-invalid" in err and not list(tmp_path.glob("c.*"))
    assert main([*base, "--skip-invalid"]) == 0
    err = capsys.readouterr().err
    assert "2 pairs written to" in err and "2 skipped (pair 2" in err
    assert (tmp_path / "c.de").read_text(encoding="utf-8") == "Eins.\nDrei.\n"
    assert (tmp_path / "c.fr").read_text(encoding="utf-8") == "Un.\nTrois.\n"


def test_sentence_splitting_understands_iso_639_2_and_3_codes():
    from workbench.corpus import split_sentences

    text = "Er kam z. B. am 3. Mai um 10 Uhr. Dr. Müller u. a. waren da."
    expected = split_sentences(text, "de")
    assert len(expected) == 2
    assert split_sentences(text, "deu") == expected and split_sentences(text, "ger") == expected
    assert split_sentences(text, "de_AT") == expected


def test_moses_files_found_by_language_whatever_the_code(tmp_path: Path):
    for lang, text in (("de", "Guten Tag.\n"), ("fr", "Bonjour.\n")):
        (tmp_path / f"c[1].{lang}").write_text(text, encoding="utf-8")
    pairs = read_pairs(tmp_path / "c[1]", source_lang="ger", target_lang="fra")
    assert pairs == [ParallelPair("Guten Tag.", "Bonjour.")]
    assert (pairs.source_lang, pairs.target_lang) == ("de", "fr")
