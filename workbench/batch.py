"""Batch alignment of many document pairs, resumable, in-process or on a Dask cluster; Qt-free.

The inputs are a manifest (:func:`~workbench.batch_manifest.read_manifest`) or two folders with matching file names
(:func:`items_from_dirs`). Every document pair is aligned by :func:`align_contents`, a pure
function of the files' bytes and the settings, so it runs unchanged in this process, in a
``LocalCluster``'s worker processes or on a remote Dask cluster without a shared file system;
the client reads the files, hands out the bytes and writes every result itself.

Results go to a folder with one TSV per document (written atomically), or to one TSV file put
together from such a folder (``OUT.parts/``) once every document is done. A state file in the
folder records each finished document with a digest of its inputs and the settings, so a batch
run again after an interruption skips what is done and redoes what changed. A document that
fails (unreadable file, mismatched translation, a scorer error) is reported and the batch goes
on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.align import AlignmentUnit, pipeline

# Manifest reading lives in batch_manifest; its names stay importable from here (callers did).
from workbench.batch_manifest import (  # noqa: F401
    MANIFEST_COLUMNS,
    BatchItem,
    check_unique,
    items_from_dirs,
    read_manifest,
)
from workbench.batch_model import BatchModel, Payload, scattered, shared_model
from workbench.errors import InputError, WorkbenchError
from workbench.safeio import check_output, write_text_atomic
from workbench.textio import Document, document_from_bytes, join_sentences, read_bytes

STATE_FILE = ".workbench-batch.json"
TSV_HEADER = (
    "document",
    "source_ids",
    "target_ids",
    "score",
    "method",
    "source",
    "target",
)


@dataclass(frozen=True)
class BatchSettings(pipeline.AlignSettings):
    """How every document is aligned (:class:`workbench.align.pipeline.AlignSettings`, the
    options of ``workbench align``) and the files' encoding."""

    embeddings: str | None = None  # a path readable where the alignment runs
    encoding: str = "utf-8"
    shared_model: bool = False  # self-trained ABLEU: one model for the batch (batch_model)

    def fingerprint(self) -> str:
        fields = asdict(self)
        # Options added after batches were first recorded count only when set, so that a
        # batch recorded before them resumes.
        for name, default in (("iterations", None), ("seed", 1), ("shared_model", False)):
            if fields[name] == default:
                del fields[name]
        return json.dumps(fields, sort_keys=True)


AlignSettings = BatchSettings  # its name before the pipeline had one


@dataclass
class BatchReport:
    """What a batch did: documents aligned now, skipped as done before, and failures."""

    aligned: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    units: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


# -- inputs -------------------------------------------------------------------------------------
# -- the pure alignment job (runs on workers) ---------------------------------------------------
def _document(data: bytes, label: str, encoding: str) -> Document:
    return document_from_bytes(data, label, encoding)


def align_contents(
    name: str,
    source: bytes,
    target: bytes,
    mt: Sequence[bytes] = (),
    mt_reverse: Sequence[bytes] = (),
    settings: BatchSettings | None = None,
    model: Payload | None = None,
) -> list[AlignmentUnit]:
    """Align one document pair given the files' contents; a pure function of its arguments
    (``model``: the batch's shared model, see :mod:`workbench.batch_model`)."""
    s = settings or BatchSettings()
    enc = s.encoding
    src = _document(source, f"{name} (source)", enc)
    tgt = _document(target, f"{name} (target)", enc)
    mts = [_document(d, f"{name} (translation {k + 1})", enc) for k, d in enumerate(mt)]
    revs = [
        _document(d, f"{name} (reverse translation {k + 1})", enc) for k, d in enumerate(mt_reverse)
    ]
    docs = pipeline.Documents(src, tgt, mts, revs)
    return pipeline.align(s, docs, shared=shared_model(model)).units


# -- results: a folder of per-document TSVs and a state file ------------------------------------
def _safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", name).strip("._") or "document"
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}.{digest}.tsv" if cleaned != name else f"{cleaned}.tsv"


def _write_atomic(path: Path, text: str) -> None:
    """Write a whole file or nothing (the workbench's one atomic-write helper)."""
    write_text_atomic(path, text)


