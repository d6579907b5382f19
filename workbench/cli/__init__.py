"""The `workbench` command line: one module per subcommand, each with ``register(subparsers)``.

Every user-facing failure is a :class:`~workbench.errors.WorkbenchError`, printed as one line
with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import functools
import importlib
import os
import sys
from collections.abc import Sequence

from workbench import __version__
from workbench.cli.common import check_numeric_options
from workbench.errors import WorkbenchError

# Modules under workbench.cli that are not subcommands.
_NOT_COMMANDS = {"common"}


def _module_names() -> list[str]:
    """The modules under workbench.cli that may be subcommands (found without importing).

    A listing of the package's folder, not :func:`pkgutil.iter_modules`: importing pkgutil
    and walking its finders cost a few milliseconds of every command's start-up (issue 19).
    """
    names = set()
    for folder in __path__:
        with os.scandir(folder) as entries:
            for entry in entries:
                stem, dot, ext = entry.name.partition(".")
                if ext in ("py", "pyc") or (
                    not dot and os.path.isfile(os.path.join(entry.path, "__init__.py"))
                ):
                    names.add(stem)
    return sorted(n for n in names if not n.startswith("_") and n not in _NOT_COMMANDS)


@functools.cache
def _command_modules() -> tuple[str, ...]:
    """Every subcommand module under workbench.cli, ordered by its ``ORDER`` (then name).

    Discovered rather than listed so that a new subcommand is one new module and nothing else.
    """
    modules = [importlib.import_module(f"workbench.cli.{n}") for n in _module_names()]
    modules = [m for m in modules if hasattr(m, "register")]
    modules.sort(key=lambda m: (getattr(m, "ORDER", 100), m.__name__))
    return tuple(m.__name__.rsplit(".", 1)[1] for m in modules)


def __getattr__(name: str) -> object:
    # COMMAND_MODULES imports every subcommand module: computed when first asked for.
    if name == "COMMAND_MODULES":
        return _command_modules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every subcommand, or only the one module ``only`` registers
    (its usage, options and errors are the same; start-up then imports that module alone)."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Align, review and export parallel corpora (Bleualign with BLEU or ABLEU).",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="with no command: open the review window and show Qt's own messages on the "
        "terminal (hidden otherwise)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in (only,) if only else _command_modules():
        importlib.import_module(f"workbench.cli.{name}").register(subparsers)
    return parser


def _parser_for(args: list[str]) -> argparse.ArgumentParser:
    """The parser for ``args``: when they start with a command registered by the module of
    that name (``align`` by workbench/cli/align.py), a parser of that command alone; else all."""
    if args and args[0] in _module_names():
        parser = build_parser(only=args[0])
        commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        if args[0] in commands.choices:
            return parser
    return build_parser()


def _plugin_warnings_to_stderr() -> None:
    """Show a broken plugin as a one-line warning, never fatal.

    Plugins are not loaded at start-up (issue 19): built-ins are imported when used, and
    :func:`workbench.plugins.discover` runs when a command asks for a name that is not built
    in, or lists the plugins; its warnings then reach the terminal.
    """
    from workbench.plugin_warnings import warnings_on_terminal

    warnings_on_terminal()


# A write that failed for lack of room or a failing device, not for a mistake in the code.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # what argparse prints, without building every parser
        print(f"workbench {__version__}")
        return 0
    parser = _parser_for(args_list)
    if not args_list:
        if "gui" in _command_modules():
            args_list = ["gui"]
        else:
            parser.print_help()
            return 0
    args = parser.parse_args(args_list)
    if not getattr(args, "func", None) and args.verbose and "gui" in _command_modules():
        args = parser.parse_args([*args_list, "gui"])  # `workbench --verbose`
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    _plugin_warnings_to_stderr()
    try:
        check_numeric_options(args)
        code = int(args.func(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk under `> out.txt` shows here, not at exit
        return code
    except WorkbenchError as exc:
        # One line, always: a message that spans lines (an SQLite report) is joined.
        message = " ".join(part.strip() for part in str(exc).split("\n") if part.strip())
        print(f"workbench: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workbench: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # Output redirected to a full disk (`workbench align a b > out.txt`) died with a
        # traceback; it is one line now. Other OS errors are bugs and keep their traceback.
        if exc.errno not in _WRITE_ERRNOS:
            raise
        print(
            f"workbench: error: cannot write the output ({exc.strerror}); it is incomplete",
            file=sys.stderr,
        )
        _discard_stdout()
        return 2


def _discard_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):  # no real stdout (captured in tests)
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
