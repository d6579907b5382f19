"""What the review window opens: project files (new, open, recent, dropped) and document pairs
added to a project. The window calls these and shows the project; they build no window."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
)

from workbench.gui.settings import qsettings

if TYPE_CHECKING:
    from workbench.project import Project

PROJECT_SUFFIX = ".wbproj"
MAX_RECENT = 8


# -- recent projects ----------------------------------------------------------------------------
def recent_projects() -> list[str]:
    """The projects opened last (QSettings), the latest first."""
    value = qsettings().value("recent_projects", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in (value or [])]


def remember_recent(path: Path) -> None:
    entry = str(path.resolve())
    recent = [entry] + [p for p in recent_projects() if p != entry]
    store = qsettings()
    store.setValue("recent_projects", recent[:MAX_RECENT])
    store.sync()


def fill_recent_menu(menu: QMenu, open_project: Callable[[str], Any]) -> None:
    """File ▸ Open recent: one entry per recent project (greyed out when it is gone)."""
    menu.clear()
    for path in recent_projects():
        action = menu.addAction(path)
        action.setEnabled(Path(path).exists())
        action.triggered.connect(lambda _=False, p=path: open_project(p))
    if menu.isEmpty():
        menu.addAction("(none)").setEnabled(False)


# -- asking for files ---------------------------------------------------------------------------
def project_path(path: str | Path) -> Path:
    """``path`` with the project suffix (a new project's file name)."""
    path = Path(path)
    return path if path.suffix == PROJECT_SUFFIX else path.with_suffix(PROJECT_SUFFIX)


def ask_new_project(parent: QWidget) -> str:
    path, _ = QFileDialog.getSaveFileName(
        parent, "New project", "", f"Workbench project (*{PROJECT_SUFFIX})"
    )
    return path


def ask_project(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, "Open project", "", f"Workbench project (*{PROJECT_SUFFIX})"
    )
    return path


# File-dialog filter -> format (None: from the file's suffix, plugins' formats included).
EXPORT_FORMATS = {
    "Tab-separated (*.tsv)": "tsv",
    "TMX (*.tmx)": "tmx",
    "JSON lines (*.jsonl)": "jsonl",
    "Moses: NAME.<language> for each side (*)": "moses",
    "Any format, from the suffix (*)": None,
}


def ask_export_path(parent: QWidget) -> tuple[str, str | None]:
    """The file to export to and its format, asked (an empty path: cancelled)."""
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export accepted pairs", "pairs.tsv", ";;".join(EXPORT_FORMATS)
    )
    return path, EXPORT_FORMATS.get(chosen)


def export_accepted(
    project: Project,
    output: str | Path,
    fmt: str | None = None,
    languages: tuple[str, str] | None = None,
) -> str:
    """Write the project's accepted pairs as ``project export`` does (``fmt``, else from the
    suffix; ``languages``: source and target, else the documents' own); its summary line.
    Store and format errors raise, before anything is written."""
    from workbench.cli.common import written_names
    from workbench.corpus import exporter_for
    from workbench.errors import InputError
    from workbench.languages import normalize
    from workbench.wording import count

    output = str(output)
    exporter = exporter_for(output, fmt)  # an unknown format is refused before any work
    source, target = languages or (None, None)
    if languages is not None and exporter.name == "moses":
        # The store's own refusal names --source-lang/--target-lang, which the window has not.
        if not normalize(source) or not normalize(target):
            raise InputError("Moses files are named NAME.<language>: give both languages")
        if normalize(source) == normalize(target):
            raise InputError(
                f"Moses export needs two different language codes (got {source!r} for both)"
            )
    docs = project.documents()
    if docs and not any(project.count_units(d.id) for d in docs):
        # The store's refusal names `workbench project align`, which the window has not.
        raise InputError(
            f"{output}: no pairs to export: "
            + (
                "the document is not aligned yet; Tools ▸ Align again (Ctrl+L) aligns it"
                if len(docs) == 1
                else "no document is aligned yet; Tools ▸ Align again (Ctrl+L) aligns the "
                "document chosen in the filter bar (Ctrl+1 chooses one)"
            )
            + "; nothing was written"
        )
    written: list[Path] = []
    empty: list = []  # pairs with an empty side (blank lines): left out, and said
    n = project.export(
        output, fmt, written=written, source_lang=source, target_lang=target, left_empty=empty
    )
    summary = f"{count(n, 'accepted pair')} written to {written_names(output, written)}"
    if empty:
        summary += f"; {count(len(empty), 'pair')} with an empty side (a blank line) left out"
    return summary


def languages_to_ask(
    project: Project, output: str | Path, fmt: str | None
) -> tuple[str, str] | None:
    """For a Moses export (files named by language) whose documents do not name two different
    languages: the codes they do name ("" where none), to ask the curator for; else None."""
    from workbench.corpus import exporter_for
    from workbench.errors import WorkbenchError
    from workbench.languages import normalize

    try:
        if exporter_for(str(output), fmt).name != "moses":
            return None
    except WorkbenchError:
        return None  # export_accepted says why
    langs = {(normalize(d.source_lang), normalize(d.target_lang)) for d in project.documents()}
    source, target = langs.pop() if len(langs) == 1 else ("", "")
    return None if source and target and source != target else (source, target)


def ask_languages(parent: QWidget, source: str, target: str) -> tuple[str, str] | None:
    """The source and target language codes of a Moses export, asked; None on Cancel."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Export pairs: languages")
    form = QFormLayout(dialog)
    form.addRow(
        QLabel(
            "Moses files are named NAME.<language> and the documents do not say their\n"
            "languages: give a code for each side (e.g. de and fr)."
        )
    )
    fields = (QLineEdit(source), QLineEdit(target))
    form.addRow("Source language", fields[0])
    form.addRow("Target language", fields[1])
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    form.addRow(box)
    if not dialog.exec():
        return None
    return fields[0].text().strip(), fields[1].text().strip()


def ask_documents(parent: QWidget) -> tuple[str, str, str | None] | None:
    """Source, target and (optional) machine translation files; None on Cancel."""
    source, _ = QFileDialog.getOpenFileName(parent, "Source document (one sentence per line)")
    if not source:
        return None
    target, _ = QFileDialog.getOpenFileName(parent, "Target document (one sentence per line)")
    if not target:
        return None
    mt, _ = QFileDialog.getOpenFileName(
        parent, "Machine translation of the source (optional: Cancel to skip)"
    )
    return source, target, mt or None


def dropped_project(paths: Sequence[Path]) -> Path | None:
    """The first project file among dropped paths."""
    return next((p for p in paths if p.suffix == PROJECT_SUFFIX), None)


# -- documents ----------------------------------------------------------------------------------
def add_document_files(
    project: Project, source: str | Path, target: str | Path, mt: str | Path | None = None
) -> int:
    """Read a document pair (and the source's translation) into ``project``; its id. A bad
    file raises a WorkbenchError before anything is stored."""
    from workbench.textio import check_parallel, read_document

    src_doc = read_document(source)
    tgt_doc = read_document(target)
    mt_doc = read_document(mt) if mt else None
    if mt_doc is not None:  # before anything is stored: a bad MT file adds nothing
        check_parallel(src_doc, mt_doc)
    with project.transaction():  # never a document without the translation given with it
        doc_id = project.add_document(src_doc, tgt_doc, name=Path(source).stem)
        if mt_doc is not None and mt:
            project.set_translation(doc_id, mt_doc.sentences, translator=f"file:{Path(mt).name}")
    return doc_id
