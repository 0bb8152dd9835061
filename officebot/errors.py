"""Errors a user can act on. Each message is one sentence naming the object and the fix."""


class OfficebotError(Exception):
    """A failure caused by the user's files or settings; shown as one sentence, exit code 1."""

    exit_code = 1


class RegisterError(OfficebotError):
    """The register cannot be used at all (missing, not xlsx, protected, corrupt, no header)."""


class SettingsError(OfficebotError):
    """The settings file has a wrong value or cannot be read."""


class WorkbookLockedError(OfficebotError):
    """The workbook is open in Excel/WPS or cannot be opened for writing."""


class TemplateError(OfficebotError):
    """A letter template cannot be used."""
