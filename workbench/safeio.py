"""Writing the curator's files safely: one atomic-write helper and one output-path check.

Every file the workbench writes goes through :func:`atomic_output` (or
:func:`write_text_atomic`): the data goes to a temporary file in the target's folder, is
flushed to disk and renamed over the target only when complete, so a failure (full disk, an
unrepresentable character, an exception in the caller) never leaves a truncated file and never
destroys the older one. The new file gets the mode an ordinary ``open(path, "w")`` would give
it: an existing file keeps its mode, a new one gets ``0666`` less the umask.

:func:`check_output` is what every command runs on an output path before any work: it refuses,
with one line, a missing folder, a folder, a workbench project (or any SQLite database), and a
path that is one of the command's inputs, compared by what the paths resolve to (symbolic
links, ``..``, a second path to the same file).
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from workbench.errors import InputError

PathLike = str | Path
SQLITE_MAGIC = b"SQLite format 3\x00"
_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    with _UMASK_LOCK:  # os.umask can only be read by setting it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def same_file(a: PathLike, b: PathLike) -> bool:
    """Whether two paths name the same file: same inode when both exist, else same real path."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def project_files(path: PathLike) -> list[Path]:
    """A project file and the files SQLite and the lock keep beside it: never an output."""
    real = Path(os.path.realpath(path))
    siblings = [real.with_name(real.name + s) for s in ("-wal", "-shm", "-journal", ".lock")]
    return [Path(path), real, *siblings]


def is_sqlite_file(path: PathLike) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _project_kind(path: Path) -> str:
    from workbench.project.schema import APPLICATION_ID

    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return "an SQLite database"
    if len(header) >= 72 and int.from_bytes(header[68:72], "big") == APPLICATION_ID:
        return "a workbench project"
    return "an SQLite database"


def check_output(
    path: PathLike, inputs: Iterable[PathLike | None] = (), *, what: str = "output"
) -> Path:
    """Refuse an output path that cannot or must not be written; returns it as a Path.

    Checked: the folder exists and is a folder, the path is not a folder, not a workbench
    project or other SQLite database, and not the same file as any of ``inputs``.
    """
    target = Path(path)
    if str(path) == "":
        raise InputError(f"empty {what} file name")
    real = Path(os.path.realpath(target))
    for item in inputs:
        if item is not None and str(item) != "" and same_file(target, item):
            shown = f" ({item})" if str(item) != str(path) else ""
            raise InputError(
                f"{target}: the {what} would overwrite an input{shown}; choose another file name"
            )
    if target.is_dir():
        raise InputError(f"{target}: is a folder; give a file name for the {what}")
    folder = real.parent
    if not folder.exists():
        raise InputError(
            f"{target}: cannot write, folder {target.parent} does not exist; create it first"
        )
    if not folder.is_dir():
        raise InputError(f"{target}: cannot write, {target.parent} is not a folder")
    if real.is_file() and is_sqlite_file(real):
        raise InputError(
            f"{target}: is {_project_kind(real)}; the {what} would destroy it, "
            "choose another file name"
        )
    if real.exists() and not os.access(real, os.W_OK):
        raise InputError(f"{target}: cannot write (permission denied)")
    if not real.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{target}: cannot write in folder {target.parent} (permission denied)")
    return target


@contextmanager
def atomic_output(
    path: PathLike,
    mode: str = "w",
    *,
    inputs: Iterable[PathLike | None] = (),
    encoding: str = "utf-8",
) -> Iterator[IO]:
    """Write ``path`` through a temporary file in the same folder, renamed on success.

    ``path`` is checked with :func:`check_output` first (``inputs`` are the files it must not
    be). A symbolic link is followed (the file it points to is replaced, the link stays). A
    path that exists and is not a regular file (``/dev/stdout``, a pipe) is written directly.
    """
    target = check_output(path, inputs)
    real = Path(os.path.realpath(target))
    kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
    if real.exists() and not real.is_file():  # a device or a pipe: nothing to replace
        try:
            with open(real, mode, **kwargs) as handle:
                yield handle
        except OSError as exc:
            raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
        return
    try:
        existing = os.stat(real).st_mode if real.exists() else None
        import tempfile  # here: `align` to stdout never needs it (start-up, issue 19)

        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode open() would have.
        if existing is not None:
            os.chmod(tmp, stat.S_IMODE(existing))
        else:
            os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, real)
    except UnicodeEncodeError as exc:
        Path(tmp).unlink(missing_ok=True)
        bad = exc.object[exc.start : exc.end]
        raise InputError(
            f"{target}: text cannot be written as {encoding} ({bad!r}: {exc.reason})"
        ) from None
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: PathLike, text: str, *, inputs: Iterable[PathLike | None] = ()) -> None:
    """Write a whole text file (UTF-8, ``\\n`` kept as is) atomically."""
    with atomic_output(path, inputs=inputs) as out:
        out.write(text)


def write_lines_atomic(
    path: PathLike, lines: Iterable[str], *, inputs: Iterable[PathLike | None] = ()
) -> int:
    """Write ``lines`` (each followed by ``\\n``) atomically; returns how many."""
    count = 0
    with atomic_output(path, inputs=inputs) as out:
        for line in lines:
            out.write(line + "\n")
            count += 1
    return count
