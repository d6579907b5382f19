"""The PySide6 desktop application (the only part of the workbench that imports Qt)."""
