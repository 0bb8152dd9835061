"""Errors a user can act on. Each message is one sentence naming the object and the fix,
in English and in Chinese: a specific sentence for the errors clerks meet most, else one
that points to the English."""

from typing import Optional

from .messages import msg, pair


class OfficebotError(Exception):
    """A failure caused by the user's files or settings; shown as one sentence, exit code 1."""

    exit_code = 1
    default_key = "error.default"

    def __init__(self, message: str, zh: Optional[str] = None):
        # One line, always: a quoted header or sheet name may hold line breaks or tabs.
        super().__init__(" ".join(str(message).split()))
        self.zh = " ".join(zh.split()) if zh else zh

    def text(self, language: str = "zh") -> str:
        """The sentence for a reader of ``language``: Chinese with the English alongside,
        or English (also where no Chinese sentence was written)."""
        if language == "zh":
            return f"{self.zh or msg('zh', self.default_key)}（{self}）"
        return str(self)

    def sentence(self, language: str = "zh") -> str:
        """The one sentence alone in ``language`` (a line of a report, a run's problem): the
        Chinese when one was written, else the English."""
        return (self.zh or str(self)) if language == "zh" else str(self)


class RegisterError(OfficebotError):
    """The register cannot be used at all (missing, not xlsx, protected, corrupt, no header)."""

    default_key = "error.register"


class SettingsError(OfficebotError):
    """The settings file has a wrong value or cannot be read."""

    default_key = "error.settings"


class WorkbookLockedError(OfficebotError):
    """The workbook is open in Excel/WPS or cannot be opened for writing."""

    default_key = "error.workbook_locked"


class UsageError(OfficebotError):
    """The command was asked for something that does not exist (e.g. an unknown case id)."""

    exit_code = 2
    default_key = "error.usage"


class RunLockedError(OfficebotError):
    """Another officebot run is working on the same register."""

    default_key = "error.run_locked"


class TemplateError(OfficebotError):
    """A letter template cannot be used."""

    default_key = "error.template"


def damaged(label: str, detail: str = "") -> RegisterError:
    """The workbook ``label`` is damaged (``detail`` says where): restore it or re-save it."""
    what = f" ({detail})" if detail else ""
    return RegisterError(*pair("error.damaged", label=label, what=what))
