"""letters/.officebot-letters.lock: one run at a time drafts letters (kept as it was until
the folder helper's one lock in workbook/safety.py replaces it)."""

import datetime as dt
import os
import socket
import time
from pathlib import Path

LOCK_NAME = ".officebot-letters.lock"


class _Lock:
    """letters/.officebot-letters.lock: one run at a time drafts letters and writes the
    manifest (the scheduler and a clerk's double-click may start runs together)."""

    def __init__(self, path: Path, stale_minutes: float):
        self.path = path
        self.stale_seconds = stale_minutes * 60
        self.held = False

    def acquire(self) -> bool:
        """True when this run may draft; a lock older than stale_minutes is a crashed run's."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                try:
                    age = time.time() - self.path.stat().st_mtime
                except FileNotFoundError:
                    continue
                if age <= self.stale_seconds and _holder_alive(self.path):
                    return False
                self.path.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {dt.datetime.now():%Y-%m-%d %H:%M:%S} "
                         f"{socket.gethostname()}\n")
            self.held = True
            return True
        return False

    def release(self) -> None:
        """Remove the lock if this run holds it."""
        if self.held:
            self.path.unlink(missing_ok=True)
            self.held = False


def _holder_alive(path: Path) -> bool:
    """False when the lock was taken on this computer by a process that is gone (killed);
    a lock from another computer, or one that cannot be read, counts as held."""
    if os.name == "nt":
        return True  # os.kill(pid, 0) would end the process there
    try:
        pid, _, _, host = path.read_text("utf-8").split()
        if host != socket.gethostname():
            return True
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError):
        return True
    return True
