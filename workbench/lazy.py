"""Package names imported when first used (PEP 562), so that start-up pays only for what a
command touches: ``__getattr__ = lazy_names(__name__, {"Name": "package.module", ...})``."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` that imports ``name`` from ``where[name]`` on first use and
    keeps it in the package, so later lookups are plain attribute reads."""

    def __getattr__(name: str) -> object:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name]), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
