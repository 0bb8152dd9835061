"""Who holds a register open: the program, and whether it runs on this computer.

Read from what the programs leave behind: LibreOffice's ``.~lock.NAME#`` records the user and
the computer's name; Excel's and WPS's ``~$NAME`` records only the user; a system lock with no
owner file is found in /proc/locks on Linux (its process, hence its program, is local).
"""

import os
import socket
from pathlib import Path
from typing import NamedTuple, Optional

from .messages import msg
from .workbook.safety import libreoffice_owner, owner_files, owner_name

# Process names as /proc shows them -> the program a clerk knows.
PROGRAMS = {"soffice.bin": "LibreOffice", "soffice": "LibreOffice", "oosplash": "LibreOffice",
            "excel.exe": "Excel", "et": "WPS", "wps": "WPS", "wpsoffice": "WPS"}


class Holder(NamedTuple):
    """Who holds the workbook: program ('' unknown), this_computer (None unknown), and the
    user, computer, owner file and process id when known."""

    program: str
    this_computer: Optional[bool]
    user: str = ""
    computer: str = ""
    owner: Optional[Path] = None
    pid: Optional[int] = None


def _same_computer(name: str) -> bool:
    here = {socket.gethostname().lower(), socket.gethostname().split(".")[0].lower()}
    return name.strip().lower() in here or name.strip().split(".")[0].lower() in here


def libreoffice_lock(owner: Path) -> Holder:
    """A LibreOffice lock file (safety.libreoffice_owner reads it): its user and computer."""
    user, computer = libreoffice_owner(owner)
    return Holder("LibreOffice", _same_computer(computer) if computer else None, user,
                  computer, owner)


def _proc_lock_pid(path: Path) -> Optional[int]:
    """The process of this computer holding a system lock on ``path`` (Linux only)."""
    try:
        inode = os.stat(path).st_ino
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split()
        if "->" in parts:  # a waiter, not the holder
            continue
        for i, part in enumerate(parts):
            if part.count(":") == 2 and i > 0:
                if part.rsplit(":", 1)[1] == str(inode) and parts[i - 1].isdigit():
                    pid = int(parts[i - 1])
                    return pid if pid != os.getpid() else None
    return None


def _program_of(pid: int) -> str:
    try:
        name = Path(f"/proc/{pid}/comm").read_text("utf-8", "replace").strip().lower()
    except OSError:
        return ""
    return PROGRAMS.get(name, name)


def lock_holder(register: Path) -> Holder:
    """Who holds ``register`` open, as far as can be told."""
    for owner in owner_files(register):
        if owner.name.startswith(".~lock."):
            return libreoffice_lock(owner)
        return Holder("Excel / WPS", None, owner_name(owner), "", owner)
    pid = _proc_lock_pid(register)
    if pid is not None:
        return Holder(_program_of(pid), True, pid=pid)
    return Holder("", None)


def locked_sentence(holder: Holder, language: str) -> str:
    """The one sentence the launcher shows for a register someone holds open."""
    lang = "zh" if language == "zh" else "en"
    who = msg(lang, "lock.who", user=holder.user) if holder.user else ""
    owner = holder.owner.name if holder.owner else ""
    if holder.program.startswith("Excel"):
        return msg(lang, "lock.excel", who=who, owner=owner)
    if not holder.program:
        return msg(lang, "lock.unknown")
    if holder.this_computer is False:
        return msg(lang, "lock.there", program=holder.program, computer=holder.computer,
                   who=who)
    key = "lock.here" if holder.this_computer else "lock.open"
    text = msg(lang, key, program=holder.program, who=who)
    if holder.owner is not None:
        text += (" " if lang != "zh" else "") + msg(lang, "lock.stale",
                                                     program=holder.program, owner=owner)
    return text
