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
import time
import zipfile
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

from xml.parsers import expat

from lxml import etree

from .. import package as pk
from ..errors import OfficebotError, RunLockedError, WorkbookLockedError
from ..privacy import follow_folder

BACKUP_FOLDER = "backups"
REPLACE_RETRIES = 20
REPLACE_PAUSE = 0.5


def owner_files(path: Path) -> List[Path]:
    """Owner (lock) files Excel, WPS or LibreOffice keep next to a workbook while it is open."""
    path = Path(path)
    names = ["~$" + path.name, ".~lock." + path.name + "#"]
    if len(path.name) > 2:
        names.append("~$" + path.name[2:])  # Word's variant, also seen from WPS
    return [path.parent / n for n in names if (path.parent / n).exists()]


def owner_name(owner: Path) -> str:
    """The user name recorded in an Excel/WPS owner file ('' when unreadable)."""
    try:
        data = owner.read_bytes()[:512]
    except OSError:
        return ""
    if owner.name.startswith(".~lock."):
        fields = data.decode("utf-8", "replace").split(",")
        return fields[1].strip() if len(fields) > 1 else ""
    if len(data) > 56:
        n = int.from_bytes(data[54:56], "little")
        if 0 < n < 100:
            name = data[56:56 + 2 * n].decode("utf-16-le", "replace").strip("\x00 ")
            if name:
                return name
    if data:
        n = data[0]
        return data[1:1 + n].decode("gbk", "replace").strip("\x00 ")
    return ""


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
        return (f"{path.name} is open{by} in Excel or WPS (owner file {owner.name}); close it "
                f"and run again, or use --side-copy (if nobody has it open, delete {owner.name})",
                f"{path.name} 正被{who or '他人'}用 Excel 或 WPS 打开（锁定文件 {owner.name}）；请关闭后"
                f"再运行，或使用 --side-copy（如确实无人打开，可删除 {owner.name}）")
    try:
        with open(path, "r+b") as fh:
            held = _held_by_another(fh.fileno())
        if held:
            return (f"{path.name} is locked by another program (LibreOffice, a sync or backup "
                    "tool); close it and run again, or use --side-copy",
                    f"{path.name} 正被其他程序锁定（LibreOffice、同步或备份软件）；请关闭后再运行，"
                    "或使用 --side-copy")
    except PermissionError:
        return (f"{path.name} cannot be opened for writing (open in Excel/WPS, or read-only); "
                "close it and run again, or use --side-copy",
                f"{path.name} 无法写入（正被 Excel/WPS 打开，或为只读）；请关闭后再运行，"
                "或使用 --side-copy")
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
                reason += f" (waited {wait_minutes:g} min)"
                zh += f"（已等待 {wait_minutes:g} 分钟）"
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
        if not folder.is_dir():
            folder.mkdir()
            follow_folder(folder)
        stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        target = folder / f"{path.stem}-{stamp}{path.suffix}"
        n = 2
        while target.exists():
            target = folder / f"{path.stem}-{stamp}-{n}{path.suffix}"
            n += 1
        part = target.with_name(f".{target.name}.part")  # a full disk leaves no half backup
        try:
            shutil.copy2(path, part)
            follow_folder(part, like=path)
            os.replace(part, target)
        except OSError:
            part.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OfficebotError(f"cannot make a backup of {path.name} in {folder} "
                             f"({exc.strerror or exc}); free some space or make the "
                             "folder writable and run again",
                             zh=f"无法在 {folder} 中备份 {path.name}（{exc.strerror or exc}）；"
                             "请腾出磁盘空间或让该文件夹可写入后再运行"
                             ) from None
    prune_backups(path, keep)
    return target


