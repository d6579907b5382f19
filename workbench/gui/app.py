"""Starting the review window: the application, its palette, the project to open, screenshots."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import InputError

if TYPE_CHECKING:
    from workbench.gui.window import MainWindow


def parse_size(text: str) -> tuple[int, int]:
    """``"1280x720"`` → (1280, 720); an InputError for anything else or below 640×480."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise InputError(f"--size must look like 1280x720, not {text!r}") from None
    if width < 640 or height < 480:
        raise InputError(f"--size {text} is too small (at least 640x480)")
    return width, height


APP_NAME = "workbench"
_qt_handler: Any = None  # the installed Qt message handler (kept alive here)


def user_data_dir() -> Path:
    """The per-user data folder (where the demo project is created): ``workbench`` in the
    platform's data folder, ``~/.local/share/workbench`` on Linux (``$XDG_DATA_HOME``
    honoured). Qt's AppLocalDataLocation would add organisation *and* application name
    (``.../workbench/workbench``, where earlier versions put the demo); a demo found there
    is moved here."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    root = Path(base) if base else Path.home() / ".local" / "share"
    folder = root / APP_NAME
    from workbench.gui.demo import migrate_demo

    migrate_demo(root / APP_NAME / APP_NAME, folder)
    return folder


def install_qt_message_handler(verbose: bool = False) -> None:
    """Route Qt's own messages: all of them to stderr with ``verbose``, else only critical and
    fatal ones (platform plugins' notes such as "This plugin does not support
    propagateSizeHints()" are not for a user's terminal)."""
    global _qt_handler
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    shown = {QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg}

    def handler(kind: Any, _context: Any, message: str) -> None:
        if verbose or kind in shown:
            print(f"qt: {message}", file=sys.stderr, flush=True)

    _qt_handler = handler
    qInstallMessageHandler(handler)


def make_application(dark: bool = False, offscreen: bool = False) -> Any:
    """The QApplication (created once), Fusion style with an explicit light or dark palette so
    that screenshots look the same on every desktop."""
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        if _qt_handler is None:  # a screenshot run's stderr carries only its own messages
            install_qt_message_handler(verbose=False)
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)  # QSettings: ~/.config/workbench/workbench.conf
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if dark else QPalette(QColor("#f0f0f0")))
    return app


def dark_palette() -> Any:
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#2b2d30"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#1e1f22"),
        (roles.AlternateBase, "#26282b"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#3a3d41"),
        (roles.ButtonText, "#e6e6e6"),
        (roles.Highlight, "#2f65ca"),
        (roles.HighlightedText, "#ffffff"),
        (roles.ToolTipBase, "#3a3d41"),
        (roles.ToolTipText, "#e6e6e6"),
        (roles.PlaceholderText, "#8c8c8c"),
        (roles.Link, "#6ea8fe"),
    ):
        p.setColor(role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, roles.Text, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, roles.ButtonText, QColor("#777777"))
    return p


def build_window(project: str | Path | None = None, data_dir: Path | None = None) -> MainWindow:
    """The main window with ``project`` open (the demo project when None)."""
    from workbench.gui.window import MainWindow

    window = MainWindow(data_dir=data_dir)
    if project is None:
        window.open_demo()
    else:
        path = Path(project)
        if not path.exists():
            raise InputError(f"{path}: no such project")
        window.open_project(path)
    from workbench.gui.fonts import warn_missing_fonts

    warn_missing_fonts(window)
    return window


def show_for_screenshot(window: MainWindow, size: tuple[int, int]) -> None:
    """Lay ``window`` out at ``size`` as it will be rendered (works offscreen)."""
    from PySide6.QtWidgets import QApplication

    window.resize(*size)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    window.refit_current_row()
    QApplication.processEvents()


def save_screenshot(window: MainWindow, path: str | Path, size: tuple[int, int]) -> Path:
    """Render ``window`` at ``size`` to a PNG, written atomically (works offscreen)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from workbench.safeio import atomic_output

    show_for_screenshot(window, size)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not window.grab().save(buffer, "PNG"):
        raise InputError(f"{path}: cannot render the screenshot")
    buffer.close()
    with atomic_output(path, "wb") as out:
        out.write(bytes(data))
    return Path(path)


def run(
    project: str | Path | None = None,
    screenshot: str | Path | None = None,
    size: tuple[int, int] = (1280, 720),
    dark: bool = False,
    data_dir: Path | None = None,
    verbose: bool = False,
) -> int:
    install_qt_message_handler(verbose)
    if screenshot is not None:
        from workbench.safeio import check_output

        inputs = [] if project is None else [project]
        check_output(screenshot, inputs, what="screenshot")
    app = make_application(dark=dark, offscreen=screenshot is not None)
    window = build_window(project, data_dir)
    if screenshot is not None:
        show_for_screenshot(window, size)
        # Offscreen nobody sees a message box: a failure (say, a damaged project) must reach
        # the caller as an error line and exit status, like every other command, and no
        # picture of an empty window is written.
        error = getattr(window, "last_error", None)
        if error is not None and error.isVisible():
            message = " ".join(f"{error.windowTitle()}: {error.text()}".split())
            window.close()
            print(f"workbench: error: {message}", file=sys.stderr)
            return 2
        try:
            save_screenshot(window, screenshot, size)
        finally:
            window.close()
        return 0
    window.resize(*size)
    window.show()
    return int(app.exec())
