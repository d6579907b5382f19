"""The translator and translation-cache protocols, the backend registry and ``open_translator``.

A backend is anything that can say whether it reads a path (``accepts``) and build a
:class:`Translator` from it (``open``). Built-in backends are registered in
:data:`TRANSLATORS` by name (imported when first used, see :mod:`workbench.builtin_plugins`);
plugins add their own to the same registry.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from workbench.builtin_plugins import Registry
from workbench.errors import ModelError

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


@runtime_checkable
class Translator(Protocol):
    """Translates sentences; ``identity`` names the model and options for the cache."""

    identity: str

    def translate(
        self,
        sentences: list[str],
        *,
        progress: Progress | None = None,
        cancel: Cancel | None = None,
    ) -> list[str]: ...


@runtime_checkable
class TranslationCache(Protocol):
    """Translations keyed by (model identity, source sentence text)."""

    def get_many(self, identity: str, texts: list[str]) -> dict[str, str]: ...

    def put_many(self, identity: str, translations: dict[str, str]) -> None: ...


class TranslatorBackend(Protocol):
    """A factory of translators for one kind of model path."""

    name: str

    def accepts(self, path: Path) -> bool: ...

    def open(self, path: Path, **options: Any) -> Translator: ...


# CTranslate2 (and Argos packages) and files of translations, in this order; plugins after them.
TRANSLATORS: Registry[TranslatorBackend] = Registry("translators")


def register_translator(backend: TranslatorBackend) -> None:
    """Add (or replace) a backend under its name; later ones are tried after earlier ones."""
    TRANSLATORS[backend.name] = backend


def open_translator(
    model: str | Path,
    *,
    target_prefix: str | None = None,
    beam_size: int = 2,
    device: str = "cpu",
    backend: str | None = None,
    **options: Any,
) -> Translator:
    """Open ``model`` with the first registered backend that reads its layout.

    ``backend`` names one explicitly. Errors are :class:`ModelError` naming the path and what
    was expected there.
    """
    path = Path(model).expanduser()
    if not path.exists():
        raise ModelError(
            f"{path}: no such file or directory; expected a CTranslate2 model directory, an "
            "Argos Translate package (.argosmodel) or a file of translations"
        )
    if not path.is_dir():  # a model folder, or else a regular file (never a pipe or device)
        from workbench.textio import check_regular_file

        check_regular_file(path, "a model or a file of translations", ModelError)
    options = {"target_prefix": target_prefix, "beam_size": beam_size, "device": device, **options}
    if backend is not None:
        if backend not in TRANSLATORS:
            _discover()
        if backend not in TRANSLATORS:
            raise ModelError(
                f"unknown translator backend {backend!r}; available: {', '.join(TRANSLATORS)}"
            )
        return TRANSLATORS[backend].open(path, **options)
    for discovered in (False, True):
        if discovered:
            _discover()  # plugins are tried after the built-ins
        for candidate in TRANSLATORS.values():
            if candidate.accepts(path):
                return candidate.open(path, **options)
    raise ModelError(
        f"{path}: unsupported model layout; expected a CTranslate2 model directory (model.bin "
        "with SentencePiece files), an Argos Translate package (.argosmodel or its unpacked "
        "directory) or a text file of translations"
    )


def _discover() -> None:
    from workbench.plugins import discover

    discover()  # cached after the first call; adds plugin backends to TRANSLATORS
