"""Who holds a register open: the program, and whether it runs on this computer.

Read from what the programs leave behind: LibreOffice's ``.~lock.NAME#`` records the user and
the computer's name; Excel's and WPS's ``~$NAME`` records only the user; a system lock with no
owner file is found in /proc/locks on Linux (its process, hence its program, is local).
"""

import os
import socket
from pathlib import Path
from typing import NamedTuple, Optional

from .workbook.safety import owner_files, owner_name

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
    """A LibreOffice lock file: "user,computer,login,date,profile;"."""
    try:
        fields = owner.read_bytes()[:1024].decode("utf-8", "replace").split(",")
    except OSError:
        fields = []
    user = fields[0].strip() if fields else ""
    computer = fields[1].strip() if len(fields) > 1 else ""
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


SENTENCES = {
    "zh": {
        "here": "台账正在这台电脑的 {program} 中打开{who}：请关闭后再运行。",
        "open": "台账正在 {program} 中打开{who}：请关闭后再运行。",
        "there": "台账正在另一台电脑（{computer}）的 {program} 中打开{who}：请在那台电脑上关闭后再运行。",
        "stale": "如果 {program} 已经关闭（例如曾异常退出），锁定文件 {owner} 是残留的：请删除它"
                 "（可能是隐藏文件）后再运行。",
        "excel": "台账正在 Excel 或 WPS 中打开{who}（同一文件夹中有锁定文件 {owner}；从这个文件看不出"
                 "是哪台电脑）：请关闭后再运行。如果谁都没有打开它（例如 Excel 曾异常退出），这个锁定"
                 "文件是残留的：请删除 {owner}（可能是隐藏文件）后再运行。",
        "unknown": "台账正被一个程序锁定，但这台电脑上找不到是哪个程序（可能在共享此文件夹的其他"
                   "电脑上，或是同步、备份软件）：请关闭后再运行。",
        "who": "（{user}）",
    },
    "en": {
        "here": "The register is open in {program} on this computer{who}: close it and run "
                "again.",
        "open": "The register is open in {program}{who}: close it and run again.",
        "there": "The register is open in {program} on another computer ({computer}){who}: "
                 "close it there and run again.",
        "stale": "If {program} is closed (it may have crashed), the lock file {owner} is left "
                 "over: delete it (it may be hidden) and run again.",
        "excel": "The register is open in Excel or WPS{who} (its owner file {owner} is in the "
                 "same folder; that file does not say which computer): close it and run again. "
                 "If no one has it open (Excel may have crashed), the owner file is left over: "
                 "delete {owner} (it may be hidden) and run again.",
        "unknown": "The register is locked by a program this computer cannot name (it may run "
                   "on another computer sharing this folder, or be a sync or backup tool): "
                   "close it and run again.",
        "who": " ({user})",
    },
}


def locked_sentence(holder: Holder, language: str) -> str:
    """The one sentence the launcher shows for a register someone holds open."""
    words = SENTENCES["zh" if language == "zh" else "en"]
    who = words["who"].format(user=holder.user) if holder.user else ""
    owner = holder.owner.name if holder.owner else ""
    if holder.program.startswith("Excel"):
        return words["excel"].format(who=who, owner=owner)
    if not holder.program:
        return words["unknown"]
    if holder.this_computer is False:
        return words["there"].format(program=holder.program, computer=holder.computer, who=who)
    key = "here" if holder.this_computer else "open"
    text = words[key].format(program=holder.program, who=who)
    if holder.owner is not None:
        text += (" " if language != "zh" else "") + words["stale"].format(
            program=holder.program, owner=owner)
    return text
