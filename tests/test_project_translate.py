"""`workbench project translate`: a real (tiny) CTranslate2 model, cached in the project."""

from __future__ import annotations

import pytest
from ctranslate2_models import build_tiny_models

from workbench.cli import main
from workbench.project import Project


@pytest.fixture(scope="module")
def marian(tmp_path_factory):
    return build_tiny_models(tmp_path_factory.mktemp("ct2")).marian


def make_project(tmp_path, sentences):
    src, tgt = tmp_path / "doc.src", tmp_path / "doc.tgt"
    src.write_text("\n".join([*sentences[:4], ".EOA", *sentences[4:6]]) + "\n", encoding="utf-8")
    tgt.write_text("\n".join([*sentences[6:9], ".EOA", *sentences[9:12]]) + "\n", "utf-8")
    path = tmp_path / "p.wbproj"
    assert main(["project", "create", str(path)]) == 0
    assert main(["project", "add", str(path), str(src), str(tgt)]) == 0
    return path


def test_project_translate_stores_translations_and_never_translates_twice(tmp_path, marian, capsys):
    from ctranslate2_models import pseudo_sentences

    path = make_project(tmp_path, pseudo_sentences(12, seed=5))
    assert main(["project", "translate", str(path), "--model", str(marian)]) == 0
    out = capsys.readouterr().out
    assert "6 sentences, 6 newly translated" in out
    with Project.open(path) as project:
        doc = project.documents()[0].id
        first = project.translation(doc)
        assert len(first.sentences) == 6 and len(first.articles) == 2
        assert all(isinstance(s, str) for s in first.sentences)
    assert main(["project", "translate", str(path), "--model", str(marian)]) == 0
    assert "6 sentences, 0 newly translated" in capsys.readouterr().out
    with Project.open(path) as project:
        assert project.translation(doc).sentences == first.sentences


def test_project_translate_errors(tmp_path, capsys):
    from ctranslate2_models import pseudo_sentences

    path = make_project(tmp_path, pseudo_sentences(12, seed=5))
    assert main(["project", "translate", str(path), "--model", str(tmp_path / "none")]) == 2
    assert "none" in capsys.readouterr().err
    assert main(["project", "translate", str(path), "--doc", "99", "--model", "x"]) == 2
    assert "99" in capsys.readouterr().err
