"""Shared fixtures: the ../shared benchmark data (skipped when absent), offscreen Qt, and an
empty project with a reviewer."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt's QSettings (recent projects, keymap, default scorer and embeddings) and the per-user data
# folder live under these: tests (and the programs they start) must neither read a user's
# settings, which would make results depend on the machine, nor leave theirs behind.
_PRIVATE = tempfile.mkdtemp(prefix="workbench-tests-")
for _var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_PRIVATE, _var.lower())

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
TEXTBERG = SHARED / "bench" / "textberg-dev"
KOEN = SHARED / "bench" / "koen"

# Tests on the benchmark data take tens of seconds each (the textberg self-training test about
# a minute): they are ``shared`` and ``slow``, so that ``pytest -m "not slow"`` is a quick loop.
SHARED_FIXTURES = {"textberg", "koen"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses_shared = SHARED_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses_shared or item.get_closest_marker("shared"):
            item.add_marker(pytest.mark.shared)
            item.add_marker(pytest.mark.slow)


# The bundled plugins are imported from this checkout (their entry points name modules only),
# not from wherever an editable install points, so a change to a plugin is what its tests run.
for _plugin in sorted((REPO / "plugins").glob("*/")):
    if (_plugin / "pyproject.toml").is_file() and str(_plugin) not in sys.path:
        sys.path.insert(0, str(_plugin))


@pytest.fixture
def project(tmp_path):
    """An empty project whose reviewer is "ann" (a module needing another kind defines its
    own ``project`` fixture, which takes precedence)."""
    from workbench import Project

    with Project.create(tmp_path / "p.wbproj") as p:
        p.set_setting("reviewer", "ann")
        yield p


@pytest.fixture
def textberg() -> Path:
    if not (TEXTBERG / "dev.de").exists():
        pytest.skip("../shared/bench/textberg-dev is absent (it is not part of a user's clone)")
    return TEXTBERG


@pytest.fixture
def koen() -> Path:
    if not (KOEN / "korean-english-park.dev.ko").exists():
        pytest.skip("../shared/bench/koen is absent (it is not part of a user's clone)")
    return KOEN


@pytest.fixture
def private_qsettings(tmp_path):
    """QSettings of this test only (recent projects, keymap, defaults), in its tmp folder."""
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "cfg"))
    return tmp_path / "cfg"


@pytest.fixture
def main_window(qtbot, tmp_path, private_qsettings):
    """The review window at 1280×720, shown, with no project open."""
    from workbench.gui.window import MainWindow

    win = MainWindow(data_dir=tmp_path)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture
def demo_window(main_window):
    """The review window at 1280×720 on a fresh demo project, focus on the table."""
    main_window.open_demo()
    main_window.activateWindow()
    main_window.view.setFocus()
    return main_window