def ensure_writable(folder: Path) -> None:
    """Prove a file can be made in ``folder`` (else one sentence); a folder not there yet
    is made later in its parent, which the run lock has proved writable."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    probe = folder / f".officebot-probe-{os.getpid()}"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        probe.unlink()
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


def temp_path(path: Path) -> Path:
    """The temporary file for writing ``path``: same folder, never taken for a workbook."""
    path = Path(path)
    return path.with_name(f".{path.name}.officebot-{os.getpid()}.tmp")


def remove_stale_temps(path: Path) -> None:
    """Remove temporary files a killed earlier run left next to the register."""
    path = Path(path)
    prefix = f".{path.name}.officebot-"
    for p in path.parent.glob(f".{glob_escape(path.name)}.officebot-*.tmp"):
        if p.name.startswith(prefix) and p != temp_path(path):
            try:
                p.unlink()
            except OSError:
                pass


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


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
                        chunk = fh.read(1 << 20)
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
        raise OfficebotError(f"the new workbook did not read back correctly ({exc}); nothing "
                             "was changed — please report this with the register") from None


def atomic_write(path: Path, write: Callable, verify: Callable[[Path], None],
                 before_replace: Optional[Callable[[], None]] = None) -> None:
    """Write via a verified temporary file in the same folder, then rename it over ``path``."""
    path = Path(path)
    tmp = temp_path(path)
    remove_stale_temps(path)
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        keep_mode(tmp, path)
        verify(tmp)
        if before_replace:
            before_replace()
        _replace(tmp, path)
        _fsync_folder(path.parent)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError):  # a full disk, a read-only folder: the old file stands
            raise write_failed(path, exc) from None
        raise


def write_failed(path: Optional[Path], exc: OSError) -> OfficebotError:
    """The sentence for a file that could not be written (disk full, no permission)."""
    why = exc.strerror or str(exc)
    if path is None:
        en, zh = "officebot could not write a file it needs", "officebot 无法写入所需的文件"
    else:
        path = Path(path)
        en, zh = (f"{path.name} could not be written in {path.parent}",
                  f"无法在 {path.parent} 中写入 {path.name}")
    return OfficebotError(
        f"{en} ({why}); nothing was changed — free some space on the drive or make the "
        "folder writable, then run again",
        zh=f"{zh}（{why}）；原文件未作任何改动——请腾出磁盘空间或让该文件夹可写入后再运行")


def keep_mode(tmp: Path, path: Path) -> None:
    """The new file takes the permissions of the one it replaces (a register readable by
    few stays so), or of its folder when it is new."""
    if os.name != "posix":
        return
    try:
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
    except FileNotFoundError:
        follow_folder(tmp)
    except OSError:
        pass


def _replace(tmp: Path, path: Path) -> None:
    for attempt in range(REPLACE_RETRIES):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:  # an antivirus or indexer holding the file for a moment
            if attempt == REPLACE_RETRIES - 1:
                raise WorkbookLockedError(
                    f"{path.name} could not be replaced (another program holds it); close it "
                    "and run again, or use --side-copy") from None
            time.sleep(REPLACE_PAUSE)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- one run at a time -------------------------------------------------------------------
def run_lock_path(path: Path) -> Path:
    """The lock file of runs on ``path``: hidden, next to the register, never a workbook."""
    path = Path(path)
    return path.with_name(f".{path.name}.officebot.lock")


class RunLock:
    """An operating-system lock on ``.NAME.officebot.lock`` held while a run writes.

    The lock belongs to the open file, so the system frees it when the run ends in any way —
    also when it is killed — and a lock left by a crash never blocks the next run. The file
    holds the holder's process id and start time, for the sentence a second run shows.
    """

    def __init__(self, register: Path, wait_seconds: float = 0, poll_seconds: float = 0.2):
        self.register = Path(register)
        self.path = run_lock_path(register)
        self.wait_seconds = wait_seconds
        self.poll_seconds = poll_seconds
        self.fd: Optional[int] = None

    def __enter__(self) -> "RunLock":
        deadline = time.monotonic() + self.wait_seconds
        while not self._try():
            if time.monotonic() >= deadline:
                raise self._busy()
            time.sleep(self.poll_seconds)
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def _try(self) -> bool:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            folder = self.register.parent
            raise OfficebotError(
                f"officebot cannot write in {folder} ({exc.strerror}); make the folder "
                "writable and run again",
                zh=f"无法在文件夹 {folder} 中写入（{exc.strerror}）；请让该文件夹可写入后再运行"
            ) from None
        if not try_lock_fd(fd):
            os.close(fd)
            return False
        try:  # the holder may have removed the file before we locked it: lock the new one
            same = os.path.samestat(os.fstat(fd), os.stat(self.path))
        except OSError:
            same = False
        if not same:
            _unlock_fd(fd)
            os.close(fd)
            return False
        try:  # who holds it, for the sentence a second run shows (a full disk only loses that)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n".encode())
        except OSError:
            pass
        self.fd = fd
        return True

    def _busy(self) -> OfficebotError:
        try:
            holder = self.path.read_text("utf-8", "replace").split()
        except OSError:
            holder = []
        pid = holder[0] if holder else "?"
        since = " ".join(holder[1:3]) or "?"
        waited = f" (waited {self.wait_seconds:g} s)" if self.wait_seconds else ""
        return RunLockedError(
            f"another officebot run (process {pid}, started {since}) is working on "
            f"{self.register.name}{waited}; wait until it has finished and run again",
            zh=f"另一次 officebot 运行（进程 {pid}，开始于 {since}）正在处理 {self.register.name}"
            f"{'（已等待 %g 秒）' % self.wait_seconds if self.wait_seconds else ''}；"
            "请等它完成后再运行")

    def release(self) -> None:
        """Remove the lock file and free the lock (the order keeps a waiting run safe)."""
        if self.fd is None:
            return
        try:
            self.path.unlink()
        except OSError:
            pass  # Windows: another run has it open; it removes it in turn
        _unlock_fd(self.fd)
        os.close(self.fd)
        self.fd = None


def try_lock_fd(fd: int) -> bool:
    """An exclusive, non-blocking system lock on an open file, held until it is closed or
    the process ends (the run lock and the mail ledger's lock)."""
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt
        try:
            os.lseek(fd, 0, os.SEEK_SET)  # msvcrt locks from the current position
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def _unlock_fd(fd: int) -> None:
    try:
        if os.name == "nt":  # pragma: no cover
            import msvcrt
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass
