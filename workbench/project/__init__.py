"""The project store: one SQLite file per project (documents, suggestions, decisions, history).

>>> from workbench.project import Project
>>> with Project.create("corpus.wbproj") as project:          # doctest: +SKIP
...     doc = project.add_document(source, target, source_lang="de", target_lang="fr")
...     project.align(doc)
...     for unit in project.units(doc, limit=100): ...
"""

from workbench.project.model import (
    DocumentInfo,
    JournalEntry,
    ProjectStats,
    SampleInfo,
    SampleItem,
    SuggestionRun,
    Unit,
)
from workbench.project.project import Project
from workbench.project.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "DocumentInfo",
    "JournalEntry",
    "Project",
    "ProjectStats",
    "SampleInfo",
    "SampleItem",
    "SuggestionRun",
    "Unit",
]
