"""Where plugin discovery reports a broken plugin: the ``workbench.plugins`` logger, and on the
terminal when the command line asks for it. A module of its own so that the command line can
make that choice at start-up without importing :mod:`workbench.plugins` or :mod:`logging`,
which only a command that looks for plugins needs (issue 19)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import logging

LOGGER = "workbench.plugins"
_on_terminal = False


def warnings_on_terminal() -> None:
    """Show each broken plugin found later as one ``workbench: warning:`` line on stderr."""
    global _on_terminal
    _on_terminal = True


def logger() -> logging.Logger:
    """The plugins' logger, with the terminal handler when :func:`warnings_on_terminal` was
    called and logging is not configured otherwise."""
    import logging

    log = logging.getLogger(LOGGER)
    if _on_terminal and not log.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("workbench: warning: %(message)s"))
        log.addHandler(handler)
    return log
