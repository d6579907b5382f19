"""Round trips and error handling of the corpus formats (workbench.corpus)."""

from __future__ import annotations

import pytest

from workbench.corpus import EXPORTERS, ParallelPair, read_pairs, register_exporter, write_pairs
from workbench.corpus.tsv import ESCAPED_MARKER
from workbench.errors import InputError

TRICKY = [
    ParallelPair('Er sagte: "Hallo"\tund ging.', "Il a dit « bonjour » et est parti."),
    ParallelPair("it's `code` and 'quotes'", "line one\nline two\r\nthree"),
    ParallelPair("C:\\temp\\new and \\t literally", "backslash at end \\"),
    ParallelPair("emoji 🎉👩‍👩‍👧 ok", "나는 학생이다. 너는 누구니?"),
    ParallelPair("我今天很高兴。你呢？", "  leading and trailing spaces  "),
    ParallelPair("NA", "null"),
    ParallelPair("1e5", "nan"),
    ParallelPair("", "empty source"),
    ParallelPair("source", "target"),
]

META = [
    ParallelPair(p.source, p.target, f"doc{k}.de", (k, k + 1), (k,), 0.25 * k, "ableu")
    for k, p in enumerate(TRICKY)
] + [ParallelPair("no metadata", "at all")]


def test_tsv_round_trip_text(tmp_path):
    path = tmp_path / "c.tsv"
    assert write_pairs(TRICKY, path) == len(TRICKY)
    assert read_pairs(path) == TRICKY
    marker, *lines = path.read_text(encoding="utf-8").split("\n")
    # Some text needed escaping, so the file says so on its first line (issue 16).
    assert marker == ESCAPED_MARKER and "\t" not in marker
    assert len(lines) == len(TRICKY) + 1 and all(line.count("\t") == 1 for line in lines[:-1])


def test_tsv_round_trip_metadata(tmp_path):
    path = tmp_path / "c.tsv"
    write_pairs(META, path, metadata=True)
    assert read_pairs(path) == META
    assert path.read_text(encoding="utf-8").startswith("source\ttarget\tdocument\t")


def test_tsv_metadata_dropped_without_flag(tmp_path):
    path = tmp_path / "c.tsv"
    write_pairs(META, path)
    assert read_pairs(path) == [p.text_only() for p in META]


def test_tsv_wrong_column_count_names_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("a\tb\nc\td\te\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv: line 2: 3 tab-separated columns"):
        read_pairs(path)


def test_tsv_bad_ids_and_score(tmp_path):
    path = tmp_path / "bad.tsv"
    header = "source\ttarget\tsource_ids\tscore\n"
    path.write_text(header + "a\tb\t1,x\t0.5\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: '1,x' is not a comma-separated"):
        read_pairs(path)
    path.write_text(header + "a\tb\t1\tabc\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: 'abc' is not a number"):
        read_pairs(path)


def test_registry_holds_builtins_and_accepts_plugins(tmp_path):
    assert {"tsv"} <= set(EXPORTERS)

    class Upper:
        name = "upper-test"
        suffixes = (".up",)

        def write(self, pairs, path, *, metadata=False, source_lang="und", target_lang="und"):
            pairs = list(pairs)
            path.write_text("".join(p.source.upper() + "\n" for p in pairs), encoding="utf-8")
            return len(pairs)

    register_exporter(Upper())
    try:
        assert write_pairs([ParallelPair("ab", "cd")], tmp_path / "x.up") == 1
        assert (tmp_path / "x.up").read_text(encoding="utf-8") == "AB\n"
        with pytest.raises(InputError, match="can be written but not read"):
            read_pairs(tmp_path / "x.up")
        with pytest.raises(ValueError, match="already registered"):
            register_exporter(Upper())
    finally:
        del EXPORTERS["upper-test"]


def test_unknown_format_and_suffix(tmp_path):
    with pytest.raises(InputError, match="unknown corpus format 'xlsx'"):
        write_pairs([], tmp_path / "a.tsv", "xlsx")
    with pytest.raises(InputError, match="cannot tell the corpus format"):
        write_pairs([], tmp_path / "a.weird")


def test_pair_ids_are_normalised():
    assert ParallelPair("a", "b", source_ids=[1, 2]) == ParallelPair("a", "b", source_ids=(1, 2))
    with pytest.raises(ValueError):
        ParallelPair("a", "b", source_ids=(-1,))


# --- every format -------------------------------------------------------------------------

NO_LINE_BREAKS = [p for p in META if not any(c in p.source + p.target for c in "\n\r")]


def _write_and_read(pairs, tmp_path, fmt, metadata):
    path = tmp_path / ("corpus" if fmt == "moses" else f"corpus.{fmt}")
    assert write_pairs(pairs, path, fmt, metadata=metadata, source_lang="de", target_lang="fr")
    return read_pairs(path, fmt, source_lang="de", target_lang="fr")


@pytest.mark.parametrize("fmt", ["tsv", "tmx", "jsonl"])
@pytest.mark.parametrize("metadata", [False, True])
def test_round_trip_every_tricky_pair(tmp_path, fmt, metadata):
    expected = META if metadata else [p.text_only() for p in META]
    assert _write_and_read(META, tmp_path, fmt, metadata) == expected


@pytest.mark.parametrize("metadata", [False, True])
def test_moses_round_trip(tmp_path, metadata):
    expected = NO_LINE_BREAKS if metadata else [p.text_only() for p in NO_LINE_BREAKS]
    assert _write_and_read(NO_LINE_BREAKS, tmp_path, "moses", metadata) == expected
    assert (tmp_path / "corpus.de").is_file() and (tmp_path / "corpus.fr").is_file()
    assert (tmp_path / "corpus.meta").is_file() == metadata
    # Two explicit paths, and the prefix found without fmt when both languages are given.
    two = read_pairs((tmp_path / "corpus.de", tmp_path / "corpus.fr"))
    assert two == [p.text_only() for p in NO_LINE_BREAKS]
    assert read_pairs(tmp_path / "corpus", source_lang="de", target_lang="fr") == expected


