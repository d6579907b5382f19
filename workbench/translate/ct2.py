"""CTranslate2 translation of SentencePiece-tokenised text, for the model layouts users have.

Layouts (see :func:`find_layout`):

- a converted Marian/OPUS-MT directory: ``model.bin`` with ``source.spm`` and ``target.spm``
  (``ct2-transformers-converter ... --copy_files source.spm target.spm``);
- a multilingual converted directory (NLLB/M2M-style): ``model.bin`` with one SentencePiece
  model (``sentencepiece.bpe.model``, ``sentencepiece.model``, ``spm.model``) and a target
  language token passed as ``target_prefix``;
- an Argos Translate package: a ``.argosmodel`` zip (unpacked once into a cache directory
  keyed by its hash) or an installed package directory, each holding ``metadata.json``,
  ``model/`` (a CTranslate2 model) and ``sentencepiece.model``; a folder of several packages
  (Argos's own ``packages`` folder) is searched for the one of the document's language pair.

Directions are checked against the document's languages (``source_lang``/``target_lang``,
compared with :mod:`workbench.languages`): an Argos package's ``from_code``/``to_code`` must
match, and a model whose vocabulary holds language tokens (NLLB ``fra_Latn``, M2M ``__fr__``)
gets its target (and source) token from the languages when ``--target-prefix`` is not given.
A prefix token the model's vocabulary does not hold is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import CancelledError, ModelError
from workbench.languages import display, language_tokens, same_language, token_for, token_language
from workbench.textio import split_lines
from workbench.translate.base import Cancel, Progress

MODEL_FILE = "model.bin"
ARGOS_SUFFIX = ".argosmodel"
# Single SentencePiece models of converted multilingual models, in the order they are tried.
SHARED_SPM_NAMES = ("sentencepiece.bpe.model", "sentencepiece.model", "spm.model", "shared.spm")
HF_WEIGHT_FILES = ("pytorch_model.bin", "model.safetensors", "tf_model.h5")
# Preferred compute types per device, best first (int8 weights are ~4x smaller and faster).
COMPUTE_PREFERENCE = {
    "cpu": ("int8", "int8_float32", "int16", "float32"),
    "cuda": ("int8_float16", "int8_bfloat16", "float16", "bfloat16", "int8", "float32"),
}
_HASH_SAMPLE = 1 << 20  # bytes read from each end of model.bin for its identity


@dataclass
class ModelLayout:
    """Where a model's parts are and how its input and output are framed."""

    kind: str  # "marian", "multilingual", "argos"
    model_dir: Path
    source_spm: Path
    target_spm: Path
    source_suffix: list[str] = field(default_factory=list)  # e.g. ["</s>"] for HF models
    target_prefix: str | None = None  # default from the package metadata
    origin: Path | None = None  # what the user pointed at (zip, package dir)
    languages: tuple[str, str] | None = None  # an Argos package's (from_code, to_code)


def _vocabulary_files(model_dir: Path) -> list[Path]:
    names = [
        "shared_vocabulary.json",
        "shared_vocabulary.txt",
        "target_vocabulary.json",
        "target_vocabulary.txt",
        "source_vocabulary.json",
        "source_vocabulary.txt",
    ]
    return [model_dir / n for n in names if (model_dir / n).is_file()]


def _read_target_vocabulary(model_dir: Path) -> set[str] | None:
    return _read_vocabulary(model_dir, "target")


