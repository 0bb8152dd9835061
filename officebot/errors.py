"""Errors a user can act on. Each message is one sentence naming the object and the fix,
in English and in Chinese: a specific sentence for the errors clerks meet most, else one
that points to the English."""

from typing import Optional


class OfficebotError(Exception):
    """A failure caused by the user's files or settings; shown as one sentence, exit code 1."""

    exit_code = 1
    zh_default = "未能完成，请按括号中的说明处理后再运行"

    def __init__(self, message: str, zh: Optional[str] = None):
        # One line, always: a quoted header or sheet name may hold line breaks or tabs.
        super().__init__(" ".join(str(message).split()))
        self.zh = " ".join(zh.split()) if zh else zh

    def text(self, language: str = "zh") -> str:
        """The sentence for a reader of ``language``: Chinese with the English alongside,
        or English (also where no Chinese sentence was written)."""
        if language == "zh":
            return f"{self.zh or self.zh_default}（{self}）"
        return str(self)


class RegisterError(OfficebotError):
    """The register cannot be used at all (missing, not xlsx, protected, corrupt, no header)."""

    zh_default = "台账无法使用，请按括号中的说明处理后再运行"


class SettingsError(OfficebotError):
    """The settings file has a wrong value or cannot be read."""

    zh_default = "设置有误，请按括号中的说明改正 officebot.toml 后再运行"


class WorkbookLockedError(OfficebotError):
    """The workbook is open in Excel/WPS or cannot be opened for writing."""

    zh_default = "工作簿正被占用，请关闭后再运行，或使用 --side-copy"


class UsageError(OfficebotError):
    """The command was asked for something that does not exist (e.g. an unknown case id)."""

    exit_code = 2
    zh_default = "命令参数有误，请按括号中的说明改正后再运行"


class RunLockedError(OfficebotError):
    """Another officebot run is working on the same register."""

    zh_default = "另一次 officebot 运行正在处理该台账，请等它完成后再运行"


class TemplateError(OfficebotError):
    """A letter template cannot be used."""

    zh_default = "函件模板有误，请按括号中的说明改正模板后再运行"


def damaged(label: str, detail: str = "") -> RegisterError:
    """The workbook ``label`` is damaged (``detail`` says where): restore it or re-save it."""
    what = f" ({detail})" if detail else ""
    return RegisterError(
        f"{label} is damaged{what}; restore it from backups/ or re-save it in Excel",
        zh=f"{label} 已损坏{what}；请从 backups 文件夹恢复，或在 Excel 中重新保存后再运行")
