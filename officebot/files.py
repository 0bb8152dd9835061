"""Files in a shared folder: no write ever goes through a link officebot did not make or
lands on a name someone could plant.

One lock (``FileLock``: a system lock, flock or msvcrt, on a file opened without following
links), one atomic write (``atomic_write``: a temporary file with an unguessable name in the
target's folder, renamed over the target), appends that never follow a link
(``open_append``), reads that never follow one (``read_plain``: a letter mailed is the
letter, not what a link planted at its name points at), sub-folders that may not lead out
of the working folder (``ensure_subfolder``) and the one sentence for a file that could not
be written.
"""

import datetime as dt
import errno
import os
import re
import shutil
import socket
import stat as stat_mod
import tempfile
import time
from pathlib import Path
from typing import Callable, List, Optional

from .errors import OfficebotError, RunLockedError, UsageError, WorkbookLockedError
from .messages import msg, pair
from .privacy import folder_mode

REPLACE_RETRIES = 20
REPLACE_PAUSE = 0.5


TEMP_SUFFIX = ".officebot.tmp"


# --- one atomic write ------------------------------------------------------------------------
def temp_prefix(name: str) -> str:
    """The start of a temporary file's name for ``name`` (hidden; short enough that the
    random part and the suffix still fit a 255-byte name)."""
    # short enough that prefix, random part and suffix fit a 255-byte file name
    return "." + name[:60] + "."


def remove_stale_temps(path: Path) -> None:
    """Remove the temporary files a killed earlier run left for ``path`` (its own names:
    ``.NAME.<random>.officebot.tmp``, and the older ``.NAME.officebot-<pid>.tmp``). Writers
    of one file run under one lock, so every such file found is a dead run's."""
    path = Path(path)
    remove_temps(path.parent, (glob_escape(temp_prefix(path.name)) + "*" + TEMP_SUFFIX,
                                f".{glob_escape(path.name)}.officebot-*.tmp"))


def remove_temps(folder: Path, patterns) -> None:
    """Remove the files in ``folder`` matching any of the glob ``patterns``."""
    try:
        found = {p for pattern in patterns for p in folder.glob(pattern)}
    except OSError:
        return
    for p in found:
        try:
            p.unlink()  # a link planted at such a name goes; its target is not touched
        except OSError:
            pass


def glob_escape(name: str) -> str:
    """``name`` as a glob pattern matching only itself."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def atomic_write(path: Path, write: Callable, verify: Optional[Callable[[Path], None]] = None,
                 before_replace: Optional[Callable[[], None]] = None, *, sync: bool = True,
                 like: Optional[Path] = None, times_of: Optional[Path] = None,
                 sentence: bool = True) -> None:
    """Write ``path`` in one step: ``write(fh)`` fills a new temporary file with an
    unguessable name in the same folder (created exclusively, so nothing planted there is
    followed), ``verify(tmp)`` checks it, then it is renamed over ``path`` (a link at
    ``path`` is replaced, never written through).

    The new file keeps the mode of the regular file it replaces; a new one gets its folder's
    (never more than ``like``'s). ``sync``: flush to disk first (a letter skips it: one cut
    short is no package and is drafted again). ``times_of``: copy that file's times. A failure
    to write is one sentence (``write_failed``), or the OSError itself with ``sentence=False``."""
    path = Path(path)
    remove_stale_temps(path)
    try:
        fd, name = tempfile.mkstemp(prefix=temp_prefix(path.name), suffix=TEMP_SUFFIX,
                                    dir=path.parent)
    except OSError as exc:
        if not sentence:
            raise
        raise write_failed(path, exc) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            _set_mode(fh.fileno(), _replaced_mode(path, like))
            write(fh)
            fh.flush()
            if sync:
                os.fsync(fh.fileno())
            if times_of is not None:
                st = os.stat(times_of)
                os.utime(fh.fileno() if os.utime in os.supports_fd else tmp,
                         ns=(st.st_atime_ns, st.st_mtime_ns))
        if verify is not None:
            verify(tmp)
        if before_replace:
            before_replace()
        _replace(tmp, path)
        if sync:
            _fsync_folder(path.parent)
    except BaseException as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        if isinstance(exc, OSError) and sentence:  # a full disk: the old file stands
            raise write_failed(path, exc) from None
        raise


def write_bytes(path: Path, data: bytes, sync: bool = True, like: Optional[Path] = None
                ) -> None:
    """``atomic_write`` of ``data``; OSError (not a sentence) when it fails."""
    atomic_write(path, lambda fh: fh.write(data), sync=sync, like=like, sentence=False)


def copy_file(source: Path, path: Path, like: Optional[Path] = None) -> None:
    """Copy ``source`` to ``path`` with ``atomic_write`` (OSError when it fails)."""
    with open(source, "rb") as src:
        atomic_write(path, lambda fh: shutil.copyfileobj(src, fh, 1 << 20), sync=False,
                     like=like, sentence=False)


def write_new(path: Path, data: bytes, like: Optional[Path] = None) -> None:
    """Create ``path`` holding ``data``; FileExistsError when anything (a file, a link, even
    a dangling one) is already there. A failed write leaves no part behind."""
    path = Path(path)
    fd = open_nofollow(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        _set_mode(fd, folder_mode_of(path.parent, like))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def open_append(path: Path):
    """``path`` opened for appending bytes without following a link at that name; a new file
    gets its folder's mode (0600 where the folder has none to give)."""
    path = Path(path)
    try:
        fd = open_nofollow(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL)
        _set_mode(fd, folder_mode_of(path.parent))
    except FileExistsError:
        fd = open_nofollow(path, os.O_WRONLY | os.O_APPEND)
        try:
            st = os.fstat(fd)
            if not stat_mod.S_ISREG(st.st_mode) or st.st_nlink != 1:
                raise OSError(errno.ELOOP, LINK_REFUSED, str(path))
        except BaseException:
            os.close(fd)
            raise
    return os.fdopen(fd, "ab")