def _read_vocabulary(model_dir: Path, side: str) -> set[str] | None:
    other = "source" if side == "target" else "target"
    files = [f for f in _vocabulary_files(model_dir) if other not in f.name]
    if not files:
        return None  # older models embed the vocabulary in model.bin
    path = files[0]
    try:
        if path.suffix == ".json":
            return set(json.loads(path.read_text(encoding="utf-8")))
        return set(split_lines(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: cannot read the model vocabulary ({exc})") from None


def _check_model_dir(model_dir: Path, what: str) -> None:
    if not model_dir.is_dir():
        raise ModelError(f"{model_dir}: no such directory; expected {what}")
    if not (model_dir / MODEL_FILE).is_file():
        if any((model_dir / n).is_file() for n in HF_WEIGHT_FILES):
            raise ModelError(
                f"{model_dir}: a Hugging Face model, not a CTranslate2 one; convert it with "
                f"ct2-transformers-converter --model {model_dir} --output_dir OUT "
                "--copy_files source.spm target.spm"
            )
        raise ModelError(f"{model_dir}: not a CTranslate2 model (no {MODEL_FILE}); expected {what}")


def _decoder_needs_prefix(model_dir: Path) -> bool:
    config = model_dir / "config.json"
    try:
        data = json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
    except (OSError, ValueError):
        return False
    return "decoder_start_token" in data and data["decoder_start_token"] is None


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "workbench" / "argos"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_argos_package(package: Path, cache_dir: Path | None = None) -> Path:
    """Unpack a ``.argosmodel`` zip once into ``cache_dir/<sha256 prefix>``; return that dir.

    The extraction goes to a temporary sibling first and is renamed into place, so an
    interrupted run never leaves a half-unpacked package that looks complete.
    """
    cache_dir = cache_dir or default_cache_dir()
    try:
        key = _file_sha256(package)[:20]
    except OSError as exc:
        raise ModelError(f"{package}: cannot read ({exc.strerror})") from None
    target = cache_dir / key
    if target.is_dir():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cache_dir))
    except OSError as exc:
        raise ModelError(f"{cache_dir}: cannot create the package cache ({exc.strerror})") from None
    try:
        with zipfile.ZipFile(package) as archive:
            root = tmp.resolve()
            for member in archive.namelist():
                dest = (tmp / member).resolve()
                if not dest.is_relative_to(root):
                    raise ModelError(f"{package}: unsafe path {member!r} in the package")
            archive.extractall(tmp)
        try:
            tmp.rename(target)
        except OSError:
            if not target.is_dir():  # another process may have won the race
                raise
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelError(f"{package}: damaged Argos Translate package ({exc})") from None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _argos_root(directory: Path) -> Path | None:
    """The package directory: ``directory`` itself or its single top-level subdirectory."""
    if (directory / "metadata.json").is_file():
        return directory
    subdirs = [d for d in directory.iterdir() if d.is_dir() and not d.name.startswith(".")]
    if len(subdirs) == 1 and (subdirs[0] / "metadata.json").is_file():
        return subdirs[0]
    return None


def _argos_codes(metadata: dict) -> tuple[str, str]:
    return str(metadata.get("from_code") or ""), str(metadata.get("to_code") or "")


def argos_packages(folder: Path) -> list[tuple[Path, str, str]]:
    """The Argos packages directly in ``folder`` (unpacked or ``.argosmodel``), with the
    ``from_code`` and ``to_code`` of each; unreadable ones are left out."""
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir() and (entry / "metadata.json").is_file():
                metadata = json.loads((entry / "metadata.json").read_text(encoding="utf-8"))
            elif entry.is_file() and entry.suffix == ARGOS_SUFFIX and zipfile.is_zipfile(entry):
                with zipfile.ZipFile(entry) as archive:
                    names = [n for n in archive.namelist() if n.count("/") <= 1]
                    meta = next((n for n in names if n.split("/")[-1] == "metadata.json"), None)
                    if meta is None:
                        continue
                    metadata = json.loads(archive.read(meta).decode("utf-8"))
            else:
                continue
        except (OSError, ValueError, zipfile.BadZipFile):
            continue
        if isinstance(metadata, dict):
            found.append((entry, *_argos_codes(metadata)))
    return found


def _pick_argos_package(
    folder: Path, packages: list[tuple[Path, str, str]], source_lang: str, target_lang: str
) -> Path:
    """The package of ``folder`` for the language pair, or an error listing them all."""
    listing = "; ".join(f"{p.name} ({a} → {b})" for p, a, b in packages)
    if source_lang and target_lang:
        fitting = [
            p
            for p, a, b in packages
            if same_language(a, source_lang) and same_language(b, target_lang)
        ]
        if len(fitting) == 1:
            return fitting[0]
        if not fitting:
            raise ModelError(
                f"{folder}: no Argos package for {display(source_lang)} → "
                f"{display(target_lang)} among {len(packages)}: {listing}"
            )
    raise ModelError(
        f"{folder}: holds {len(packages)} Argos packages: {listing}; give the document's "
        "languages (--source-lang/--target-lang, or a project document's) or one package's "
        "path as --model"
    )


