"""Nothing lost, ever: backups, detecting a workbook open in Excel/WPS, atomic replacement.

The new workbook is written to a temporary file in the register's own folder (so the final
rename never crosses drives), flushed to disk, read back and checked, and only then renamed
over the register in one step. A crash or kill at any moment leaves the old workbook or the
complete new one; the backup in backups/ is the second line of defence.
"""

import datetime as dt
import os
import re
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Tuple

from xml.parsers import expat

from lxml import etree

from .. import package as pk
from ..errors import OfficebotError, RunLockedError, WorkbookLockedError
from ..messages import msg, pair
# The file primitives live in officebot/files.py (a base module, below the workbook layer);
# they are named here too, where the other helpers were told to find them.
from ..files import (LINK_REFUSED, TEMP_SUFFIX, FileLock, FolderRefused,  # noqa: F401
                     append_text, atomic_write, check_output, copy_file, end_cleanly_on_signals,
                     ensure_subfolder, glob_escape, is_link, open_append, open_nofollow,
                     read_head, register_target, remove_stale_temps, remove_temps, temp_prefix,
                     write_bytes, write_failed, write_new)

BACKUP_FOLDER = "backups"


def owner_files(path: Path) -> List[Path]:
    """Owner (lock) files Excel, WPS or LibreOffice keep next to a workbook while it is open."""
    path = Path(path)
    names = ["~$" + path.name, ".~lock." + path.name + "#"]
    if len(path.name) > 2:
        names.append("~$" + path.name[2:])  # Word's variant, also seen from WPS
    # a register itself named ~$… is not its own owner file
    return [path.parent / n for n in names if n != path.name and (path.parent / n).exists()]


class LibreOfficeOwner(NamedTuple):
    """What a LibreOffice lock file ``.~lock.NAME#`` says: who (its user name, else the
    system login) and on which computer ('' when it does not say)."""

    user: str
    computer: str


def libreoffice_owner(owner: Path) -> LibreOfficeOwner:
    """The one reader of a LibreOffice lock file: "name,login,host,time,profile;" in
    LibreOffice's own order (read without following a link: one to /dev/zero never ends)."""
    fields = [f.strip() for f in read_head(owner, 1024).decode("utf-8", "replace").split(",")]
    user = fields[0] or (fields[1] if len(fields) > 1 else "")
    return LibreOfficeOwner(user, fields[2] if len(fields) > 2 else "")


def owner_name(owner: Path) -> str:
    """The user name recorded in an owner file of Excel, WPS or LibreOffice ('' when
    unreadable)."""
    if owner.name.startswith(".~lock."):
        return libreoffice_owner(owner).user
    data = read_head(owner, 512)
    if len(data) > 56:
        n = int.from_bytes(data[54:56], "little")
        if 0 < n < 100:
            name = data[56:56 + 2 * n].decode("utf-16-le", "replace").strip("\x00 ")
            if _readable(name):
                return name
    if data:
        n = data[0]
        name = data[1:1 + n].decode("gbk", "replace").strip("\x00 ")
        return name if _readable(name) else ""
    return ""


def _readable(name: str) -> bool:
    """A user name, not bytes of a binary file that happens to stand at the owner's name."""
    return bool(name) and name.isprintable() and "\ufffd" not in name


def lock_reason(path: Path) -> Optional[str]:
    """Why the workbook cannot be written now (open in Excel/WPS), or None."""
    reasons = lock_reasons(path)
    return reasons[0] if reasons else None


def lock_reasons(path: Path) -> Optional[Tuple[str, str]]:
    """(why in English, why in Chinese) the workbook cannot be written now, or None."""
    path = Path(path)
    for owner in owner_files(path):
        who = owner_name(owner)
        by = f" by {who}" if who else ""
        return (msg("en", "safety.open_in_excel", name=path.name, by=by, owner=owner.name,
                    who=who),
                msg("zh", "safety.open_in_excel", name=path.name, by=by, owner=owner.name,
                    who=who or msg("zh", "safety.someone")))
    try:
        with open(path, "r+b") as fh:
            held = _held_by_another(fh.fileno())
        if held:
            return pair("safety.held_by_program", name=path.name)
    except PermissionError:
        return pair("safety.not_writable", name=path.name)
    except FileNotFoundError:
        return None
    return None


def _held_by_another(fd: int) -> bool:
    """Whether another process holds a system lock on the open file (POSIX record or flock
    locks, as LibreOffice and some sync tools take); the test lock is released at once."""
    if os.name != "posix":
        return False  # Windows: a program that holds the file makes opening it fail instead
    import fcntl
    for lock, unlock in ((fcntl.lockf, fcntl.LOCK_UN), (fcntl.flock, fcntl.LOCK_UN)):
        try:
            lock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        lock(fd, unlock)
    return False


def ensure_unlocked(path: Path, wait_minutes: float = 0, poll_seconds: float = 5,
                    sleep: Callable[[float], None] = time.sleep) -> None:
    """Raise WorkbookLockedError unless the workbook can be written (waiting up to the limit)."""
    deadline = time.monotonic() + wait_minutes * 60
    while True:
        reasons = lock_reasons(path)
        if reasons is None:
            return
        if time.monotonic() >= deadline:
            reason, zh = reasons
            if wait_minutes:
                reason += msg("en", "safety.waited_minutes", n=wait_minutes)
                zh += msg("zh", "safety.waited_minutes", n=wait_minutes)
            raise WorkbookLockedError(reason, zh=zh)
        sleep(min(poll_seconds, max(0.05, deadline - time.monotonic())))


