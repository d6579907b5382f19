"""The layout issue 17 asks for: small modules, a store that only stores, a Qt-free core."""

from __future__ import annotations

import ast
from pathlib import Path

import workbench

PACKAGE = Path(workbench.__file__).parent


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_of_the_store_is_above_500_lines():
    sizes = {p.name: _lines(p) for p in (PACKAGE / "project").glob("*.py")}
    assert max(sizes.values()) <= 500, sizes


def test_project_is_a_facade_over_one_module_per_concern():
    from workbench.project import Project
    from workbench.project.documents import DocumentStore
    from workbench.project.export import ExportStore
    from workbench.project.samples import SampleStore
    from workbench.project.suggestions import SuggestionStore
    from workbench.project.textedits import TextEditStore
    from workbench.project.units import UnitStore

    where = {
        "add_document": DocumentStore,
        "set_translation": DocumentStore,
        "set_suggestions": SuggestionStore,
        "decide": UnitStore,
        "merge_with_next": UnitStore,
        "split_sentence": TextEditStore,
        "create_sample": SampleStore,
        "export": ExportStore,
    }
    for name, part in where.items():
        assert getattr(Project, name) is part.__dict__[name], name


def _top_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:  # module level only: imports inside functions are lazy
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_the_store_does_not_load_the_aligner():
    for path in (PACKAGE / "project").glob("*.py"):
        imports = _top_level_imports(path)
        builders = ("workbench.align.bleualign", "workbench.align.selftrain", "workbench.scoring")
        assert not any(m.startswith(builders) for m in imports), (path.name, imports)
        assert "make_scorer" not in path.read_text(encoding="utf-8"), path.name


def test_the_core_is_qt_free():
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.relative_to(PACKAGE).parts:
            continue
        imports = _top_level_imports(path)
        assert not any(m.startswith("PySide6") for m in imports), path
