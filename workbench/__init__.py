"""The alignment workbench: MT-based sentence alignment and review of parallel corpora.

The core (everything outside :mod:`workbench.gui`) is Qt-free and usable from scripts.
"""

__version__ = "0.1.0"