def side_copy_path(path: Path) -> Path:
    """Where --side-copy writes: "NAME (officebot).xlsx" next to the register."""
    path = Path(path)
    return path.with_name(f"{path.stem} (officebot){path.suffix}")


def make_backup(path: Path, keep: int, now: Optional[dt.datetime] = None) -> Path:
    """Copy the register to backups/NAME-YYYYMMDD-HHMMSS.xlsx and keep only the newest ``keep``."""
    path = Path(path)
    folder = path.parent / BACKUP_FOLDER
    try:
        folder = ensure_subfolder(path.parent, BACKUP_FOLDER)
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        target = folder / f"{path.stem}-{stamp}{path.suffix}"
        n = 2
        while os.path.lexists(target):
            target = folder / f"{path.stem}-{stamp}-{n}{path.suffix}"
            n += 1
        # a partial file with an unguessable name: a full disk leaves no half backup, and
        # the partial files of killed runs (each backup has a new name) go first
        stem = glob_escape(path.stem)
        remove_temps(folder, ("." + glob_escape((path.stem + "-")[:60]) + "*" + TEMP_SUFFIX,
                               f".{stem}-*{glob_escape(path.suffix)}.part"))
        with open(path, "rb") as src:
            atomic_write(target, lambda fh: shutil.copyfileobj(src, fh, 1 << 20), like=path,
                         times_of=path, sentence=False)
    except OSError as exc:
        en, zh = pair("safety.backup_failed", name=path.name, folder=folder,
                      why=exc.strerror or exc)
        raise OfficebotError(en, zh=zh) from None
    prune_backups(path, keep)
    return target


def ensure_writable(folder: Path) -> None:
    """Prove a file can be made in ``folder`` (else one sentence); a folder not there yet
    is made later in its parent, which the run lock has proved writable."""
    folder = Path(folder)
    ensure_subfolder(folder.parent, folder.name, create=False)  # a link out: one sentence
    if not folder.is_dir():
        return
    try:
        fd, probe = tempfile.mkstemp(prefix=".officebot-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise write_failed(folder / "…", exc) from None


def backups_of(path: Path) -> List[Path]:
    """The register's backups, oldest first."""
    path = Path(path)
    folder = path.parent / BACKUP_FOLDER
    pattern = re.compile(re.escape(path.stem) + r"-\d{8}-\d{6}(-\d+)?" + re.escape(path.suffix)
                         + "$")
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if pattern.match(p.name)]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def prune_backups(path: Path, keep: int) -> None:
    """Delete the oldest backups beyond ``keep``."""
    found = backups_of(path)
    for old in found[:max(0, len(found) - keep)]:
        try:
            old.unlink()
        except OSError:
            pass


def verify_package(path: Path, sheet_part: Optional[str], sheet_count: int,
                   checked: Optional[Dict[str, Optional[str]]] = None) -> None:
    """Read a written workbook back: every part's CRC, the register sheet is well-formed
    XML, the sheet count. Parts are streamed, so memory stays flat on any size.

    ``checked``: parts already parsed as they were written (Package.checked: part -> None
    or the error); their CRCs prove the file holds those very bytes, so they are not parsed
    again."""
    checked = checked or {}
    try:
        if checked.get(sheet_part):
            raise ValueError(f"{sheet_part}: {checked[sheet_part]}")
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                # reading a part to its end checks its CRC; the register sheet is also parsed
                check = expat.ParserCreate() if info.filename == sheet_part and \
                    sheet_part not in checked else None
                with zf.open(info) as fh:
                    while True:
                        chunk = fh.read(1 << 18)  # a quarter MB: little beside the run
                        if check is not None:
                            check.Parse(chunk, not chunk)
                        if not chunk:
                            break
            main = pk.office_document(pk.rels_of(pk.safe_fromstring(zf.read("_rels/.rels")), ""))
            wb = pk.safe_fromstring(zf.read(main))
            count = sum(1 for el in wb.iter() if isinstance(el.tag, str)
                        and etree.QName(el).localname == "sheet")
            if count != sheet_count:
                raise ValueError(f"{count} sheets instead of {sheet_count}")
    except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, expat.ExpatError,
            OSError, EOFError) as exc:
        en, zh = pair("safety.read_back_failed", error=exc)
        raise OfficebotError(en, zh=zh) from None


# --- one run at a time -------------------------------------------------------------------
def run_lock_path(path: Path) -> Path:
    """The lock file of runs on ``path``: hidden, next to the register, never a workbook."""
    path = Path(path)
    return path.with_name(f".{path.name}.officebot.lock")


class RunLock(FileLock):
    """The lock of runs that write one register (``.NAME.officebot.lock`` beside it)."""

    def __init__(self, register: Path, wait_seconds: float = 0, poll_seconds: float = 0.2):
        super().__init__(run_lock_path(register))
        self.register = Path(register)
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds

    def __enter__(self) -> "RunLock":
        try:
            held = self.acquire(self.wait_seconds, self.poll_seconds)
        except OSError as exc:
            en, zh = pair("safety.folder_not_writable", folder=self.register.parent,
                          why=exc.strerror)
            raise OfficebotError(en, zh=zh) from None
        if not held:
            raise self._busy()
        return self

    def _busy(self) -> OfficebotError:
        holder = self.holder()
        pid = holder[0] if holder else "?"
        since = " ".join(holder[1:3]) or "?"
        en, zh = (msg(lang, "safety.run_busy", pid=pid, since=since, name=self.register.name,
                      waited=msg(lang, "safety.waited_seconds", n=self.wait_seconds)
                      if self.wait_seconds else "") for lang in ("en", "zh"))
        return RunLockedError(en, zh=zh)

