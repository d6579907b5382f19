"""The PySide6 desktop application (the only part of the workbench that imports Qt).

Modules: ``model`` (the table model over the store, paged), ``delegate`` (word-wrapped cells
shaded by "why this pair"), ``commands`` (undoable review actions), ``controller`` (the review
keys' actions), ``window`` (the main window: presents the Qt-free
:class:`~workbench.review.state.ReviewState` its tools receive), ``actions`` (its menus and
keys), ``filters``, ``search`` (its bars), ``tasks`` (its background task and progress bar),
``files`` (projects and documents it opens), ``settings`` (settings dialog), ``demo`` (the
bundled demo project), ``app`` (start-up, screenshots), ``worker`` (TaskWorker on a QThread).
"""

from __future__ import annotations

import sys


def _void_calls_leak_none() -> bool:
    """True when PySide6's void methods return ``None`` without a reference (seen with
    PySide6 6.12.0 on Python 3.11: every ``setText``, ``setColor``... drops one reference to
    ``None`` until the interpreter aborts with "none_dealloc")."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 4


def _keep_none_alive() -> None:
    """Work around the leak above on Python < 3.12 by giving ``None`` a reference count no
    GUI session can exhaust — what Python 3.12 does for every interpreter (PEP 683, immortal
    None), so nothing else can observe the difference.

    The same PySide6 drops a reference to ``True`` on every ``dataChanged.emit`` from Python
    (the default ``roles`` argument): a review session refreshes the table after each
    decision, and a few thousand decisions aborted the interpreter with "bool_dealloc". True
    and False get the same treatment (immortal in Python 3.12 as well)."""
    if sys.version_info >= (3, 12) or not _void_calls_leak_none():
        return
    import ctypes

    for immortal in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(immortal))
        refcount.value += 1 << 40


_keep_none_alive()
