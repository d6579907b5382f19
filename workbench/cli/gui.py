"""`workbench gui [PROJECT]`: the review window (also what `workbench` alone runs)."""

from __future__ import annotations

import argparse
from pathlib import Path

ORDER = 5  # first in `workbench --help`: the main way in


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "gui", help="open the review window (the bundled demo project without PROJECT)"
    )
    p.add_argument("project", nargs="?", help="a .wbproj project to open")
    p.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the window offscreen to a PNG and exit (for docs and tests)",
    )
    p.add_argument(
        "--size", default="1280x720", help="window size, WIDTHxHEIGHT (default 1280x720)"
    )
    p.add_argument("--dark", action="store_true", help="dark palette")
    p.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the demo project lives (default: the per-user data folder)",
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,  # keeps `workbench --verbose gui`
        help="show Qt's own messages (platform plugin notes and warnings) on the terminal",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from workbench.gui.app import parse_size
    from workbench.gui.app import run as run_gui

    size = parse_size(args.size)
    return run_gui(
        args.project,
        screenshot=args.screenshot,
        size=size,
        dark=args.dark,
        data_dir=Path(args.data_dir) if args.data_dir else None,
        verbose=bool(getattr(args, "verbose", False)),
    )