def test_moses_rejects_line_breaks_and_writes_nothing(tmp_path):
    with pytest.raises(InputError, match="pair 2: the target sentence contains a line break"):
        write_pairs(TRICKY, tmp_path / "c", "moses", source_lang="de", target_lang="fr")
    assert list(tmp_path.iterdir()) == []


def test_moses_needs_two_languages(tmp_path):
    with pytest.raises(InputError, match="two different language codes"):
        write_pairs(NO_LINE_BREAKS, tmp_path / "c", "moses")
    with pytest.raises(InputError, match="needs the source and target languages"):
        read_pairs(tmp_path / "c", "moses")


def test_moses_line_count_mismatch(tmp_path):
    (tmp_path / "c.de").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "c.fr").write_text("x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.fr: 1 lines but .*c\.de has 2"):
        read_pairs(tmp_path / "c", "moses", source_lang="de", target_lang="fr")


def test_tmx_refuses_control_characters_and_keeps_old_file(tmp_path):
    path = tmp_path / "c.tmx"
    write_pairs(TRICKY, path, source_lang="de", target_lang="fr")
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"pair 2: the target contains U\+0007"):
        write_pairs([ParallelPair("a", "b"), ParallelPair("c", "bell\x07")], path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.tmx"]  # no temporary file left


def test_tmx_is_tmx_14_with_languages_and_props(tmp_path):
    from lxml import etree

    path = tmp_path / "c.tmx"
    write_pairs(META[:2], path, metadata=True, source_lang="ko", target_lang="zh")
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "ko"
    tu = root.find("body/tu")
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert [tuv.get(lang) for tuv in tu.findall("tuv")] == ["ko", "zh"]
    assert [p.get("type") for p in tu.findall("prop")] == [
        "x-document",
        "x-source-ids",
        "x-target-ids",
        "x-score",
        "x-scorer",
    ]


def test_tmx_reads_by_language_and_skips_inline_codes(tmp_path):
    path = tmp_path / "x.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en-US" '
        'creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" '
        'datatype="plaintext"/><body><tu>'
        '<tuv xml:lang="fr-FR"><seg>Un <bpt i="1">&lt;b&gt;</bpt>test<ept i="1">&lt;/b&gt;</ept>'
        "</seg></tuv>"
        '<tuv xml:lang="de-DE"><seg>Ein <hi>Test</hi></seg></tuv>'
        '<tuv xml:lang="en-US"><seg>A test</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    assert read_pairs(path) == [ParallelPair("A test", "Un test")]
    assert read_pairs(path, target_lang="de") == [ParallelPair("A test", "Ein Test")]
    assert read_pairs(path, source_lang="fr", target_lang="en") == [
        ParallelPair("Un test", "A test")
    ]
    with pytest.raises(InputError, match="line 2: translation unit 1: no <tuv> for the target"):
        read_pairs(path, target_lang="ko")


def test_tmx_missing_side_and_bad_xml(tmp_path):
    path = tmp_path / "x.tmx"
    path.write_text(
        '<tmx version="1.4"><header srclang="en"/><body>\n<tu><tuv xml:lang="en"><seg>a</seg>'
        "</tuv></tu></body></tmx>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="line 2: translation unit 1: has 1 <tuv>"):
        read_pairs(path)
    path.write_text('<tmx version="1.4"><body>\n<tu></body></tmx>', encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed XML at line 2, column"):
        read_pairs(path)
    path.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(InputError, match="not a TMX file"):
        read_pairs(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ("[1, 2]", "line 2: expected a JSON object, got list"),
        ('{"source": "a"}', 'line 2: missing field "target"'),
        ('{"source": "a", "target": 3}', 'line 2: field "target" must be a string'),
        ('{"source": "a", "target": "b", "source_ids": [1, -2]}', 'field "source_ids"'),
        ('{"source": "a", "target": "b", "score": "high"}', 'field "score" must be a number'),
    ],
)
def test_jsonl_errors_name_the_line(tmp_path, line, message):
    path = tmp_path / "c.jsonl"
    path.write_text('{"source": "ok", "target": "ok"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_pairs(path)


@pytest.mark.parametrize("fmt", ["tsv", "tmx", "jsonl"])
def test_empty_binary_and_wrongly_encoded_files(tmp_path, fmt):
    path = tmp_path / f"c.{fmt}"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        read_pairs(path)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError, match=r"binary|not well-formed|not a TMX"):
        read_pairs(path)
    if fmt != "tmx":
        path.write_bytes("caf\xe9\tcafe\n".encode("latin-1"))
        with pytest.raises(InputError, match="not valid UTF-8 at byte offset 3"):
            read_pairs(path)


def test_explicit_encoding_and_bom(tmp_path):
    path = tmp_path / "c.tsv"
    path.write_bytes("café\tKaffee\n".encode("latin-1"))
    assert read_pairs(path, encoding="latin-1") == [ParallelPair("café", "Kaffee")]
    path.write_bytes("\ufeffcafé\tKaffee\n".encode())
    assert read_pairs(path) == [ParallelPair("café", "Kaffee")]


def test_sentence_starting_with_bom_character_survives(tmp_path):
    pairs = [ParallelPair("\ufeffx", "y")]
    for fmt in ("tsv", "tmx", "jsonl", "moses"):
        assert _write_and_read(pairs, tmp_path, fmt, False) == pairs


def test_write_into_missing_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_pairs(TRICKY, tmp_path / "nowhere" / "c.tsv")
