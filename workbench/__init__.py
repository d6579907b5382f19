"""The alignment workbench: MT-based sentence alignment and review of parallel corpora.

The core (everything outside :mod:`workbench.gui`) is Qt-free and usable from scripts.
"""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # `workbench.Project` without importing the project store (and SQLite) on `import workbench`.
    if name == "Project":
        from workbench.project import Project

        return Project
    raise AttributeError(f"module 'workbench' has no attribute {name!r}")
