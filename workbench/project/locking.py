"""One writer per project: an OS-level exclusive lock on ``<project>.lock``.

The kernel releases an ``flock``/``msvcrt`` lock when its process dies (even by SIGKILL), so a
crashed workbench never leaves a stale lock behind; the pid and host written into the file
only serve the "in use by ..." message. The lock is taken on what the project path resolves to
(:func:`lock_path`), so a second path to the same project cannot open a second writer.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path

from workbench.errors import ProjectError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def lock_path(project: Path) -> Path:
    """``<project>.lock`` beside the file the path resolves to.

    Resolved, so that a symbolic link to the project, a path through ``..`` or through a
    linked folder all take the same lock as the project's own path.
    """
    real = Path(os.path.realpath(project))
    return real.with_name(real.name + ".lock")


class ProjectLock:
    """Held by the process that has a project open for writing."""

    def __init__(self, project: Path):
        self.path = lock_path(project)
        self._fd: int | None = None

    def acquire(self) -> None:
        # A lock file unlinked by its previous holder between our open and our lock would be
        # a lock on a dead inode: retry until the locked file is the one at the path.
        for _ in range(10):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise ProjectError(
                    f"{self.path}: cannot create lock file ({exc.strerror})"
                ) from None
            if not _try_lock(fd):
                holder = _read_holder(fd)
                os.close(fd)
                if holder == _holder_info():  # this process: another window of it
                    raise ProjectError(
                        f"{self.path.with_suffix('')}: in use by another window of this "
                        "workbench (this process); work there, or close it there first"
                    )
                raise ProjectError(
                    f"{self.path.with_suffix('')}: in use by another process ({holder}); "
                    "close it there or open read-only"
                )
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                info = _holder_info().encode()
                # Only for the "in use by" message: a full disk must not fail the opening
                # (it raised and left the lock held by a leaked descriptor).
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, 0)
                    os.lseek(fd, 0, os.SEEK_SET)
                    os.write(fd, info)
                self._fd = fd
                return
            os.close(fd)
        raise ProjectError(f"{self.path}: cannot take the project lock")

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # before unlocking, so that nobody locks the old inode after
        with contextlib.suppress(OSError):
            _unlock(self._fd)
        os.close(self._fd)
        self._fd = None


def _holder_info() -> str:
    return f"pid {os.getpid()} on host {socket.gethostname()}"


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        text = os.read(fd, 200).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "unknown pid"
