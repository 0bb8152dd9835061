"""The working folder: where its register, settings and sub-folders are.

A working folder holds the register (one .xlsx/.xlsm workbook), officebot.toml, templates/,
letters/, backups/, logs/, outbox/ and the launchers. Everything here only looks; nothing
writes.
"""

import datetime as dt
from pathlib import Path
from typing import List, NamedTuple, Optional

from .errors import RegisterError
from .messages import msg
from .settings import SETTINGS_NAME

REGISTER_SUFFIXES = (".xlsx", ".xlsm")
SUBFOLDERS = ("templates", "letters", "backups", "logs", "outbox")


class FolderError(RegisterError):
    """The working folder or its register cannot be found."""


class Layout(NamedTuple):
    """The parts of a working folder (they may not exist yet)."""

    folder: Path
    settings: Path
    templates: Path
    letters: Path
    backups: Path
    logs: Path
    outbox: Path

    def log_file(self, when: Optional[dt.datetime] = None) -> Path:
        """This month's log: logs/officebot-YYYY-MM.log."""
        when = when or dt.datetime.now()
        return self.logs / f"officebot-{when:%Y-%m}.log"


def layout(folder: Path) -> Layout:
    """The parts of ``folder``."""
    folder = Path(folder)
    return Layout(folder, folder / SETTINGS_NAME, *(folder / name for name in SUBFOLDERS))


def is_side_copy(path: Path) -> bool:
    """True for the copy officebot writes beside a register that was open elsewhere."""
    from .workbook.safety import side_copy_path
    path = Path(path)
    suffix = path.suffix
    marker = side_copy_path(Path("x" + suffix)).name[1:]   # " (officebot).xlsx"
    return path.name.endswith(marker)


def register_candidates(folder: Path) -> List[Path]:
    """Workbooks in ``folder`` that could be the register, by name."""
    found = []
    for path in sorted(Path(folder).iterdir(), key=lambda p: p.name):
        name = path.name
        if not path.is_file() or path.suffix.lower() not in REGISTER_SUFFIXES:
            continue
        if name.startswith("~$") or name.startswith(".") or is_side_copy(path):
            continue
        found.append(path)
    return found


def find_register(folder: Path, settings, language: Optional[str] = None) -> Path:
    """The register of ``folder``: settings [register] file, else the only workbook there."""
    folder = Path(folder)
    lang = language or settings.language
    if not folder.is_dir():
        raise FolderError(msg(lang, "no_folder", folder=folder))
    named = settings.conf.register.file.strip()
    if named:
        path = Path(named) if Path(named).is_absolute() else folder / named
        if not path.is_file():
            raise FolderError(msg(lang, "named_register_missing", name=named, folder=folder))
        return path
    found = register_candidates(folder)
    if not found:
        raise FolderError(msg(lang, "no_register", folder=folder))
    if len(found) > 1:
        names = ("、" if lang == "zh" else ", ").join(p.name for p in found)
        raise FolderError(msg(lang, "many_registers", folder=folder, names=names))
    return found[0]
