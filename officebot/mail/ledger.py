"""The mail journal: what happened to every letter's message, so that none goes out twice.

``logs/mail-ledger.jsonl`` holds one JSON event per line, appended and flushed before the
next step: an ``intent`` as a message's envelope goes to the server (synced to disk, in the
background, before the body may go), a ``body`` mark just before the body goes, then its
result (``sent``, ``refused``, ``deferred``). A message with an intent and no result was
interrupted: when its body mark is there, or the computer was restarted since (its flushed
lines may then be lost), nobody can know whether the server took it: its fate is unknown, it
is listed for a person to check and never sent again unless asked (--resend). A run killed
before the body on a computer still running has left a complete journal, so such a message
is simply sent again. ``logs/mail.log`` gets the same events as lines a person reads.

Only one run mails at a time: the ledger is locked with an operating-system file lock,
which ends with the process that holds it (a killed run leaves no stale lock).
"""

import datetime as dt
import io
import json
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from .. import files
from ..errors import OfficebotError
from ..messages import pair
from ..privacy import for_terminal
from .addresses import case_key

LEDGER_NAME = "mail-ledger.jsonl"
LOG_NAME = "mail.log"
LOCK_NAME = ".officebot-mail.lock"
RESULTS = ("sent", "refused", "deferred")
# The status a letter has, by the last event that decides it.
STATUS_OF_EVENT = {"draft": "draft_written", "intent": "unknown", "sent": "sent",
                   "refused": "refused", "deferred": "retry", "printed": "printed",
                   "superseded": "superseded"}

Key = Tuple[str, str]   # (case id, kind)


@dataclass
class LetterMail:
    """What the ledger knows of one letter: its status and the last message's details."""

    status: str = "drafted"   # drafted draft_written unknown sent refused retry printed superseded
    message_id: str = ""
    to: str = ""
    at: str = ""              # ISO time of the deciding event
    reply: str = ""           # the server's answer to a refusal
    draft: str = ""           # where the draft went (outbox file or IMAP folder)
    history: List[str] = field(default_factory=list)
    body: bool = False        # the last intent's body may have gone
    boot: str = ""            # the computer and start-up the last intent was written in


