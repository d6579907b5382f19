"""The review window (PySide6) over the Qt-free core: project store, aligner, translators.

Modules: ``model`` (the table model over the store, paged), ``delegate`` (word-wrapped cells
shaded by "why this pair"), ``commands`` (undoable review actions), ``window`` (main window,
menus, status bar, background tasks), ``settings`` (settings dialog), ``demo`` (the bundled demo
project), ``tasks`` (Qt-free jobs for the background worker), ``app`` (start-up, screenshots).
"""