def append_text(path: Path, text: str) -> None:
    """Append ``text`` (UTF-8) to ``path`` with ``open_append``."""
    with open_append(path) as fh:
        fh.write(text.encode("utf-8"))


# --- never through a link ------------------------------------------------------------------
LINK_REFUSED = ("a symbolic link or another file stands at that name and officebot never "
                "writes through one; remove it")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_OPEN_EXTRA = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_REPARSE_POINT = 0x400  # FILE_ATTRIBUTE_REPARSE_POINT: Windows links and junctions


def is_link(path) -> bool:
    """True for a symbolic link, or on Windows any reparse point (link, junction)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat_mod.S_ISLNK(st.st_mode) or bool(
        getattr(st, "st_file_attributes", 0) & _REPARSE_POINT)


def open_nofollow(path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that never goes through a link at ``path`` itself: O_NOFOLLOW where the
    system has it; on Windows a reparse point is refused before opening, and the opened file
    must be the one the name shows. OSError(ELOOP, LINK_REFUSED) for a link."""
    path = os.fspath(path)
    if not _NOFOLLOW and is_link(path):
        raise OSError(errno.ELOOP, LINK_REFUSED, path)
    try:
        fd = os.open(path, flags | _NOFOLLOW | _OPEN_EXTRA, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):
            raise OSError(errno.ELOOP, LINK_REFUSED, path) from None
        raise
    if not _NOFOLLOW:  # pragma: no cover - Windows
        try:
            same = not is_link(path) and os.path.samestat(os.fstat(fd), os.lstat(path))
        except OSError:
            same = False
        if not same:
            os.close(fd)
            raise OSError(errno.ELOOP, LINK_REFUSED, path)
    return fd


def read_head(path: Path, size: int) -> bytes:
    """Up to ``size`` bytes from the start of the plain file ``path`` (b"" for a link, a
    device, a pipe or a file that cannot be read: nothing planted can make this hang)."""
    try:
        return read_plain(path, size)
    except OSError:
        return b""


def read_plain(path: Path, size: Optional[int] = None) -> bytes:
    """The bytes of the plain file ``path`` (its first ``size``, if given), never read
    through a link planted at that name (OSError(ELOOP, LINK_REFUSED) for a link or anything
    but a plain file: a device or a pipe planted there cannot make a read hang)."""
    fd = open_nofollow(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat_mod.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.ELOOP, LINK_REFUSED, os.fspath(path))
        if size is not None:
            return os.read(fd, size)
        with os.fdopen(os.dup(fd), "rb") as fh:
            return fh.read()
    finally:
        os.close(fd)


