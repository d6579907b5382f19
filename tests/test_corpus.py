"""Round trips and error handling of the corpus formats (workbench.corpus)."""

from __future__ import annotations

import pytest

from workbench.corpus import EXPORTERS, ParallelPair, read_pairs, register_exporter, write_pairs
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
    lines = path.read_text(encoding="utf-8").split("\n")
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
