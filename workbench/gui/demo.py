"""The bundled demo: a Korean–English article pair with its own MT, as a ready project.

The texts live in ``resources/demo`` at the top of a checkout; an installed package carries
them as data files under ``<prefix>/share/workbench/demo`` (see ``[tool.setuptools.data-files]``
in pyproject.toml). On first run the project is created in the user's data folder and aligned
live by the aligner (BLEU with the bundled MT), so a new user sees suggestions without a model.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Any

from workbench.errors import ProjectError
from workbench.textio import read_document

DEMO_FILES = ("ko.txt", "en.txt", "mt.en.txt")
DEMO_PROJECT = "demo.wbproj"


def demo_dir() -> Path:
    """Folder holding the demo texts: the checkout's ``resources/demo``, else the installed
    data files."""
    here = Path(__file__).resolve()
    candidates = [
        here.parents[2] / "resources" / "demo",  # checkout / editable install
        Path(sys.prefix) / "share" / "workbench" / "demo",  # wheel install
        Path(getattr(sys, "_MEIPASS", here.parents[2])) / "resources" / "demo",  # frozen app
    ]
    for folder in candidates:
        if all((folder / name).is_file() for name in DEMO_FILES):
            return folder
    raise ProjectError("the bundled demo texts are missing (resources/demo); reinstall workbench")


def create_demo_project(path: str | Path, scorer: str = "bleu") -> Any:
    """Create the demo project at ``path`` (which must not exist), align it, return it open."""
    from workbench.project import Project

    folder = demo_dir()
    source = read_document(folder / "ko.txt")
    target = read_document(folder / "en.txt")
    mt = read_document(folder / "mt.en.txt")
    project = Project.create(path)
    try:
        with project.transaction():
            doc_id = project.add_document(
                source, target, name="Hydrogen ferry (demo)", source_lang="ko", target_lang="en"
            )
            project.set_translation(doc_id, mt.sentences, translator="demo: bundled mt.en.txt")
        project.set_setting("scorer", scorer)
        project.align(doc_id, scorer=scorer)
    except Exception:
        project.close()
        Path(path).unlink(missing_ok=True)
        raise
    return project


def migrate_demo(old_dir: str | Path, new_dir: str | Path) -> bool:
    """Move a demo project (and its side files: WAL, retrained embeddings) from ``old_dir`` to
    ``new_dir`` unless ``new_dir`` already has one. True when it moved; a failure to move
    leaves everything where it was."""
    old, new = Path(old_dir), Path(new_dir)
    if not (old / DEMO_PROJECT).is_file() or (new / DEMO_PROJECT).exists():
        return False
    files = [
        f for f in old.iterdir() if f.name.startswith(DEMO_PROJECT) and not f.name.endswith(".lock")
    ]
    if any((new / f.name).exists() for f in files):
        return False
    new.mkdir(parents=True, exist_ok=True)
    moved: list[Path] = []
    try:
        for f in sorted(files, key=lambda f: f.name != DEMO_PROJECT):  # the project file first
            f.rename(new / f.name)
            moved.append(f)
    except OSError:
        for f in moved:  # put back what moved: never half a project in each place
            (new / f.name).rename(f)
        return False
    with contextlib.suppress(OSError):
        old.rmdir()  # only if nothing else is left there
    return True


def open_demo_project(data_dir: str | Path) -> Any:
    """The demo project in ``data_dir``, created and aligned on first use."""
    from workbench.project import Project

    path = Path(data_dir) / DEMO_PROJECT
    if path.exists():
        return Project.open(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return create_demo_project(path)
