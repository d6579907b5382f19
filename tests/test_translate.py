"""The translate package on tiny real CTranslate2 models built by the tests themselves."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from ctranslate2_models import TinyModels, build_tiny_models, zip_directory

from workbench.cli import main
from workbench.errors import CancelledError, InputError, ModelError
from workbench.textio import Document
from workbench.translate import (
    TRANSLATORS,
    FileTranslator,
    MemoryTranslationCache,
    SqliteTranslationCache,
    TranslationCache,
    Translator,
    open_translator,
    translate_document,
)
from workbench.translate.ct2 import choose_compute_type


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> TinyModels:
    return build_tiny_models(tmp_path_factory.mktemp("ct2models"))


class CountingTranslator:
    """Wraps a translator and records every sentence it is asked to translate."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner
        self.identity = inner.identity
        self.seen: list[str] = []

    def translate(self, sentences, *, progress=None, cancel=None):
        self.seen.extend(sentences)
        return self.inner.translate(sentences, progress=progress, cancel=cancel)


# -- the CTranslate2 backend ----------------------------------------------------------------


def test_marian_directory_translates(tiny_models: TinyModels):
    translator = open_translator(tiny_models.marian)
    assert isinstance(translator, Translator)
    sentences = [*tiny_models.sentences[:5], "", "Zo."]
    out = translator.translate(sentences)
    assert len(out) == len(sentences)
    assert out[5] == ""  # empty stays empty, untranslated
    assert all(isinstance(o, str) for o in out)
    assert any(o for o in out)
    assert all("▁" not in o for o in out)  # detokenised
    assert translator.layout.kind == "marian"


def test_batches_keep_sentence_order(tiny_models: TinyModels):
    """Length sorting and batching must not mix up which output belongs to which input."""
    translator = open_translator(tiny_models.marian, compute_type="float32", batch_size=4)
    sentences = tiny_models.sentences[:24]
    batched = translator.translate(sentences)
    one_by_one = [translator.translate([s])[0] for s in sentences]
    assert len(set(batched)) > 5  # the check below would be vacuous on constant output
    assert sum(a == b for a, b in zip(batched, one_by_one, strict=True)) >= 22


def test_compute_type_defaults_to_int8_on_cpu():
    import ctranslate2

    supported = ctranslate2.get_supported_compute_types("cpu")
    chosen = choose_compute_type("cpu")
    assert chosen in supported
    if "int8" in supported:
        assert chosen == "int8"
    assert choose_compute_type("cpu", "float32") == "float32"
    with pytest.raises(ModelError, match="not supported"):
        choose_compute_type("cpu", "float16-nonsense")


def test_progress_and_cancel_between_batches(tiny_models: TinyModels):
    translator = open_translator(tiny_models.marian, batch_size=4)
    seen: list[tuple[int, int]] = []
    translator.translate(tiny_models.sentences[:10], progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 10) and seen[-1] == (10, 10)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1  # let the first batch run, stop before the second

    done: list[int] = []
    with pytest.raises(CancelledError):
        translator.translate(
            tiny_models.sentences[:20], progress=lambda d, t: done.append(d), cancel=cancel
        )
    assert done[-1] == 4


def test_multilingual_target_prefix(tiny_models: TinyModels):
    with pytest.raises(ModelError, match="target language token"):
        open_translator(tiny_models.multilingual)
    with pytest.raises(ModelError, match="'xx_Yyyy' is not a token"):
        open_translator(tiny_models.multilingual, target_prefix="xx_Yyyy")
    fr = open_translator(tiny_models.multilingual, target_prefix="fra_Latn")
    de = open_translator(
        tiny_models.multilingual, target_prefix="deu_Latn", source_prefix="eng_Latn"
    )
    assert fr.identity != de.identity
    out = fr.translate(tiny_models.sentences[:4])
    assert len(out) == 4
    assert not any(o.startswith("fra_Latn") for o in out)  # the prefix token is stripped
    assert de._tokenize("Zo.")[0] == "eng_Latn"
    assert de._tokenize("Zo.")[-1] == "</s>"


def test_argos_zip_and_directory(tiny_models: TinyModels, tmp_path: Path):
    cache_dir = tmp_path / "argos-cache"
    from_zip = open_translator(tiny_models.argos_zip, cache_dir=cache_dir)
    assert from_zip.layout.kind == "argos"
    extracted = list(cache_dir.iterdir())
    assert len(extracted) == 1
    stamp = (from_zip.layout.model_dir / "model.bin").stat().st_mtime_ns
    again = open_translator(tiny_models.argos_zip, cache_dir=cache_dir)
    assert list(cache_dir.iterdir()) == extracted  # unpacked once, keyed by the zip's hash
    assert (again.layout.model_dir / "model.bin").stat().st_mtime_ns == stamp
    from_dir = open_translator(tiny_models.argos_dir)
    sentences = tiny_models.sentences[:6]
    assert from_zip.translate(sentences) == from_dir.translate(sentences)
    assert from_zip._tokenize("Zo.")[-1] != "</s>"  # OpenNMT-style: no source EOS


