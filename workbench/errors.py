"""Errors the workbench reports to users as one clear line (never a traceback)."""


class WorkbenchError(Exception):
    """Base class: the message is meant for the user, as is."""


class InputError(WorkbenchError):
    """A file the user gave cannot be used (missing, wrong encoding, binary, empty, mismatched)."""


class ModelError(WorkbenchError):
    """A model (embedding, translator) is missing, broken or of an unexpected layout."""


class ProjectError(WorkbenchError):
    """A project file is not a project, is damaged, or is in use by another process."""


class NotSavedError(ProjectError):
    """A change the project could not store (a full disk, an I/O error, the file deleted
    under it): the user must notice, since they believe it was made."""


class CancelledError(WorkbenchError):
    """A long-running job was cancelled by the user."""