def boot_id() -> str:
    """This computer and its current start-up: lines flushed in it are still there unless it
    was restarted since (a conservative guess where the system does not say)."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            boot = fh.read().strip()
    except OSError:
        boot = str(round((time.time() - time.monotonic()) / 60))  # the minute it started
    return f"{socket.gethostname()}:{boot}"


def fold(events: Iterable[dict], boot: Optional[str] = None) -> Dict[Key, LetterMail]:
    """Each letter's state from the events in order (pure: no files). With ``boot`` (this
    start-up, boot_id()), an intent written in it whose body never went is to retry."""
    states: Dict[Key, LetterMail] = {}
    for ev in events:
        kind = ev.get("event")
        key = (case_key(ev.get("case", "")), str(ev.get("kind", "")))
        state = states.setdefault(key, LetterMail())
        state.history.append(kind)
        if kind == "draft":
            state.draft = ev.get("where", "")
            if state.status in ("drafted", "retry", "draft_written"):
                state.status = "draft_written"
                state.at = ev.get("at", "")
            continue
        if kind in ("printed", "superseded"):
            if state.status in ("drafted", "draft_written", "retry", "printed"):
                state.status, state.at = STATUS_OF_EVENT[kind], ev.get("at", "")
            continue
        if kind == "body":
            state.body = True
            continue
        if kind == "intent":
            state.status = "unknown"
            state.message_id, state.to = ev.get("message_id", ""), ev.get("to", "")
            state.at, state.reply = ev.get("at", ""), ""
            state.body, state.boot = "boot" not in ev, str(ev.get("boot", ""))
        elif kind in RESULTS:  # (one run at a time: a result follows its own intent)
            state.status = STATUS_OF_EVENT[kind]
            state.at, state.reply = ev.get("at", ""), ev.get("reply", "")
            state.to = ev.get("to") or state.to
            state.message_id = ev.get("message_id") or state.message_id
    if boot:
        for state in states.values():
            if state.status == "unknown" and not state.body and state.boot == boot:
                state.status = "retry"   # killed before the body went: nothing was taken
    return states


class MailLedger:
    """Read and append the journal of one working folder (logs/)."""

    def __init__(self, logs: Path, mask: bool = True):
        self.logs = Path(logs)
        self.mask = mask   # addresses masked in mail.log ([privacy] mask); the journal keeps them
        self.path = self.logs / LEDGER_NAME
        self.log_path = self.logs / LOG_NAME
        self._fh = None
        self._log = None
        self._lock = None
        self._syncer: Optional[ThreadPoolExecutor] = None

    def events(self) -> List[dict]:
        """Every complete event so far (a line cut short by a crash is skipped)."""
        return self.read()[0]

    def read(self) -> Tuple[List[dict], bool]:
        """(every complete event, damaged): damaged when a line other than the last cannot
        be read (the last may be one a crash cut short)."""
        try:
            fd = files.open_nofollow(self.path, os.O_RDONLY)  # a planted link: one sentence
            with os.fdopen(fd, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            return [], False
        except OSError as exc:
            raise OfficebotError(*pair("mail.journal_unreadable", path=self.path,
                                       why=exc.strerror)) from None
        out, bad = [], 0
        lines = [line for line in data.split(b"\n") if line.strip()]
        for n, line in enumerate(lines, 1):
            try:
                ev = json.loads(line.decode("utf-8"))
            except ValueError:
                ev = None  # the last line: cut short while written, that step never finished
            if isinstance(ev, dict):
                out.append(ev)
            elif n < len(lines) or not line.lstrip().startswith(b"{"):
                bad += 1
        return out, bad > 0

    def states(self) -> Dict[Key, LetterMail]:
        """Each letter's state as the journal tells it."""
        return fold(self.events(), boot_id())

    # --- writing ------------------------------------------------------------------------
    def open(self) -> "MailLedger":
        """Lock the journal for this run and open it for appending; OfficebotError if another
        run holds it."""
        files.ensure_subfolder(self.logs.parent, self.logs.name)
        self._lock = files.FileLock(self.logs / LOCK_NAME)
        if not self._lock.acquire():
            self._lock = None
            raise OfficebotError(*pair("mail.journal_busy"))
        try:
            self._open_files()
        except OSError as exc:  # a link planted in logs/, a full disk: one sentence
            self.close()
            raise files.write_failed(Path(exc.filename) if exc.filename else None,
                                     exc) from None
        return self

    def _open_files(self) -> None:
        self._fh = files.open_append(self.path)  # never through a link planted in logs/
        if os.fstat(self._fh.fileno()).st_size > 0:
            # a line cut short by a crash must not swallow the next one
            fd = files.open_nofollow(self.path, os.O_RDONLY)
            try:
                os.lseek(fd, -1, os.SEEK_END)
                if os.read(fd, 1) != b"\n":
                    self._fh.write(b"\n")
            finally:
                os.close(fd)
        self._log = io.TextIOWrapper(files.open_append(self.log_path), encoding="utf-8")

    def record(self, event: str, case: str, kind: str, sync: bool = True, **details) -> dict:
        """Append one event; with ``sync`` it is on disk before this returns, else only
        handed to the system (it survives a killed run, not a power cut)."""
        ev = {"event": event, "case": case, "kind": kind,
              "at": dt.datetime.now().isoformat(timespec="seconds"), **details}
        self.append_events([ev], sync)
        return ev

    def append_events(self, events: List[dict], sync: bool = True) -> None:
        """Append complete events (one write, at most one sync) and their log lines."""
        if not events:
            return
        self._fh.write(b"".join(json.dumps(ev, ensure_ascii=False).encode("utf-8") + b"\n"
                                for ev in events))
        self._fh.flush()
        if sync:
            os.fsync(self._fh.fileno())
        self._log.write("".join(self._log_line(ev) for ev in events))
        self._log.flush()

    def append_soon(self, events: List[dict]) -> Callable[[], None]:
        """Append now and put on disk in the background (while the server talks); the
        function returned waits until it is there."""
        self.append_events(events, sync=False)
        if self._syncer is None:
            self._syncer = ThreadPoolExecutor(1, thread_name_prefix="officebot-journal")
        return self._syncer.submit(os.fsync, self._fh.fileno()).result

    def _log_line(self, ev: dict) -> str:
        if ev.get("event") == "body":
            return ""  # a mark for the journal only
        # the Message-ID looks like an address but is none: it stays whole for tracing; a
        # case id (and an outbox path) may hold a phone number: masked
        details = {k: v for k, v in ev.items() if k not in ("event", "case", "kind", "at",
                                                              "boot")}
        words = " ".join(f"{k}={for_terminal(v, enabled=self.mask and k != 'message_id')}"
                         for k, v in details.items() if v not in ("", None))
        line = (f"{for_terminal(str(ev.get('at', '')).replace('T', ' '), enabled=False)} "
                f"{for_terminal(ev['event'], enabled=False)} "
                f"{for_terminal(ev['case'], enabled=self.mask)} "
                f"{for_terminal(ev['kind'], enabled=False)}")
        return f"{line} {words}\n"

    def note(self, lines: List[str]) -> None:
        """Lines for a person in mail.log (what the console leaves out without --verbose);
        they come masked as the console shows them."""
        if self._log is not None and lines:
            at = dt.datetime.now().isoformat(sep=" ", timespec="seconds")
            self._log.write("".join(f"{at} {for_terminal(line, enabled=False)}\n"
                                    for line in lines))
            self._log.flush()

    def close(self) -> None:
        """Close the journal and release the lock."""
        if self._syncer is not None:  # every sync asked for ends before the file closes
            self._syncer.shutdown(wait=True)
            self._syncer = None
        for name in ("_fh", "_log", "_lock"):
            fh = getattr(self, name)
            if fh is not None:
                try:
                    fh.release() if name == "_lock" else fh.close()
                except OSError:
                    pass
                setattr(self, name, None)

    def __enter__(self):
        return self.open()

    def __exit__(self, *exc):
        self.close()


def ledger_states(folder: Path) -> Optional[Dict[Key, LetterMail]]:
    """The letters' states of a working folder, or None when nothing was ever mailed."""
    ledger = MailLedger(Path(folder) / "logs")
    if not ledger.path.exists():
        return None
    try:
        return ledger.states()
    except OfficebotError:
        return None