def test_identity_changes_with_model_and_options(tiny_models: TinyModels, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(tiny_models.marian, copy)
    a = open_translator(copy)
    assert open_translator(copy).identity == a.identity
    assert open_translator(copy, beam_size=4).identity != a.identity
    (copy / "target_vocabulary.json").write_text(
        (copy / "target_vocabulary.json").read_text(encoding="utf-8") + " ", encoding="utf-8"
    )
    assert open_translator(copy).identity != a.identity


# -- bad models -------------------------------------------------------------------------------


def test_missing_path(tmp_path: Path):
    with pytest.raises(ModelError, match=r"nope: no such file or directory; expected"):
        open_translator(tmp_path / "nope")


def test_directory_without_model(tmp_path: Path):
    with pytest.raises(ModelError, match=r"empty: not a CTranslate2 model \(no model.bin\)"):
        (tmp_path / "empty").mkdir()
        open_translator(tmp_path / "empty")


def test_hugging_face_directory_points_to_converter(tmp_path: Path):
    hf = tmp_path / "opus-mt-de-fr"
    hf.mkdir()
    (hf / "config.json").write_text("{}")
    (hf / "pytorch_model.bin").write_bytes(b"\0")
    with pytest.raises(ModelError, match="ct2-transformers-converter"):
        open_translator(hf)


def test_missing_sentencepiece(tiny_models: TinyModels, tmp_path: Path):
    broken = tmp_path / "m"
    shutil.copytree(tiny_models.marian, broken)
    (broken / "target.spm").unlink()
    with pytest.raises(ModelError, match=r"target.spm: missing; a Marian model needs"):
        open_translator(broken)
    (broken / "source.spm").unlink()
    with pytest.raises(ModelError, match=r"no SentencePiece model; expected source\.spm"):
        open_translator(broken)


def test_unreadable_sentencepiece(tiny_models: TinyModels, tmp_path: Path):
    broken = tmp_path / "m"
    shutil.copytree(tiny_models.marian, broken)
    (broken / "source.spm").write_bytes(b"this is not a protobuf")
    with pytest.raises(ModelError, match=r"source.spm: not a readable SentencePiece model"):
        open_translator(broken)


def test_corrupt_model_bin(tiny_models: TinyModels, tmp_path: Path):
    broken = tmp_path / "m"
    shutil.copytree(tiny_models.marian, broken)
    data = (broken / "model.bin").read_bytes()
    (broken / "model.bin").write_bytes(data[: len(data) // 3])
    with pytest.raises(ModelError, match=r"model.bin: cannot load the CTranslate2 model"):
        open_translator(broken)


def test_zip_that_is_not_an_argos_package(tmp_path: Path):
    archive = tmp_path / "x.argosmodel"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ModelError, match="not an Argos Translate package"):
        open_translator(archive, cache_dir=tmp_path / "c")


def test_damaged_argos_file_and_model_bin_path(tiny_models: TinyModels, tmp_path: Path):
    fake = tmp_path / "broken.argosmodel"
    fake.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(ModelError, match=r"broken.argosmodel: not an Argos Translate package"):
        open_translator(fake, cache_dir=tmp_path / "c")
    direct = open_translator(tiny_models.marian / "model.bin")
    assert direct.layout.model_dir == tiny_models.marian


def test_argos_package_with_bpe_is_unsupported(tiny_models: TinyModels, tmp_path: Path):
    package = tmp_path / "translate-bpe"
    shutil.copytree(tiny_models.argos_dir, package)
    (package / "sentencepiece.model").rename(package / "bpe.model")
    archive = zip_directory(package, tmp_path / "bpe.argosmodel")
    with pytest.raises(ModelError, match=r"BPE tokenizer \(bpe.model\), which is not supported"):
        open_translator(archive, cache_dir=tmp_path / "c")


def test_unsupported_layout_when_no_backend_accepts(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("workbench.translate.base.TRANSLATORS", {})
    with pytest.raises(ModelError, match="unsupported model layout"):
        open_translator(tmp_path)


def test_plugin_backend_in_registry(tmp_path: Path, monkeypatch):
    class Upper:
        identity = "upper"

        def translate(self, sentences, *, progress=None, cancel=None):
            return [s.upper() for s in sentences]

    class UpperBackend:
        name = "upper"

        def accepts(self, path: Path) -> bool:
            return path.suffix == ".upper"

        def open(self, path: Path, **options) -> Translator:
            return Upper()

    monkeypatch.setitem(TRANSLATORS, "upper", UpperBackend())
    # The file backend would accept any file; an explicit backend name picks the plugin.
    model = tmp_path / "m.upper"
    model.write_text("x")
    assert open_translator(model, backend="upper").translate(["ab"]) == ["AB"]
    with pytest.raises(ModelError, match="unknown translator backend"):
        open_translator(model, backend="nope")


# -- file backend ------------------------------------------------------------------------------


def test_file_backend_line_aligned(tmp_path: Path):
    mt = tmp_path / "mt.fr"
    mt.write_text("un\n.EOA\ndeux\ndeux\n", encoding="utf-8")
    doc = Document.from_lines(["one", ".EOA", "two", "two"], name="src")
    translator = open_translator(mt)
    assert isinstance(translator, FileTranslator)
    out = translate_document(doc, translator, cache=MemoryTranslationCache())
    assert out.sentences == ["un", "deux", "deux"]
    assert out.articles == doc.articles
    short = Document.from_lines(["one", "two"], name="src")
    with pytest.raises(InputError, match=r"mt.fr: 3 translation lines but the source has 2"):
        translate_document(short, translator)


# -- documents and caches -----------------------------------------------------------------------


def test_translate_document_keeps_articles_and_translates_distinct(tiny_models: TinyModels):
    s = tiny_models.sentences
    doc = Document.from_lines([s[0], s[1], ".EOA", s[0], "", s[2], ".EOA", s[1]], name="d")
    translator = CountingTranslator(open_translator(tiny_models.marian))
    progress: list[tuple[int, int]] = []
    out = translate_document(doc, translator, progress=lambda d, t: progress.append((d, t)))
    assert out.articles == doc.articles
    assert out.to_lines().count(".EOA") == 2
    assert sorted(translator.seen) == sorted([s[0], s[1], s[2]])  # each distinct once
    assert out.sentences[0] == out.sentences[2] and out.sentences[3] == ""
    assert progress[0] == (0, 3) and progress[-1] == (3, 3)


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_cache_means_nothing_is_translated_twice(tiny_models: TinyModels, tmp_path, kind):
    def make_cache() -> TranslationCache:
        if kind == "memory":
            return memory
        return SqliteTranslationCache(tmp_path / "cache.db")

    memory = MemoryTranslationCache()
    doc = Document(tiny_models.sentences[:30], name="d")
    first = CountingTranslator(open_translator(tiny_models.marian))
    cache = make_cache()
    assert isinstance(cache, TranslationCache)
    out1 = translate_document(doc, first, cache=cache)
    assert len(first.seen) == 30
    if kind == "sqlite":
        cache.close()
    second = CountingTranslator(open_translator(tiny_models.marian))
    progress: list[tuple[int, int]] = []
    out2 = translate_document(
        doc, second, cache=make_cache(), progress=lambda d, t: progress.append((d, t))
    )
    assert second.seen == []
    assert out2.sentences == out1.sentences
    assert progress[-1] == (0, 0)
    # A different model identity does not reuse those entries.
    other = CountingTranslator(open_translator(tiny_models.marian, beam_size=3))
    translate_document(doc, other, cache=make_cache())
    assert len(other.seen) == 30


def test_cancelled_document_keeps_finished_chunks(tiny_models: TinyModels, monkeypatch):
    monkeypatch.setattr("workbench.translate.document.CHUNK", 8)
    doc = Document(tiny_models.sentences[:40], name="d")
    translator = open_translator(tiny_models.marian, batch_size=8)
    cache = MemoryTranslationCache()
    reported: list[int] = []

    def cancel() -> bool:
        return bool(reported) and reported[-1] >= 16

    with pytest.raises(CancelledError):
        translate_document(
            doc, translator, cache=cache, progress=lambda d, t: reported.append(d), cancel=cancel
        )
    assert len(cache) == 16


def test_sqlite_cache_rejects_non_database(tmp_path: Path):
    bad = tmp_path / "notdb"
    bad.write_bytes(b"x" * 4096)
    with pytest.raises(InputError, match="not a usable translation cache"):
        SqliteTranslationCache(bad)


# -- command line -----------------------------------------------------------------------------


def test_cli_translate(tiny_models: TinyModels, tmp_path: Path, capsys):
    s = tiny_models.sentences
    src = tmp_path / "doc.txt"
    src.write_text(f"{s[0]}\n{s[1]}\n.EOA\n{s[0]}\n", encoding="utf-8")
    out = tmp_path / "doc.mt"
    cache = tmp_path / "c.db"
    args = ["translate", str(src), "--model", str(tiny_models.marian), "--cache", str(cache)]
    assert main([*args, "-o", str(out), "--beam-size", "1", "--batch-size", "2"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and lines[2] == ".EOA" and lines[0] == lines[3]
    with SqliteTranslationCache(cache) as c:
        assert len(c) == 2
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[2] == ".EOA"


def test_cli_translate_errors(tiny_models: TinyModels, tmp_path: Path, capsys):
    src = tmp_path / "doc.txt"
    src.write_text("Zo.\n", encoding="utf-8")
    assert main(["translate", str(src), "--model", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert "missing: no such file or directory" in err and "Traceback" not in err
    assert main(["translate", str(src), "--model", str(tiny_models.multilingual)]) == 2
    assert "--target-prefix" in capsys.readouterr().err
    ok = ["translate", str(src), "--model", str(tiny_models.multilingual)]
    assert main([*ok, "--target-prefix", "fra_Latn"]) == 0
