"""Sentence splitting of raw text (sentencex) and document import (workbench.corpus)."""

from __future__ import annotations

import os

import pytest

from workbench.corpus import read_sentences, split_sentences
from workbench.errors import InputError


def test_chinese_without_spaces():
    text = "我今天很高兴。你呢？我们去吃饭吧！他说：“好的。”然后走了。价格是3.5元。"
    assert split_sentences(text, "zh") == [
        "我今天很高兴。",
        "你呢？",
        "我们去吃饭吧！",
        "他说：“好的。”",
        "然后走了。",
        "价格是3.5元。",
    ]


def test_korean_endings_and_quoted_question_with_particle():
    text = "나는 학생이다. 너는 누구니? 우리는 친구다! 서울은 3.5℃였다. “정말?”이라고 물었다."
    assert split_sentences(text, "ko") == [
        "나는 학생이다.",
        "너는 누구니?",
        "우리는 친구다!",
        "서울은 3.5℃였다.",
        "“정말?”이라고 물었다.",
    ]


def test_german_abbreviations_and_ordinals():
    text = (
        "Er kam z. B. am 3. Mai um 10 Uhr. Dr. Müller u. a. waren da. "
        "Das kostet ca. 5 Euro, d. h. nicht viel. Sie sagte: „Komm!“ Dann ging sie."
    )
    assert split_sentences(text, "de") == [
        "Er kam z. B. am 3. Mai um 10 Uhr.",
        "Dr. Müller u. a. waren da.",
        "Das kostet ca. 5 Euro, d. h. nicht viel.",
        "Sie sagte: „Komm!“",
        "Dann ging sie.",
    ]


def test_french_guillemets_and_titles():
    text = (
        "M. Dupont est arrivé. Il a dit : « Je viens demain. » Puis il est parti ! "
        "Le Dr. Martin est là. Voir p. 5 du chap. 3."
    )
    assert split_sentences(text, "fr") == [
        "M. Dupont est arrivé.",
        "Il a dit : « Je viens demain. »",
        "Puis il est parti !",
        "Le Dr. Martin est là.",
        "Voir p. 5 du chap. 3.",
    ]


def test_english_abbreviations_and_decimals():
    text = 'Dr. Smith paid $3.50 for e.g. a coffee. The U.S. economy grew. "Is it?" she asked.'
    assert split_sentences(text, "en-GB") == [
        "Dr. Smith paid $3.50 for e.g. a coffee.",
        "The U.S. economy grew.",
        '"Is it?" she asked.',
    ]


def test_paragraphs_and_soft_wraps():
    text = "A heading\n\nFirst line of a\nwrapped sentence. Second.\r\n  \r\nLast"
    assert split_sentences(text, "en") == [
        "A heading",
        "First line of a wrapped sentence.",
        "Second.",
        "Last",
    ]
    # Chinese lines join without a space.
    assert split_sentences("中文第一\n句。第二句。", "zh") == ["中文第一句。", "第二句。"]


def test_bad_language_code():
    with pytest.raises(InputError, match="not a language code"):
        split_sentences("Hello.", "")


def test_read_sentences_text_with_articles(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(
        "\ufeffErster Satz. Zweiter Satz.\n\nDritter.\n.EOA\nNeuer Artikel. Ende.\n.EOA\n",
        encoding="utf-8",
    )
    doc = read_sentences(path, fmt="text", language="de")
    assert doc.sentences == ["Erster Satz.", "Zweiter Satz.", "Dritter.", "Neuer Artikel.", "Ende."]
    assert doc.articles == [(0, 3), (3, 5)]


def test_read_sentences_lines(tmp_path):
    path = tmp_path / "doc.de"
    path.write_text("Eins.\n.EOA\nZwei. Drei.\n", encoding="utf-8")
    doc = read_sentences(path)
    assert doc.sentences == ["Eins.", "Zwei. Drei."] and doc.articles == [(0, 1), (1, 2)]


def test_read_sentences_errors(tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text("\n\n.EOA\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty document"):
        read_sentences(path, fmt="text", language="en")
    with pytest.raises(InputError, match="needs its language"):
        read_sentences(path, fmt="text")
    with pytest.raises(InputError, match="unknown document format"):
        read_sentences(path, fmt="docx")
    path.write_bytes("Caf\xe9.".encode("latin-1"))
    with pytest.raises(InputError, match="byte offset 3"):
        read_sentences(path, fmt="text", language="fr")
    assert read_sentences(path, fmt="text", language="fr", encoding="latin-1").sentences == [
        "Café."
    ]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u3000", "\u2028", "\u0085"])
@pytest.mark.parametrize("lang", ["en", "fr", "ko"])
def test_capital_and_wide_space_before_a_full_stop_is_split_not_a_crash(space, lang):
    # sentencex 1.0 panicked (a Rust panic: traceback, no output) on "I\u00a0." and the like.
    text = f"Voir le chapitre I{space}. Puis Y{space}. Fin du texte."
    sentences = split_sentences(text, lang)
    assert "".join(s.replace(" ", "") for s in sentences) == text.replace(" ", "")
    assert all(space in s for s in sentences[:1])


def test_split_command_on_a_no_break_space_before_a_full_stop(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "nb.txt"
    path.write_text("Il parle du chapitre I\u00a0. Puis il part.\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1]))
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "split", str(path), "--lang", "fr"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "I\u00a0." in done.stdout