def _argos_layout(package_dir: Path, origin: Path) -> ModelLayout:
    meta_path = package_dir / "metadata.json"
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{meta_path}: unreadable Argos package metadata ({exc})") from None
    model_dir = package_dir / "model"
    _check_model_dir(model_dir, "the package's CTranslate2 model (model/model.bin)")
    spm = package_dir / "sentencepiece.model"
    if not spm.is_file():
        if (package_dir / "bpe.model").is_file():
            raise ModelError(
                f"{package_dir}: this Argos package uses a BPE tokenizer (bpe.model), which is "
                "not supported; expected sentencepiece.model"
            )
        raise ModelError(f"{spm}: missing; an Argos package needs its SentencePiece model")
    prefix = metadata.get("target_prefix") or None
    return ModelLayout("argos", model_dir, spm, spm, [], prefix, origin, _argos_codes(metadata))


def find_layout(
    path: Path,
    cache_dir: Path | None = None,
    source_lang: str | None = None,
    target_lang: str | None = None,
) -> ModelLayout:
    """Work out what ``path`` is; a :class:`ModelError` names it and what was expected.

    A folder holding several Argos packages gives the one for ``source_lang`` →
    ``target_lang``; without them (or with no such package) the error lists the packages.
    """
    if not path.exists():
        raise ModelError(f"{path}: no such file or directory; expected a CTranslate2 model")
    if path.is_file():
        if not zipfile.is_zipfile(path):
            raise ModelError(
                f"{path}: not an Argos Translate package (not a zip archive); expected a "
                "CTranslate2 model directory or a .argosmodel file"
            )
        unpacked = extract_argos_package(path, cache_dir)
        root = _argos_root(unpacked)
        if root is None:
            raise ModelError(
                f"{path}: not an Argos Translate package (no metadata.json at the top level)"
            )
        return _argos_layout(root, path)
    argos = _argos_root(path) if not (path / MODEL_FILE).exists() else None
    if argos is not None:
        return _argos_layout(argos, path)
    if not (path / MODEL_FILE).exists():
        packages = argos_packages(path)
        if len(packages) > 1 or (packages and not packages[0][0].is_dir()):
            chosen = (
                packages[0][0]
                if len(packages) == 1
                else _pick_argos_package(path, packages, source_lang or "", target_lang or "")
            )
            return find_layout(chosen, cache_dir, source_lang, target_lang)
    what = "a CTranslate2 model directory (model.bin with SentencePiece files)"
    _check_model_dir(path, what)
    # Marian and the Transformers tokenizers of NLLB/M2M end the source with </s>; Argos
    # (OpenNMT-py) models were trained without it.
    suffix = ["</s>"]
    source, target = path / "source.spm", path / "target.spm"
    if source.exists() or target.exists():
        for spm in (source, target):
            if not spm.is_file():
                raise ModelError(f"{spm}: missing; a Marian model needs source.spm and target.spm")
        return ModelLayout("marian", path, source, target, suffix, None, path)
    for name in SHARED_SPM_NAMES:
        if (path / name).is_file():
            return ModelLayout("multilingual", path, path / name, path / name, suffix, None, path)
    raise ModelError(
        f"{path}: no SentencePiece model; expected source.spm and target.spm (Marian/OPUS-MT, "
        f"copy them with --copy_files) or one of {', '.join(SHARED_SPM_NAMES)}"
    )


def choose_compute_type(device: str = "cpu", requested: str = "auto") -> str:
    """``requested`` if given, else the best type the machine supports (int8 where possible)."""
    import ctranslate2

    try:
        supported = set(ctranslate2.get_supported_compute_types(device))
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"device {device!r} is not usable by CTranslate2 ({exc})") from None
    if requested != "auto":
        if requested not in supported:
            raise ModelError(
                f"compute type {requested!r} is not supported on {device}; "
                f"supported: {', '.join(sorted(supported))}"
            )
        return requested
    for candidate in COMPUTE_PREFERENCE.get(device, ("float32",)):
        if candidate in supported:
            return candidate
    return "default"


def _load_spm(path: Path) -> Any:
    import sentencepiece as spm

    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise ModelError(
            f"{path}: not a readable SentencePiece model ({str(exc).splitlines()[0]})"
        ) from None


def model_fingerprint(model_dir: Path) -> str:
    """A short hash of the model's files: small files whole, model.bin by size and both ends."""
    digest = hashlib.sha256()
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(model_dir)).encode())
        size = path.stat().st_size
        digest.update(str(size).encode())
        with open(path, "rb") as fh:
            if size <= 2 * _HASH_SAMPLE:
                digest.update(fh.read())
            else:  # hashing a 300 MB model.bin whole would cost seconds at every opening
                digest.update(fh.read(_HASH_SAMPLE))
                fh.seek(-_HASH_SAMPLE, os.SEEK_END)
                digest.update(fh.read())
    return digest.hexdigest()[:16]


