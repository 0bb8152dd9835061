"""A stream that compresses behind the caller, on a second thread.

zlib lets go of Python's global lock while it deflates a large block, so a thread that only
hands blocks to a zip member runs on the second core while the main thread rewrites rows.
Order is kept and an error on the thread is raised in the caller.
"""

import queue
import threading
from typing import BinaryIO, Optional

BLOCK = 1 << 20
DEPTH = 2  # blocks waiting in each queue: a few MB at most


class WriteBehind:
    """A binary writer that hands each block to ``dst.write`` on a background thread."""

    def __init__(self, dst: BinaryIO):
        self._dst = dst
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
