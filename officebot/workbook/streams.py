"""Streams that work behind the caller: compression on a second thread, the XML check in a
second process.

zlib lets go of Python's global lock while it deflates a large block, so a thread that only
hands blocks to a zip member runs on the second core while the main thread rewrites rows.
Order is kept and an error on the thread is raised in the caller. Parsing, which holds the
lock, is done by a child process fed through a pipe (writing to a pipe lets go of the lock).
"""

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO, Optional
from xml.parsers import expat

BLOCK = 1 << 20
DEPTH = 2  # blocks waiting in each queue: a few MB at most


class WriteBehind:
    """A binary writer that hands each block to ``dst.write`` on a background thread."""

    def __init__(self, dst: BinaryIO, also: Optional["XmlCheck"] = None):
        """``also``: a second destination each block goes to after ``dst`` (on the thread)."""
        self._dst = dst
        self._also = also
        self._queue: "queue.Queue[Optional[bytes]]" = queue.Queue(DEPTH)
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name="officebot-write", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            block = self._queue.get()
            if block is None:
                return
            if self._error is None:
                try:
                    self._dst.write(block)
                    if self._also is not None:
                        self._also.write(block)
                except BaseException as exc:  # raised again in the writing thread
                    self._error = exc

    def write(self, data: bytes) -> int:
        if self._error is not None:
            raise self._error
        if data:
            self._queue.put(bytes(data))
        return len(data)

    def close(self) -> None:
        """Wait until every block is written; raise what went wrong on the thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def __enter__(self) -> "WriteBehind":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.close()
        else:  # the caller failed: let the thread finish, keep the caller's error
            if self._thread.is_alive():
                self._queue.put(None)
                self._thread.join()


# The child: officebot's own xmlcheck.py run by path in isolated mode (-I: no environment, no
# script or working folder on sys.path; -S: no site-packages), so nothing planted in the shared
# working folder is imported instead and no package __init__ is loaded (a fast start).
_CHILD = [sys.executable, "-I", "-S", str(Path(__file__).resolve().with_name("xmlcheck.py"))]
_ROOT = str(Path(__file__).resolve().parent.parent.parent)


class XmlCheck:
    """Checks that the bytes written to it are one well-formed XML document.

    A child Python process (officebot.workbook.xmlcheck) parses them as they come, on the
    second core; where no child can be started the bytes are parsed here. ``result()`` gives None when the document was
    well-formed, else what expat found wrong."""

    def __init__(self):
        self._parser = None
        self._error: Optional[str] = None
        try:
            self._proc: Optional[subprocess.Popen] = subprocess.Popen(
                _CHILD, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, cwd=_ROOT,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt"
                else 0)
        except OSError:
            self._proc = None
            self._parser = expat.ParserCreate()

    def write(self, data: bytes) -> int:
        if self._proc is not None:
            try:
                self._proc.stdin.write(data)
            except (BrokenPipeError, OSError):  # the child is gone: result() says so
                pass
        elif self._error is None:
            try:
                self._parser.Parse(data, False)
            except expat.ExpatError as exc:
                self._error = str(exc)
        return len(data)

    def result(self) -> Optional[str]:
        """None when everything written was well-formed XML, else what was wrong."""
        if self._proc is None:
            if self._error is None:
                try:
                    self._parser.Parse(b"", True)
                except expat.ExpatError as exc:
                    self._error = str(exc)
            return self._error
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        out = self._proc.stdout.read().decode("utf-8", "replace")
        code = self._proc.wait()
        self._proc.stdout.close()
        if out:
            return out
        return None if code == 0 else f"the XML check stopped (exit {code})"

    def abandon(self) -> None:
        """Stop the check without a result (the write failed)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            for pipe in (self._proc.stdin, self._proc.stdout):
                try:
                    pipe.close()
                except OSError:
                    pass
