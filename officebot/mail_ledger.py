"""The mail journal: what happened to every letter's message, so that none goes out twice.

``logs/mail-ledger.jsonl`` holds one JSON event per line, appended, flushed and synced to
disk before the next step: an ``intent`` just before a message's body goes to the server,
then its result (``sent``, ``refused``, ``deferred``). A message with an intent and no result
was interrupted at the one moment nobody can know whether the server took it: its fate is
unknown, it is listed for a person to check and never sent again unless asked (--resend).
``logs/mail.log`` gets the same events as lines a person reads.

Only one run mails at a time: the ledger is locked with an operating-system file lock,
which ends with the process that holds it (a killed run leaves no stale lock).
"""

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from .errors import OfficebotError
from .workbook import safety

LEDGER_NAME = "mail-ledger.jsonl"
LOG_NAME = "mail.log"
LOCK_NAME = ".officebot-mail.lock"
RESULTS = ("sent", "refused", "deferred")
# The status a letter has, by the last event that decides it.
STATUS_OF_EVENT = {"draft": "draft_written", "intent": "unknown", "sent": "sent",
                   "refused": "refused", "deferred": "retry", "printed": "printed"}

Key = Tuple[str, str]   # (case id, kind)


@dataclass
class LetterMail:
    """What the ledger knows of one letter: its status and the last message's details."""

    status: str = "drafted"   # drafted draft_written unknown sent refused retry printed
    message_id: str = ""
    to: str = ""
    at: str = ""              # ISO time of the deciding event
    reply: str = ""           # the server's answer to a refusal
    draft: str = ""           # where the draft went (outbox file or IMAP folder)
    history: List[str] = field(default_factory=list)


def fold(events: Iterable[dict]) -> Dict[Key, LetterMail]:
    """Each letter's state from the events in order (pure: no files)."""
    states: Dict[Key, LetterMail] = {}
    for ev in events:
        kind = ev.get("event")
        key = (str(ev.get("case", "")), str(ev.get("kind", "")))
        state = states.setdefault(key, LetterMail())
        state.history.append(kind)
        if kind == "draft":
            state.draft = ev.get("where", "")
            if state.status in ("drafted", "retry", "draft_written"):
                state.status = "draft_written"
                state.at = ev.get("at", "")
            continue
        if kind == "printed":
            if state.status in ("drafted", "draft_written"):
                state.status, state.at = "printed", ev.get("at", "")
            continue
        if kind == "intent":
            state.status = "unknown"
            state.message_id, state.to = ev.get("message_id", ""), ev.get("to", "")
            state.at, state.reply = ev.get("at", ""), ""
        elif kind in RESULTS:  # (one run at a time: a result follows its own intent)
            state.status = STATUS_OF_EVENT[kind]
            state.at, state.reply = ev.get("at", ""), ev.get("reply", "")
            state.to = ev.get("to") or state.to
            state.message_id = ev.get("message_id") or state.message_id
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

    def events(self) -> List[dict]:
        """Every complete event so far (a line cut short by a crash is skipped)."""
        try:
            fd = safety.open_nofollow(self.path, os.O_RDONLY)  # a planted link: one sentence
            with os.fdopen(fd, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise OfficebotError(f"The mail journal {self.path} cannot be read ({exc.strerror});"
                                 " check the folder's permissions",
                                 zh=f"无法读取邮件记录 {self.path}；请检查文件夹权限") from None
        out = []
        for line in data.split(b"\n"):
            if not line.strip():
                continue
            try:
                ev = json.loads(line.decode("utf-8"))
            except ValueError:
                continue  # cut short while written: that step never finished
            if isinstance(ev, dict):
                out.append(ev)
        return out

    def states(self) -> Dict[Key, LetterMail]:
        """Each letter's state as the journal tells it."""
        return fold(self.events())

    # --- writing ------------------------------------------------------------------------
    def open(self) -> "MailLedger":
        """Lock the journal for this run and open it for appending; OfficebotError if another
        run holds it."""
        safety.ensure_subfolder(self.logs.parent, self.logs.name)
        self._lock = safety.FileLock(self.logs / LOCK_NAME)
        if not self._lock.acquire():
            self._lock = None
            raise OfficebotError(
                "Another officebot run is mailing letters from this folder right now; wait "
                "until it has finished and run again",
                zh="另一个 officebot 正在从本文件夹发送函件；请等它完成后再运行")
        try:
            self._open_files()
        except OSError as exc:  # a link planted in logs/, a full disk: one sentence
            self.close()
            raise safety.write_failed(Path(exc.filename) if exc.filename else None,
                                      exc) from None
        return self

    def _open_files(self) -> None:
        self._fh = safety.open_append(self.path)  # never through a link planted in logs/
        if os.fstat(self._fh.fileno()).st_size > 0:
            # a line cut short by a crash must not swallow the next one
            fd = safety.open_nofollow(self.path, os.O_RDONLY)
            try:
                os.lseek(fd, -1, os.SEEK_END)
                if os.read(fd, 1) != b"\n":
                    self._fh.write(b"\n")
            finally:
                os.close(fd)
        self._log = safety.open_append(self.log_path)

    def record(self, event: str, case: str, kind: str, **details) -> dict:
        """Append one event and put it on disk before returning."""
        ev = {"event": event, "case": case, "kind": kind,
              "at": dt.datetime.now().isoformat(timespec="seconds"), **details}
        self._fh.write(json.dumps(ev, ensure_ascii=False).encode("utf-8") + b"\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())
        from .privacy import for_terminal
        # the Message-ID looks like an address but is none: it stays whole for tracing; a
        # case id or an outbox path may hold a phone number (a phone used as case id)
        words = " ".join(f"{k}={for_terminal(v, enabled=self.mask and k != 'message_id')}"
                         for k, v in details.items() if v not in ("", None))
        line = (f"{ev['at'].replace('T', ' ')} {for_terminal(event, enabled=False)} "
                f"{for_terminal(case, enabled=self.mask)} {for_terminal(kind, enabled=False)}")
        self._log.write(f"{line} {words}\n".encode("utf-8"))
        self._log.flush()
        return ev

    def close(self) -> None:
        """Close the journal and release the lock."""
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