def _clean(text: str) -> str:
    """A document name on one row and in one column (names are not the corpus' text)."""
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _row_text(side: str, sentences: Sequence[str], ids: Sequence[int]) -> str:
    """The unit's text on one side, refused (never changed) when a row cannot hold it."""
    for i in ids:
        for char, what in (("\t", "a tab"), ("\r", "a carriage return"), ("\n", "a line feed")):
            if char in sentences[i]:
                raise InputError(
                    f"{side} sentence {i} contains {what}, which a batch TSV row cannot "
                    "hold; align this document with --project, or with `workbench align "
                    "--format tsv` (which escapes it)"
                )
    return join_sentences(sentences[i] for i in ids)


def units_tsv(
    name: str,
    units: Iterable[AlignmentUnit],
    source: Sequence[str],
    target: Sequence[str],
    deletions: bool = False,
) -> str:
    """Rows (without header) of aligned pairs: document, ids, score, method, texts.

    A sentence holding a tab or a carriage return is refused with an InputError: written as
    it is it would move a column, and replaced by a space (as before) it was silently changed.
    """
    lines = []
    for u in units:
        if u.is_deletion and not deletions:
            continue
        score = "" if u.score is None else f"{u.score:.6f}"
        src = _row_text("source", source, u.source)
        tgt = _row_text("target", target, u.target)
        ids_s = ",".join(map(str, u.source))
        ids_t = ",".join(map(str, u.target))
        lines.append(f"{_clean(name)}\t{ids_s}\t{ids_t}\t{score}\t{u.method}\t{src}\t{tgt}\n")
    return "".join(lines)


