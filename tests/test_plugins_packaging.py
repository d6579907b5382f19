"""Packaging files: AppStream metadata, desktop entry, icons, PyInstaller spec and scripts.

The bundle and wheel builds themselves are too slow for the test suite; run
packaging/build.sh and packaging/check_wheel.sh by hand.
"""

from __future__ import annotations

import configparser
import os
import struct
import subprocess
from pathlib import Path

from lxml import etree

from workbench import __version__

REPO = Path(__file__).resolve().parent.parent
PACKAGING = REPO / "packaging"
ICONS = REPO / "resources" / "icons"


def test_appstream_metadata_is_well_formed_and_complete():
    root = etree.parse(str(PACKAGING / "io.github.workbench.Workbench.metainfo.xml")).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == "io.github.workbench.Workbench"
    for tag in ("name", "summary", "metadata_license", "project_license"):
        assert (root.findtext(tag) or "").strip(), tag
    assert root.find("description/p") is not None
    assert root.findtext("launchable") == "workbench.desktop"
    assert root.findtext("provides/binary") == "workbench"
    assert root.find("releases/release").get("version") == __version__


def test_desktop_entry():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(PACKAGING / "workbench.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application" and desktop["Name"]
    assert desktop["Exec"].split()[0] == "workbench"
    assert desktop["Categories"].endswith(";")
    assert (ICONS / f"{desktop['Icon']}.svg").is_file()


def _png_size(path):
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_icons_svg_and_rendered_pngs():
    svg = etree.parse(str(ICONS / "workbench.svg")).getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert _png_size(ICONS / f"workbench-{size}.png") == (size, size)


def test_spec_and_scripts_parse():
    compile((PACKAGING / "workbench.spec").read_text(encoding="utf-8"), "workbench.spec", "exec")
    for script in ("build.sh", "check_wheel.sh"):
        path = PACKAGING / script
        assert os.access(path, os.X_OK), f"{script} is not executable"
        subprocess.run(["bash", "-n", str(path)], check=True)
