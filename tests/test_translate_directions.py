"""Model directions (issue 16, points 8 and 9): Argos packages with their real metadata.json,
an NLLB-style model converted the way ct2-transformers-converter writes it (config
``decoder_start_token: "</s>"``, Flores-200 language tokens in the vocabulary), and a folder
of several Argos packages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ctranslate2_models import (
    LANGUAGE_TOKENS,
    pseudo_sentences,
    spm_vocabulary,
    train_sentencepiece,
    write_transformer,
    zip_directory,
)

from workbench.cli import main
from workbench.errors import ModelError
from workbench.translate import open_translator


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("directions")
    sentences = pseudo_sentences(200, seed=4)
    spm = train_sentencepiece(root / "shared", sentences, 200, symbols=LANGUAGE_TOKENS)
    vocabulary = spm_vocabulary(spm)
    # NLLB as converted today: decoder_start_token is "</s>", not null.
    nllb = write_transformer(
        root / "nllb", vocabulary, vocabulary, seed=5, eos_bias=2.0, decoder_start_token="</s>"
    )
    (nllb / "sentencepiece.bpe.model").write_bytes(spm.read_bytes())
    assert json.loads((nllb / "config.json").read_text())["decoder_start_token"] == "</s>"
    packages = root / "packages"
    for source, target, seed in (("de", "fr", 6), ("fr", "de", 7), ("en", "de", 8)):
        package = packages / f"translate-{source}_{target}-1_9"
        write_transformer(package / "model", vocabulary, vocabulary, seed=seed, eos_bias=2.0)
        (package / "sentencepiece.model").write_bytes(spm.read_bytes())
        metadata = {
            "package_version": "1.9",
            "argos_version": "1.9.0",
            "from_code": source,
            "from_name": {"de": "German", "fr": "French", "en": "English"}[source],
            "to_code": target,
            "to_name": {"de": "German", "fr": "French", "en": "English"}[target],
        }
        (package / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    zipped = root / "zipped"
    zipped.mkdir()
    zip_directory(packages / "translate-de_fr-1_9", zipped / "translate-de_fr-1_9.argosmodel")
    zip_directory(packages / "translate-fr_de-1_9", zipped / "translate-fr_de-1_9.argosmodel")
    return {"nllb": nllb, "packages": packages, "zipped": zipped, "root": root}


# 8. directions ----------------------------------------------------------------------------


def test_argos_package_in_the_wrong_direction_is_refused(models: dict[str, Path]):
    de_fr = models["packages"] / "translate-de_fr-1_9"
    assert open_translator(de_fr, source_lang="de", target_lang="fr").layout.languages == (
        "de",
        "fr",
    )
    assert open_translator(de_fr, source_lang="deu", target_lang="fr_FR")  # ISO 639-2, region
    with pytest.raises(ModelError, match=r"translates de \(German\) → fr \(French\), but the "
                       r"document's source language is fr \(French\)"):  # fmt: skip
        open_translator(de_fr, source_lang="fr", target_lang="de")
    open_translator(de_fr)  # no languages known: nothing to check


def test_nllb_prefix_derived_from_the_target_language(models: dict[str, Path]):
    nllb = models["nllb"]
    with pytest.raises(ModelError, match="needs a target language token"):
        open_translator(nllb)  # decoder_start_token "</s>" does not hide the need
    fr = open_translator(nllb, source_lang="de", target_lang="fr")
    assert (fr.target_prefix, fr.source_prefix) == ("fra_Latn", "deu_Latn")
    assert fr._tokenize("Zo.")[0] == "deu_Latn"
    explicit = open_translator(nllb, target_prefix="fra_Latn")
    assert explicit.target_prefix == "fra_Latn"
    assert len(fr.translate(pseudo_sentences(3, seed=9))) == 3
    with pytest.raises(ModelError, match=r"--target-prefix eng_Latn is en \(English\), but the "
                       r"document's target language is fr"):  # fmt: skip
        open_translator(nllb, target_prefix="eng_Latn", target_lang="fr")
    with pytest.raises(ModelError, match=r"no language token for ko \(Korean\)"):
        open_translator(nllb, source_lang="de", target_lang="ko")


def test_unknown_prefix_tokens_are_refused(models: dict[str, Path]):
    nllb = models["nllb"]
    with pytest.raises(ModelError, match=r"source prefix 'deu_latn' is not a token .*deu_Latn\?"):
        open_translator(nllb, target_prefix="fra_Latn", source_prefix="deu_latn")
    with pytest.raises(ModelError, match=r"target prefix 'fr' is not a token"):
        open_translator(nllb, target_prefix="fr")


# 9. a folder of several Argos packages ---------------------------------------------------


@pytest.mark.parametrize("folder", ["packages", "zipped"])
def test_folder_of_packages_picks_by_language_pair(models, folder, tmp_path):
    path = models[folder]
    chosen = open_translator(path, source_lang="fr", target_lang="de", cache_dir=tmp_path)
    assert chosen.layout.languages == ("fr", "de")
    with pytest.raises(ModelError, match=r"holds \d Argos packages: .*translate-de_fr-1_9.* "
                       r"\(de → fr\).*--source-lang"):  # fmt: skip
        open_translator(path, cache_dir=tmp_path)
    with pytest.raises(ModelError, match=r"no Argos package for ko \(Korean\) → de"):
        open_translator(path, source_lang="ko", target_lang="de", cache_dir=tmp_path)


def test_cli_translate_and_project_translate_use_the_languages(models, tmp_path, capsys):
    doc = tmp_path / "doc.txt"
    doc.write_text("\n".join(pseudo_sentences(3, seed=10)) + "\n", encoding="utf-8")
    packages = str(models["packages"])
    assert main(["translate", str(doc), "--model", packages]) == 2
    assert "holds 3 Argos packages" in capsys.readouterr().err
    args = [
        "translate",
        str(doc),
        "--model",
        packages,
        "--source-lang",
        "fr",
        "--target-lang",
        "de",
    ]
    assert main(args) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    # A project document's languages choose the package and check the direction.
    project = tmp_path / "p.wbproj"
    assert main(["project", "create", str(project)]) == 0
    add = ["project", "add", str(project), str(doc), str(doc)]
    assert main([*add, "--source-lang", "en", "--target-lang", "de"]) == 0
    assert main(["project", "translate", str(project), "--model", packages]) == 0
    de_fr = str(models["packages"] / "translate-de_fr-1_9")
    capsys.readouterr()
    assert main(["project", "translate", str(project), "--model", de_fr]) == 2
    assert "the document's source language is en (English)" in capsys.readouterr().err
    nllb = ["project", "translate", str(project), "--model", str(models["nllb"])]
    assert main(nllb) == 0  # deu_Latn derived from the document's target language


def test_review_window_checks_the_model_against_the_document(models, demo_window, qtbot):
    window = demo_window  # the demo document is Korean → English
    de_fr = models["packages"] / "translate-de_fr-1_9"
    with qtbot.waitSignal(window.task_done, timeout=20000) as done:
        assert window.translate_with_model(de_fr)
    assert done.args == ["failed"]
    text = window.last_error.text()
    assert "translates de (German) → fr (French)" in text and "ko (Korean)" in text
    window.last_error.close()
    with qtbot.waitSignal(window.task_done, timeout=20000) as done:
        assert window.translate_with_model(models["packages"])
    assert done.args == ["failed"]
    assert "no Argos package for ko (Korean) → en (English)" in window.last_error.text()