class ResultFolder:
    """Per-document TSV files plus the state file saying which are finished, and from what."""

    def __init__(self, folder: Path, settings: BatchSettings, *, restart: bool = False):
        self.folder = folder
        self.settings = settings
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{folder}: cannot create the output folder ({exc})") from None
        self.state_path = folder / STATE_FILE
        self.state: dict[str, Any] = {"settings": settings.fingerprint(), "documents": {}}
        if self.state_path.exists() and not restart:
            try:
                saved = json.loads(self.state_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise WorkbenchError(
                    f"{self.state_path}: unreadable batch state; use --restart to start over"
                ) from None
            if saved.get("settings") != self.state["settings"]:
                raise WorkbenchError(
                    f"{folder} holds a batch made with other settings; use another output or "
                    "--restart to redo every document"
                )
            self.state = saved

    def check_inputs(self, items: Sequence[BatchItem], read: Sequence[str | Path]) -> None:
        """Refuse, before any work, a folder where a document's result file or the state file
        would replace a file the batch reads (``-o`` the source folder, a document named like
        a manifest)."""
        files: dict[tuple[int, int], str | Path] = {}
        for path in read:
            with contextlib.suppress(OSError):
                st = os.stat(path)
                files[(st.st_dev, st.st_ino)] = path
        outputs = [self.folder / _safe_filename(item.name) for item in items]
        for out in [*outputs, self.state_path]:
            try:
                st = os.stat(out)
            except OSError:
                continue  # written new: it replaces nothing
            found = files.get((st.st_dev, st.st_ino))
            if found is not None:
                raise InputError(
                    f"{out}: the batch result would overwrite an input ({found}); choose "
                    "another output folder"
                )

    def is_done(self, name: str, digest: str) -> bool:
        entry = self.state["documents"].get(name)
        return (
            bool(entry) and entry.get("digest") == digest and (self.folder / entry["file"]).exists()
        )

    def save(self, job: _Job, units: list[AlignmentUnit], deletions: bool) -> int:
        """Write one document's rows, then record it as finished; returns the rows written."""
        name = job.item.name
        src = _document(job.contents[0], name, self.settings.encoding).sentences
        tgt = _document(job.contents[1], name, self.settings.encoding).sentences
        kept = [u for u in units if deletions or not u.is_deletion]
        filename = _safe_filename(name)
        _write_atomic(self.folder / filename, units_tsv(name, kept, src, tgt, deletions))
        self.state["documents"][name] = {"digest": job.digest, "file": filename, "units": len(kept)}
        _write_atomic(self.state_path, json.dumps(self.state, indent=1, ensure_ascii=False))
        return len(kept)

    def close(self, names: Sequence[str], complete: bool) -> None:
        """Nothing to do for a folder (every document was written when it finished)."""

    def combine(self, names: Sequence[str], path: Path) -> None:
        """Every finished document's rows, in ``names`` order, into one TSV with a header."""
        parts = ["\t".join(TSV_HEADER) + "\n"]
        for name in names:
            entry = self.state["documents"].get(name)
            if entry:
                parts.append((self.folder / entry["file"]).read_text(encoding="utf-8"))
        _write_atomic(path, "".join(parts))


class TsvFileOutput(ResultFolder):
    """One TSV file, put together from a ``OUT.parts`` folder once the documents are done."""

    def __init__(self, path: Path, settings: BatchSettings, *, restart: bool = False):
        self.path = path
        super().__init__(path.with_name(path.name + ".parts"), settings, restart=restart)

    def close(self, names: Sequence[str], complete: bool) -> None:
        self.combine(names, self.path)
        if complete:  # every document is in the file; the parts are only needed to resume
            shutil.rmtree(self.folder, ignore_errors=True)


PROJECT_STATE_KEY = "batch.documents"  # project setting: name -> {doc_id, digest}


class ProjectOutput:
    """Documents, their translations and suggestion runs stored in a workbench project.

    Finished documents are recorded in a project setting (name → document id and input
    digest). A document added to the project but interrupted before its suggestions were
    stored is found again by its name and texts and is not added twice.
    """

    def __init__(self, path: Path, settings: BatchSettings, *, restart: bool = False):
        from workbench.project import Project

        self.settings = settings
        self.project = Project.open(path) if path.exists() else Project.create(path)
        self.done: dict[str, dict[str, Any]] = dict(
            self.project.get_setting(PROJECT_STATE_KEY, {}) or {}
        )
        if restart:
            self.done = {name: {**entry, "digest": ""} for name, entry in self.done.items()}

    def is_done(self, name: str, digest: str) -> bool:
        return self.done.get(name, {}).get("digest") == digest

    def _existing(self, name: str, source: Document, target: Document) -> int | None:
        recorded = self.done.get(name, {}).get("doc_id")
        for info in self.project.documents():
            if info.name != name or (recorded is not None and info.id != recorded):
                continue
            if (
                self.project.original(info.id, "source").sentences == source.sentences
                and self.project.original(info.id, "target").sentences == target.sentences
            ):
                return info.id
            if recorded is not None:
                raise InputError(
                    f"{name}: its texts changed since it was added to {self.project.path}; "
                    "align it into a new project"
                )
        return None

    def save(self, job: _Job, units: list[AlignmentUnit], deletions: bool) -> int:
        enc = self.settings.encoding
        name = job.item.name
        source = _document(job.contents[0], name, enc)
        target = _document(job.contents[1], name, enc)
        # One transaction: the document, its translations, its suggestions and the record
        # that it is done are stored together, or (a killed process) none of them.
        with self.project.transaction():
            doc_id = self._existing(name, source, target)
            if doc_id is None:
                doc_id = self.project.add_document(source, target, name=name)
            n_mt = len(job.item.mt)
            for k, path in enumerate(job.item.mt):
                mt = _document(job.contents[2 + k], name, enc).sentences
                self.project.set_translation(doc_id, mt, f"file:{path.name}", side="source")
            for k, path in enumerate(job.item.mt_reverse):
                rev = _document(job.contents[2 + n_mt + k], name, enc).sentences
                self.project.set_translation(doc_id, rev, f"file:{path.name}", side="target")
            params = {"batch": True, **asdict(self.settings)}
            self.project.set_suggestions(doc_id, units, self.settings.scorer, params=params)
            done = {**self.done, name: {"doc_id": doc_id, "digest": job.digest}}
            self.project.set_setting(PROJECT_STATE_KEY, done)
        self.done = done
        return sum(1 for u in units if not u.is_deletion)

    def close(self, names: Sequence[str], complete: bool) -> None:
        self.project.close()


def _digest(contents: Sequence[bytes], settings: BatchSettings) -> str:
    h = hashlib.sha1(settings.fingerprint().encode("utf-8"))
    for data in contents:
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


# -- running ------------------------------------------------------------------------------------
@dataclass
class _Job:
    item: BatchItem
    contents: list[bytes]
    digest: str


def _read_job(item: BatchItem, settings: BatchSettings) -> _Job:
    contents = [read_bytes(p) for p in item.paths]
    return _Job(item, contents, _digest(contents, settings))


def _job_args(job: _Job) -> tuple[Any, ...]:
    n_mt = len(job.item.mt)
    c = job.contents
    return (job.item.name, c[0], c[1], tuple(c[2 : 2 + n_mt]), tuple(c[2 + n_mt :]))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, WorkbenchError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def run_batch(
    items: Sequence[BatchItem],
    settings: BatchSettings,
    output: str | Path,
    *,
    workers: int = 0,
    scheduler: str | None = None,
    restart: bool = False,
    deletions: bool = False,
    progress: bool | None = None,
    project: bool = False,
    on_result: Callable[[str, str | None], None] | None = None,
    inputs: Sequence[str | Path | None] = (),
) -> BatchReport:
    """Align ``items`` into ``output`` (a folder, or a ``.tsv`` file, or with ``project`` a
    workbench project, created if absent), skipping finished ones.

    ``workers`` > 0 starts a Dask ``LocalCluster`` of that many single-threaded processes;
    ``scheduler`` (``tcp://host:port``) uses a running cluster instead; neither aligns here.
    ``progress``: a tqdm bar (None: only on a terminal). ``on_result(name, error)`` is called
    after each document (error None on success). ``inputs``: other files the batch reads
    (the manifest, the embeddings), which no output may overwrite, as the documents' files.
    """
    check_unique(items, "batch")
    output = Path(output)
    read = [*(p for item in items for p in item.paths), *(p for p in inputs if p)]
    results: ResultFolder | ProjectOutput
    if project:
        results = ProjectOutput(output, settings, restart=restart)
    elif output.suffix.lower() == ".tsv":
        check_output(output, read)
        results = TsvFileOutput(output, settings, restart=restart)
    else:
        results = ResultFolder(output, settings, restart=restart)
    if isinstance(results, ResultFolder):
        results.check_inputs(items, read)
    report = BatchReport()
    model = BatchModel.for_batch(items, settings)

    from tqdm import tqdm

    bar = tqdm(
        total=len(items),
        unit="doc",
        desc="aligning",
        disable=None if progress is None else not progress,
    )

    def finish(name: str, error: str | None) -> None:
        if error is not None:
            report.failed[name] = error
        bar.update(1)
        if on_result is not None:
            on_result(name, error)

    def pending() -> Iterator[_Job]:
        for item in items:
            try:
                job = _read_job(item, settings)
            except WorkbenchError as exc:
                finish(item.name, str(exc))
                continue
            if model is not None:
                job.digest = model.job_digest(job.digest)
            if results.is_done(item.name, job.digest):
                report.skipped.append(item.name)
                bar.update(1)
                continue
            yield job

    def store(job: _Job, units: list[AlignmentUnit]) -> None:
        try:
            written = results.save(job, units, deletions)
        except WorkbenchError as exc:  # e.g. a document whose texts changed in the project
            finish(job.item.name, str(exc))
            return
        report.aligned.append(job.item.name)
        report.units += written
        finish(job.item.name, None)

    try:
        if workers <= 0 and scheduler is None:
            for job in pending():
                try:
                    units = align_contents(*_job_args(job), settings, model and model.payload())
                except Exception as exc:  # one bad document must not stop the batch
                    finish(job.item.name, _describe(exc))
                    continue
                store(job, units)
        else:
            _run_dask(pending(), settings, store, finish, workers, scheduler, model)
    finally:
        bar.close()
        results.close([i.name for i in items], complete=report.ok)
    return report


def _run_dask(
    jobs: Iterator[_Job],
    settings: BatchSettings,
    store: Callable[[_Job, list[AlignmentUnit]], None],
    finish: Callable[[str, str | None], None],
    workers: int,
    scheduler: str | None,
    model: BatchModel | None = None,
) -> None:
    """Hand jobs to a Dask cluster, a few per worker at a time, and store results as they come."""
    import logging

    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    try:
        if scheduler is not None:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
    except OSError as exc:
        raise WorkbenchError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
        window = 2 * n_workers  # keep every worker busy without holding every file in memory
        running: dict[Any, _Job] = {}
        completed = as_completed()
        shared: list[Any] = []  # the model, scattered to every worker before the first job

        def submit(job: _Job) -> None:
            shared[:] = shared or [scattered(client, model)]
            args = (*_job_args(job), settings, shared[0])
            future = client.submit(align_contents, *args, key=f"align-{job.digest}", pure=False)
            running[future] = job
            completed.add(future)

        for job in jobs:
            submit(job)
            if len(running) >= window:
                break
        for future in completed:
            job = running.pop(future)
            try:
                units = future.result()
            except Exception as exc:  # the document's own failure, reported, not fatal
                finish(job.item.name, _describe(exc))
            else:
                store(job, units)
            future.release()
            for next_job in jobs:
                submit(next_job)
                break
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