class CTranslate2Translator:
    """A ``ctranslate2.Translator`` with SentencePiece on both sides.

    Sentences are sorted by token length and translated in batches of at most
    ``batch_size``; ``inter_threads`` batches run in parallel per call, so progress and
    cancellation are checked every ``batch_size * inter_threads`` sentences.
    """

    def __init__(
        self,
        layout: ModelLayout,
        *,
        target_prefix: str | None = None,
        source_prefix: str | None = None,
        source_eos: bool | None = None,
        beam_size: int = 2,
        batch_size: int = 32,
        device: str = "cpu",
        compute_type: str = "auto",
        intra_threads: int = 0,
        inter_threads: int = 1,
        max_decoding_length: int = 256,
        length_ratio: float = 3.0,
        source_lang: str | None = None,
        target_lang: str | None = None,
    ) -> None:
        import ctranslate2

        if beam_size < 1 or batch_size < 1 or inter_threads < 1 or intra_threads < 0:
            raise ModelError(
                "beam size, batch size and inter threads must be at least 1, intra threads >= 0"
            )
        self.layout = layout
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.max_decoding_length = max_decoding_length
        self.length_ratio = length_ratio
        self.source_spm = _load_spm(layout.source_spm)
        self.target_spm = (
            self.source_spm
            if layout.target_spm == layout.source_spm
            else _load_spm(layout.target_spm)
        )
        self.target_prefix = target_prefix or layout.target_prefix
        self.source_prefix = source_prefix
        self.source_suffix = (
            layout.source_suffix if source_eos is None else (["</s>"] if source_eos else [])
        )
        self._check_direction(layout, source_lang or "", target_lang or "")
        self._check_prefix(layout.model_dir)
        self.compute_type = choose_compute_type(device, compute_type)
        if intra_threads == 0:  # all cores for one batch at a time, shared by parallel batches
            intra_threads = max(1, (os.cpu_count() or 1) // inter_threads)
        self.intra_threads = intra_threads
        self.inter_threads = inter_threads
        try:
            self.model = ctranslate2.Translator(
                str(layout.model_dir),
                device=device,
                compute_type=self.compute_type,
                intra_threads=intra_threads,
                inter_threads=inter_threads,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ModelError(
                f"{layout.model_dir / MODEL_FILE}: cannot load the CTranslate2 model ({message}); "
                "expected a model.bin written by a CTranslate2 converter"
            ) from None
        options = (
            f"{layout.kind}|{self.target_prefix}|{self.source_prefix}|{self.source_suffix}"
            f"|beam={beam_size}"
        )
        self.identity = (
            f"ct2:{(layout.origin or layout.model_dir).resolve()}:"
            f"{model_fingerprint(layout.model_dir)}:{options}|{self.compute_type}"
        )

    def _check_direction(self, layout: ModelLayout, source_lang: str, target_lang: str) -> None:
        """Refuse a model used against the document's language pair; fill in NLLB tokens."""
        where = layout.origin or layout.model_dir
        if layout.languages is not None:
            package = layout.languages
            for side, code, wanted in zip(
                ("source", "target"), package, (source_lang, target_lang), strict=True
            ):
                if wanted and code and not same_language(code, wanted):
                    raise ModelError(
                        f"{where}: this Argos package translates {display(package[0])} → "
                        f"{display(package[1])}, but the document's {side} language is "
                        f"{display(wanted)}; use a {display(source_lang or package[0])} → "
                        f"{display(target_lang or package[1])} package"
                    )
            return
        if layout.kind != "multilingual":
            return
        target_vocabulary = _read_vocabulary(layout.model_dir, "target")
        if not target_vocabulary or not language_tokens(target_vocabulary):
            return
        for side, given, wanted, vocabulary in (
            ("target", self.target_prefix, target_lang, target_vocabulary),
            ("source", self.source_prefix, source_lang, None),
        ):
            if vocabulary is None:
                vocabulary = _read_vocabulary(layout.model_dir, "source") or target_vocabulary
            if given:
                meaning = token_language(given)
                if wanted and meaning and not same_language(meaning, wanted):
                    raise ModelError(
                        f"{where}: --{side}-prefix {given} is {display(meaning)}, but the "
                        f"document's {side} language is {display(wanted)}"
                    )
                continue
            if not wanted:
                continue
            tokens = token_for(wanted, vocabulary)
            if not tokens:
                raise ModelError(
                    f"{where}: the model has no language token for {display(wanted)} (its "
                    f"{side} language); it knows {', '.join(language_tokens(vocabulary)[:12])}"
                )
            if side == "target":
                self.target_prefix = tokens[0]
            else:
                self.source_prefix = tokens[0]
        if self.target_prefix is None:
            raise ModelError(
                f"{where}: this multilingual model needs a target language token: give the "
                "document's target language (--target-lang, a project document's) or "
                "--target-prefix (e.g. fra_Latn)"
            )

    def _check_prefix(self, model_dir: Path) -> None:
        if self.source_prefix is not None:
            vocabulary = _read_vocabulary(model_dir, "source")
            if vocabulary is not None and self.source_prefix not in vocabulary:
                raise ModelError(
                    f"{model_dir}: source prefix {self.source_prefix!r} is not a token of the "
                    f"model's source vocabulary{_suggest(self.source_prefix, vocabulary)}"
                )
        if self.target_prefix is None:
            if _decoder_needs_prefix(model_dir):
                raise ModelError(
                    f"{model_dir}: this multilingual model needs a target language token "
                    "(--target-prefix, e.g. fra_Latn)"
                )
            return
        vocabulary = _read_target_vocabulary(model_dir)
        if vocabulary is not None and self.target_prefix not in vocabulary:
            raise ModelError(
                f"{model_dir}: target prefix {self.target_prefix!r} is not a token of the "
                f"model's target vocabulary{_suggest(self.target_prefix, vocabulary)}"
            )

    def _tokenize(self, sentence: str) -> list[str]:
        tokens = self.source_spm.encode(sentence, out_type=str)
        if self.source_prefix:
            tokens = [self.source_prefix, *tokens]
        return [*tokens, *self.source_suffix]

    def _detokenize(self, tokens: list[str]) -> str:
        if self.target_prefix and tokens and tokens[0] == self.target_prefix:
            tokens = tokens[1:]
        return self.target_spm.decode(tokens).strip()

    def translate(
        self,
        sentences: list[str],
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> list[str]:
        total = len(sentences)
        results = [""] * total
        tokenized = [self._tokenize(s) if s.strip() else [] for s in sentences]
        order = sorted((i for i in range(total) if tokenized[i]), key=lambda i: len(tokenized[i]))
        step = self.batch_size * self.inter_threads
        done = total - len(order)  # empty sentences translate to empty strings
        if progress is not None:
            progress(done, total)
        for start in range(0, len(order), step):
            if cancel is not None and cancel():
                raise CancelledError("translation cancelled")
            chunk = order[start : start + step]
            batch = [tokenized[i] for i in chunk]
            longest = max(len(t) for t in batch)
            # Bound the output by the input length so a degenerate model cannot loop to 256.
            limit = min(self.max_decoding_length, math.ceil(self.length_ratio * longest) + 10)
            prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
            try:
                outputs = self.model.translate_batch(
                    batch,
                    target_prefix=prefix,
                    beam_size=self.beam_size,
                    max_batch_size=self.batch_size,
                    max_decoding_length=limit,
                )
            except (RuntimeError, ValueError) as exc:
                raise ModelError(f"{self.layout.model_dir}: translation failed ({exc})") from None
            for i, output in zip(chunk, outputs, strict=True):
                results[i] = self._detokenize(output.hypotheses[0])
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        return results


def _suggest(token: str, vocabulary: set[str]) -> str:
    """`` (did you mean deu_Latn?)`` for a token that differs only in case."""
    same = [t for t in vocabulary if t.lower() == token.lower()]
    return f" (did you mean {same[0]}?)" if same else ""


class CTranslate2Backend:
    """Model directories and Argos packages (zip files or unpacked directories)."""

    name = "ctranslate2"

    def accepts(self, path: Path) -> bool:
        return (
            path.is_dir()
            or path.name == MODEL_FILE
            or path.suffix == ARGOS_SUFFIX
            or zipfile.is_zipfile(path)
        )

    def open(self, path: Path, **options: Any) -> CTranslate2Translator:
        options.pop("encoding", None)
        if path.name == MODEL_FILE and path.is_file():
            path = path.parent  # pointing at the weights means their directory
        layout = find_layout(
            path,
            options.pop("cache_dir", None),
            options.get("source_lang"),
            options.get("target_lang"),
        )
        return CTranslate2Translator(layout, **options)