def is_plain_file(path) -> bool:
    """Whether ``path`` itself is a plain file: not a link, a reparse point, a folder, a
    device or a pipe (nothing planted at the name)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat_mod.S_ISREG(st.st_mode) and not (
        getattr(st, "st_file_attributes", 0) & _REPARSE_POINT)


def folder_mode_of(folder: Path, like: Optional[Path] = None) -> Optional[int]:
    """The mode of a new file in ``folder`` (None where the system has no modes)."""
    if os.name != "posix":
        return None
    try:
        return folder_mode(folder, like)
    except OSError:
        return None


def _replaced_mode(path: Path, like: Optional[Path]) -> Optional[int]:
    """The mode a new version of ``path`` takes: the regular file's own, else a new file's."""
    if os.name != "posix":
        return None
    try:
        st = os.lstat(path)
        if stat_mod.S_ISREG(st.st_mode):
            return stat_mod.S_IMODE(st.st_mode)
    except OSError:
        pass
    return folder_mode_of(path.parent, like)


def _set_mode(fd: int, mode: Optional[int]) -> None:
    if mode is None:
        return
    try:
        os.fchmod(fd, mode)
    except OSError:
        pass  # a file system without permissions (FAT, some shares)


# --- sub-folders kept inside the working folder -----------------------------------------------
class FolderRefused(OfficebotError):
    """A sub-folder of the working folder leads outside it (a planted link)."""


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive
        return False


def ensure_subfolder(folder: Path, *parts: str, create: bool = True) -> Path:
    """``folder/parts…``, made when missing (with its parent's permissions). A part that is
    a link leading out of ``folder``, or that is no folder, stops with one sentence: a
    colleague's link cannot make officebot write elsewhere."""
    folder = Path(folder)
    if create and parts and not os.path.lexists(folder):
        folder.mkdir(parents=True, exist_ok=True)
    root = os.path.realpath(folder)
    path = folder
    for part in parts:
        path = path / part
        for _ in range(3):
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                if not create:
                    return folder.joinpath(*parts)
                try:
                    os.mkdir(path, 0o700)
                except FileExistsError:
                    continue  # made meanwhile: look again
                _set_dir_mode(path)
                break
            if stat_mod.S_ISLNK(st.st_mode) or getattr(st, "st_file_attributes", 0) \
                    & _REPARSE_POINT:
                real = os.path.realpath(path)
                if not _inside(real, root) or not os.path.isdir(real):
                    raise _refused(folder, path, real)
            elif not stat_mod.S_ISDIR(st.st_mode):
                raise _refused(folder, path, None)
            break
    return path


def _set_dir_mode(path: Path) -> None:
    if os.name != "posix":
        return
    try:
        os.chmod(path, folder_mode(path.parent, directory=True))
    except OSError:
        pass


def _refused(folder: Path, path: Path, real: Optional[str]) -> FolderRefused:
    rel = os.path.relpath(path, folder).replace(os.sep, "/")
    if real is None:
        en, zh = pair("files.not_a_folder", rel=rel, folder=folder)
    else:
        en, zh = pair("files.folder_link_out", rel=rel, folder=folder, real=real)
    return FolderRefused(en, zh=zh)


def check_output(out: Path, register: Path, force: bool = False) -> None:
    """Refuse an output path that is the register (by any name, also through a link), and
    one that exists unless ``force`` says to replace it (UsageError, one sentence)."""
    out, register = Path(out), Path(register)
    same = os.path.realpath(out) == os.path.realpath(register)
    try:
        same = same or os.path.samefile(out, register)
    except OSError:
        pass
    if same:
        en, zh = pair("files.out_is_register", name=register.name)
        raise UsageError(en, zh=zh)
    if os.path.lexists(out) and not force:
        en, zh = pair("files.out_exists", name=out.name, folder=out.parent)
        raise UsageError(en, zh=zh)


def register_target(path: Path) -> Path:
    """The file a run writes for the register ``path``. A register that is a link is
    written through to its target when that lies inside the register's folder (the link
    stays, the file it names is updated); a link leading out of the folder stops with one
    sentence."""
    path = Path(path)
    if not is_link(path):
        return path
    real = os.path.realpath(path)
    if _inside(real, os.path.realpath(path.parent)) and os.path.isfile(real):
        return Path(real)
    en, zh = pair("files.register_link_out", name=path.name, folder=path.parent, real=real)
    raise FolderRefused(en, zh=zh)


def write_failed(path: Optional[Path], exc: OSError) -> OfficebotError:
    """The sentence for a file that could not be written (disk full, no permission)."""
    why = exc.strerror or str(exc)
    if path is None:
        what = pair("files.not_written_unnamed")
    else:
        what = pair("files.not_written", name=Path(path).name, folder=Path(path).parent)
    # a link planted at the name is never written through: say so, not a disk's trouble
    key = "files.write_link" if exc.errno == errno.ELOOP else "files.write_failed"
    return OfficebotError(msg("en", key, what=what[0], why=why),
                          zh=msg("zh", key, what=what[1], why=why))


def _replace(tmp: Path, path: Path) -> None:
    for attempt in range(REPLACE_RETRIES):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:  # an antivirus or indexer holding the file for a moment
            if attempt == REPLACE_RETRIES - 1:
                en, zh = pair("files.replace_held", name=path.name)
                raise WorkbookLockedError(en, zh=zh) from None
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


# --- one lock -------------------------------------------------------------------------------
class FileLock:
    """The one lock of officebot: an operating-system lock (flock, or msvcrt on Windows) on
    a small file of its own, held while a run writes.

    The lock belongs to the open file, so the system frees it when the run ends in any way —
    also when it is killed — and a lock left by a crash never blocks the next run. The file
    is opened without following links and must be a plain file with one name; anything else
    planted at its name (a link, a hard link to someone's file) is removed, never written.
    It holds the holder's process id, start time and computer, for the sentence a second run
    shows, and is removed when the lock is released.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.fd: Optional[int] = None

    def acquire(self, wait_seconds: float = 0, poll_seconds: float = 0.2) -> bool:
        """Take the lock, waiting up to ``wait_seconds``; False when another run holds it.
        OSError when the file cannot be made at all (a read-only folder)."""
        deadline = time.monotonic() + wait_seconds
        while not self._try():
            if time.monotonic() >= deadline:
                return False
            time.sleep(poll_seconds)
        return True

    def _try(self) -> bool:
        for _ in range(3):
            fd = self._open()
            if fd is None:
                continue
            if not _lock_fd(fd):
                os.close(fd)
                return False
            try:  # the holder may have removed the file before we locked it: lock the new one
                same = os.path.samestat(os.fstat(fd), os.lstat(self.path))
            except OSError:
                same = False
            if not same:
                _unlock_fd(fd)
                os.close(fd)
                continue
            try:  # who holds it (a full disk only loses that)
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()} {dt.datetime.now():%Y-%m-%d %H:%M:%S} "
                             f"{socket.gethostname()}\n".encode())
            except OSError:
                pass
            self.fd = fd
            return True
        return False

    def _open(self) -> Optional[int]:
        """The lock file, open, or None after removing something planted. A new one gets its
        folder's mode; one a colleague's killed run left (not writable by us) is locked
        read-only, as a system lock allows."""
        try:
            fd = open_nofollow(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL)
            _set_mode(fd, folder_mode_of(self.path.parent))
            return fd
        except FileExistsError:
            pass
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            self._remove_planted()
            return None
        try:
            try:
                fd = open_nofollow(self.path, os.O_RDWR)
            except PermissionError:
                fd = open_nofollow(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None  # released meanwhile: try again
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            self._remove_planted()
            return None
        st = os.fstat(fd)
        if stat_mod.S_ISREG(st.st_mode) and st.st_nlink == 1:
            return fd
        os.close(fd)
        self._remove_planted()
        return None

    def _remove_planted(self) -> None:
        try:
            os.unlink(self.path)  # the name is officebot's; a link's target is not touched
        except FileNotFoundError:
            pass

    def holder(self) -> List[str]:
        """The holder's words: [process id, date, time, computer] (empty when unreadable)."""
        try:
            fd = open_nofollow(self.path, os.O_RDONLY)
        except OSError:
            return []
        try:
            return os.read(fd, 200).decode("utf-8", "replace").split()
        except OSError:
            return []
        finally:
            os.close(fd)

    def release(self) -> None:
        """Remove the lock file and free the lock (the order keeps a waiting run safe)."""
        if self.fd is None:
            return
        try:
            if os.path.samestat(os.fstat(self.fd), os.lstat(self.path)):
                os.unlink(self.path)
        except OSError:
            pass  # Windows: another run has it open; it removes it in turn
        _unlock_fd(self.fd)
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> "FileLock":
        if not self.acquire():
            en, zh = pair("files.lock_held", path=self.path)
            raise RunLockedError(en, zh=zh)
        return self

    def __exit__(self, *exc) -> None:
        self.release()


_LOCK_OFFSET = 1 << 30  # msvcrt locks a byte range: one far past the holder's words


def _lock_fd(fd: int) -> bool:
    """An exclusive, non-blocking system lock on an open file, held until it is closed or
    the process ends."""
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt
        try:
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)  # msvcrt locks from the current position
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
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
            os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass


def end_cleanly_on_signals() -> None:
    """Let SIGTERM and SIGHUP (a closed terminal window, a stopped service) end a run as an
    exit does, so that a temporary file being written is removed on the way out; SIGKILL
    cannot be caught, and the next run removes what it leaves (``remove_stale_temps``)."""
    import signal
    import threading
    if threading.current_thread() is not threading.main_thread():
        return

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) in (signal.SIG_DFL, None):
            signal.signal(number, leave)
