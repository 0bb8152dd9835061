"""The month log, logs/officebot-YYYY-MM.log: one timestamped line per entry.

Every entry is one line whatever it quotes (``privacy.for_terminal``: a case id holding a line
feed cannot forge a line), masked unless ``[privacy] mask = false``. The log is appended
without following a link planted at its name, and logs/ that leads out of the working folder
is refused (``refused`` holds the sentence).
"""

import datetime as dt
import traceback
from pathlib import Path
from typing import Iterable, List, Optional, Union

from .folder import layout
from .privacy import for_terminal
from . import files


class RunLog:
    """Appends timestamped lines to this month's log file; silent when logs/ is unwritable."""

    def __init__(self, folder: Path, create: bool = True):
        """``create``: make logs/ when it is missing (else log only into an existing one)."""
        self.path: Optional[Path] = None
        self.refused: Optional[files.FolderRefused] = None
        self.mask = True  # phones and e-mail addresses masked ([privacy] mask)
        path = layout(folder).log_file()
        try:
            if not create and not path.parent.is_dir():
                return
            files.ensure_subfolder(Path(folder), path.parent.name)
            files.open_append(path).close()
        except files.FolderRefused as exc:
            self.refused = exc
            return
        except OSError:
            return
        self.path = path

    def write(self, text: Union[str, Iterable[str]]) -> None:
        """Append ``text`` as one entry, or each of a list of lines as its own entry."""
        if self.path is None:
            return
        lines: List[str] = [text] if isinstance(text, str) else [str(t) for t in text]
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        entry = "".join(f"{stamp} {for_terminal(line.rstrip(), enabled=self.mask)}\n"
                        for line in lines)
        try:
            files.append_text(self.path, entry)
        except OSError:
            pass

    def write_traceback(self, heading: str, exc: BaseException) -> None:
        """The traceback of ``exc`` under ``heading``, a line of the log per line of the
        traceback; the exception's own words (which may quote any value) stay one line."""
        lines = [heading, "Traceback (most recent call last):"]
        for frame in traceback.format_tb(exc.__traceback__):
            lines.extend("  " + line for line in frame.rstrip("\n").split("\n"))
        lines.append(f"{type(exc).__name__}: {exc}")
        self.write(lines)

    def details(self, batch) -> None:
        """Case ids that changed state, and problem rows, for whoever reads the log later."""
        for name in ("newly_overdue", "newly_escalated"):
            ids = getattr(batch, name, None)
            if ids:
                self.write(f"{name}: {', '.join(str(i) for i in ids)}")
        result = getattr(batch, "result", None)
        for problem in getattr(result, "problems", None) or []:
            self.write(f"problem row {problem.row} [{problem.column}]: {problem.message}")
        if getattr(batch, "letters_declined", 0):
            self.write(f"letters declined: {batch.letters_declined} not drafted, as chosen")
        for problem in getattr(batch, "letter_problems", None) or []:
            if not isinstance(problem, int):
                self.write(f"letter problem: {problem}")
        if getattr(batch, "later_as_of", None):
            self.write(f"as-of earlier than the last run's ({batch.later_as_of:%Y-%m-%d %H:%M})")
        if getattr(batch, "written_to", None):
            self.write(f"written to {batch.written_to}")
        if getattr(batch, "backup", None):
            self.write(f"backup {batch.backup}")
