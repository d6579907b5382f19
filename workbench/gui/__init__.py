"""The PySide6 desktop application (the only part of the workbench that imports Qt).

Modules: ``model`` (the table model over the store, paged), ``delegate`` (word-wrapped cells
shaded by "why this pair"), ``commands`` (undoable review actions), ``window`` (main window,
menus, status bar, background tasks), ``settings`` (settings dialog), ``demo`` (the bundled demo
project), ``app`` (start-up, screenshots), ``worker`` (TaskWorker on a QThread).
"""
