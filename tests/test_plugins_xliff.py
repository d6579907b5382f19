"""The XLIFF 1.2 exporter plugin (plugins/workbench-xliff): discovery, file content, CLI use."""

from __future__ import annotations

import importlib.util

import pytest
from lxml import etree

from workbench import plugins
from workbench.cli import main

if importlib.util.find_spec("workbench_xliff") is None:
    pytest.skip(
        "the XLIFF plugin is not installed: pip install -e plugins/workbench-xliff",
        allow_module_level=True,
    )

from workbench.corpus import EXPORTERS, ParallelPair, read_pairs, write_pairs

NS = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
PAIRS = [
    ParallelPair("Hallo Welt.", "Bonjour le monde.", "doc1", (0,), (0,), 0.75, "bleu"),
    # A control character XML cannot hold is refused now, not dropped (issue 16): see
    # tests/test_corpus_opus.py::test_xliff_refuses_control_characters_instead_of_dropping.
    ParallelPair("Zwei & drei <b>", "Deux & « trois »", "doc1", (1, 2), (1,), 0.5, "chrf"),
]


def test_xliff_is_discovered_and_registered():
    found = plugins.discover(refresh=True)
    xliff = [p for p in found.plugins if p.name == "xliff"]
    assert xliff and xliff[0].group == "exporters" and xliff[0].distribution == "workbench-xliff"
    assert EXPORTERS["xliff"].suffixes == (".xlf", ".xliff")


def test_written_file_is_xliff_12_with_notes(tmp_path):
    plugins.discover()
    path = tmp_path / "out.xlf"
    assert write_pairs(PAIRS, path, metadata=True, source_lang="de", target_lang="fr") == 2
    root = etree.parse(str(path)).getroot()
    assert root.get("version") == "1.2" and root.tag == f"{{{NS['x']}}}xliff"
    file_node = root.find("x:file", NS)
    assert file_node.get("source-language") == "de" and file_node.get("target-language") == "fr"
    units = root.findall(".//x:trans-unit", NS)
    assert [u.findtext("x:source", namespaces=NS) for u in units] == [
        "Hallo Welt.",
        "Zwei & drei <b>",
    ]
    assert units[1].findtext("x:target", namespaces=NS) == "Deux & « trois »"
    note = units[1].findtext("x:note", namespaces=NS)
    assert "document: doc1" in note and "source_ids: 1,2" in note and "scorer: chrf" in note
    back = read_pairs(path)
    assert [(p.source, p.target) for p in back] == [
        ("Hallo Welt.", "Bonjour le monde."),
        ("Zwei & drei <b>", "Deux & « trois »"),
    ]


def test_convert_to_xliff(tmp_path, capsys):
    plugins.discover()
    tsv = tmp_path / "in.tsv"
    write_pairs(PAIRS[:1], tsv)
    out = tmp_path / "out.data"
    assert main(["convert", str(tsv), str(out), "--to", "xliff"]) == 0
    assert "1 pair written" in capsys.readouterr().err and out.exists()
    assert read_pairs(out, "xliff")[0].target == "Bonjour le monde."
    assert main(["convert", str(tsv), str(tmp_path / "by-suffix.xliff")]) == 0
    assert (tmp_path / "by-suffix.xliff").read_bytes().startswith(b"<?xml")
