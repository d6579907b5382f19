from __future__ import annotations

import pytest

from workbench.errors import InputError
from workbench.textio import Document, check_parallel, check_same_articles, read_document


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_ids_skip_eoa_and_continue_across_articles(tmp_path):
    p = write(tmp_path, "a.txt", b"one\ntwo\n.EOA\nthree\n.EOA\n")
    doc = read_document(p)
    assert doc.sentences == ["one", "two", "three"]
    assert doc.articles == [(0, 2), (2, 3)]
    assert doc.to_lines() == ["one", "two", ".EOA", "three"]


def test_bom_is_dropped(tmp_path):
    doc = read_document(write(tmp_path, "b.txt", "\ufeff첫 문장\n둘\n".encode()))
    assert doc.sentences[0] == "첫 문장"


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "nope.txt")


def test_not_utf8_names_byte_offset(tmp_path):
    p = write(tmp_path, "latin.txt", "Grüße\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"not valid UTF-8 at byte offset 2"):
        read_document(p)
    assert read_document(p, encoding="latin-1").sentences == ["Grüße"]


def test_binary(tmp_path):
    with pytest.raises(InputError, match="binary"):
        read_document(write(tmp_path, "x.bin", b"\x00\x01\x02abc"))


def test_empty(tmp_path):
    with pytest.raises(InputError, match="empty document"):
        read_document(write(tmp_path, "e.txt", b"\n.EOA\n\n"))


def test_line_count_mismatch_says_both_counts():
    src = Document(["a", "b", "c"], name="src")
    mt = Document(["x", "y"], name="mt")
    with pytest.raises(InputError, match=r"2 lines but src has 3"):
        check_parallel(src, mt)


def test_eoa_mismatch():
    src = Document.from_lines(["a", ".EOA", "b"], name="src")
    tgt = Document.from_lines(["a", "b"], name="tgt")
    with pytest.raises(InputError, match=r"mismatched \.EOA"):
        check_same_articles(src, tgt)
