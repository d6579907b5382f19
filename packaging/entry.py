"""PyInstaller entry point: the ``workbench`` command (``workbench-gui`` starts the GUI)."""

import sys
from pathlib import Path

from workbench.cli import main

if __name__ == "__main__":
    argv = sys.argv[1:]
    if Path(sys.argv[0]).name.startswith("workbench-gui") and not argv:
        argv = ["gui"]
    sys.exit(main(argv))
